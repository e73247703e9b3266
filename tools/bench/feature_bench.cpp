// Feature costs (issue 15): the demo scene drawn mono through drawFrame with one feature on,
// next to the same scene and target without it, in one run, so each ratio compares frames
// drawn minutes apart at most: MSAA (4x against 1x, shadows off) and the sun's shadow maps
// (3 cascades against none, 1x). Real time is what lavapipe takes to execute the frames.
#include "bench_world.h"

namespace pav::bench {
namespace {

void BM_DemoFeature(benchmark::State& state) {
  BenchWorld* w = BenchWorld::get(state);
  if (!w) return;
  const uint32_t samples = static_cast<uint32_t>(state.range(0));
  const uint32_t cascades = static_cast<uint32_t>(state.range(1));
  guarded(state, [&] {
    render::OffscreenTarget target(w->context, {.width = kEyeSize, .height = kEyeSize, .viewCount = 1,
                                                .samples = samples});
    render::Scene scene = w->demoScene;
    scene.shadows.cascades = cascades;
    const render::View view = demo::demoMonoView(1.0f);
    w->renderer.drawFrame(target, scene, {&view, 1});  // pipelines made before timing
    w->renderer.waitIdle();
    for (auto _ : state) {
      if (!w->renderer.drawFrame(target, scene, {&view, 1})) {
        state.SkipWithError("the offscreen target skipped a frame");
        break;
      }
    }
    w->renderer.waitIdle();
    state.counters["samples"] = target.format().samples;
    state.counters["cascades"] = cascades;
  });
}

}  // namespace

// Pairs, the feature off first: msaa 1x/4x without shadows, then shadows 0/3 cascades at 1x.
BENCHMARK(BM_DemoFeature)->Args({1, 0})->Args({4, 0})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_DemoFeature)->Args({1, 0})->Args({1, 3})->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace pav::bench
