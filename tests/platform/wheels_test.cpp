// Tests for pav::platform::Wheels and the wheel over a seat's input (wheelReading, then
// core::applyWheel, as Title::deviceInput does). SDL2's virtual joysticks (SDL >= 2.24) stand
// in for the hardware, so SDL's own joystick and game controller code runs: devices are
// attached, moved and detached exactly as the drivers would report them. No display and no
// video subsystem: the station may be headless or in a headset.
#include <gtest/gtest.h>

#include <SDL2/SDL.h>
#include <signal.h>
#include <stdlib.h>

#include <string>

#include "pav/core/title.h"
#include "pav/platform/platform.h"

using pav::core::InputFrame;
using pav::platform::DrivingDevice;
using pav::platform::Wheels;
using pav::platform::WheelsDesc;
using pav::platform::WheelState;

namespace {
// The product's path: the wheel's reading over the headset's (or the keys') input.
InputFrame mergeDriving(const InputFrame& headsetOrKeys, const WheelState& wheel) {
  InputFrame out = headsetOrKeys;
  pav::core::applyWheel(pav::platform::wheelReading(wheel), out);
  return out;
}
}  // namespace

namespace {

// What a default WheelsDesc reads for a travel of `t` (0..1) past its dead zone.
float expected(float t, float deadzone = WheelsDesc{}.wheelDeadzone) {
  return t <= deadzone ? 0.0f : (t - deadzone) / (1.0f - deadzone);
}

int deviceIndexOf(SDL_JoystickID id) {
  for (int i = 0; i < SDL_NumJoysticks(); ++i)
    if (SDL_JoystickGetDeviceInstanceID(i) == id) return i;
  return -1;
}

// A virtual device plugged in for the length of a test (or until unplug()); holds its own
// SDL_Joystick handle to set the axes, as a driver would.
class VirtualDevice {
 public:
  VirtualDevice(SDL_JoystickType type, int axes, int buttons, const char* name) {
    SDL_VirtualJoystickDesc d;
    SDL_zero(d);
    d.version = SDL_VIRTUAL_JOYSTICK_DESC_VERSION;
    d.type = Uint16(type);
    d.naxes = Uint16(axes);
    d.nbuttons = Uint16(buttons);
    d.name = name;
    index_ = SDL_JoystickAttachVirtualEx(&d);
    if (index_ < 0) {
      ADD_FAILURE() << "SDL_JoystickAttachVirtualEx: " << SDL_GetError();
      return;
    }
    id_ = SDL_JoystickGetDeviceInstanceID(index_);
    joystick_ = SDL_JoystickOpen(index_);
    if (!joystick_) ADD_FAILURE() << "SDL_JoystickOpen: " << SDL_GetError();
  }
  ~VirtualDevice() { unplug(); }
  VirtualDevice(const VirtualDevice&) = delete;
  VirtualDevice& operator=(const VirtualDevice&) = delete;

  void axis(int axis, Sint16 value) {
    ASSERT_NE(joystick_, nullptr);
    ASSERT_EQ(SDL_JoystickSetVirtualAxis(joystick_, axis, value), 0) << SDL_GetError();
  }
  void button(int button, bool down) {
    ASSERT_NE(joystick_, nullptr);
    ASSERT_EQ(SDL_JoystickSetVirtualButton(joystick_, button, down ? 1 : 0), 0) << SDL_GetError();
  }
  int index() const { return deviceIndexOf(id_); }
  void unplug() {
    if (joystick_) SDL_JoystickClose(joystick_), joystick_ = nullptr;
    const int i = index();
    if (i >= 0) {
      EXPECT_EQ(SDL_JoystickDetachVirtual(i), 0) << SDL_GetError();
    }
  }

 private:
  int index_ = -1;
  SDL_JoystickID id_ = -1;
  SDL_Joystick* joystick_ = nullptr;
};

// A wheel in the common layout: axis 0 steering, axis 1 throttle, axis 2 brake, the pedals
// resting at `pedalRest`.
struct VirtualWheel : VirtualDevice {
  explicit VirtualWheel(Sint16 pedalRest = -32768)
      : VirtualDevice(SDL_JOYSTICK_TYPE_WHEEL, 3, 8, "Pavilion test wheel") {
    axis(1, pedalRest);
    axis(2, pedalRest);
  }
};

InputFrame headset() {
  InputFrame in;
  in.steer = -0.25f;
  in.throttle = 0.75f;
  in.brake = 0.125f;
  in.pedalPowerWatts = 180;
  in.buttons = 5;
  in.hands[1].trigger = 0.75f;
  in.hands[1].tracked = true;
  return in;
}

}  // namespace

