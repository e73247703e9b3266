// The cycling HUD through the presenter's hud(), on a recording canvas: the shipped table has
// every key (how to play with controllers and on a bike), in both languages; the dash shows the
// rider's power and cadence (which now travel in the frame, through the network's codec too),
// speed, distance, grade, position and the gaps, ahead with "+" and behind with "-", in seconds
// or, with the chaser stopped, metres; the elevation strip has a marker per rider in their
// colour, in the order they ride; the finish ranking is the riders' by their riding times.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "pav/core/strings.h"
#include "pav/cycling/cycling.h"
#include "pav/net/snapshot.h"
#include "pav/render/presenter.h"
#include "recording_canvas.h"

namespace pav::cycling {
namespace {

using core::Lang;
using render::HudStage;
using test::RecordingCanvas;

const core::StringTable& table() {
  static const core::StringTable t = core::StringTable::load(std::string(PAV_TEST_ASSET_DIR) + "/cycling/strings.json");
  return t;
}
render::HudContext context(Lang lang, HudStage stage = HudStage::Playing) {
  return {.lang = lang, .strings = &table(), .stage = stage, .secondsLeft = 300};
}
core::InputFrame pedal(float watts, float rpm) {
  core::InputFrame in;
  in.pedalPowerWatts = watts, in.cadenceRpm = rpm;
  return in;
}
// What a station gets: the frame through the network's quantization.
core::StateFrame overTheNetwork(const core::Title& title) {
  core::StateSchema schema;
  title.describe(schema);
  const net::SnapshotCodec codec(schema);
  const core::StateFrame in = core::captureNew(title);
  net::QuantFrame q;
  codec.resize(q);
  codec.quantize(in, q);
  core::StateFrame out = in;
  codec.dequantize(q, out);
  return out;
}

TEST(CyclingHud, ShippedTableHasEveryKeyInBothLanguages) {
  for (const char* key : {"title.name", "howto.controllers.1", "howto.controllers.2", "howto.bike.1", "howto.bike.2"})
    EXPECT_TRUE(table().has(key)) << key;
  CyclingTitle title;
  title.setup({.players = 8, .seed = 1, .dataDir = PAV_TEST_ASSET_DIR});
  for (int seat : {-1, 0, 7})
    for (Lang lang : core::kLangs)
      for (HudStage stage : {HudStage::Start, HudStage::Playing, HudStage::Results}) {
        auto presenter = makeCyclingPresenter(title, seat);
        RecordingCanvas canvas;
        EXPECT_NO_THROW(presenter->hud(core::captureNew(title), context(lang, stage), canvas));
        EXPECT_FALSE(canvas.texts().empty());
        EXPECT_EQ(canvas.outsideAnyPanel(), 0);
      }
}

TEST(CyclingHud, PowerAndCadenceTravelInTheFrame) {
  CyclingTitle server, station;
  server.setup({.players = 8, .seed = 5}, Route::uniform(3000, 0.02));
  station.setup({.players = 8, .seed = 5}, Route::uniform(3000, 0.02));
  std::vector<core::InputFrame> in(8, pedal(0, 0));
  in[0] = pedal(312.4f, 87.6f);
  in[7] = pedal(2500.0f, 250.0f);  // the widest a frame carries
  in[3] = pedal(99999.0f, 900.0f);  // beyond it: clamped, not wrapped into the other field
  for (int t = 0; t < 30; ++t) server.step(in);
  EXPECT_FLOAT_EQ(server.stats(0).powerW, 312.4f);
  const core::StateFrame frame = overTheNetwork(server);
  station.apply(frame);
  EXPECT_EQ(station.stats(0).powerW, 312.0);
  EXPECT_EQ(station.stats(0).cadenceRpm, 88.0);
  EXPECT_EQ(station.stats(7).powerW, 2500.0);
  EXPECT_EQ(station.stats(7).cadenceRpm, 250.0);
  EXPECT_EQ(station.stats(3).powerW, kMaxPedalPowerW);
  EXPECT_EQ(station.stats(3).cadenceRpm, 250.0);
  EXPECT_EQ(station.stats(1).powerW, 0.0);
}

TEST(CyclingHud, TheDashShowsEffortRoadPositionAndGaps) {
  CyclingTitle title;
  title.setup({.players = 3, .seed = 2}, Route::uniform(5000, 0.05));
  title.placeRider(0, 1000, 10);
  title.placeRider(1, 1020, 10);  // 20 m ahead of seat 0
  title.placeRider(2, 950, 10);   // 50 m behind
  std::vector<core::InputFrame> in = {pedal(250, 90), pedal(250, 90), pedal(250, 90)};
  title.step(in);
  auto presenter = makeCyclingPresenter(title, 0);
  RecordingCanvas canvas;
  presenter->hud(overTheNetwork(title), context(Lang::En), canvas);
  EXPECT_TRUE(canvas.hasText("250 W"));
  EXPECT_TRUE(canvas.hasText("90 rpm"));
  EXPECT_TRUE(canvas.hasText("Grade 5.0%"));
  EXPECT_TRUE(canvas.hasText("1.00/5.0 km"));
  EXPECT_TRUE(canvas.hasText("2/3"));
  const auto* ahead = canvas.textAt(render::ui::slot("cycling.ahead"));
  const auto* behind = canvas.textAt(render::ui::slot("cycling.behind"));
  ASSERT_TRUE(ahead && behind);
  // 20 m at about 10 m/s is 2 s; 50 m is 5 s. Ahead is "+", behind "-".
  EXPECT_EQ(ahead->view().substr(0, 7), "Ahead +") << ahead->view();
  EXPECT_NEAR(std::atof(std::string(ahead->view().substr(7)).c_str()), 2.0, 0.1) << ahead->view();
  EXPECT_EQ(ahead->view().substr(ahead->view().size() - 2), " s");
  EXPECT_EQ(behind->view().substr(0, 8), "Behind -") << behind->view();
  EXPECT_NEAR(std::atof(std::string(behind->view().substr(8)).c_str()), 5.0, 0.25) << behind->view();
  // The leader has nobody ahead; the last nobody behind.
  canvas.clear();
  makeCyclingPresenter(title, 1)->hud(overTheNetwork(title), context(Lang::Zh), canvas);
  EXPECT_TRUE(canvas.hasText("第 1/3 名"));
  EXPECT_EQ(canvas.textAt(render::ui::slot("cycling.ahead")), nullptr);
  EXPECT_NE(canvas.textAt(render::ui::slot("cycling.behind"))->view().find("后车 -"), std::string_view::npos);
  EXPECT_TRUE(canvas.hasText("250 瓦") && canvas.hasText("踏频 90 转/分") && canvas.hasText("坡度 5.0%"));
  // Stopped riders: the gaps are in metres.
  title.placeRider(0, 1000, 0), title.placeRider(1, 1020, 0), title.placeRider(2, 950, 0);
  canvas.clear();
  makeCyclingPresenter(title, 0)->hud(overTheNetwork(title), context(Lang::En), canvas);
  EXPECT_EQ(canvas.textAt(render::ui::slot("cycling.ahead"))->view(), "Ahead +20 m");
  EXPECT_EQ(canvas.textAt(render::ui::slot("cycling.behind"))->view(), "Behind -50 m");
  // The elevation strip: its bars, then a marker per rider in their colour, left to right as they ride.
  ASSERT_EQ(canvas.panels().size(), 2u);
  std::vector<const RecordingCanvas::Rect*> markers;
  for (const auto& r : canvas.rects())
    if (r.panel == 1 && r.color.a == 1.0f) markers.push_back(&r);  // the bars are translucent
  ASSERT_EQ(markers.size(), 3u);
  auto markerOf = [&](glm::vec4 colour) {
    for (const auto* m : markers)
      if (m->color == colour) return m;
    return static_cast<const RecordingCanvas::Rect*>(nullptr);
  };
  const auto *m0 = markerOf({0.85f, 0.10f, 0.08f, 1}), *m1 = markerOf({0.10f, 0.35f, 0.85f, 1}), *m2 = markerOf({0.95f, 0.75f, 0.10f, 1});
  ASSERT_TRUE(m0 && m1 && m2) << "each rider's marker in the rider's colour";
  EXPECT_LT(m2->centre.x, m0->centre.x);
  EXPECT_LT(m0->centre.x, m1->centre.x);
  EXPECT_GT(m0->size.y, m1->size.y) << "the seat's own marker stands out";
}

TEST(CyclingHud, TheFinishRankingIsByRidingTime) {
  CyclingTitle title;
  title.setup({.players = 4, .seed = 8, .skill = 2}, Route::uniform(400, 0.01));
  std::vector<core::InputFrame> in(4);
  auto presenter = makeCyclingPresenter(title, 2);
  RecordingCanvas canvas;
  for (int t = 0; t < 60 * 120; ++t) {
    for (int p = 0; p < 3; ++p) title.botInput(p, in[size_t(p)]);
    in[3] = pedal(20, 40);  // seat 3 dawdles: it will not finish
    title.step(in);
  }
  ASSERT_TRUE(title.stats(0).finished && title.stats(1).finished && title.stats(2).finished);
  ASSERT_FALSE(title.stats(3).finished);
  std::vector<int> byTime = {0, 1, 2};
  std::sort(byTime.begin(), byTime.end(), [&](int a, int b) { return title.stats(a).timeS < title.stats(b).timeS; });
  byTime.push_back(3);
  presenter->hud(overTheNetwork(title), context(Lang::En, HudStage::Results), canvas);
  EXPECT_TRUE(canvas.hasText("Finish ranking"));
  const char* names[] = {"Red rider", "Blue rider", "Yellow rider", "Green rider"};
  for (size_t i = 0; i < 4; ++i) {
    const auto* name = canvas.textAt(render::ui::slot("cycling.name", uint32_t(i)));
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(name->view().substr(0, std::string_view(names[byTime[i]]).size()), names[byTime[i]]) << "row " << i;
  }
  EXPECT_TRUE(canvas.hasText("Yellow rider (you)"));
  EXPECT_NE(canvas.textAt(render::ui::slot("cycling.time", 3))->view().find("DNF"), std::string_view::npos);
  canvas.clear();
  presenter->hud(overTheNetwork(title), context(Lang::Zh, HudStage::Results), canvas);
  EXPECT_TRUE(canvas.hasText("终点排名") && canvas.hasText("黄色骑手（你）") && canvas.hasText("未完赛"));
}

}  // namespace
}  // namespace pav::cycling
