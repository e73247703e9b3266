// Races: a bot drives three clean laps; four bots race to a result; the same seed and inputs
// replay to the same hash; and a racing tick allocates nothing in Bullet.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "pav/core/error.h"
#include "pav/driving/driving.h"
#include "pav/physics/physics.h"

namespace pav::driving {
namespace {

struct Race {
  DrivingTitle title;
  std::vector<core::InputFrame> inputs;
  explicit Race(int players, uint64_t seed = 1, int skill = 1, double seconds = 0) {
    title.setup({.players = players, .seed = seed, .skill = skill, .dataDir = PAV_TEST_ASSET_DIR,
                 .durationSeconds = seconds});
    inputs.resize(static_cast<size_t>(players));
  }
  void botTick() {
    for (int p = 0; p < title.players(); ++p) title.botInput(p, inputs[static_cast<size_t>(p)]);
    title.step(inputs);
  }
};

void threeCleanLaps(int skill) {
  Race race(1, 1, skill);
  float worst = 0, worstS = 0;
  const int limit = 600 * 240;
  int ticks = 0;
  while (!race.title.finished() && ticks < limit) {
    race.botTick();
    ++ticks;
    const CarStatus c = race.title.car(0);
    const float ratio = std::fabs(c.lateral) / c.halfWidth;
    if (ratio > worst) worst = ratio, worstS = c.s;
  }
  const CarStatus c = race.title.car(0);
  const auto laps = race.title.lapTimes(0);
  std::printf("skill %d: %zu laps in %.1f s, laps", skill, laps.size(), ticks / 240.0);
  for (float l : laps) std::printf(" %.2f", l);
  std::printf(" s, best %.2f s; max |lateral| / half-width %.3f (at s = %.0f m); resets %d\n", c.bestLap, worst, worstS,
              c.resets);
  std::printf("%s\n", race.title.results(false).c_str());
  ASSERT_TRUE(race.title.finished());
  EXPECT_EQ(c.lapsDone, 3);
  ASSERT_EQ(laps.size(), 3u);
  for (float l : laps) {
    EXPECT_GT(l, 30.0f);
    EXPECT_LT(l, 120.0f);
  }
  EXPECT_FLOAT_EQ(c.bestLap, *std::min_element(laps.begin(), laps.end()));
  EXPECT_LT(worst, 1.0f) << "the car's centre left the road";
  EXPECT_EQ(c.resets, 0);
}

TEST(DrivingRace, AMediumBotDrivesThreeLapsOnTheRoad) { threeCleanLaps(1); }
TEST(DrivingRace, AHardBotDrivesThreeLapsOnTheRoad) { threeCleanLaps(2); }
TEST(DrivingRace, AnEasyBotDrivesThreeLapsOnTheRoad) { threeCleanLaps(0); }

TEST(DrivingRace, FourBotsRaceToAResult) {
  Race race(4, 3, 2);
  int ticks = 0;
  while (!race.title.finished() && ticks < 900 * 240) race.botTick(), ++ticks;
  ASSERT_TRUE(race.title.finished());
  std::vector<int> positions;
  for (int p = 0; p < 4; ++p) {
    const CarStatus c = race.title.car(p);
    EXPECT_TRUE(c.finished);
    EXPECT_EQ(c.lapsDone, 3);
    positions.push_back(c.racePosition);
  }
  std::sort(positions.begin(), positions.end());
  EXPECT_EQ(positions, (std::vector<int>{1, 2, 3, 4}));
  const std::string line = race.title.results(false);
  const std::string json = race.title.results(true);
  std::printf("%s\n%s\n", line.c_str(), json.c_str());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find("best"), std::string::npos);
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.back(), '}');
  EXPECT_NE(json.find("\"track\":\"Harbour Park\""), std::string::npos);
  EXPECT_NE(json.find("\"position\":4"), std::string::npos);
  EXPECT_NE(json.find("\"lapTimesS\":["), std::string::npos);
  EXPECT_EQ(std::count(json.begin(), json.end(), '{'), std::count(json.begin(), json.end(), '}'));
}

TEST(DrivingRace, PositionsFollowDistance) {
  Race race(2);
  race.title.placeCar(0, 300.0f, 0.0f, 0.0f);
  race.title.placeCar(1, 200.0f, 0.0f, 0.0f);
  race.botTick();
  // Neither has crossed the line yet: both are still on their first approach to it, so
  // further along is further ahead.
  EXPECT_EQ(race.title.car(0).racePosition, 1);
  EXPECT_EQ(race.title.car(1).racePosition, 2);
}

TEST(DrivingRace, DurationEndsTheRace) {
  Race race(2, 1, 1, 5.0);
  int ticks = 0;
  while (!race.title.finished()) race.botTick(), ++ticks;
  EXPECT_EQ(ticks, 5 * 240);
  EXPECT_NE(race.title.results(true).find("\"finished\":true"), std::string::npos);
}

TEST(DrivingRace, TheTitleIsRegistered) {
  registerDrivingTitle();
  auto title = core::createTitle("driving");
  ASSERT_TRUE(title);
  EXPECT_EQ(title->info().id, "driving");
  EXPECT_GE(title->info().tickRateHz, 120.0);
  EXPECT_EQ(title->info().maxPlayers, 4);
  EXPECT_THROW(title->setup({.players = 5, .dataDir = PAV_TEST_ASSET_DIR}), pav::Error);
}

// ---- determinism -------------------------------------------------------------------------------

// 60 s: player 0 a bot, player 1 a scripted "person" (weaving, lifting, braking).
uint64_t play(uint64_t seed, float weave) {
  Race race(2, seed);
  for (int t = 0; t < 60 * 240; ++t) {
    race.title.botInput(0, race.inputs[0]);
    race.title.botInput(1, race.inputs[1]);
    const float phase = static_cast<float>(t) / 240.0f;
    race.inputs[1].steer = std::clamp(race.inputs[1].steer + weave * std::sin(phase * 2.0f), -1.0f, 1.0f);
    if (t % 2400 > 2200) race.inputs[1].throttle = 0, race.inputs[1].brake = 0.5f;
    race.title.step(race.inputs);
  }
  return race.title.stateHash();
}

TEST(DrivingDeterminism, SameSeedAndInputsGiveTheSameHash) {
  const uint64_t a = play(7, 0.2f);
  const uint64_t b = play(7, 0.2f);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, play(8, 0.2f)) << "the seed should matter";
  EXPECT_NE(a, play(7, 0.25f)) << "the inputs should matter";
}

// ---- allocations -------------------------------------------------------------------------------

TEST(DrivingAllocations, FourBotsRacingMakeNoBulletAllocations) {
  Race race(4, 5, 2);
  for (int t = 0; t < 6 * 240; ++t) race.botTick();  // warm-up: contacts seen, pools grown
  const uint64_t before = physics::World::allocationCount();
  for (int t = 0; t < 600; ++t) race.botTick();
  EXPECT_EQ(physics::World::allocationCount() - before, 0u);
}

}  // namespace
}  // namespace pav::driving
