// Cars: at rest they stay put, at 200 km/h they stay on the road with their wheels on it, and
// a car that leaves the road or lands on its roof is put back on the track.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "pav/driving/driving.h"

namespace pav::driving {
namespace {

constexpr float kPi = 3.14159265f;

struct Race {
  DrivingTitle title;
  std::vector<core::InputFrame> inputs;
  explicit Race(int players, uint64_t seed = 1) {
    title.setup({.players = players, .seed = seed, .skill = 1, .dataDir = PAV_TEST_ASSET_DIR});
    inputs.resize(static_cast<size_t>(players));
  }
  void steps(int n) {
    for (int i = 0; i < n; ++i) title.step(inputs);
  }
};

TEST(DrivingCar, AParkedCarMovesLessThanOneCentimetreInTenSeconds) {
  Race race(1);
  race.title.placeCar(0, 150.0f, 2.0f, 0.0f);
  const glm::vec3 start = race.title.car(0).position;
  float worst = 0;
  for (int i = 0; i < 10 * 240; ++i) {
    race.steps(1);
    worst = std::max(worst, glm::length(race.title.car(0).position - start));
  }
  std::printf("parked car on the flat: largest drift from its placed position %.3f mm\n", worst * 1000.0f);
  EXPECT_LT(worst, 0.01f);
  EXPECT_EQ(race.title.car(0).wheelsInContact, 4);
}

TEST(DrivingCar, AParkedCarOnABankedCornerStaysPut) {
  Race race(1);
  const Track& t = race.title.track();
  // The most banked sample on the circuit.
  float s = 0, bank = 0;
  for (const TrackSample& c : t.samples) {
    if (std::fabs(c.bankRad) > bank) bank = std::fabs(c.bankRad), s = c.s;
  }
  ASSERT_GT(bank, 0.05f);
  race.title.placeCar(0, s, 0.0f, 0.0f);
  const glm::vec3 start = race.title.car(0).position;
  race.steps(10 * 240);
  const float moved = glm::length(race.title.car(0).position - start);
  std::printf("parked car on %.1f deg of banking: moved %.3f mm in 10 s\n", bank * 180.0f / kPi, moved * 1000.0f);
  EXPECT_LT(moved, 0.01f);
}

TEST(DrivingCar, At200KmhTheCarStaysOnTheRoadWithItsWheelsOnIt) {
  Race race(1);
  const Track& t = race.title.track();
  // The start of the long run onto the main straight (the grid is on it): 500 m with no bend.
  const float from = t.length - 85.0f;
  const float speed = 200.0f / 3.6f;
  race.title.placeCar(0, from, 0.0f, speed);
  race.title.takeMinHeightAboveRoad(0);
  int ticks = 0, lostContact = 0;
  float minSpeed = 1e9f, maxLateral = 0;
  while (true) {
    race.title.botInput(0, race.inputs[0]);  // steering only: flat out down the straight
    race.inputs[0].throttle = 1;
    race.inputs[0].brake = 0;
    race.steps(1);
    ++ticks;
    const CarStatus c = race.title.car(0);
    if (c.s > 380.0f && c.s < 1000.0f) break;
    ASSERT_LT(ticks, 20 * 240) << "never reached the end of the straight";
    lostContact += c.wheelsInContact < 4 ? 1 : 0;
    minSpeed = std::min(minSpeed, c.speed);
    maxLateral = std::max(maxLateral, std::fabs(c.lateral));
    ASSERT_TRUE(c.onTrack) << "left the road at s = " << c.s;
  }
  const float minHeight = race.title.takeMinHeightAboveRoad(0);
  const CarStatus c = race.title.car(0);
  std::printf("200 km/h run: %d ticks (%.1f s), min %.0f km/h, end %.0f km/h, lowest chassis centre %.3f m above "
              "the road, max lateral %.2f m, ticks with a wheel off the road %d\n",
              ticks, ticks / 240.0, minSpeed * 3.6f, c.speed * 3.6f, minHeight, maxLateral, lostContact);
  EXPECT_GE(minSpeed * 3.6f, 195.0f);
  EXPECT_GT(minHeight, 0.3f) << "the chassis sank towards (or through) the road";
  EXPECT_EQ(lostContact, 0);
  EXPECT_EQ(c.resets, 0);
}

TEST(DrivingCar, ACarOffTheRoadIsPutBackAfterTwoSeconds) {
  Race race(1);
  const Track& t = race.title.track();
  const TrackSample& c = t.samples[static_cast<size_t>(t.sampleAt(250.0f))];
  // On the grass, 12 m beyond the road's edge, parked.
  const glm::vec3 grass = c.position + c.right * (c.halfWidth + 12.0f);
  const glm::quat facing = glm::quat_cast(glm::mat3(glm::cross(glm::vec3(0, 1, 0), c.forward), glm::vec3(0, 1, 0), c.forward));
  race.title.poseCar(0, {grass.x, 0.6f, grass.z}, facing, glm::vec3(0.0f));
  EXPECT_FALSE(race.title.car(0).onTrack);
  race.steps(int(1.9 * 240));
  EXPECT_EQ(race.title.car(0).resets, 0) << "too early";
  race.steps(int(0.3 * 240));
  race.steps(240);  // settle after the reset
  const CarStatus after = race.title.car(0);
  EXPECT_EQ(after.resets, 1);
  EXPECT_TRUE(after.onTrack);
  EXPECT_LT(std::fabs(after.lateral), 0.3f);
  EXPECT_NEAR(after.s, 250.0f, 3.0f);
  EXPECT_LT(after.speed, 0.1f);
  EXPECT_EQ(after.wheelsInContact, 4);
  // Facing along the track.
  const glm::vec3 fwd = after.orientation * glm::vec3(0, 0, 1);
  EXPECT_GT(glm::dot(fwd, c.forward), 0.99f);
}

TEST(DrivingCar, ACarOnItsRoofIsPutBackUpright) {
  Race race(1);
  const Track& t = race.title.track();
  const TrackSample& c = t.samples[static_cast<size_t>(t.sampleAt(300.0f))];
  const glm::quat upright = glm::quat_cast(glm::mat3(glm::cross(glm::vec3(0, 1, 0), c.forward), glm::vec3(0, 1, 0), c.forward));
  const glm::quat roof = glm::angleAxis(kPi, c.forward) * upright;
  race.title.poseCar(0, c.position + glm::vec3(0, 1.0f, 0), roof, glm::vec3(0.0f));
  race.steps(240 / 2);
  EXPECT_LT((race.title.car(0).orientation * glm::vec3(0, 1, 0)).y, 0.0f) << "should still be on its roof";
  race.steps(2 * 240);
  const CarStatus after = race.title.car(0);
  EXPECT_EQ(after.resets, 1);
  EXPECT_GT((after.orientation * glm::vec3(0, 1, 0)).y, 0.95f);
  EXPECT_TRUE(after.onTrack);
  EXPECT_EQ(after.wheelsInContact, 4);
}

TEST(DrivingCar, SteeringTurnsTheWayTheWheelSays) {
  Race race(1);
  race.title.placeCar(0, 100.0f, 0.0f, 15.0f);
  race.inputs[0].throttle = 0.3f;
  race.inputs[0].steer = 0.5f;  // right
  race.steps(240);
  EXPECT_GT(race.title.car(0).lateral, 1.0f) << "steering right should move the car right";
}

// Driving keeps the Title's default desktop controls: Up is the throttle, Down the brake, the
// arrows steer. Three seconds of Up moves the car; then Down stops it again.
TEST(DrivingCar, TheDefaultDesktopControlsDriveTheCar) {
  Race race(1);
  for (int i = 0; i < static_cast<int>(3 * race.title.info().tickRateHz); ++i) {
    race.title.desktopInput({.up = true}, 0, race.inputs[0]);
    race.title.step(race.inputs);
  }
  const float fast = glm::length(race.title.car(0).velocity);
  EXPECT_GT(fast, 5.0f) << "three seconds of full throttle";
  for (int i = 0; i < static_cast<int>(6 * race.title.info().tickRateHz); ++i) {
    race.title.desktopInput({.down = true}, 0, race.inputs[0]);
    race.title.step(race.inputs);
  }
  EXPECT_LT(glm::length(race.title.car(0).velocity), 0.5f) << "six seconds of the brake from " << fast << " m/s";
  core::InputFrame in;
  race.title.desktopInput({.right = true, .space = true}, 0, in);
  EXPECT_FLOAT_EQ(in.steer, 1.0f);
  EXPECT_FLOAT_EQ(in.hands[1].trigger, 1.0f);
  EXPECT_EQ(in.buttons, 1u);
}

}  // namespace
}  // namespace pav::driving
