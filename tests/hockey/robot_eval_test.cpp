// The hockey robot's goals, measured on the real title in simulated time from fixed seeds
// (pav/hockey/robot_eval.h): robots at medium score every 20 to 60 s, the robot hits and
// prepares, "fair" keeps matches against the visitor model close, "hard" beats it, the
// visitor model keeps to a person's hand speed, and bad requests are refused. The big
// measurements (200 matches, compute per step) are `pavilion robot-eval`'s.
#include <gtest/gtest.h>

#include <string>

#include "pav/core/error.h"
#include "pav/hockey/hockey.h"
#include "pav/hockey/robot_eval.h"

namespace pav::hockey {
namespace {

TEST(RobotEval, MediumRobotsScoreEveryTwentyToSixtySecondsOverTenSeeds) {
  const RobotVsRobot r = evalRobotVsRobot({.episodes = 10, .skill = core::kSkillMedium, .seed = 1}, 60.0);
  EXPECT_EQ(r.seeds, 10);
  EXPECT_GE(r.secondsPerGoal(), 20.0) << r.goals << " goals in " << r.seconds << " s";
  EXPECT_LE(r.secondsPerGoal(), 60.0) << r.goals << " goals in " << r.seconds << " s";
  RecordProperty("seconds_per_goal", std::to_string(r.secondsPerGoal()));
}

TEST(RobotEval, HardRobotScoresFromARestingPuckAndPreparesACorneredOne) {
  const EvalOptions o{.episodes = 30, .skill = core::kSkillHard, .seed = 3};
  const Rate hit = evalHit(o), prepare = evalPrepare(o);
  EXPECT_EQ(hit.tries, 30);
  EXPECT_GE(hit.rate(), 0.3) << hit.successes << " of " << hit.tries << " resting pucks scored";
  EXPECT_GE(prepare.rate(), 0.8) << prepare.successes << " of " << prepare.tries << " cornered pucks brought out";
}

// 12 matches here (the 200 of the goal are robot-eval's): the visitor model wins 5 to 7.
TEST(RobotEval, FairKeepsMatchesAgainstTheVisitorModelClose) {
  const MatchResult fair = evalMatches({.episodes = 12, .skill = core::kSkillFair, .seed = 2});
  EXPECT_EQ(fair.matches, 12);
  EXPECT_GE(fair.visitorWinRate(), 0.40) << fair.visitorWins << " of " << fair.matches;
  EXPECT_LE(fair.visitorWinRate(), 0.60) << fair.visitorWins << " of " << fair.matches;
  EXPECT_GT(fair.goals, 9.0) << "close matches: both sides score";
}

TEST(RobotEval, HardBeatsTheVisitorModel) {
  const MatchResult hard = evalMatches({.episodes = 4, .skill = core::kSkillHard, .seed = 2});
  EXPECT_EQ(hard.robotWins, 4) << "the visitor model won " << hard.visitorWins << " of " << hard.matches;
}

TEST(RobotEval, TheVisitorModelMovesNoFasterThanAPersonsHand) {
  auto title = makeHockeyTitle();
  title->setup({.players = 2, .seed = 6, .skill = core::kSkillMedium, .durationSeconds = 1e6});
  VisitorModel visitor(6, 0);
  core::InputFrame in[2];
  glm::vec2 last = malletOf(*title, 0), start = last;
  float travelled = 0;
  for (int i = 0; i < 30 * 480 && !title->finished(); ++i) {
    visitor.input(*title, in[0]);
    title->botInput(1, in[1]);
    title->step(in);
    const glm::vec2 now = malletOf(*title, 0);
    EXPECT_LE(glm::length(now - last), VisitorModel::kHandSpeed / float(kTickRateHz) + 1e-5f);
    travelled += glm::length(now - last);
    last = now;
  }
  EXPECT_GT(travelled, 2.0f) << "it plays: the hand moved " << travelled << " m from " << start.x;
}

TEST(RobotEval, SameSeedSameNumbers) {
  const EvalOptions o{.episodes = 6, .skill = core::kSkillMedium, .seed = 9};
  const DefendResult a = evalDefend(o, 10.0f), b = evalDefend(o, 10.0f);
  EXPECT_EQ(a.straight.successes, b.straight.successes);
  EXPECT_EQ(a.bank.successes, b.bank.successes);
  EXPECT_EQ(evalHit(o).successes, evalHit(o).successes);
}

TEST(RobotEval, NoEpisodesIsRefused) {
  for (int n : {0, -1, -100}) {
    const EvalOptions o{.episodes = n};
    EXPECT_THROW(evalDefend(o, 8.0f), pav::Error) << n;
    EXPECT_THROW(evalHit(o), pav::Error) << n;
    EXPECT_THROW(evalPrepare(o), pav::Error) << n;
    EXPECT_THROW(evalMatches(o), pav::Error) << n;
    EXPECT_THROW(evalRobotVsRobot(o, 10.0), pav::Error) << n;
  }
  EXPECT_THROW(VisitorModel(1, 2), pav::Error);
  EXPECT_THROW(robotComputeP99Ms({}, 0), pav::Error);
}

}  // namespace
}  // namespace pav::hockey
