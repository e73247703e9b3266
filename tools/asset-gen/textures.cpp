// The procedural textures (textures.h), colours as sRGB-encoded bytes (how a PNG holds a base
// colour texture): value noise from an integer hash (no generator state,
// so every run and every machine makes the same bytes), shapes drawn by distance per pixel,
// and PNG encoding through stb_image_write (libstb-dev) into memory.
#include "textures.h"

#include <stb_image_write.h>

#include <algorithm>
#include <cmath>

namespace pav::assetgen {
namespace {

uint32_t hash(uint32_t x, uint32_t y, uint32_t seed) {
  uint32_t h = x * 0x8da6b343u ^ y * 0xd8163841u ^ seed * 0xcb1ab31fu;
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  h ^= h >> 15;
  return h;
}
float white(uint32_t x, uint32_t y, uint32_t seed) { return float(hash(x, y, seed) & 0xffffu) / 65535.0f; }

// Value noise that tiles with period `period` cells, smoothly interpolated.
float noise(float x, float y, uint32_t period, uint32_t seed) {
  const float fx = std::floor(x), fy = std::floor(y);
  const float tx = x - fx, ty = y - fy;
  const auto cell = [&](float cx, float cy) {
    const auto wrap = [&](float v) { return uint32_t(int64_t(v) % int64_t(period) + period) % period; };
    return white(wrap(cx), wrap(cy), seed);
  };
  const float sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty);
  const float a = cell(fx, fy) + (cell(fx + 1, fy) - cell(fx, fy)) * sx;
  const float b = cell(fx, fy + 1) + (cell(fx + 1, fy + 1) - cell(fx, fy + 1)) * sx;
  return a + (b - a) * sy;
}

// Octaves of noise over a square of `size` pixels that tiles.
float fractal(uint32_t x, uint32_t y, uint32_t size, uint32_t baseCells, uint32_t seed) {
  float sum = 0, amp = 0.5f, norm = 0;
  for (uint32_t o = 0, cells = baseCells; o < 4; ++o, cells *= 2) {
    sum += amp * noise(float(x) * float(cells) / float(size), float(y) * float(cells) / float(size), cells, seed + o);
    norm += amp;
    amp *= 0.5f;
  }
  return sum / norm;
}

struct Canvas {
  TextureImage img;
  Canvas(std::string name, uint32_t w, uint32_t h) : img{std::move(name), w, h, std::vector<uint8_t>(size_t(w) * h * 4)} {}
  void set(uint32_t x, uint32_t y, glm::vec3 c) {
    uint8_t* p = &img.rgba[(size_t(y) * img.width + x) * 4];
    for (int i = 0; i < 3; ++i) p[i] = uint8_t(std::lround(std::clamp(c[i], 0.0f, 1.0f) * 255.0f));
    p[3] = 255;
  }
  template <class F>
  TextureImage fill(F colour) {
    for (uint32_t y = 0; y < img.height; ++y)
      for (uint32_t x = 0; x < img.width; ++x) set(x, y, colour(x, y));
    return std::move(img);
  }
};

float smoothBand(float d, float halfWidth, float soft) { return std::clamp((halfWidth - std::abs(d)) / soft + 0.5f, 0.0f, 1.0f); }

}  // namespace

