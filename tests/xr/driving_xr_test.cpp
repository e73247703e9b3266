// The seated titles in the simulated headset: driving and cycling put the visitor's head on
// their seat (the driver's eye in the car, the rider's eye on the bike) when the LOCAL space
// is recentered, and the seat moves with the car; and a scripted drive in xr-sim that rolls
// onto a kerb and shifts gear makes the runtime record the pulses: a jolt on both hands for
// the shift, a held low rumble for the kerb. Real Bullet cars, the real loader, validation on.
#include <algorithm>
#include <cmath>
#include <string>

#include "pav/core/fixed_step.h"
#include "pav/cycling/cycling.h"
#include "pav/driving/driving.h"
#include "pav/render/presenter.h"
#include "xr_fixture.h"

namespace pav::test {
namespace {

// A stadium: two 2 km straights joined by 100 m-radius half circles (kerbs through them).
driving::Track stadium() {
  std::string text = "name Stadium\nlaps 1\n";
  auto point = [&](double x, double z) { text += std::to_string(x) + " " + std::to_string(z) + " 14 0 asphalt\n"; };
  for (int i = 0; i <= 10; ++i) point(0.0, 200.0 * i);
  for (int k = 1; k < 6; ++k) point(100.0 - 100.0 * std::cos(3.14159265 * k / 6), 2000.0 + 100.0 * std::sin(3.14159265 * k / 6));
  for (int i = 10; i >= 0; --i) point(200.0, 200.0 * i);
  for (int k = 1; k < 6; ++k) point(100.0 + 100.0 * std::cos(3.14159265 * k / 6), -100.0 * std::sin(3.14159265 * k / 6));
  return driving::Track::parse(text, "<stadium>");
}

// The head moves away from where LOCAL was set up, then the visitor recenters (frame 12).
constexpr const char* kMovedHead = R"(at 0
head 0 1.2 0  0 0 0
at 0.05
head 0.4 1.25 -0.3  30 -10 0
)";

void expectNear(const glm::vec3& a, const glm::vec3& b, float eps, const char* what) {
  EXPECT_NEAR(glm::distance(a, b), 0.0f, eps) << what << ": (" << a.x << ", " << a.y << ", " << a.z << ") vs (" << b.x
                                              << ", " << b.y << ", " << b.z << ")";
}

// A title's seat as the product places it: the presenter's Seat for the title's state now,
// turned into the play space the XR viewer uses.
struct StateSeat {
  StateSeat(const core::Title& t, std::unique_ptr<render::Presenter> p) : title(t), presenter(std::move(p)) {
    core::StateSchema schema;
    title.describe(schema);
    frame.resize(schema);
  }
  xr::PlaySpace place() {
    title.capture(frame);
    EXPECT_TRUE(presenter->seat(frame, seat));
    return xr::PlaySpace::seatedAt(seat.eye, seat.titleFrame);
  }
  const core::Title& title;
  std::unique_ptr<render::Presenter> presenter;
  core::StateFrame frame;
  render::Seat seat;
};

class XrSeats : public XrTest {};

TEST_F(XrSeats, RecenteringPutsTheHeadOnTheDriversEyeAndItMovesWithTheCar) {
  setScript(kMovedHead);
  XrWorld& w = world({.session = {.space = xr::SpaceKind::Local}});
  buildTestScene(*w.renderer, scene_);
  driving::DrivingTitle title;
  title.setup({.players = 1, .seed = 1}, stadium());
  title.placeCar(0, 100.0f, 0.0f, 15.0f);  // rolling down the straight, no one at the pedals
  core::InputFrame input;
  StateSeat seat(title, driving::makeDrivingPresenter(title, 0));
  xr::PlaySpace play = seat.place();
  ASSERT_EQ(seat.seat.stance, render::Seat::Stance::Seated);
  render::Pose head, eye;
  runFrames(40, play, [&](xr::Frame& frame) {
    for (int t = 0; t < 240 / 90; ++t) title.step({&input, 1});
    play = seat.place();  // the seat moves with the car
    eye = seat.seat.eye;
    if (frame.index == 12) {
      ASSERT_TRUE(w.session->recenter(frame.displayTime));
    }
    ASSERT_TRUE(w.session->locateHead(frame.displayTime, head));
  });
  ASSERT_TRUE(w.session->recentered());
  // The recentered head is at the LOCAL origin, which is the driver's eye.
  EXPECT_NEAR(glm::length(head.position), 0.0f, 1e-4f);
  expectNear(play.toWorld(head).position, eye.position, 1e-4f, "the head in the world");
  const glm::vec3 mid = 0.5f * (lastViews_[0].pose.position + lastViews_[1].pose.position);
  expectNear(mid, eye.position, 1e-3f, "the eyes drawn");
  // The eye is in the car's cabin: over the chassis, a little to the driver's side, looking
  // down the road (the straight runs along +Z).
  const driving::CarStatus car = title.car(0);
  EXPECT_GT(car.speed, 5.0f) << "the car is still rolling: the seat moved with it";
  const glm::vec3 inCar = glm::inverse(car.orientation) * (eye.position - car.position);
  EXPECT_GT(inCar.y, title.tuning().halfExtents.y) << "above the body";
  EXPECT_LT(inCar.y, 3.0f * title.tuning().halfExtents.y);
  EXPECT_LT(std::fabs(inCar.x), title.tuning().halfExtents.x);
  EXPECT_LT(std::fabs(inCar.z), title.tuning().halfExtents.z);
  const glm::vec3 look = lastViews_[0].pose.orientation * glm::vec3(0, 0, -1);
  EXPECT_GT(look.z, 0.9f) << "looking out of the windscreen";
  expectNear(eye.position, title.driverEye(0).position, 1e-3f, "the presenter's seat is the title's driver's eye");
}

TEST_F(XrSeats, RecenteringPutsTheHeadOnTheRidersEye) {
  setScript(kMovedHead);
  XrWorld& w = world({.session = {.space = xr::SpaceKind::Local}});
  buildTestScene(*w.renderer, scene_);
  cycling::CyclingTitle title;
  title.setup({.players = 2, .seed = 1});
  title.placeRider(1, 500.0, 9.0);
  core::InputFrame inputs[2];
  inputs[1].pedalPowerWatts = 250.0f;
  inputs[1].cadenceRpm = 90.0f;
  StateSeat seat(title, cycling::makeCyclingPresenter(title, 1));
  xr::PlaySpace play = seat.place();
  ASSERT_EQ(seat.seat.stance, render::Seat::Stance::Seated);
  render::Pose head, eye;
  const double startM = title.stats(1).distanceM;
  core::FixedStep clock({title.info().tickRateHz, 8});
  runFrames(40, play, [&](xr::Frame& frame) {
    clock.advance(1.0 / 90.0, [&](uint64_t, double) { title.step(inputs); });
    play = seat.place();
    eye = seat.seat.eye;
    if (frame.index == 12) {
      ASSERT_TRUE(w.session->recenter(frame.displayTime));
    }
    ASSERT_TRUE(w.session->locateHead(frame.displayTime, head));
  });
  EXPECT_NEAR(glm::length(head.position), 0.0f, 1e-4f);
  const glm::vec3 mid = 0.5f * (lastViews_[0].pose.position + lastViews_[1].pose.position);
  expectNear(mid, eye.position, 1e-3f, "the eyes drawn");
  EXPECT_GT(title.stats(1).distanceM, startM + 1.0) << "the rider moved; the seat with them";
  // On rider 1's bike (its lane, above the saddle), looking along the road (+X).
  const cycling::RiderStats s = title.stats(1);
  const cycling::RiderPose bike = cycling::riderPose(title.route(), 1, s.distanceM, s.speedMs);
  EXPECT_NEAR(eye.position.z, bike.position.z, 0.05f);
  EXPECT_NEAR(eye.position.y - bike.position.y, 1.62f, 0.05f);
  EXPECT_NEAR(eye.position.x, bike.position.x + 0.2f, 0.05f);
  const glm::vec3 look = lastViews_[0].pose.orientation * glm::vec3(0, 0, -1);
  EXPECT_GT(look.x, 0.9f);
}

// ---- haptics ---------------------------------------------------------------------------------

// The visitor holds the right trigger down (full throttle), hands on an imagined wheel.
constexpr const char* kFloored = R"(at 0
head 0 1.2 0  0 0 0
trigger right 1
)";

