// Tests for the station's side of a seat at a wheel: ForceFeedback's rumble path through SDL's
// virtual joysticks (their rumble callback records what the driver receives), the pedals'
// rest and saved calibrations (a foot resting on a pedal at start-up), the calibration file
// and its bad forms, the `--calibrate` steps, and --motion-out's HOST:PORT.
#include <gtest/gtest.h>

#include <SDL2/SDL.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "pav/core/error.h"
#include "pav/platform/force_feedback.h"
#include "pav/platform/motion_out.h"
#include "pav/platform/platform.h"
#include "pav/platform/wheel_calibration.h"
#include "virtual_wheel.h"

using namespace pav;
using pav::platform::Calibrator;
using pav::platform::FeedbackPath;
using pav::platform::ForceFeedback;
using pav::platform::WheelCalibration;
using pav::platform::Wheels;
using pav::test::RumbleCall;
using pav::test::RumbleWheel;

namespace {

std::vector<RumbleCall> nonZero(const std::vector<RumbleCall>& calls) {
  std::vector<RumbleCall> out;
  for (const RumbleCall& c : calls)
    if (c.low || c.high) out.push_back(c);
  return out;
}

// What the header promises for a rumble of amplitude a and a jolt of amplitude a.
Uint16 motorOf(float a) { return Uint16(std::lround(a * 65535.0f)); }

// The throttle's raw value `t` of the way from a -32768 rest.
Sint16 pressedLow(float t) { return Sint16(std::lround(-32768.0 + t * 65535.0)); }

float expected(float t, float deadzone = platform::WheelsDesc{}.wheelDeadzone) {
  return t <= deadzone ? 0.0f : (t - deadzone) / (1.0f - deadzone);
}

}  // namespace

// ---- force feedback through the rumble motors -----------------------------------------------

TEST(ForceFeedback, AKerbRumblesTheWheelsMotorsAtItsAmplitude) {
  Wheels wheels;
  RumbleWheel device;
  wheels.update();
  ASSERT_TRUE(wheels.state().present) << "the virtual wheel";
  ForceFeedback feedback;
  render::Cues cues;
  cues.rumble(render::FeelWhere::Wheel, 0.5f);
  cues.bothHands(render::Feel::Rumble, 0.9f);  // the hands' cues are the headset's
  feedback.play(wheels, cues, 1.0);
  EXPECT_EQ(feedback.path(), FeedbackPath::Rumble) << "a virtual wheel has no haptic device";
  const auto calls = nonZero(device.calls);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].low, motorOf(0.5f));
  EXPECT_EQ(calls[0].high, motorOf(0.5f * platform::kHighMotorShare));
  // A stronger kerb (both wheels) is told; the kerb left behind stops the motors at once.
  cues.clear();
  cues.rumble(render::FeelWhere::Wheel, 0.25f);
  feedback.play(wheels, cues, 1.02);
  cues.clear();
  feedback.play(wheels, cues, 1.04);
  ASSERT_GE(device.calls.size(), 3u);
  EXPECT_EQ(device.calls[1].low, motorOf(0.25f));
  EXPECT_EQ(device.calls.back().low, 0);
  EXPECT_EQ(device.calls.back().high, 0);
}

TEST(ForceFeedback, ACollisionJoltsBothMotorsAndWinsOverTheKerbUntilItIsOver) {
  Wheels wheels;
  RumbleWheel device;
  wheels.update();
  ForceFeedback feedback;
  render::Cues cues;
  cues.rumble(render::FeelWhere::Wheel, 0.25f);
  cues.jolt(render::FeelWhere::Wheel, 0.8f, 0.12f);
  feedback.play(wheels, cues, 5.0);
  auto calls = nonZero(device.calls);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].low, motorOf(0.8f));
  EXPECT_EQ(calls[0].high, motorOf(0.8f));
  // During the jolt the kerb waits; after it the kerb comes back.
  cues.clear();
  cues.rumble(render::FeelWhere::Wheel, 0.25f);
  feedback.play(wheels, cues, 5.05);
  EXPECT_EQ(nonZero(device.calls).size(), 1u);
  feedback.play(wheels, cues, 5.2);
  calls = nonZero(device.calls);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].low, motorOf(0.25f));
  EXPECT_EQ(calls[1].high, motorOf(0.25f * platform::kHighMotorShare));
}

TEST(ForceFeedback, StrengthScalesEverythingAndZeroPlaysNothing) {
  Wheels wheels;
  RumbleWheel device;
  wheels.update();
  ForceFeedback half({.strength = 50});
  render::Cues cues;
  cues.jolt(render::FeelWhere::Wheel, 0.8f, 0.1f);
  half.play(wheels, cues, 1.0);
  ASSERT_EQ(nonZero(device.calls).size(), 1u);
  EXPECT_EQ(nonZero(device.calls)[0].low, motorOf(0.4f));

  ForceFeedback none({.strength = 0});
  none.play(wheels, cues, 2.0);
  EXPECT_EQ(none.path(), FeedbackPath::None);
  EXPECT_EQ(nonZero(device.calls).size(), 1u) << "strength 0 sends nothing";
}

