// Actions driven by a script: a trigger press, a button, a thumbstick and a hand moving and
// turning; the test reads values and poses back at known script times, checks the profile the
// runtime chose, the bound sources and their names, and the haptic pulses it recorded.
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "xr_sim_fixture.h"

namespace pav::test {
namespace {

// Right hand moves 30 cm forward and turns 90 degrees left in 0.3 s; then the right trigger is
// pulled over 0.2 s; A goes down at 0.5 s; the left stick pushes forward over 0.5 s.
constexpr const char* kScript = R"(# actions_test script
at 0
left  -0.2 1.3 -0.3   0 0 0
right  0.2 1.3 -0.3   0 0 0
trigger right 0
release right a
stick left 0 0
at 0.3
right  0.2 1.3 -0.6  90 0 0
trigger right 0
at 0.5
trigger right 1
press right a
stick left 0 1
)";

float expectedTrigger(double t) { return t < 0.3 ? 0.0f : t < 0.5 ? static_cast<float>((t - 0.3) / 0.2) : 1.0f; }

class Actions : public XrSimTest {
 protected:
  XrAction makeAction(const char* actionName, XrActionType type, std::vector<XrPath> subactions = {}) {
    XrActionCreateInfo ci{XR_TYPE_ACTION_CREATE_INFO};
    std::strcpy(ci.actionName, actionName);
    std::strcpy(ci.localizedActionName, actionName);
    ci.actionType = type;
    ci.countSubactionPaths = static_cast<uint32_t>(subactions.size());
    ci.subactionPaths = subactions.data();
    XrAction a = XR_NULL_HANDLE;
    EXPECT_EQ(xrCreateAction(set_, &ci, &a), XR_SUCCESS) << actionName;
    return a;
  }
  void suggest(const char* profile, const std::vector<std::pair<XrAction, const char*>>& bindings) {
    std::vector<XrActionSuggestedBinding> b;
    for (const auto& [a, p] : bindings) b.push_back({a, path(p)});
    XrInteractionProfileSuggestedBinding s{XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING};
    s.interactionProfile = path(profile);
    s.countSuggestedBindings = static_cast<uint32_t>(b.size());
    s.suggestedBindings = b.data();
    EXPECT_EQ(xrSuggestInteractionProfileBindings(instance_, &s), XR_SUCCESS) << profile;
  }
  void makeSet() {
    XrActionSetCreateInfo ci{XR_TYPE_ACTION_SET_CREATE_INFO};
    std::strcpy(ci.actionSetName, "play");
    std::strcpy(ci.localizedActionSetName, "Play");
    XRS_CHECK(xrCreateActionSet(instance_, &ci, &set_));
  }
  void attach() {
    XrSessionActionSetsAttachInfo ai{XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO};
    ai.countActionSets = 1;
    ai.actionSets = &set_;
    XRS_CHECK(xrAttachSessionActionSets(session_, &ai));
  }
  XrResult sync() {
    XrActiveActionSet active{set_, XR_NULL_PATH};
    XrActionsSyncInfo si{XR_TYPE_ACTIONS_SYNC_INFO};
    si.countActiveActionSets = 1;
    si.activeActionSets = &active;
    return xrSyncActions(session_, &si);
  }
  template <typename State>
  State get(XrResult (*fn)(XrSession, const XrActionStateGetInfo*, State*), XrStructureType type, XrAction a,
            XrPath sub = XR_NULL_PATH) {
    XrActionStateGetInfo gi{XR_TYPE_ACTION_STATE_GET_INFO};
    gi.action = a;
    gi.subactionPath = sub;
    State s{type};
    EXPECT_EQ(fn(session_, &gi, &s), XR_SUCCESS);
    return s;
  }
  XrActionSet set_ = XR_NULL_HANDLE;
};

TEST_F(Actions, ScriptedTriggerButtonStickAndHandAreReadBack) {
  const std::string dir = scratchDir("actions");
  { std::ofstream(dir + "/script.txt") << kScript; }
  createInstance({{"PAV_XR_SIM_SCRIPT", dir + "/script.txt"}, {"PAV_XR_SIM_STATS", dir + "/stats.json"}});
  const XrPath left = path("/user/hand/left"), right = path("/user/hand/right");
  makeSet();
  const XrAction trigger = makeAction("trigger", XR_ACTION_TYPE_FLOAT_INPUT, {left, right});
  const XrAction fire = makeAction("fire", XR_ACTION_TYPE_BOOLEAN_INPUT);
  const XrAction a = makeAction("a", XR_ACTION_TYPE_BOOLEAN_INPUT);
  const XrAction move = makeAction("move", XR_ACTION_TYPE_VECTOR2F_INPUT);
  const XrAction grip = makeAction("grip", XR_ACTION_TYPE_POSE_INPUT, {left, right});
  const XrAction buzz = makeAction("buzz", XR_ACTION_TYPE_VIBRATION_OUTPUT);
  suggest("/interaction_profiles/oculus/touch_controller",
          {{trigger, "/user/hand/left/input/trigger/value"}, {trigger, "/user/hand/right/input/trigger/value"},
           {fire, "/user/hand/right/input/trigger/value"}, {a, "/user/hand/right/input/a/click"},
           {move, "/user/hand/left/input/thumbstick"}, {grip, "/user/hand/left/input/grip/pose"},
           {grip, "/user/hand/right/input/grip/pose"}, {buzz, "/user/hand/right/output/haptic"}});
  suggest("/interaction_profiles/khr/simple_controller", {{fire, "/user/hand/right/input/select/click"}});
  createSession();
  attach();
  pollEvents();
  EXPECT_EQ(profileChanges_, 1);
  XrInteractionProfileState ps{XR_TYPE_INTERACTION_PROFILE_STATE};
  XRS_CHECK(xrGetCurrentInteractionProfile(session_, right, &ps));
  EXPECT_EQ(ps.interactionProfile, path("/interaction_profiles/oculus/touch_controller"));
  XRS_CHECK(xrGetCurrentInteractionProfile(session_, path("/user/head"), &ps));
  EXPECT_EQ(ps.interactionProfile, XR_NULL_PATH);

  XrActionSpaceCreateInfo asci{XR_TYPE_ACTION_SPACE_CREATE_INFO};
  asci.action = grip;
  asci.subactionPath = right;
  asci.poseInActionSpace.orientation.w = 1;
  XrSpace rightGrip = XR_NULL_HANDLE;
  XRS_CHECK(xrCreateActionSpace(session_, &asci, &rightGrip));

  beginSession();
  EXPECT_EQ(sync(), XR_SESSION_NOT_FOCUSED);  // not focused yet: everything inactive
  EXPECT_FALSE(get(xrGetActionStateFloat, XR_TYPE_ACTION_STATE_FLOAT, trigger).isActive);
  XrHapticVibration vib{XR_TYPE_HAPTIC_VIBRATION};
  vib.amplitude = 0.75f;
  vib.duration = 20'000'000;
  vib.frequency = 160;
  XrHapticActionInfo hi{XR_TYPE_HAPTIC_ACTION_INFO};
  hi.action = buzz;
  EXPECT_EQ(xrApplyHapticFeedback(session_, &hi, reinterpret_cast<XrHapticBaseHeader*>(&vib)), XR_SESSION_NOT_FOCUSED);
  runUntil(XR_SESSION_STATE_FOCUSED, 5);

  int fireChanges = 0;
  double t = 0;
  for (int frame = 0; frame < 200 && t < 0.7; ++frame) {
    const XrFrameState fs = runFrame();
    ASSERT_EQ(sync(), XR_SUCCESS);
    t = static_cast<double>(fs.predictedDisplayTime - firstDisplayTime_) * 1e-9;
    const auto tr = get(xrGetActionStateFloat, XR_TYPE_ACTION_STATE_FLOAT, trigger, right);
    ASSERT_TRUE(tr.isActive);
    EXPECT_NEAR(tr.currentState, expectedTrigger(t), 1e-4) << "t=" << t;
    EXPECT_EQ(get(xrGetActionStateFloat, XR_TYPE_ACTION_STATE_FLOAT, trigger, left).currentState, 0.0f);
    // Without a subaction path, the larger of the two hands.
    EXPECT_NEAR(get(xrGetActionStateFloat, XR_TYPE_ACTION_STATE_FLOAT, trigger).currentState, expectedTrigger(t), 1e-4);
    const auto f = get(xrGetActionStateBoolean, XR_TYPE_ACTION_STATE_BOOLEAN, fire);
    EXPECT_EQ(f.currentState == XR_TRUE, expectedTrigger(t) >= 0.5f) << "t=" << t;
    fireChanges += f.changedSinceLastSync ? 1 : 0;
    EXPECT_EQ(get(xrGetActionStateBoolean, XR_TYPE_ACTION_STATE_BOOLEAN, a).currentState == XR_TRUE, t >= 0.5) << "t=" << t;
    const auto mv = get(xrGetActionStateVector2f, XR_TYPE_ACTION_STATE_VECTOR2F, move);
    EXPECT_NEAR(mv.currentState.y, std::min(t / 0.5, 1.0), 1e-4);
    EXPECT_EQ(mv.currentState.x, 0.0f);
  }
  EXPECT_GE(t, 0.7);
  EXPECT_EQ(fireChanges, 1);

  // Poses at any time: mid-move (t = 0.15 s) and after it (t = 1 s).
  XrSpaceVelocity vel{XR_TYPE_SPACE_VELOCITY};
  XrSpaceLocation loc{XR_TYPE_SPACE_LOCATION, &vel};
  XRS_CHECK(xrLocateSpace(rightGrip, stage_, firstDisplayTime_ + 150'000'000, &loc));
  ASSERT_TRUE(loc.locationFlags & XR_SPACE_LOCATION_POSITION_VALID_BIT);
  EXPECT_NEAR(loc.pose.position.x, 0.2f, 1e-4);
  EXPECT_NEAR(loc.pose.position.y, 1.3f, 1e-4);
  EXPECT_NEAR(loc.pose.position.z, -0.45f, 1e-4);
  const float half45 = static_cast<float>(std::sin(22.5 * 3.14159265358979 / 180));
  EXPECT_NEAR(loc.pose.orientation.y, half45, 1e-3);
  ASSERT_TRUE(vel.velocityFlags & XR_SPACE_VELOCITY_LINEAR_VALID_BIT);
  EXPECT_NEAR(vel.linearVelocity.z, -1.0f, 1e-2);  // 0.3 m in 0.3 s
  EXPECT_NEAR(vel.angularVelocity.y, 3.14159f / 2 / 0.3f, 2e-2);
  XRS_CHECK(xrLocateSpace(rightGrip, stage_, firstDisplayTime_ + 1'000'000'000, &loc));
  EXPECT_NEAR(loc.pose.position.z, -0.6f, 1e-4);

  // Bound sources and their names, as a settings screen shows them.
  XrBoundSourcesForActionEnumerateInfo bi{XR_TYPE_BOUND_SOURCES_FOR_ACTION_ENUMERATE_INFO};
  bi.action = trigger;
  uint32_t n = 0;
  XrPath sources[4];
  XRS_CHECK(xrEnumerateBoundSourcesForAction(session_, &bi, 4, &n, sources));
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(sources[1], path("/user/hand/right/input/trigger/value"));
  XrInputSourceLocalizedNameGetInfo ni{XR_TYPE_INPUT_SOURCE_LOCALIZED_NAME_GET_INFO};
  ni.sourcePath = sources[1];
  ni.whichComponents = XR_INPUT_SOURCE_LOCALIZED_NAME_USER_PATH_BIT |
                       XR_INPUT_SOURCE_LOCALIZED_NAME_INTERACTION_PROFILE_BIT | XR_INPUT_SOURCE_LOCALIZED_NAME_COMPONENT_BIT;
  char text[256];
  XRS_CHECK(xrGetInputSourceLocalizedName(session_, &ni, sizeof text, &n, text));
  EXPECT_STREQ(text, "Right Hand Oculus Touch Controller Trigger Value");

  // Action rules.
  XrActionStateGetInfo gi{XR_TYPE_ACTION_STATE_GET_INFO};
  gi.action = fire;
  XrActionStateFloat wrong{XR_TYPE_ACTION_STATE_FLOAT};
  EXPECT_EQ(xrGetActionStateFloat(session_, &gi, &wrong), XR_ERROR_ACTION_TYPE_MISMATCH);
  gi.subactionPath = left;  // fire has no subaction paths
  XrActionStateBoolean b{XR_TYPE_ACTION_STATE_BOOLEAN};
  EXPECT_EQ(xrGetActionStateBoolean(session_, &gi, &b), XR_ERROR_PATH_UNSUPPORTED);

  // Haptics reach the right hand and are recorded.
  XRS_CHECK(xrApplyHapticFeedback(session_, &hi, reinterpret_cast<XrHapticBaseHeader*>(&vib)));
  XRS_CHECK(xrStopHapticFeedback(session_, &hi));
  XRS_CHECK(xrRequestExitSession(session_));
  XRS_CHECK(xrEndSession(session_));
  std::ifstream in(dir + "/stats.json");
  ASSERT_TRUE(in.good());
  const auto stats = nlohmann::json::parse(in);
  ASSERT_EQ(stats["haptics"]["pulses"].size(), 1u);
  const auto& pulse = stats["haptics"]["pulses"][0];
  EXPECT_EQ(pulse["hand"], "/user/hand/right");
  EXPECT_EQ(pulse["action"], "buzz");
  EXPECT_FLOAT_EQ(pulse["amplitude"].get<float>(), 0.75f);
  EXPECT_EQ(pulse["durationNs"], 20'000'000);
  EXPECT_EQ(stats["haptics"]["stops"], 1);
  EXPECT_EQ(stats["interactionProfile"], "/interaction_profiles/oculus/touch_controller");
  EXPECT_EQ(stats["violations"]["total"], 2);  // the two deliberate ones above
}

TEST_F(Actions, RuntimeChoosesTheFirstSuggestedOfItsPreferredProfiles) {
  createInstance({{"PAV_XR_SIM_PROFILES", "htc/vive_controller,valve/index_controller,oculus/touch_controller"}});
  makeSet();
  const XrAction fire = makeAction("fire", XR_ACTION_TYPE_BOOLEAN_INPUT);
  suggest("/interaction_profiles/oculus/touch_controller", {{fire, "/user/hand/right/input/a/click"}});
  suggest("/interaction_profiles/valve/index_controller", {{fire, "/user/hand/right/input/trigger/click"}});
  createSession();
  attach();
  XrInteractionProfileState ps{XR_TYPE_INTERACTION_PROFILE_STATE};
  XRS_CHECK(xrGetCurrentInteractionProfile(session_, path("/user/hand/left"), &ps));
  EXPECT_EQ(ps.interactionProfile, path("/interaction_profiles/valve/index_controller"));
  XrBoundSourcesForActionEnumerateInfo bi{XR_TYPE_BOUND_SOURCES_FOR_ACTION_ENUMERATE_INFO};
  bi.action = fire;
  uint32_t n = 0;
  XrPath src = XR_NULL_PATH;
  XRS_CHECK(xrEnumerateBoundSourcesForAction(session_, &bi, 1, &n, &src));
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(src, path("/user/hand/right/input/trigger/click"));
}

}  // namespace
}  // namespace pav::test