class XrDrivingHaptics : public XrTest {};

TEST_F(XrDrivingHaptics, RollingOntoAKerbAndShiftingGearPulseTheHands) {
  setScript(kFloored);
  XrWorld& w = world({.session = {.space = xr::SpaceKind::Local}, .actionSet = "driving"});
  buildTestScene(*w.renderer, scene_);
  driving::DrivingTitle title;
  title.setup({.players = 1, .seed = 1}, stadium());
  const driving::Track& track = title.track();
  // 20 m/s down the straight, the left wheels in the kerbs' lane: the kerbs begin ahead, where
  // the straight turns into the half circle.
  int first = track.sampleAt(1900.0f);
  while (!track.samples[static_cast<size_t>(first)].kerb) ++first;
  const driving::TrackSample& k = track.samples[static_cast<size_t>(first)];
  const float lateral = -(k.halfWidth - 0.5f * driving::kKerbWidthM - title.tuning().wheelHalfTrack);
  title.placeCar(0, k.s - 15.0f, lateral, 20.0f);
  ASSERT_EQ(title.car(0).wheelsOnKerb, 0);

  // The host's part, with the product's pieces: the title maps the controllers (the trigger
  // is the throttle), the presenter says what the change of state since the last frame feels
  // like, HapticCues sends it.
  xr::HapticCues cues;
  render::Cues asked;
  core::FixedStep clock({240.0, 24});
  core::InputFrame input;
  core::HeadsetControls controls;
  StateSeat seat(title, driving::makeDrivingPresenter(title, 0));
  core::StateFrame seen;
  int shiftFrames = 0, kerbFrames = 0, sent = 0;
  double firstKerbS = -1, firstShiftS = -1;
  XrTime start = 0;
  xr::PlaySpace play = seat.place();
  seen = seat.frame;
  runFrames(0, play, [&](xr::Frame& frame) {
    if (!start) start = frame.displayTime;
    const double t = double(frame.displayTime - start) * 1e-9;
    w.actions->controls(play, controls);
    title.headsetInput(controls, 0, input);
    clock.advance(double(frame.period) * 1e-9, [&](uint64_t, double) { title.step({&input, 1}); });
    play = seat.place();
    asked.clear();
    seat.presenter->feel(seen, seat.frame, asked);
    seen = seat.frame;
    bool shifted = false, kerb = false;
    for (const render::Cue& c : asked.all()) {
      shifted = shifted || c.feel == render::Feel::Jolt;
      kerb = kerb || c.feel == render::Feel::Rumble;
    }
    if (shifted && firstShiftS < 0) firstShiftS = t;
    if (kerb && firstKerbS < 0) firstKerbS = t;
    shiftFrames += shifted ? 1 : 0;
    kerbFrames += kerb ? 1 : 0;
    cues.ask(asked.all());
    sent += cues.send(*w.actions, frame.displayTime);
    if (t > 2.5) w.session->requestExit();
  });
  ASSERT_TRUE(w.session->done());
  std::fprintf(stderr, "drive: %d frame(s) with a shift (first at %.2f s, now gear %d at %.0f km/h), %d on the kerb "
               "(first at %.2f s), %d pulse(s) sent\n",
               shiftFrames, firstShiftS, title.car(0).gear, double(title.car(0).speed) * 3.6, kerbFrames, firstKerbS, sent);
  ASSERT_GE(shiftFrames, 1) << "full throttle from 20 m/s shifts";
  ASSERT_GE(kerbFrames, 10) << "the left wheels rolled onto the kerb";
  EXPECT_GT(firstKerbS, 0.3) << "the kerb begins 15 m ahead";

  endWorld();
  const nlohmann::json stats = simStats();
  EXPECT_EQ(stats["violations"]["total"], 0) << stats["violations"].dump(2);
  const nlohmann::json& pulses = stats["haptics"]["pulses"];
  int jolts[2] = {0, 0}, rumbles[2] = {0, 0};
  double firstRumbleT = -1;
  for (const nlohmann::json& p : pulses) {
    const int hand = p["hand"] == "/user/hand/left" ? 0 : 1;
    if (p["durationNs"] == 40'000'000) ++jolts[hand];
    if (p["frequency"].get<double>() == 40.0) {
      ++rumbles[hand];
      EXPECT_EQ(p["durationNs"], 75'000'000);
      if (firstRumbleT < 0) firstRumbleT = p["t"].get<double>();
    }
    EXPECT_GT(p["amplitude"].get<double>(), 0.2);
  }
  EXPECT_EQ(static_cast<int>(pulses.size()), sent) << "every pulse sent reached the runtime";
  EXPECT_GE(jolts[0], 1);
  EXPECT_EQ(jolts[0], jolts[1]) << "a shift kicks through both hands";
  // The rumble is renewed every 50 ms while the wheels are on the kerb.
  EXPECT_GE(rumbles[0], kerbFrames / 5);
  EXPECT_EQ(rumbles[0], rumbles[1]);
  EXPECT_NEAR(firstRumbleT, firstKerbS, 0.05) << "the rumble starts with the kerb";
}