// ---- the wheel over the headset's input -----------------------------------------------------------------------------

TEST(MergeDriving, WithoutADeviceTheHeadsetDrives) {
  const InputFrame out = mergeDriving(headset(), WheelState{});
  EXPECT_FLOAT_EQ(out.steer, -0.25f);
  EXPECT_FLOAT_EQ(out.throttle, 0.75f);
  EXPECT_FLOAT_EQ(out.brake, 0.125f);
}

TEST(MergeDriving, AnUntouchedWheelLeavesTheHeadsetDriving) {
  WheelState w;
  w.device = DrivingDevice::Wheel;
  w.present = true;
  w.steer = 0.0f;
  const InputFrame out = mergeDriving(headset(), w);
  EXPECT_FLOAT_EQ(out.steer, -0.25f);
  EXPECT_FLOAT_EQ(out.throttle, 0.75f);
}

TEST(MergeDriving, ATouchedWheelWinsForSteerThrottleAndBrakeOnly) {
  WheelState w;
  w.device = DrivingDevice::Wheel;
  w.present = true;
  w.touched = true;
  w.steer = 0.5f;
  w.throttle = 0.0f;  // a centred wheel and released pedals still drive: 0 is an answer
  w.brake = 1.0f;
  const InputFrame out = mergeDriving(headset(), w);
  EXPECT_FLOAT_EQ(out.steer, 0.5f);
  EXPECT_FLOAT_EQ(out.throttle, 0.0f);
  EXPECT_FLOAT_EQ(out.brake, 1.0f);
  EXPECT_FLOAT_EQ(out.pedalPowerWatts, 180.0f);
  EXPECT_EQ(out.buttons, 5u);
  EXPECT_TRUE(out.hands[1].tracked);
  EXPECT_FLOAT_EQ(out.hands[1].trigger, 0.75f);
}

TEST(MergeDriving, AnUnpluggedWheelNoLongerDrivesEvenIfItWasTouched) {
  WheelState w;
  w.touched = true;
  w.steer = 1.0f;
  EXPECT_FLOAT_EQ(mergeDriving(headset(), w).steer, -0.25f);
}

TEST(MergeDriving, OutOfRangeValuesAreClamped) {
  WheelState w;
  w.present = w.touched = true;
  w.steer = -3.0f;
  w.throttle = 2.0f;
  w.brake = -1.0f;
  const InputFrame out = mergeDriving(headset(), w);
  EXPECT_FLOAT_EQ(out.steer, -1.0f);
  EXPECT_FLOAT_EQ(out.throttle, 1.0f);
  EXPECT_FLOAT_EQ(out.brake, 0.0f);
}

// ---- Wheels through SDL's virtual joysticks -------------------------------------------------

TEST(Wheels, StartsHeadlessWithoutVideoAndLeavesCtrlCAlone) {
  ASSERT_EQ(SDL_WasInit(SDL_INIT_VIDEO), 0u);
  Wheels wheels;
  ASSERT_TRUE(wheels.available()) << wheels.why();
  EXPECT_EQ(SDL_WasInit(SDL_INIT_VIDEO), 0u);
  EXPECT_NE(SDL_WasInit(SDL_INIT_GAMECONTROLLER), 0u);
  struct sigaction now {};
  ASSERT_EQ(sigaction(SIGINT, nullptr, &now), 0);
  EXPECT_EQ(now.sa_handler, SIG_DFL) << "SDL took SIGINT; a headless program would ignore Ctrl-C";
  wheels.update();
  EXPECT_FALSE(wheels.state().present);
  EXPECT_EQ(wheels.state().device, DrivingDevice::None);
}

