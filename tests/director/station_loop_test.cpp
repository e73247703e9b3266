// A station's loop (tools/director/station_loop.h) with a real StationAgent against a real
// Director over loopback ENet, the real control channel and real session server processes;
// only what plays (StationRun, the attract scene: the window, the headset, Vulkan) is a fake
// that the test drives. The loop's clock is passed in: the test moves it ahead to reach the
// time-up warning without waiting for it.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "agent.h"
#include "director.h"
#include "pav/core/fixed_step.h"
#include "station_loop.h"

namespace pav::director {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What the fakes did and what the test tells them to do.
struct Stage {
  // Set by the test.
  bool shown = false, over = false, refused = false, window = true, attractCloses = false;
  double toStart = 0;        // the run's seconds to the start (the lobby, the 3-2-1)
  bool showingResults = false;  // the run shows the results (over() while step() goes on)
  uint32_t validation = 0;
  // Seen by the test.
  std::vector<LaunchOrder> orders;
  std::vector<std::string> hosts;
  int steps = 0, finished = 0, attractsOpened = 0, attractsOpen = 0;
  double notice = -2;  // -2: never set
  std::vector<float> volumes;  // every setVolume a run was given
  // What the run counted for the operators: grips held for staff, wheel and trainer lost.
  uint64_t staffCalls = 0, wheelLosses = 0, trainerLosses = 0;
};

class FakeRun final : public SessionPlayer {
 public:
  explicit FakeRun(Stage& s) : s_(s) {}
  bool step(double) override {
    ++s_.steps;
    return !s_.over && !s_.refused;
  }
  bool shown() const override { return s_.shown; }
  double secondsToStart(double) const override { return s_.toStart; }
  bool over() const override { return s_.showingResults; }
  void setNotice(double secondsLeft) override { s_.notice = secondsLeft; }
  void setVolume(float volume01) override { s_.volumes.push_back(volume01); }
  int seat() const override { return 1; }
  Health health() const override {
    return {.fps = 72, .missedFrames = 3, .rttMs = 4, .loss = 0.25, .headset = true, .trainer = "riding", .trainerWatts = 215,
            .trainerCadenceRpm = 87};
  }
  std::string finish() override {
    ++s_.finished;
    return "/tmp/last.png";
  }
  bool refused() const override { return s_.refused; }
  std::string refusal() const override { return s_.refused ? "wrong title" : ""; }
  std::string results() const override { return s_.refused ? "" : R"({"score":[3,1]})"; }
  std::string statsJson() const override { return R"({"rttMs":4})"; }
  uint32_t validationMessages() const override { return s_.validation; }
  PlayerDesk desk() const override {
    return {.staffCalls = s_.staffCalls, .wheelLosses = s_.wheelLosses, .trainerLosses = s_.trainerLosses};
  }

 private:
  Stage& s_;
};

class FakeAttract final : public AttractPlayer {
 public:
  explicit FakeAttract(Stage& s) : s_(s) { ++s_.attractsOpen; }
  ~FakeAttract() override { --s_.attractsOpen; }
  bool step(double) override {
    ++frames_;
    return !s_.attractCloses;
  }
  int frames() const override { return frames_; }
  uint32_t validationMessages() const override { return 0; }
  std::string describe() const override { return "a fake title played by its bots"; }

 private:
  Stage& s_;
  int frames_ = 0;
};

class FakePlayers final : public StationPlayers {
 public:
  explicit FakePlayers(Stage& s) : s_(s) {}
  std::unique_ptr<SessionPlayer> play(const LaunchOrder& order, const std::string& host) override {
    s_.orders.push_back(order);
    s_.hosts.push_back(host);
    return std::make_unique<FakeRun>(s_);
  }
  std::unique_ptr<AttractPlayer> attract() override {
    if (!s_.window) return nullptr;
    ++s_.attractsOpened;
    return std::make_unique<FakeAttract>(s_);
  }
  bool headset() const override { return !s_.window; }

