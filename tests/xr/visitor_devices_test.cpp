// A visitor at a real wheel calls for staff the way one in a headset does (both grips): by
// holding one of the wheel's buttons for VisitorDevices::kCallHoldSeconds. The wheel is SDL's
// virtual joystick (tests/platform/virtual_wheel.h); the seat is the driving title's; the clock is
// the wall clock the station's devices run on.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "pav/core/fixed_step.h"
#include "pav/driving/driving.h"
#include "views.h"
#include "virtual_wheel.h"

namespace pav::tools {
namespace {

// Reads the devices every 10 ms for `seconds` of wall time.
void hold(VisitorDevices& devices, double seconds) {
  core::Stopwatch clock;
  while (clock.elapsed() < seconds) {
    core::InputFrame input;
    devices.apply(input);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TEST(VisitorDevices, AWheelButtonHeldTwoSecondsCallsForStaffOncePerHold) {
  driving::DrivingTitle title;
  title.setup({.players = 1, .seed = 1, .dataDir = PAV_TEST_ASSET_DIR});
  VisitorDevices devices(title, 0, "visitor-devices-test");
  test::RumbleWheel wheel;
  hold(devices, 0.1);
  ASSERT_NE(devices.found() & core::kDeviceWheel, 0u) << "the virtual wheel was not found";
  // A press shorter than the hold: nothing (the devices' hold is never longer than ours).
  wheel.button(2, true);
  hold(devices, 0.5 * VisitorDevices::kCallHoldSeconds);
  wheel.button(2, false);
  hold(devices, 0.1);
  EXPECT_EQ(devices.staffCalls(), 0u);
  // Held past the hold: one call, however long it stays down.
  wheel.button(2, true);
  hold(devices, VisitorDevices::kCallHoldSeconds + 1.0);
  EXPECT_EQ(devices.staffCalls(), 1u);
  hold(devices, 0.5);
  EXPECT_EQ(devices.staffCalls(), 1u) << "one call per hold";
  // Let go and held again: a second call.
  wheel.button(2, false);
  hold(devices, 0.1);
  wheel.button(2, true);
  hold(devices, VisitorDevices::kCallHoldSeconds + 1.0);
  EXPECT_EQ(devices.staffCalls(), 2u);
  EXPECT_EQ(devices.wheelLosses(), 0u);
}

}  // namespace
}  // namespace pav::tools
