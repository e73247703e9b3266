// Actions: one set per title with bindings for four controllers. For each controller the
// simulated headset binds (PAV_XR_SIM_PROFILES), scripted inputs reach HandState and
// core::InputFrame: grip pose, trigger, grip, thumbstick (or trackpad), buttons; the hands are
// inactive until the session is focused; a haptic pulse reaches the runtime with its
// amplitude, duration and frequency.
#include <cmath>

#include "xr_fixture.h"

namespace pav::test {
namespace {

// The right hand 30 cm right, 1.1 m up and 50 cm ahead, turned 20 degrees left and pitched
// 30 degrees down; inputs on both hands.
constexpr const char* kScript = R"(at 0
head   0 1.6 0       0 0 0
left  -0.25 1.2 -0.4  0 0 0
right  0.3 1.1 -0.5   20 -30 0
trigger right 0.8
squeeze right 0.7
stick right 0.5 -0.25
pad right 0.5 -0.25
press right a
press right pad
press left x
)";

glm::quat yawPitch(float yawDeg, float pitchDeg) {
  return glm::angleAxis(glm::radians(yawDeg), glm::vec3(0, 1, 0)) *
         glm::angleAxis(glm::radians(pitchDeg), glm::vec3(1, 0, 0));
}

struct ProfileCase {
  const char* profile;  // as PAV_XR_SIM_PROFILES names it
  float trigger, squeeze;
  glm::vec2 stick;
  bool rightPrimary, leftPrimary;
};

void PrintTo(const ProfileCase& c, std::ostream* os) { *os << c.profile; }

class XrActionsPerController : public XrTest, public ::testing::WithParamInterface<ProfileCase> {};

TEST_P(XrActionsPerController, TheRuntimeBindsThisControllerAndHandsWaitForFocus) {
  const ProfileCase& c = GetParam();
  setScript(kScript);
  setSimVar("PAV_XR_SIM_PROFILES", c.profile);
  XrWorld& w = world({.actionSet = "testing"});
  buildTestScene(*w.renderer, scene_);
  ASSERT_EQ(w.actions->suggestedProfiles().size(), 4u);

  bool inactiveBeforeFocus = true;
  uint64_t focused = 0;
  runFrames(40, xr::PlaySpace{}, [&](xr::Frame&) {
    if (!w.session->focused()) {
      inactiveBeforeFocus = inactiveBeforeFocus && !w.actions->state().hands[1].active;
    } else if (++focused == 3) {
      w.session->requestExit();  // sampled enough; the last sync below is in focus
    }
  });
  EXPECT_TRUE(inactiveBeforeFocus) << "actions are active only while the session is focused";
  ASSERT_GE(focused, 3u);
  EXPECT_EQ(w.actions->currentProfile(xr::kRightHand), std::string("/interaction_profiles/") + c.profile);
  EXPECT_EQ(w.actions->currentProfile(xr::kLeftHand), std::string("/interaction_profiles/") + c.profile);
}

// Sampling in focus, frame by frame, through fill() into an InputFrame.
TEST_P(XrActionsPerController, HandStateMatchesTheScript) {
  const ProfileCase& c = GetParam();
  setScript(kScript);
  setSimVar("PAV_XR_SIM_PROFILES", c.profile);
  XrWorld& w = world({.actionSet = "testing"});
  buildTestScene(*w.renderer, scene_);
  xr::HandState right, left;
  core::InputFrame input;
  // The title's frame: the stage turned 90 degrees and moved, to see fill() map the hands.
  const xr::PlaySpace play{{{1.0f, 0.0f, 2.0f}, yawPitch(90.0f, 0.0f)}, {{0.0f, 0.8f, 0.0f}, glm::quat(1, 0, 0, 0)}};
  runFrames(12, play, [&](xr::Frame&) {
    if (!w.session->focused()) return;
    right = w.actions->state().hands[xr::kRightHand];
    left = w.actions->state().hands[xr::kLeftHand];
    w.actions->fill(play, input);
  });
  ASSERT_TRUE(right.active) << "the session never got focus";
  EXPECT_TRUE(right.tracked);
  EXPECT_TRUE(left.tracked);
  EXPECT_NEAR(right.grip.position.x, 0.3f, 1e-4f);
  EXPECT_NEAR(right.grip.position.y, 1.1f, 1e-4f);
  EXPECT_NEAR(right.grip.position.z, -0.5f, 1e-4f);
  EXPECT_NEAR(std::abs(glm::dot(right.grip.orientation, yawPitch(20.0f, -30.0f))), 1.0f, 1e-4f);
  EXPECT_NEAR(glm::length(right.gripVelocity), 0.0f, 1e-3f) << "the hand holds still";
  // The aim ray points further down than the grip (controllers tilt it forward).
  const glm::vec3 aimDir = right.aim.orientation * glm::vec3(0, 0, -1);
  const glm::vec3 gripDir = right.grip.orientation * glm::vec3(0, 0, -1);
  EXPECT_LT(aimDir.y, gripDir.y);

  EXPECT_NEAR(right.trigger, c.trigger, 1e-4f);
  EXPECT_NEAR(right.squeeze, c.squeeze, 1e-4f);
  EXPECT_NEAR(right.thumbstick.x, c.stick.x, 1e-4f);
  EXPECT_NEAR(right.thumbstick.y, c.stick.y, 1e-4f);
  EXPECT_EQ((right.buttons & xr::kButtonPrimary) != 0, c.rightPrimary);
  EXPECT_EQ((left.buttons & xr::kButtonPrimary) != 0, c.leftPrimary);
  EXPECT_EQ((right.buttons & xr::kButtonTrigger) != 0, c.trigger >= 0.5f);

  // InputFrame: the same hand in the title's coordinates, the buttons of both hands.
  const render::Pose inTitle = play.toTitle(right.grip);
  EXPECT_TRUE(input.hands[1].tracked);
  EXPECT_NEAR(glm::distance(input.hands[1].position, inTitle.position), 0.0f, 1e-5f);
  EXPECT_NEAR(input.hands[1].position.y, 1.1f - 0.8f, 1e-4f);
  EXPECT_NEAR(input.hands[1].trigger, c.trigger, 1e-4f);
  EXPECT_NEAR(input.hands[1].grip, c.squeeze, 1e-4f);
  EXPECT_EQ(input.buttons, xr::handButtons(left.buttons, 0) | xr::handButtons(right.buttons, 1));
}

INSTANTIATE_TEST_SUITE_P(
    Controllers, XrActionsPerController,
    ::testing::Values(
        // select/click drives the trigger (0 or 1) and the primary button; no grip or stick
        ProfileCase{"khr/simple_controller", 1.0f, 0.0f, {0.0f, 0.0f}, true, false},
        ProfileCase{"oculus/touch_controller", 0.8f, 0.7f, {0.5f, -0.25f}, true, true},
        ProfileCase{"valve/index_controller", 0.8f, 0.7f, {0.5f, -0.25f}, true, false},
        // squeeze/click is 0 or 1; the trackpad stands in for the thumbstick
        ProfileCase{"htc/vive_controller", 0.8f, 1.0f, {0.5f, -0.25f}, true, false}),
    [](const ::testing::TestParamInfo<ProfileCase>& info) {
      std::string s = info.param.profile;
      for (char& ch : s)
        if (ch == '/') ch = '_';
      return s;
    });

class XrHaptics : public XrTest {};

TEST_F(XrHaptics, APulseReachesTheRuntimeWithItsAmplitudeDurationAndFrequency) {
  XrWorld& w = world({.actionSet = "testing"});
  buildTestScene(*w.renderer, scene_);
  int sent = 0;
  runFrames(0, xr::PlaySpace{}, [&](xr::Frame&) {
    if (w.session->focused() && sent == 0) {
      EXPECT_TRUE(w.actions->pulse(xr::kRightHand, 0.7f, 0.05f, 160.0f));
      EXPECT_TRUE(w.actions->pulse(xr::kLeftHand, 0.3f, 0.02f));
      ++sent;
      w.session->requestExit();
    }
  });
  ASSERT_EQ(sent, 1);
  endWorld();
  const nlohmann::json stats = simStats();
  const nlohmann::json& pulses = stats["haptics"]["pulses"];
  ASSERT_EQ(pulses.size(), 2u) << stats["haptics"].dump(2);
  EXPECT_EQ(pulses[0]["hand"], "/user/hand/right");
  EXPECT_NEAR(pulses[0]["amplitude"].get<double>(), 0.7, 1e-6);
  EXPECT_EQ(pulses[0]["durationNs"], 50'000'000);
  EXPECT_NEAR(pulses[0]["frequency"].get<double>(), 160.0, 1e-3);
  EXPECT_NE(pulses[0]["action"].get<std::string>().find("haptic"), std::string::npos);
  EXPECT_EQ(pulses[1]["hand"], "/user/hand/left");
  EXPECT_EQ(stats["haptics"]["unbound"], 0);
  EXPECT_EQ(stats["violations"]["total"], 0) << stats["violations"].dump(2);
}

}  // namespace
}  // namespace pav::test
