// The director with real station agents and real operator requests over loopback ENet, the
// real control channel (libsodium) and real session server processes (the pavilion binary).
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "director_fixture.h"
#include "pav/net/token.h"

namespace pav::director {
namespace {

TEST_F(DirectorTest, SixteenAgentsRegisterAndReportAtOnce) {
  for (int i = 1; i <= 16; ++i) addAgent("station-" + std::to_string(i), key_);
  // Registered, and each has sent health since (its uptime has grown past a second).
  ASSERT_TRUE(pump(10, [&] {
    if (online() < 16) return false;
    for (const StationRecord& s : director_->state().stations)
      if (s.health.uptime < 1.5) return false;
    return true;
  })) << online() << " of 16 online";
  const auto& stations = director_->state().stations;
  ASSERT_EQ(stations.size(), 16u);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(stations[i].name, "station-" + std::to_string(i + 1));
    EXPECT_EQ(stations[i].number, i + 1);
    EXPECT_EQ(stations[i].state, StationState::Idle);
  }
  EXPECT_EQ(director_->refusedMessages(), 0u);
  // The dashboard's copy of the floor says the same.
  EXPECT_EQ(director_->floor()["stations"].size(), 16u);
  EXPECT_GT(director_->floorVersion(), 0u);
}

TEST_F(DirectorTest, AStationSilentForThreeSecondsIsOffline) {
  StationAgent& quiet = addAgent("station-1", key_);
  addAgent("station-2", key_);
  ASSERT_TRUE(pump(5, [&] { return online() == 2; }));
  const double silentFrom = clock_.elapsed();
  // station-1 stops talking (its process hangs): no health, no ENet pings.
  ASSERT_TRUE(pump(6, [&] { return !director_->state().stations[0].online; }, {&quiet}));
  const double silent = clock_.elapsed() - silentFrom;
  EXPECT_GE(silent, 2.9);
  EXPECT_LE(silent, 4.0);
  EXPECT_TRUE(director_->state().stations[1].online);
  EXPECT_EQ(ask({{"command", "stations"}})["stations"][0]["state"], "offline");
}

TEST_F(DirectorTest, LaunchStartsAServerAndSendsOrdersThenStopReachesTheStations) {
  StationAgent& a = addAgent("station-1", key_);
  StationAgent& b = addAgent("station-2", key_);
  ASSERT_TRUE(pump(5, [&] { return online() == 2; }));
  const json reply = ask({{"command", "launch"}, {"title", "hockey"}, {"stations", {"1", "station-2"}}, {"minutes", 1}});
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  const std::string id = reply["session"];
  std::optional<LaunchOrder> orderA, orderB;
  ASSERT_TRUE(pump(15, [&] {
    if (!orderA) orderA = a.takeLaunch();
    if (!orderB) orderB = b.takeLaunch();
    return orderA && orderB;
  })) << "no launch orders";
  EXPECT_EQ(orderA->session, id);
  EXPECT_EQ(orderA->title, "hockey");
  EXPECT_GT(orderA->port, 0);
  EXPECT_EQ(orderA->port, orderB->port);
  EXPECT_NEAR(orderA->seconds, 60, 15);
  // The server really listens there: a session server's log line says so.
  const Session* s = director_->state().sessions.data();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->port, orderA->port);
  EXPECT_GT(s->pid, 0);
  // Each order carries its seat's credential, sealed with the session's own key, which the
  // server got in a private file and not on its command line (net/PROTOCOL.md, "Admission").
  ASSERT_TRUE(orderA->token && orderB->token);
  const std::string keyFile = desc_.stateDir + "/sessions/" + id + ".key";
  EXPECT_EQ(std::filesystem::status(keyFile).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const net::SessionKey sessionKey = net::SessionKey::load(keyFile);
  net::TokenClaims claimsA, claimsB;
  EXPECT_EQ(net::openToken(sessionKey, *orderA->token, net::unixSeconds(), claimsA), net::TokenCheck::Ok);
  EXPECT_EQ(net::openToken(sessionKey, *orderB->token, net::unixSeconds(), claimsB), net::TokenCheck::Ok);
  EXPECT_EQ(claimsA.seat, 0);
  EXPECT_EQ(claimsB.seat, 1);
  EXPECT_EQ(claimsA.title, "hockey");
  EXPECT_GT(claimsA.expires, net::unixSeconds() + 60) << "valid for the session's minute and a margin";
  std::ifstream cmdline("/proc/" + std::to_string(s->pid) + "/cmdline");
  const std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
  const std::string text = sessionKey.text();
  EXPECT_NE(args.find("--session-key"), std::string::npos);
  EXPECT_EQ(args.find(text.substr(text.find("key = ") + 6, 64)), std::string::npos) << "the key is on the command line";
  // Stopping the session tells both stations and ends its server.
  ASSERT_TRUE(ask({{"command", "stop"}, {"target", id}}).value("ok", false));
  std::optional<std::string> stopA, stopB;
  ASSERT_TRUE(pump(5, [&] {
    if (!stopA) stopA = a.takeStop();
    if (!stopB) stopB = b.takeStop();
    return stopA && stopB;
  }));
  EXPECT_EQ(*stopA, id);
  EXPECT_EQ(director_->state().sessions[0].state, SessionState::Ended);
  // The session is over: its key is gone with it, so nobody is admitted with it again.
  EXPECT_FALSE(std::filesystem::exists(keyFile));
  const int pid = director_->state().sessions[0].pid;
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    gone = ::kill(pid, 0) != 0 || std::filesystem::exists("/proc/" + std::to_string(pid) + "/status") == false;
    // A child that exited but is not yet reaped counts as gone too.
    if (!gone) {
      std::ifstream status("/proc/" + std::to_string(pid) + "/status");
      std::string line;
      while (std::getline(status, line))
        if (line.rfind("State:", 0) == 0 && line.find('Z') != std::string::npos) gone = true;
    }
  }
  EXPECT_TRUE(gone) << "the session server " << pid << " still runs";
}

