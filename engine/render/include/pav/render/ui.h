// What a visitor reads: panels, bars and text, described by presenters and the host without
// seeing a font, a glyph atlas or the GPU. This header is Vulkan-free and FreeType-free (the
// pav_scene library): a title's presenter draws its HUD through ui::Canvas, and the host's
// panel layer (ui::PanelLayer in pav/render/text.h) lays it out, keeps it between frames and
// hands the renderer textured quads.
//
//   canvas.panel({.pose = overTheTable, .size = {0.9f, 0.3f}});            // metres, world space
//   canvas.text(ui::slot("score"), {0, 0.02f}, score, {.height = 0.09f, .align = ui::Align::Center});
//   canvas.bar({0, -0.1f}, {0.8f, 0.02f}, rpmShare, kAmber, kDark);
//
// Panels are laid out in metres, in the panel's own plane: the origin at its centre, +x right,
// +y up, the reader in front of it on its +Z side. A panel anchored to the head (Anchor::Head)
// has its pose relative to the visitor's head (-Z ahead, +Y up): the host places it from each
// frame's head pose, so it stays where the visitor looks (view-locked). In a window the head is
// the camera.
//
// No heap allocation per frame once laid out: text is keyed by a Slot that names it across
// frames, and only a slot whose string or style changed is laid out (shaped) again.
#pragma once

#include <cstdint>
#include <string_view>

#include <glm/glm.hpp>

#include "pav/render/camera.h"

namespace pav::render::ui {

enum class Align : uint8_t { Left, Center, Right };

// Where a panel hangs.
enum class Anchor : uint8_t {
  World,  // pose in the scene's world (a scoreboard over the table, a banner at the start line)
  Head,   // pose relative to the visitor's head (a speedometer low in the view)
};

struct PanelDesc {
  Pose pose;                   // the panel's centre and orientation; the reader looks along its -Z
  glm::vec2 size{0.6f, 0.3f};  // metres
  Anchor anchor = Anchor::World;
  glm::vec4 fill{0.02f, 0.03f, 0.05f, 0.8f};  // linear RGBA; alpha 0: no backing
  float cornerRadius = 0.03f;                 // metres
  bool onTop = false;  // drawn over the world whatever is in front (head panels usually are)
};

struct TextStyle {
  float height = 0.05f;  // metres: the font's em size (a capital is about 0.7 of it)
  glm::vec4 color{1.0f, 1.0f, 1.0f, 1.0f};  // linear RGBA
  Align align = Align::Left;
  glm::vec4 outline{0.0f, 0.0f, 0.0f, 0.85f};  // an outline for any background; alpha 0: none
  bool operator==(const TextStyle&) const = default;
};

// A name for one piece of text across frames: slot("hud.speed"). FNV-1a of the name.
using Slot = uint32_t;
constexpr Slot slot(std::string_view name) {
  uint32_t h = 2166136261u;
  for (char c : name) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  return h;
}
// The n-th of a family of slots (the rows of a ranking): slot("rank") + n would collide less
// predictably; this mixes n in.
constexpr Slot slot(std::string_view name, uint32_t n) { return (slot(name) ^ (n * 0x9E3779B9u)) * 16777619u; }

// What presenters and the host draw on. Every call after panel() draws on that panel, in its
// metres, in call order (later on top). Calls allocate nothing once a slot's text is laid out.
class Canvas {
 public:
  virtual ~Canvas() = default;
  // Starts a panel.
  virtual void panel(const PanelDesc& desc) = 0;
  // A filled rectangle, its corners rounded by `cornerRadius` metres.
  virtual void rect(glm::vec2 centre, glm::vec2 size, glm::vec4 color, float cornerRadius = 0.0f) = 0;
  // A bar: `back` over the whole size, `fill` from the left edge over `fraction` (0..1) of it.
  virtual void bar(glm::vec2 centre, glm::vec2 size, float fraction, glm::vec4 fill, glm::vec4 back) = 0;
  // UTF-8 text on one line, its baseline through `at`, aligned there by style.align. Shaped
  // again only when the string or the style of `slot` differ from the last time it was drawn.
  virtual void text(Slot slot, glm::vec2 at, std::string_view utf8, const TextStyle& style = {}) = 0;
  // The width in metres `utf8` takes at `style` (laid out and kept under `slot`, like text()).
  virtual float measure(Slot slot, std::string_view utf8, const TextStyle& style = {}) = 0;
};

}  // namespace pav::render::ui