 private:
  Stage& s_;
};

class StationLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pav-station-loop-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    std::array<uint8_t, net::ControlKey::kBytes> bytes;
    bytes.fill(7);
    const net::ControlKey key = net::ControlKey::fromBytes(bytes);
    desc_.port = 0;
    desc_.stateDir = (dir_ / "state").string();
    desc_.program = PAV_BIN;
    desc_.titles = {{"hockey", 2}};
    desc_.lobbySeconds = 0;  // these tests time the session from its launch; the lobby's own below
    director_ = std::make_unique<Director>(desc_, key);
    agent_ = std::make_unique<StationAgent>(AgentDesc{.host = "127.0.0.1", .port = director_->port(), .name = "station-1"}, key);
    loop_ = std::make_unique<StationLoop>(*agent_, players_, StationLoopDesc{.onEnd = [this](const SessionEnd& e) { ends_.push_back(e); }});
    ASSERT_TRUE(pump(10, [&] { return station() && station()->online; })) << "station-1 never registered";
  }
  void TearDown() override {
    for (const Session& s : director_->state().sessions)
      if (s.state != SessionState::Ended) director_->handle({{"command", "stop"}, {"target", s.id}}, clock_.elapsed());
    loop_.reset();
    agent_.reset();
    director_.reset();
    fs::remove_all(dir_);
  }
  // The loop's clock: the real one moved ahead by `ahead_`.
  double loopNow() const { return clock_.elapsed() + ahead_; }
  // Runs the director and the loop until `done` or `seconds` pass (generous: a loaded machine).
  template <typename F>
  bool pump(double seconds, F&& done) {
    const double until = clock_.elapsed() + seconds;
    while (clock_.elapsed() < until) {
      director_->update(clock_.elapsed(), 2);
      loop_->step(loopNow());
      if (done()) return true;
    }
    return false;
  }
  void run(double seconds) { pump(seconds, [] { return false; }); }
  const StationRecord* station() { return director_->state().stations.empty() ? nullptr : &director_->state().stations[0]; }
  std::string launch(double minutes) {
    const json reply = director_->handle(
        {{"command", "launch"}, {"title", "hockey"}, {"stations", {"station-1"}}, {"minutes", minutes}}, clock_.elapsed());
    EXPECT_TRUE(reply.value("ok", false)) << reply.dump();
    return reply.value("session", std::string());
  }
  std::vector<std::string> logs() {
    return director_->handle({{"command", "logs"}, {"station", "station-1"}}, clock_.elapsed())["lines"];
  }
  bool logged(const std::string& part) {
    const std::vector<std::string> lines = logs();
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
  }

  fs::path dir_;
  DirectorDesc desc_;
  core::Stopwatch clock_;
  double ahead_ = 0;
  Stage stage_;
  FakePlayers players_{stage_};
  std::vector<SessionEnd> ends_;
  std::unique_ptr<Director> director_;
  std::unique_ptr<StationAgent> agent_;
  std::unique_ptr<StationLoop> loop_;
};

