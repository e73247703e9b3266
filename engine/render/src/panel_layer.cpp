// ui::PanelLayer: ui::Canvas laid out in metres on panels in the world (or hung from the head),
// each slot's text shaped once and kept, and the frame's quads handed to the Scene.
#include <algorithm>

#include "pav/render/text.h"

namespace pav::render::ui {
namespace {

// The outline's width: a tenth of the em, within what the distance field holds.
float outlineTexels(const GlyphAtlas& atlas, uint32_t basePx) {
  return std::min(0.1f * float(basePx), float(atlas.spread()) - 1.0f);
}

}  // namespace

PanelLayer::PanelLayer(FontSet& fonts, GlyphAtlas& atlas, uint32_t reserveQuads) : fonts_(fonts), atlas_(atlas) {
  quads_.reserve(reserveQuads);
  slots_.reserve(256);
}

void PanelLayer::begin(const Pose& head) {
  quads_.clear();
  head_ = head;
  havePanel_ = false;
  origin_ = glm::vec3(0.0f);
  axisX_ = {1, 0, 0};
  axisY_ = {0, 1, 0};
  onTop_ = false;
  stats_.quads = 0;
  stats_.panels = 0;
  atlas_.tick();
}

void PanelLayer::emit(Scene& scene) const {
  scene.ui.assign(quads_.begin(), quads_.end());  // within its capacity after the first frames
  scene.uiAtlas = &atlas_;
}

void PanelLayer::push(glm::vec2 centre, glm::vec2 half, const UiQuad& proto) {
  UiQuad q = proto;
  q.centre = origin_ + axisX_ * centre.x + axisY_ * centre.y;
  q.axisX = axisX_ * half.x;
  q.axisY = axisY_ * half.y;
  q.onTop = onTop_;
  quads_.push_back(q);
  stats_.quads = static_cast<uint32_t>(quads_.size());
}

void PanelLayer::panel(const PanelDesc& desc) {
  Pose p = desc.pose;
  if (desc.anchor == Anchor::Head) {
    p.position = head_.position + head_.orientation * desc.pose.position;
    p.orientation = head_.orientation * desc.pose.orientation;
  }
  origin_ = p.position;
  axisX_ = p.orientation * glm::vec3(1, 0, 0);
  axisY_ = p.orientation * glm::vec3(0, 1, 0);
  onTop_ = desc.onTop;
  havePanel_ = true;
  ++stats_.panels;
  if (desc.fill.a > 0) rect({0, 0}, desc.size, desc.fill, desc.cornerRadius);
}

void PanelLayer::rect(glm::vec2 centre, glm::vec2 size, glm::vec4 color, float cornerRadius) {
  if (size.x <= 0 || size.y <= 0 || color.a <= 0) return;
  UiQuad q;
  q.kind = UiKind::Rect;
  q.color = color;
  q.radius = std::clamp(cornerRadius, 0.0f, 0.5f * std::min(size.x, size.y));
  push(centre, 0.5f * size, q);
}

void PanelLayer::bar(glm::vec2 centre, glm::vec2 size, float fraction, glm::vec4 fill, glm::vec4 back) {
  const float radius = 0.3f * size.y;
  rect(centre, size, back, radius);
  const float f = std::clamp(fraction, 0.0f, 1.0f);  // NaN becomes 0 through the comparisons below
  if (!(f > 0)) return;
  const float w = size.x * f;
  rect({centre.x - 0.5f * size.x + 0.5f * w, centre.y}, {w, size.y}, fill, std::min(radius, 0.5f * w));
}

PanelLayer::Laid& PanelLayer::layout(Slot slot, std::string_view utf8, const TextStyle& style) {
  Laid& laid = slots_[slot];  // a node the first time a slot is seen, never again
  if (laid.valid && laid.style == style && std::string_view(laid.text) == utf8) return laid;
  laid.text.assign(utf8);
  laid.style = style;
  laid.advance = fonts_.shape(utf8, laid.glyphs);
  laid.cellHints.assign(laid.glyphs.size(), UINT32_MAX);
  laid.valid = true;
  ++stats_.layouts;
  return laid;
}

float PanelLayer::measure(Slot slot, std::string_view utf8, const TextStyle& style) {
  const Laid& laid = layout(slot, utf8, style);
  return laid.advance * style.height / float(fonts_.pixelSize());
}

void PanelLayer::text(Slot slot, glm::vec2 at, std::string_view utf8, const TextStyle& style) {
  Laid& laid = layout(slot, utf8, style);
  const float scale = style.height / float(fonts_.pixelSize());  // metres per base pixel
  const float width = laid.advance * scale;
  const float startX = at.x - (style.align == Align::Center ? 0.5f * width : style.align == Align::Right ? width : 0.0f);
  UiQuad q;
  q.kind = UiKind::Glyph;
  q.color = style.color;
  q.outline = style.outline;
  q.radius = style.outline.a > 0 ? outlineTexels(atlas_, fonts_.pixelSize()) : 0.0f;
  for (size_t i = 0; i < laid.glyphs.size(); ++i) {
    const ShapedGlyph& g = laid.glyphs[i];
    const AtlasGlyph& a = atlas_.get(g.font, g.glyph, laid.cellHints[i]);
    if (a.width <= 0 || a.height <= 0) continue;
    const float x = startX + (g.x + a.left) * scale;  // the bitmap's top-left corner
    const float y = at.y + (g.y + a.top) * scale;
    const glm::vec2 half{0.5f * a.width * scale, 0.5f * a.height * scale};
    q.uv = {a.u0, a.v0, a.u1, a.v1};
    push({x + half.x, y - half.y}, half, q);
  }
}

}  // namespace pav::render::ui
