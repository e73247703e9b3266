// The station's clock estimate and interpolation buffer, on synthetic snapshot streams whose
// truth is known: Hermite reproduces motion under constant acceleration exactly, orientations
// slerp, the delay stays under two intervals on a clean link and grows with jitter and loss,
// extrapolation stops at 100 ms, and the clock finds the server's time through jitter.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "pav/net/interpolation.h"

namespace pav::net {
namespace {

constexpr double kRate = 480, kDt = 1.0 / kRate, kInterval = 8 * kDt;  // 60 Hz snapshots

core::StateSchema schema() {
  core::StateSchema s;
  s.objects = 1;
  s.positionMin = glm::vec3(-100);
  s.positionMax = glm::vec3(100);
  s.orientationBits = 10;
  s.velocityMax = 50;
  return s;
}

// A thrown object: p = p0 + v0 t + a t^2 / 2, spinning about y at 1 rad/s.
core::ObjectState thrown(double t) {
  const glm::vec3 p0(1, 2, 3), v0(4, 9, -2), a(0, -9.81f, 0);
  const float ft = float(t);
  core::ObjectState o;
  o.position = p0 + v0 * ft + 0.5f * a * ft * ft;
  o.velocity = v0 + a * ft;
  o.orientation = glm::angleAxis(ft, glm::vec3(0, 1, 0));
  return o;
}

void push(InterpolationBuffer& b, uint64_t tick, double jitter = 0, double loss = 0) {
  core::StateFrame f;
  f.resize(schema());
  f.tick = tick;
  f.objects[0] = thrown(double(tick) * kDt);
  b.push(f, jitter, loss);
}

TEST(Interpolation, HermiteFollowsConstantAccelerationExactly) {
  InterpolationBuffer b(schema(), kRate, kInterval);
  for (uint64_t t = 8; t <= 80; t += 8) push(b, t);
  core::StateFrame out;
  out.resize(schema());
  float worst = 0, worstAngle = 0;
  for (double t = 10 * kDt; t < 78 * kDt; t += 0.0007) {
    ASSERT_TRUE(b.sample(t, out));
    worst = std::max(worst, glm::length(out.objects[0].position - thrown(t).position));
    const float dot = std::min(1.0f, std::abs(glm::dot(out.objects[0].orientation, thrown(t).orientation)));
    worstAngle = std::max(worstAngle, 2 * std::acos(dot));
  }
  EXPECT_LT(worst, 1e-4f);       // a cubic through both ends' velocities is the parabola
  EXPECT_LT(worstAngle, 2e-3f);  // a constant spin is a slerp (float acos near 1 limits this)
  // Straight lines, as without velocities, would miss the arc by centimetres.
  const core::ObjectState mid = interpolateObject(thrown(0.1), thrown(0.1 + kInterval), 0.5f, float(kInterval), false);
  EXPECT_GT(glm::length(mid.position - thrown(0.1 + kInterval / 2).position), 3e-4f);
}

TEST(Interpolation, TheDelayStaysUnderTwoIntervalsOnACleanLinkAndGrowsOnABadOne) {
  InterpolationBuffer clean(schema(), kRate, kInterval);
  InterpolationBuffer bad(schema(), kRate, kInterval);
  for (uint64_t t = 8; t <= 8 * 200; t += 8) {
    push(clean, t, 0.0002, 0);
    push(bad, t, 0.012, 0.06);
  }
  EXPECT_LE(clean.delay(), 2 * kInterval);
  EXPECT_GE(clean.delay(), kInterval);
  EXPECT_GT(bad.delay(), 3 * kInterval);
  EXPECT_LE(bad.delay(), 0.25);
}

TEST(Interpolation, ExtrapolationStopsAfterATenthOfASecond) {
  InterpolationBuffer b(schema(), kRate, kInterval);
  push(b, 8);
  push(b, 16);
  core::StateFrame out;
  out.resize(schema());
  const core::ObjectState last = thrown(16 * kDt);
  ASSERT_TRUE(b.sample(16 * kDt + 0.05, out));
  EXPECT_NEAR(glm::length(out.objects[0].position - (last.position + last.velocity * 0.05f)), 0.0f, 1e-4f);
  ASSERT_TRUE(b.sample(16 * kDt + 2.0, out));
  EXPECT_NEAR(glm::length(out.objects[0].position - (last.position + last.velocity * 0.1f)), 0.0f, 1e-4f);
  EXPECT_NEAR(b.lastExtrapolation(), 2.0, 1e-6);
  // Late and duplicate frames do not go back in time.
  push(b, 12);
  push(b, 16);
  EXPECT_EQ(b.size(), 2u);
}

TEST(ServerClock, FindsTheServersTimeThroughJitter) {
  std::mt19937 rng(2);
  std::uniform_real_distribution<double> jitter(0, 0.02);
  ServerClock clock(kRate);
  const double offset = 1234.5;  // server time = station time + offset
  const double oneWay = 0.03;
  for (uint64_t tick = 8; tick < 8 * 600; tick += 8) {
    const double sent = double(tick) * kDt;
    const double arrived = sent - offset + oneWay + jitter(rng);
    clock.onSnapshot(tick, arrived, 2 * oneWay);
  }
  ASSERT_TRUE(clock.valid());
  const double now = 8 * 600 * kDt - offset;
  // Arrivals late by up to 20 ms (10 on average) make the estimate that much behind at most.
  EXPECT_NEAR(clock.serverTime(now), now + offset, 0.02);
  EXPECT_GT(clock.jitter(), 0.002);
  EXPECT_LT(clock.jitter(), 0.02);
}

}  // namespace
}  // namespace pav::net
