// What a driving visitor's station gets from the title and its presenter, without a headset:
// the headset's controllers as the car's input (triggers, grips, stick, and the two-handed
// virtual wheel), a real wheel taking over once touched, the driver's seat from the networked
// state, and what the driver feels: a gear shift and a kerb, from consecutive state frames of
// a real race.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "pav/driving/driving.h"
#include "pav/render/presenter.h"

namespace pav::driving {
namespace {

core::HeadsetControls handsOnWheel(float leftY, float rightY) {
  core::HeadsetControls c;
  c.hands[0] = {.position = {-0.2f, leftY, -0.35f}, .tracked = true};
  c.hands[1] = {.position = {0.2f, rightY, -0.35f}, .tracked = true};
  return c;
}

TEST(DrivingHeadset, TriggersDriveGripsBrakeTheStickSteers) {
  DrivingTitle title;
  core::HeadsetControls c;
  c.hands[0].trigger = 0.3f;
  c.hands[1].trigger = 0.8f;
  c.hands[1].grip = 0.4f;
  c.thumbsticks[0] = {-0.5f, 0.0f};
  c.thumbsticks[1] = {0.2f, 0.0f};
  core::InputFrame in;
  title.headsetInput(c, 0, in);
  EXPECT_FLOAT_EQ(in.throttle, 0.8f) << "the harder-pulled trigger";
  EXPECT_FLOAT_EQ(in.brake, 0.4f);
  EXPECT_FLOAT_EQ(in.steer, -0.5f) << "the stick pushed furthest";
}

TEST(DrivingHeadset, BothHandsTurnAVirtualWheelAQuarterTurnIsFullLock) {
  DrivingTitle title;
  core::InputFrame in;
  title.headsetInput(handsOnWheel(1.2f, 1.0f), 0, in);
  EXPECT_NEAR(in.steer, std::atan2(0.2f, 0.4f) / 1.5707964f, 1e-5f) << "left hand up: a turn to the right";
  title.headsetInput(handsOnWheel(1.0f, 1.2f), 0, in);
  EXPECT_NEAR(in.steer, -std::atan2(0.2f, 0.4f) / 1.5707964f, 1e-5f);
  title.headsetInput(handsOnWheel(1.6f, 0.6f), 0, in);
  EXPECT_NEAR(in.steer, std::atan2(1.0f, 0.4f) / 1.5707964f, 1e-5f) << "a bigger turn steers more";
  // The hands one above the other (the wheel turned a quarter): nearly full lock, never more.
  core::HeadsetControls vertical = handsOnWheel(1.4f, 1.0f);
  vertical.hands[0].position.x = vertical.hands[1].position.x = 0.0f;
  title.headsetInput(vertical, 0, in);
  EXPECT_GT(in.steer, 0.9f);
  EXPECT_LE(in.steer, 1.0f);
  // One hand lost: the wheel is let go.
  core::HeadsetControls oneHand = handsOnWheel(1.2f, 1.0f);
  oneHand.hands[0].tracked = false;
  title.headsetInput(oneHand, 0, in);
  EXPECT_FLOAT_EQ(in.steer, 0.0f);
  // A stick past the dead zone wins over the hands.
  core::HeadsetControls pushed = handsOnWheel(1.2f, 1.0f);
  pushed.thumbsticks[1].x = -kStickDeadZone - 0.1f;
  title.headsetInput(pushed, 0, in);
  EXPECT_FLOAT_EQ(in.steer, -kStickDeadZone - 0.1f);
}

TEST(DrivingHeadset, ATouchedWheelTakesTheSteeringAndPedals) {
  DrivingTitle title;
  EXPECT_NE(title.info().devices & core::kDeviceWheel, 0u) << "driving asks the station for a wheel";
  core::InputFrame in;
  title.headsetInput(handsOnWheel(1.2f, 1.0f), 0, in);
  const float handsSteer = in.steer;
  core::DeviceReadings d;
  d.wheel = {.touched = false, .steer = -1.0f, .throttle = 1.0f};
  title.deviceInput(d, 0, in);
  EXPECT_FLOAT_EQ(in.steer, handsSteer) << "an untouched wheel changes nothing";
  d.wheel.touched = true;
  title.deviceInput(d, 0, in);
  EXPECT_FLOAT_EQ(in.steer, -1.0f);
  EXPECT_FLOAT_EQ(in.throttle, 1.0f);
}

// A real race's state, frame by frame, as a station would receive it.
struct Captured {
  DrivingTitle title;
  std::unique_ptr<render::Presenter> presenter;
  core::StateFrame frame;
  explicit Captured(int seat) {
    title.setup({.players = 2, .seed = 1, .skill = 1, .dataDir = PAV_TEST_ASSET_DIR});
    presenter = makeDrivingPresenter(title, seat);
    core::StateSchema schema;
    title.describe(schema);
    frame.resize(schema);
    title.capture(frame);
  }
  const core::StateFrame& step(const core::InputFrame& in, int ticks) {
    core::InputFrame inputs[2] = {in, {}};
    for (int t = 0; t < ticks; ++t) {
      title.botInput(1, inputs[1]);
      title.step(inputs);
    }
    title.capture(frame);
    return frame;
  }
};

TEST(DrivingPresenter, TheSeatIsTheDriversEyeFromTheState) {
  Captured race(1);
  render::Seat seat;
  ASSERT_TRUE(race.presenter->seat(race.frame, seat));
  EXPECT_EQ(seat.stance, render::Seat::Stance::Seated);
  EXPECT_LT(glm::distance(seat.eye.position, race.title.driverEye(1).position), 1e-4f);
  auto spectator = makeDrivingPresenter(race.title, -1);
  EXPECT_FALSE(spectator->seat(race.frame, seat)) << "a spectator has no seat";
}

// The seat shows the driver's cockpit: a steering wheel ahead of and below the eye, facing it,
// turning with the steering input (clockwise for right, a quarter turn at full lock, back
// when let go), the hands on its rim.
TEST(DrivingPresenter, TheCockpitsWheelTurnsWithTheSteeringInput) {
  Captured race(0);
  render::Body body;
  race.presenter->body(race.frame, body);
  EXPECT_EQ(body.held, render::Body::Held::SteeringWheel);
  EXPECT_EQ(body.hands, render::Body::Hands::OnHeld);
  EXPECT_TRUE(body.cockpit);
  EXPECT_NEAR(body.turn, 0.0f, 1e-3f) << "straight on the grid";
  render::Seat seat;
  ASSERT_TRUE(race.presenter->seat(race.frame, seat));
  const glm::vec3 toHub = glm::inverse(seat.eye.orientation) * (body.mount.position - seat.eye.position);
  EXPECT_LT(toHub.z, -0.3f) << "ahead of the eye";
  EXPECT_LT(toHub.y, -0.2f) << "below it";
  EXPECT_LT(std::fabs(toHub.x), 0.05f) << "in front of the driver";
  const glm::vec3 axis = body.mount.orientation * glm::vec3(0, 0, 1);
  EXPECT_GT(glm::dot(axis, glm::normalize(seat.eye.position - body.mount.position)), 0.8f) << "facing the driver";
  for (int hand = 0; hand < 2; ++hand)
    EXPECT_NEAR(glm::distance(render::BodyDrawer::heldHand(body, hand).position, body.mount.position), render::kWheelRimRadius,
                0.02f);

  core::InputFrame right;
  right.steer = 1.0f;
  race.presenter->body(race.step(right, 240), body);
  EXPECT_GT(body.turn, 0.95f * kWheelQuarterTurn) << "full right: a quarter turn clockwise";
  // Clockwise as the driver sees it: the top of the rim went to the driver's right.
  const glm::vec3 mark = glm::inverse(seat.eye.orientation) * (render::BodyDrawer::wheelMark(body) - body.mount.position);
  EXPECT_GT(mark.x, 0.8f * render::kWheelRimRadius);
  core::InputFrame left;
  left.steer = -0.5f;
  race.presenter->body(race.step(left, 240), body);
  EXPECT_LT(body.turn, -0.3f * kWheelQuarterTurn) << "half left";
  EXPECT_GT(body.turn, -0.7f * kWheelQuarterTurn);
  race.presenter->body(race.step({}, 240), body);
  EXPECT_NEAR(body.turn, 0.0f, 0.02f) << "let go: straight again";
  auto spectator = makeDrivingPresenter(race.title, -1);
  spectator->body(race.frame, body);
  EXPECT_EQ(body.held, render::Body::Held::None) << "a spectator holds nothing";
  EXPECT_EQ(body.hands, render::Body::Hands::Controllers);
}

TEST(DrivingPresenter, AGearShiftJoltsBothHandsAKerbRumblesThem) {
  Captured race(0);
  core::InputFrame floored;
  floored.throttle = 1.0f;
  render::Cues cues;
  int shifts = 0;
  core::StateFrame before = race.frame;
  const int startGear = race.title.car(0).gear;
  for (int f = 0; f < 8 * 60 && race.title.car(0).gear == startGear; ++f) {
    const core::StateFrame& now = race.step(floored, 4);
    cues.clear();
    race.presenter->feel(before, now, cues);
    for (const render::Cue& c : cues.all()) shifts += c.feel == render::Feel::Jolt ? 1 : 0;
    before = now;
  }
  ASSERT_GT(race.title.car(0).gear, startGear) << "full throttle shifts up";
  EXPECT_EQ(shifts, 2) << "one shift: a jolt in each hand";

  // Rolling along the kerb of the first corner with the left wheels on it.
  const Track& track = race.title.track();
  int k = 0;
  while (!track.samples[static_cast<size_t>(k)].kerb) ++k;
  const TrackSample& smp = track.samples[static_cast<size_t>(k)];
  const float lateral = -(smp.halfWidth - 0.5f * kKerbWidthM - race.title.tuning().wheelHalfTrack);
  race.title.placeCar(0, smp.s, lateral, 5.0f);
  race.title.capture(race.frame);
  before = race.frame;
  cues.clear();
  race.presenter->feel(before, race.frame, cues);
  ASSERT_EQ(cues.all().size(), 3u) << "both hands and the wheel";
  for (const render::Cue& c : cues.all()) {
    EXPECT_EQ(c.feel, render::Feel::Rumble);
    EXPECT_GT(c.amplitude, 0.2f);
  }
  EXPECT_EQ(cues.all()[2].where, render::FeelWhere::Wheel);
  // In the middle of the road: nothing.
  race.title.placeCar(0, smp.s, 0.0f, 5.0f);
  race.title.capture(race.frame);
  cues.clear();
  race.presenter->feel(race.frame, race.frame, cues);
  EXPECT_TRUE(cues.all().empty());
}

}  // namespace
}  // namespace pav::driving
