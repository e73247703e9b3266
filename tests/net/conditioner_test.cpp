// The network conditioner: profile parsing (names, the custom form, bad text refused with a
// reason), then the proxy over real loopback traffic. ENet hosts check that a station connects
// and talks through it, that latency and loss are applied; raw ENet sockets check what ENet
// itself would hide (it drops duplicated and late unreliable packets): jitter reordering,
// duplicates, reproducible decisions from a seed, and the fixed pool and station table
// overflowing into counters instead of allocating.
//
// Waits are real time here, since the conditioner models a wire; every wait has a deadline
// and no assertion bounds a delay tightly from above (the test machine is shared).
#include <gtest/gtest.h>

#include <enet/enet.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pav/net/conditioner.h"
#include "pav/net/transport.h"

namespace pav::net {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// Calls `done` about every millisecond until it says true or `ms` have passed.
template <typename Done>
bool waitFor(int ms, Done&& done) {
  const Clock::time_point start = Clock::now();
  while (!done()) {
    if (msSince(start) > ms) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

// Waits until the conditioner has nothing in flight and its counters stop moving, calling
// `meanwhile` (to read what arrives) on every look.
NetConditionerStats settled(const NetConditioner& wire, const std::function<void()>& meanwhile = {}) {
  NetConditionerStats last = wire.stats();
  int quiet = 0;
  waitFor(2000, [&] {
    std::this_thread::sleep_for(milliseconds(4));
    if (meanwhile) meanwhile();
    const NetConditionerStats now = wire.stats();
    const bool same = now.inFlight == 0 && now.toServer.received == last.toServer.received &&
                      now.toClient.received == last.toClient.received;
    last = now;
    return (quiet = same ? quiet + 1 : 0) >= 5;
  });
  return last;
}

// ---- Profiles --------------------------------------------------------------------------------

TEST(NetProfile, NamedProfilesHaveTheirValues) {
  NetProfile p;
  std::string error;
  ASSERT_TRUE(parseNetProfile("none", p, error)) << error;
  EXPECT_EQ(p.latencyMs + p.jitterMs + p.loss + p.duplicate + p.reorder, 0.0);
  ASSERT_TRUE(parseNetProfile("lan", p, error)) << error;
  EXPECT_DOUBLE_EQ(p.latencyMs, 0.5);
  EXPECT_DOUBLE_EQ(p.jitterMs, 0.2);
  EXPECT_EQ(p.loss, 0.0);
  ASSERT_TRUE(parseNetProfile("5g", p, error)) << error;
  EXPECT_DOUBLE_EQ(p.latencyMs, 10);
  EXPECT_DOUBLE_EQ(p.jitterMs, 5);
  EXPECT_DOUBLE_EQ(p.loss, 0.01);
  EXPECT_EQ(p.duplicate, 0.0);
  ASSERT_TRUE(parseNetProfile("bad", p, error)) << error;
  EXPECT_DOUBLE_EQ(p.latencyMs, 50);
  EXPECT_DOUBLE_EQ(p.jitterMs, 25);
  EXPECT_DOUBLE_EQ(p.loss, 0.05);
  EXPECT_DOUBLE_EQ(p.duplicate, 0.05);

  const std::string help = netProfileHelp();
  ASSERT_EQ(netProfileNames().size(), 7u);  // and 5g-good, 5g-edge, wifi-busy (link_model_test.cpp)
  for (std::string_view name : netProfileNames()) {
    EXPECT_TRUE(parseNetProfile(name, p, error)) << name << ": " << error;
    EXPECT_NE(help.find(name), std::string::npos) << help;
  }
}

TEST(NetProfile, CustomFormSetsEachKeyInItsUnit) {
  NetProfile p;
  std::string error;
  ASSERT_TRUE(parseNetProfile("latency=20,jitter=5,loss=2,dup=1", p, error)) << error;
  EXPECT_DOUBLE_EQ(p.latencyMs, 20);
  EXPECT_DOUBLE_EQ(p.jitterMs, 5);
  EXPECT_DOUBLE_EQ(p.loss, 0.02);
  EXPECT_DOUBLE_EQ(p.duplicate, 0.01);
  EXPECT_EQ(p.reorder, 0.0);
  ASSERT_TRUE(parseNetProfile(" latency = 7.5ms , reorder=10% ", p, error)) << error;
  EXPECT_DOUBLE_EQ(p.latencyMs, 7.5);
  EXPECT_DOUBLE_EQ(p.reorder, 0.1);
  EXPECT_EQ(p.loss, 0.0) << "keys not given are zero";
  ASSERT_TRUE(parseNetProfile("bad,loss=0,jitter=0", p, error)) << error;
  EXPECT_DOUBLE_EQ(p.latencyMs, 50) << "a name first, then changes to it";
  EXPECT_EQ(p.jitterMs, 0.0);
  EXPECT_EQ(p.loss, 0.0);
  EXPECT_DOUBLE_EQ(p.duplicate, 0.05);
  EXPECT_TRUE(error.empty());
}

TEST(NetProfile, BadTextIsRefusedWithAReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"fast", "unknown name \"fast\""},
      {"latency=abc", "latency needs a number of ms, got \"abc\""},
      {"loss=150", "loss must be 0..100 percent, got \"150\""},
      {"latency=-3", "latency must be 0..10000 ms, got \"-3\""},
      {"", "empty"},
      {"   ", "empty"},
      {"latency=", "latency needs a number"},
      {"latency=inf", "latency must be"},
      {"loss=5ms", "loss needs a number of percent"},
      {"latency=20,,loss=1", "empty item"},
      {"speed=3", "unknown key \"speed\""},
      {"loss=1,loss=2", "\"loss\" is given twice"},
      {"loss=1,bad", "a name may only come first"},
      {"5g,", "empty item"},
  };
  for (const auto& [text, why] : cases) {
    NetProfile p{1, 2, 0.3, 0.4, 0.5};
    std::string error;
    EXPECT_FALSE(parseNetProfile(text, p, error)) << text;
    EXPECT_NE(error.find(why), std::string::npos) << text << " -> " << error;
    EXPECT_NE(error.find("accepted: none, lan, 5g, bad"), std::string::npos) << error;
    EXPECT_EQ(p.latencyMs, 1) << "a refused profile leaves the old one";
    EXPECT_EQ(p.reorder, 0.5);
  }
  // Random text from the grammar's own characters: refused or in range, never a crash.
  std::mt19937 rng(5);
  const std::string_view alphabet = "latencyjitrosdupbg5n=,.-+%ms0123456789 e";
  for (int i = 0; i < 3000; ++i) {
    std::string text(rng() % 24, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    NetProfile p;
    std::string error;
    if (parseNetProfile(text, p, error)) {
      EXPECT_TRUE(p.latencyMs >= 0 && p.latencyMs <= 10000 && p.jitterMs >= 0 && p.jitterMs <= 10000) << text;
      EXPECT_TRUE(p.loss >= 0 && p.loss <= 1 && p.duplicate >= 0 && p.duplicate <= 1 && p.reorder <= 1) << text;
    } else {
      EXPECT_FALSE(error.empty()) << text;
    }
  }
}

// ---- Through ENet ----------------------------------------------------------------------------

std::array<uint8_t, 4> numbered(uint32_t n) {
  std::array<uint8_t, 4> b{};
  std::memcpy(b.data(), &n, 4);
  return b;
}

// Echoes every message back on its channel, counting what it got.
struct EchoServer {
  EnetLibrary enet;
  Host host = Host::server(0, 8);
  bool echo = true;
  int connected = 0;
  uint64_t reliable = 0, unreliable = 0;
  void serve(uint32_t ms) {
    host.poll(ms, [&](const HostEvent& e) {
      if (e.kind == HostEvent::Kind::Connected) ++connected;
      if (e.kind != HostEvent::Kind::Received) return;
      ++(e.channel == kChannelReliable ? reliable : unreliable);
      if (echo) host.send(e.peer, e.channel, e.data, e.channel == kChannelReliable);
    });
  }
};

struct Station {
  Host host = Host::client();
  _ENetPeer* peer = nullptr;
  bool connected = false;
  std::vector<uint32_t> echoes;
  void poll(uint32_t ms) {
    host.poll(ms, [&](const HostEvent& e) {
      if (e.kind == HostEvent::Kind::Connected) connected = true;
      if (e.kind == HostEvent::Kind::Received && e.data.size() == 4) {
        uint32_t n = 0;
        std::memcpy(&n, e.data.data(), 4);
        echoes.push_back(n);
      }
    });
  }
  void send(uint32_t n, bool reliable) {
    const auto b = numbered(n);
    host.send(peer, reliable ? kChannelReliable : kChannelUnreliable, b, reliable);
  }
};

// Connects every station to 127.0.0.1:`port` and pumps until the server has them all.
bool connectAll(EchoServer& server, std::vector<std::unique_ptr<Station>>& stations, uint16_t port) {
  const int before = server.connected;
  for (auto& s : stations) s->peer = s->host.connect("127.0.0.1", port);
  return waitFor(3000, [&] {
    server.serve(0);
    for (auto& s : stations) s->poll(0);
    return server.connected - before == static_cast<int>(stations.size()) &&
           std::all_of(stations.begin(), stations.end(), [](const auto& s) { return s->connected; });
  });
}

// One reliable message to the server and its echo back, in milliseconds; < 0: no echo.
double roundTrip(EchoServer& server, Station& station, uint32_t n) {
  const Clock::time_point start = Clock::now();
  station.send(n, true);
  station.host.flush();
  const bool back = waitFor(2000, [&] {
    server.serve(0);
    station.poll(0);
    return !station.echoes.empty() && station.echoes.back() == n;
  });
  return back ? msSince(start) : -1;
}

TEST(NetConditioner, NoneCarriesEveryMessageBothWaysForEachStation) {
  EchoServer server;
  NetConditioner wire(server.host.port(), NetProfile{}, 1);
  ASSERT_NE(wire.port(), 0);
  ASSERT_NE(wire.port(), server.host.port());
  std::vector<std::unique_ptr<Station>> stations;
  for (int i = 0; i < 2; ++i) stations.push_back(std::make_unique<Station>());
  ASSERT_TRUE(connectAll(server, stations, wire.port())) << "stations connect through the conditioner";
  EXPECT_EQ(server.connected, 2) << "the server sees one address per station";

  for (uint32_t n = 0; n < 100; ++n)
    for (auto& s : stations) s->send(n, true);
  EXPECT_TRUE(waitFor(4000, [&] {
    server.serve(0);
    for (auto& s : stations) s->poll(0);
    return std::all_of(stations.begin(), stations.end(), [](const auto& s) { return s->echoes.size() >= 100; });
  }));
  EXPECT_EQ(server.reliable, 200u);
  for (auto& s : stations) {
    ASSERT_EQ(s->echoes.size(), 100u);
    for (uint32_t n = 0; n < 100; ++n) EXPECT_EQ(s->echoes[n], n);
  }
  const NetConditionerStats st = settled(wire);
  EXPECT_EQ(st.clients, 2u);
  for (const ConditionerStats& d : {st.toServer, st.toClient}) {
    EXPECT_GT(d.received, 0u);
    EXPECT_EQ(d.forwarded, d.received);
    EXPECT_EQ(d.dropped + d.duplicated + d.overflow, 0u);
  }
}

TEST(NetConditioner, LatencyDelaysBothDirections) {
  EchoServer server;
  std::vector<std::unique_ptr<Station>> direct;
  direct.push_back(std::make_unique<Station>());
  ASSERT_TRUE(connectAll(server, direct, server.host.port()));
  double fastest = 1e9;
  for (uint32_t n = 1; n <= 3; ++n) {
    const double ms = roundTrip(server, *direct[0], n);
    ASSERT_GE(ms, 0) << "no echo";
    fastest = std::min(fastest, ms);
  }
  EXPECT_LT(fastest, 30) << "loopback without the conditioner";

  NetConditioner wire(server.host.port(), {30, 0, 0, 0, 0}, 2);
  std::vector<std::unique_ptr<Station>> far;
  far.push_back(std::make_unique<Station>());
  ASSERT_TRUE(connectAll(server, far, wire.port()));
  for (uint32_t n = 1; n <= 3; ++n) {
    const double ms = roundTrip(server, *far[0], n);
    EXPECT_GE(ms, 60) << "30 ms each way";
    EXPECT_LT(ms, 1000);
  }
}

TEST(NetConditioner, LossDropsAboutTheConfiguredShare) {
  EchoServer server;
  server.echo = false;
  NetConditioner wire(server.host.port(), NetProfile{}, 3);
  std::vector<std::unique_ptr<Station>> stations;
  stations.push_back(std::make_unique<Station>());
  ASSERT_TRUE(connectAll(server, stations, wire.port())) << "connected before the loss starts";
  Station& station = *stations[0];
  wire.setProfile({0, 0, 0.2, 0, 0});
  std::this_thread::sleep_for(milliseconds(20));  // the next pass picks it up
  const NetConditionerStats before = settled(wire);
  server.serve(0);
  const uint64_t serverBefore = server.host.datagramsReceived();

  constexpr uint32_t kSent = 2000;
  for (uint32_t n = 0; n < kSent; ++n) {
    station.send(n, false);
    station.host.flush();  // one datagram per message, as the counters below assume
    if (n % 20 == 19) {
      server.serve(1);
      station.poll(0);
    }
  }
  for (int i = 0; i < 100; ++i) server.serve(1);
  const NetConditionerStats after = settled(wire);
  server.serve(5);

  const uint64_t datagrams = after.toServer.received - before.toServer.received;
  const uint64_t dropped = after.toServer.dropped - before.toServer.dropped;
  const uint64_t forwarded = after.toServer.forwarded - before.toServer.forwarded;
  EXPECT_GE(datagrams, kSent * 95 / 100) << "nearly every message left the station as its own datagram";
  EXPECT_GT(dropped, datagrams * 14 / 100);
  EXPECT_LT(dropped, datagrams * 26 / 100);
  EXPECT_EQ(forwarded + dropped, datagrams) << "everything else went on";
  EXPECT_EQ(after.toServer.overflow, 0u);
  EXPECT_NEAR(static_cast<double>(server.host.datagramsReceived() - serverBefore), static_cast<double>(forwarded), 2)
      << "what the conditioner forwarded is what reached the server";
  EXPECT_GE(server.unreliable, kSent * 70 / 100) << "20 % loss";
  EXPECT_LE(server.unreliable, kSent * 90 / 100) << "20 % loss";
}

// ---- Raw datagrams ---------------------------------------------------------------------------

// A non-blocking socket on 127.0.0.1 that sends and reads numbered datagrams.
struct RawSocket {
  ENetSocket socket = enet_socket_create(ENET_SOCKET_TYPE_DATAGRAM);
  RawSocket() {
    ENetAddress a{};
    a.host = ENET_HOST_TO_NET_32(0x7F000001u);
    EXPECT_EQ(enet_socket_bind(socket, &a), 0);
    enet_socket_set_option(socket, ENET_SOCKOPT_NONBLOCK, 1);
    enet_socket_set_option(socket, ENET_SOCKOPT_RCVBUF, 1 << 20);
  }
  ~RawSocket() { enet_socket_destroy(socket); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  uint16_t port() const {
    ENetAddress a{};
    enet_socket_get_address(socket, &a);
    return a.port;
  }
  void sendTo(const ENetAddress& to, uint32_t n) {
    auto b = numbered(n);
    ENetBuffer buffer{b.data(), b.size()};
    enet_socket_send(socket, &to, &buffer, 1);
  }
  void sendTo(uint16_t port, uint32_t n) {
    ENetAddress to{ENET_HOST_TO_NET_32(0x7F000001u), port};
    sendTo(to, n);
  }
  // Reads everything waiting, calling on(number, sender).
  template <typename On>
  void drain(On&& on) {
    for (;;) {
      uint32_t n = 0;
      ENetBuffer buffer{&n, sizeof n};
      ENetAddress from{};
      if (enet_socket_receive(socket, &from, &buffer, 1) <= 0) return;
      on(n, from);
    }
  }
};

// Sends 0..count-1 to `port` in bursts, so the conditioner's front socket never overflows.
void sendNumbers(RawSocket& from, uint16_t port, uint32_t count) {
  for (uint32_t n = 0; n < count; ++n) {
    from.sendTo(port, n);
    if (n % 50 == 49) std::this_thread::sleep_for(milliseconds(1));
  }
}

TEST(NetConditioner, JitterReordersDatagramsInBothDirections) {
  EnetLibrary enet;
  RawSocket server, station;
  NetConditioner wire(server.port(), {20, 20, 0, 0, 0}, 4);
  constexpr uint32_t kSent = 300;
  sendNumbers(station, wire.port(), kSent);
  std::vector<uint32_t> atServer, atStation;
  waitFor(3000, [&] {
    server.drain([&](uint32_t n, const ENetAddress& from) {
      atServer.push_back(n);
      server.sendTo(from, n);  // back through the conditioner
    });
    station.drain([&](uint32_t n, const ENetAddress&) { atStation.push_back(n); });
    return atStation.size() >= kSent;
  });
  for (const std::vector<uint32_t>* arrived : {&atServer, &atStation}) {
    ASSERT_EQ(arrived->size(), kSent) << "no loss, no copies";
    EXPECT_EQ(std::set<uint32_t>(arrived->begin(), arrived->end()).size(), kSent);
    EXPECT_FALSE(std::is_sorted(arrived->begin(), arrived->end())) << "+/- 20 ms of jitter reorders";
  }
  const NetConditionerStats st = settled(wire);
  EXPECT_EQ(st.clients, 1u);
  EXPECT_EQ(st.toServer.received, kSent);
  EXPECT_EQ(st.toServer.forwarded, kSent);
  EXPECT_EQ(st.toClient.received, kSent);
  EXPECT_EQ(st.toClient.forwarded, kSent);
}

TEST(NetConditioner, ReorderHoldsSomeBackEvenWithoutJitter) {
  EnetLibrary enet;
  RawSocket server, station;
  NetConditioner wire(server.port(), {2, 0, 0, 0, 0.3}, 8);
  constexpr uint32_t kSent = 200;
  sendNumbers(station, wire.port(), kSent);
  std::vector<uint32_t> arrived;
  const auto read = [&] { server.drain([&](uint32_t n, const ENetAddress&) { arrived.push_back(n); }); };
  const NetConditionerStats st = settled(wire, read);
  read();
  ASSERT_EQ(arrived.size(), kSent);
  EXPECT_EQ(st.toServer.forwarded, kSent);
  // A held-back datagram arrives after some sent later than it: count those that overtook one.
  uint32_t overtaken = 0, highest = 0;
  for (uint32_t n : arrived) {
    overtaken += n < highest;
    highest = std::max(highest, n);
  }
  EXPECT_GT(overtaken, kSent * 10 / 100);
  EXPECT_LT(overtaken, kSent * 50 / 100);
}

TEST(NetConditioner, DuplicatesArriveAsExtraDatagrams) {
  EnetLibrary enet;
  RawSocket server, station;
  NetConditioner wire(server.port(), {1, 0, 0, 0.5, 0}, 5);
  constexpr uint32_t kSent = 400;
  sendNumbers(station, wire.port(), kSent);
  std::vector<uint32_t> arrived;
  const auto read = [&] { server.drain([&](uint32_t n, const ENetAddress&) { arrived.push_back(n); }); };
  const NetConditionerStats st = settled(wire, read);
  read();
  EXPECT_EQ(st.toServer.received, kSent);
  EXPECT_GT(st.toServer.duplicated, kSent * 35 / 100);
  EXPECT_LT(st.toServer.duplicated, kSent * 65 / 100);
  EXPECT_EQ(st.toServer.forwarded, kSent + st.toServer.duplicated);
  EXPECT_EQ(arrived.size(), st.toServer.forwarded) << "more datagrams arrive than were sent";
  EXPECT_EQ(std::set<uint32_t>(arrived.begin(), arrived.end()).size(), kSent);
}

TEST(NetConditioner, TheSameSeedMakesTheSameDecisions) {
  EnetLibrary enet;
  RawSocket sink, station;
  const NetProfile profile{0, 0, 0.3, 0.3, 0};
  const auto decisions = [&](uint64_t seed) {
    NetConditioner wire(sink.port(), profile, seed);
    sendNumbers(station, wire.port(), 500);
    const NetConditionerStats st = settled(wire, [&] { sink.drain([](uint32_t, const ENetAddress&) {}); });
    EXPECT_EQ(st.toServer.received, 500u);
    return std::array<uint64_t, 3>{st.toServer.dropped, st.toServer.duplicated, st.toServer.forwarded};
  };
  const auto first = decisions(42);
  EXPECT_GT(first[0], 0u);
  EXPECT_GT(first[1], 0u);
  EXPECT_EQ(decisions(42), first);
  EXPECT_NE(decisions(43), first);
}

TEST(NetConditioner, AFullPoolDropsAndCountsInsteadOfGrowing) {
  EnetLibrary enet;
  RawSocket sink, station;
  NetConditioner wire(sink.port(), {3000, 0, 0, 0, 0}, 6);  // nothing leaves during the test
  constexpr uint32_t kSent = NetConditioner::kPoolSlots + 1000;
  sendNumbers(station, wire.port(), kSent);
  NetConditionerStats st;
  waitFor(1500, [&] { return (st = wire.stats()).toServer.received >= kSent; });
  EXPECT_GT(st.toServer.received, static_cast<uint64_t>(NetConditioner::kPoolSlots));
  EXPECT_EQ(st.inFlight, static_cast<uint32_t>(NetConditioner::kPoolSlots));
  EXPECT_EQ(st.toServer.overflow, st.toServer.received - NetConditioner::kPoolSlots);
  EXPECT_EQ(st.toServer.forwarded, 0u);
}

TEST(NetConditioner, StationsBeyondTheTableAreCountedNotServed) {
  EnetLibrary enet;
  RawSocket sink;
  NetConditioner moved(sink.port(), NetProfile{}, 7);
  const NetConditioner wire(std::move(moved));  // the thread carries on in the new owner
  constexpr int kStations = NetConditioner::kMaxClients + 6;
  std::vector<std::unique_ptr<RawSocket>> stations;
  for (int i = 0; i < kStations; ++i) {
    stations.push_back(std::make_unique<RawSocket>());
    stations.back()->sendTo(wire.port(), static_cast<uint32_t>(i));
  }
  const NetConditionerStats st = settled(wire);
  EXPECT_EQ(st.clients, static_cast<uint32_t>(NetConditioner::kMaxClients));
  EXPECT_EQ(st.toServer.received, static_cast<uint64_t>(kStations));
  EXPECT_EQ(st.toServer.forwarded, static_cast<uint64_t>(NetConditioner::kMaxClients));
  EXPECT_EQ(st.toServer.overflow, 6u);
  std::set<uint16_t> senders;
  sink.drain([&](uint32_t, const ENetAddress& from) { senders.insert(from.port); });
  EXPECT_EQ(senders.size(), static_cast<size_t>(NetConditioner::kMaxClients)) << "one address per station";
}

}  // namespace
}  // namespace pav::net
