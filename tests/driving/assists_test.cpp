// Driving aids for first-timers: a visitor model (human-like reaction, wandering hands, a foot
// too brave for the corners) drives three laps with the expo preset and never leaves the road;
// without the assists the same visitor does. Also: presets by name, a bad preset refused, the
// assists deterministic, a stuck car put back, and the ghost of the session's best lap.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <cstdio>
#include <vector>

#include "pav/core/error.h"
#include "pav/core/replay.h"
#include "pav/driving/driving.h"

namespace pav::driving {
namespace {

struct Drive {
  int ticks = 0;
  int offTrackTicks = 0;  // ticks with the car's centre beyond the road's edge
  int departures = 0;     // times it went off (on -> off)
  int resets = 0;
  int laps = 0;
  float worst = 0;        // max |lateral| / half-width
  float best = 0;
  uint64_t hash = 0;
};

Drive visitorLaps(int assists, uint64_t seed, float noise = 1.0f) {
  DrivingTitle title;
  title.setup({.players = 1, .seed = seed, .skill = 1, .dataDir = PAV_TEST_ASSET_DIR, .assists = assists});
  VisitorDriver visitor(seed, noise);
  std::vector<core::InputFrame> in(1);
  Drive d;
  bool wasOn = true;
  const int limit = 400 * 240;
  while (!title.finished() && d.ticks < limit) {
    visitor.drive(title, 0, in[0]);
    title.step(in);
    ++d.ticks;
    const CarStatus c = title.car(0);
    d.worst = std::max(d.worst, std::fabs(c.lateral) / c.halfWidth);
    if (!c.onTrack) ++d.offTrackTicks;
    if (wasOn && !c.onTrack) ++d.departures;
    wasOn = c.onTrack;
  }
  const CarStatus c = title.car(0);
  d.resets = c.resets;
  d.laps = c.lapsDone;
  d.best = c.bestLap;
  d.hash = title.stateHash();
  std::printf("assists %s, seed %llu, noise %.2f: %d laps in %.1f s (best %.2f s); off the road %d times, %.2f s in "
              "all; max |lateral|/half-width %.3f; resets %d\n",
              core::assistsName(assists), static_cast<unsigned long long>(seed), noise, d.laps, d.ticks / 240.0,
              d.best, d.departures, d.offTrackTicks / 240.0, d.worst, d.resets);
  return d;
}

// Two visitors (seeds), each three laps with the expo preset and three without.
TEST(Assists, ExpoKeepsAFirstTimerOnTheRoadWithoutItTheyLeaveIt) {
  for (uint64_t seed : {3ull, 4ull}) {
    const Drive expo = visitorLaps(core::kAssistsExpo, seed);
    EXPECT_EQ(expo.laps, 3) << "seed " << seed;
    EXPECT_EQ(expo.departures, 0) << "seed " << seed << ": with the expo assists the visitor left the road";
    EXPECT_LT(expo.worst, 1.0f);
    EXPECT_EQ(expo.resets, 0);
    const Drive off = visitorLaps(core::kAssistsOff, seed);
    EXPECT_GE(off.departures, 1) << "seed " << seed << ": without assists the same visitor stayed on";
    EXPECT_NE(expo.hash, off.hash);
  }
}

// The same visitor with no noise stays on without assists: the departures above are the
// noise's, which is what the assists are for.
TEST(Assists, TheVisitorWithoutNoiseNeedsNoAssists) {
  const Drive calm = visitorLaps(core::kAssistsOff, 3, 0.0f);
  EXPECT_EQ(calm.laps, 3);
  EXPECT_EQ(calm.departures, 0);
}

TEST(Assists, PresetsByNameAndABadOneIsRefusedWithTheList) {
  EXPECT_EQ(core::parseAssists("off"), core::kAssistsOff);
  EXPECT_EQ(core::parseAssists("light"), core::kAssistsLight);
  EXPECT_EQ(core::parseAssists("expo"), core::kAssistsExpo);
  EXPECT_EQ(core::parseAssists("2"), core::kAssistsExpo);
  EXPECT_EQ(core::parseAssists("EXPO"), -1);
  EXPECT_EQ(core::parseAssists(""), -1);
  EXPECT_EQ(core::parseAssists("3"), -1);
  EXPECT_STREQ(core::assistsName(core::kAssistsExpo), "expo");
  const Assists expo = assistsFor(core::kAssistsExpo), off = assistsFor(core::kAssistsOff);
  EXPECT_GT(expo.steer, 0);
  EXPECT_GT(expo.brakeShare, 0);
  EXPECT_TRUE(expo.traction);
  EXPECT_EQ(off.steer, 0);
  EXPECT_EQ(off.brakeShare, 0);
  EXPECT_FALSE(off.traction);
  DrivingTitle title;
  try {
    title.setup({.players = 1, .seed = 1, .dataDir = PAV_TEST_ASSET_DIR, .assists = 7});
    FAIL() << "assists 7 was taken";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("off, light, expo"), std::string::npos) << e.what();
  }
}

// The assists are part of the step: the same seed and inputs give the same state.
TEST(Assists, SameInputsSameRace) {
  const Drive a = visitorLaps(core::kAssistsExpo, 5, 1.0f);
  const Drive b = visitorLaps(core::kAssistsExpo, 5, 1.0f);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.ticks, b.ticks);
}

