// The director on a hostile network and as a parent of processes: the two keys (a station's
// key file can neither launch nor stop), connections that never finish their handshake or go
// silent, malformed message bodies, a server that cannot start, the cap on sessions, reaping
// (no zombies) and telling a server from a process that reused its pid.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "director_fixture.h"
#include "pav/core/error.h"

namespace pav::director {
namespace {

// Children of this process that exited and were never reaped.
std::vector<int> zombieChildren() {
  std::vector<int> zombies;
  for (const fs::directory_entry& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 1));
    std::string state;
    int ppid = 0;
    fields >> state >> ppid;
    if (ppid == ::getpid() && state == "Z") zombies.push_back(std::stoi(name));
  }
  return zombies;
}

// ---- Roles ---------------------------------------------------------------------------------------

TEST_F(DirectorTest, InitWritesAnOperatorFileAndAStationFileThatHoldsNoOperatorSecret) {
  const std::string op = (dir_ / "keys" / "pavilion.key").string();
  const std::string st = net::ControlKey::stationPathFor(op);
  EXPECT_EQ(st, (dir_ / "keys" / "pavilion.station.key").string());
  const net::ControlKey made = net::ControlKey::create(op, "operator-pass-1");
  made.writeStationFile(st);
  EXPECT_EQ(fs::status(st).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  std::ifstream in(st);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("password"), std::string::npos) << text;
  EXPECT_EQ(text.find("\nkey"), std::string::npos) << text;
  const net::ControlKey station = net::ControlKey::load(st), operatorKey = net::ControlKey::load(op);
  EXPECT_FALSE(station.holdsOperatorKey());
  EXPECT_TRUE(operatorKey.holdsOperatorKey());
  EXPECT_EQ(station.stationBytes(), made.stationBytes());
  EXPECT_EQ(operatorKey.stationBytes(), made.stationBytes());
  EXPECT_NE(operatorKey.bytes(), operatorKey.stationBytes());
  EXPECT_FALSE(station.checkPassword("operator-pass-1"));
  EXPECT_TRUE(operatorKey.checkPassword("operator-pass-1"));
  // Never overwritten by accident.
  EXPECT_THROW(made.writeStationFile(st), Error);
  // A station's file cannot act as an operator or a director.
  EXPECT_THROW(net::ControlLink(station, net::Role::Operator), Error);
  EXPECT_THROW(askDirector("127.0.0.1", director_->port(), station, {{"command", "stations"}}), Error);
  EXPECT_THROW(Director(desc_, station), Error);
}

TEST_F(DirectorTest, AStationKeyCanReportButNeitherLaunchNorStop) {
  addAgent("station-1", stationKey_);
  addAgent("station-2", key_);  // the operator file works on a station too (it holds the station key)
  ASSERT_TRUE(pump(5, [&] { return online() == 2; }));
  const json launch = {{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}};
  const auto greeted = [&](const net::ControlKey& key, net::Role role) {
    auto c = std::make_unique<RawClient>(key, role);
    c->peer = c->host.connect("127.0.0.1", director_->port());
    EXPECT_TRUE(pump(3, [&] { c->poll(); return !c->received.empty(); }));
    std::string error;
    EXPECT_TRUE(c->link.acceptGreeting(c->received.at(0), error)) << error;
    c->received.clear();
    c->send(c->link.greeting());
    return c;
  };
  // The station key's bytes, claiming to be an operator: its MACs do not verify as an operator's.
  {
    auto c = greeted(net::ControlKey::fromBytes(stationKey_.stationBytes()), net::Role::Operator);
    const uint64_t before = director_->refusedMessages();
    c->send(c->link.seal(net::ControlType::Request, launch));
    EXPECT_TRUE(pump(3, [&] { c->poll(); return director_->refusedMessages() > before; }));
    c->send(c->link.seal(net::ControlType::Request, {{"command", "stop"}, {"target", "1"}}));
    pump(1, [&] { c->poll(); return false; });
    EXPECT_TRUE(c->received.empty()) << "the director answered a station key's request";
  }
  // As a station, with the station key: a Request is not a station's message.
  {
    auto c = greeted(stationKey_, net::Role::Station);
    c->send(c->link.seal(net::ControlType::Register, {{"name", "station-9"}, {"state", "idle"}}));
    const uint64_t before = director_->refusedMessages();
    c->send(c->link.seal(net::ControlType::Request, launch));
    EXPECT_TRUE(pump(3, [&] { c->poll(); return director_->refusedMessages() > before; }));
    EXPECT_TRUE(c->received.empty());
  }
  // Nothing launched; the real operator key still can.
  pump(0.5, [] { return false; });
  EXPECT_TRUE(director_->state().sessions.empty());
  EXPECT_EQ(director_->runningServers(), 0u);
  const json ok = director_->receiveDecoded(1, net::Role::Operator, net::ControlType::Request, {{"command", "stations"}}, clock_.elapsed());
  EXPECT_TRUE(ok.value("ok", false)) << ok.dump();
}

