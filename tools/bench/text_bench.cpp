// Text benchmarks (issue 14):
//
// Building the atlas for the common glyph set: a fresh 2048² GlyphAtlas filled with every glyph
// of kCommonText (printable ASCII, and the Chinese of the pavilion's screens and HUDs plus the
// most common characters: about 400 glyphs), rasterised as SDFs by FreeType. What a station
// pays once at start-up if it warms the atlas, or spread over the first frames if not.
//
// A HUD frame against the same frame without it: the demo scene drawn mono through drawFrame,
// and the same scene with a HUD like a driving title's (a world scoreboard, a head-locked
// speed panel with an RPM bar, eight lines of text) laid out by ui::PanelLayer and drawn by the
// UI pipeline. Steady state: the strings change a little every frame (the speed), as in play.
#include <array>
#include <cstdio>
#include <optional>
#include <vector>

#include "bench_world.h"
#include "pav/render/text.h"

namespace pav::bench {
namespace {

namespace ui = render::ui;

// Printable ASCII, then the Chinese a visitor reads, then the most common characters.
const char* const kCommonText =
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    "欢迎来到展馆您的体验将在秒后开始用控制器方向盘或自行车玩请准备三二一结束时间到进球比分第圈名次最快当前"
    "速度公里小时档位转功率瓦踏频距离坡度领先落后排名成绩胜利恭喜气球得分剩余冰球赛车骑行虚拟驾驶"
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
    "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
    "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特"
    "件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队"
    "南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风"
    "切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许"
    "步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列"
    "习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派"
    "层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";

void BM_AtlasBuildCommonGlyphs(benchmark::State& state) {
  guarded(state, [&] {
    render::FontSet fonts;
    std::vector<render::ShapedGlyph> glyphs;
    fonts.shape(kCommonText, glyphs);
    for (auto _ : state) {
      render::GlyphAtlas atlas(fonts);
      for (const render::ShapedGlyph& g : glyphs) atlas.get(g.font, g.glyph);
      benchmark::DoNotOptimize(atlas.pixels());
      state.counters["glyphs"] = double(atlas.used());
    }
    state.counters["missing"] = double(fonts.missingGlyphs());
  });
}

// The fonts, atlas and layer of the HUD benchmark, made once (fonts open in a few ms).
struct Hud {
  render::FontSet fonts;
  render::GlyphAtlas atlas{fonts};
  ui::PanelLayer layer{fonts, atlas};
  std::array<char, 32> speed{};

  void frame(const render::Pose& head, int i, render::Scene& scene) {
    layer.begin(head);
    render::Pose board;
    board.position = {0, 1.6f, -3.0f};
    layer.panel({.pose = board, .size = {1.4f, 0.5f}});
    layer.text(ui::slot("b.pos"), {-0.6f, 0.08f}, "名次 2/4  Position 2/4", {.height = 0.09f});
    layer.text(ui::slot("b.lap"), {-0.6f, -0.06f}, "第 2/3 圈  Lap 2/3", {.height = 0.09f});
    layer.text(ui::slot("b.best"), {-0.6f, -0.19f}, "最快 1:02.345  Best", {.height = 0.07f});
    render::Pose low;
    low.position = {0, -0.28f, -1.0f};
    layer.panel({.pose = low, .size = {0.42f, 0.16f}, .anchor = ui::Anchor::Head, .onTop = true});
    std::snprintf(speed.data(), speed.size(), "%d km/h", 100 + (i / 6) % 60);  // a new speed every 6 frames
    layer.text(ui::slot("h.speed"), {-0.19f, 0.02f}, speed.data(), {.height = 0.06f});
    layer.text(ui::slot("h.gear"), {0.15f, 0.02f}, "4", {.height = 0.08f});
    layer.text(ui::slot("h.unit"), {0.05f, 0.02f}, "档", {.height = 0.04f});
    layer.bar({0, -0.05f}, {0.38f, 0.025f}, 0.5f + 0.4f * float(i % 30) / 30.0f, {1, 0.55f, 0, 1}, {0.1f, 0.1f, 0.1f, 1});
    layer.text(ui::slot("h.rpm"), {-0.19f, -0.1f}, "转速 RPM", {.height = 0.03f});
    layer.emit(scene);
  }
};

void runHudFrames(benchmark::State& state, bool withHud) {
  BenchWorld* w = BenchWorld::get(state);
  if (!w) return;
  guarded(state, [&] {
    static std::optional<Hud> hud;
    if (!hud) hud.emplace();
    render::Scene scene = w->demoScene;  // a copy this benchmark may add UI to
    scene.ui.reserve(1024);
    const render::View view = demo::demoMonoView(1.0f);
    for (int i = 0; i < 4 && withHud; ++i) hud->frame(view.pose, i, scene);  // laid out, atlas warm
    for (int i = 0; i < 3; ++i) w->renderer.drawFrame(w->monoTarget, scene, {&view, 1});  // pipelines, buffers
    w->renderer.waitIdle();
    int i = 0;
    for (auto _ : state) {
      if (withHud) hud->frame(view.pose, i++, scene);
      if (!w->renderer.drawFrame(w->monoTarget, scene, {&view, 1})) {
        state.SkipWithError("the offscreen target skipped a frame");
        break;
      }
    }
    w->renderer.waitIdle();
    state.counters["ui_quads"] = double(scene.ui.size());
  });
}

void BM_DemoSceneNoHud(benchmark::State& state) { runHudFrames(state, false); }
void BM_DemoSceneWithHud(benchmark::State& state) { runHudFrames(state, true); }

}  // namespace

BENCHMARK(BM_AtlasBuildCommonGlyphs)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DemoSceneNoHud)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DemoSceneWithHud)->Unit(benchmark::kMicrosecond);

}  // namespace pav::bench