// A car whose driver asks for throttle but that does not move (here: held by its own brake,
// which the driver presses harder) is put back on the road after kStuckResetS; one that rolls
// is left alone.
TEST(Recovery, AStuckCarIsPutBack) {
  DrivingTitle title;
  title.setup({.players = 1, .seed = 1, .dataDir = PAV_TEST_ASSET_DIR});
  title.placeCar(0, 100.0f, 0.0f, 0.0f);
  std::vector<core::InputFrame> in(1);
  in[0].throttle = 0.6f;
  in[0].brake = 1.0f;
  for (int t = 0; t < 3 * 240; ++t) title.step(in);
  EXPECT_EQ(title.car(0).resets, 0) << "put back before it was stuck for long";
  for (int t = 0; t < 2 * 240; ++t) title.step(in);
  EXPECT_EQ(title.car(0).resets, 1);
  EXPECT_TRUE(title.car(0).onTrack);
}

// The session's best lap is every car's ghost: none before a lap is done; after it, beside a
// car at its lap clock, on the road, and the best of the laps recorded.
TEST(Ghost, TheBestLapDrivesBesideTheCar) {
  DrivingTitle title;
  title.setup({.players = 1, .seed = 2, .skill = 2, .dataDir = PAV_TEST_ASSET_DIR});
  std::vector<core::InputFrame> in(1);
  glm::vec3 at;
  glm::quat q;
  int shown = 0, checked = 0;
  float worstOff = 0;
  while (!title.finished() && title.tick() < 400 * 240) {
    title.botInput(0, in[0]);
    title.step(in);
    const CarStatus c = title.car(0);
    if (c.lapsDone == 0) {
      EXPECT_FALSE(title.ghost(0, at, q)) << "a ghost before any lap, tick " << title.tick();
      continue;
    }
    if (!title.ghost(0, at, q)) continue;
    ++shown;
    if (title.tick() % 240 == 0) {
      const int i = title.track().nearest(at);
      float s = 0, lateral = 0;
      title.track().project(at, i, s, lateral);
      worstOff = std::max(worstOff, std::fabs(lateral) / title.track().samples[size_t(i)].halfWidth);
      ++checked;
    }
  }
  ASSERT_TRUE(title.finished());
  const auto laps = title.lapTimes(0);
  EXPECT_FLOAT_EQ(title.ghostLapTime(), *std::min_element(laps.begin(), laps.end()));
  EXPECT_GT(shown, 240 * 60) << "the ghost showed for under a minute of two laps";
  EXPECT_GT(checked, 60);
  EXPECT_LT(worstOff, 1.0f) << "the ghost left the road";
}

}  // namespace
}  // namespace pav::driving

namespace pav::driving {
namespace {

// A session with the expo aids, recorded and re-made from its replay: the header carries the
// preset, and the re-made race is hash-identical tick by tick (the aids are part of the step).
TEST(Assists, AReplayRemakesAnAssistedRaceIdentically) {
  const std::string path = ::testing::TempDir() + "assists_replay.pavr";
  DrivingTitle title;
  const core::TitleSetup setup{.players = 1, .seed = 6, .skill = 1, .dataDir = PAV_TEST_ASSET_DIR, .assists = core::kAssistsExpo};
  title.setup(setup);
  VisitorDriver visitor(6);
  std::vector<core::InputFrame> in(1);
  {
    core::ReplayWriter writer(path, title.info(), setup);
    for (int t = 0; t < 20 * 240; ++t) {
      visitor.drive(title, 0, in[0]);
      title.step(in);
      writer.tick(in, title.stateHash());
    }
    ASSERT_TRUE(writer.finish());
  }
  core::Replay replay = core::Replay::load(path);
  EXPECT_EQ(replay.setup.assists, core::kAssistsExpo);
  replay.setup.dataDir = PAV_TEST_ASSET_DIR;
  DrivingTitle again;
  const core::ReplayCheck check = core::verifyReplay(replay, again, nullptr);
  EXPECT_TRUE(check.identical) << "first mismatch at tick " << check.firstMismatch;
  EXPECT_EQ(check.ticks, 20u * 240u);
  // Re-made without the aids, the same inputs drive another race.
  replay.setup.assists = core::kAssistsOff;
  DrivingTitle off;
  EXPECT_FALSE(core::verifyReplay(replay, off, nullptr).identical);
}

}  // namespace
}  // namespace pav::driving
