// Stereo: the two eyes of a multiview target see the scene from 64 mm apart. A near object
// must shift more between the eyes than a far one, in the right direction (towards the right
// in the left eye's picture), by the amount pinhole geometry predicts; and each eye of the
// one-pass multiview picture must equal a mono picture drawn from that eye alone.
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "render_fixture.h"

namespace pav::test {
namespace {

constexpr uint32_t kSize = 256;
constexpr float kIpd = 0.064f;
constexpr float kHalfFov = 0.6f;  // radians, symmetric, so disparity is easy to predict
constexpr float kNear = 0.8f, kFar = 4.0f;

struct Centroid {
  double x = 0, y = 0;
  uint64_t count = 0;
};

// Centre of the pixels that are clearly red (near sphere) or clearly green (far sphere).
Centroid centroidOf(const render::Picture& p, bool red) {
  Centroid c;
  for (uint32_t y = 0; y < p.height; ++y) {
    for (uint32_t x = 0; x < p.width; ++x) {
      const uint8_t* px = p.pixel(x, y);
      const int r = px[0], g = px[1], b = px[2];
      const bool hit = red ? (r > 100 && g < 60 && b < 60) : (g > 100 && r < 60 && b < 60);
      if (!hit) continue;
      c.x += x + 0.5;
      c.y += y + 0.5;
      ++c.count;
    }
  }
  if (c.count) {
    c.x /= double(c.count);
    c.y /= double(c.count);
  }
  return c;
}

class Stereo : public RenderTest {
 protected:
  void SetUp() override {
    RenderTest::SetUp();
    sphere_ = renderer().loadMesh(render::makeSphere(1.0f, 24, 48));
    // Head at the origin looking down -Z; the near sphere a little left, the far one right.
    scene_.clearColor = {0.0f, 0.0f, 0.0f, 1.0f};
    scene_.light.ambient = glm::vec3(0.6f);
    scene_.draws.push_back({sphere_, glm::scale(glm::translate(glm::mat4(1), {-0.12f, 0, -kNear}), glm::vec3(0.06f)),
                            {1, 0, 0, 1}});
    scene_.draws.push_back({sphere_, glm::scale(glm::translate(glm::mat4(1), {0.6f, 0, -kFar}), glm::vec3(0.3f)),
                            {0, 1, 0, 1}});
    const render::Fov fov{-kHalfFov, kHalfFov, kHalfFov, -kHalfFov};
    eyes_ = render::stereoViews(render::Pose{}, kIpd, fov, fov);
  }
  void TearDown() override {
    renderer().unloadMesh(sphere_);
    RenderTest::TearDown();
  }
  render::MeshId sphere_;
  render::Scene scene_;
  std::array<render::View, 2> eyes_;
};

TEST_F(Stereo, NearObjectsShiftMoreThanFarOnesInTheRightDirection) {
  render::OffscreenTarget target(context(), {kSize, kSize, 2});
  const auto pictures = renderer().capture(target, scene_, eyes_);
  ASSERT_EQ(pictures.size(), 2u);
  writePng(artifactDir() + "/parallax-left.png", pictures[0]);
  writePng(artifactDir() + "/parallax-right.png", pictures[1]);

  const Centroid nearL = centroidOf(pictures[0], true), nearR = centroidOf(pictures[1], true);
  const Centroid farL = centroidOf(pictures[0], false), farR = centroidOf(pictures[1], false);
  ASSERT_GT(nearL.count, 50u);
  ASSERT_GT(nearR.count, 50u);
  ASSERT_GT(farL.count, 50u);
  ASSERT_GT(farR.count, 50u);

  // The left eye sits to the left, so it sees every object further to the right.
  const double nearDisparity = nearL.x - nearR.x;
  const double farDisparity = farL.x - farR.x;
  EXPECT_GT(nearDisparity, 0.0);
  EXPECT_GT(farDisparity, 0.0);
  EXPECT_GT(nearDisparity, 3.0 * farDisparity);
  // No vertical parallax for eyes on a level line.
  EXPECT_NEAR(nearL.y, nearR.y, 0.5);

  // Pinhole prediction: disparity = ipd * focal / depth, focal in pixels.
  const double focal = (kSize * 0.5) / std::tan(kHalfFov);
  EXPECT_NEAR(nearDisparity, kIpd * focal / kNear, 0.12 * kIpd * focal / kNear);
  EXPECT_NEAR(farDisparity, kIpd * focal / kFar, 1.0);
}

TEST_F(Stereo, EachMultiviewEyeEqualsAMonoRenderFromThatEye) {
  render::OffscreenTarget stereo(context(), {kSize, kSize, 2});
  const auto both = renderer().capture(stereo, scene_, eyes_);
  render::OffscreenTarget mono(context(), {kSize, kSize, 1});
  for (int eye = 0; eye < 2; ++eye) {
    const auto single = renderer().capture(mono, scene_, {&eyes_[eye], 1});
    const render::PictureDiff d = render::comparePictures(both.at(eye), single.at(0), 2);
    EXPECT_EQ(d.mismatched, 0u) << "eye " << eye << " differs from its mono render";
  }
}

TEST_F(Stereo, AsymmetricFrustumsShiftTheImage) {
  // An eye whose frustum leans outwards (as real headsets' do) shows a centred object
  // off-centre: the projection honours all four angles.
  render::Scene scene = scene_;
  scene.draws.resize(1);
  scene.draws[0].model = glm::scale(glm::translate(glm::mat4(1), {0, 0, -kNear}), glm::vec3(0.06f));
  render::View view;
  view.fov = {-0.9f, 0.3f, kHalfFov, -kHalfFov};
  render::OffscreenTarget target(context(), {kSize, kSize, 1});
  const auto picture = renderer().capture(target, scene, {&view, 1});
  const Centroid c = centroidOf(picture.at(0), true);
  ASSERT_GT(c.count, 50u);
  // x_ndc = (0 - (tanR + tanL)) / (tanR - tanL) for an object straight ahead.
  const double tl = std::tan(-0.9), tr = std::tan(0.3);
  const double expected = (1.0 + (-(tr + tl) / (tr - tl))) * 0.5 * kSize;
  EXPECT_NEAR(c.x, expected, 1.5);
  EXPECT_NEAR(c.y, kSize * 0.5, 1.5);
}

}  // namespace
}  // namespace pav::test