TEST_F(StationLoopTest, ALaunchLoadsThenPlaysThenWarnsAndItsEndIsReported) {
  // Idle: the attract scene runs in the window.
  EXPECT_EQ(loop_->state(), StationState::Idle);
  EXPECT_EQ(stage_.attractsOpen, 1);
  const std::string id = launch(1);
  ASSERT_TRUE(pump(20, [&] { return !stage_.orders.empty(); })) << "no launch reached the loop";
  ASSERT_EQ(stage_.orders.size(), 1u);
  EXPECT_EQ(stage_.orders[0].session, id);
  EXPECT_EQ(stage_.orders[0].title, "hockey");
  EXPECT_EQ(stage_.orders[0].port, director_->state().sessions.at(0).port);
  EXPECT_EQ(stage_.hosts[0], "127.0.0.1");
  EXPECT_EQ(stage_.attractsOpen, 0) << "the attract scene still runs during the session";
  EXPECT_EQ(loop_->state(), StationState::Loading);
  EXPECT_EQ(loop_->session(), id);
  EXPECT_EQ(stage_.notice, -1.0);

  // Shown: playing, at the director too, with the run's health.
  stage_.shown = true;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Playing; })) << toString(station()->state);
  EXPECT_EQ(loop_->state(), StationState::Playing);
  EXPECT_EQ(station()->session, id);
  EXPECT_EQ(station()->seat, 1);
  EXPECT_EQ(station()->health.fps, 72);
  EXPECT_EQ(station()->health.missedFrames, 3u);
  EXPECT_TRUE(station()->health.headset);
  // The trainer's state, power and cadence through the agent's report to the director.
  EXPECT_EQ(station()->health.trainer, "riding");
  EXPECT_EQ(station()->health.trainerWatts, 215);
  EXPECT_EQ(station()->health.trainerCadenceRpm, 87);
  EXPECT_EQ(director_->state().sessions.at(0).state, SessionState::Playing);
  EXPECT_EQ(stage_.notice, -1.0) << "a notice before the warning";

  // 35 s later by the loop's clock: the last 30 s, the visitor sees the time left.
  ahead_ = 35;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Warning; })) << toString(station()->state);
  EXPECT_EQ(loop_->state(), StationState::Warning);
  EXPECT_GT(stage_.notice, 0.0);
  EXPECT_LE(stage_.notice, kWarnSeconds);
  EXPECT_NEAR(stage_.notice, loop_->remaining(loopNow()), 1.0);
  ASSERT_TRUE(pump(5, [&] { return logged("session " + id + ": time-up warning, "); }));

  // The session ends for the station: reported once, with its results and picture.
  stage_.over = true;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Ended; })) << toString(station()->state);
  EXPECT_EQ(loop_->state(), StationState::Ended);
  EXPECT_EQ(loop_->played(), 1);
  EXPECT_EQ(stage_.finished, 1);
  ASSERT_EQ(ends_.size(), 1u);
  EXPECT_EQ(ends_[0].session, id);
  EXPECT_EQ(ends_[0].title, "hockey");
  EXPECT_EQ(ends_[0].why, "ended");
  EXPECT_EQ(ends_[0].results, R"({"score":[3,1]})");
  EXPECT_EQ(ends_[0].picture, "/tmp/last.png");
  ASSERT_TRUE(pump(5, [&] { return logged("session " + id + R"( (hockey) ended: {"score":[3,1]})") && logged("picture /tmp/last.png"); }));
  EXPECT_EQ(stage_.attractsOpen, 1) << "no attract scene after the session";
  EXPECT_EQ(loop_->exitCode(), 0);

  // kEndedShownSeconds later: idle again.
  ahead_ += kEndedShownSeconds + 0.5;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Idle; })) << toString(station()->state);
  EXPECT_EQ(loop_->state(), StationState::Idle);
  EXPECT_TRUE(station()->session.empty());
  EXPECT_EQ(station()->health.fps, 0);
  EXPECT_EQ(stage_.finished, 1);
}

TEST_F(StationLoopTest, TheDirectorsStopEndsTheSessionAndTheNextLaunchPlays) {
  const std::string id = launch(2);
  ASSERT_TRUE(pump(20, [&] { return !stage_.orders.empty(); }));
  stage_.shown = true;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Playing; }));
  ASSERT_TRUE(director_->handle({{"command", "stop"}, {"target", id}}, clock_.elapsed()).value("ok", false));
  ASSERT_TRUE(pump(10, [&] { return !ends_.empty(); }));
  EXPECT_EQ(ends_[0].why, "stopped by the director");
  EXPECT_EQ(loop_->state(), StationState::Ended);
  EXPECT_EQ(stage_.finished, 1);
  // Idle again, the station takes the next session.
  ahead_ += kEndedShownSeconds + 0.5;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Idle; }));
  stage_.shown = false;
  const std::string second = launch(2);
  ASSERT_NE(second, id);
  ASSERT_TRUE(pump(20, [&] { return stage_.orders.size() == 2; }));
  stage_.shown = true;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Playing && station()->session == second; }));
  EXPECT_EQ(ends_.size(), 1u);
  EXPECT_EQ(stage_.finished, 1);
  // The station stops: what plays ends, said so.
  loop_->stop(loopNow());
  ASSERT_EQ(ends_.size(), 2u);
  EXPECT_EQ(ends_[1].session, second);
  EXPECT_EQ(ends_[1].why, "ended: the station stopped");
  EXPECT_EQ(loop_->played(), 2);
}

