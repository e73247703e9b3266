// Golden pictures: the demo scene rendered on this machine's Vulkan device must match the PNGs
// under tests/golden within a stated tolerance, mono and in stereo. The tolerance absorbs
// rasteriser differences at edges between devices and driver versions; it does not absorb a
// moved camera or a broken shader, and two tests below prove that it does not.
//
// Tolerance: a pixel mismatches when any RGB channel differs by more than 24 (of 255); a
// picture matches when at most 0.5 % of pixels mismatch and the mean absolute channel
// difference is at most 1.5.
//
// To re-bless after an intended change: PAV_UPDATE_GOLDEN=1 ctest -R Golden, look at the new
// pictures, and commit them.
#include <cstdlib>
#include <string>

#include <glm/gtc/quaternion.hpp>

#include "demo_scene.h"
#include "../support/golden_match.h"
#include "render_fixture.h"

namespace pav::test {
namespace {

constexpr uint32_t kMonoW = 320, kMonoH = 180, kEye = 192;

::testing::AssertionResult matchesGolden(const render::Picture& actual, const std::string& name) {
  return test::matchesGolden(actual, std::string(PAV_GOLDEN_DIR) + "/" + name, artifactDir());
}

class Golden : public RenderTest {
 protected:
  void SetUp() override {
    RenderTest::SetUp();
    meshes_ = demo::loadDemoMeshes(renderer());
    demo::buildDemoScene(meshes_, 0.0f, scene_);
  }
  void TearDown() override {
    for (render::MeshId id : {meshes_.pieces.floor, meshes_.unitBox, meshes_.sphere, meshes_.cylinder,
                              meshes_.pieces.puck, meshes_.pieces.mallet, meshes_.pieces.knob})
      renderer().unloadMesh(id);
    RenderTest::TearDown();
  }
  render::Picture renderMono(render::Renderer& r, const render::View& view) {
    render::OffscreenTarget target(context(), {kMonoW, kMonoH, 1});
    return r.capture(target, scene_, {&view, 1}).at(0);
  }
  demo::DemoMeshes meshes_;
  render::Scene scene_;
};

TEST_F(Golden, MonoDemoSceneMatches) {
  const render::View view = demo::demoMonoView(float(kMonoW) / float(kMonoH));
  EXPECT_TRUE(matchesGolden(renderMono(renderer(), view), "mono.png"));
}

TEST_F(Golden, StereoDemoSceneMatchesBothEyes) {
  render::OffscreenTarget target(context(), {kEye, kEye, 2});
  const auto eyes = demo::demoStereoViews();
  const auto pictures = renderer().capture(target, scene_, eyes);
  ASSERT_EQ(pictures.size(), 2u);
  EXPECT_TRUE(matchesGolden(pictures[0], "stereo-left.png"));
  EXPECT_TRUE(matchesGolden(pictures[1], "stereo-right.png"));
}

TEST_F(Golden, RepeatedFramesAreIdentical) {
  // Frames in flight must not leak state between frames: the third frame of the same scene is
  // bit-identical to the first.
  const render::View view = demo::demoMonoView(float(kMonoW) / float(kMonoH));
  render::OffscreenTarget target(context(), {kMonoW, kMonoH, 1});
  const render::Picture first = renderer().capture(target, scene_, {&view, 1}).at(0);
  renderer().drawFrame(target, scene_, {&view, 1});
  const render::Picture third = renderer().capture(target, scene_, {&view, 1}).at(0);
  EXPECT_EQ(render::comparePictures(first, third, 0).mismatched, 0u);
}

TEST_F(Golden, AMovedCameraDoesNotMatch) {
  if (test::updatingGoldens()) GTEST_SKIP() << "updating goldens";
  render::View view = demo::demoMonoView(float(kMonoW) / float(kMonoH));
  view.pose.position += glm::vec3(0.10f, 0.0f, 0.0f);
  view.pose.orientation = glm::angleAxis(glm::radians(2.0f), glm::vec3(0, 1, 0)) * view.pose.orientation;
  EXPECT_FALSE(matchesGolden(renderMono(renderer(), view), "mono.png"))
      << "the golden comparison is too loose: a camera 10 cm and 2 degrees off still matches";
}

TEST_F(Golden, ABrokenShaderDoesNotMatch) {
  if (test::updatingGoldens()) GTEST_SKIP() << "updating goldens";
  // Same pipeline, but a fragment shader that ignores the light (tests/render/broken_shaders).
  render::Renderer broken(context(), {0, PAV_BROKEN_SHADER_DIR});
  const demo::DemoMeshes meshes = demo::loadDemoMeshes(broken);
  render::Scene scene;
  demo::buildDemoScene(meshes, 0.0f, scene);
  render::OffscreenTarget target(context(), {kMonoW, kMonoH, 1});
  const render::View view = demo::demoMonoView(float(kMonoW) / float(kMonoH));
  const render::Picture picture = broken.capture(target, scene, {&view, 1}).at(0);
  broken.waitIdle();
  EXPECT_FALSE(matchesGolden(picture, "mono.png"))
      << "the golden comparison did not notice an unlit shader";
}

}  // namespace
}  // namespace pav::test