TEST(ForceFeedback, UpdatesAreRateLimited) {
  Wheels wheels;
  RumbleWheel device;
  wheels.update();
  ForceFeedback feedback({.minUpdateS = 0.01});
  render::Cues cues;
  // A kerb whose amplitude changes every millisecond for 100 ms: at most one update per 10 ms.
  for (int i = 0; i < 100; ++i) {
    cues.clear();
    cues.rumble(render::FeelWhere::Wheel, 0.2f + 0.005f * float(i));
    feedback.play(wheels, cues, 10.0 + 0.001 * i);
  }
  const size_t n = nonZero(device.calls).size();
  EXPECT_GE(n, 5u);
  EXPECT_LE(n, 11u);
  EXPECT_EQ(feedback.deviceUpdates(), n);
}

TEST(ForceFeedback, NoDeviceNoTrouble) {
  Wheels wheels;
  ASSERT_FALSE(wheels.state().present);
  ForceFeedback feedback;
  render::Cues cues;
  cues.wheelForce({.torque = 1, .spring = 1, .damper = 1});
  cues.jolt(render::FeelWhere::Wheel, 1, 1);
  feedback.play(wheels, cues, 0);
  EXPECT_EQ(feedback.path(), FeedbackPath::None);
  EXPECT_EQ(feedback.deviceUpdates(), 0u);
}

// ---- pedals: rest, a foot on one at start-up, calibrations -----------------------------------

TEST(Pedals, AFootRestingOnThePedalAtStartUpIsAPressNotTheRest) {
  // The throttle is a fifth of the way down when the station starts.
  Wheels wheels;
  RumbleWheel device(-32768, pressedLow(0.2f));
  wheels.update();
  ASSERT_TRUE(wheels.state().present);
  EXPECT_NEAR(wheels.state().throttle, expected(0.2f), 0.002f) << "read as pressed, from its end";
  EXPECT_TRUE(wheels.state().touched);
  device.axis(1, -32768);  // the foot comes off
  wheels.update();
  EXPECT_FLOAT_EQ(wheels.state().throttle, 0.0f);
  device.axis(1, 32767);  // all the way
  wheels.update();
  EXPECT_FLOAT_EQ(wheels.state().throttle, 1.0f);
}

TEST(Pedals, PedalsRestingHighWithAFootOnThemToo) {
  Wheels wheels;
  RumbleWheel device(32767, 32767 - int(std::lround(0.3 * 65535)));
  wheels.update();
  EXPECT_NEAR(wheels.state().throttle, expected(0.3f), 0.002f);
  EXPECT_FLOAT_EQ(wheels.state().brake, 0.0f);
}

TEST(Pedals, ASavedCalibrationGivesTheTravelOfPedalsThatNeverReachTheirEnds) {
  std::string guid;
  {
    Wheels probeWheels;
    RumbleWheel probe;
    probeWheels.update();
    guid = probeWheels.deviceGuid();
  }
  ASSERT_EQ(guid.size(), 32u);
  // This make's pedals rest at -30000 and stop at +20000; its steering centres at 500.
  const WheelCalibration cal{.guid = guid, .name = "test", .steerCentre = 500, .throttle = {-30000, 20000}, .brake = {-30000, 20000}};
  Wheels wheels({.calibrations = {cal}});
  RumbleWheel device(-30000, -30000 + 25000);  // a foot half way down at start-up
  device.axis(0, 500);
  wheels.update();
  ASSERT_TRUE(wheels.state().present);
  EXPECT_TRUE(wheels.state().calibrated);
  EXPECT_NEAR(wheels.state().throttle, expected(0.5f), 0.002f);
  EXPECT_FLOAT_EQ(wheels.state().steer, 0.0f) << "its centre";
  device.axis(1, 20000);
  wheels.update();
  EXPECT_FLOAT_EQ(wheels.state().throttle, 1.0f) << "its full press, short of the axis's end";
  device.axis(1, -30000);
  wheels.update();
  EXPECT_FLOAT_EQ(wheels.state().throttle, 0.0f);
}

// ---- the --calibrate steps on a virtual wheel -----------------------------------------------

TEST(Calibrator, HandsOffThenEachPedalPressedAndLetGo) {
  Wheels wheels;
  RumbleWheel device(-31000);
  device.axis(0, 300);
  wheels.update();
  Calibrator cal;
  double t = 0;
  const auto frames = [&](int n) {
    for (int i = 0; i < n; ++i, t += 0.01) {
      wheels.update();
      cal.feed(wheels.state(), t);
    }
  };
  frames(50);
  EXPECT_EQ(cal.step(), Calibrator::Step::HandsOff) << "not still for long enough yet";
  frames(120);
  ASSERT_EQ(cal.step(), Calibrator::Step::Throttle);
  for (int v : {-20000, 0, 18000, 22000, 21000, 0, -31000}) {
    device.axis(1, Sint16(v));
    frames(3);
  }
  ASSERT_EQ(cal.step(), Calibrator::Step::Brake);
  for (int v : {-10000, 15000, 0, -31000}) {
    device.axis(2, Sint16(v));
    frames(3);
  }
  ASSERT_EQ(cal.step(), Calibrator::Step::Done);
  const WheelCalibration c = cal.result("00000000000000000000000000000000", "w");
  EXPECT_EQ(c.steerCentre, 300);
  EXPECT_EQ(c.throttle.rest, -31000);
  EXPECT_EQ(c.throttle.full, 22000);
  EXPECT_EQ(c.brake.rest, -31000);
  EXPECT_EQ(c.brake.full, 15000);
}