// ---- the virtual wheel ---------------------------------------------------------------------------

// Both hands on an imagined wheel 35 cm ahead: first the left hand 20 cm above the right (a
// turn to the right), then the other way, then the thumbstick pushed left with the hands level.
constexpr const char* kWheelHands = R"(at 0
head 0 1.2 0  0 0 0
left  -0.2 1.2 -0.35  0 0 0
right  0.2 1.0 -0.35  0 0 0
at 0.5
left  -0.2 1.2 -0.35  0 0 0
right  0.2 1.0 -0.35  0 0 0
at 0.55
left  -0.2 1.0 -0.35  0 0 0
right  0.2 1.2 -0.35  0 0 0
at 1.0
left  -0.2 1.0 -0.35  0 0 0
right  0.2 1.2 -0.35  0 0 0
stick right 0 0
at 1.05
left  -0.2 1.1 -0.35  0 0 0
right  0.2 1.1 -0.35  0 0 0
stick right -0.6 0
)";

class XrDrivingWheel : public XrTest {};

TEST_F(XrDrivingWheel, BothHandsOnAVirtualWheelSteerAndTheStickWinsWhenPushed) {
  setScript(kWheelHands);
  XrWorld& w = world({.session = {.space = xr::SpaceKind::Local}, .actionSet = "driving"});
  buildTestScene(*w.renderer, scene_);
  driving::DrivingTitle title;
  title.setup({.players = 1, .seed = 1}, stadium());
  StateSeat seat(title, driving::makeDrivingPresenter(title, 0));
  xr::PlaySpace play = seat.place();
  core::HeadsetControls controls;
  core::InputFrame input;
  // A 20 cm rise over 40 cm across: atan(0.5) of a quarter turn.
  const float expected = std::atan2(0.2f, 0.4f) / 1.5707964f;
  float right = 0, left = 0, stick = 0;
  XrTime start = 0;
  runFrames(0, play, [&](xr::Frame& frame) {
    if (!start) start = frame.displayTime;
    const double t = double(frame.displayTime - start) * 1e-9;
    w.actions->controls(play, controls);
    title.headsetInput(controls, 0, input);
    if (t > 0.1 && t < 0.45) right = input.steer;
    if (t > 0.65 && t < 0.95) left = input.steer;
    if (t > 1.15) stick = input.steer;
    if (t > 1.3) w.session->requestExit();
  });
  ASSERT_TRUE(w.session->done());
  EXPECT_NEAR(right, expected, 0.02f) << "the left hand above the right turns right";
  EXPECT_NEAR(left, -expected, 0.02f);
  EXPECT_NEAR(stick, -0.6f, 1e-3f) << "a pushed stick steers whatever the hands do";
}

}  // namespace
}  // namespace pav::test
