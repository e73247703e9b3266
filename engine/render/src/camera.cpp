// Camera maths. The projection follows OpenXR's convention for Vulkan: four tangents bound the
// frustum, clip Y points down and depth runs 0 (near) .. 1 (far).
#include "pav/render/camera.h"

#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

namespace pav::render {

Fov Fov::symmetric(float verticalRadians, float aspect) {
  const float halfV = verticalRadians * 0.5f;
  const float halfH = std::atan(std::tan(halfV) * aspect);
  return {-halfH, halfH, halfV, -halfV};
}

Pose Pose::lookAt(const glm::vec3& eye, const glm::vec3& target) {
  // glm::lookAt builds world->view; its inverse rotation is the camera's orientation.
  const glm::mat4 view = glm::lookAt(eye, target, glm::vec3(0, 1, 0));
  Pose p;
  p.position = eye;
  p.orientation = glm::quat_cast(glm::transpose(glm::mat3(view)));
  return p;
}

glm::mat4 View::viewMatrix() const {
  const glm::mat3 r = glm::mat3_cast(pose.orientation);
  const glm::mat3 rt = glm::transpose(r);
  glm::mat4 m(rt);
  m[3] = glm::vec4(-(rt * pose.position), 1.0f);
  return m;
}

glm::mat4 View::projectionMatrix() const { return projectionFromFov(fov, nearZ, farZ); }

glm::mat4 projectionFromFov(const Fov& fov, float n, float f) {
  const float l = std::tan(fov.angleLeft), r = std::tan(fov.angleRight);
  const float u = std::tan(fov.angleUp), d = std::tan(fov.angleDown);
  const float w = r - l, h = u - d;
  glm::mat4 m(0.0f);  // m[column][row]
  m[0][0] = 2.0f / w;
  m[2][0] = (r + l) / w;
  m[1][1] = -2.0f / h;  // Vulkan clip Y points down
  m[2][1] = -(u + d) / h;
  m[2][2] = f / (n - f);
  m[3][2] = n * f / (n - f);
  m[2][3] = -1.0f;
  return m;
}

std::array<View, 2> stereoViews(const Pose& head, float ipd, const Fov& left, const Fov& right,
                                float nearZ, float farZ) {
  const glm::vec3 offset = head.orientation * glm::vec3(ipd * 0.5f, 0.0f, 0.0f);
  std::array<View, 2> v;
  v[0].pose = {head.position - offset, head.orientation};
  v[1].pose = {head.position + offset, head.orientation};
  v[0].fov = left;
  v[1].fov = right;
  for (View& e : v) {
    e.nearZ = nearZ;
    e.farZ = farZ;
  }
  return v;
}

}  // namespace pav::render
