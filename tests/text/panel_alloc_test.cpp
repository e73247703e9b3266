// No heap allocation in a steady HUD frame: after a warm-up, a frame of the panel layer (begin,
// panels, text of unchanged strings, bars, emit into the scene) and the renderer drawing it,
// mono and stereo, allocates nothing. Counted by tests/support's replaced operator new, with a
// context of its own with validation off (the layer is C++ and would be counted; the other UI
// tests keep it on).
#include <gtest/gtest.h>

#include "alloc_counter.h"
#include "pav/render/render.h"
#include "pav/render/text.h"

namespace pav::test {
namespace {

namespace ui = render::ui;

void hudFrame(ui::PanelLayer& layer, const render::Pose& head, int frame, render::Scene& scene) {
  layer.begin(head);
  render::Pose board;
  board.position = {0, 0.3f, -2};
  layer.panel({.pose = board, .size = {1.0f, 0.4f}});
  layer.text(ui::slot("score"), {0, 0.05f}, "3 : 2", {.height = 0.15f, .align = ui::Align::Center});
  layer.text(ui::slot("time"), {0, -0.12f}, "剩余 1:23", {.height = 0.07f, .align = ui::Align::Center});
  render::Pose low;
  low.position = {0, -0.3f, -1};
  layer.panel({.pose = low, .size = {0.4f, 0.15f}, .anchor = ui::Anchor::Head, .onTop = true});
  layer.text(ui::slot("speed"), {-0.15f, 0.0f}, "128 km/h", {.height = 0.05f});
  layer.bar({0, -0.05f}, {0.35f, 0.02f}, 0.3f + 0.01f * float(frame % 50), {1, 0.6f, 0, 1}, {0.1f, 0.1f, 0.1f, 1});
  layer.emit(scene);
}

TEST(HudAllocations, ASteadyHudFrameAllocatesNothing) {
  render::FontSet fonts;
  render::GlyphAtlas atlas(fonts);
  ui::PanelLayer layer(fonts, atlas);
  render::ContextDesc desc;
  desc.validation = render::Toggle::Off;
  render::Context context(desc);
  render::Renderer renderer(context, {0, PAV_TEST_SHADER_DIR});
  render::OffscreenTarget mono(context, {160, 90, 1});
  render::OffscreenTarget stereo(context, {96, 96, 2});
  render::View view;
  view.fov = render::Fov::symmetric(1.0f, 160.0f / 90.0f);
  const auto eyes = render::stereoViews(render::Pose{}, 0.064f, view.fov, view.fov);
  render::Scene scene;
  scene.ui.reserve(1024);
  for (int i = 0; i < 4; ++i) {  // warm-up: slots laid out, glyphs in the atlas, pipelines, buffers
    hudFrame(layer, view.pose, i, scene);
    ASSERT_TRUE(renderer.drawFrame(mono, scene, {&view, 1}));
    ASSERT_TRUE(renderer.drawFrame(stereo, scene, eyes));
  }
  const uint64_t layouts = layer.stats().layouts;
  const uint64_t rasterised = atlas.rasterised();
  uint64_t allocations = 0;
  {
    CountAllocations counting;
    for (int i = 0; i < 40; ++i) {
      hudFrame(layer, view.pose, i, scene);
      renderer.drawFrame(mono, scene, {&view, 1});
      renderer.drawFrame(stereo, scene, eyes);
    }
    allocations = counting.count();
  }
  renderer.waitIdle();
  EXPECT_EQ(allocations, 0u) << "a steady HUD frame allocated on the heap";
  EXPECT_EQ(layer.stats().layouts, layouts) << "unchanged strings were laid out again";
  EXPECT_EQ(atlas.rasterised(), rasterised);
  // Two backings, 3 + 6 + 7 glyphs (spaces draw nothing), a bar of two.
  EXPECT_EQ(renderer.stats().lastUiQuads, 20u);

  // A string that changes lays out only itself, and after its own warm-up allocates nothing
  // while it keeps changing within the capacity it has.
  hudFrame(layer, view.pose, 0, scene);
  layer.text(ui::slot("speed"), {-0.15f, 0.0f}, "129 km/h", {.height = 0.05f});
  EXPECT_EQ(layer.stats().layouts, layouts + 1);
}

}  // namespace
}  // namespace pav::test
