// Shadows: a box held above the ground darkens the ground under it with the sun's shadow maps
// on, and not with them off; the cascades are texel-snapped, so a head that moves a little
// moves each cascade by whole texels (shadow edges stay still instead of shimmering).
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "render_fixture.h"
#include "shadows.h"  // engine/render/src: fitCascades

namespace pav::test {
namespace {

constexpr uint32_t kSize = 96;

class Shadow : public RenderTest {
 protected:
  void SetUp() override {
    RenderTest::SetUp();
    ground_ = renderer().loadMesh(render::makePlane(8.0f));
    box_ = renderer().loadMesh(render::makeBox({0.6f, 0.6f, 0.6f}));
    scene_.clearColor = {0, 0, 0, 1};
    scene_.light.direction = {0.0f, -1.0f, 0.0f};  // the sun straight above
    scene_.shadows = {.cascades = 2, .distance = 20.0f};
    scene_.draws.push_back({ground_, glm::mat4(1), {0.8f, 0.8f, 0.8f, 1}});
    scene_.draws.push_back({box_, glm::translate(glm::mat4(1), {0, 1.2f, 0}), {0.8f, 0.2f, 0.2f, 1}});
    view_.pose = render::Pose::lookAt({0, 3, 3}, {0, 0, 0});
    view_.fov = render::Fov::symmetric(1.0f, 1.0f);
  }
  void TearDown() override {
    renderer().unloadMesh(ground_);
    renderer().unloadMesh(box_);
    RenderTest::TearDown();
  }
  // The red channel of the pixel that shows `world`.
  static int redAt(const render::Picture& p, const render::View& v, glm::vec3 world) {
    const glm::vec4 clip = v.viewProjection() * glm::vec4(world, 1.0f);
    const int x = int((clip.x / clip.w * 0.5f + 0.5f) * float(p.width));
    const int y = int((clip.y / clip.w * 0.5f + 0.5f) * float(p.height));
    return p.rgba[(size_t(y) * p.width + size_t(x)) * 4];
  }
  render::MeshId ground_, box_;
  render::Scene scene_;
  render::View view_;
};

TEST_F(Shadow, TheGroundUnderABoxIsDarkerWithShadowsOn) {
  render::OffscreenTarget target(context(), {.width = kSize, .height = kSize, .viewCount = 1, .samples = 1});
  const auto on = renderer().capture(target, scene_, {&view_, 1});
  render::Scene off = scene_;
  off.shadows.cascades = 0;
  const auto without = renderer().capture(target, off, {&view_, 1});
  ASSERT_EQ(on.size(), 1u);
  ASSERT_EQ(without.size(), 1u);
  render::writePng(artifactDir() + "/shadow-on.png", on[0]);
  render::writePng(artifactDir() + "/shadow-off.png", without[0]);
  const glm::vec3 under{0, 0, 0}, beside{1.5f, 0, 0};
  const int underOn = redAt(on[0], view_, under), besideOn = redAt(on[0], view_, beside);
  const int underOff = redAt(without[0], view_, under), besideOff = redAt(without[0], view_, beside);
  EXPECT_LT(underOn + 60, besideOn) << "no shadow under the box: " << underOn << " vs " << besideOn << " beside it";
  EXPECT_LT(underOn + 60, underOff) << "the ground under the box is as bright with shadows on";
  EXPECT_NEAR(underOff, besideOff, 6) << "without shadows the ground is evenly lit";
  EXPECT_NEAR(besideOn, besideOff, 6) << "shadows darkened the ground in the sun";
}

TEST(ShadowCascades, AHeadThatMovesALittleMovesEachCascadeByWholeTexels) {
  constexpr uint32_t kMap = 1024;
  const render::Shadows settings{.cascades = 3, .distance = 300.0f};
  const glm::vec3 sun{-0.35f, -1.0f, -0.45f};
  render::View a;
  a.pose = render::Pose::lookAt({0, 1.2f, 0}, {0.3f, 1.0f, -10});
  a.fov = render::Fov::symmetric(1.6f, 1.0f);
  a.nearZ = 0.05f;
  a.farZ = 500.0f;
  render::View b = a;
  b.pose.position += glm::vec3(0.0137f, 0.0021f, -0.0093f);  // a few millimetres of head motion
  render::ShadowUniforms ua, ub;
  render::fitCascades(settings, sun, {&a, 1}, kMap, ua);
  render::fitCascades(settings, sun, {&b, 1}, kMap, ub);
  ASSERT_EQ(ua.params.x, 3.0f);
  const glm::vec3 point{2.0f, 0.0f, -6.0f};
  for (int c = 0; c < 3; ++c) {
    EXPECT_FLOAT_EQ(ua.texelWorld[c], ub.texelWorld[c]) << "cascade " << c << " changed size";
    const glm::vec4 pa = ua.cascadeViewProjection[c] * glm::vec4(point, 1);
    const glm::vec4 pb = ub.cascadeViewProjection[c] * glm::vec4(point, 1);
    for (int axis = 0; axis < 2; ++axis) {
      const double texelsA = (pa[axis] * 0.5 + 0.5) * kMap, texelsB = (pb[axis] * 0.5 + 0.5) * kMap;
      const double shift = texelsA - texelsB;
      EXPECT_NEAR(shift, std::round(shift), 0.02) << "cascade " << c << " axis " << axis << " moved by "
                                                  << shift << " texels";
    }
  }
  // The cascades cover the distance asked, the finest first.
  EXPECT_LT(ua.texelWorld[0], ua.texelWorld[1]);
  EXPECT_LT(ua.texelWorld[1], ua.texelWorld[2]);
  EXPECT_GT(ua.texelWorld[2] * kMap, 300.0f) << "the last cascade is narrower than the shadow distance";
}

}  // namespace
}  // namespace pav::test
