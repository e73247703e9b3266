// pav::platform force feedback: what a title's presenter asks the visitor's wheel to feel
// (render::Cues: the wheel's steady forces, and its rumbles and jolts, FeelWhere::Wheel)
// played on the driving device Wheels has open.
//
//   platform::Wheels wheels;
//   platform::ForceFeedback feedback({.strength = 80});      // the station's --ffb-strength
//   each frame: wheels.update();
//               cues.clear(); presenter.feel(before, now, cues);
//               feedback.play(wheels, cues, seconds);         // the caller's clock
//
// Two ways to the device, chosen when a device opens:
//   Haptic  a wheel with force feedback (SDL_HapticOpenFromJoystick): a constant force (the
//           torque), a spring and a damper held all the time and updated as they change, a
//           sine for a kerb's rumble and a short sine for a knock
//   Rumble  a game pad (SDL_JoystickRumble): a rumble of amplitude a runs the low-frequency
//           motor at a and the high-frequency one at a / 4; a jolt runs both at a for its
//           length, and wins over a rumble until it is over. A pad has no rim: no torque.
// Amplitudes are scaled by strength / 100 and end up as SDL's 0..0xFFFF (motors) or
// -0x7FFF..0x7FFF (haptic levels). A rumble asked for renews itself for kRumbleHoldS, so it
// ends soon after the last ask without a stop call.
//
// Updates are rate-limited: the device is told at most once per minUpdateS, and a steady
// force only when it moved by minChange or more (a motor's level: by any amount).
#pragma once

#include <cstdint>
#include <memory>

#include "pav/render/presenter.h"

struct _SDL_Haptic;

namespace pav::platform {

class Wheels;

struct ForceFeedbackDesc {
  int strength = 100;         // 0..100: the station's --ffb-strength (0: nothing is played)
  double minUpdateS = 0.01;   // at most 100 updates a second
  float minChange = 0.01f;    // of a steady force's range
};

enum class FeedbackPath : uint8_t { None, Haptic, Rumble };
const char* feedbackPathName(FeedbackPath p);  // "none", "force feedback", "rumble"

constexpr double kRumbleHoldS = 0.1;
constexpr float kHighMotorShare = 0.25f;  // a rumble's high-frequency motor, of its low one

class ForceFeedback {
 public:
  explicit ForceFeedback(const ForceFeedbackDesc& desc = {});
  ~ForceFeedback();
  ForceFeedback(const ForceFeedback&) = delete;
  ForceFeedback& operator=(const ForceFeedback&) = delete;

  // Plays this frame's cues for the wheel on the device `wheels` has open (a new device is
  // set up first; none: nothing). `seconds` is the caller's clock, rising.
  void play(Wheels& wheels, const render::Cues& cues, double seconds);
  FeedbackPath path() const { return path_; }
  uint64_t deviceUpdates() const { return updates_; }  // calls that reached the device

  struct HapticCloser { void operator()(_SDL_Haptic* h) const; };

 private:
  void openFor(Wheels& wheels);
  void playHaptic(const render::Cues& cues, double seconds, bool due);
  void playRumble(Wheels& wheels, const render::Cues& cues, double seconds, bool due);

  ForceFeedbackDesc desc_;
  float scale_ = 1;
  int32_t device_ = -1;  // Wheels::instance() of the device set up
  FeedbackPath path_ = FeedbackPath::None;
  bool subsystem_ = false;  // SDL_INIT_HAPTIC started by this object
  std::unique_ptr<_SDL_Haptic, HapticCloser> haptic_;
  int constant_ = -1, spring_ = -1, damper_ = -1, kerb_ = -1, knock_ = -1;  // effect ids
  render::WheelForce sent_{};   // the steady forces last sent
  float kerbSent_ = 0;
  double lastUpdate_ = -1e9;
  double joltUntil_ = -1e9;     // a jolt plays until then
  uint16_t lowSent_ = 0, highSent_ = 0;
  double rumbleUntil_ = -1e9;   // the last rumble sent lasts until then
  uint64_t updates_ = 0;
};

}  // namespace pav::platform
