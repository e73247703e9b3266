// Session admission over real ENet hosts on loopback: a real SessionServer (hockey or balloons)
// against real SessionStations and against a hand-driven rogue client that speaks the protocol
// byte by byte (protocol.h) as an attacker on the floor's network would.
//
// Time: the server runs on the test's own clock (seconds()); deadlines are asserted as lower
// bounds, with generous upper ones, so a loaded machine cannot make them flake.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "pav/balloons/balloons.h"
#include "pav/hockey/hockey.h"
#include "pav/net/protocol.h"
#include "pav/net/server.h"
#include "pav/net/station.h"
#include "pav/net/token.h"
#include "pav/net/transport.h"

namespace pav::net {
namespace {

double seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

struct Registered {
  Registered() {
    hockey::registerHockeyTitle();
    balloons::registerTitle();
  }
};
const Registered registered;

// A client that says exactly what the test tells it to, and remembers what came back.
struct Rogue {
  Host host = Host::client();
  _ENetPeer* peer = nullptr;
  bool connected = false, disconnected = false;
  std::vector<Welcome> welcomes;
  std::vector<std::string> refusals;
  uint64_t snapshots = 0, newestSnapshot = 0;
  std::array<uint8_t, 4096> buf{};
  double lastSent = 0;

  explicit Rogue(uint16_t port) { peer = host.connect("127.0.0.1", port); }
  // Seated, it says something every 50 ms (an input for a tick already past: heard, not played).
  void poll() {
    if (!welcomes.empty() && seconds() - lastSent > 0.05) {
      lastSent = seconds();
      inputs(std::max<uint64_t>(1, newestSnapshot), newestSnapshot);
    }
    receive();
  }
  void receive() {
    host.poll(0, [&](const HostEvent& e) {
      if (e.kind == HostEvent::Kind::Connected) connected = true;
      if (e.kind == HostEvent::Kind::Disconnected) disconnected = true;
      if (e.kind != HostEvent::Kind::Received) return;
      MessageType type{};
      if (!peekType(e.data, type)) return;
      if (type == MessageType::Welcome) {
        Welcome w;
        if (decodeWelcome(e.data, w)) welcomes.push_back(w);
      } else if (type == MessageType::Refused) {
        Refused r;
        if (decodeRefused(e.data, r)) refusals.push_back(r.reason);
      } else if (type == MessageType::Snapshot) {
        SnapshotHeader h;
        if (decodeSnapshotHeader(e.data, h)) ++snapshots, newestSnapshot = std::max(newestSnapshot, h.tick);
      }
    });
  }
  void hello(std::optional<ConnectToken> token, uint64_t resume = 0) {
    Hello h;
    h.resumeToken = resume;
    h.hasConnectToken = token.has_value();
    if (token) h.connectToken = *token;
    const size_t n = encodeHello(h, buf);
    ASSERT_GT(n, 0u);
    host.send(peer, kChannelReliable, std::span<const uint8_t>(buf.data(), n), true);
    host.flush();
  }
  void inputs(uint64_t newestTick, uint64_t ackTick, const core::InputFrame& f = {}) {
    Inputs in;
    in.newestTick = newestTick;
    in.count = 1;
    in.frames[0] = f;
    in.ackTick = ackTick;
    const size_t n = encodeInputs(in, buf);
    ASSERT_GT(n, 0u);
    host.send(peer, kChannelUnreliable, std::span<const uint8_t>(buf.data(), n), false);
    host.flush();
  }
};

struct Session {
  SessionServer server;
  explicit Session(const std::string& title = "hockey", int players = 2)
      : server({.title = title, .setup = {.players = players, .seed = 4, .skill = 1, .durationSeconds = 120}}) {}
  ConnectToken token(int seat, int64_t validFor = 600) {
    return issueToken(server.key(), seat, server.title().info().id, uint64_t(int64_t(unixSeconds()) + validFor));
  }
  // Runs the server (and whatever `also` drives) until `until` holds or `s` seconds pass.
  template <typename Also, typename Until>
  bool run(double s, Also also, Until until) {
    const double end = seconds() + s;
    while (seconds() < end) {
      server.update(seconds(), 1);
      also();
      if (until()) return true;
    }
    return false;
  }
};

TEST(Admission, AConnectionWithoutACredentialTakesNoSeat) {
  Session s;
  Rogue keyless(s.server.port());
  ASSERT_TRUE(s.run(3, [&] { keyless.poll(); }, [&] { return keyless.connected; }));
  keyless.hello(std::nullopt);
  ASSERT_TRUE(s.run(3, [&] { keyless.poll(); }, [&] { return !keyless.refusals.empty(); }));
  EXPECT_TRUE(keyless.welcomes.empty());
  EXPECT_EQ(keyless.refusals[0].rfind("no credential", 0), 0u) << keyless.refusals[0];
  EXPECT_EQ(s.server.connectedStations(), 0);
  // A token of another session (another key), and one with a flipped bit: refused too.
  const SessionKey other = SessionKey::random();
  SessionStation foreign({.port = s.server.port(), .connectToken = issueToken(other, 0, "hockey", unixSeconds() + 600)});
  ConnectToken bent = s.token(0);
  bent[kConnectTokenBytes - 20] ^= 1;
  SessionStation forged({.port = s.server.port(), .connectToken = bent});
  SessionStation none({.port = s.server.port()});
  ASSERT_TRUE(s.run(
      5, [&] { foreign.update(seconds(), nullptr), forged.update(seconds(), nullptr), none.update(seconds(), nullptr); },
      [&] {
        return foreign.state() == StationState::Refused && forged.state() == StationState::Refused &&
               none.state() == StationState::Refused;
      }));
  EXPECT_EQ(foreign.refusal(), "credential of another session");
  EXPECT_EQ(forged.refusal(), "credential not issued for this session (bad seal)");
  EXPECT_EQ(none.refusal().rfind("no credential", 0), 0u);
  EXPECT_EQ(s.server.connectedStations(), 0);
  EXPECT_EQ(s.server.stats().refused, 4u);
}

TEST(Admission, AnExpiredCredentialOrOneOfAnotherTitleIsRefused) {
  Session s;
  SessionStation late({.port = s.server.port(), .connectToken = s.token(0, -10)});
  SessionStation wrongTitle({.port = s.server.port(), .connectToken = issueToken(s.server.key(), 0, "driving", unixSeconds() + 600)});
  ASSERT_TRUE(s.run(
      5, [&] { late.update(seconds(), nullptr), wrongTitle.update(seconds(), nullptr); },
      [&] { return late.state() == StationState::Refused && wrongTitle.state() == StationState::Refused; }));
  EXPECT_EQ(late.refusal(), "expired credential");
  EXPECT_EQ(wrongTitle.refusal(), "the credential is for driving, this session plays hockey");
  EXPECT_EQ(s.server.connectedStations(), 0);
}

TEST(Admission, OneConnectionHoldsOneSeatAndSeatZerosTokenCannotTakeSeatOne) {
  Session s;
  Rogue greedy(s.server.port());
  ASSERT_TRUE(s.run(3, [&] { greedy.poll(); }, [&] { return greedy.connected; }));
  greedy.hello(s.token(0));
  ASSERT_TRUE(s.run(3, [&] { greedy.poll(); }, [&] { return !greedy.welcomes.empty(); }));
  EXPECT_EQ(greedy.welcomes[0].seat, 0u);
  greedy.hello(s.token(1));  // the same connection, a second seat
  ASSERT_TRUE(s.run(3, [&] { greedy.poll(); }, [&] { return !greedy.refusals.empty(); }));
  EXPECT_EQ(greedy.refusals[0], "this connection already holds seat 0");
  EXPECT_EQ(greedy.welcomes.size(), 1u);
  EXPECT_EQ(s.server.connectedStations(), 1);
  // A second holder of seat 0's token gets no seat (not seat 1, not seat 0 while its holder
  // talks: it sends inputs all along).
  SessionStation copy({.port = s.server.port(), .connectToken = s.token(0)});
  ASSERT_TRUE(s.run(
      5, [&] { greedy.inputs(1, 0), greedy.poll(), copy.update(seconds(), nullptr); },
      [&] { return copy.state() == StationState::Refused; }));
  EXPECT_EQ(copy.refusal(), "seat 0 is held by a connected station (its resume token takes it over)");
  // Seat 1 is still free for its own station.
  SessionStation real({.port = s.server.port(), .connectToken = s.token(1)});
  ASSERT_TRUE(s.run(
      5, [&] { greedy.poll(), real.update(seconds(), nullptr); },
      [&] { return real.state() == StationState::Playing && real.stats().snapshots > 5; }));
  EXPECT_EQ(real.seat(), 1);
  EXPECT_EQ(s.server.connectedStations(), 2);
}

TEST(Admission, ResumeTokensAreRandomAndAGuessedOrStaleOneFails) {
  Session s;
  SessionStation a({.port = s.server.port(), .connectToken = s.token(0)});
  ASSERT_TRUE(s.run(5, [&] { a.update(seconds(), nullptr); }, [&] { return a.state() == StationState::Playing; }));
  const uint64_t token = a.token();
  EXPECT_NE(token, 0u);
  EXPECT_GT(token >> 32, 0u) << "64 random bits (a 1 in 2^32 chance of a false failure)";
  // Another server's first token differs: nothing is predictable from a counter.
  Session other;
  SessionStation b({.port = other.server.port(), .connectToken = other.token(0)});
  ASSERT_TRUE(other.run(5, [&] { b.update(seconds(), nullptr); }, [&] { return b.state() == StationState::Playing; }));
  EXPECT_NE(b.token(), token);

  // Guesses near the real one, without a credential.
  std::vector<std::unique_ptr<SessionStation>> guesses;
  const std::array<uint64_t, 4> guessed = {token + 1, token - 1, token ^ 0x8000000000000000ull,
                                           uint64_t(0x5eedu * 2654435761u | 1u)};  // the old counter's first
  for (uint64_t g : guessed)
    guesses.push_back(std::make_unique<SessionStation>(StationDesc{.port = s.server.port(), .resumeToken = g}));
  // The real token while its holder plays, without the seat's credential: refused.
  guesses.push_back(std::make_unique<SessionStation>(StationDesc{.port = s.server.port(), .resumeToken = token}));
  const auto all = [&] {
    a.update(seconds(), nullptr);
    for (auto& g : guesses) g->update(seconds(), nullptr);
  };
  ASSERT_TRUE(s.run(5, all, [&] {
    for (auto& g : guesses)
      if (g->state() != StationState::Refused) return false;
    return true;
  }));
  for (size_t i = 0; i + 1 < guesses.size(); ++i)
    EXPECT_EQ(guesses[i]->refusal(), "unknown resume token (the session may have restarted)");
  EXPECT_EQ(guesses.back()->refusal(),
            "seat 0 is held by a connected station (taking it over needs the seat's credential too)");
  EXPECT_EQ(a.state(), StationState::Playing);

  // The seat's credential holder comes back on a new connection (a restarted station): it takes
  // the seat, with a new resume token; the old token is worthless from then on.
  auto restarted = std::make_unique<SessionStation>(StationDesc{.port = s.server.port(), .connectToken = s.token(0), .resumeToken = token});
  ASSERT_TRUE(s.run(
      5, [&] { a.update(seconds(), nullptr), restarted->update(seconds(), nullptr); },
      [&] { return restarted->state() == StationState::Playing; }));
  EXPECT_EQ(restarted->seat(), 0);
  EXPECT_EQ(restarted->token(), token) << "a resume keeps the seat's token";
  EXPECT_EQ(s.server.connectedStations(), 1) << "one holder: the older connection was let go";
  restarted.reset();  // gone without a word; the server notices its silence
  ASSERT_TRUE(s.run(20, [] {}, [&] { return s.server.connectedStations() == 0; }));
  SessionStation retaken({.port = s.server.port(), .connectToken = s.token(0)});
  ASSERT_TRUE(s.run(
      8, [&] { retaken.update(seconds(), nullptr); }, [&] { return retaken.state() == StationState::Playing; }));
  EXPECT_NE(retaken.token(), token) << "a new holder, a new resume token";
  SessionStation stale({.port = s.server.port(), .resumeToken = token});
  ASSERT_TRUE(s.run(
      5, [&] { retaken.update(seconds(), nullptr), stale.update(seconds(), nullptr); },
      [&] { return stale.state() == StationState::Refused; }));
  EXPECT_EQ(stale.refusal(), "unknown resume token (the session may have restarted)");
}

TEST(Admission, AConnectionThatNeverSaysHelloIsDroppedAfterTwoSeconds) {
  Session s;
  Rogue mute(s.server.port());
  double connectedAt = 0;
  ASSERT_TRUE(s.run(3, [&] { mute.poll(); }, [&] { return s.server.pendingConnections() == 1; }));
  connectedAt = seconds();
  ASSERT_TRUE(s.run(20, [&] { mute.poll(); }, [&] { return s.server.stats().handshakeTimeouts == 1; }));
  EXPECT_GE(seconds() - connectedAt, 1.9) << "the handshake has 2 s";
  EXPECT_EQ(s.server.pendingConnections(), 0);
  // Its slot is free again: a real station joins.
  SessionStation real({.port = s.server.port(), .connectToken = s.token(0)});
  ASSERT_TRUE(s.run(5, [&] { real.update(seconds(), nullptr); }, [&] { return real.state() == StationState::Playing; }));
}

// A laptop on the floor opens connections to a session's port as fast as it can and never
// says hello. One machine holds at most maxStations connections without a credential (the
// rest are reset at once), so the stations, from another machine, still find free slots.
// (The crowd binds 127.0.0.2: another machine, as the server counts them.)
TEST(Admission, ACrowdOfConnectionsFromOneMachineLeavesTheSeatsFree) {
  SessionServer server({.title = "hockey", .setup = {.players = 2, .seed = 4, .skill = 1, .durationSeconds = 120}, .maxStations = 2});
  const auto token = [&](int seat) {
    return issueToken(server.key(), seat, "hockey", unixSeconds() + 600);
  };
  Host crowd = Host::server(0, 64, "127.0.0.2");
  std::deque<_ENetPeer*> open;
  double lastOpen = 0;
  const auto flood = [&] {
    // A new connection every 20 ms, for as long as the test runs: the oldest of its own is
    // dropped to make room (the server reset most of them long before).
    if (seconds() - lastOpen > 0.02) {
      lastOpen = seconds();
      if (open.size() >= 48) {
        crowd.reset(open.front());
        open.pop_front();
      }
      open.push_back(crowd.connect("127.0.0.1", server.port()));
    }
    crowd.poll(0, [](const HostEvent&) {});
  };
  const auto runFor = [&](double s, auto&& also, auto&& until) {
    const double end = seconds() + s;
    while (seconds() < end) {
      server.update(seconds(), 1);
      flood();
      also();
      if (until()) return true;
    }
    return false;
  };
  // The crowd gets going: it holds the machine's share, and the server resets the rest. (Without
  // the share, the crowd held every slot from here on, and station b never got one in 20 s.)
  ASSERT_TRUE(runFor(20, [] {}, [&] { return server.stats().crowded >= 4 && server.pendingConnections() == 2; }))
      << "crowded " << server.stats().crowded << ", pending " << server.pendingConnections();
  // Both stations are seated while the crowd goes on.
  SessionStation a({.port = server.port(), .connectToken = token(0)});
  SessionStation b({.port = server.port(), .connectToken = token(1)});
  ASSERT_TRUE(runFor(
      20, [&] { a.update(seconds(), nullptr), b.update(seconds(), nullptr); },
      [&] { return a.state() == StationState::Playing && b.state() == StationState::Playing; }))
      << "a: " << int(a.state()) << " b: " << int(b.state()) << ", crowded " << server.stats().crowded;
  EXPECT_EQ(server.connectedStations(), 2);
  EXPECT_LE(server.pendingConnections(), 2);
}

TEST(Admission, ASeatedConnectionThatFallsSilentIsDropped) {
  Session s;
  Rogue quiet(s.server.port());
  ASSERT_TRUE(s.run(3, [&] { quiet.poll(); }, [&] { return quiet.connected; }));
  quiet.hello(s.token(0));
  ASSERT_TRUE(s.run(3, [&] { quiet.poll(); }, [&] { return !quiet.welcomes.empty(); }));
  ASSERT_EQ(s.server.connectedStations(), 1);
  // ENet keeps answering pings for it; it sends no inputs. Dropped after the 3 s timeout.
  ASSERT_TRUE(s.run(20, [&] { quiet.receive(); }, [&] { return s.server.connectedStations() == 0; }));
  EXPECT_EQ(s.server.stats().silentDropped, 1u);
}

TEST(Admission, AnAbsurdTickIsRefusedAndCountedAndSnapshotsGoOn) {
  Session s;
  Rogue r(s.server.port());
  ASSERT_TRUE(s.run(3, [&] { r.poll(); }, [&] { return r.connected; }));
  r.hello(s.token(0));
  ASSERT_TRUE(s.run(3, [&] { r.poll(); }, [&] { return r.snapshots > 3; }));
  const uint64_t tick = s.server.title().tick();
  r.inputs((uint64_t(1) << 39), r.newestSnapshot);  // far in the future
  r.inputs(tick + 100000, r.newestSnapshot);
  r.inputs(tick, r.newestSnapshot + 1000000);       // acknowledges a snapshot never sent
  const uint64_t before = r.snapshots;
  ASSERT_TRUE(s.run(3, [&] { r.poll(), r.inputs(s.server.title().tick() + 2, r.newestSnapshot); },
                    [&] { return r.snapshots > before + 30; }))
      << "snapshots stopped after an absurd tick";
  EXPECT_EQ(s.server.stats().inputsRefused, 3u);
  EXPECT_NE(s.server.statsJson().find("\"inputs_refused\":3"), std::string::npos) << s.server.statsJson();
}

// ---- The session's start (ServerDesc::holdSeconds: the lobby and the 3-2-1 start) ------------------

TEST(SessionStart, TheTitleIsHeldThroughTheLobbyAndStartsAtTheAnnouncedTick) {
  // A hold long enough for a loaded machine to connect and be welcomed within it (1.5 s was
  // not, once, with compilers holding both cores).
  SessionServer server({.title = "hockey", .setup = {.players = 2, .seed = 4, .skill = 1, .durationSeconds = 120},
                        .holdSeconds = 4.0});
  const uint64_t hold = server.holdTicks();
  ASSERT_EQ(hold, uint64_t(std::llround(4.0 * server.title().info().tickRateHz)));
  const uint64_t setUp = server.title().stateHash();
  Rogue visitor(server.port());
  const auto token = issueToken(server.key(), 0, "hockey", unixSeconds() + 600);
  double now = seconds();
  const auto step = [&] {
    now = seconds();
    server.update(now, 1);
    visitor.receive();
  };
  for (double end = seconds() + 5; seconds() < end && !visitor.connected;) step();
  ASSERT_TRUE(visitor.connected);
  visitor.hello(token);
  for (double end = seconds() + 5; seconds() < end && visitor.welcomes.empty();) step();
  ASSERT_EQ(visitor.welcomes.size(), 1u);
  const Welcome w = visitor.welcomes[0];
  EXPECT_EQ(w.holdTicks, hold);
  EXPECT_LT(w.clockTick, hold) << "welcomed in the lobby";
  EXPECT_EQ(w.serverTick, 0u);
  // Through the hold: inputs (a hard push of the hand, every 20 ms) are ignored, nothing is
  // stepped or sent, the state is the set-up state.
  core::InputFrame push;
  push.hands[1].position = {0.3f, 0.0f, 0.4f};
  push.hands[1].tracked = true;
  push.steer = 1;
  uint64_t heldSteps = 0;
  double lastInput = 0;
  while (server.holding(now)) {
    if (seconds() - lastInput > 0.02) {
      lastInput = seconds();
      for (uint64_t t = 1; t <= 3; ++t) visitor.inputs(t, 0, push);
    }
    step();
    ++heldSteps;
    EXPECT_EQ(server.title().tick(), 0u);
    if (server.title().tick() != 0) break;
  }
  EXPECT_GT(heldSteps, 10u);
  EXPECT_EQ(server.title().stateHash(), setUp) << "the title moved during the hold";
  EXPECT_EQ(server.stats().inputsRefused, 0u) << "held inputs are ignored, not refused";
  // ...and not stored: the seat holds no input ahead (the rates, once a second, say so).
  EXPECT_EQ(server.stats().stations[0].inputLeadTicks, 0) << "the held inputs were stored";
  EXPECT_EQ(visitor.snapshots, 0u);
  EXPECT_EQ(server.connectedStations(), 1);
  // Then it plays, from the announced tick: the title's tick is the clock's past the hold.
  for (double end = seconds() + 5; seconds() < end && visitor.snapshots < 10;) {
    step();
    const uint64_t clock = server.clockTick(now);
    ASSERT_GE(clock, hold);
    EXPECT_LE(server.title().tick(), clock - hold);
  }
  EXPECT_GE(visitor.snapshots, 10u);
  EXPECT_GT(server.title().tick(), 0u);
  EXPECT_NE(server.title().stateHash(), setUp);
}

TEST(SessionStart, AStationThatJoinsLateKnowsTheStartAndNoneIsDroppedForSilence) {
  // Seated stations send nothing before the start: a hold longer than the silence limit.
  SessionServer server({.title = "hockey", .setup = {.players = 2, .seed = 4, .skill = 1, .durationSeconds = 60},
                        .timeoutMs = 800, .holdSeconds = 3.0});
  const auto credential = [&](int seat) { return issueToken(server.key(), seat, "hockey", unixSeconds() + 600); };
  SessionStation early({.port = server.port(), .connectToken = credential(0), .timeoutMs = 800});
  std::optional<SessionStation> late;
  EXPECT_LT(early.secondsToStart(seconds()), 0) << "not known before the Welcome";
  const auto run = [&](double s, auto until) {
    for (const double end = seconds() + s; seconds() < end;) {
      server.update(seconds(), 1);
      early.update(seconds(), nullptr, 0);
      if (late) late->update(seconds(), nullptr, 0);
      if (until()) return true;
    }
    return false;
  };
  ASSERT_TRUE(run(5, [&] { return early.title() != nullptr; }));
  const double first = early.secondsToStart(seconds());
  EXPECT_GT(first, 0.5);
  EXPECT_LE(first, 3.0);
  // A second later the other seat joins: it knows the same start.
  run(1.0, [] { return false; });
  late.emplace(StationDesc{.port = server.port(), .connectToken = credential(1), .timeoutMs = 800});
  ASSERT_TRUE(run(5, [&] { return late->title() != nullptr; }));
  const double now = seconds();
  if (server.holding(now)) {
    EXPECT_GT(late->secondsToStart(now), 0);
    EXPECT_NEAR(late->secondsToStart(now), early.secondsToStart(now), 0.5);
  }
  // Both play once it started; nobody was dropped for the silent lobby.
  ASSERT_TRUE(run(10, [&] { return early.hasView() && late->hasView(); }));
  EXPECT_EQ(early.secondsToStart(seconds()), 0);
  EXPECT_EQ(late->secondsToStart(seconds()), 0);
  EXPECT_EQ(server.stats().silentDropped, 0u);
  EXPECT_EQ(early.stats().reconnects, 0u);
  // One that joins after the start is told so at once.
  SessionStation after({.port = server.port(), .connectToken = credential(0), .resumeToken = early.token()});
  for (const double end = seconds() + 5; seconds() < end && !after.title();) {
    server.update(seconds(), 1);
    after.update(seconds(), nullptr, 0);
  }
  ASSERT_NE(after.title(), nullptr);
  EXPECT_EQ(after.secondsToStart(seconds()), 0);
}

}  // namespace
}  // namespace pav::net