TEST(Wheels, AVirtualWheelIsDetectedAndDrives) {
  Wheels wheels;
  ASSERT_TRUE(wheels.available()) << wheels.why();
  VirtualWheel v(-32768);
  wheels.update();
  const WheelState& s = wheels.state();
  ASSERT_TRUE(s.present);
  EXPECT_TRUE(s.changed);
  EXPECT_EQ(s.device, DrivingDevice::Wheel);
  EXPECT_EQ(wheels.deviceName(), "Pavilion test wheel");
  EXPECT_FALSE(s.touched);
  EXPECT_FLOAT_EQ(s.steer, 0.0f);
  EXPECT_FLOAT_EQ(s.throttle, 0.0f);
  EXPECT_FLOAT_EQ(s.brake, 0.0f);
  EXPECT_FLOAT_EQ(mergeDriving(headset(), s).steer, -0.25f) << "untouched: the headset drives";

  v.axis(0, 16384);  // half right
  v.axis(1, 32767);  // throttle floored
  wheels.update();
  EXPECT_FALSE(s.changed);
  EXPECT_TRUE(s.touched);
  EXPECT_NEAR(s.steer, expected(16384.0f / 32767.0f), 1e-4f);
  EXPECT_FLOAT_EQ(s.throttle, 1.0f);
  EXPECT_FLOAT_EQ(s.brake, 0.0f);

  v.axis(0, -32768);  // full left lock
  v.axis(1, -32768);  // off the throttle
  v.axis(2, 0);       // half brake
  wheels.update();
  EXPECT_FLOAT_EQ(s.steer, -1.0f);
  EXPECT_FLOAT_EQ(s.throttle, 0.0f);
  EXPECT_NEAR(s.brake, expected(32768.0f / 65535.0f), 1e-4f);
  const InputFrame out = mergeDriving(headset(), s);
  EXPECT_FLOAT_EQ(out.steer, -1.0f);
  EXPECT_FLOAT_EQ(out.throttle, 0.0f);
  EXPECT_NEAR(out.brake, expected(0.5f), 1e-3f);
}

// Any of the wheel's buttons held reads as `button` (a visitor's call for staff): the titles
// drive with the axes only.
TEST(Wheels, AnyButtonHeldReadsAsAButton) {
  Wheels wheels;
  ASSERT_TRUE(wheels.available()) << wheels.why();
  VirtualWheel v(-32768);
  wheels.update();
  ASSERT_TRUE(wheels.state().present);
  EXPECT_FALSE(wheels.state().button);
  for (int b : {0, 7}) {
    v.button(b, true);
    wheels.update();
    EXPECT_TRUE(wheels.state().button) << "button " << b;
    v.button(b, false);
    wheels.update();
    EXPECT_FALSE(wheels.state().button) << "button " << b << " let go";
  }
}

// Pedals rest at one end or the other depending on the make; both read as released at rest
// and as fully pressed at the other end.
TEST(Wheels, PedalsRestingLowOrHighBothReadAsReleased) {
  for (const Sint16 rest : {Sint16(-32768), Sint16(32767)}) {
    SCOPED_TRACE(rest);
    Wheels wheels;
    VirtualWheel v(rest);
    wheels.update();
    ASSERT_TRUE(wheels.state().present);
    EXPECT_FLOAT_EQ(wheels.state().throttle, 0.0f);
    EXPECT_FLOAT_EQ(wheels.state().brake, 0.0f);
    EXPECT_FALSE(wheels.state().touched);

    const Sint16 floor = rest < 0 ? Sint16(32767) : Sint16(-32768);
    v.axis(1, floor);
    wheels.update();
    EXPECT_FLOAT_EQ(wheels.state().throttle, 1.0f);
    EXPECT_FLOAT_EQ(wheels.state().brake, 0.0f);
    EXPECT_TRUE(wheels.state().touched);

    // Jitter past the rest is not a press.
    v.axis(1, rest);
    v.axis(2, rest < 0 ? Sint16(-32768) : Sint16(32767));
    wheels.update();
    EXPECT_FLOAT_EQ(wheels.state().throttle, 0.0f);
    EXPECT_FLOAT_EQ(wheels.state().brake, 0.0f);
  }
}

