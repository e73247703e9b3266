// Multiview stereo against mono: the demo scene drawn through Renderer::drawFrame into a mono
// target and into a two-layer multiview target of the same per-eye size.
//
// The goal is stereo at most 1.15x mono: multiview should record one pass for both
// eyes, so the CPU side should barely change; real time also shows the second layer's
// rasterisation, which on lavapipe is CPU work on the driver's own threads.
#include <array>

#include "bench_world.h"

namespace pav::bench {
namespace {

void runDemoFrames(benchmark::State& state, BenchWorld& w, render::Target& target,
                   std::span<const render::View> views) {
  guarded(state, [&] {
    w.renderer.waitIdle();  // start with nothing of the previous benchmark still executing
    for (auto _ : state) {
      if (!w.renderer.drawFrame(target, w.demoScene, views)) {
        state.SkipWithError("the offscreen target skipped a frame");
        break;
      }
    }
    w.renderer.waitIdle();
    const int64_t draws = static_cast<int64_t>(w.demoScene.draws.size());
    state.SetItemsProcessed(int64_t(state.iterations()) * draws);
    state.counters["views"] = static_cast<double>(views.size());
  });
}

void BM_MonoDemoScene(benchmark::State& state) {
  BenchWorld* w = BenchWorld::get(state);
  if (!w) return;
  const render::View view = demo::demoMonoView(1.0f);  // the mono target is square
  runDemoFrames(state, *w, w->monoTarget, {&view, 1});
}

void BM_StereoDemoScene(benchmark::State& state) {
  BenchWorld* w = BenchWorld::get(state);
  if (!w) return;
  const std::array<render::View, 2> eyes = demo::demoStereoViews();
  runDemoFrames(state, *w, w->stereoTarget, eyes);
}

}  // namespace

BENCHMARK(BM_MonoDemoScene)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StereoDemoScene)->Unit(benchmark::kMicrosecond);

}  // namespace pav::bench
