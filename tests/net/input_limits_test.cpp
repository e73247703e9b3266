// What a session server takes from a station, title by title (every title in games/): inputs
// checked against the seat's limits (Title::checkInput: NaN refused, ranges clamped, hands kept
// in the seat's reachable space, the title's own bots never clamped), and the snapshot codec's
// promise over the whole range of each title's schema: a decoded value within half a step.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "pav/balloons/balloons.h"
#include "pav/core/title.h"
#include "pav/cycling/cycling.h"
#include "pav/driving/driving.h"
#include "pav/hockey/hockey.h"
#include "pav/hockey/table.h"
#include "pav/net/snapshot.h"

namespace pav::net {
namespace {

struct Registered {
  Registered() {
    hockey::registerHockeyTitle();
    balloons::registerTitle();
    driving::registerDrivingTitle();
    cycling::registerCyclingTitle();
  }
};
const Registered registered;

std::unique_ptr<core::Title> make(const std::string& id, int players = 2) {
  auto t = core::createTitle(id);
  t->setup({.players = players, .seed = 9, .skill = 1});
  return t;
}

class EveryTitle : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryTitle, NonFiniteInputsAreRefusedAndRangesClamped) {
  auto title = make(GetParam());
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  for (int field = 0; field < 4; ++field) {
    core::InputFrame in;
    in.hands[1].tracked = true;
    if (field == 0) in.steer = nan;
    if (field == 1) in.pedalPowerWatts = inf;
    if (field == 2) in.hands[1].position.y = nan;
    if (field == 3) in.hands[1].trigger = -inf;
    EXPECT_FALSE(title->checkInput(0, in)) << "field " << field;
  }
  core::InputFrame in;
  in.steer = 50, in.throttle = -3, in.brake = 9, in.pedalPowerWatts = 1e6f, in.cadenceRpm = -20;
  in.hands[1] = {.position = {1000, -1000, 3}, .orientation = {0, 0, 0, 0}, .trigger = 7, .grip = -1, .tracked = true};
  ASSERT_TRUE(title->checkInput(1, in));
  EXPECT_EQ(in.steer, 1.0f);
  EXPECT_EQ(in.throttle, 0.0f);
  EXPECT_EQ(in.brake, 1.0f);
  EXPECT_EQ(in.pedalPowerWatts, core::kMaxPedalWatts);
  EXPECT_EQ(in.cadenceRpm, 0.0f);
  EXPECT_EQ(in.hands[1].trigger, 1.0f);
  EXPECT_EQ(in.hands[1].grip, 0.0f);
  for (int a = 0; a < 3; ++a) EXPECT_LE(std::fabs(in.hands[1].position[a]), core::kMaxHandReach);
  EXPECT_NEAR(glm::length(in.hands[1].orientation), 1.0f, 1e-5f);
}

// The title's own bots play within the limits: a copy of the title stepped with the checked
// inputs plays exactly the same game as one stepped with them unchecked (hockey's robot may
// aim past its half, which its mallet never reaches either way).
TEST_P(EveryTitle, TheBotsPlayTheSameGameChecked) {
  auto raw = make(GetParam()), checked = make(GetParam());
  std::vector<core::InputFrame> inputs(2), safe(2);
  for (int tick = 0; tick < 1500 && !raw->finished(); ++tick) {
    for (int seat = 0; seat < 2; ++seat) {
      raw->botInput(seat, inputs[size_t(seat)]);
      safe[size_t(seat)] = inputs[size_t(seat)];
      ASSERT_TRUE(checked->checkInput(seat, safe[size_t(seat)])) << "tick " << tick;
      EXPECT_EQ(safe[size_t(seat)].steer, inputs[size_t(seat)].steer);
      EXPECT_EQ(safe[size_t(seat)].pedalPowerWatts, inputs[size_t(seat)].pedalPowerWatts);
    }
    raw->step(inputs);
    checked->step(safe);
    ASSERT_EQ(raw->stateHash(), checked->stateHash()) << GetParam() << " diverged at tick " << tick;
  }
}

// The codec's promise over each title's whole schema: every position (the driving track's
// hundreds of metres included), velocity and scalar decodes within half a step of the value,
// up to the float's own rounding of the decoded grid point (half a unit in its last place).
TEST_P(EveryTitle, DecodedValuesAreWithinHalfAStepOverTheWholeRange) {
  auto title = make(GetParam());
  core::StateSchema schema;
  title->describe(schema);
  const SnapshotCodec codec(schema);
  core::StateFrame frame = core::captureNew(*title), out = frame;
  QuantFrame q;
  codec.resize(q);
  const auto bound = [](float step, float v) {
    const float far = std::fabs(v) + step;
    return double(step) / 2 + 0.5 * (double(std::nextafter(far, INFINITY)) - double(far));
  };
  std::mt19937 rng(7);
  double worst = 0;  // in steps
  constexpr int kSamples = 60000;
  const auto sweep = [&](float lo, float hi, int k) {
    if (k == kSamples - 1) return hi;
    if (k == kSamples - 2) return std::nextafter(hi, -INFINITY);
    if (k % 2 == 0) return lo + (hi - lo) * float(k) / float(kSamples);
    return std::uniform_real_distribution<float>(lo, hi)(rng);
  };
  for (int k = 0; k < kSamples; ++k) {
    core::ObjectState& o = frame.objects[0];
    for (int a = 0; a < 3; ++a) {
      o.position[a] = sweep(schema.positionMin[a], schema.positionMax[a], k);
      if (schema.velocityMax > 0) o.velocity[a] = sweep(-schema.velocityMax, schema.velocityMax, k);
      if (schema.angularMax > 0) o.angularVelocity[a] = sweep(-schema.angularMax, schema.angularMax, k);
    }
    for (int i = 0; i < schema.scalarCount; ++i) frame.scalars[i] = sweep(schema.scalars[i].min, schema.scalars[i].max, k);
    codec.quantize(frame, q);
    codec.dequantize(q, out);
    const core::ObjectState& d = out.objects[0];
    for (int a = 0; a < 3; ++a) {
      const double e = std::fabs(double(d.position[a]) - double(o.position[a]));
      worst = std::max(worst, e / schema.positionResolution);
      ASSERT_LE(e, bound(schema.positionResolution, o.position[a])) << "position " << a << " = " << o.position[a];
      if (schema.velocityMax > 0) {
        ASSERT_LE(std::fabs(double(d.velocity[a]) - double(o.velocity[a])), bound(schema.velocityResolution, o.velocity[a]));
      }
      if (schema.angularMax > 0) {
        ASSERT_LE(std::fabs(double(d.angularVelocity[a]) - double(o.angularVelocity[a])),
                  bound(schema.angularResolution, o.angularVelocity[a]));
      }
    }
    for (int i = 0; i < schema.scalarCount; ++i) {
      ASSERT_LE(std::fabs(double(out.scalars[i]) - double(frame.scalars[i])),
                bound(schema.scalars[i].resolution, frame.scalars[i]))
          << schema.scalars[i].name << " = " << frame.scalars[i];
    }
  }
  RecordProperty("worst_position_error_steps", std::to_string(worst));
}

INSTANTIATE_TEST_SUITE_P(Titles, EveryTitle, ::testing::Values("hockey", "balloons", "driving", "cycling"));

TEST(InputLimits, AHockeyHandStaysOverItsOwnHalf) {
  auto title = make("hockey");
  const hockey::TableSpec& table = hockey::tableOf(*title);
  core::InputFrame in;
  in.hands[1].tracked = true;
  in.hands[1].position = {table.length, 2.0f, table.width};  // the far end, above, beside
  ASSERT_TRUE(title->checkInput(0, in));
  EXPECT_LT(in.hands[1].position.x, 0.0f) << "seat 0 plays the x < 0 half";
  EXPECT_LE(std::fabs(in.hands[1].position.z), table.width / 2);
  EXPECT_LE(in.hands[1].position.y, 1.0f);
  in.hands[1].position = {-table.length, 0.0f, 0.0f};
  ASSERT_TRUE(title->checkInput(1, in));
  EXPECT_GT(in.hands[1].position.x, 0.0f) << "seat 1 plays the x > 0 half";
}

TEST(InputLimits, ABalloonsReleasePointIsWithinReachOfTheSeat) {
  auto title = make("balloons", 4);
  for (int seat = 0; seat < 4; ++seat) {
    core::InputFrame in;
    in.hands[1].tracked = true;
    in.hands[1].position = {4.0f, 4.0f, -4.0f};  // anywhere within the wire's +-4 m, before
    ASSERT_TRUE(title->checkInput(seat, in));
    EXPECT_LE(glm::length(in.hands[1].position - balloons::restHand(seat, 4)), 1.6f + 1e-4f) << "seat " << seat;
  }
}

}  // namespace
}  // namespace pav::net