TEST(Wheels, UnpluggingIsNoticedAndTheHeadsetDrivesAgain) {
  Wheels wheels;
  VirtualWheel v;
  wheels.update();
  v.axis(0, 32767);
  wheels.update();
  ASSERT_TRUE(wheels.state().touched);
  EXPECT_FLOAT_EQ(mergeDriving(headset(), wheels.state()).steer, 1.0f);

  v.unplug();
  wheels.update();
  const WheelState& s = wheels.state();
  EXPECT_FALSE(s.present);
  EXPECT_TRUE(s.changed);
  EXPECT_EQ(s.device, DrivingDevice::None);
  EXPECT_EQ(wheels.deviceName(), "");
  const InputFrame out = mergeDriving(headset(), s);
  EXPECT_FLOAT_EQ(out.steer, -0.25f);
  EXPECT_FLOAT_EQ(out.throttle, 0.75f);
  EXPECT_FLOAT_EQ(out.brake, 0.125f);

  wheels.update();
  EXPECT_FALSE(wheels.state().changed);

  VirtualWheel again;  // plugged back in: found again, and untouched until moved
  wheels.update();
  EXPECT_TRUE(wheels.state().present);
  EXPECT_FALSE(wheels.state().touched);
}

// The window's event loop (Window::pump, SDL_PollEvent) may drain the queue before update():
// the device is found all the same. And update() takes only joystick and controller events,
// leaving the window's.
TEST(Wheels, CoexistsWithTheWindowsEventLoop) {
  Wheels wheels;
  VirtualWheel v;
  SDL_PumpEvents();
  SDL_Event e;
  int joystickEvents = 0;
  while (SDL_PollEvent(&e))
    if (e.type == SDL_JOYDEVICEADDED) ++joystickEvents;
  EXPECT_GE(joystickEvents, 1) << "the window's loop saw the device arrive";
  wheels.update();
  EXPECT_TRUE(wheels.state().present) << "found without the SDL_JOYDEVICEADDED event";

  SDL_Event user;
  SDL_zero(user);
  user.type = SDL_USEREVENT;
  ASSERT_EQ(SDL_PushEvent(&user), 1);
  v.axis(0, 20000);  // queues joystick axis motion at the next update
  wheels.update();
  wheels.update();
  EXPECT_EQ(SDL_PeepEvents(nullptr, 0, SDL_PEEKEVENT, SDL_JOYAXISMOTION, SDL_FINGERDOWN - 1), 0)
      << "joystick events were left to pile up";
  ASSERT_EQ(SDL_PeepEvents(&e, 1, SDL_GETEVENT, SDL_USEREVENT, SDL_USEREVENT), 1)
      << "update() ate an event that was not its own";
}

TEST(Wheels, AVirtualGameControllerDrivesWithStickAndTriggers) {
  Wheels wheels;
  // Six axes in SDL's controller order (left x, left y, right x, right y, left trigger, right
  // trigger) and the fifteen standard buttons: SDL maps a virtual controller itself.
  VirtualDevice pad(SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, "Pavilion test pad");
  const int index = pad.index();
  ASSERT_GE(index, 0);
  if (!SDL_IsGameController(index)) {
    char guid[64];
    SDL_JoystickGetGUIDString(SDL_JoystickGetDeviceGUID(index), guid, sizeof guid);
    const std::string mapping = std::string(guid) +
        ",Pavilion test pad,leftx:a0,lefty:a1,rightx:a2,righty:a3,lefttrigger:a4,righttrigger:a5,"
        "a:b0,b:b1,x:b2,y:b3,back:b4,guide:b5,start:b6,";
    ASSERT_GE(SDL_GameControllerAddMapping(mapping.c_str()), 0) << SDL_GetError();
  }
  ASSERT_TRUE(SDL_IsGameController(index));
  wheels.update();
  const WheelState& s = wheels.state();
  ASSERT_TRUE(s.present);
  EXPECT_EQ(s.device, DrivingDevice::Controller);
  EXPECT_FALSE(s.touched);
  EXPECT_FLOAT_EQ(s.throttle, 0.0f) << "triggers rest released";
  EXPECT_FLOAT_EQ(s.brake, 0.0f);

  pad.axis(0, -32768);  // left stick full left
  pad.axis(5, 32767);   // right trigger: throttle
  wheels.update();
  EXPECT_TRUE(s.touched);
  EXPECT_FLOAT_EQ(s.steer, -1.0f);
  EXPECT_FLOAT_EQ(s.throttle, 1.0f);
  EXPECT_FLOAT_EQ(s.brake, 0.0f);

  pad.axis(0, 2000);   // inside the stick's dead zone
  pad.axis(5, -32768);
  pad.axis(4, 32767);  // left trigger: brake
  wheels.update();
  EXPECT_FLOAT_EQ(s.steer, 0.0f);
  EXPECT_FLOAT_EQ(s.throttle, 0.0f);
  EXPECT_FLOAT_EQ(s.brake, 1.0f);
}