TEST_F(StationLoopTest, ARefusedSessionEndsWithTheServersReasonAndValidationCounts) {
  stage_.refused = true;
  stage_.validation = 2;
  launch(1);
  ASSERT_TRUE(pump(20, [&] { return !ends_.empty(); }));
  EXPECT_EQ(ends_[0].why, "refused: wrong title");
  EXPECT_EQ(ends_[0].results, "");
  EXPECT_EQ(loop_->state(), StationState::Ended);
  EXPECT_EQ(loop_->exitCode(), 3);
  ASSERT_TRUE(pump(5, [&] { return logged("(hockey) refused: wrong title"); }));
}

TEST_F(StationLoopTest, AClosedAttractWindowStaysClosedAndAHeadlessStationHasNone) {
  EXPECT_EQ(stage_.attractsOpened, 1);
  stage_.attractCloses = true;
  ASSERT_TRUE(pump(5, [&] { return stage_.attractsOpen == 0; }));
  stage_.attractCloses = false;
  run(1);
  EXPECT_EQ(stage_.attractsOpened, 1) << "the closed window came back";
  EXPECT_FALSE(loop_->attractShown());
  EXPECT_EQ(loop_->state(), StationState::Idle);
}

TEST_F(StationLoopTest, AHeadlessStationReportsItsHeadsetAndShowsNoAttractScene) {
  // A new loop on a station without a window (the headset's flag comes from the players).
  stage_.window = false;
  loop_ = std::make_unique<StationLoop>(*agent_, players_);
  const int before = stage_.attractsOpened;
  ASSERT_TRUE(pump(10, [&] { return station()->health.headset; }));
  EXPECT_EQ(stage_.attractsOpened, before);
  EXPECT_FALSE(loop_->attractShown());
  EXPECT_EQ(station()->state, StationState::Idle);
}

// ---- The session's timeline: the start, the results --------------------------------------------------

TEST_F(StationLoopTest, ItLoadsUntilTheStartAndItsClockRunsFromThere) {
  // A launch with a 20 s lobby: the order says when the play starts.
  const json reply = director_->handle(
      {{"command", "launch"}, {"title", "hockey"}, {"stations", {"station-1"}}, {"minutes", 1}, {"lobby", 20}}, clock_.elapsed());
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  ASSERT_TRUE(pump(20, [&] { return !stage_.orders.empty(); }));
  EXPECT_GT(stage_.orders[0].startsIn, 23.0 - kServerStartSeconds);
  // Shown (the lobby is drawn) but not started: loading, the whole minute still ahead.
  stage_.shown = true;
  stage_.toStart = 12;
  run(1.5);
  EXPECT_EQ(loop_->state(), StationState::Loading);
  EXPECT_EQ(station()->state, StationState::Loading);
  EXPECT_DOUBLE_EQ(loop_->remaining(loopNow()), 60.0);
  EXPECT_EQ(director_->state().sessions.at(0).state, SessionState::Loading);
  // Started: playing.
  stage_.toStart = 0;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Playing; })) << toString(station()->state);
  EXPECT_EQ(loop_->state(), StationState::Playing);
}