TEST_F(DirectorTest, BadLaunchesAreRefusedWithTheirReasons) {
  addAgent("station-1", key_);
  addAgent("station-2", key_);
  addAgent("station-3", key_);
  ASSERT_TRUE(pump(5, [&] { return online() == 3; }));
  const auto error = [&](json request) {
    request["command"] = "launch";
    const json reply = ask(request);
    EXPECT_FALSE(reply.value("ok", true)) << reply.dump();
    return reply.value("error", std::string());
  };
  EXPECT_EQ(error({{"title", "curling"}, {"stations", {"1"}}, {"minutes", 1}}),
            "unknown title 'curling' (titles: cycling, driving, hockey)");
  EXPECT_EQ(error({{"title", "hockey"}, {"stations", {"9"}}, {"minutes", 1}}),
            "unknown station '9' (stations: 1 station-1, 2 station-2, 3 station-3)");
  for (const json& minutes : {json(0), json(-2), json(241), json("5"), json(nullptr)})
    EXPECT_NE(error({{"title", "hockey"}, {"stations", {"1"}}, {"minutes", minutes}}).find("bad duration"), std::string::npos)
        << minutes.dump();
  EXPECT_EQ(error({{"title", "hockey"}, {"stations", {"1", "2", "3"}}, {"minutes", 1}}), "hockey seats at most 2 station(s)");
  EXPECT_EQ(error({{"title", "hockey"}, {"stations", {"1", "station-1"}}, {"minutes", 1}}), "station-1 is named twice");
  EXPECT_EQ(error({{"title", "hockey"}, {"stations", json::array()}, {"minutes", 1}}), "no stations given (for example --stations 1,2)");
  EXPECT_EQ(error({{"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}, {"difficulty", "insane"}}),
            "bad difficulty 'insane' (valid: easy, medium, hard, fair)");
  EXPECT_EQ(error({{"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}, {"difficulty", "2"}}),
            "bad difficulty '2' (valid: easy, medium, hard, fair)");
  EXPECT_EQ(ask({{"command", "dance"}})["error"],
            "unknown command 'dance' (commands: stations, status, launch, stop, logs, keep, volume, report, move, view, "
            "alerts, ack)");
  EXPECT_EQ(ask(json::array()).value("error", std::string()), "a request is a JSON object");
  EXPECT_TRUE(director_->state().sessions.empty());
  // A busy station.
  ASSERT_TRUE(ask({{"command", "launch"}, {"title", "cycling"}, {"stations", {"3"}}, {"minutes", 1}}).value("ok", false));
  EXPECT_EQ(error({{"title", "hockey"}, {"stations", {"3"}}, {"minutes", 1}}), "station-3 is busy with session s1 (stop it first)");
}

// ---- Keeping replays -----------------------------------------------------------------------------

TEST_F(DirectorTest, AReplayIsKeptAfterItsSessionLeftTheFloorAndNeverTwice) {
  desc_.endedSeconds = 0.5;
  restartDirector();
  addAgent("station-1", key_);
  ASSERT_TRUE(pump(5, [&] { return online() == 1; }));
  const auto error = [&](const json& request) {
    json r = request;
    r["command"] = "keep";
    const json reply = ask(r);
    EXPECT_FALSE(reply.value("ok", true)) << reply.dump();
    return reply.value("error", std::string());
  };
  // A 3-second match.
  const json launched = ask({{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 0.05}});
  ASSERT_TRUE(launched.value("ok", false)) << launched.dump();
  const std::string id = launched["session"];
  EXPECT_EQ(error({{"session", id}}), "session " + id + " is still running; keep it when it has ended");

  // It ends, leaves the floor and is remembered, also in the dashboard's copy.
  ASSERT_TRUE(pump(30, [&] { return director_->state().sessions.empty() && !director_->state().recent.empty(); }))
      << ask({{"command", "status"}}).dump();
  const json recent = director_->floor()["recent"];
  ASSERT_EQ(recent.size(), 1u) << recent.dump();
  EXPECT_EQ(recent[0]["id"], id);
  EXPECT_EQ(recent[0]["title"], "hockey");
  EXPECT_EQ(recent[0]["stations"], json({"station-1"}));
  EXPECT_EQ(recent[0]["endReason"], "time up");
  EXPECT_EQ(recent[0]["replay"], true);
  EXPECT_EQ(recent[0]["kept"], "");
  const double endedAt = recent[0]["endedAt"];
  const double wallNow = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(endedAt, wallNow, 30);

  // Refusals, each with its reason; nothing is kept by them.
  for (const std::string& bad : {std::string(), std::string("../escape"), std::string("a/b"), std::string(".."),
                                 std::string("x..y"), std::string(".hidden"), std::string("two words"), std::string(65, 'n')}) {
    EXPECT_EQ(error({{"session", id}, {"name", bad}}).rfind("bad name '" + bad + "' for a kept replay: ", 0), 0u) << bad;
  }
  EXPECT_EQ(error({{"session", id}, {"name", 7}}), "the name of a kept replay is a string");
  EXPECT_EQ(error({{"session", "s99"}}).rfind("unknown session 's99': no replay of it in ", 0), 0u);
  EXPECT_EQ(error({{"session", "../s1"}}), "bad session '../s1'");
  EXPECT_EQ(error(json::object()), "which session? (\"session\": \"s3\")");
  EXPECT_FALSE(fs::exists(dir_ / "state" / "kept" / (std::string(65, 'n') + ".replay")));
  EXPECT_FALSE(fs::exists(dir_ / "escape.replay"));

  // Kept: a copy of the session's replay under its name, and the floor says so.
  const uint64_t version = director_->floorVersion();
  const json kept = ask({{"command", "keep"}, {"session", id}, {"name", "final"}});
  ASSERT_TRUE(kept.value("ok", false)) << kept.dump();
  const fs::path path = dir_ / "state" / "kept" / "final.replay";
  EXPECT_EQ(fs::path(kept["path"].get<std::string>()), path);
  ASSERT_TRUE(fs::is_regular_file(path));
  EXPECT_GT(fs::file_size(path), 0u);
  EXPECT_EQ(fs::file_size(path), fs::file_size(dir_ / "state" / "sessions" / (id + ".replay")));
  ASSERT_TRUE(pump(2, [&] { return director_->floorVersion() > version; }));
  EXPECT_EQ(director_->floor()["recent"][0]["kept"], "final");
  EXPECT_EQ(fs::path(director_->floor()["recent"][0]["keptPath"].get<std::string>()), path);

  // Twice, under another name or its id: refused, saying where it is.
  EXPECT_EQ(error({{"session", id}, {"name", "again"}}), "session " + id + " is already kept as 'final' (" + path.string() + ")");
  EXPECT_EQ(error({{"session", id}}), "session " + id + " is already kept as 'final' (" + path.string() + ")");
  EXPECT_FALSE(fs::exists(dir_ / "state" / "kept" / "again.replay"));

  // After a restart: the recent list is still there, and an older session's replay (one no
  // director remembers) can be kept, never over a name already taken.
  fs::copy_file(dir_ / "state" / "sessions" / (id + ".replay"), dir_ / "state" / "sessions" / "s77.replay");
  agents_.clear();
  restartDirector();
  const json after = director_->floor()["recent"];
  ASSERT_EQ(after.size(), 1u) << after.dump();
  EXPECT_EQ(after[0]["id"], id);
  EXPECT_EQ(after[0]["kept"], "final");
  const std::string taken = error({{"session", "s77"}, {"name", "final"}});
  EXPECT_EQ(taken, "a replay named 'final' is already kept (" + path.string() + "); choose another name");
  EXPECT_EQ(fs::file_size(path), fs::file_size(dir_ / "state" / "sessions" / (id + ".replay"))) << "overwritten";
  const std::string longest(64, 'k');
  const json old = ask({{"command", "keep"}, {"session", "s77"}, {"name", longest}});
  ASSERT_TRUE(old.value("ok", false)) << old.dump();
  EXPECT_TRUE(fs::is_regular_file(dir_ / "state" / "kept" / (longest + ".replay")));
}

// ---- Refused control messages ------------------------------------------------------------------

TEST_F(DirectorTest, ForgedUnsignedAndReplayedControlMessagesAreRefused) {
  addAgent("station-1", key_);
  ASSERT_TRUE(pump(5, [&] { return online() == 1; }));
  const json launch = {{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}};

  // Greets the director (as `role`, with `key`) and returns the client once it has the greeting.
  const auto open = [&](const net::ControlKey& key, net::Role role) {
    auto c = std::make_unique<RawClient>(key, role);
    c->peer = c->host.connect("127.0.0.1", director_->port());
    EXPECT_TRUE(pump(3, [&] {
      c->poll();
      return !c->received.empty();
    }));
    std::string error;
    EXPECT_TRUE(c->link.acceptGreeting(c->received.at(0), error)) << error;
    c->received.clear();
    c->send(c->link.greeting());
    return c;
  };
  const auto refusedAfter = [&](RawClient& c, uint64_t before) {
    return pump(3, [&] {
      c.poll();
      return director_->refusedMessages() > before;
    });
  };

  // Sealed with another key (a laptop that guessed the format).
  {
    auto c = open(testKey(9), net::Role::Operator);
    const uint64_t before = director_->refusedMessages();
    c->send(c->link.seal(net::ControlType::Request, launch));
    EXPECT_TRUE(refusedAfter(*c, before));
    EXPECT_TRUE(pump(3, [&] { c->poll(); return c->closed; })) << "an operator with a bad message is not dropped";
    EXPECT_TRUE(c->received.empty()) << "the director answered a forged request";
  }
  // Unsigned: a well-formed envelope whose MAC is zeros.
  {
    auto c = open(key_, net::Role::Operator);
    std::vector<uint8_t> bytes = c->link.seal(net::ControlType::Request, launch);
    std::fill(bytes.end() - net::kMacBytes, bytes.end(), 0);
    const uint64_t before = director_->refusedMessages();
    c->send(bytes);
    EXPECT_TRUE(refusedAfter(*c, before));
    EXPECT_TRUE(c->received.empty());
  }
  // Recorded on one connection, replayed on the next.
  std::vector<uint8_t> recorded;
  {
    auto c = open(key_, net::Role::Operator);
    recorded = c->link.seal(net::ControlType::Request, {{"command", "stations"}});
    c->send(recorded);
    ASSERT_TRUE(pump(3, [&] { c->poll(); return !c->received.empty(); })) << "a good request got no reply";
    EXPECT_TRUE(c->link.open(c->received[0]).ok);
    // ...and replayed on the same connection.
    const uint64_t before = director_->refusedMessages();
    c->send(recorded);
    EXPECT_TRUE(refusedAfter(*c, before));
  }
  {
    auto c = open(key_, net::Role::Operator);
    const uint64_t before = director_->refusedMessages();
    c->send(recorded);
    EXPECT_TRUE(refusedAfter(*c, before));
    EXPECT_TRUE(c->received.empty());
  }
  // A station's health replayed: refused, the station stays as it was.
  {
    auto c = open(key_, net::Role::Station);
    c->send(c->link.seal(net::ControlType::Register, {{"name", "station-9"}, {"state", "idle"}}));
    const std::vector<uint8_t> health = c->link.seal(net::ControlType::Health, {{"state", "idle"}, {"fps", 90}});
    c->send(health);
    ASSERT_TRUE(pump(3, [&] { c->poll(); return online() == 2; }));
    const uint64_t before = director_->refusedMessages();
    c->send(health);
    EXPECT_TRUE(refusedAfter(*c, before));
  }
  // Nothing of it launched anything.
  EXPECT_TRUE(director_->state().sessions.empty());
  EXPECT_EQ(director_->refusedMessages(), 5u);
}

TEST_F(DirectorTest, AReportWithABadStateIsRefusedWholeAndTheDirectorPlaysOn) {
  // A station with the pavilion's key whose reports are wrong (another version, a bug): each
  // bad one is refused and changes nothing; the director keeps serving.
  RawClient c(key_, net::Role::Station);
  c.peer = c.host.connect("127.0.0.1", director_->port());
  ASSERT_TRUE(pump(3, [&] { c.poll(); return !c.received.empty(); }));
  std::string error;
  ASSERT_TRUE(c.link.acceptGreeting(c.received.at(0), error)) << error;
  c.send(c.link.greeting());
  // A registration with an unknown state is refused: no station appears.
  c.send(c.link.seal(net::ControlType::Register, {{"name", "station-5"}, {"state", "dancing"}}));
  ASSERT_TRUE(pump(3, [&] { c.poll(); return director_->refusedMessages() == 1; }));
  EXPECT_EQ(director_->state().stations.size(), 0u);
  c.send(c.link.seal(net::ControlType::Register, {{"name", "station-5"}, {"state", "playing"}, {"fps", 72}}));
  ASSERT_TRUE(pump(3, [&] { c.poll(); return online() == 1; }));
  const StationRecord& s = director_->state().stations.at(0);
  EXPECT_EQ(s.state, StationState::Playing);
  EXPECT_EQ(s.health.fps, 72);
  // Each: a state, and the fps that goes with it (a known state with an fps of the wrong type).
  const auto report = [](json state, json fps) {
    json body = json::object();
    body["state"] = std::move(state);
    body["fps"] = std::move(fps);
    return body;
  };
  const std::vector<json> bad = {
      report("Playing", 1),  // names are lowercase
      report("offline", 1),  // the director's word, never a station's
      report("", 1),
      report(3, 1),
      report(nullptr, 1),
      report(json::object({{"nested", true}}), 1),
      report(json::array({"idle"}), 1),
      report("idle", "fast"),
      report("idle", 1e30),  // numbers out of range: refused whole, never converted
      {{"state", "idle"}, {"seat", 1e30}},
      {{"state", "idle"}, {"seat", -7}},
      {{"state", "idle"}, {"seat", 1.5}},
      {{"state", "idle"}, {"missedFrames", -1.5}},
      {{"state", "idle"}, {"rttMs", "2"}},
      {{"state", "idle"}, {"loss", 2.0}},
      {{"state", "idle"}, {"link", "down"}},  // not one of the link's names
      {{"state", "idle"}, {"link", 2}},
      {{"state", "idle"}, {"outages", -1}},
      {{"state", "idle"}, {"longestOutageMs", "long"}},
      // The trainer: an object with its state in words and power and cadence in range.
      {{"state", "idle"}, {"trainer", "riding"}},
      {{"state", "idle"}, {"trainer", {{"state", 7}}}},
      {{"state", "idle"}, {"trainer", {{"watts", 200}}}},
      {{"state", "idle"}, {"trainer", {{"state", "<b>riding</b>"}}}},
      {{"state", "idle"}, {"trainer", {{"state", ""}}}},
      {{"state", "idle"}, {"trainer", {{"state", "riding"}, {"watts", 5000}}}},
      {{"state", "idle"}, {"trainer", {{"state", "riding"}, {"watts", -1}}}},
      {{"state", "idle"}, {"trainer", {{"state", "riding"}, {"cadenceRpm", 1e9}}}},
  };
  uint64_t refused = director_->refusedMessages();
  for (const json& body : bad) {
    c.send(c.link.seal(net::ControlType::Health, body));
    EXPECT_TRUE(pump(3, [&] { c.poll(); return director_->refusedMessages() == refused + 1; })) << body.dump();
    refused = director_->refusedMessages();
    EXPECT_EQ(s.state, StationState::Playing) << body.dump();
    EXPECT_EQ(s.health.fps, 72) << body.dump();
  }
  EXPECT_EQ(ask({{"command", "stations"}})["stations"][0]["state"], "playing");
  // A good report still goes through, with the session's link.
  c.send(c.link.seal(net::ControlType::Health, {{"state", "ended"}, {"fps", 60}, {"link", "bot"}, {"outages", 2},
                                                {"longestOutageMs", 1600.0}, {"correctionMm", 12.5}, {"downKbps", 31.0}}));
  ASSERT_TRUE(pump(3, [&] { c.poll(); return s.state == StationState::Ended; }));
  EXPECT_EQ(s.health.fps, 60);
  EXPECT_EQ(s.health.link, net::LinkState::BotPlays);
  EXPECT_EQ(s.health.outages, 2u);
  const json floorHealth = director_->floor()["stations"][0]["health"];
  EXPECT_EQ(floorHealth["link"], "bot");
  EXPECT_EQ(floorHealth["outages"], 2);
  EXPECT_EQ(floorHealth["longestOutageMs"], 1600.0);
  EXPECT_EQ(floorHealth["correctionMm"], 12.5);
  EXPECT_EQ(director_->floor()["stations"][0]["state"], "ended");
  EXPECT_EQ(director_->floor()["stations"][0]["health"]["trainer"], nullptr) << "no trainer reported: none shown";
  EXPECT_EQ(director_->refusedMessages(), 1u + bad.size());
  // A trainer, connected and ridden, then lost: the dashboard's floor shows each.
  c.send(c.link.seal(net::ControlType::Health, {{"state", "playing"}, {"trainer", {{"state", "riding"}, {"watts", 221.4}, {"cadenceRpm", 88}}}}));
  ASSERT_TRUE(pump(3, [&] { c.poll(); return s.health.trainer == "riding"; }));
  EXPECT_EQ(director_->floor()["stations"][0]["health"]["trainer"], json({{"state", "riding"}, {"watts", 221.0}, {"cadenceRpm", 88.0}}));
  c.send(c.link.seal(net::ControlType::Health, {{"state", "playing"}, {"trainer", {{"state", "trainer lost"}, {"watts", 0}, {"cadenceRpm", 0}}}}));
  ASSERT_TRUE(pump(3, [&] { c.poll(); return s.health.trainer == "trainer lost"; }));
  EXPECT_EQ(director_->floor()["stations"][0]["health"]["trainer"]["state"], "trainer lost");
  EXPECT_EQ(director_->refusedMessages(), 1u + bad.size());
}

}  // namespace
}  // namespace pav::director