TEST(Wheels, AWheelPluggedInLaterTakesOverFromAController) {
  Wheels wheels;
  VirtualDevice pad(SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, "Pavilion test pad");
  wheels.update();
  if (wheels.state().device != DrivingDevice::Controller) GTEST_SKIP() << "SDL gave the pad no mapping";
  VirtualWheel wheel;
  wheels.update();
  EXPECT_TRUE(wheels.state().changed);
  EXPECT_EQ(wheels.state().device, DrivingDevice::Wheel);
  EXPECT_EQ(wheels.deviceName(), "Pavilion test wheel");
  wheel.unplug();
  wheels.update();
  EXPECT_TRUE(wheels.state().changed);
  EXPECT_EQ(wheels.state().device, DrivingDevice::Controller) << "the controller drives again";
  EXPECT_FALSE(wheels.state().touched);
}

TEST(Wheels, ControllersCanBeLeftOut) {
  WheelsDesc desc;
  desc.useControllers = false;
  Wheels wheels(desc);
  VirtualDevice pad(SDL_JOYSTICK_TYPE_GAMECONTROLLER, 6, 15, "Pavilion test pad");
  wheels.update();
  EXPECT_FALSE(wheels.state().present);
}

// A joystick SDL cannot name as a wheel is taken for one when it has the layout's axes; other
// kinds (a flight stick) and joysticks with too few axes are left alone.
TEST(Wheels, UnknownJoysticksNeedTheWheelsAxes) {
  Wheels wheels;
  VirtualDevice stick(SDL_JOYSTICK_TYPE_FLIGHT_STICK, 4, 4, "Pavilion test flight stick");
  VirtualDevice small(SDL_JOYSTICK_TYPE_UNKNOWN, 2, 4, "Pavilion test two-axis");
  wheels.update();
  EXPECT_FALSE(wheels.state().present);
  VirtualDevice unknown(SDL_JOYSTICK_TYPE_UNKNOWN, 3, 4, "Pavilion test unknown wheel");
  wheels.update();
  ASSERT_TRUE(wheels.state().present);
  EXPECT_EQ(wheels.state().device, DrivingDevice::Wheel);
  EXPECT_EQ(wheels.deviceName(), "Pavilion test unknown wheel");
}

TEST(Wheels, TheAxisLayoutIsConfigurable) {
  WheelsDesc desc;
  desc.steerAxis = 0;
  desc.throttleAxis = 2;  // many wheels put the clutch on axis 1
  desc.brakeAxis = 3;
  Wheels wheels(desc);
  VirtualDevice v(SDL_JOYSTICK_TYPE_WHEEL, 4, 8, "Pavilion test wheel with clutch");
  for (int a = 1; a < 4; ++a) v.axis(a, 32767);
  wheels.update();
  ASSERT_TRUE(wheels.state().present);
  v.axis(1, -32768);  // the clutch: not ours
  wheels.update();
  EXPECT_FALSE(wheels.state().touched);
  v.axis(3, -32768);
  wheels.update();
  EXPECT_FLOAT_EQ(wheels.state().brake, 1.0f);
  EXPECT_FLOAT_EQ(wheels.state().throttle, 0.0f);
}

// With a window's video subsystem, in either order of creation: SDL counts its subsystems, so
// neither owner stops the other's.
TEST(Wheels, WorksAlongsideTheVideoSubsystem) {
  setenv("SDL_VIDEODRIVER", "dummy", 1);
  {
    pav::platform::Video video;
    {
      Wheels wheels;
      VirtualWheel v;
      wheels.update();
      EXPECT_TRUE(wheels.state().present);
    }
    EXPECT_NE(SDL_WasInit(SDL_INIT_VIDEO), 0u) << "Wheels stopped the window's video";
    EXPECT_NE(SDL_WasInit(SDL_INIT_EVENTS), 0u);
  }
  Wheels wheels;
  {
    pav::platform::Video video;
  }
  EXPECT_NE(SDL_WasInit(SDL_INIT_GAMECONTROLLER), 0u) << "the window's video stopped Wheels";
  VirtualWheel v;
  v.axis(0, -32768);
  wheels.update();
  EXPECT_TRUE(wheels.state().present);
  EXPECT_FLOAT_EQ(wheels.state().steer, -1.0f);
}