// ---- Connections -----------------------------------------------------------------------------

TEST_F(DirectorTest, SilentConnectionsAreDroppedSoAnOperatorIsStillAnswered) {
  // A director with 64 slots; 80 connections that never say a word (a few laptops' worth).
  desc_.maxPeers = 64;
  restartDirector();
  std::atomic<bool> stop{false};
  std::thread floor([&] {
    while (!stop) director_->update(clock_.elapsed(), 5);
  });
  std::atomic<int> connected{0};
  std::thread attackers([&] {
    net::EnetLibrary enet;
    std::vector<net::Host> hosts;
    hosts.reserve(80);
    for (int i = 0; i < 80; ++i) {
      hosts.push_back(net::Host::client());
      hosts.back().connect("127.0.0.1", director_->port());
    }
    // Each keeps its ENet link alive (acks and pings) and sends nothing of its own.
    while (!stop)
      for (net::Host& h : hosts)
        h.poll(0, [&](const net::HostEvent& e) {
          if (e.kind == net::HostEvent::Kind::Connected) ++connected;
        });
  });
  // The slots are taken before the operator asks.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (connected < 64 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(connected.load(), 64);
  json reply;
  std::string error;
  try {
    // The handshake limit is 2 s; the margin is for a loaded machine.
    reply = askDirector("127.0.0.1", director_->port(), key_, {{"command", "stations"}}, 20000);
  } catch (const Error& e) {
    error = e.what();
  }
  stop = true;
  attackers.join();
  floor.join();
  EXPECT_TRUE(reply.is_object() && reply.value("ok", false)) << "the operator was locked out: " << error << reply.dump();
  EXPECT_GE(director_->droppedConnections(), 64u);
}

TEST_F(DirectorTest, GarbageFromManyConnectionsIsRefusedWithARateLimitedLog) {
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 40; ++i) {
    clients.push_back(std::make_unique<RawClient>(testKey(9), net::Role::Station));
    clients.back()->peer = clients.back()->host.connect("127.0.0.1", director_->port());
  }
  const std::vector<uint8_t> garbage = {'h', 'e', 'l', 'l', 'o'};
  std::vector<bool> sent(clients.size(), false);
  ASSERT_TRUE(pump(15, [&] {
    for (size_t i = 0; i < clients.size(); ++i) {
      clients[i]->poll();
      if (!sent[i] && !clients[i]->received.empty()) {
        clients[i]->send(garbage);
        sent[i] = true;
      }
    }
    return director_->refusedMessages() >= clients.size();
  })) << director_->refusedMessages();
  // 40 refusals, at most kLogLinesPerWindow of them logged in this window.
  EXPECT_GE(director_->suppressedLogLines(), clients.size() - kLogLinesPerWindow);
  EXPECT_TRUE(director_->state().stations.empty());
}

// ---- Malformed bodies ------------------------------------------------------------------------

