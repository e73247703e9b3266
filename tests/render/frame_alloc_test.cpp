// No heap allocation per frame once running: after a warm-up (pipelines made, meshes loaded),
// drawing frames of the demo scene, mono and stereo, and asking the shader watcher for news
// between them make no C++ heap allocation at all.
//
// Allocations are counted by tests/support (a replaced global operator new). The
// validation layer is C++ and would be counted too, so this test uses its own context with
// validation off (the other render tests keep it on). The driver (Mesa, C) allocates with
// malloc of its own and is not counted: the claim is about the engine's code.
#include <gtest/gtest.h>

#include "alloc_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>

#include "demo_scene.h"
#include "pav/render/render.h"


namespace pav::test {
namespace {

TEST(FrameAllocations, DrawingFramesAllocatesNothing) {
  render::ContextDesc desc;
  desc.validation = render::Toggle::Off;
  render::Context context(desc);
  render::Renderer renderer(context, {0, PAV_TEST_SHADER_DIR});
  const demo::DemoMeshes meshes = demo::loadDemoMeshes(renderer);
  render::Scene scene;
  scene.draws.reserve(64);
  render::OffscreenTarget mono(context, {160, 90, 1});
  render::OffscreenTarget stereo(context, {96, 96, 2});
  const render::View view = demo::demoMonoView(160.0f / 90.0f);
  const auto eyes = demo::demoStereoViews();

  // Warm-up: pipelines for both formats, every frame slot used once.
  for (int i = 0; i < 4; ++i) {
    demo::buildDemoScene(meshes, 0.1f * float(i), scene);
    ASSERT_TRUE(renderer.drawFrame(mono, scene, {&view, 1}));
    ASSERT_TRUE(renderer.drawFrame(stereo, scene, eyes));
  }

  // A desktop window also asks the shader watcher each frame (nothing changes under it here).
  render::ShaderWatcher watcher({.sourceDir = PAV_SHADER_SOURCE_DIR, .quietSeconds = 0.05});
  uint64_t allocations = 0;
  {
    pav::test::CountAllocations counting;
    for (int i = 0; i < 30; ++i) {
      EXPECT_EQ(watcher.apply(renderer), render::ShaderWatcher::Result::Unchanged);
      demo::buildDemoScene(meshes, 0.5f + 0.1f * float(i), scene);  // reuses the draw list
      renderer.drawFrame(mono, scene, {&view, 1});
      renderer.drawFrame(stereo, scene, eyes);
    }
    allocations = counting.count();
  }
  renderer.waitIdle();
  EXPECT_EQ(renderer.stats().framesDrawn, 68u);
  EXPECT_EQ(allocations, 0u) << "the per-frame path allocated on the heap";
}


}  // namespace
}  // namespace pav::test
