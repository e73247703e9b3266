// Frames and spaces: the swapchain target with the runtime's depth swapchain (and without the
// depth extension, with its own depth), the pictures the runtime receives equal to what the
// renderer draws offscreen from the same views, and recentering of LOCAL and STAGE.
#include <filesystem>

#include "xr_fixture.h"

namespace pav::test {
namespace {

class XrFrames : public XrTest {};

TEST_F(XrFrames, DepthGoesToTheRuntimeWhenItOffersTheExtension) {
  XrWorld& w = world();
  EXPECT_TRUE(w.runtime->info().depthLayers);
  EXPECT_TRUE(w.target->runtimeDepth());
  EXPECT_NE(w.target->depthSwapchain(), XR_NULL_HANDLE);
  EXPECT_EQ(w.target->format().viewCount, 2u);
  EXPECT_EQ(w.target->extent().width, kEyeSize);
  buildTestScene(*w.renderer, scene_);
  runFrames(12, xr::PlaySpace{});
  EXPECT_GT(w.session->stats().framesWithLayers, 0u);
  w.session->requestExit();
  runFrames(0, xr::PlaySpace{});
  endWorld();
  const nlohmann::json stats = simStats();
  EXPECT_EQ(stats["violations"]["total"], 0) << stats["violations"].dump(2);
}

TEST_F(XrFrames, WithoutTheDepthExtensionTheTargetKeepsItsOwnDepth) {
  XrWorld& w = world({.runtime = {.depthLayers = false}});
  EXPECT_FALSE(w.runtime->info().depthLayers);
  EXPECT_FALSE(w.target->runtimeDepth());
  buildTestScene(*w.renderer, scene_);
  runFrames(12, xr::PlaySpace{});
  EXPECT_GT(w.session->stats().framesWithLayers, 0u);
  w.session->requestExit();
  runFrames(0, xr::PlaySpace{});
  endWorld();
  EXPECT_EQ(simStats()["violations"]["total"], 0);
}

TEST_F(XrFrames, TheRuntimeReceivesWhatTheRendererDrawsForTheLocatedViews) {
  setScript("at 0\nhead 0.1 1.5 0.3  15 -10 0\n");
  XrWorld& w = world();
  buildTestScene(*w.renderer, scene_);
  runFrames(0, xr::PlaySpace{}, [&](xr::Frame&) {
    if (w.session->stats().framesWithLayers >= 6) w.session->requestExit();
  });
  ASSERT_TRUE(w.session->done());
  // The runtime wrote the eyes of the last frame with layers at xrEndSession; the renderer
  // draws the same scene from the same views offscreen.
  const std::string left = dir() + "/last-left.png", right = dir() + "/last-right.png";
  ASSERT_TRUE(std::filesystem::exists(left) && std::filesystem::exists(right));
  render::OffscreenTarget offscreen(*w.context, {kEyeSize, kEyeSize, 2, w.target->format().color});
  const auto expected = w.renderer->capture(offscreen, scene_, lastViews_);
  ASSERT_EQ(expected.size(), 2u);
  const render::Picture got[2] = {render::readPng(left), render::readPng(right)};
  for (int eye = 0; eye < 2; ++eye) {
    const render::PictureDiff d = render::comparePictures(got[eye], expected[eye], 2);
    EXPECT_TRUE(d.sameSize);
    EXPECT_EQ(d.mismatched, 0u) << "eye " << eye << ": max channel difference " << d.maxChannelDiff;
    if (d.mismatched) render::writePng(dir() + "/expected-" + std::to_string(eye) + ".png", expected[eye]);
  }
  // The eyes see the scene from 64 mm apart: the pictures differ.
  EXPECT_GT(render::comparePictures(got[0], got[1], 8).mismatched, 100u);
}

class XrSpaces : public XrTest {};

// The head moves away from where LOCAL was set up (script time 0), then the visitor recenters.
constexpr const char* kMovedHead = R"(at 0
head 0 1.2 0  0 0 0
at 0.05
head 0.4 1.25 -0.3  30 -10 0
)";

TEST_F(XrSpaces, RecenteringLocalPutsTheHeadOnTheSeat) {
  setScript(kMovedHead);
  XrWorld& w = world({.session = {.space = xr::SpaceKind::Local}});
  EXPECT_EQ(w.session->spaceKind(), xr::SpaceKind::Local);
  buildTestScene(*w.renderer, scene_);
  // The seat: an eye 1.15 m up at (2, 1.15, 1), looking along -X.
  const render::Pose seatEye{{2.0f, 1.15f, 1.0f}, glm::angleAxis(glm::radians(90.0f), glm::vec3(0, 1, 0))};
  const xr::PlaySpace play = xr::PlaySpace::seatedAt(seatEye);
  bool recentered = false;
  render::Pose headAfter;
  runFrames(20, play, [&](xr::Frame& frame) {
    if (frame.index == 12) {
      recentered = w.session->recenter(frame.displayTime);
      EXPECT_TRUE(w.session->locateHead(frame.displayTime, headAfter));
    }
  });
  ASSERT_TRUE(recentered);
  EXPECT_TRUE(w.session->recentered());
  EXPECT_NEAR(glm::length(headAfter.position), 0.0f, 1e-4f);
  // Only the heading is taken out: the head still looks 10 degrees down.
  const glm::vec3 fwd = headAfter.orientation * glm::vec3(0, 0, -1);
  EXPECT_NEAR(fwd.x, 0.0f, 1e-4f);
  EXPECT_NEAR(fwd.y, -std::sin(glm::radians(10.0f)), 1e-4f);
  // The eyes drawn are on the seat, 64 mm apart, looking where the seat looks.
  const glm::vec3 mid = 0.5f * (lastViews_[0].pose.position + lastViews_[1].pose.position);
  EXPECT_NEAR(glm::distance(mid, seatEye.position), 0.0f, 1e-3f);
  EXPECT_NEAR(glm::distance(lastViews_[0].pose.position, lastViews_[1].pose.position), 0.064f, 1e-3f);
  const glm::vec3 look = lastViews_[0].pose.orientation * glm::vec3(0, 0, -1);
  EXPECT_LT(look.x, -0.9f);
}

TEST_F(XrSpaces, RecenteringStageKeepsTheFloor) {
  setScript(kMovedHead);
  XrWorld& w = world();
  EXPECT_EQ(w.session->spaceKind(), xr::SpaceKind::Stage);
  buildTestScene(*w.renderer, scene_);
  render::Pose before, after;
  runFrames(14, xr::PlaySpace{}, [&](xr::Frame& frame) {
    if (frame.index == 12) {
      ASSERT_TRUE(w.session->locateHead(frame.displayTime, before));
      ASSERT_TRUE(w.session->recenter(frame.displayTime));
      ASSERT_TRUE(w.session->locateHead(frame.displayTime, after));
    }
  });
  EXPECT_NEAR(before.position.x, 0.4f, 1e-4f);
  EXPECT_NEAR(before.position.z, -0.3f, 1e-4f);
  EXPECT_NEAR(after.position.x, 0.0f, 1e-4f);
  EXPECT_NEAR(after.position.y, 1.25f, 1e-4f) << "the floor stays at y = 0";
  EXPECT_NEAR(after.position.z, 0.0f, 1e-4f);
}

}  // namespace
}  // namespace pav::test
