// The automatic gearbox and the kerbs: a car pulling away from rest shifts up through the
// gears in order near the redline, each shift changes the ratio the engine turns through (its
// speed falls by the ratio step, the drive force with it), braking shifts down in order, the
// shift points never make the box hunt, the gear travels with the networked state; the
// corners have kerbs, the straights none, and a car steered onto a kerb reports its wheels
// on it, and none once it is back in the middle of the road.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "pav/driving/driving.h"

namespace pav::driving {
namespace {

// A stadium: two 2 km straights joined by 100 m-radius half circles, so a car has room to
// reach top gear from rest.
Track stadium() {
  std::string text = "name Stadium\nlaps 1\n";
  auto point = [&](double x, double z) { text += std::to_string(x) + " " + std::to_string(z) + " 14 0 asphalt\n"; };
  for (int i = 0; i <= 10; ++i) point(0.0, 200.0 * i);
  for (int k = 1; k < 6; ++k) {
    const double a = 3.14159265 * k / 6;
    point(100.0 - 100.0 * std::cos(a), 2000.0 + 100.0 * std::sin(a));
  }
  for (int i = 10; i >= 0; --i) point(200.0, 200.0 * i);
  for (int k = 1; k < 6; ++k) {
    const double a = 3.14159265 * k / 6;
    point(100.0 + 100.0 * std::cos(a), -100.0 * std::sin(a));
  }
  return Track::parse(text, "<stadium>");
}

struct Race {
  DrivingTitle title;
  std::vector<core::InputFrame> inputs;
  explicit Race(int players = 1, uint64_t seed = 1, bool onStadium = false) {
    const core::TitleSetup setup{.players = players, .seed = seed, .skill = 2, .dataDir = PAV_TEST_ASSET_DIR};
    if (onStadium)
      title.setup(setup, stadium());
    else
      title.setup(setup);
    inputs.resize(static_cast<size_t>(players));
  }
  // The bot steers; throttle and brake are the test's.
  void step(float throttle, float brake) {
    title.botInput(0, inputs[0]);
    inputs[0].throttle = throttle;
    inputs[0].brake = brake;
    title.step(inputs);
  }
};

float overallRatio(const CarTuning& t, int gear) { return t.gearRatios[static_cast<size_t>(gear - 1)] * t.finalDrive; }

TEST(DrivingGearbox, ACarPullingAwayFromRestShiftsUpThroughTheGearsInOrder) {
  Race race(1, 1, true);
  const CarTuning& tuning = race.title.tuning();
  race.title.placeCar(0, 10.0f, 0.0f, 0.0f);
  ASSERT_EQ(race.title.car(0).gear, 1);
  std::vector<int> gears{1};
  std::vector<float> shiftSpeeds, rpmBefore, rpmAfter;
  float lastRpm = race.title.car(0).engineRpm;
  for (int t = 0; t < 30 * 240 && race.title.car(0).gear < kGears; ++t) {
    race.step(1.0f, 0.0f);
    const CarStatus c = race.title.car(0);
    if (c.gear != gears.back()) {
      gears.push_back(c.gear);
      shiftSpeeds.push_back(c.speed);
      rpmBefore.push_back(lastRpm);
      rpmAfter.push_back(c.engineRpm);
    }
    lastRpm = c.engineRpm;
    ASSERT_LE(c.engineRpm, tuning.limiterRpm) << "the box let the engine hit the limiter in gear " << c.gear;
  }
  std::printf("from rest, full throttle: gears");
  for (int g : gears) std::printf(" %d", g);
  std::printf("; shifts at");
  for (size_t i = 0; i < shiftSpeeds.size(); ++i)
    std::printf(" %.0f km/h (%.0f -> %.0f rpm)", shiftSpeeds[i] * 3.6, rpmBefore[i], rpmAfter[i]);
  std::printf("\n");
  ASSERT_EQ(gears.size(), static_cast<size_t>(kGears)) << "every gear, once each";
  for (size_t i = 0; i < gears.size(); ++i) EXPECT_EQ(gears[i], static_cast<int>(i) + 1);
  for (size_t i = 0; i < rpmBefore.size(); ++i) {
    // At full throttle the box holds each gear to the redline...
    EXPECT_GE(rpmBefore[i], tuning.redlineRpm - 150.0f) << "shift " << i + 1;
    // ...and the next gear's ratio takes the engine's speed down by the ratio's step.
    const float step = overallRatio(tuning, gears[i + 1]) / overallRatio(tuning, gears[i]);
    EXPECT_NEAR(rpmAfter[i] / rpmBefore[i], step, 0.01f) << "shift " << i + 1;
  }
  for (size_t i = 1; i < shiftSpeeds.size(); ++i) EXPECT_GT(shiftSpeeds[i], shiftSpeeds[i - 1] + 5.0f);
  EXPECT_LT(race.title.car(0).s, 2000.0f) << "top gear on the first straight";
  EXPECT_EQ(race.title.car(0).resets, 0);
}

TEST(DrivingGearbox, TheShiftChangesTheRatioAndTheForceWithIt) {
  const CarTuning t;
  // At one road speed, first and second gear turn the engine at speeds in the ratio of their
  // gears, and the force at the wheels is the torque there times that gear's ratio.
  const float v = 20.0f;
  const float rpm1 = engineRpm(t, 1, v), rpm2 = engineRpm(t, 2, v);
  EXPECT_NEAR(rpm1 / rpm2, t.gearRatios[0] / t.gearRatios[1], 1e-4f);
  for (int g = 2; g <= kGears; ++g) {
    const float rpm = engineRpm(t, g, 30.0f);
    const float expected = engineTorqueNm(t, rpm) * overallRatio(t, g) * t.drivelineEfficiency / t.wheelRadius;
    EXPECT_NEAR(driveForce(t, g, 30.0f, 1.0f), std::min(expected, t.maxEngineForce), 1e-2f) << "gear " << g;
    EXPECT_NEAR(driveForce(t, g, 30.0f, 0.5f), 0.5f * std::min(expected, t.maxEngineForce), 1e-2f) << "gear " << g;
  }
  // Higher gears pull less at the same speed: the car accelerates less once it has shifted.
  for (int g = 2; g < kGears; ++g) EXPECT_GT(driveForce(t, g, 25.0f, 1.0f), driveForce(t, g + 1, 25.0f, 1.0f));
  // Past the limiter a gear gives nothing: second at 40 m/s would be 8700 rpm.
  EXPECT_EQ(driveForce(t, 2, 40.0f, 1.0f), 0.0f);
  // Pulling away the clutch slips: the engine turns at launchRpm, not at zero.
  EXPECT_FLOAT_EQ(engineRpm(t, 1, 0.0f), t.launchRpm);
  EXPECT_GT(driveForce(t, 1, 0.0f, 1.0f), 0.9f * t.maxEngineForce);
  // The limiter cuts the fuel.
  EXPECT_EQ(engineTorqueNm(t, t.limiterRpm + 1.0f), 0.0f);
  // Peak power at the wheels is about the tuning's maxPowerW.
  float peak = 0;
  for (float rpm = 1000; rpm < t.limiterRpm; rpm += 50)
    peak = std::max(peak, engineTorqueNm(t, rpm) * rpm * 2.0f * 3.14159265f / 60.0f * t.drivelineEfficiency);
  EXPECT_NEAR(peak, t.maxPowerW, 0.05f * t.maxPowerW);
}

TEST(DrivingGearbox, AfterAShiftTheSameSpeedAndThrottleKeepTheNewGear) {
  // Hysteresis: at any speed and throttle, a shift is never followed by the opposite one.
  const CarTuning t;
  int shifts = 0;
  for (float throttle : {0.0f, 0.3f, 0.7f, 1.0f}) {
    for (float v = 0.0f; v < 90.0f; v += 0.25f) {
      for (int g = 1; g <= kGears; ++g) {
        const int next = shiftGear(t, g, v, throttle);
        ASSERT_LE(std::abs(next - g), 1);
        if (next == g) continue;
        ++shifts;
        ASSERT_NE(shiftGear(t, next, v, throttle), g)
            << "gear " << g << " -> " << next << " at " << v << " m/s, throttle " << throttle << " shifts back";
      }
    }
  }
  EXPECT_GT(shifts, 100);
  // A placed car starts in a gear the box keeps.
  for (float v = 0.0f; v < 90.0f; v += 0.5f) EXPECT_EQ(shiftGear(t, gearFor(t, v), v, 0.0f), gearFor(t, v)) << v;
}

TEST(DrivingGearbox, BrakingShiftsDownInOrder) {
  Race race(1, 1, true);
  race.title.placeCar(0, 500.0f, 0.0f, 60.0f);
  race.step(1.0f, 0.0f);
  int gear = race.title.car(0).gear;
  ASSERT_GE(gear, 5);
  std::vector<int> gears{gear};
  for (int t = 0; t < 10 * 240 && race.title.car(0).speed > 3.0f; ++t) {
    race.step(0.0f, 1.0f);
    const int g = race.title.car(0).gear;
    if (g != gears.back()) gears.push_back(g);
  }
  for (size_t i = 1; i < gears.size(); ++i) EXPECT_EQ(gears[i], gears[i - 1] - 1) << "downshifts one at a time";
  EXPECT_EQ(gears.back(), 1) << "stopped in first";
}

TEST(DrivingGearbox, TheGearTravelsWithTheNetworkedState) {
  Race a(2, 3);
  for (int t = 0; t < 12 * 240; ++t) {
    for (int p = 0; p < 2; ++p) a.title.botInput(p, a.inputs[static_cast<size_t>(p)]);
    a.title.step(a.inputs);
  }
  core::StateSchema schema;
  a.title.describe(schema);
  core::StateFrame frame;
  frame.resize(schema);
  a.title.capture(frame);
  Race b(2, 3);  // on the grid, in first
  b.title.apply(frame);
  for (int p = 0; p < 2; ++p) {
    EXPECT_GT(a.title.car(p).gear, 1) << "car " << p << " should be up the gears after 12 s";
    EXPECT_EQ(b.title.car(p).gear, a.title.car(p).gear) << "car " << p;
  }
  // And both continue alike: the same gear makes the same force.
  for (int t = 0; t < 240; ++t) {
    for (int p = 0; p < 2; ++p) a.title.botInput(p, a.inputs[static_cast<size_t>(p)]);
    a.title.step(a.inputs);
    b.title.step(a.inputs);
  }
  for (int p = 0; p < 2; ++p) {
    EXPECT_EQ(b.title.car(p).gear, a.title.car(p).gear) << "car " << p;
    EXPECT_LT(glm::length(b.title.car(p).position - a.title.car(p).position), 0.01f) << "car " << p;
  }
}

// ---- kerbs -----------------------------------------------------------------------------------

TEST(DrivingKerbs, TheCornersHaveKerbsAndTheStraightsNone) {
  Race race;
  const Track& t = race.title.track();
  int kerbed = 0, tightWithout = 0;
  for (const TrackSample& c : t.samples) {
    kerbed += c.kerb ? 1 : 0;
    if (c.curvature > 1.0f / 100.0f && !c.kerb) ++tightWithout;
  }
  std::printf("kerbs on %d of %zu samples (%.0f%% of the lap)\n", kerbed, t.samples.size(),
              100.0 * kerbed / double(t.samples.size()));
  EXPECT_EQ(tightWithout, 0) << "every tight corner has kerbs";
  EXPECT_GT(kerbed, static_cast<int>(t.samples.size()) / 10);
  EXPECT_LT(kerbed, static_cast<int>(t.samples.size()) * 3 / 4);
  // The middle of the main straight has none.
  EXPECT_FALSE(t.samples[static_cast<size_t>(t.sampleAt(200.0f))].kerb);
  // A kerb is the outermost kKerbWidthM of the road on either side.
  int i = 0;
  while (!t.samples[static_cast<size_t>(i)].kerb) ++i;
  const float hw = t.samples[static_cast<size_t>(i)].halfWidth;
  EXPECT_TRUE(t.onKerb(i, hw - 0.5f * kKerbWidthM));
  EXPECT_TRUE(t.onKerb(i, -(hw - 0.5f * kKerbWidthM)));
  EXPECT_FALSE(t.onKerb(i, hw - kKerbWidthM - 0.3f));
  EXPECT_FALSE(t.onKerb(i, hw + 0.3f)) << "beyond the road is the apron";
  EXPECT_FALSE(t.onKerb(i, 0.0f));
}

// Holds a lateral offset from the centre line at about `speed`: steer towards it, damped by
// the car's sideways speed across the road.
void holdLine(Race& race, float lateral, float speed) {
  const CarStatus c = race.title.car(0);
  const TrackSample& here = race.title.track().samples[static_cast<size_t>(race.title.track().sampleAt(c.s))];
  const float across = glm::dot(c.velocity, here.right);
  core::InputFrame& in = race.inputs[0];
  in = {};
  in.steer = std::clamp(0.3f * (lateral - c.lateral) - 0.45f * across, -1.0f, 1.0f);
  in.throttle = c.speed < speed ? 0.35f : 0.0f;
  in.brake = c.speed > speed + 2.0f ? 0.3f : 0.0f;
  race.title.step(race.inputs);
}

TEST(DrivingKerbs, ACarSteeredOntoTheKerbReportsItAndOffItReportsNone) {
  Race race;
  const Track& t = race.title.track();
  const float halfTrack = race.title.tuning().wheelHalfTrack;
  // The first kerbed stretch after the main straight (turn 1, a right-hander), entered just
  // before it, in the middle of the road.
  int i = t.sampleAt(300.0f);
  while (!t.samples[static_cast<size_t>(i)].kerb) ++i;
  race.title.placeCar(0, t.samples[static_cast<size_t>(i)].s - 5.0f, 0.0f, 8.0f);
  EXPECT_EQ(race.title.car(0).wheelsOnKerb, 0) << "in the middle of the road";

  // To the left edge, the outside of the corner: the left wheels in the middle of the kerb.
  int ticks = 0, kerbTicks = 0, most = 0;
  float kerbAt = -1;
  for (; ticks < 4 * 240; ++ticks) {
    const float target = -(race.title.car(0).halfWidth - 0.5f * kKerbWidthM - halfTrack);
    holdLine(race, target, 8.0f);
    const CarStatus c = race.title.car(0);
    ASSERT_TRUE(c.onTrack) << "the car's centre stays on the road";
    if (c.wheelsOnKerb > 0) {
      // Only once the outer wheels have reached the band.
      EXPECT_GE(-c.lateral + halfTrack + 0.2f, c.halfWidth - kKerbWidthM) << "kerb reported at lateral " << c.lateral;
      if (kerbAt < 0) kerbAt = c.s;
      ++kerbTicks;
      most = std::max(most, c.wheelsOnKerb);
    }
  }
  std::printf("onto the kerb: first contact at s = %.0f m, %d of %d ticks on it, up to %d wheels\n", kerbAt, kerbTicks,
              ticks, most);
  EXPECT_GT(kerbTicks, 240) << "a second or more riding the kerb";
  EXPECT_EQ(most, 2) << "the left wheels, front and rear";

  // Back to the middle of the road, still among the kerbs: no wheel on them.
  for (int t2 = 0; t2 < 2 * 240; ++t2) holdLine(race, 0.0f, 8.0f);
  const CarStatus back = race.title.car(0);
  EXPECT_LT(std::fabs(back.lateral) + halfTrack, back.halfWidth - kKerbWidthM - 0.3f) << "every wheel clear of the kerbs";
  EXPECT_TRUE(t.samples[static_cast<size_t>(t.sampleAt(back.s))].kerb) << "the test wants the kerbed corner still";
  EXPECT_EQ(back.wheelsOnKerb, 0);
  EXPECT_EQ(back.resets, 0);
}

}  // namespace
}  // namespace pav::driving
