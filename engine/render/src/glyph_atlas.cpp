// GlyphAtlas: signed distance fields of glyphs in fixed cells of one R8 picture, rasterised
// on demand by FreeType's SDF renderer; the least recently used glyph gives up its cell.
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_MODULE_H

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>

#include "pav/core/error.h"
#include "pav/core/log.h"
#include "pav/render/text.h"
#include "text_local.h"

namespace pav::render {
namespace {

uint64_t keyOf(uint16_t font, uint32_t glyph) { return (uint64_t(font) << 32) | glyph; }
std::atomic<uint64_t> gSerial{0};

}  // namespace

GlyphAtlas::GlyphAtlas(FontSet& fonts, const AtlasDesc& desc) : fonts_(fonts), desc_(desc) {
  PAV_CHECK(desc.size >= 64 && desc.size <= 8192, "atlas: size %u out of 64..8192", desc.size);
  PAV_CHECK(desc.cell >= 16 && desc.cell <= desc.size, "atlas: cell %u out of 16..%u", desc.cell, desc.size);
  PAV_CHECK(desc.spread >= 2 && desc.spread <= 32, "atlas: spread %u out of 2..32", desc.spread);
  const uint32_t perRow = desc.size / desc.cell;
  pixels_.assign(size_t(desc.size) * desc.size, 0);
  cells_.resize(size_t(perRow) * perRow);
  index_.reserve(cells_.size());
  serial_ = ++gSerial;
  dirty_ = {0, 0, desc.size, desc.size};  // all of it, zeroes included, on first upload
  FT_Library lib = fonts.impl().library.get();
  FT_Int spread = static_cast<FT_Int>(desc.spread);
  FT_Property_Set(lib, "sdf", "spread", &spread);
  FT_Property_Set(lib, "bsdf", "spread", &spread);
}

GlyphAtlas::~GlyphAtlas() = default;

bool GlyphAtlas::contains(uint16_t font, uint32_t glyph) const { return index_.count(keyOf(font, glyph)) != 0; }

AtlasRect GlyphAtlas::takeDirty() {
  const AtlasRect r = dirty_;
  dirty_ = {};
  return r;
}

const AtlasGlyph& GlyphAtlas::get(uint16_t font, uint32_t glyph, uint32_t& hint) {
  const uint64_t key = keyOf(font, glyph);
  if (hint < cells_.size() && cells_[hint].key == key) {
    cells_[hint].lastUsed = clock_;
    return cells_[hint].glyph;
  }
  const auto found = index_.find(key);
  if (found != index_.end()) {
    hint = found->second;
    cells_[hint].lastUsed = clock_;
    return cells_[hint].glyph;
  }
  const uint32_t c = claimCell();
  Cell& cell = cells_[c];
  rasterise(font, glyph, cell, c);
  cell.key = key;
  cell.lastUsed = clock_;
  index_.emplace(key, c);
  hint = c;
  return cell.glyph;
}

// A free cell, else the least recently used one's (its glyph forgotten).
uint32_t GlyphAtlas::claimCell() {
  if (used_ < cells_.size()) return used_++;
  uint32_t oldest = 0;
  for (uint32_t i = 1; i < cells_.size(); ++i)
    if (cells_[i].lastUsed < cells_[oldest].lastUsed) oldest = i;
  index_.erase(cells_[oldest].key);
  cells_[oldest].key = UINT64_MAX;
  ++evictions_;
  return oldest;
}

void GlyphAtlas::rasterise(uint16_t font, uint32_t glyph, Cell& cell, uint32_t index) {
  const uint32_t perRow = desc_.size / desc_.cell;
  const uint32_t x0 = (index % perRow) * desc_.cell, y0 = (index / perRow) * desc_.cell;
  for (uint32_t y = 0; y < desc_.cell; ++y) std::memset(&pixels_[size_t(y0 + y) * desc_.size + x0], 0, desc_.cell);
  cell.glyph = {};
  ++rasterised_;
  ++generation_;
  dirty_ = dirty_.empty() ? AtlasRect{x0, y0, x0 + desc_.cell, y0 + desc_.cell}
                          : AtlasRect{std::min(dirty_.x0, x0), std::min(dirty_.y0, y0),
                                      std::max(dirty_.x1, x0 + desc_.cell), std::max(dirty_.y1, y0 + desc_.cell)};

  PAV_CHECK(font < fonts_.fontCount(), "atlas: font %u of %zu", font, fonts_.fontCount());
  FT_Face face = fonts_.impl().fonts[font].face.get();
  if (FT_Load_Glyph(face, glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0) {
    PAV_WARN("atlas: glyph %u of %s would not load", glyph, fonts_.fontPath(font).c_str());
    return;
  }
  FT_GlyphSlot slot = face->glyph;
  if (slot->format != FT_GLYPH_FORMAT_OUTLINE || slot->outline.n_points == 0) return;  // a space
  // bsdf: an antialiased raster first, then its distance field (FreeType picks the renderer by
  // the slot's format: a bitmap goes to "bsdf", an outline to "sdf").
  if ((!desc_.fromOutline && FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL) != 0) ||
      FT_Render_Glyph(slot, FT_RENDER_MODE_SDF) != 0) {
    PAV_WARN("atlas: glyph %u of %s would not render as a distance field", glyph, fonts_.fontPath(font).c_str());
    return;
  }
  const FT_Bitmap& bm = slot->bitmap;
  const uint32_t w = std::min<uint32_t>(bm.width, desc_.cell), h = std::min<uint32_t>(bm.rows, desc_.cell);
  if (w < bm.width || h < bm.rows)
    PAV_WARN("atlas: glyph %u of %s is %ux%u px, more than a cell (%u): cut", glyph, fonts_.fontPath(font).c_str(),
             bm.width, bm.rows, desc_.cell);
  for (uint32_t y = 0; y < h; ++y) {
    const uint8_t* src = bm.buffer + ptrdiff_t(y) * bm.pitch;
    std::memcpy(&pixels_[size_t(y0 + y) * desc_.size + x0], src, w);
  }
  const float s = float(desc_.size);
  cell.glyph = {float(x0) / s, float(y0) / s,           float(x0 + w) / s, float(y0 + h) / s,
                float(slot->bitmap_left), float(slot->bitmap_top), float(w), float(h)};
}

}  // namespace pav::render
