// Each title's HUD per frame, against drawing the same frame without it (issue 14): the title
// set up and played by its bots for a few simulated seconds, its presenter's scene drawn mono
// through drawFrame, then the same with Presenter::hud laid out by ui::PanelLayer (the title's
// own string table, in Chinese) and drawn by the UI pipeline. The state moves on every frame
// (the next of a run of captured frames), so the HUD's numbers change as they do in play and
// their slots are laid out again.
//
//   BM_TitleFrame/<title>_scene   the title's scene alone
//   BM_TitleFrame/<title>_hud     the same with its HUD (the report prints the ratio)
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench_world.h"
#include "pav/core/strings.h"
#include "pav/core/title.h"
#include "pav/render/text.h"
#include "pav/titles.h"

namespace pav::bench {
namespace {

namespace ui = render::ui;

// A title's frames, captured every sixtieth of a second after 4 s of its bots' play.
struct TitleRun {
  std::unique_ptr<core::Title> title;
  std::unique_ptr<render::Presenter> presenter;
  std::vector<core::StateFrame> frames;
  core::StringTable strings;
};

TitleRun& run(const std::string& id, BenchWorld& w) {
  static std::vector<std::pair<std::string, std::unique_ptr<TitleRun>>> runs;
  for (auto& [name, r] : runs)
    if (name == id) return *r;
  titles::registerAll();
  auto r = std::make_unique<TitleRun>();
  r->title = core::createTitle(id);
  const int players = int(r->title->info().maxPlayers > 4 ? 4 : r->title->info().maxPlayers);
  r->title->setup({.players = players, .seed = 5, .skill = 1, .durationSeconds = 600});
  std::vector<core::InputFrame> inputs(static_cast<size_t>(players), core::InputFrame{});
  const auto tick = [&] {
    for (int p = 0; p < players; ++p) r->title->botInput(p, inputs[size_t(p)]);
    r->title->step(inputs);
  };
  const int rate = int(r->title->info().tickRateHz);
  for (int i = 0; i < 4 * rate; ++i) tick();
  for (int f = 0; f < 120; ++f) {
    for (int i = 0; i < rate / 60; ++i) tick();
    r->frames.push_back(core::captureNew(*r->title));
  }
  r->presenter = titles::makePresenter(*r->title, 0);
  std::vector<render::MeshId> ids;
  for (const render::MeshData& m : r->presenter->meshes()) ids.push_back(w.renderer.loadMesh(m));
  r->presenter->setMeshes(ids);
  r->strings = core::StringTable::load(std::string(PAV_ASSET_DIR) + "/" + id + "/strings.json");
  runs.emplace_back(id, std::move(r));
  return *runs.back().second;
}

void BM_TitleFrame(benchmark::State& state, const char* id, bool withHud) {
  BenchWorld* w = BenchWorld::get(state);
  if (!w) return;
  guarded(state, [&] {
    TitleRun& r = run(id, *w);
    static std::optional<render::FontSet> fonts;
    static std::optional<render::GlyphAtlas> atlas;
    static std::optional<ui::PanelLayer> layer;
    if (!layer) fonts.emplace(), atlas.emplace(*fonts), layer.emplace(*fonts, *atlas);
    render::Scene scene;
    scene.draws.reserve(1024);
    scene.ui.reserve(4096);
    render::View view;
    const render::HudContext context{.lang = core::Lang::Zh, .strings = &r.strings, .secondsLeft = 95};
    size_t i = 0;
    const auto frame = [&] {
      const core::StateFrame& s = r.frames[i];
      i = (i + 1) % r.frames.size();
      r.presenter->present(s, scene, view, 1.0f);  // the target is square
      if (!withHud) return;
      layer->begin(view.pose);
      render::HudContext c = context;
      c.head = view.pose;
      r.presenter->hud(s, c, *layer);
      layer->emit(scene);
    };
    for (size_t k = 0; k < r.frames.size(); ++k) frame();  // laid out once, the atlas warm
    for (int k = 0; k < 3; ++k) w->renderer.drawFrame(w->monoTarget, scene, {&view, 1});
    w->renderer.waitIdle();
    for (auto _ : state) {
      frame();
      if (!w->renderer.drawFrame(w->monoTarget, scene, {&view, 1})) {
        state.SkipWithError("the offscreen target skipped a frame");
        break;
      }
    }
    w->renderer.waitIdle();
    state.counters["draws"] = double(scene.draws.size());
    state.counters["ui_quads"] = double(scene.ui.size());
  });
}

}  // namespace

BENCHMARK_CAPTURE(BM_TitleFrame, hockey_scene, "hockey", false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_TitleFrame, hockey_hud, "hockey", true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_TitleFrame, driving_scene, "driving", false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_TitleFrame, driving_hud, "driving", true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_TitleFrame, cycling_scene, "cycling", false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_TitleFrame, cycling_hud, "cycling", true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_TitleFrame, balloons_scene, "balloons", false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_TitleFrame, balloons_hud, "balloons", true)->Unit(benchmark::kMicrosecond);

}  // namespace pav::bench
