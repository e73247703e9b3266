// PlaySpace: the one mapping from the tracked play space to the scene's world and the title's
// coordinates, checked on its own (no runtime needed).
#include <gtest/gtest.h>

#include <cmath>

#include <glm/gtc/constants.hpp>

#include "pav/xr/play_space.h"

namespace pav::xr {
namespace {

void expectNear(const glm::vec3& a, const glm::vec3& b, float eps = 1e-5f) {
  EXPECT_NEAR(a.x, b.x, eps);
  EXPECT_NEAR(a.y, b.y, eps);
  EXPECT_NEAR(a.z, b.z, eps);
}

glm::quat yaw(float degrees) { return glm::angleAxis(glm::radians(degrees), glm::vec3(0, 1, 0)); }

TEST(PoseMath, ComposeThenInverseIsIdentity) {
  const render::Pose a{{1.0f, 2.0f, -3.0f}, glm::normalize(glm::quat(0.9f, 0.1f, 0.3f, -0.2f))};
  const render::Pose b{{-0.5f, 0.25f, 4.0f}, glm::normalize(glm::quat(0.5f, -0.5f, 0.2f, 0.7f))};
  const render::Pose ab = compose(a, b);
  const render::Pose back = compose(inverse(a), ab);
  expectNear(back.position, b.position);
  EXPECT_NEAR(std::abs(glm::dot(back.orientation, b.orientation)), 1.0f, 1e-5f);
  // a point b places at its origin lands where a maps b's position
  expectNear(ab.position, a.position + a.orientation * b.position);
}

TEST(PoseMath, YawOnlyKeepsTheHeadingAndDropsPitchAndRoll) {
  const glm::quat q = yaw(30.0f) * glm::angleAxis(glm::radians(-40.0f), glm::vec3(1, 0, 0)) *
                      glm::angleAxis(glm::radians(15.0f), glm::vec3(0, 0, -1));
  const glm::quat y = yawOnly(q);
  EXPECT_NEAR(std::abs(glm::dot(y, yaw(30.0f))), 1.0f, 1e-5f);
  // Looking straight down, the head's up vector gives the heading.
  const glm::quat down = yaw(-60.0f) * glm::angleAxis(glm::radians(-90.0f), glm::vec3(1, 0, 0));
  EXPECT_NEAR(std::abs(glm::dot(yawOnly(down), yaw(-60.0f))), 1.0f, 1e-4f);
}

TEST(PlaySpace, StandingPutsTheStageOriginOnTheFloorUnderTheEyeFacingItsWay) {
  // An eye 1.6 m up at x = -1.4 looking along +X and a little down (a hockey seat).
  const render::Pose eye = render::Pose::lookAt({-1.4f, 1.6f, 0.0f}, {0.0f, 0.8f, 0.0f});
  const PlaySpace s = PlaySpace::standingAt(eye, render::Pose{{0.0f, 0.8f, 0.0f}, {1, 0, 0, 0}});
  expectNear(s.origin.position, {-1.4f, 0.0f, 0.0f});
  // The stage's forward (-Z) is the world's +X; its right (+X) the world's +Z.
  expectNear(s.origin.orientation * glm::vec3(0, 0, -1), {1, 0, 0});
  expectNear(s.origin.orientation * glm::vec3(1, 0, 0), {0, 0, 1});
  // A hand 0.6 m ahead of the stage centre at 0.85 m: 0.8 m from the table's centre towards
  // the visitor, 5 cm above its surface.
  const render::Pose hand{{0.0f, 0.85f, -0.6f}, {1, 0, 0, 0}};
  expectNear(s.toWorld(hand).position, {-0.8f, 0.85f, 0.0f});
  expectNear(s.toTitle(hand).position, {-0.8f, 0.05f, 0.0f});
  // Velocities turn with the space but do not move.
  expectNear(s.vectorToTitle({0, 0, -2.0f}), {2.0f, 0, 0});
}

TEST(PlaySpace, SeatedPutsTheLocalOriginAtTheEye) {
  const render::Pose eye{{0.3f, 1.15f, 0.5f}, yaw(90.0f) * glm::angleAxis(0.2f, glm::vec3(1, 0, 0))};
  const PlaySpace s = PlaySpace::seatedAt(eye);
  const render::Pose head{};  // a recentered head sits at the origin facing -Z
  expectNear(s.toWorld(head).position, eye.position);
  expectNear(s.toWorld(head).orientation * glm::vec3(0, 0, -1), {-1, 0, 0});
  expectNear(s.toTitle(head).position, eye.position);  // title frame = world by default
}

}  // namespace
}  // namespace pav::xr
