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

#include "agent.h"
#include "director.h"
#include "pav/core/fixed_step.h"

namespace pav::director {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

net::ControlKey testKey(uint8_t fill = 7) {
  std::array<uint8_t, net::ControlKey::kBytes> bytes;
  bytes.fill(fill);
  return net::ControlKey::fromBytes(bytes);
}

class DirectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pav-director-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    DirectorDesc desc;
    desc.port = 0;
    desc.stateDir = (dir_ / "state").string();
    desc.program = PAV_BIN;
    desc.titles = {{"cycling", 8}, {"driving", 4}, {"hockey", 2}};
    director_ = std::make_unique<Director>(desc, key_);
  }
  void TearDown() override {
    // Stop any server a test left running.
    for (const Session& s : director_->state().sessions)
      if (s.state != "ended") director_->handle({{"command", "stop"}, {"target", s.id}}, clock_.elapsed());
    agents_.clear();
    director_.reset();
    fs::remove_all(dir_);
  }
  StationAgent& addAgent(const std::string& name, const net::ControlKey& key) {
    agents_.push_back(std::make_unique<StationAgent>(AgentDesc{.host = "127.0.0.1", .port = director_->port(), .name = name}, key));
    return *agents_.back();
  }
  // Runs the director and every agent until `done` or `seconds` pass.
  template <typename F>
  bool pump(double seconds, F&& done, const std::vector<StationAgent*>& paused = {}) {
    const double until = clock_.elapsed() + seconds;
    while (clock_.elapsed() < until) {
      director_->update(clock_.elapsed(), 2);
      for (auto& a : agents_)
        if (std::find(paused.begin(), paused.end(), a.get()) == paused.end()) a->update(clock_.elapsed(), 0);
      if (done()) return true;
    }
    return false;
  }
  json ask(const json& request) { return director_->handle(request, clock_.elapsed()); }
  size_t online() const {
    size_t n = 0;
    for (const StationRecord& s : director_->state().stations) n += s.online;
    return n;
  }

  fs::path dir_;
  net::ControlKey key_ = testKey();
  core::Stopwatch clock_;
  std::unique_ptr<Director> director_;
  std::vector<std::unique_ptr<StationAgent>> agents_;
};

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
    EXPECT_EQ(stations[i].state, "idle");
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
  // Stopping the session tells both stations and ends its server.
  ASSERT_TRUE(ask({{"command", "stop"}, {"target", id}}).value("ok", false));
  std::optional<std::string> stopA, stopB;
  ASSERT_TRUE(pump(5, [&] {
    if (!stopA) stopA = a.takeStop();
    if (!stopB) stopB = b.takeStop();
    return stopA && stopB;
  }));
  EXPECT_EQ(*stopA, id);
  EXPECT_EQ(director_->state().sessions[0].state, "ended");
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
            "bad difficulty 'insane' (easy, medium or hard)");
  EXPECT_EQ(ask({{"command", "dance"}})["error"], "unknown command 'dance' (commands: stations, status, launch, stop, logs, keep)");
  EXPECT_EQ(ask(json::array()).value("error", std::string()), "a request is a JSON object");
  EXPECT_TRUE(director_->state().sessions.empty());
  // A busy station.
  ASSERT_TRUE(ask({{"command", "launch"}, {"title", "cycling"}, {"stations", {"3"}}, {"minutes", 1}}).value("ok", false));
  EXPECT_EQ(error({{"title", "hockey"}, {"stations", {"3"}}, {"minutes", 1}}), "station-3 is busy with session s1 (stop it first)");
}

// ---- Refused control messages ------------------------------------------------------------------

// A hand-driven connection to the director: what an attacker on the pavilion's network can do.
struct RawClient {
  net::EnetLibrary enet;
  net::Host host = net::Host::client();
  _ENetPeer* peer = nullptr;
  net::ControlLink link;
  std::vector<std::vector<uint8_t>> received;
  bool closed = false;

  RawClient(const net::ControlKey& key, net::Role role) : link(key, role) {}
  void poll() {
    host.poll(1, [&](const net::HostEvent& e) {
      if (e.kind == net::HostEvent::Kind::Received) received.emplace_back(e.data.begin(), e.data.end());
      if (e.kind == net::HostEvent::Kind::Disconnected) closed = true;
    });
  }
  void send(const std::vector<uint8_t>& bytes) {
    host.send(peer, net::kChannelReliable, bytes, true);
    host.flush();
  }
};

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

}  // namespace
}  // namespace pav::director
