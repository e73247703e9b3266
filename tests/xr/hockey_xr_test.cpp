// Air hockey in the simulated headset: 300 frames of the hockey title with the visitor
// standing in the STAGE space at seat 0 (the hockey presenter's seat), their right
// controller's grip pose as the mallet (the title's headset mapping); the puck-hit pulse is
// the presenter's own cue (Presenter::feel). A
// scripted hand strikes the puck: the puck moves, a haptic pulse reaches the runtime, the eye
// pictures the runtime receives show the right parallax (a near object shifts more between
// the eyes than a far one, in the right direction, by what the located views predict), the
// display time of every xrEndFrame is the one xrWaitFrame gave (the runtime counts 0
// violations), and the validation layer says nothing.
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "../support/picture_regions.h"
#include "pav/core/fixed_step.h"
#include "pav/hockey/hockey.h"
#include "pav/hockey/hockey_present.h"
#include "xr_fixture.h"

namespace pav::test {
namespace {

constexpr uint64_t kFrames = 300;

// The visitor stands on the STAGE's centre, looking down the table (25 degrees down); the
// right hand rests 55 cm ahead just above the surface, then at 1.0 s sweeps 70 cm forward in
// 0.35 s (2 m/s) through the puck, which the face-off put on the visitor's side.
constexpr const char* kStrike = R"(at 0
head   0 1.6 0       0 -25 0
left  -0.3 1.0 -0.3  0 0 0
right  0 0.83 -0.55  0 -60 0
at 1.0
right  0 0.83 -0.55  0 -60 0
at 1.35
right  0 0.83 -1.25  0 -60 0
)";

// Two markers to measure parallax on: a magenta ball 0.6 m from the eyes, a cyan one 3.5 m.
struct Marker {
  glm::vec3 centre;
  float radius;
  glm::vec4 color;
};

// The magenta pixels (the near marker) or the cyan ones (the far marker).
PixelRegion centroidOf(const render::Picture& p, bool magenta) {
  return findPixels(p, [magenta](const uint8_t* px) {
    return magenta ? (px[0] > 150 && px[2] > 150 && px[1] < 100) : (px[1] > 150 && px[2] > 150 && px[0] < 60);
  });
}

// Where a point lands in an eye's picture, in pixels.
glm::dvec2 project(const render::View& view, const glm::vec3& p, uint32_t size) {
  const glm::vec4 clip = view.viewProjection() * glm::vec4(p, 1.0f);
  return {(clip.x / clip.w * 0.5 + 0.5) * size, (clip.y / clip.w * 0.5 + 0.5) * size};
}

class XrHockey : public XrTest {};

TEST_F(XrHockey, AScriptedStrikeMovesThePuckPulsesTheHandAndTheEyesSeeInDepth) {
  setScript(kStrike);
  XrWorld& w = world({.session = {.space = xr::SpaceKind::Stage}, .actionSet = "hockey"});

  auto title = hockey::makeHockeyTitle();
  title->setup({.players = 1, .seed = 2, .skill = 1});  // seed 2: the face-off puck is ours
  // Everything hockey-specific is the product's own: the presenter's seat (standing behind
  // seat 0's goal) and picture, the title's headset mapping, the presenter's haptic cues.
  auto presenter = hockey::makeHockeyPresenter(*title, 0);
  std::vector<render::MeshId> ids;
  for (const render::MeshData& m : presenter->meshes()) ids.push_back(w.renderer->loadMesh(m));
  presenter->setMeshes(ids);
  core::StateSchema schema;
  title->describe(schema);
  core::StateFrame seen, now;
  seen.resize(schema);
  now.resize(schema);
  title->capture(seen);
  render::Seat seat;
  ASSERT_TRUE(presenter->seat(seen, seat));
  ASSERT_EQ(seat.stance, render::Seat::Stance::Standing);
  const xr::PlaySpace play = xr::PlaySpace::standingAt(seat.eye, seat.titleFrame);
  const hockey::PuckState puckStart = hockey::puckOf(*title);

  const render::MeshId ball = w.renderer->loadMesh(render::makeSphere(1.0f, 24, 48));
  const render::Pose eye = play.toWorld({{0.0f, 1.6f, 0.0f}, glm::angleAxis(glm::radians(-25.0f), glm::vec3(1, 0, 0))});
  const glm::vec3 fwd = eye.orientation * glm::vec3(0, 0, -1), right = eye.orientation * glm::vec3(1, 0, 0);
  const Marker markers[2] = {{eye.position + 0.6f * fwd - 0.12f * right, 0.03f, {4, 0, 4, 1}},
                             {eye.position + 3.5f * fwd + 0.45f * right + glm::vec3(0, 1.2f, 0), 0.15f, {0, 4, 4, 1}}};

  core::FixedStep clock({hockey::kTickRateHz, 96});
  core::InputFrame input;
  core::HeadsetControls controls;
  xr::HapticCues haptics;
  render::Cues cues;
  XrTime lastDisplay = 0;
  float fastestPuck = 0, farthest = 0;  // (a goal's face-off may put the puck back on its spot)
  int hits = 0, pulses = 0;
  std::vector<XrTime> displayTimes;
  runFrames(0, play, [&](xr::Frame& frame) {
    displayTimes.push_back(frame.displayTime);
    // The hand at this frame's display time is the mallet's target for the ticks up to it.
    w.actions->controls(play, controls);
    title->headsetInput(controls, 0, input);
    const double elapsed = lastDisplay ? double(frame.displayTime - lastDisplay) * 1e-9 : double(frame.period) * 1e-9;
    lastDisplay = frame.displayTime;
    clock.advance(elapsed, [&](uint64_t, double) {
      title->step({&input, 1});
      const hockey::PuckState puck = hockey::puckOf(*title);
      fastestPuck = std::max(fastestPuck, glm::length(puck.velocity));
      farthest = std::max(farthest, glm::distance(puck.position, puckStart.position));
    });
    // What the visitor feels: the change since the state they saw last frame.
    title->capture(now);
    cues.clear();
    presenter->feel(seen, now, cues);
    hits += cues.all().empty() ? 0 : 1;
    haptics.ask(cues.all());
    pulses += haptics.send(*w.actions, frame.displayTime);
    seen = now;
    // What the visitor sees now: the match and the two markers.
    render::View camera;
    presenter->present(now, scene_, camera, 1.0f);
    for (const Marker& m : markers)
      scene_.draws.push_back({ball, glm::scale(glm::translate(glm::mat4(1.0f), m.centre), glm::vec3(m.radius)), m.color});
    if (frame.index == kFrames) w.session->requestExit();
  });

  ASSERT_TRUE(w.session->done());
  EXPECT_FALSE(w.session->lost());
  EXPECT_EQ(w.session->stats().framesEnded, kFrames);
  // The strike: the mallet followed the hand into the puck, which flew off.
  EXPECT_GE(hits, 1);
  EXPECT_GE(pulses, 1);
  EXPECT_GT(fastestPuck, 1.0f) << "the puck was struck at 2 m/s";
  EXPECT_GT(farthest, 0.3f);
  for (size_t i = 1; i < displayTimes.size(); ++i) ASSERT_GT(displayTimes[i], displayTimes[i - 1]);

  // Parallax in the pictures the runtime received (the last frame's eyes).
  const render::Picture eyes[2] = {render::readPng(dir() + "/last-left.png"), render::readPng(dir() + "/last-right.png")};
  ASSERT_EQ(eyes[0].width, kEyeSize);
  const PixelRegion nearL = centroidOf(eyes[0], true), nearR = centroidOf(eyes[1], true);
  const PixelRegion farL = centroidOf(eyes[0], false), farR = centroidOf(eyes[1], false);
  ASSERT_GT(nearL.count, 30u);
  ASSERT_GT(nearR.count, 30u);
  ASSERT_GT(farL.count, 30u);
  ASSERT_GT(farR.count, 30u);
  const double nearShift = nearL.x - nearR.x, farShift = farL.x - farR.x;
  // In the left eye things sit further right than in the right eye, the nearer the more.
  EXPECT_GT(farShift, 0.0);
  EXPECT_GT(nearShift, farShift + 5.0);
  const double predictedNear = project(lastViews_[0], markers[0].centre, kEyeSize).x -
                               project(lastViews_[1], markers[0].centre, kEyeSize).x;
  const double predictedFar = project(lastViews_[0], markers[1].centre, kEyeSize).x -
                              project(lastViews_[1], markers[1].centre, kEyeSize).x;
  EXPECT_NEAR(nearShift, predictedNear, 1.5);
  EXPECT_NEAR(farShift, predictedFar, 1.0);
  // Both eyes see the markers at the same height.
  EXPECT_NEAR(nearL.y, nearR.y, 1.0);
  EXPECT_NEAR(farL.y, farR.y, 1.0);

  endWorld();
  const nlohmann::json stats = simStats();
  EXPECT_EQ(stats["violations"]["total"], 0) << stats["violations"].dump(2);
  EXPECT_FALSE(stats["violations"]["byCall"].contains("xrEndFrame XR_ERROR_TIME_INVALID"));
  EXPECT_EQ(stats["frames"]["ended"], kFrames);
  EXPECT_EQ(stats["interactionProfile"], "/interaction_profiles/oculus/touch_controller");
  const nlohmann::json& sent = stats["haptics"]["pulses"];
  ASSERT_GE(sent.size(), 1u) << stats["haptics"].dump(2);
  EXPECT_EQ(sent[0]["hand"], "/user/hand/right");
  EXPECT_GT(sent[0]["amplitude"].get<double>(), 0.0);
  EXPECT_EQ(sent[0]["durationNs"], 30'000'000);
  // The strike is at 1.0 - 1.35 s of script time; the pulse follows the contact.
  EXPECT_GT(sent[0]["t"].get<double>(), 0.9);
  EXPECT_LT(sent[0]["t"].get<double>(), 1.6);
  std::fprintf(stderr, "hockey: %d hit(s), puck up to %.2f m/s, near shift %.1f px (predicted %.1f), far %.1f px (%.1f); "
               "missed frames %d, app CPU p50 %.2f ms\n",
               hits, double(fastestPuck), nearShift, predictedNear, farShift, predictedFar,
               stats["frames"]["missed"].get<int>(), stats["appCpuMs"]["p50"].get<double>());
}

}  // namespace
}  // namespace pav::test