// ---- the calibration file ---------------------------------------------------------------------

TEST(CalibrationFile, SavesAndLoadsBackOneLinePerDevice) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("pav-cal-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "wheels.txt").string();
  std::vector<WheelCalibration> all;
  platform::putCalibration(all, {.guid = std::string(32, 'a'), .name = "A # wheel", .steerCentre = -5, .throttle = {32767, -32768}, .brake = {0, 0}});
  platform::putCalibration(all, {.guid = std::string(32, 'b'), .name = "", .steerCentre = 0, .throttle = {-32768, 32767}, .brake = {-32768, 10000}});
  platform::putCalibration(all, {.guid = std::string(32, 'a'), .name = "A wheel", .steerCentre = 7, .throttle = {32767, -32768}, .brake = {0, 0}});
  platform::saveCalibrations(path, all);
  const auto back = platform::loadCalibrations(path);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].steerCentre, 7) << "a device's later calibration replaces its earlier one";
  EXPECT_EQ(back[0].name, "A wheel");
  EXPECT_EQ(back[1].brake.full, 10000);
  EXPECT_TRUE(platform::loadCalibrations((dir / "none.txt").string()).empty()) << "none saved yet";
  std::filesystem::remove_all(dir);
}

TEST(CalibrationFile, BadFilesAreRefusedWithTheLineAndTheProblem) {
  const std::string good = std::string(32, 'c') + " steer 0 throttle -32768 32767 brake -32768 32767 ok\n";
  const struct {
    std::string text, says;
  } bad[] = {
      {"nonsense\n", "f.txt:1: 'nonsense' is not a device's GUID"},
      {good + std::string(32, 'd') + " steer 0\n", "f.txt:2: 'throttle <rest> <full>' missing"},
      {std::string(32, 'd') + " steer x throttle 0 1 brake 0 1\n", "the steer value 'x' is not a raw axis value"},
      {std::string(32, 'd') + " steer 0 throttle 0 99999 brake 0 1\n", "the throttle value '99999'"},
      {std::string(32, 'd') + " steer 0 throttle 0 100 brake -32768 32767\n", "the throttle travels only 100"},
      {std::string(32, 'd') + " wheel 0\n", "'steer <centre>' missing"},
      {std::string("\x01\x02\xff\xfe\x00garbage", 12), "f.txt:1:"},
  };
  for (const auto& b : bad) {
    SCOPED_TRACE(b.text);
    try {
      platform::parseCalibrations(b.text, "f.txt");
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(b.says), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(platform::parseCalibrations("# only a comment\n\n" + good, "f.txt").size(), 1u);
}

TEST(CalibrationFile, ThePathFollowsXdgConfigHome) {
  const char* saved = std::getenv("XDG_CONFIG_HOME");
  const std::string keep = saved ? saved : "";
  ::setenv("XDG_CONFIG_HOME", "/srv/config", 1);
  EXPECT_EQ(platform::calibrationPath(), "/srv/config/pavilion/wheels.txt");
  ::setenv("XDG_CONFIG_HOME", "relative", 1);
  EXPECT_NE(platform::calibrationPath().find("/.config/pavilion/wheels.txt"), std::string::npos);
  if (saved) ::setenv("XDG_CONFIG_HOME", keep.c_str(), 1);
  else ::unsetenv("XDG_CONFIG_HOME");
}

// ---- --motion-out HOST:PORT -------------------------------------------------------------------

TEST(MotionTarget, GoodAndBadHostPort) {
  EXPECT_EQ(platform::parseMotionTarget("127.0.0.1:4123").port, 4123);
  EXPECT_EQ(platform::parseMotionTarget("seat.local:1").host, "seat.local");
  EXPECT_EQ(platform::parseMotionTarget("[::1]:4123").host, "::1");
  const struct {
    const char* text;
    const char* says;
  } bad[] = {{"127.0.0.1", "no ':PORT'"}, {":4123", "no host"}, {"host:", "not a number"},
             {"host:0", "not in 1..65535"}, {"host:65536", "not in 1..65535"}, {"host:12ab", "not a number"},
             {"::1:4123", "IPv6 address goes in brackets"}, {"[::1:4123", "without its ']'"}, {"", "no ':PORT'"}};
  for (const auto& b : bad) {
    SCOPED_TRACE(b.text);
    try {
      platform::parseMotionTarget(b.text);
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(b.says), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("expected HOST:PORT"), std::string::npos) << e.what();
    }
  }
}
