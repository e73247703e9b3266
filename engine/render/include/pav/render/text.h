// Text for the visitor: fonts, shaping, a glyph atlas of signed distance fields, and the panel
// layer that turns what presenters and the host draw on ui::Canvas into the Scene's UI quads.
// Vulkan-free (the pav_text library, FreeType + HarfBuzz + fontconfig); titles never include
// it: they see only ui.h. The host owns one of each per view:
//
//   FontSet fonts({});                    // Noto Sans CJK SC via fontconfig, DejaVu Sans fallback
//   GlyphAtlas atlas(fonts, {});          // 2048² R8 SDF, filled on demand, LRU eviction
//   ui::PanelLayer layer(fonts, atlas);
//   per frame: layer.begin(head); presenter->hud(state, ctx, layer); layer.emit(scene);
//   renderer.drawFrame(target, scene, views);   // uploads the atlas where it changed
//
// Glyphs are rasterised once at a base size (FontDesc::pixelSize) into signed-distance-field
// cells by FreeType (FT_RENDER_MODE_SDF); the renderer draws them at any size with screen-space
// antialiasing and an outline. A glyph costs a few milliseconds of CPU the first time it is
// drawn (FreeType's distance transform), nothing after. A codepoint no font has draws the first font's .notdef (a hollow box) and is
// counted (FontSet::missingGlyphs) with a log line at most once a second.
//
// Text is laid out (shaped) only when a slot's string or style changes; a steady frame
// allocates nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pav/render/scene.h"
#include "pav/render/ui.h"

namespace pav::render {

// ---- Fonts -------------------------------------------------------------------------------------

// A font looked up through fontconfig, and the Debian package that provides it (named when it
// is missing).
struct FontFamily {
  std::string family;
  std::string package;
};

struct FontDesc {
  // Font files, in order of preference (a .ttc may end in "#<face index>"); each one must exist.
  // Empty: `families` through fontconfig.
  std::vector<std::string> paths;
  std::vector<FontFamily> families = {{"Noto Sans CJK SC", "fonts-noto-cjk"},
                                      {"DejaVu Sans", "fonts-dejavu-core"}};
  uint32_t pixelSize = 48;  // the size glyphs are shaped and rasterised at (the atlas's base size)
};

// One positioned glyph of a shaped line, at the base pixel size (pixels, y up, from the pen's
// start on the baseline).
struct ShapedGlyph {
  uint16_t font = 0;  // index into the FontSet
  uint32_t glyph = 0;  // glyph index in that font
  float x = 0, y = 0;  // pen position of this glyph
};

class FontSet {
 public:
  // Opens every font. Throws pav::Error naming the file or the family and the Debian package
  // that provides it when one cannot be found or opened.
  explicit FontSet(const FontDesc& desc = {});
  ~FontSet();
  FontSet(const FontSet&) = delete;
  FontSet& operator=(const FontSet&) = delete;

  // Shapes one line of UTF-8 into `out` (cleared first), each run with the first font that has
  // its characters; returns the advance in base pixels. Invalid UTF-8 bytes become U+FFFD.
  float shape(std::string_view utf8, std::vector<ShapedGlyph>& out);
  // Whether some font of the set has `codepoint`.
  bool covers(char32_t codepoint) const;

  size_t fontCount() const;
  const std::string& fontPath(size_t i) const;
  uint32_t pixelSize() const { return pixelSize_; }
  float ascender() const;   // base pixels, of the first font
  float descender() const;  // base pixels (negative)
  // Characters laid out that no font has (each drew the .notdef box), since start.
  uint64_t missingGlyphs() const { return missing_; }

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
  uint32_t pixelSize_ = 48;
  uint64_t missing_ = 0;
  double lastMissingLog_ = -1e9;
};

// ---- The glyph atlas -----------------------------------------------------------------------------

struct AtlasDesc {
  uint32_t size = 2048;  // square, single channel (R8)
  uint32_t cell = 72;    // every glyph gets a cell this big: base size + 2 x spread + margin
  uint32_t spread = 8;   // pixels of distance either side of the outline the field holds
  // How FreeType makes the field: false, its "bsdf" renderer from the glyph's antialiased
  // raster (about 3x faster); true, its "sdf" renderer from the outline itself (exact).
  bool fromOutline = false;
};

// Where a glyph sits in the atlas and how it is placed, in base pixels.
struct AtlasGlyph {
  float u0 = 0, v0 = 0, u1 = 0, v1 = 0;  // texture coordinates of the bitmap (v down)
  float left = 0, top = 0;                // bitmap's top-left corner from the pen (y up)
  float width = 0, height = 0;            // bitmap size in pixels (0: nothing to draw, a space)
};

// A rectangle of atlas pixels.
struct AtlasRect {
  uint32_t x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
};

// Single-channel SDF cells filled on demand; the least recently used glyph gives up its cell
// when the atlas is full. The CPU pixels, a dirty rectangle and a generation are what the
// renderer uploads (one renderer per atlas: it takes the dirty rectangle).
class GlyphAtlas {
 public:
  GlyphAtlas(FontSet& fonts, const AtlasDesc& desc = {});
  ~GlyphAtlas();
  GlyphAtlas(const GlyphAtlas&) = delete;
  GlyphAtlas& operator=(const GlyphAtlas&) = delete;

