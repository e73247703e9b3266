// A station's per-frame CPU for drawing a title: what the station does between receiving the
// session's state and handing a filled Scene to the renderer, for a four-car race (driving is
// the title whose state is heaviest to take in).
//
//   BM_StationFrameDriving          the presenter fills the scene from the networked state
//                                   (StateFrame) and the track, as a station does now
//   BM_StationFrameDrivingSecondSim the old way, kept as the baseline of the ratio: a second,
//                                   fully set-up title takes the state (Title::apply: every
//                                   wheel re-cast, each car found on the whole track) and the
//                                   presenter draws from the same frame
//
// Both replay the same two seconds of frames captured from a real race. The ratio line
// (bench_main.cpp) divides the two.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "pav/core/title.h"
#include "pav/driving/driving.h"
#include "pav/render/presenter.h"

#include "bench_support.h"

namespace pav::bench {
namespace {

// A race of four bots, ten seconds in (the pack spread out), and the next two seconds of its
// state at 60 Hz, as a station receives them.
struct CapturedRace {
  std::unique_ptr<core::Title> server = driving::makeDrivingTitle();
  std::vector<core::StateFrame> frames;

  CapturedRace() {
    const core::TitleSetup setup{.players = 4, .seed = 1, .skill = 1, .durationSeconds = 1e9};
    server->setup(setup);
    std::vector<core::InputFrame> inputs(4);
    const auto tick = [&] {
      for (int p = 0; p < 4; ++p) server->botInput(p, inputs[static_cast<size_t>(p)]);
      server->step(inputs);
    };
    const int rate = static_cast<int>(server->info().tickRateHz);
    for (int i = 0; i < 10 * rate; ++i) tick();
    core::StateSchema schema;
    server->describe(schema);
    for (int f = 0; f < 120; ++f) {
      for (int i = 0; i < rate / 60; ++i) tick();
      frames.emplace_back().resize(schema);
      server->capture(frames.back());
    }
  }
};

const CapturedRace& race() {
  static const CapturedRace r;
  return r;
}

// A station's presenter with made-up mesh ids (no GPU here: only the CPU side is timed).
std::unique_ptr<render::Presenter> stationPresenter(const core::Title& title) {
  std::unique_ptr<render::Presenter> presenter = driving::makeDrivingPresenter(title);
  std::vector<render::MeshId> ids;
  for (size_t i = 0; i < presenter->meshes().size(); ++i) ids.push_back({static_cast<uint32_t>(i)});
  presenter->setMeshes(ids);
  return presenter;
}

void BM_StationFrameDriving(benchmark::State& state) {
  const CapturedRace& r = race();
  const std::unique_ptr<render::Presenter> presenter = stationPresenter(*r.server);
  render::Scene scene;
  scene.draws.reserve(1024);
  render::View camera;
  size_t i = 0;
  presenter->present(r.frames[0], scene, camera, 16.0f / 9.0f);  // the scene's storage grown once
  const uint64_t news = processHeap().news;
  for (auto _ : state) {
    presenter->present(r.frames[i], scene, camera, 16.0f / 9.0f);
    benchmark::DoNotOptimize(scene.draws.data());
    i = (i + 1) % r.frames.size();
  }
  state.counters["draws"] = static_cast<double>(scene.draws.size());
  // Heap allocations a frame (0 in sanitizer builds, which count nothing here).
  state.counters["allocs_per_frame"] = double(processHeap().news - news) / double(state.iterations());
}

void BM_StationFrameDrivingSecondSim(benchmark::State& state) {
  const CapturedRace& r = race();
  std::unique_ptr<core::Title> shown = driving::makeDrivingTitle();
  shown->setup({.players = 4, .seed = 1, .skill = 1, .durationSeconds = 1e9});
  const std::unique_ptr<render::Presenter> presenter = stationPresenter(*shown);
  render::Scene scene;
  scene.draws.reserve(1024);
  render::View camera;
  size_t i = 0;
  for (auto _ : state) {
    shown->apply(r.frames[i]);
    presenter->present(r.frames[i], scene, camera, 16.0f / 9.0f);
    benchmark::DoNotOptimize(scene.draws.data());
    i = (i + 1) % r.frames.size();
  }
  state.counters["draws"] = static_cast<double>(scene.draws.size());
}

BENCHMARK(BM_StationFrameDriving)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StationFrameDrivingSecondSim)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pav::bench
