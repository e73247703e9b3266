// Controller input and haptics through OpenXR actions: one action set per title, with the
// same actions on both hands and suggested bindings for the four controllers a pavilion
// meets (khr/simple_controller, oculus/touch_controller, valve/index_controller,
// htc/vive_controller):
//
//   action        type       what a controller offers (simple / touch / index / vive)
//   grip_pose     pose       grip/pose everywhere: the hand holding the controller
//   aim_pose      pose       aim/pose everywhere: the pointing ray
//   trigger       float      select/click / trigger/value / trigger/value / trigger/value
//   squeeze       float      -            / squeeze/value / squeeze/value / squeeze/click
//   thumbstick    vector2f   -            / thumbstick    / thumbstick    / trackpad
//   primary       boolean    select/click / a, x /click   / a/click       / trackpad/click
//   secondary     boolean    -            / b, y /click   / b/click       / -
//   menu          boolean    menu/click   / menu/click (left) / -         / menu/click
//   stick_click   boolean    -            / thumbstick/click / thumbstick/click / trackpad/click
//   haptic        vibration  output/haptic everywhere
//
//   xr::Actions actions(session, "hockey", "Robotic air hockey");  // suggests and attaches
//   loop: actions.sync(frame.displayTime);                          // after beginFrame
//         actions.controls(playSpace, c);                           // core::HeadsetControls
//         title.headsetInput(c, seat, input);                       // the title maps them
//         actions.pulse(xr::kRightHand, 0.8f, 0.05f);               // a puck hit
//
// Inputs are only active while the session is focused; otherwise every hand reads inactive
// and untracked, which a title treats as "hands off".
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

#include "pav/core/title.h"
#include "pav/render/camera.h"
#include "pav/xr/handles.h"
#include "pav/xr/play_space.h"

namespace pav::xr {

class Session;

constexpr int kLeftHand = 0;
constexpr int kRightHand = 1;

// Button bits of one hand. In core::InputFrame::buttons the left hand's bits are the low
// byte and the right hand's the next (bit << (8 * hand)).
enum ButtonBit : uint32_t {
  kButtonPrimary = 1u << 0,     // A / X / select
  kButtonSecondary = 1u << 1,   // B / Y
  kButtonMenu = 1u << 2,
  kButtonStick = 1u << 3,       // thumbstick or trackpad click
  kButtonTrigger = 1u << 4,     // trigger past half-way
  kButtonSqueeze = 1u << 5,     // grip past half-way
};
constexpr uint32_t handButtons(uint32_t buttons, int hand) { return buttons << (8 * hand); }

struct HandState {
  bool active = false;           // bound and the session focused
  bool tracked = false;          // the grip pose is valid this frame
  render::Pose grip, aim;        // in the play space
  glm::vec3 gripVelocity{0.0f};  // m/s, in the play space (zero when the runtime gives none)
  float trigger = 0, squeeze = 0;
  glm::vec2 thumbstick{0.0f};
  uint32_t buttons = 0;          // ButtonBit
};

struct ControllerState {
  std::array<HandState, 2> hands;
  XrTime time = 0;  // the time the poses were located at
};

class Actions {
 public:
  // Creates the set `name` (a lowercase OpenXR name, e.g. the title id) and its actions,
  // suggests the four profiles' bindings, attaches the set to the session and makes the
  // hands' pose spaces. Throws pav::Error when the runtime refuses the set or the attachment;
  // a profile the runtime does not know is logged and skipped.
  Actions(Session& session, std::string_view name, std::string_view localizedName);
  ~Actions();
  Actions(const Actions&) = delete;
  Actions& operator=(const Actions&) = delete;

  // xrSyncActions, then every state, and the hands' poses at `time` in the play space.
  const ControllerState& sync(XrTime time);
  const ControllerState& state() const { return state_; }
  // The hands located again at `time` (xrLocateSpace on the grip and aim spaces; no sync): the
  // newest poses the runtime has, for drawing the visitor's body just before the frame is
  // drawn (after Session::locateViews). Buttons and analog values are those of the last sync;
  // a hand inactive at the last sync stays untracked. Allocates nothing.
  void locateHands(XrTime time, ControllerState& out) const;
  // Fills `out`'s hands (positions and orientations in the title's coordinates), trigger and
  // grip, and the button bits of both hands. Leaves the other fields alone.
  void fill(const PlaySpace& space, core::InputFrame& out) const;
  // Both controllers as a title reads them (core::Title::headsetInput): the hands as fill()
  // gives them, the thumbsticks and the buttons.
  void controls(const PlaySpace& space, core::HeadsetControls& out) const;

  // A vibration on one hand: amplitude 0..1, for `seconds`, at `frequencyHz` (0: the
  // runtime's choice). False when the hand has no haptic output now (not focused, unbound).
  bool pulse(int hand, float amplitude, float seconds, float frequencyHz = 0.0f);
  void stopHaptics(int hand);

  // The interaction profile bound to a hand now ("" when none), e.g.
  // "/interaction_profiles/oculus/touch_controller".
  std::string currentProfile(int hand) const;
  // The profiles whose bindings the runtime accepted.
  const std::vector<std::string>& suggestedProfiles() const { return suggested_; }
  XrActionSet actionSet() const { return set_; }

 private:
  enum Index { kGripPose, kAimPose, kTrigger, kSqueeze, kThumbstick, kPrimary, kSecondary, kMenu, kStickClick,
               kHaptic, kActionCount };
  void createActions(std::string_view name, std::string_view localizedName);
  void suggestBindings();
  XrAction action(Index i) const { return actions_[i]; }
  float readFloat(Index i, int hand) const;
  bool readBool(Index i, int hand) const;
  glm::vec2 readVector(Index i, int hand) const;
  bool locate(XrSpace space, XrTime time, render::Pose& pose, glm::vec3* velocity) const;

  Session& session_;
  XrPath hands_[2] = {XR_NULL_PATH, XR_NULL_PATH};
  UniqueActionSet set_;
  std::array<UniqueAction, kActionCount> actions_;
  std::array<UniqueSpace, 2> gripSpaces_, aimSpaces_;  // after the actions: destroyed first
  std::vector<std::string> suggested_;
  ControllerState state_;
};

}  // namespace pav::xr