std::vector<TextureImage> allTextures() {
  std::vector<TextureImage> out;
  // Asphalt: u across the road (0 left edge .. 1 right edge), v along it, one dash a tile.
  out.push_back(Canvas("asphalt", 256, 256).fill([](uint32_t x, uint32_t y) {
    const float grit = fractal(x, y, 256, 16, 11) * 0.7f + white(x, y, 12) * 0.3f;
    glm::vec3 c = glm::vec3(0.30f + 0.1f * grit, 0.30f + 0.1f * grit, 0.32f + 0.1f * grit);
    const float u = (float(x) + 0.5f) / 256.0f, v = (float(y) + 0.5f) / 256.0f;
    const float edge = std::max(smoothBand(u - 0.04f, 0.012f, 0.004f), smoothBand(u - 0.96f, 0.012f, 0.004f));
    const float dash = v < 0.55f ? smoothBand(u - 0.5f, 0.008f, 0.004f) : 0.0f;
    return glm::mix(c, glm::vec3(0.88f, 0.88f, 0.84f) * (0.9f + 0.1f * grit), std::max(edge, dash));
  }));
  out.push_back(Canvas("grass", 256, 256).fill([](uint32_t x, uint32_t y) {
    const float patches = fractal(x, y, 256, 4, 21), blades = white(x, y, 22);
    return glm::vec3(0.42f + 0.1f * patches, 0.58f + 0.12f * patches + 0.06f * blades, 0.34f + 0.06f * blades);
  }));
  // Kerb: four red and white stripes along u.
  out.push_back(Canvas("kerb", 128, 32).fill([](uint32_t x, uint32_t y) {
    const bool red = (x / 32) % 2 == 0;
    const float wear = 0.9f + 0.1f * fractal(x, y, 32, 4, 31);
    return (red ? glm::vec3(0.78f, 0.07f, 0.06f) : glm::vec3(0.92f, 0.92f, 0.92f)) * wear;
  }));
  // The air-hockey surface, u along the table (goals at u 0 and 1), v across it: a centre line,
  // a centre circle and a goal crease at each end, on a white field with a faint mottle.
  out.push_back(Canvas("hockey_surface", 512, 256).fill([](uint32_t x, uint32_t y) {
    const float u = (float(x) + 0.5f) / 512.0f * 2.0f - 1.0f, v = (float(y) + 0.5f) / 256.0f * 2.0f - 1.0f;
    const float px = 2.0f / 256.0f;  // one pixel in these units (across)
    glm::vec3 c = glm::vec3(0.92f, 0.95f, 0.98f) * (0.97f + 0.03f * fractal(x, y, 256, 8, 41));
    const float ax = u * 2.0f, ay = v;  // aspect-correct: the table is twice as long as wide
    const float centreLine = smoothBand(ax, 1.5f * px, px);
    const float circle = smoothBand(std::sqrt(ax * ax + ay * ay) - 0.35f, 1.5f * px, px);
    const float creaseL = smoothBand(std::sqrt((ax + 2.0f) * (ax + 2.0f) + ay * ay) - 0.45f, 1.5f * px, px);
    const float creaseR = smoothBand(std::sqrt((ax - 2.0f) * (ax - 2.0f) + ay * ay) - 0.45f, 1.5f * px, px);
    c = glm::mix(c, glm::vec3(0.75f, 0.08f, 0.08f), std::max(centreLine, circle));
    return glm::mix(c, glm::vec3(0.10f, 0.25f, 0.75f), std::max(creaseL, creaseR));
  }));
  // Wood: grain along u, rings wobbling with noise.
  out.push_back(Canvas("wood", 256, 256).fill([](uint32_t x, uint32_t y) {
    const float ring = std::sin((float(y) / 256.0f * 24.0f + 3.0f * fractal(x, y, 256, 4, 51)) * 6.2831853f);
    const float t = 0.5f + 0.5f * ring, fibre = white(x / 8, y, 52);
    return glm::mix(glm::vec3(0.42f, 0.27f, 0.15f), glm::vec3(0.62f, 0.44f, 0.27f), t * 0.8f + fibre * 0.2f);
  }));
  // Brushed metal: streaks along u; its metallic-roughness partner below.
  out.push_back(Canvas("metal", 128, 128).fill([](uint32_t x, uint32_t y) {
    const float streak = noise(float(x) / 32.0f, float(y) * 2.0f, 4, 61) * 0.6f + white(x, y, 62) * 0.4f;
    return glm::vec3(0.62f + 0.12f * streak, 0.63f + 0.12f * streak, 0.66f + 0.12f * streak);
  }));
  out.push_back(Canvas("metal_mr", 128, 128).fill([](uint32_t x, uint32_t y) {
    const float streak = noise(float(x) / 32.0f, float(y) * 2.0f, 4, 61);
    return glm::vec3(0.0f, 0.35f + 0.3f * streak, 1.0f);  // G roughness, B metallic (glTF)
  }));
  // A car's livery, white so a title tints it per seat: a pair of racing stripes along the
  // body (v along the car) and a roundel for the number on each side.
  out.push_back(Canvas("livery", 256, 256).fill([](uint32_t x, uint32_t y) {
    const float u = (float(x) + 0.5f) / 256.0f, v = (float(y) + 0.5f) / 256.0f;
    const float stripes = std::max(smoothBand(u - 0.42f, 0.04f, 0.004f), smoothBand(u - 0.58f, 0.04f, 0.004f));
    const float roundel = smoothBand(std::hypot(u - 0.5f, v - 0.5f) - 0.18f, 0.025f, 0.004f);
    return glm::mix(glm::vec3(0.95f), glm::vec3(0.12f), std::max(stripes, roundel));
  }));
  // A rider's jersey, white so a title tints it per rider: two dark bands and side panels.
  out.push_back(Canvas("jersey", 128, 128).fill([](uint32_t x, uint32_t y) {
    const float v = (float(y) + 0.5f) / 128.0f, u = (float(x) + 0.5f) / 128.0f;
    const float bands = std::max(smoothBand(v - 0.3f, 0.05f, 0.01f), smoothBand(v - 0.7f, 0.05f, 0.01f));
    const float panels = std::max(smoothBand(u - 0.05f, 0.05f, 0.01f), smoothBand(u - 0.95f, 0.05f, 0.01f));
    const float knit = 0.96f + 0.04f * white(x, y, 71);
    return glm::mix(glm::vec3(0.95f), glm::vec3(0.1f), std::max(bands, panels)) * knit;
  }));
  return out;
}

std::vector<uint8_t> encodePng(const TextureImage& image) {
  std::vector<uint8_t> out;
  stbi_write_png_to_func(
      [](void* context, void* data, int size) {
        auto* o = static_cast<std::vector<uint8_t>*>(context);
        o->insert(o->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
      },
      &out, int(image.width), int(image.height), 4, image.rgba.data(), int(image.width * 4));
  return out;
}

}  // namespace pav::assetgen