TEST_F(DirectorTest, MalformedBodiesAreRefusedAndNeverEndTheLoop) {
  addAgent("station-1", key_);
  ASSERT_TRUE(pump(5, [&] { return online() == 1; }));
  const double now = clock_.elapsed();
  using T = net::ControlType;
  const std::vector<std::pair<T, json>> station = {
      {T::Register, {{"name", 5}}},
      {T::Register, {{"name", json::array({"a"})}}},
      {T::Register, {{"name", "x"}, {"version", 3}}},
      {T::Register, {{"name", std::string(5000, 'n')}}},
      {T::Register, {{"name", "x"}, {"state", "idle"}, {"headset", "yes"}}},
      {T::Register, {{"name", "x"}, {"title", json::object()}}},
      {T::Register, {{"name", "x"}, {"session", "../../etc"}}},
      {T::Register, {{"name", "x"}, {"uptime", 1e308}}},
      {T::Register, {{"name", "x"}, {"seat", 18446744073709551615ull}}},
      {T::Health, {{"state", "idle"}}},  // before a Register on this connection
      {T::Launch, {{"session", "s1"}}},
      {T::Reply, {{"ok", true}}},
  };
  uint64_t refused = director_->refusedMessages();
  for (const auto& [type, body] : station) {
    EXPECT_TRUE(director_->receiveDecoded(7, net::Role::Station, type, body, now).is_null());
    EXPECT_EQ(director_->refusedMessages(), refused + 1) << net::messageName(type) << " " << body.dump();
    refused = director_->refusedMessages();
  }
  // A registered station's bad logs and reports.
  ASSERT_TRUE(director_->receiveDecoded(8, net::Role::Station, T::Register, {{"name", "station-8"}}, now).is_null());
  EXPECT_EQ(director_->refusedMessages(), refused);
  for (const json& body : {json{{"lines", json::object({{"a", 1}})}}, json{{"lines", "one line"}}, json{{"lines", 7}}}) {
    director_->receiveDecoded(8, net::Role::Station, T::Log, body, now);
    EXPECT_EQ(director_->refusedMessages(), refused + 1) << body.dump();
    refused = director_->refusedMessages();
  }
  // A station with the key that reports sessions this floor never launched: refused, and the
  // floor's list of sessions does not grow by one per made-up id.
  for (int i = 0; i < 50; ++i) {
    const json ghost = {{"state", "playing"}, {"title", "hockey"}, {"session", "ghost" + std::to_string(i)},
                        {"remaining", 60}, {"seat", 0}};
    director_->receiveDecoded(8, net::Role::Station, T::Health, ghost, now);
    EXPECT_EQ(director_->refusedMessages(), refused + 1) << ghost.dump();
    refused = director_->refusedMessages();
  }
  EXPECT_TRUE(director_->state().sessions.empty());
  // Operators: each gets a refusal with a reason, never an exception.
  const std::vector<json> requests = {
      {{"command", 5}},
      {{"command", "launch"}, {"title", json::array()}},
      {{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1e308}},
      {{"command", "launch"}, {"title", "hockey"}, {"stations", {{{"n", 1}}}}, {"minutes", 1}},
      {{"command", "launch"}, {"title", "hockey"}, {"stations", "1"}, {"minutes", 1}},
      {{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}, {"difficulty", 2}},
      {{"command", "stop"}, {"target", json::object()}},
      {{"command", "logs"}, {"station", 1.5}},
      {{"command", "keep"}, {"session", "s1"}, {"name", 12}},
      {{"command", "keep"}, {"session", json::array()}},
  };
  for (const json& request : requests) {
    const json reply = director_->receiveDecoded(9, net::Role::Operator, T::Request, request, now);
    EXPECT_FALSE(reply.value("ok", true)) << request.dump() << " -> " << reply.dump();
    EXPECT_FALSE(reply.value("error", std::string()).empty()) << request.dump();
  }
  EXPECT_TRUE(director_->state().sessions.empty());
  // The floor plays on: the real station still reports and a good request is answered.
  ASSERT_TRUE(pump(3, [&] { return online() >= 1; }));
  EXPECT_TRUE(ask({{"command", "stations"}}).value("ok", false));
}

// ---- Processes -------------------------------------------------------------------------------

