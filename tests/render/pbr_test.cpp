// Physically based materials, the sky and the fog, rendered on this machine's Vulkan device
// with the validation layer on:
// - a texture is really sampled: each quadrant of a textured quad shows its texel's colour,
//   tone mapped by the product's own toneMapNeutral, within 3 of 255;
// - a base colour texture is lit (each quadrant's dominant channel is its texel's);
// - mipmaps exist: a fine checker seen from afar averages to grey instead of aliasing;
// - fog: far ground fades into the sky's colour at the horizon, near ground keeps its own, and
//   without fog the far ground stays ground;
// - a mesh's materials are freed with it (the texture cache drops them).
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "pav/render/material.h"
#include "render_fixture.h"

namespace pav::test {
namespace {

constexpr uint32_t kSize = 200;

// sRGB byte <-> linear, as the target's format does it.
float toLinear(uint8_t c) {
  const float s = float(c) / 255.0f;
  return s <= 0.04045f ? s / 12.92f : std::pow((s + 0.055f) / 1.055f, 2.4f);
}
int toSrgbByte(float l) {
  l = std::clamp(l, 0.0f, 1.0f);
  const float s = l <= 0.0031308f ? l * 12.92f : 1.055f * std::pow(l, 1.0f / 2.4f) - 0.055f;
  return int(std::lround(s * 255.0f));
}

// A 4x4 texture of four 2x2 quadrants: top left, top right, bottom left, bottom right.
render::ImageRef quadrants(const uint8_t colors[4][3]) {
  std::vector<uint8_t> rgba(4 * 4 * 4);
  for (uint32_t y = 0; y < 4; ++y)
    for (uint32_t x = 0; x < 4; ++x) {
      const uint8_t* c = colors[(y / 2) * 2 + x / 2];
      uint8_t* p = &rgba[(y * 4 + x) * 4];
      p[0] = c[0], p[1] = c[1], p[2] = c[2], p[3] = 255;
    }
  return render::makeImage("quadrants", 4, 4, std::move(rgba));
}

// A 1 m quad facing the camera 1 m away (texture upright: row 0 at the top), nothing else lit.
render::Scene quadScene(render::MeshId quad) {
  render::Scene scene;
  scene.clearColor = {0, 0, 0, 1};
  scene.light.color = glm::vec3(0.0f);
  scene.light.ambient = glm::vec3(0.0f);
  scene.draws.push_back({quad, glm::rotate(glm::mat4(1), glm::radians(90.0f), glm::vec3(1, 0, 0)), {1, 1, 1, 1}});
  return scene;
}

render::View quadView() {
  render::View view;
  view.pose.position = {0, 0, 1.0f};
  view.fov = render::Fov::symmetric(glm::radians(60.0f), 1.0f);
  return view;
}

// The quadrants' centres in pixels: +-0.25 m at 1 m with a 60 degree field of view.
const uint32_t kCentres[4][2] = {{57, 57}, {143, 57}, {57, 143}, {143, 143}};

class Pbr : public RenderTest {};

TEST_F(Pbr, ATexturedQuadShowsItsTextureToneMapped) {
  const uint8_t colors[4][3] = {{230, 40, 30}, {30, 200, 60}, {40, 60, 220}, {240, 220, 40}};
  render::MeshData mesh = render::makePlane(1.0f);
  render::MaterialData material;
  material.baseColorFactor = {0, 0, 0, 1};  // no reflection: the pixel is the emissive texel alone
  material.emissiveFactor = glm::vec3(1.0f);
  material.emissiveTexture = quadrants(colors);
  mesh.materials.push_back(material);
  const render::MeshId quad = renderer().loadMesh(mesh);
  render::OffscreenTarget target(context(), {kSize, kSize, 1});
  const render::View view = quadView();
  const auto pictures = renderer().capture(target, quadScene(quad), {&view, 1});
  ASSERT_EQ(pictures.size(), 1u);
  writePng(artifactDir() + "/pbr-textured-quad.png", pictures[0]);
  for (int q = 0; q < 4; ++q) {
    const glm::vec3 linear(toLinear(colors[q][0]), toLinear(colors[q][1]), toLinear(colors[q][2]));
    const glm::vec3 shown = render::toneMapNeutral(linear);
    const uint8_t* got = pictures[0].pixel(kCentres[q][0], kCentres[q][1]);
    for (int c = 0; c < 3; ++c)
      EXPECT_NEAR(int(got[c]), toSrgbByte(shown[c]), 3) << "quadrant " << q << " channel " << c;
  }
  // Tone mapping is really applied: a bright red texel does not come out as it went in.
  EXPECT_NE(int(pictures[0].pixel(kCentres[0][0], kCentres[0][1])[1]), 40);
  renderer().waitIdle();
  renderer().unloadMesh(quad);
}

TEST_F(Pbr, ABaseColourTextureIsLit) {
  const uint8_t colors[4][3] = {{220, 20, 20}, {20, 220, 20}, {20, 20, 220}, {220, 220, 220}};
  render::MeshData mesh = render::makePlane(1.0f);
  render::MaterialData material;
  material.baseColorTexture = quadrants(colors);
  material.roughness = 1.0f;
  mesh.materials.push_back(material);
  const render::MeshId quad = renderer().loadMesh(mesh);
  render::OffscreenTarget target(context(), {kSize, kSize, 1});
  const render::View view = quadView();
  render::Scene scene = quadScene(quad);
  scene.light.ambient = glm::vec3(0.5f);
  const auto pictures = renderer().capture(target, scene, {&view, 1});
  ASSERT_EQ(pictures.size(), 1u);
  for (int q = 0; q < 3; ++q) {
    const uint8_t* got = pictures[0].pixel(kCentres[q][0], kCentres[q][1]);
    for (int c = 0; c < 3; ++c)
      if (c != q) {
        EXPECT_GT(int(got[q]), int(got[c]) + 60) << "quadrant " << q << " is not its texel's colour";
      }
  }
  const uint8_t* white = pictures[0].pixel(kCentres[3][0], kCentres[3][1]);
  EXPECT_GT(int(white[0]), 120);
  EXPECT_NEAR(int(white[0]), int(white[2]), 12) << "the white quadrant is tinted";
  renderer().waitIdle();
  renderer().unloadMesh(quad);
}

TEST_F(Pbr, MipmapsAverageAFineCheckerSeenFromAfar) {
  // A 256x256 one-texel black and white checker on a quad 40 m away covers a few pixels a
  // texel row: without mipmaps each pixel picks black or white; with them, grey.
  std::vector<uint8_t> rgba(256 * 256 * 4);
  for (uint32_t i = 0; i < 256 * 256; ++i) {
    const uint8_t v = ((i % 256) + (i / 256)) % 2 ? 255 : 0;
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  render::MeshData mesh = render::makePlane(1.0f);
  render::MaterialData material;
  material.baseColorFactor = {0, 0, 0, 1};
  material.emissiveFactor = glm::vec3(1.0f);
  material.emissiveTexture = render::makeImage("checker", 256, 256, std::move(rgba));
  mesh.materials.push_back(material);
  const render::MeshId quad = renderer().loadMesh(mesh);
  render::OffscreenTarget target(context(), {kSize, kSize, 1});
  render::View view = quadView();
  view.pose.position = {0, 0, 40.0f};
  const auto pictures = renderer().capture(target, quadScene(quad), {&view, 1});
  ASSERT_EQ(pictures.size(), 1u);
  const uint8_t* centre = pictures[0].pixel(kSize / 2, kSize / 2);
  // Half white in linear light, tone mapped: about 0.46 -> sRGB 180; black or white without mips.
  EXPECT_GT(int(centre[0]), 140);
  EXPECT_LT(int(centre[0]), 215);
  renderer().waitIdle();
  renderer().unloadMesh(quad);
}

// A huge grey ground under a sky of one colour (no gradient, no sun glow), the camera 2 m up
// looking at the horizon. Returns the sky just above the horizon, the ground just below it
// (about 150 m away) and the ground at the bottom of the picture (about 3.5 m away).
struct FogPixels {
  glm::ivec3 sky, far, near;
};
FogPixels fogPixels(render::Renderer& r, render::Context& c, render::MeshId ground, float density) {
  render::Scene scene;
  scene.sky.enabled = true;
  scene.sky.zenith = scene.sky.horizon = scene.sky.ground = {0.45f, 0.6f, 0.85f};
  scene.sky.sunGlow = 0.0f;
  scene.sky.sunSize = 1.0f;
  scene.sky.fogDensity = density;
  scene.light.direction = {0.3f, -1.0f, 0.2f};  // behind the camera: no sun in the picture
  scene.draws.push_back({ground, glm::mat4(1), {0.3f, 0.25f, 0.2f, 1}});
  render::View view;
  view.pose.position = {0, 2.0f, 0};
  view.fov = render::Fov::symmetric(glm::radians(60.0f), 1.0f);
  view.farZ = 5000.0f;
  render::OffscreenTarget target(c, {kSize, kSize, 1});
  const auto pictures = r.capture(target, scene, {&view, 1});
  EXPECT_EQ(pictures.size(), 1u);
  if (pictures.empty()) return {};
  writePng(artifactDir() + "/pbr-fog-" + std::to_string(int(density * 1000)) + ".png", pictures[0]);
  const auto at = [&](uint32_t y) {
    const uint8_t* p = pictures[0].pixel(kSize / 2, y);
    return glm::ivec3(p[0], p[1], p[2]);
  };
  return {at(kSize / 2 - 3), at(kSize / 2 + 2), at(kSize - 2)};
}

int maxDifference(const glm::ivec3& a, const glm::ivec3& b) {
  const glm::ivec3 d = glm::abs(a - b);
  return std::max(d.x, std::max(d.y, d.z));
}

TEST_F(Pbr, FogFadesFarGroundIntoTheSkyAtTheHorizon) {
  const render::MeshId ground = renderer().loadMesh(render::makePlane(8000.0f));
  const FogPixels fogged = fogPixels(renderer(), context(), ground, 0.05f);
  EXPECT_LE(maxDifference(fogged.far, fogged.sky), 4) << "far ground is not the sky's colour";
  EXPECT_GT(maxDifference(fogged.near, fogged.sky), 40) << "near ground is fogged too";
  const FogPixels clear = fogPixels(renderer(), context(), ground, 0.0f);
  EXPECT_GT(maxDifference(clear.far, clear.sky), 40) << "without fog far ground still looks like sky";
  EXPECT_LE(maxDifference(clear.near, fogged.near), 2) << "the fog reaches ground closer than fogStart";
  renderer().waitIdle();
  renderer().unloadMesh(ground);
}

TEST_F(Pbr, AMeshsMaterialsAndTexturesGoWithIt) {
  std::vector<uint8_t> texel = {10, 20, 30, 255};
  render::MeshData mesh = render::makeBox({1, 1, 1});
  render::MaterialData material;
  material.baseColorTexture = render::makeImage("one texel", 1, 1, texel);
  mesh.materials.push_back(material);
  const VkDeviceSize before = context().allocator().stats().usedBytes;
  const render::MeshId box = renderer().loadMesh(mesh);
  EXPECT_GT(context().allocator().stats().usedBytes, before);
  renderer().unloadMesh(box);
  renderer().waitIdle();
  EXPECT_EQ(context().allocator().stats().usedBytes, before) << "a mesh's material or texture outlived it";
}

}  // namespace
}  // namespace pav::test
