// ui::PanelLayer on the CPU: panels placed in the world and from the head, bars split by their
// fraction, text aligned on its baseline, and a slot laid out again only when its string or
// style changes.
#include <gtest/gtest.h>

#include <algorithm>

#include <glm/gtc/quaternion.hpp>

#include "pav/render/text.h"

namespace pav::test {
namespace {

namespace ui = render::ui;

struct Layer {
  render::FontSet fonts;
  render::GlyphAtlas atlas{fonts, {.size = 1024, .cell = 72, .spread = 8}};
  ui::PanelLayer layer{fonts, atlas};
};

Layer& shared() {
  static Layer l;
  return l;
}

TEST(PanelLayer, AHeadPanelHangsFromTheHeadPose) {
  ui::PanelLayer& layer = shared().layer;
  render::Pose head;
  head.position = {1, 1.6f, 2};
  head.orientation = glm::angleAxis(glm::radians(90.0f), glm::vec3(0, 1, 0));  // looking down -X
  layer.begin(head);
  render::Pose ahead;
  ahead.position = {0, 0, -1};
  layer.panel({.pose = ahead, .size = {0.4f, 0.2f}, .anchor = ui::Anchor::Head, .onTop = true});
  ASSERT_EQ(layer.quads().size(), 1u);
  const render::UiQuad& q = layer.quads()[0];
  EXPECT_NEAR(q.centre.x, 0.0f, 1e-5f);  // a metre ahead of the head, which looks down -X
  EXPECT_NEAR(q.centre.y, 1.6f, 1e-5f);
  EXPECT_NEAR(q.centre.z, 2.0f, 1e-5f);
  EXPECT_NEAR(glm::length(q.axisX), 0.2f, 1e-5f);
  EXPECT_NEAR(q.axisX.z, -0.2f, 1e-5f);  // the panel's right is the head's right (-Z here)
  EXPECT_TRUE(q.onTop);
  EXPECT_EQ(q.kind, render::UiKind::Rect);
}

TEST(PanelLayer, ABarFillsItsFractionFromTheLeft) {
  ui::PanelLayer& layer = shared().layer;
  layer.begin({});
  render::Pose at;
  at.position = {0, 0, -2};
  layer.panel({.pose = at, .fill = {0, 0, 0, 0}});
  layer.bar({0.1f, 0}, {0.4f, 0.04f}, 0.25f, {1, 0, 0, 1}, {0.2f, 0.2f, 0.2f, 1});
  ASSERT_EQ(layer.quads().size(), 2u);  // back, fill (no backing: fill alpha 0)
  const render::UiQuad& back = layer.quads()[0];
  const render::UiQuad& fill = layer.quads()[1];
  EXPECT_NEAR(back.centre.x, 0.1f, 1e-6f);
  EXPECT_NEAR(fill.axisX.x, 0.05f, 1e-6f);           // a quarter of 0.4, halved
  EXPECT_NEAR(fill.centre.x - fill.axisX.x, -0.1f, 1e-6f);  // starts at the bar's left edge
  layer.begin({});
  layer.panel({.pose = at, .fill = {0, 0, 0, 0}});
  layer.bar({0, 0}, {0.4f, 0.04f}, 0.0f, {1, 0, 0, 1}, {0.2f, 0.2f, 0.2f, 1});
  EXPECT_EQ(layer.quads().size(), 1u) << "an empty bar draws no fill";
}

TEST(PanelLayer, CentredTextIsCentredAndMeasured) {
  ui::PanelLayer& layer = shared().layer;
  layer.begin({});
  layer.panel({.fill = {0, 0, 0, 0}});
  const ui::TextStyle style{.height = 0.1f, .align = ui::Align::Center};
  const float width = layer.measure(ui::slot("t.centre"), "中国中", style);
  EXPECT_NEAR(width, 0.3f, 0.005f);  // three ems
  layer.text(ui::slot("t.centre"), {0.5f, 0}, "中国中", style);
  ASSERT_EQ(layer.quads().size(), 3u);
  float minX = 1e9f, maxX = -1e9f;
  for (const render::UiQuad& q : layer.quads()) {
    EXPECT_EQ(q.kind, render::UiKind::Glyph);
    minX = std::min(minX, q.centre.x - q.axisX.x);
    maxX = std::max(maxX, q.centre.x + q.axisX.x);
  }
  EXPECT_NEAR(0.5f * (minX + maxX), 0.5f, 0.02f);  // the ink's middle on `at`
}

TEST(PanelLayer, AChangedStringLaysOutOnlyItsOwnSlot) {
  ui::PanelLayer& layer = shared().layer;
  const auto frame = [&](std::string_view speed) {
    layer.begin({});
    layer.panel({});
    layer.text(ui::slot("t.speed"), {0, 0}, speed);
    layer.text(ui::slot("t.lap"), {0, -0.1f}, "第 2/3 圈");
    layer.text(ui::slot("t.gear"), {0.2f, 0}, "3");
  };
  frame("128 km/h");
  const uint64_t laid = layer.stats().layouts;
  frame("128 km/h");
  frame("128 km/h");
  EXPECT_EQ(layer.stats().layouts, laid) << "unchanged text was laid out again";
  frame("129 km/h");
  EXPECT_EQ(layer.stats().layouts, laid + 1) << "one string changed: exactly one slot laid out";
  layer.begin({});
  layer.panel({});
  layer.text(ui::slot("t.gear"), {0.2f, 0}, "3", {.color = {1, 0, 0, 1}});
  EXPECT_EQ(layer.stats().layouts, laid + 2) << "a changed style lays out again";
}

}  // namespace
}  // namespace pav::test
