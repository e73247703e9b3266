// Multisampling: a target drawn with 4 samples resolves its edges into blended pixels where one
// drawn with 1 sample has only the object's colour or the background's; a stereo multiview
// target resolves both eyes; a sample count the device lacks falls back to the largest it has;
// a count MSAA does not take is refused.
#include <cstdlib>

#include <glm/gtc/matrix_transform.hpp>

#include "pav/core/error.h"
#include "render_fixture.h"

namespace pav::test {
namespace {

constexpr uint32_t kSize = 64;

// A flat white box turned 30 degrees on black: no sun, only even ambient light, so every pixel
// is the box's one colour (tone mapped: not 255) or the clear colour unless an edge blends them.
render::Scene flatBoxScene(render::MeshId box) {
  render::Scene scene;
  scene.clearColor = {0, 0, 0, 1};
  scene.light.color = glm::vec3(0.0f);
  scene.light.ambient = glm::vec3(1.0f);
  glm::mat4 model = glm::translate(glm::mat4(1), {0, 0, -2});
  model = glm::rotate(model, glm::radians(30.0f), {0, 0, 1});
  scene.draws.push_back({box, model, {1, 1, 1, 1}});
  return scene;
}

render::View frontView() {
  render::View v;
  v.fov = {-0.5f, 0.5f, 0.5f, -0.5f};
  return v;
}

// Pixels whose red channel is neither the background's (0) nor the box's (its centre pixel's).
uint32_t blendedPixels(const render::Picture& p) {
  const size_t centre = (size_t(p.height / 2) * p.width + p.width / 2) * 4;
  const int box = p.rgba[centre];
  uint32_t n = 0;
  for (size_t i = 0; i < p.rgba.size(); i += 4)
    if (p.rgba[i] > 8 && std::abs(int(p.rgba[i]) - box) > 8) ++n;
  return n;
}

class Multisample : public RenderTest {
 protected:
  void SetUp() override {
    RenderTest::SetUp();
    box_ = renderer().loadMesh(render::makeBox({1, 1, 0.2f}));
  }
  void TearDown() override {
    renderer().unloadMesh(box_);
    RenderTest::TearDown();
  }
  render::MeshId box_;
};

TEST_F(Multisample, FourSamplesBlendTheEdgesOneSampleDoesNot) {
  const render::Scene scene = flatBoxScene(box_);
  const render::View view = frontView();
  render::OffscreenTarget one(context(), {.width = kSize, .height = kSize, .viewCount = 1, .samples = 1});
  render::OffscreenTarget four(context(), {.width = kSize, .height = kSize, .viewCount = 1, .samples = 4});
  ASSERT_EQ(one.format().samples, 1u);
  ASSERT_EQ(four.format().samples, render::pickSampleCount(context(), 4, "test"));
  if (four.format().samples < 4) GTEST_SKIP() << "no 4x MSAA on " << context().deviceInfo().describe();
  const auto a = renderer().capture(one, scene, {&view, 1});
  const auto b = renderer().capture(four, scene, {&view, 1});
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  render::writePng(artifactDir() + "/msaa-1x.png", a[0]);
  render::writePng(artifactDir() + "/msaa-4x.png", b[0]);
  EXPECT_EQ(blendedPixels(a[0]), 0u) << "one sample: every pixel is the box or the background";
  // The box's outline is about 4 x 30 pixels long; most of its edge pixels blend.
  EXPECT_GT(blendedPixels(b[0]), 60u) << "four samples: the edges resolve into blended pixels";
  // The same box: the two pictures differ only along the edges.
  const render::PictureDiff d = render::comparePictures(a[0], b[0], 8);
  EXPECT_LT(d.mismatched, 4u * kSize * 2) << "more than the edges changed";
}

// Both eyes of one multiview pass (forced on, as on a GPU) are resolved, each equal to a mono
// 4x picture from that eye: the resolve writes both layers.
TEST_F(Multisample, OneMultiviewPassResolvesBothEyes) {
  render::ContextDesc desc;
  desc.validation = render::Toggle::On;
  desc.multiview = render::Toggle::On;
  render::Context own(desc);
  {
    render::Renderer r(own, render::RendererDesc{0, PAV_TEST_SHADER_DIR});
    const render::MeshId box = r.loadMesh(render::makeBox({1, 1, 0.2f}));
    const render::Scene scene = flatBoxScene(box);
    const auto eyes = render::stereoViews(render::Pose{}, 0.064f, frontView().fov, frontView().fov);
    render::OffscreenTarget stereo(own, {.width = kSize, .height = kSize, .viewCount = 2, .samples = 4});
    ASSERT_FALSE(stereo.format().passPerView);
    if (stereo.format().samples < 4) GTEST_SKIP() << "no 4x MSAA";
    render::OffscreenTarget mono(own, {.width = kSize, .height = kSize, .viewCount = 1, .samples = 4});
    const auto both = r.capture(stereo, scene, eyes);
    ASSERT_EQ(both.size(), 2u);
    for (int eye = 0; eye < 2; ++eye) {
      const auto single = r.capture(mono, scene, {&eyes[eye], 1});
      ASSERT_EQ(single.size(), 1u);
      EXPECT_GT(blendedPixels(both[eye]), 60u) << "eye " << eye << " was not resolved from 4 samples";
      EXPECT_EQ(render::comparePictures(both[eye], single[0], 2).mismatched, 0u) << "eye " << eye;
    }
    r.waitIdle();
  }
  EXPECT_EQ(own.validationMessages(), 0u);
}

// 8x where the device has it, else its largest below (lavapipe: 4x), and the target draws
// with what it got; a count MSAA does not take is refused, naming it.
TEST_F(Multisample, ACountTheDeviceLacksFallsBackToItsLargest) {
  const VkPhysicalDeviceLimits& limits = context().properties().limits;
  const VkSampleCountFlags both = limits.framebufferColorSampleCounts & limits.framebufferDepthSampleCounts;
  const uint32_t got = render::pickSampleCount(context(), 8, "test");
  EXPECT_TRUE(both & got) << got << "x is not offered";
  for (uint32_t larger = got * 2; larger <= 8; larger *= 2)
    EXPECT_FALSE(both & larger) << larger << "x is offered but " << got << "x was picked";
  EXPECT_EQ(render::pickSampleCount(context(), 1, "test"), 1u);
  EXPECT_EQ(render::pickSampleCount(context(), 0, "test"), render::pickSampleCount(context(), render::kDefaultSamples, "test"));
  render::OffscreenTarget target(context(), {.width = 32, .height = 32, .viewCount = 1, .samples = 8});
  EXPECT_EQ(target.format().samples, got);
  const render::Scene scene = flatBoxScene(box_);
  const render::View view = frontView();
  EXPECT_EQ(renderer().capture(target, scene, {&view, 1}).size(), 1u);
  for (uint32_t bad : {3u, 16u, 64u}) {
    try {
      render::pickSampleCount(context(), bad, "test");
      ADD_FAILURE() << bad << " samples were accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("1 (off), 2, 4 or 8"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace pav::test