TEST_F(DirectorTest, AServerThatCannotStartIsARefusedLaunch) {
  desc_.program = (dir_ / "no-such-pavilion").string();
  restartDirector();
  addAgent("station-1", key_);
  ASSERT_TRUE(pump(5, [&] { return online() == 1; }));
  const json reply = ask({{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}});
  EXPECT_FALSE(reply.value("ok", true)) << reply.dump();
  EXPECT_NE(reply.value("error", std::string()).find("cannot start the session"), std::string::npos) << reply.dump();
  EXPECT_TRUE(director_->state().sessions.empty());
  EXPECT_EQ(director_->state().stations.at(0).state, StationState::Idle);
  ASSERT_TRUE(pump(2, [&] { return online() == 1; }));
}

TEST_F(DirectorTest, SessionsAreCappedAndEveryServerIsReaped) {
  desc_.maxSessions = 1;
  restartDirector();
  addAgent("station-1", key_);
  addAgent("station-2", key_);
  ASSERT_TRUE(pump(5, [&] { return online() == 2; }));
  std::vector<int> pids;
  for (int round = 0; round < 4; ++round) {
    const json first = ask({{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}});
    ASSERT_TRUE(first.value("ok", false)) << first.dump();
    // The floor is full: a second session is refused with the reason, and starts nothing.
    const json second = ask({{"command", "launch"}, {"title", "cycling"}, {"stations", {"2"}}, {"minutes", 1}});
    EXPECT_FALSE(second.value("ok", true));
    EXPECT_NE(second.value("error", std::string()).find("the floor is full"), std::string::npos) << second.dump();
    EXPECT_EQ(director_->runningServers(), 1u);
    pids.push_back(director_->state().sessions.back().pid);
    // Stopped (on alternate rounds while its server still starts), then reaped.
    if (round % 2 == 1) pump(15, [&] { return director_->state().sessions.back().state != SessionState::Starting; });
    ASSERT_TRUE(ask({{"command", "stop"}, {"target", first["session"]}}).value("ok", false));
    ASSERT_TRUE(pump(20, [&] { return director_->runningServers() == 0; })) << "round " << round;
  }
  // None of its servers is left, not even as a zombie. (Earlier tests' directors, destroyed
  // while their stopped servers were still exiting, may have left zombies of this process.)
  const std::vector<int> zombies = zombieChildren();
  for (int pid : pids) {
    EXPECT_EQ(std::count(zombies.begin(), zombies.end(), pid), 0) << "server " << pid << " is a zombie";
    EXPECT_FALSE(fs::exists("/proc/" + std::to_string(pid))) << pid;
  }
}

TEST(SessionHostIdentity, AProcessIsKnownByItsStartTimeNotItsPidAlone) {
  const fs::path dir = fs::temp_directory_path() / ("pav-identity-" + std::to_string(::getpid()));
  SessionHost host(PAV_BIN, dir.string(), "127.0.0.1");
  // A process this SessionHost did not start: as an earlier director's server looks to a new one.
  const pid_t other = ::fork();
  if (other == 0) {
    ::execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ASSERT_GT(other, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::ifstream in("/proc/" + std::to_string(other) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 1));
  std::string field;
  uint64_t start = 0;
  for (int n = 3; n <= 22 && (fields >> field); ++n)
    if (n == 22) start = std::stoull(field);
  const std::string exe = fs::read_symlink("/proc/" + std::to_string(other) + "/exe").string();
  // The same pid with another start time or program is someone else: neither alive nor stopped.
  EXPECT_FALSE(host.alive({other, start + 1, exe}));
  EXPECT_FALSE(host.alive({other, start, "/usr/bin/other"}));
  EXPECT_FALSE(host.alive({other, 0, ""}));  // no identity: never taken for a server
  host.stop({other, start + 1, exe});
  host.stop({other, 0, ""});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int status = 0;
  EXPECT_EQ(::waitpid(other, &status, WNOHANG), 0) << "a process that was not the server was signalled";
  // The right identity: alive, and stopped.
  EXPECT_TRUE(host.alive({other, start, exe}));
  host.stop({other, start, exe});
  ASSERT_EQ(::waitpid(other, &status, 0), other);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pav::director