TEST_F(StationLoopTest, TheResultsAreShownThenTheAttractSceneAndALaunchReplacesThem) {
  const std::string id = launch(1);
  ASSERT_TRUE(pump(20, [&] { return !stage_.orders.empty(); }));
  stage_.shown = true;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Playing; }));
  // The run shows its results: the station says ended, the director's Stop (time up) waits.
  stage_.showingResults = true;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Ended; })) << toString(station()->state);
  EXPECT_EQ(loop_->state(), StationState::Ended);
  EXPECT_EQ(stage_.notice, -1.0) << "no time-up notice over the results";
  ASSERT_TRUE(director_->handle({{"command", "stop"}, {"target", id}}, clock_.elapsed()).value("ok", false));
  run(1.0);
  EXPECT_TRUE(ends_.empty()) << "the Stop cut the results short";
  EXPECT_EQ(stage_.attractsOpen, 0);
  // They are over (the run's step says so): the end is reported, then the attract scene.
  stage_.over = true;
  ASSERT_TRUE(pump(10, [&] { return !ends_.empty(); }));
  EXPECT_EQ(ends_[0].why, "ended");
  ASSERT_TRUE(pump(5, [&] { return stage_.attractsOpen == 1; }));

  // Next session: its results are replaced at once by a new launch.
  stage_ = Stage{};
  const std::string second = launch(1);
  ASSERT_TRUE(pump(20, [&] { return !stage_.orders.empty(); }));
  stage_.shown = true;
  stage_.showingResults = true;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Ended && station()->session == second; }));
  ASSERT_TRUE(director_->handle({{"command", "stop"}, {"target", second}}, clock_.elapsed()).value("ok", false));
  const std::string third = launch(1);
  ASSERT_TRUE(pump(20, [&] { return stage_.orders.size() == 2; }));
  ASSERT_EQ(ends_.size(), 2u);
  EXPECT_EQ(ends_[1].session, second);
  EXPECT_EQ(ends_[1].why, "replaced by session " + third);
  EXPECT_EQ(loop_->session(), third);
}

// The operator's volume (ctl volume, the dashboard) reaches the station's loop, which gives it to
// the session playing and to each one after; mute is silence; the director keeps it for the
// station's next connection; a bad one is refused at the director and never reaches a station.
TEST_F(StationLoopTest, TheOperatorsVolumeReachesTheSessionAndStaysForTheNext) {
  const auto askVolume = [&](json request) {
    request["command"] = "volume";
    return director_->handle(request, clock_.elapsed());
  };
  json reply = askVolume({{"station", "1"}, {"volume", 30}});
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  EXPECT_EQ(reply["volume"], 30);
  EXPECT_EQ(reply["sent"], true);
  ASSERT_TRUE(pump(10, [&] { return logged("volume 30"); })) << "the station never said it took the volume";
  EXPECT_TRUE(stage_.volumes.empty()) << "no session plays yet";
  launch(1);
  ASSERT_TRUE(pump(20, [&] { return !stage_.volumes.empty(); })) << "the session was not given the volume";
  EXPECT_FLOAT_EQ(stage_.volumes.back(), 0.3f);
  ASSERT_TRUE(askVolume({{"station", "station-1"}, {"muted", true}}).value("ok", false));
  ASSERT_TRUE(pump(10, [&] { return stage_.volumes.back() == 0.0f; })) << "muted, the session still sounds";
  ASSERT_TRUE(askVolume({{"station", "station-1"}, {"muted", false}, {"volume", 100}}).value("ok", false));
  ASSERT_TRUE(pump(10, [&] { return stage_.volumes.back() == 1.0f; }));
  // Refused at the director, naming what is wrong; the station's volume stays as it was.
  for (const json& bad : {json{{"station", "1"}, {"volume", 101}}, json{{"station", "1"}, {"volume", -1}},
                          json{{"station", "1"}, {"volume", 50.5}}, json{{"station", "1"}, {"volume", "loud"}},
                          json{{"station", "1"}, {"muted", "yes"}}, json{{"station", "1"}},
                          json{{"station", "station-9"}, {"volume", 10}}, json{{"station", 3}, {"volume", 10}}}) {
    const json r = askVolume(bad);
    EXPECT_FALSE(r.value("ok", true)) << bad.dump();
    EXPECT_FALSE(r.value("error", std::string()).empty()) << bad.dump();
  }
  EXPECT_EQ(station()->volume, 100);
  EXPECT_FALSE(station()->muted);
  const json floor = director_->floor();
  EXPECT_EQ(floor["stations"][0]["volume"], 100);
  EXPECT_EQ(floor["stations"][0]["muted"], false);
}