  // The glyph's cell, rasterised if it is not there (evicting the least recently used); marks
  // it used now. `cellHint` (from the last call for this glyph) skips the lookup when the
  // glyph still sits there. Allocates nothing once the atlas has its cells.
  const AtlasGlyph& get(uint16_t font, uint32_t glyph, uint32_t& cellHint);
  const AtlasGlyph& get(uint16_t font, uint32_t glyph) {
    uint32_t hint = UINT32_MAX;
    return get(font, glyph, hint);
  }
  bool contains(uint16_t font, uint32_t glyph) const;
  // Starts a frame: glyphs used from now on are more recent than any used before.
  void tick() { ++clock_; }

  uint32_t size() const { return desc_.size; }
  uint32_t spread() const { return desc_.spread; }
  uint32_t capacity() const { return static_cast<uint32_t>(cells_.size()); }
  uint32_t used() const { return used_; }
  const uint8_t* pixels() const { return pixels_.data(); }
  uint64_t generation() const { return generation_; }  // changes whenever pixels change
  uint64_t serial() const { return serial_; }          // distinct for each atlas made
  AtlasRect dirty() const { return dirty_; }
  // The renderer has copied the dirty rectangle: returns it and clears it.
  AtlasRect takeDirty();
  uint64_t rasterised() const { return rasterised_; }
  uint64_t evictions() const { return evictions_; }

 private:
  struct Cell {
    uint64_t key = UINT64_MAX;  // font << 32 | glyph
    uint64_t lastUsed = 0;
    AtlasGlyph glyph;
  };
  uint32_t claimCell();
  void rasterise(uint16_t font, uint32_t glyph, Cell& cell, uint32_t index);

  FontSet& fonts_;
  AtlasDesc desc_;
  std::vector<uint8_t> pixels_;
  std::vector<Cell> cells_;
  std::unordered_map<uint64_t, uint32_t> index_;  // key -> cell
  uint32_t used_ = 0;
  uint64_t clock_ = 1;
  uint64_t generation_ = 0, serial_ = 0;
  uint64_t rasterised_ = 0, evictions_ = 0;
  AtlasRect dirty_;
};

}  // namespace pav::render

namespace pav::render::ui {

struct PanelLayerStats {
  uint64_t layouts = 0;  // slot (re)layouts since start: shaping runs
  uint32_t quads = 0;    // quads of the last frame
  uint32_t panels = 0;   // panels of the last frame
};

// ui::Canvas for the host: keeps each slot's shaped line between frames, places panels in the
// world (head-anchored ones from begin()'s head pose), and emits the frame's quads.
class PanelLayer final : public Canvas {
 public:
  PanelLayer(FontSet& fonts, GlyphAtlas& atlas, uint32_t reserveQuads = 4096);

  // Starts a frame: forgets the last frame's quads; Anchor::Head panels hang from `head`.
  void begin(const Pose& head);
  // The frame's quads into scene.ui (its storage is reused) and the atlas into scene.uiAtlas.
  void emit(Scene& scene) const;

  void panel(const PanelDesc& desc) override;
  void rect(glm::vec2 centre, glm::vec2 size, glm::vec4 color, float cornerRadius = 0.0f) override;
  void bar(glm::vec2 centre, glm::vec2 size, float fraction, glm::vec4 fill, glm::vec4 back) override;
  void text(Slot slot, glm::vec2 at, std::string_view utf8, const TextStyle& style = {}) override;
  float measure(Slot slot, std::string_view utf8, const TextStyle& style = {}) override;

  std::span<const UiQuad> quads() const { return quads_; }
  const PanelLayerStats& stats() const { return stats_; }
  size_t slotCount() const { return slots_.size(); }

 private:
  struct Laid {
    std::string text;
    TextStyle style;
    std::vector<ShapedGlyph> glyphs;
    std::vector<uint32_t> cellHints;
    float advance = 0;  // base pixels
    bool valid = false;
  };
  Laid& layout(Slot slot, std::string_view utf8, const TextStyle& style);
  void push(glm::vec2 centre, glm::vec2 half, const UiQuad& proto);

  FontSet& fonts_;
  GlyphAtlas& atlas_;
  std::unordered_map<Slot, Laid> slots_;
  std::vector<UiQuad> quads_;
  Pose head_;
  // The current panel in the world.
  glm::vec3 origin_{0.0f}, axisX_{1, 0, 0}, axisY_{0, 1, 0};
  bool onTop_ = false;
  bool havePanel_ = false;
  PanelLayerStats stats_;
};

}  // namespace pav::render::ui
