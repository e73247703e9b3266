// xr-sim interaction profiles: the controllers the runtime knows, with the input and output
// paths of the OpenXR 1.0 specification (section 6.4, "Interaction Profile Paths"), and how each
// component reads the script's controller state.
//
// xrSuggestInteractionProfileBindings refuses any path not listed here with
// XR_ERROR_PATH_UNSUPPORTED, as a real runtime does. Both hands of one session use the same
// profile: the first of PAV_XR_SIM_PROFILES the application suggested bindings for.
//
// How script values map to components: analog inputs give .../value (and .../force); a
// .../click of an analog input is "value >= 0.5"; a .../touch is "value > 0" or the explicit
// touch of the script; select/click is the select button or the trigger pulled half-way.
#include <cmath>

#include "pose_math.h"
#include "xr_sim_local.h"

namespace pav::xrsim {
namespace {

constexpr uint8_t L = 1, R = 2, B = 3;
constexpr uint16_t kStick = kX | kY | kClick | kTouch | kVec;

InputDef button(const char* id, const char* name, Button b, uint16_t comps, uint8_t hands) {
  return {id, name, Input::Button, b, comps, hands};
}
InputDef analog(const char* id, const char* name, Input kind, uint16_t comps) {
  return {id, name, kind, Button::Count, comps, B};
}
std::vector<InputDef> withPoses(std::vector<InputDef> v) {
  v.push_back({"grip", "Grip Pose", Input::Grip, Button::Count, kPose, B});
  v.push_back({"aim", "Aim Pose", Input::Aim, Button::Count, kPose, B});
  v.push_back({"haptic", "Haptic", Input::Haptic, Button::Count, kHaptic, B});
  return v;
}

struct CompName {
  uint16_t comp;
  const char* path;
  const char* localized;
};
constexpr CompName kCompNames[] = {{kClick, "click", "Click"}, {kTouch, "touch", "Touch"}, {kValue, "value", "Value"},
                                   {kForce, "force", "Force"}, {kX, "x", "X"},             {kY, "y", "Y"},
                                   {kPose, "pose", "Pose"}};

bool pressed(const HandInput& in, Button b) { return in.pressed[static_cast<size_t>(b)]; }
bool touched(const HandInput& in, Button b) { return in.touched[static_cast<size_t>(b)]; }

}  // namespace

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> all = {
      {"/interaction_profiles/khr/simple_controller", "Simple Controller",
       withPoses({button("select", "Select", Button::Select, kClick, B), button("menu", "Menu", Button::Menu, kClick, B)})},
      {"/interaction_profiles/oculus/touch_controller", "Oculus Touch Controller",
       withPoses({button("x", "X Button", Button::X, kClick | kTouch, L), button("y", "Y Button", Button::Y, kClick | kTouch, L),
                  button("menu", "Menu", Button::Menu, kClick, L), button("a", "A Button", Button::A, kClick | kTouch, R),
                  button("b", "B Button", Button::B, kClick | kTouch, R),
                  button("system", "System", Button::System, kClick, R),
                  analog("squeeze", "Grip", Input::Squeeze, kValue),
                  analog("trigger", "Trigger", Input::Trigger, kValue | kTouch),
                  analog("thumbstick", "Thumbstick", Input::Thumbstick, kStick),
                  {"thumbrest", "Thumbrest", Input::Thumbrest, Button::Thumbrest, kTouch, B}})},
      {"/interaction_profiles/valve/index_controller", "Valve Index Controller",
       withPoses({button("system", "System", Button::System, kClick | kTouch, B),
                  button("a", "A Button", Button::A, kClick | kTouch, B), button("b", "B Button", Button::B, kClick | kTouch, B),
                  analog("squeeze", "Grip", Input::Squeeze, kValue | kForce),
                  analog("trigger", "Trigger", Input::Trigger, kClick | kValue | kTouch),
                  analog("thumbstick", "Thumbstick", Input::Thumbstick, kStick),
                  analog("trackpad", "Trackpad", Input::Trackpad, kX | kY | kForce | kTouch | kVec)})},
      {"/interaction_profiles/htc/vive_controller", "HTC Vive Controller",
       withPoses({button("system", "System", Button::System, kClick, B), analog("squeeze", "Grip", Input::Squeeze, kClick),
                  button("menu", "Menu", Button::Menu, kClick, B),
                  analog("trigger", "Trigger", Input::Trigger, kClick | kValue),
                  analog("trackpad", "Trackpad", Input::Trackpad, kX | kY | kClick | kTouch | kVec)})},
      {"/interaction_profiles/microsoft/motion_controller", "Microsoft Mixed Reality Motion Controller",
       withPoses({button("menu", "Menu", Button::Menu, kClick, B), analog("squeeze", "Grip", Input::Squeeze, kClick),
                  analog("trigger", "Trigger", Input::Trigger, kValue),
                  analog("thumbstick", "Thumbstick", Input::Thumbstick, kX | kY | kClick | kVec),
                  analog("trackpad", "Trackpad", Input::Trackpad, kX | kY | kClick | kTouch | kVec)})},
  };
  return all;
}

const Profile* findProfile(std::string_view path) {
  for (const Profile& p : profiles()) {
    if (path == p.path) return &p;
  }
  return nullptr;
}

