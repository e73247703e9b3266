// The sky's uniforms: its colours, the fog, and the ambient light as spherical harmonics of
// the sky itself, so a surface is lit by what is seen behind it.
//
// skyRadiance here is shaders/sky.glsl's, in the same words (the sun's disc left out: it is
// too small to light anything as ambient). It is projected onto the nine L2 spherical
// harmonics by a fixed 16 x 32 quadrature over the sphere, convolved with the cosine lobe
// (Ramamoorthi and Hanrahan 2001: bands times 1, 2/3, 1/4 once divided by pi), and scaled so
// that its mean is as bright as Light::ambient says: titles keep the ambient level they chose,
// its colour and direction now come from the sky. Without a sky the ambient is Light::ambient
// from every side. Runs every frame: 512 evaluations, no allocation.
#include <algorithm>
#include <cmath>

#include <glm/gtc/constants.hpp>

#include "pav/render/renderer.h"

namespace pav::render {
namespace {

float luminance(const glm::vec3& c) { return 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b; }

glm::vec3 skyRadiance(const Scene& scene, const glm::vec3& dir) {
  const Sky& sky = scene.sky;
  const float up = dir.y;
  glm::vec3 c = up >= 0.0f ? glm::mix(sky.horizon, sky.zenith, std::pow(up, 0.45f))
                           : glm::mix(sky.horizon, sky.ground, std::min(-up * 12.0f, 1.0f));
  const float toSun = std::max(glm::dot(dir, -glm::normalize(scene.light.direction)), 0.0f);
  c += scene.light.color * sky.sunGlow * (0.25f * std::pow(toSun, 8.0f) + std::pow(toSun, 64.0f));
  return c;
}

// The L2 basis in the order shaders/pbr.glsl sums it.
void basis(const glm::vec3& n, float y[9]) {
  y[0] = 0.282095f;
  y[1] = 0.488603f * n.y;
  y[2] = 0.488603f * n.z;
  y[3] = 0.488603f * n.x;
  y[4] = 1.092548f * n.x * n.y;
  y[5] = 1.092548f * n.y * n.z;
  y[6] = 0.315392f * (3.0f * n.z * n.z - 1.0f);
  y[7] = 1.092548f * n.x * n.z;
  y[8] = 0.546274f * (n.x * n.x - n.y * n.y);
}

}  // namespace

void fillSkyUniforms(const Scene& scene, FrameUniforms& u) {
  const Sky& sky = scene.sky;
  const glm::vec3& ambient = scene.light.ambient;
  for (glm::vec4& c : u.ambientSH) c = glm::vec4(0.0f);
  if (!sky.enabled) {
    u.skyZenith = glm::vec4(0.0f);
    u.ambientSH[0] = glm::vec4(ambient / 0.282095f, 0.0f);  // the same from every side
    u.ambient.w = 0.0f;
    return;
  }
  u.skyZenith = glm::vec4(sky.zenith, 1.0f);
  u.skyHorizon = glm::vec4(sky.horizon, sky.sunSize);
  u.skyGround = glm::vec4(sky.ground, sky.sunGlow);
  u.fog = glm::vec4(std::max(sky.fogDensity, 0.0f), std::max(sky.fogStart, 0.0f), 0.0f, 0.0f);

  constexpr int kTheta = 16, kPhi = 32;
  const float dTheta = glm::pi<float>() / kTheta, dPhi = glm::two_pi<float>() / kPhi;
  glm::vec3 coeff[9]{};
  for (int i = 0; i < kTheta; ++i) {
    const float theta = (float(i) + 0.5f) * dTheta;
    const float weight = std::sin(theta) * dTheta * dPhi;
    for (int j = 0; j < kPhi; ++j) {
      const float phi = (float(j) + 0.5f) * dPhi;
      const glm::vec3 dir(std::sin(theta) * std::cos(phi), std::cos(theta), std::sin(theta) * std::sin(phi));
      const glm::vec3 radiance = skyRadiance(scene, dir) * weight;
      float y[9];
      basis(dir, y);
      for (int k = 0; k < 9; ++k) coeff[k] += radiance * y[k];
    }
  }
  // The sky's mean radiance is coeff[0] / (4 pi Y00); scaled to Light::ambient's level.
  const glm::vec3 mean = coeff[0] / (4.0f * glm::pi<float>() * 0.282095f);
  const float scale = luminance(mean) > 1e-6f ? luminance(ambient) / luminance(mean) : 0.0f;
  const float band[9] = {1.0f, 2.0f / 3, 2.0f / 3, 2.0f / 3, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f};
  for (int k = 0; k < 9; ++k) u.ambientSH[k] = glm::vec4(coeff[k] * band[k] * scale, 0.0f);
  u.ambient.w = scale;
}

}  // namespace pav::render
