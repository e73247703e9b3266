// Sessions end to end: a real SessionServer and real SessionStations (real ENet hosts over
// loopback, the real hockey title on both sides) in one process, in real time.
#include <gtest/gtest.h>

#include <enet/enet.h>

#include <array>
#include <chrono>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "pav/cycling/cycling.h"
#include "pav/driving/driving.h"
#include "pav/hockey/hockey.h"
#include "pav/net/conditioner.h"
#include "pav/net/protocol.h"
#include "pav/net/server.h"
#include "pav/net/station.h"

namespace pav::net {
namespace {

double seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

struct Pavilion {
  SessionServer server;
  std::vector<std::unique_ptr<SessionStation>> stations;

  explicit Pavilion(double matchSeconds, int players = 2, const std::string& title = "hockey")
      : server({.title = title, .setup = {.players = players, .seed = 3, .skill = 2, .durationSeconds = matchSeconds}}) {}

  // The connect token the session's director would issue for `seat`.
  ConnectToken credential(int seat) {
    return issueToken(server.key(), seat, server.title().info().id, unixSeconds() + 600);
  }
  // A station with the credential for the next seat (joins in order: seat 0, 1, ...).
  SessionStation& join(uint16_t port = 0, uint64_t token = 0, const std::string& title = "hockey", uint32_t protocol = 0) {
    const int seat = int(stations.size()) % int(server.stats().stations.size());
    stations.push_back(std::make_unique<SessionStation>(StationDesc{.port = port ? port : server.port(),
                                                                    .title = title,
                                                                    .connectToken = credential(seat),
                                                                    .protocol = protocol,
                                                                    .resumeToken = token}));
    return *stations.back();
  }
  // Runs everyone for `s` seconds of real time (or until `until` holds). Waits for a condition
  // are bounded generously (a loaded machine joins slowly); they end as soon as it holds.
  template <typename Until>
  void run(double s, Until until, bool serverToo = true) {
    const double end = seconds() + s;
    while (seconds() < end && !until()) {
      if (serverToo) server.update(seconds(), 1);
      for (auto& st : stations)
        if (st) st->update(seconds(), nullptr, 0);
    }
  }
  void run(double s, bool serverToo = true) {
    run(s, [] { return false; }, serverToo);
  }
};

struct Registered {
  Registered() {
    hockey::registerHockeyTitle();
    driving::registerDrivingTitle();
    cycling::registerCyclingTitle();
  }
};
const Registered registered;

// Half a step, and the float's own rounding of the decoded grid point (half a unit in the last
// place where it lies: 15 micrometres at 500 m), which no decoder into floats can avoid.
double halfStepBound(float halfStep, float v) {
  const float far = std::fabs(v) + 2 * halfStep;  // the grid point is at most this far out
  return double(halfStep) + 0.5 * (double(std::nextafter(far, INFINITY)) - double(far));
}

// Every station's copy of the server state equals the last snapshot exactly (in quantized
// units), and is within half a quantization step of the server's true state.
void expectConverged(Pavilion& p) {
  const SnapshotCodec& codec = p.server.codec();
  core::StateFrame truth;
  truth.resize(p.server.schema());
  p.server.title().capture(truth);
  ASSERT_EQ(truth.tick, p.server.lastSnapshot().tick) << "the server stopped on a snapshot tick";
  for (auto& st : p.stations) {
    QuantFrame q;
    codec.resize(q);
    codec.quantize(st->serverFrame(), q);
    EXPECT_EQ(st->serverFrame().tick, p.server.lastSnapshot().tick);
    EXPECT_TRUE(q.objects == p.server.lastSnapshot().objects);
    for (size_t i = 0; i < truth.objects.size(); ++i)
      for (int a = 0; a < 3; ++a)
        EXPECT_NEAR(st->serverFrame().objects[i].position[a], truth.objects[i].position[a],
                    halfStepBound(codec.positionError(), truth.objects[i].position[a]));
  }
}

TEST(Session, AHockeyMatchPlaysToTheEndAndStationsConverge) {
  Pavilion p(4.0);
  SessionStation& a = p.join();
  SessionStation& b = p.join();
  p.run(10.0, [&] { return p.server.ended() && a.state() == StationState::Ended && b.state() == StationState::Ended; });
  ASSERT_TRUE(p.server.ended());
  EXPECT_EQ(a.state(), StationState::Ended);
  EXPECT_EQ(b.state(), StationState::Ended);
  EXPECT_EQ(a.results(), p.server.title().results(true));
  EXPECT_NE(a.seat(), b.seat());
  // The server is done: the stations' last snapshot is the final state.
  p.run(0.3, false);
  expectConverged(p);
  const ServerStats& s = p.server.stats();
  EXPECT_EQ(s.malformed, 0u);
  EXPECT_GT(a.stats().snapshots, 200u);  // 60 Hz for 4 s, minus loopback's nothing
  EXPECT_EQ(a.stats().malformed + b.stats().malformed, 0u);
  EXPECT_EQ(p.server.stats().stations[0].inputsMissing + p.server.stats().stations[1].inputsMissing < 480, true)
      << "inputs arrive before the server needs them";
}

// Driving and cycling over the same machinery: stations that ask for no title in particular,
// predicting their own car or bike with the title's own step.
class OtherTitles : public ::testing::TestWithParam<const char*> {};

TEST_P(OtherTitles, StationsFollowTheServerAndConverge) {
  // A match long enough to be still playing however slowly a loaded machine joins.
  Pavilion p(60.0, 2, GetParam());
  SessionStation& a = p.join(0, 0, "");
  SessionStation& b = p.join(0, 0, "");
  p.run(20.0, [&] { return a.stats().snapshots > 100 && b.stats().snapshots > 100; });
  ASSERT_EQ(a.state(), StationState::Playing);
  ASSERT_EQ(b.state(), StationState::Playing);
  // The own object is predicted: corrections stay small next to the distance it travels.
  EXPECT_LT(a.stats().maxPredictionErrorMm, 500.0) << a.statsLine();
  // Stop the server on a tick it sent: a late update catches up several ticks at once and
  // may end between snapshots (these titles snapshot every other tick).
  p.run(5.0, [&] { return p.server.title().tick() == p.server.lastSnapshot().tick; });
  p.run(0.3, false);
  expectConverged(p);
}

INSTANTIATE_TEST_SUITE_P(Session, OtherTitles, ::testing::Values("driving", "cycling"));

TEST(Session, StationsOfAnotherVersionOrTitleAreRefusedWithTheReason) {
  Pavilion p(30.0);
  SessionStation& wrongTitle = p.join(0, 0, "driving");
  SessionStation& wrongVersion = p.join(0, 0, "hockey", kProtocolVersion + 1);
  SessionStation& badToken = p.join(0, 12345);
  p.run(10.0, [&] {
    return wrongTitle.state() == StationState::Refused && wrongVersion.state() == StationState::Refused &&
           badToken.state() == StationState::Refused;
  });
  EXPECT_EQ(wrongTitle.refusal(), "this session plays hockey, not driving");
  EXPECT_EQ(wrongVersion.refusal(), "protocol version " + std::to_string(kProtocolVersion + 1) + ", this server speaks " +
                                        std::to_string(kProtocolVersion));
  EXPECT_EQ(badToken.refusal(), "unknown resume token (the session may have restarted)");
  EXPECT_EQ(p.server.stats().refused, 3u);
  EXPECT_EQ(p.server.connectedStations(), 0);
}

TEST(Session, GarbageAndMalformedPacketsAreCountedWhileTheSessionCarriesOn) {
  Pavilion p(30.0);
  SessionStation& a = p.join();
  p.run(5.0, [&] { return a.stats().snapshots > 10; });
  ASSERT_EQ(a.state(), StationState::Playing);
  // A raw UDP socket spraying the server's port, and an ENet peer sending malformed messages.
  ENetSocket raw = enet_socket_create(ENET_SOCKET_TYPE_DATAGRAM);
  ENetAddress to{};
  enet_address_set_host(&to, "127.0.0.1");
  to.port = p.server.port();
  // The rogue holds seat 1's credential (a station on the floor gone bad): seated, it may send
  // what it likes without being dropped for silence, and all of it is counted.
  Host rogue = Host::client();
  _ENetPeer* rp = rogue.connect("127.0.0.1", p.server.port());
  bool connected = false;
  for (int i = 0; i < 3000 && !connected; ++i) {
    rogue.poll(0, [&](const HostEvent& e) { connected = connected || e.kind == HostEvent::Kind::Connected; });
    p.run(0.001);
  }
  ASSERT_TRUE(connected);
  Hello hello;
  hello.hasConnectToken = true;
  hello.connectToken = p.credential(1);
  std::array<uint8_t, 256> helloBytes{};
  rogue.send(rp, kChannelReliable, std::span<const uint8_t>(helloBytes.data(), encodeHello(hello, helloBytes)), true);
  p.run(3.0, [&] {
    rogue.poll(0, [](const HostEvent&) {});
    return p.server.connectedStations() == 2;
  });
  ASSERT_EQ(p.server.connectedStations(), 2);
  std::mt19937 rng(4);
  std::vector<uint8_t> junk(300);
  const uint64_t before = a.stats().snapshots;
  for (int round = 0; round < 200; ++round) {
    for (auto& c : junk) c = uint8_t(rng());
    ENetBuffer buf{junk.data(), 1 + rng() % junk.size()};
    enet_socket_send(raw, &to, &buf, 1);
    rogue.poll(0, [](const HostEvent&) {});
    // Anything but a Hello: a second Hello on its connection is refused (admission_test covers
    // it); this one keeps sending junk.
    const std::span<const uint8_t> bad(junk.data(), 1 + rng() % 64);
    MessageType type{};
    if (peekType(bad, type) && type == MessageType::Hello) continue;
    rogue.send(rp, uint8_t(rng() % 2), bad, rng() % 2);
    p.run(0.005);
  }
  p.run(0.5);
  enet_socket_destroy(raw);
  EXPECT_GT(p.server.stats().malformed, 50u);
  EXPECT_EQ(a.state(), StationState::Playing);
  EXPECT_GT(a.stats().snapshots, before + 40) << "snapshots kept coming";
  EXPECT_EQ(a.stats().malformed, 0u);
}

TEST(Session, AKilledStationIsNoticedWithinThreeSecondsAndResumesItsSeat) {
  Pavilion p(60.0);
  p.join();
  SessionStation& b = p.join();
  p.run(5.0, [&] { return p.server.connectedStations() == 2 && b.stats().snapshots > 10; });
  ASSERT_EQ(p.server.connectedStations(), 2);
  const int seat = p.stations[0]->seat();
  const uint64_t token = p.stations[0]->token();
  // Killed: its host goes away without a word to the server.
  p.stations[0].reset();
  const double killed = seconds();
  p.run(5.0, [&] { return p.server.connectedStations() == 1; });
  const double noticed = seconds() - killed;
  EXPECT_EQ(p.server.connectedStations(), 1);
  EXPECT_LT(noticed, 3.5) << "dead peer noticed after " << noticed << " s";
  const uint64_t bSnapshots = b.stats().snapshots;
  p.run(5.0, [&] { return b.stats().snapshots > bSnapshots + 20; });  // 0.35 s at 60 Hz, unloaded
  EXPECT_GT(b.stats().snapshots, bSnapshots + 20) << "the other station plays on";
  // Restarted with its resume token alone (its connect token may have expired): the same seat,
  // and the server counts a reconnect.
  p.stations[0] = std::make_unique<SessionStation>(StationDesc{.port = p.server.port(), .title = "hockey", .resumeToken = token});
  p.run(5.0, [&] { return p.stations[0]->state() == StationState::Playing && p.stations[0]->stats().snapshots > 10; });
  EXPECT_EQ(p.stations[0]->state(), StationState::Playing);
  EXPECT_EQ(p.stations[0]->seat(), seat);
  p.run(0.5);
  EXPECT_EQ(p.server.stats().stations[size_t(seat)].reconnects, 1u);
}

TEST(Session, AStationReconnectsByItselfAfterTheLinkDies) {
  Pavilion p(60.0);
  NetProfile clean;
  NetConditioner wire(p.server.port(), clean, 1);
  SessionStation& a = p.join(wire.port());
  p.run(5.0, [&] { return a.stats().snapshots > 10; });
  ASSERT_EQ(a.state(), StationState::Playing);
  NetProfile cut;
  cut.loss = 1.0;
  wire.setProfile(cut);
  p.run(5.0, [&] { return a.state() == StationState::Reconnecting && p.server.connectedStations() == 0; });
  EXPECT_EQ(a.state(), StationState::Reconnecting);
  wire.setProfile(clean);
  p.run(5.0, [&] { return a.state() == StationState::Playing && p.server.connectedStations() == 1; });
  EXPECT_EQ(a.state(), StationState::Playing);
  EXPECT_EQ(a.stats().reconnects, 1u);
  const uint64_t n = a.stats().snapshots;
  p.run(5.0, [&] { return a.stats().snapshots > n + 20; });  // 0.35 s at 60 Hz, unloaded
  EXPECT_GT(a.stats().snapshots, n + 20);
}

}  // namespace
}  // namespace pav::net