TEST_F(StationLoopTest, AStationThatReconnectsHearsTheVolumeTheDirectorKept) {
  ASSERT_TRUE(director_->handle({{"command", "volume"}, {"station", "1"}, {"volume", 20}, {"muted", true}}, clock_.elapsed())
                  .value("ok", false));
  ASSERT_TRUE(pump(10, [&] { return logged("volume 20, muted"); }));
  // The station's process restarts: a new agent and loop under the same name.
  loop_.reset();
  agent_.reset();
  std::array<uint8_t, net::ControlKey::kBytes> bytes;
  bytes.fill(7);
  agent_ = std::make_unique<StationAgent>(AgentDesc{.host = "127.0.0.1", .port = director_->port(), .name = "station-1"},
                                          net::ControlKey::fromBytes(bytes));
  loop_ = std::make_unique<StationLoop>(*agent_, players_, StationLoopDesc{});
  ASSERT_TRUE(pump(10, [&] { return agent_->registered() && station()->online; })) << "the restarted station never registered";
  launch(1);
  ASSERT_TRUE(pump(20, [&] { return !stage_.volumes.empty() && stage_.volumes.back() == 0.0f; }))
      << "the restarted station did not get its muted volume";
}

}  // namespace
}  // namespace pav::director

namespace pav::director {
namespace {

// A session's wheel unplugged, its trainer lost and its visitor's call for staff each reach the
// director as an alert of their kind for this station, once per loss (the count grows); the same
// counts again raise nothing.
TEST_F(StationLoopTest, AWheelOrTrainerLostOrACallForStaffIsAnAlert) {
  launch(1);
  stage_.shown = true;
  ASSERT_TRUE(pump(10, [&] { return station()->state == StationState::Playing; }));
  const auto kinds = [&] {
    std::vector<std::string> k;
    const json alerts = director_->handle({{"command", "alerts"}}, clock_.elapsed());
    for (const json& a : alerts.value("alerts", json::array())) {
      EXPECT_EQ(a.value("station", ""), "station-1") << a.dump();
      k.push_back(a.value("kind", ""));
    }
    std::sort(k.begin(), k.end());
    return k;
  };
  EXPECT_TRUE(kinds().empty());
  stage_.wheelLosses = 1;
  ASSERT_TRUE(pump(10, [&] { return director_->desk().openAlerts() == 1; })) << "the wheel's loss raised no alert";
  EXPECT_EQ(kinds(), std::vector<std::string>{"wheel"});
  stage_.trainerLosses = 1;
  stage_.staffCalls = 1;
  ASSERT_TRUE(pump(10, [&] { return director_->desk().openAlerts() == 3; }));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"call", "trainer", "wheel"}));
  // The same counts a while longer: nothing new; each acknowledged, a second loss is new.
  run(1.0);
  EXPECT_EQ(director_->desk().openAlerts(), 3u);
  const json open = director_->handle({{"command", "alerts"}}, clock_.elapsed());
  for (const json& a : open["alerts"])
    ASSERT_TRUE(director_->handle({{"command", "ack"}, {"id", a["id"]}}, clock_.elapsed()).value("ok", false));
  run(1.0);
  EXPECT_EQ(director_->desk().openAlerts(), 0u);
  stage_.wheelLosses = 2;
  ASSERT_TRUE(pump(10, [&] { return director_->desk().openAlerts() == 1; })) << "a second loss of the wheel";
  EXPECT_EQ(kinds(), std::vector<std::string>{"wheel"});
}

}  // namespace
}  // namespace pav::director
