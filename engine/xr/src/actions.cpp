// Actions: the title's action set, the four controllers' suggested bindings, per-frame
// sampling into HandState / core::InputFrame, and haptic pulses. See actions.h for the table.
//
// [SECTION] Actions and bindings
// [SECTION] Sampling
// [SECTION] Haptics and profiles
#include "pav/xr/actions.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "pav/core/log.h"
#include "pav/xr/runtime.h"
#include "pav/xr/session.h"
#include "xr_local.h"

namespace pav::xr {
namespace {

struct ActionDef {
  const char* name;
  const char* localized;
  XrActionType type;
};

// In the order of Actions::Index.
constexpr ActionDef kActions[] = {
    {"grip_pose", "Hand pose", XR_ACTION_TYPE_POSE_INPUT},
    {"aim_pose", "Pointer pose", XR_ACTION_TYPE_POSE_INPUT},
    {"trigger", "Trigger", XR_ACTION_TYPE_FLOAT_INPUT},
    {"squeeze", "Grip", XR_ACTION_TYPE_FLOAT_INPUT},
    {"thumbstick", "Thumbstick", XR_ACTION_TYPE_VECTOR2F_INPUT},
    {"primary", "Primary button", XR_ACTION_TYPE_BOOLEAN_INPUT},
    {"secondary", "Secondary button", XR_ACTION_TYPE_BOOLEAN_INPUT},
    {"menu", "Menu", XR_ACTION_TYPE_BOOLEAN_INPUT},
    {"stick_click", "Thumbstick click", XR_ACTION_TYPE_BOOLEAN_INPUT},
    {"haptic", "Vibration", XR_ACTION_TYPE_VIBRATION_OUTPUT},
};

constexpr uint8_t kL = 1, kR = 2, kBoth = 3;
struct BindingDef {
  int action;          // Actions::Index
  const char* source;  // after /user/hand/<hand>/
  uint8_t hands;
};
struct ProfileDef {
  const char* path;
  std::vector<BindingDef> bindings;
};

// OpenXR 1.0, section 6.4 "Interaction Profile Paths". The indices are Actions::Index.
enum : int { GRIP, AIM, TRIGGER, SQUEEZE, STICK, PRIMARY, SECONDARY, MENU, STICK_CLICK, HAPTIC };
const std::vector<ProfileDef>& profileDefs() {
  static const std::vector<ProfileDef> defs = {
      {"/interaction_profiles/khr/simple_controller",
       {{GRIP, "input/grip/pose", kBoth}, {AIM, "input/aim/pose", kBoth}, {TRIGGER, "input/select/click", kBoth},
        {PRIMARY, "input/select/click", kBoth}, {MENU, "input/menu/click", kBoth}, {HAPTIC, "output/haptic", kBoth}}},
      {"/interaction_profiles/oculus/touch_controller",
       {{GRIP, "input/grip/pose", kBoth}, {AIM, "input/aim/pose", kBoth}, {TRIGGER, "input/trigger/value", kBoth},
        {SQUEEZE, "input/squeeze/value", kBoth}, {STICK, "input/thumbstick", kBoth},
        {STICK_CLICK, "input/thumbstick/click", kBoth}, {PRIMARY, "input/x/click", kL}, {SECONDARY, "input/y/click", kL},
        {MENU, "input/menu/click", kL}, {PRIMARY, "input/a/click", kR}, {SECONDARY, "input/b/click", kR},
        {HAPTIC, "output/haptic", kBoth}}},
      {"/interaction_profiles/valve/index_controller",
       {{GRIP, "input/grip/pose", kBoth}, {AIM, "input/aim/pose", kBoth}, {TRIGGER, "input/trigger/value", kBoth},
        {SQUEEZE, "input/squeeze/value", kBoth}, {STICK, "input/thumbstick", kBoth},
        {STICK_CLICK, "input/thumbstick/click", kBoth}, {PRIMARY, "input/a/click", kBoth},
        {SECONDARY, "input/b/click", kBoth}, {HAPTIC, "output/haptic", kBoth}}},
      {"/interaction_profiles/htc/vive_controller",
       {{GRIP, "input/grip/pose", kBoth}, {AIM, "input/aim/pose", kBoth}, {TRIGGER, "input/trigger/value", kBoth},
        {SQUEEZE, "input/squeeze/click", kBoth}, {STICK, "input/trackpad", kBoth},
        {PRIMARY, "input/trackpad/click", kBoth}, {STICK_CLICK, "input/trackpad/click", kBoth},
        {MENU, "input/menu/click", kBoth}, {HAPTIC, "output/haptic", kBoth}}},
  };
  return defs;
}

// OpenXR names are lowercase letters, digits, '-', '_' and '.'.
std::string wellFormedName(std::string_view name) {
  std::string s;
  for (char c : name) {
    const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    s += (std::isalnum(static_cast<unsigned char>(l)) || l == '-' || l == '_' || l == '.') ? l : '_';
  }
  return s.empty() ? std::string("title") : s;
}

template <size_t N>
void copyName(char (&dst)[N], std::string_view src) {
  std::snprintf(dst, N, "%.*s", static_cast<int>(src.size()), src.data());
}

}  // namespace

// ---- [SECTION] Actions and bindings -------------------------------------------------------

Actions::Actions(Session& session, std::string_view name, std::string_view localizedName) : session_(session) {
  const Runtime& rt = session.runtime();
  hands_[kLeftHand] = rt.path("/user/hand/left");
  hands_[kRightHand] = rt.path("/user/hand/right");
  createActions(name, localizedName);
  suggestBindings();

  XrSessionActionSetsAttachInfo attach{XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO};
  const XrActionSet sets[1] = {set_};
  attach.countActionSets = 1;
  attach.actionSets = sets;
  XR_CHECK(xrAttachSessionActionSets(session.handle(), &attach));

  for (int hand = 0; hand < 2; ++hand) {
    XrActionSpaceCreateInfo info{XR_TYPE_ACTION_SPACE_CREATE_INFO};
    info.subactionPath = hands_[hand];
    info.poseInActionSpace = detail::identityPose();
    info.action = action(kGripPose);
    XR_CHECK(xrCreateActionSpace(session.handle(), &info, gripSpaces_[hand].put()));
    info.action = action(kAimPose);
    XR_CHECK(xrCreateActionSpace(session.handle(), &info, aimSpaces_[hand].put()));
  }
}

Actions::~Actions() = default;

void Actions::createActions(std::string_view name, std::string_view localizedName) {
  XrActionSetCreateInfo setInfo{XR_TYPE_ACTION_SET_CREATE_INFO};
  copyName(setInfo.actionSetName, wellFormedName(name));
  copyName(setInfo.localizedActionSetName, localizedName.empty() ? name : localizedName);
  setInfo.priority = 0;
  XR_CHECK(xrCreateActionSet(session_.runtime().instance(), &setInfo, set_.put()));

  static_assert(std::size(kActions) == kActionCount, "one definition per Actions::Index");
  for (int i = 0; i < kActionCount; ++i) {
    XrActionCreateInfo info{XR_TYPE_ACTION_CREATE_INFO};
    copyName(info.actionName, kActions[i].name);
    copyName(info.localizedActionName, kActions[i].localized);
    info.actionType = kActions[i].type;
    info.countSubactionPaths = 2;
    info.subactionPaths = hands_;
    XR_CHECK(xrCreateAction(set_, &info, actions_[i].put()));
  }
}

void Actions::suggestBindings() {
  const Runtime& rt = session_.runtime();
  static constexpr const char* kHandPrefix[2] = {"/user/hand/left/", "/user/hand/right/"};
  for (const ProfileDef& profile : profileDefs()) {
    std::vector<XrActionSuggestedBinding> bindings;
    for (const BindingDef& b : profile.bindings)
      for (int hand = 0; hand < 2; ++hand)
        if (b.hands & (1u << hand))
          bindings.push_back({actions_[b.action], rt.path((std::string(kHandPrefix[hand]) + b.source).c_str())});
    XrInteractionProfileSuggestedBinding suggested{XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING};
    suggested.interactionProfile = rt.path(profile.path);
    suggested.countSuggestedBindings = static_cast<uint32_t>(bindings.size());
    suggested.suggestedBindings = bindings.data();
    const XrResult r = xrSuggestInteractionProfileBindings(rt.instance(), &suggested);
    if (XR_SUCCEEDED(r)) {
      suggested_.push_back(profile.path);
    } else if (r == XR_ERROR_PATH_UNSUPPORTED || r == XR_ERROR_PATH_INVALID) {
      // A runtime that predates or lacks a controller: the others still work.
      PAV_INFO("xr: the runtime does not know %s (%s); its bindings are skipped", profile.path, resultName(r));
    } else {
      failCall("xrSuggestInteractionProfileBindings", resultName(r), __FILE__, __LINE__);
    }
  }
  PAV_CHECK(!suggested_.empty(), "the OpenXR runtime accepted none of the four controllers' bindings");
}

// ---- [SECTION] Sampling -------------------------------------------------------------------

float Actions::readFloat(Index i, int hand) const {
  XrActionStateGetInfo get{XR_TYPE_ACTION_STATE_GET_INFO};
  get.action = action(i);
  get.subactionPath = hands_[hand];
  XrActionStateFloat s{XR_TYPE_ACTION_STATE_FLOAT};
  if (XR_FAILED(xrGetActionStateFloat(session_.handle(), &get, &s)) || !s.isActive) return 0.0f;
  return s.currentState;
}

bool Actions::readBool(Index i, int hand) const {
  XrActionStateGetInfo get{XR_TYPE_ACTION_STATE_GET_INFO};
  get.action = action(i);
  get.subactionPath = hands_[hand];
  XrActionStateBoolean s{XR_TYPE_ACTION_STATE_BOOLEAN};
  if (XR_FAILED(xrGetActionStateBoolean(session_.handle(), &get, &s)) || !s.isActive) return false;
  return s.currentState == XR_TRUE;
}

glm::vec2 Actions::readVector(Index i, int hand) const {
  XrActionStateGetInfo get{XR_TYPE_ACTION_STATE_GET_INFO};
  get.action = action(i);
  get.subactionPath = hands_[hand];
  XrActionStateVector2f s{XR_TYPE_ACTION_STATE_VECTOR2F};
  if (XR_FAILED(xrGetActionStateVector2f(session_.handle(), &get, &s)) || !s.isActive) return glm::vec2(0.0f);
  return {s.currentState.x, s.currentState.y};
}

bool Actions::locate(XrSpace space, XrTime time, render::Pose& pose, glm::vec3* velocity) const {
  XrSpaceVelocity vel{XR_TYPE_SPACE_VELOCITY};
  XrSpaceLocation loc{XR_TYPE_SPACE_LOCATION};
  if (velocity) loc.next = &vel;
  if (XR_FAILED(xrLocateSpace(space, session_.space(), time, &loc))) return false;
  constexpr XrSpaceLocationFlags kValid = XR_SPACE_LOCATION_ORIENTATION_VALID_BIT | XR_SPACE_LOCATION_POSITION_VALID_BIT;
  if ((loc.locationFlags & kValid) != kValid) return false;
  pose = detail::toPose(loc.pose);
  if (velocity)
    *velocity = (vel.velocityFlags & XR_SPACE_VELOCITY_LINEAR_VALID_BIT)
                    ? glm::vec3(vel.linearVelocity.x, vel.linearVelocity.y, vel.linearVelocity.z)
                    : glm::vec3(0.0f);
  return true;
}

const ControllerState& Actions::sync(XrTime time) {
  state_ = ControllerState{};
  state_.time = time;
  if (!session_.running() || session_.lost() || time <= 0) return state_;
  const XrActiveActionSet active{set_, XR_NULL_PATH};
  XrActionsSyncInfo info{XR_TYPE_ACTIONS_SYNC_INFO};
  info.countActiveActionSets = 1;
  info.activeActionSets = &active;
  const XrResult r = xrSyncActions(session_.handle(), &info);
  if (r == XR_SESSION_NOT_FOCUSED) return state_;  // another application has the input
  if (XR_FAILED(r)) {
    if (isLoss(r) || r == XR_ERROR_SESSION_NOT_RUNNING) return state_;  // the session sees it next
    failCall("xrSyncActions", resultName(r), __FILE__, __LINE__);
  }
  for (int hand = 0; hand < 2; ++hand) {
    HandState& h = state_.hands[hand];
    XrActionStateGetInfo get{XR_TYPE_ACTION_STATE_GET_INFO};
    get.action = action(kGripPose);
    get.subactionPath = hands_[hand];
    XrActionStatePose pose{XR_TYPE_ACTION_STATE_POSE};
    h.active = XR_SUCCEEDED(xrGetActionStatePose(session_.handle(), &get, &pose)) && pose.isActive;
    h.trigger = readFloat(kTrigger, hand);
    h.squeeze = readFloat(kSqueeze, hand);
    h.thumbstick = readVector(kThumbstick, hand);
    h.buttons = (readBool(kPrimary, hand) ? kButtonPrimary : 0u) | (readBool(kSecondary, hand) ? kButtonSecondary : 0u) |
                (readBool(kMenu, hand) ? kButtonMenu : 0u) | (readBool(kStickClick, hand) ? kButtonStick : 0u) |
                (h.trigger >= 0.5f ? kButtonTrigger : 0u) | (h.squeeze >= 0.5f ? kButtonSqueeze : 0u);
    if (h.active) {
      h.tracked = locate(gripSpaces_[hand], time, h.grip, &h.gripVelocity);
      if (!locate(aimSpaces_[hand], time, h.aim, nullptr)) h.aim = h.grip;
    }
  }
  return state_;
}

void Actions::locateHands(XrTime time, ControllerState& out) const {
  out = state_;
  out.time = time;
  if (!session_.running() || session_.lost() || time <= 0) return;
  for (int hand = 0; hand < 2; ++hand) {
    HandState& h = out.hands[static_cast<size_t>(hand)];
    if (!h.active) continue;
    h.tracked = locate(gripSpaces_[hand], time, h.grip, &h.gripVelocity);
    if (!locate(aimSpaces_[hand], time, h.aim, nullptr)) h.aim = h.grip;
  }
}

void Actions::fill(const PlaySpace& space, core::InputFrame& out) const {
  uint32_t buttons = 0;
  for (int hand = 0; hand < 2; ++hand) {
    const HandState& h = state_.hands[hand];
    core::HandInput& in = out.hands[hand];
    in.tracked = h.tracked;
    if (h.tracked) {
      const render::Pose p = space.toTitle(h.grip);
      in.position = p.position;
      in.orientation = p.orientation;
    }
    in.trigger = h.trigger;
    in.grip = h.squeeze;
    buttons |= handButtons(h.buttons, hand);
  }
  out.buttons = buttons;
}

void Actions::controls(const PlaySpace& space, core::HeadsetControls& out) const {
  core::InputFrame hands;
  fill(space, hands);
  for (int hand = 0; hand < 2; ++hand) {
    out.hands[hand] = hands.hands[hand];
    out.thumbsticks[hand] = state_.hands[static_cast<size_t>(hand)].thumbstick;
  }
  out.buttons = hands.buttons;
}

// ---- [SECTION] Haptics and profiles -------------------------------------------------------

bool Actions::pulse(int hand, float amplitude, float seconds, float frequencyHz) {
  if (hand < 0 || hand > 1 || !session_.running() || session_.lost()) return false;
  XrHapticVibration v{XR_TYPE_HAPTIC_VIBRATION};
  v.amplitude = std::clamp(amplitude, 0.0f, 1.0f);
  // Whole microseconds: a float's seconds are not exact in nanoseconds (0.05f is 50000001 ns).
  v.duration = seconds > 0 ? static_cast<XrDuration>(std::llround(double(seconds) * 1e6)) * 1000 : XR_MIN_HAPTIC_DURATION;
  v.frequency = frequencyHz > 0 ? frequencyHz : XR_FREQUENCY_UNSPECIFIED;
  XrHapticActionInfo info{XR_TYPE_HAPTIC_ACTION_INFO};
  info.action = action(kHaptic);
  info.subactionPath = hands_[hand];
  const XrResult r = xrApplyHapticFeedback(session_.handle(), &info, reinterpret_cast<const XrHapticBaseHeader*>(&v));
  if (XR_FAILED(r) && !isLoss(r)) PAV_DEBUG("xr: haptic pulse refused: %s", resultName(r));
  return r == XR_SUCCESS;
}

void Actions::stopHaptics(int hand) {
  if (hand < 0 || hand > 1 || !session_.running() || session_.lost()) return;
  XrHapticActionInfo info{XR_TYPE_HAPTIC_ACTION_INFO};
  info.action = action(kHaptic);
  info.subactionPath = hands_[hand];
  (void)xrStopHapticFeedback(session_.handle(), &info);
}

std::string Actions::currentProfile(int hand) const {
  if (hand < 0 || hand > 1 || session_.lost()) return {};
  XrInteractionProfileState s{XR_TYPE_INTERACTION_PROFILE_STATE};
  if (XR_FAILED(xrGetCurrentInteractionProfile(session_.handle(), hands_[hand], &s))) return {};
  return session_.runtime().pathString(s.interactionProfile);
}

}  // namespace pav::xr