std::optional<SourcePath> parseSourcePath(const Profile& profile, std::string_view path) {
  static constexpr std::string_view kHands[2] = {"/user/hand/left/", "/user/hand/right/"};
  SourcePath src{};
  std::string_view rest;
  if (path.substr(0, kHands[0].size()) == kHands[0]) {
    src.hand = 0;
    rest = path.substr(kHands[0].size());
  } else if (path.substr(0, kHands[1].size()) == kHands[1]) {
    src.hand = 1;
    rest = path.substr(kHands[1].size());
  } else {
    return std::nullopt;
  }
  const bool output = rest.substr(0, 7) == "output/";
  if (!output && rest.substr(0, 6) != "input/") return std::nullopt;
  rest.remove_prefix(output ? 7 : 6);
  const size_t slash = rest.find('/');
  const std::string_view id = rest.substr(0, slash);
  const std::string_view comp = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  for (const InputDef& def : profile.inputs) {
    if (id != def.id || !(def.hands & (1u << src.hand))) continue;
    if ((def.kind == Input::Haptic) != output) return std::nullopt;
    src.input = &def;
    if (comp.empty()) {
      src.comp = 0;
      return src;
    }
    for (const CompName& c : kCompNames) {
      if (comp == c.path && (def.comps & c.comp)) {
        src.comp = c.comp;
        return src;
      }
    }
    return std::nullopt;
  }
  return std::nullopt;
}

uint16_t resolveComponent(const SourcePath& src, XrActionType type) {
  const uint16_t have = src.input->comps;
  auto first = [&](std::initializer_list<uint16_t> order) -> uint16_t {
    for (uint16_t c : order) {
      if (src.comp == 0 ? (have & c) != 0 : src.comp == c) return c;
    }
    return 0;
  };
  switch (type) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
      return first({kClick, kValue, kForce, kTouch});
    case XR_ACTION_TYPE_FLOAT_INPUT:
      return first({kValue, kForce, kClick, kTouch, kX, kY});
    case XR_ACTION_TYPE_VECTOR2F_INPUT:
      return (src.comp == 0 && (have & kVec)) ? kVec : 0;
    case XR_ACTION_TYPE_POSE_INPUT:
      return first({kPose});
    case XR_ACTION_TYPE_VIBRATION_OUTPUT:
      return (src.comp == 0 && (have & kHaptic)) ? kHaptic : 0;
    default:
      return 0;
  }
}

std::string sourcePathString(int hand, const InputDef& input, uint16_t comp) {
  std::string s = hand == 0 ? "/user/hand/left" : "/user/hand/right";
  s += input.kind == Input::Haptic ? "/output/" : "/input/";
  s += input.id;
  for (const CompName& c : kCompNames) {
    if (c.comp == comp) s += std::string("/") + c.path;
  }
  return s;
}

float readFloat(const HandInput& in, const InputDef& def, uint16_t comp) {
  switch (def.kind) {
    case Input::Trigger:
      if (comp == kValue) return in.trigger;
      if (comp == kClick) return in.trigger >= 0.5f ? 1.0f : 0.0f;
      return in.trigger > 0.0f ? 1.0f : 0.0f;  // touch
    case Input::Squeeze:
      if (comp == kClick) return in.squeeze >= 0.5f ? 1.0f : 0.0f;
      return in.squeeze;  // value, force
    case Input::Thumbstick:
    case Input::Trackpad: {
      const bool stick = def.kind == Input::Thumbstick;
      const XrVector2f v = stick ? in.stick : in.pad;
      const Button b = stick ? Button::Stick : Button::Pad;
      if (comp == kX) return v.x;
      if (comp == kY) return v.y;
      if (comp == kClick || comp == kForce) return pressed(in, b) ? 1.0f : 0.0f;
      return (touched(in, b) || pressed(in, b) || v.x != 0 || v.y != 0) ? 1.0f : 0.0f;  // touch
    }
    case Input::Button:
      if (comp == kTouch) return (touched(in, def.button) || pressed(in, def.button)) ? 1.0f : 0.0f;
      if (def.button == Button::Select && in.trigger >= 0.5f) return 1.0f;
      return pressed(in, def.button) ? 1.0f : 0.0f;
    case Input::Thumbrest:
      return touched(in, Button::Thumbrest) ? 1.0f : 0.0f;
    default:
      return 0.0f;
  }
}

bool readBool(const HandInput& in, const InputDef& def, uint16_t comp) {
  // Analog components drive boolean actions through a threshold, as runtimes do.
  return readFloat(in, def, comp) >= 0.5f;
}

XrVector2f readVector(const HandInput& in, const InputDef& def) {
  return def.kind == Input::Thumbstick ? in.stick : def.kind == Input::Trackpad ? in.pad : XrVector2f{0, 0};
}

XrPosef aimFromGrip() {
  // Pointing along the controller's ray: pitched 40 degrees down from the grip and a few
  // centimetres ahead of it, roughly where real controllers put it.
  return {axisAngle({1, 0, 0}, -40.0 * kPi / 180.0), {0.0f, -0.01f, -0.055f}};
}

// Localized names for xrGetInputSourceLocalizedName.
std::string localizedComponent(const InputDef& def, uint16_t comp) {
  std::string s = def.localized;
  for (const CompName& c : kCompNames) {
    if (c.comp == comp && comp != kPose) s += std::string(" ") + c.localized;
  }
  return s;
}

}  // namespace pav::xrsim
