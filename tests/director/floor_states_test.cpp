// The floor's states and its phase rule (tools/director/floor_states.h): the names on the wire
// and in the JSON, the refusal of any other name, and the one loading / playing / warning /
// ended rule that the director, the station's loop and the time-up panel share.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "floor.h"
#include "floor_states.h"

namespace pav::director {
namespace {

TEST(FloorStatesTest, EveryStationStateHasItsLowercaseNameAndReadsBack) {
  const std::vector<std::pair<StationState, std::string>> names = {
      {StationState::Idle, "idle"},       {StationState::Loading, "loading"}, {StationState::Playing, "playing"},
      {StationState::Warning, "warning"}, {StationState::Ended, "ended"},     {StationState::Offline, "offline"}};
  for (const auto& [state, name] : names) {
    EXPECT_EQ(toString(state), name);
    ASSERT_TRUE(parseStationState(name).has_value()) << name;
    EXPECT_EQ(*parseStationState(name), state) << name;
  }
}

TEST(FloorStatesTest, EverySessionStateHasItsLowercaseNameAndReadsBack) {
  const std::vector<std::pair<SessionState, std::string>> names = {{SessionState::Starting, "starting"},
                                                                   {SessionState::Loading, "loading"},
                                                                   {SessionState::Playing, "playing"},
                                                                   {SessionState::Warning, "warning"},
                                                                   {SessionState::Ended, "ended"}};
  for (const auto& [state, name] : names) {
    EXPECT_EQ(toString(state), name);
    ASSERT_TRUE(parseSessionState(name).has_value()) << name;
    EXPECT_EQ(*parseSessionState(name), state) << name;
  }
  EXPECT_EQ(toString(SessionPhase::Loading), "loading");
  EXPECT_EQ(toString(SessionPhase::Ended), "ended");
}

TEST(FloorStatesTest, AnyOtherNameIsRefused) {
  const std::vector<std::string> bads = {"", "Idle", "PLAYING", " idle", "idle ", "paused", "offline\n", "warn", "ended!",
                                         std::string("idle\0x", 6), std::string(1000, 'a')};
  for (const std::string& bad : bads) {
    EXPECT_FALSE(parseStationState(bad).has_value()) << bad;
    EXPECT_FALSE(parseSessionState(bad).has_value()) << bad;
  }
  // Each list has its own words.
  EXPECT_FALSE(parseStationState("starting").has_value());
  EXPECT_FALSE(parseSessionState("idle").has_value());
  EXPECT_FALSE(parseSessionState("offline").has_value());
}

TEST(FloorStatesTest, ThePhaseIsLoadingUntilShownThenPlayingThenWarningInTheLastThirtySeconds) {
  EXPECT_EQ(kWarnSeconds, 30.0);
  EXPECT_EQ(sessionPhase({.started = false, .remaining = 300}), SessionPhase::Loading);
  // Not shown yet: loading even when the warning's time has come.
  EXPECT_EQ(sessionPhase({.started = false, .remaining = 10}), SessionPhase::Loading);
  EXPECT_EQ(sessionPhase({.started = true, .remaining = 300}), SessionPhase::Playing);
  EXPECT_EQ(sessionPhase({.started = true, .remaining = kWarnSeconds + 0.01}), SessionPhase::Playing);
  EXPECT_EQ(sessionPhase({.started = true, .remaining = kWarnSeconds}), SessionPhase::Warning);
  EXPECT_EQ(sessionPhase({.started = true, .remaining = 0}), SessionPhase::Warning);
  // Over is over, whatever the clock says.
  EXPECT_EQ(sessionPhase({.over = true, .started = true, .remaining = 300}), SessionPhase::Ended);
  EXPECT_EQ(sessionPhase({.over = true, .started = false, .remaining = 300}), SessionPhase::Ended);
}

TEST(FloorStatesTest, PhasesMapOntoStationAndSessionStates) {
  EXPECT_EQ(stationState(SessionPhase::Loading), StationState::Loading);
  EXPECT_EQ(stationState(SessionPhase::Playing), StationState::Playing);
  EXPECT_EQ(stationState(SessionPhase::Warning), StationState::Warning);
  EXPECT_EQ(stationState(SessionPhase::Ended), StationState::Ended);
  EXPECT_EQ(sessionState(SessionPhase::Loading), SessionState::Loading);
  EXPECT_EQ(sessionState(SessionPhase::Warning), SessionState::Warning);
  EXPECT_EQ(sessionState(SessionPhase::Ended), SessionState::Ended);
  // A station's report as its session's state; none for a station in no session.
  EXPECT_EQ(sessionStateOf(StationState::Playing), SessionState::Playing);
  EXPECT_EQ(sessionStateOf(StationState::Ended), SessionState::Ended);
  EXPECT_FALSE(sessionStateOf(StationState::Idle).has_value());
  EXPECT_FALSE(sessionStateOf(StationState::Offline).has_value());
  EXPECT_TRUE(showsSession(StationState::Warning));
  EXPECT_FALSE(showsSession(StationState::Loading));
}

TEST(FloorStatesTest, TheWarningShareIsTheTimeUpPanelsBar) {
  EXPECT_DOUBLE_EQ(warningShare(60), 1.0);
  EXPECT_DOUBLE_EQ(warningShare(kWarnSeconds), 1.0);
  EXPECT_DOUBLE_EQ(warningShare(15), 0.5);
  EXPECT_DOUBLE_EQ(warningShare(0), 0.0);
  EXPECT_DOUBLE_EQ(warningShare(-3), 0.0);
  EXPECT_DOUBLE_EQ(warningShare(5, 10), 0.5);
  EXPECT_DOUBLE_EQ(warningShare(5, 0), 1.0);  // a zero-length bar is full, never a division by zero
}

TEST(FloorStatesTest, TheFloorsJsonCarriesTheNames) {
  Floor floor;
  StationRecord& s = floor.add("station-2");
  s.state = StationState::Warning;
  s.online = true;
  EXPECT_EQ(floor.stationJson(s, 0)["state"], "warning");
  s.online = false;
  EXPECT_EQ(floor.stationJson(s, 0)["state"], "offline");
  Session session;
  session.id = "s1";
  EXPECT_EQ(floor.sessionJson(session, 0)["state"], "starting");
  session.state = SessionState::Playing;
  session.seconds = 60;
  EXPECT_EQ(floor.sessionJson(session, 10)["state"], "playing");
  EXPECT_DOUBLE_EQ(session.remaining(10), 50);
  session.state = SessionState::Ended;
  EXPECT_EQ(floor.sessionJson(session, 10)["state"], "ended");
  EXPECT_DOUBLE_EQ(session.remaining(10), 0);
}

// The dashboard's and ctl's difficulty words, fair included; numbers and others are not words.
TEST(FloorStatesTest, DifficultiesAreTheSkillWords) {
  EXPECT_EQ(skillOf("easy"), 0);
  EXPECT_EQ(skillOf("medium"), 1);
  EXPECT_EQ(skillOf("hard"), 2);
  EXPECT_EQ(skillOf("fair"), 3);
  for (const char* bad : {"", "2", "Fair", "insane", "hard "}) EXPECT_EQ(skillOf(bad), -1) << "'" << bad << "'";
}

}  // namespace
}  // namespace pav::director
