// A virtual wheel for the platform and driving tests: SDL2's virtual joystick driver stands in
// for the hardware (SDL >= 2.24), with a rumble motor pair whose every call is recorded, as a
// game pad's driver would receive it. Virtual joysticks have no haptic device, so a wheel of
// this kind takes ForceFeedback's rumble path.
#pragma once

#include <gtest/gtest.h>

#include <SDL2/SDL.h>

#include <vector>

namespace pav::test {

struct RumbleCall {
  Uint16 low = 0, high = 0;
};

class RumbleWheel {
 public:
  // Axis 0 steering, 1 throttle, 2 brake; pedals resting at `pedalRest`.
  // `throttleNow`: where the throttle is when it is plugged in (a foot on it); kAtRest: at rest.
  static constexpr int kAtRest = 1 << 20;
  explicit RumbleWheel(Sint16 pedalRest = -32768, int throttleNow = kAtRest, const char* name = "Pavilion rumble wheel") {
    SDL_VirtualJoystickDesc d;
    SDL_zero(d);
    d.version = SDL_VIRTUAL_JOYSTICK_DESC_VERSION;
    d.type = Uint16(SDL_JOYSTICK_TYPE_WHEEL);
    d.naxes = 3;
    d.nbuttons = 4;
    d.name = name;
    d.userdata = this;
    d.Rumble = [](void* self, Uint16 low, Uint16 high) -> int {
      static_cast<RumbleWheel*>(self)->calls.push_back({low, high});
      return 0;
    };
    const int index = SDL_JoystickAttachVirtualEx(&d);
    if (index < 0) {
      ADD_FAILURE() << "SDL_JoystickAttachVirtualEx: " << SDL_GetError();
      return;
    }
    id_ = SDL_JoystickGetDeviceInstanceID(index);
    joystick_ = SDL_JoystickOpen(index);
    if (!joystick_) {
      ADD_FAILURE() << "SDL_JoystickOpen: " << SDL_GetError();
      return;
    }
    axis(1, throttleNow == kAtRest ? pedalRest : Sint16(throttleNow));
    axis(2, pedalRest);
  }
  ~RumbleWheel() {
    if (joystick_) SDL_JoystickClose(joystick_);
    for (int i = 0; i < SDL_NumJoysticks(); ++i)
      if (SDL_JoystickGetDeviceInstanceID(i) == id_) SDL_JoystickDetachVirtual(i);
  }
  RumbleWheel(const RumbleWheel&) = delete;
  RumbleWheel& operator=(const RumbleWheel&) = delete;

  void axis(int axis, Sint16 value) {
    ASSERT_NE(joystick_, nullptr);
    ASSERT_EQ(SDL_JoystickSetVirtualAxis(joystick_, axis, value), 0) << SDL_GetError();
  }

  void button(int button, bool down) {
    ASSERT_NE(joystick_, nullptr);
    ASSERT_EQ(SDL_JoystickSetVirtualButton(joystick_, button, down ? 1 : 0), 0) << SDL_GetError();
  }

  std::vector<RumbleCall> calls;  // every call the driver received, in order

 private:
  SDL_JoystickID id_ = -1;
  SDL_Joystick* joystick_ = nullptr;
};

}  // namespace pav::test
