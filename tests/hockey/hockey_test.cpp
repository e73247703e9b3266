// Robotic air hockey on a real Bullet world: the puck never leaves the table except through a
// goal, a shot bounces off a rail at 0.8 restitution without tunnelling, goals are counted
// once, the medium robot stops straight shots, the robot's path prediction, determinism, and
// no Bullet allocation per tick.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <utility>

#include "pav/core/error.h"
#include "pav/hockey/hockey.h"
#include "pav/hockey/robot_eval.h"
#include "pav/physics/physics.h"

namespace pav::hockey {
namespace {

using core::InputFrame;

std::unique_ptr<core::Title> freshTitle(int players, uint64_t seed, int skill = 1) {
  auto t = makeHockeyTitle();
  t->setup({.players = players, .seed = seed, .skill = skill, .durationSeconds = 1e6});
  return t;
}

TEST(Hockey, TenThousandShotsNeverLeaveTheTableExceptThroughAGoal) {
  const TableSpec& t = kTable;
  std::mt19937 rng(2026);
  std::uniform_real_distribution<float> ux(-t.length * 0.5f + 0.1f, t.length * 0.5f - 0.1f);
  std::uniform_real_distribution<float> uz(-t.width * 0.5f + 0.06f, t.width * 0.5f - 0.06f);
  std::uniform_real_distribution<float> angle(0.0f, 6.2831853f), speed(0.5f, 10.0f);
  // Contacts are discrete below the CCD threshold (the puck's radius per tick, 15 m/s at
  // 480 Hz): a puck may sink one tick's travel into a rail before it bounces, but its centre
  // stays over the playing surface.
  const float tol = t.puckRadius;
  const InputFrame idle[2]{};  // mallets untracked: they stay parked at their goals
  auto title = freshTitle(2, 1);
  uint64_t goals = 0, escapes = 0;
  const int ticksPerShot = static_cast<int>(kTickRateHz);  // one second
  for (int shot = 0; shot < 10000; ++shot) {
    if (matchOf(*title).over) title = freshTitle(2, shot);
    const float a = angle(rng), v = speed(rng);
    placePuck(*title, {{ux(rng), uz(rng)}, {v * std::cos(a), v * std::sin(a)}});
    const uint64_t before = matchOf(*title).goals;
    for (int tick = 0; tick < ticksPerShot; ++tick) {
      title->step(idle);
      if (matchOf(*title).goals != before) {
        // A few more ticks: the face-off must not let the same goal count again.
        for (int more = 0; more < 20 && !matchOf(*title).over; ++more) title->step(idle);
        EXPECT_EQ(matchOf(*title).goals, before + 1) << "shot " << shot << " counted twice";
        ++goals;
        break;
      }
      const PuckState p = puckOf(*title);
      const bool inside = std::abs(p.position.y) <= t.width * 0.5f - t.puckRadius + tol &&
                          std::abs(p.position.x) <= t.length * 0.5f + tol;
      if (!inside) {
        ++escapes;
        ADD_FAILURE() << "shot " << shot << " left the table at (" << p.position.x << ", " << p.position.y
                      << ") moving " << p.velocity.x << ", " << p.velocity.y;
        break;
      }
    }
    if (escapes > 5) break;
  }
  EXPECT_EQ(escapes, 0u);
  EXPECT_GT(goals, 100u) << "random shots should find the goals now and then";
}

// Shoots straight at the far long rail from the middle; returns the ratio of the speeds just
// after and just before the bounce, and how far the puck's centre got.
std::pair<float, float> bounce(float speed) {
  auto title = freshTitle(2, 3);
  const InputFrame idle[2]{};
  placePuck(*title, {{0.2f, 0.0f}, {0.0f, speed}});
  float maxZ = 0, before = speed, after = 0;
  for (int i = 0; i < 480 && after == 0; ++i) {
    title->step(idle);
    const PuckState p = puckOf(*title);
    maxZ = std::max(maxZ, p.position.y);
    if (p.velocity.y < 0) after = -p.velocity.y;
    else before = p.velocity.y;  // air drag slows it a little on the way
  }
  return {after / before, maxZ};
}

TEST(Hockey, RailsBounceThePuckAtRestitutionWithoutTunnelling) {
  const float band = kTable.width * 0.5f - kTable.puckRadius;
  for (float v : {1.0f, 3.0f, 6.0f, 10.0f}) {
    const auto [ratio, maxZ] = bounce(v);
    EXPECT_NEAR(ratio, kPuckRestitution, 0.01f) << "at " << v << " m/s";
    EXPECT_LE(maxZ, band + v / float(kTickRateHz) + 1e-3f) << "at " << v << " m/s";
  }
  // Beyond the CCD threshold the sweep stops the puck at the rail: it never passes through.
  const auto [ratio, maxZ] = bounce(25.0f);
  EXPECT_GT(ratio, 0.3f);
  EXPECT_LE(maxZ, band + kTable.puckRadius);
}

TEST(Hockey, AGoalIsCountedOnceAndFollowedByAFaceOff) {
  auto title = freshTitle(2, 4);
  const InputFrame idle[2]{};
  // Straight into the right goal, past the parked right mallet's side.
  placePuck(*title, {{0.5f, 0.08f}, {6.0f, 0.0f}});
  for (int i = 0; i < 960; ++i) title->step(idle);
  const MatchState& m = matchOf(*title);
  EXPECT_EQ(m.goals, 1u);
  EXPECT_EQ(m.score[0], 1);
  EXPECT_EQ(m.score[1], 0);
  EXPECT_EQ(m.lastScorer, 0);
  const PuckState p = puckOf(*title);
  EXPECT_GT(p.position.x, 0.0f) << "the conceding (right) seat receives the puck";
  EXPECT_LT(glm::length(p.velocity), 1e-3f);
  EXPECT_NE(title->results(false).find("left 1 - 0 right"), std::string::npos) << title->results(false);
  EXPECT_NE(title->results(true).find("\"score\":[1,0]"), std::string::npos) << title->results(true);
}

// The hard robot, seeing the puck through its camera (latency, noise) and its filter, against
// straight and bank shots up to 8 m/s, each one checked to score if nobody defended.
TEST(Hockey, HardRobotSavesStraightAndBankShotsUpToEightMetresASecond) {
  const DefendResult d = evalDefend({.episodes = 100, .skill = core::kSkillHard, .seed = 7}, 8.0f);
  EXPECT_EQ(d.straight.tries, 100);
  EXPECT_EQ(d.bank.tries, 100);
  EXPECT_GE(d.straight.rate(), 0.90) << d.straight.successes << " of " << d.straight.tries << " straight shots saved";
  EXPECT_GE(d.bank.rate(), 0.75) << d.bank.successes << " of " << d.bank.tries << " bank shots saved";
  RecordProperty("straight_saved", std::to_string(d.straight.rate()));
  RecordProperty("bank_saved", std::to_string(d.bank.rate()));
}

TEST(Hockey, PredictionFollowsDampingAndRailBounces) {
  const TableSpec& t = kTable;
  const float band = t.width * 0.5f - t.puckRadius;
  const float k = -std::log(1.0f - kPuckDamping);  // Bullet keeps (1 - d)^t of the speed
  const auto timeFor = [k](float distance, float speed) { return -std::log(1.0f - k * distance / speed) / k; };
  // Straight: no bounce; the damping makes it a little late.
  Interception i = predictCrossing({{0, 0.1f}, {2, 0}}, 0.8f, 2.0f);
  ASSERT_TRUE(i.reaches);
  EXPECT_NEAR(i.z, 0.1f, 1e-5f);
  EXPECT_NEAR(i.seconds, timeFor(0.8f, 2.0f), 1e-4f);
  EXPECT_GT(i.seconds, 0.4f);
  EXPECT_EQ(i.bounces, 0);
  // One bounce off the long rail: the z run after it is at 80 % of the z speed.
  const float vz = band / 0.2f;
  i = predictCrossing({{0, 0.0f}, {2, vz}}, 0.8f, 2.0f);
  ASSERT_TRUE(i.reaches);
  EXPECT_EQ(i.bounces, 1);
  const float carried = 2.0f * (1.0f - std::exp(-k * i.seconds)) / k;  // x run = z "path" share
  EXPECT_NEAR(carried, 0.8f, 1e-4f);
  const float zPath = carried * vz / 2.0f;  // the z distance it would run undamped by bounces
  EXPECT_NEAR(i.z, band - (zPath - band) * kPuckRestitution, 2e-3f);
  // Moving away, too slow to get there, or into a goal first: no crossing.
  EXPECT_FALSE(predictCrossing({{0, 0}, {-2, 0}}, 0.8f, 2.0f).reaches);
  EXPECT_FALSE(predictCrossing({{0, 0}, {0.1f, 0}}, 0.8f, 2.0f).reaches);
  int goal = 0;
  predictPuck({{0, 0}, {-3, 0}}, 2.0f, t, &goal);
  EXPECT_EQ(goal, -1);
  // Beside the mouth, the short rail sends it back.
  const PuckState back = predictPuck({{0.6f, 0.3f}, {3, 0}}, 0.5f, t, &goal);
  EXPECT_EQ(goal, 0);
  EXPECT_LT(back.velocity.x, 0.0f);
  EXPECT_NEAR(back.velocity.x, -3.0f * kPuckRestitution * std::pow(1.0f - kPuckDamping, 0.5f), 1e-3f);
}

// The prediction against the real table: a puck's simulated position after 0.6 s is where
// predictPuck says, to a few millimetres, the damping included. Rail bounces are left out here:
// Bullet's bounce off a rail keeps 40 to 80 % of the normal speed depending on where in a tick
// the contact falls (its speculative contacts), so after a bounce the robot's filter, not the
// model, closes the gap.
TEST(Hockey, PredictionMatchesTheSimulatedTable) {
  std::mt19937 rng(12);
  std::uniform_real_distribution<float> angle(0.0f, 6.2831853f), speed(0.5f, 4.0f), z(-0.3f, 0.3f);
  auto title = freshTitle(2, 3);
  const InputFrame away[2]{};
  int checked = 0;
  for (int n = 0; n < 80; ++n) {
    const float a = angle(rng), v = speed(rng);
    const PuckState start{{0.0f, z(rng)}, {v * std::cos(a), v * std::sin(a)}};
    int goal = 0;
    const PuckState predicted = predictPuck(start, 0.6f, kTable, &goal);
    // Clear of the goals, of the mallets parked in front of them, and of the rails.
    bool clear = goal == 0;
    int bounces = 0;
    glm::vec2 lastV = start.velocity;
    for (float at = 0; at <= 0.6f && clear; at += 0.005f) {
      const PuckState s = predictPuck(start, at, kTable);
      const glm::vec2 q = s.position;
      bounces += (s.velocity.x * lastV.x < 0) + (s.velocity.y * lastV.y < 0);
      lastV = s.velocity;
      clear = clear && bounces == 0;
      for (int seat = 0; seat < 2; ++seat)
        clear = clear && glm::length(q - malletOf(*title, seat)) > kTable.puckRadius + kTable.malletRadius + 0.02f;
    }
    if (!clear) continue;
    placePuck(*title, start);
    for (int i = 0; i < int(0.6 * kTickRateHz); ++i) title->step(away);
    const PuckState real = puckOf(*title);
    EXPECT_LT(glm::length(real.position - predicted.position), 0.005f) << "shot " << n << " at " << v << " m/s from " << start.position.x << "," << start.position.y << " v " << start.velocity.x << "," << start.velocity.y << " pred " << predicted.position.x << "," << predicted.position.y << " real " << real.position.x << "," << real.position.y << " rv " << real.velocity.x << "," << real.velocity.y << " pv " << predicted.velocity.x << "," << predicted.velocity.y;
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

uint64_t playRobots(uint64_t seed, int skill, double seconds) {
  auto title = freshTitle(2, seed, skill);
  const int ticks = static_cast<int>(seconds * kTickRateHz);
  for (int i = 0; i < ticks && !title->finished(); ++i) {
    InputFrame in[2];
    title->botInput(0, in[0]);
    title->botInput(1, in[1]);
    title->step(in);
  }
  return title->stateHash();
}

TEST(Hockey, SameSeedSameInputsSameHashAfterSixtySeconds) {
  EXPECT_EQ(playRobots(5, 2, 60.0), playRobots(5, 2, 60.0));
  EXPECT_NE(playRobots(5, 2, 60.0), playRobots(6, 2, 60.0));
}

TEST(Hockey, EasyRobotsPlayAMatchToSeven) {
  // Easy robots miss enough for a match to be won on goals well before the clock runs out.
  auto title = freshTitle(2, 1, 0);
  title->setup({.players = 2, .seed = 1, .skill = 0, .durationSeconds = 600});
  for (int i = 0; i < 600 * kTickRateHz && !title->finished(); ++i) {
    InputFrame in[2];
    title->botInput(0, in[0]);
    title->botInput(1, in[1]);
    title->step(in);
  }
  const MatchState& m = matchOf(*title);
  EXPECT_TRUE(title->finished());
  EXPECT_TRUE(m.score[0] == kWinningScore || m.score[1] == kWinningScore) << title->results(false);
  EXPECT_LT(m.seconds, 600.0);
  EXPECT_EQ(m.goals, uint64_t(m.score[0] + m.score[1]));
}

TEST(Hockey, OneVisitorPlaysAgainstTheRobot) {
  auto title = freshTitle(1, 5, 1);
  const InputFrame visitor[1]{};  // the visitor stands still
  const glm::vec2 start = malletOf(*title, 1);
  placePuck(*title, {{0.5f, 0.2f}, {0.0f, 0.0f}});  // a resting puck in the robot's half
  for (int i = 0; i < 2 * kTickRateHz; ++i) title->step(visitor);
  EXPECT_GT(glm::length(malletOf(*title, 1) - start), 0.05f) << "the robot must play seat 1";
  EXPECT_LT(puckOf(*title).position.x, 0.5f) << "and strike the puck towards the visitor's goal";
}

TEST(Hockey, MalletsStayInTheirHalfAndRespectTheSpeedLimit) {
  auto title = freshTitle(2, 2);
  InputFrame in[2]{};
  in[0].hands[1] = {{2.0f, 0, 2.0f}, glm::quat(1, 0, 0, 0), 0, 0, true};  // far across the centre line
  glm::vec2 last = malletOf(*title, 0);
  for (int i = 0; i < 2 * kTickRateHz; ++i) {
    title->step(in);
    const glm::vec2 now = malletOf(*title, 0);
    EXPECT_LE(glm::length(now - last), kMalletSpeed[2] / kTickRateHz + 1e-5f);
    last = now;
  }
  EXPECT_LE(last.x, -kTable.malletRadius + 1e-5f);
  EXPECT_LE(last.y, kTable.width * 0.5f - kTable.malletRadius + 1e-5f);
}

TEST(Hockey, BadSetupIsRefused) {
  auto title = makeHockeyTitle();
  EXPECT_THROW(title->setup({.players = 3}), pav::Error);
  EXPECT_THROW(title->setup({.players = 2, .skill = 5}), pav::Error);
  EXPECT_THROW(title->setup({.players = 2, .skill = -1}), pav::Error);
  EXPECT_NO_THROW(title->setup({.players = 2, .skill = core::kSkillFair}));
}

TEST(Hockey, TicksAllocateNothingInBullet) {
  auto title = freshTitle(2, 8, 2);
  InputFrame in[2];
  const auto play = [&](int ticks) {
    for (int i = 0; i < ticks; ++i) {
      title->botInput(0, in[0]);
      title->botInput(1, in[1]);
      title->step(in);
    }
  };
  play(60 * 480);  // a minute: every kind of contact has happened and Bullet's pools are grown
  const uint64_t before = physics::World::allocationCount();
  play(4800);
  EXPECT_EQ(physics::World::allocationCount() - before, 0u);
}

}  // namespace
}  // namespace pav::hockey

namespace pav::hockey {
namespace {

std::string writeTable(const std::string& name, const std::string& text) {
  const std::string dir = ::testing::TempDir() + "pav-hockey-" + name;
  std::filesystem::create_directories(dir + "/hockey");
  std::ofstream(dir + "/hockey/table.txt") << text;
  return dir;
}

TEST(HockeyTable, TheShippedTableIsTheChallengeTable) {
  const TableSpec t = loadTable(std::string(PAV_TEST_ASSET_DIR) + "/hockey/table.txt");
  EXPECT_FLOAT_EQ(t.length, 1.948f);
  EXPECT_FLOAT_EQ(t.width, 1.038f);
  EXPECT_FLOAT_EQ(t.goalWidth, 0.25f);
  EXPECT_FLOAT_EQ(t.puckRadius, 0.03165f);
  EXPECT_FLOAT_EQ(t.malletRadius, 0.04815f);
}

TEST(HockeyTable, BadTableFilesNameTheFileAndTheProblem) {
  const auto expectError = [](const std::string& dir, const std::string& needle) {
    auto title = makeHockeyTitle();
    try {
      title->setup({.players = 2, .dataDir = dir});
      ADD_FAILURE() << "no error for " << dir;
    } catch (const pav::Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("table.txt"), std::string::npos) << what;
      EXPECT_NE(what.find(needle), std::string::npos) << what;
    }
  };
  expectError(writeTable("nonumber", "width = wide\n"), "width");
  expectError(writeTable("range", "length = 40\n"), "out of range");
  expectError(writeTable("syntax", "length 1.9\n"), ":1:");
  expectError(writeTable("goal", "goal_width = 0.9\nwidth = 0.8\n"), "goal_width");
  expectError(::testing::TempDir() + "pav-hockey-missing", "cannot read");
}

TEST(HockeyTable, ASmallerTableChangesThePlay) {
  const std::string dir = writeTable("small", "length = 1.2\nwidth = 0.7\n");
  auto title = makeHockeyTitle();
  title->setup({.players = 2, .seed = 1, .dataDir = dir, .durationSeconds = 1e6});
  const InputFrame idle[2]{};
  placePuck(*title, {{0.0f, 0.0f}, {0.0f, 3.0f}});
  float maxZ = 0;
  for (int i = 0; i < 240; ++i) {
    title->step(idle);
    maxZ = std::max(maxZ, puckOf(*title).position.y);
  }
  EXPECT_LT(maxZ, 0.35f) << "the puck bounces off the narrower table's rail";
  EXPECT_GT(maxZ, 0.30f);
}

// A desktop visitor: the window shows the table from behind their goal, so the pointer's
// height is the distance from their goal line to the centre line and across is across the
// table as they see it. The mallet goes where the pointer says, mirrored for seat 1.
TEST(Hockey, ADesktopPointerMovesTheVisitorsMalletWhereItPoints) {
  auto title = freshTitle(2, 5);
  const TableSpec& t = tableOf(*title);
  const core::DesktopControls pointer{.pointerX = 0.75f, .pointerY = 0.5f};
  std::vector<InputFrame> inputs(2);
  for (int i = 0; i < 480; ++i) {  // one second
    for (int seat = 0; seat < 2; ++seat) title->desktopInput(pointer, seat, inputs[size_t(seat)]);
    title->step(inputs);
  }
  EXPECT_NEAR(malletOf(*title, 0).x, -t.length * 0.25f, 0.01f);
  EXPECT_NEAR(malletOf(*title, 0).y, t.width * 0.25f, 0.01f);   // right of the window: +Z from seat 0
  EXPECT_NEAR(malletOf(*title, 1).x, t.length * 0.25f, 0.01f);
  EXPECT_NEAR(malletOf(*title, 1).y, -t.width * 0.25f, 0.01f);  // and -Z from seat 1, facing it
  // The bottom of the window is the own goal line (the mallet stops a radius inside it).
  InputFrame in;
  title->desktopInput({.pointerX = 0.5f, .pointerY = 1.0f}, 0, in);
  EXPECT_TRUE(in.hands[1].tracked);
  EXPECT_FLOAT_EQ(in.hands[1].position.x, -t.length * 0.5f);
  EXPECT_FLOAT_EQ(in.hands[1].position.z, 0.0f);
}

}  // namespace
}  // namespace pav::hockey
