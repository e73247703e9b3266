// Cameras as OpenXR describes views: a pose (position + orientation) and a field of view given
// as four angles, which may be asymmetric (XrFovf). View space is right-handed, +Y up, looking
// down -Z; projections map to Vulkan clip space (Y down, depth 0..1).
#pragma once

#include <array>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

namespace pav::render {

// Angles in radians; left and down are negative for a view that looks straight ahead.
struct Fov {
  float angleLeft = 0, angleRight = 0, angleUp = 0, angleDown = 0;
  static Fov symmetric(float verticalRadians, float aspect);  // aspect = width / height
};

struct Pose {
  glm::vec3 position{0.0f};
  glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};
  // A pose at `eye` looking at `target` with +Y up.
  static Pose lookAt(const glm::vec3& eye, const glm::vec3& target);
};

// One view of the scene: what the shaders get per eye.
struct View {
  Pose pose;
  Fov fov;
  float nearZ = 0.05f;
  float farZ = 200.0f;

  glm::mat4 viewMatrix() const;        // world -> view
  glm::mat4 projectionMatrix() const;  // view -> Vulkan clip
  glm::mat4 viewProjection() const { return projectionMatrix() * viewMatrix(); }
};

glm::mat4 projectionFromFov(const Fov& fov, float nearZ, float farZ);

// Two eyes `ipdMeters` apart along the head's +X axis, each with its own fov.
std::array<View, 2> stereoViews(const Pose& head, float ipdMeters, const Fov& left,
                                const Fov& right, float nearZ = 0.05f, float farZ = 200.0f);

}  // namespace pav::render
