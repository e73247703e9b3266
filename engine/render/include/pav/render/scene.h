// What to draw, as plain data: meshes by handle, transforms, colours, one light, the sky. This header
// includes no Vulkan, so titles and tools can build scenes without seeing the GPU API.
#pragma once

#include <cstdint>
#include <vector>

#include <glm/glm.hpp>

namespace pav::render {

// A small typed handle (sokol style); a stale handle is detected by its generation.
struct MeshId {
  uint32_t index = UINT32_MAX;
  uint32_t generation = 0;
  bool valid() const { return index != UINT32_MAX; }
  bool operator==(const MeshId&) const = default;
};

// model and color are adjacent so the renderer pushes them to the GPU straight from here.
struct DrawItem {
  MeshId mesh;
  glm::mat4 model{1.0f};
  glm::vec4 color{1.0f};  // albedo, multiplied with the vertex colour; linear RGB
};

struct Light {
  glm::vec3 direction{-0.35f, -1.0f, -0.45f};  // the direction light travels
  glm::vec3 color{1.0f, 0.97f, 0.92f};
  // The ambient light's level. With a sky, its colour and direction come from the sky
  // (spherical harmonics of it, sky.cpp) scaled to this brightness; without, it is uniform.
  glm::vec3 ambient{0.18f, 0.2f, 0.24f};
};

// An analytic sky with the sun (in Light::direction), and distance fog that fades into the
// sky's colour at the horizon, so roads and tracks fade out instead of ending. Off, the
// background is Scene::clearColor and nothing fogs. Colours are linear.
struct Sky {
  bool enabled = false;
  glm::vec3 zenith{0.16f, 0.32f, 0.74f};
  glm::vec3 horizon{0.62f, 0.74f, 0.88f};
  glm::vec3 ground{0.22f, 0.22f, 0.2f};  // below the horizon
  float sunSize = 0.9995f;    // cosine of the sun disc's radius
  float sunGlow = 0.35f;      // the haze around the sun, relative to the light's colour
  float fogDensity = 0.0022f; // per metre: half the light is lost to fog in about 315 m
  float fogStart = 20.0f;     // metres of clear air before the fog begins
};

// The sun's shadows (shadows.cpp): cascaded maps over the first `distance` metres of the view,
// split between `cascades` maps (1..4) of `mapSize` texels, the finest nearest the eye. A table
// top wants 1 cascade over a few metres; a road 3 over 300 m. 0 cascades: no shadows.
struct Shadows {
  uint32_t cascades = 3;
  float distance = 300.0f;
};

class GlyphAtlas;  // pav/render/text.h

// What a visitor reads, as quads in the world (ui::PanelLayer in pav/render/text.h emits them;
// titles draw on ui::Canvas and never fill these themselves). Drawn after the opaque scene,
// alpha-blended in list order: world quads tested against the scene's depth without writing
// it, onTop ones over everything.
enum class UiKind : uint8_t {
  Rect,   // a filled rectangle with rounded corners (an analytic signed distance)
  Glyph,  // a glyph's cell of the atlas (a signed distance field)
};

struct UiQuad {
  glm::vec3 centre{0.0f};        // world, metres
  glm::vec3 axisX{0.5f, 0, 0};   // half the quad's width along its +x (the reader's right)
  glm::vec3 axisY{0, 0.5f, 0};   // half its height along its +y (up)
  glm::vec4 uv{0.0f};            // Glyph: atlas u0, v0 (top left), u1, v1
  glm::vec4 color{1.0f};         // linear RGBA
  glm::vec4 outline{0.0f};       // Glyph: outline colour (alpha 0: none)
  float radius = 0;              // Rect: corner radius in metres; Glyph: outline width in atlas texels
  UiKind kind = UiKind::Rect;
  bool onTop = false;            // drawn over the world whatever is in front
};

struct Scene {
  std::vector<DrawItem> draws;
  std::vector<UiQuad> ui;             // after the opaque draws; world ones first is cheapest
  GlyphAtlas* uiAtlas = nullptr;      // the atlas Glyph quads sample; the renderer uploads its changes
  Light light;
  Sky sky;
  Shadows shadows;
  glm::vec4 clearColor{0.55f, 0.68f, 0.85f, 1.0f};  // linear; the background where the sky is off
};

}  // namespace pav::render
