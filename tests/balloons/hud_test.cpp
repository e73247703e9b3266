// Balloon darts' HUD, the example of docs/new-title.md, on a recording canvas: the shipped
// table has every key in both languages; a visitor reads their score and the time left low in
// the view, a spectator every seat's score; the results list every seat's; and after a warm-up
// a HUD frame allocates nothing (counted where the sanitizers are off: PAV_COUNT_ALLOCATIONS).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pav/balloons/balloons.h"
#include "pav/core/strings.h"
#include "recording_canvas.h"
#ifdef PAV_COUNT_ALLOCATIONS
#include "alloc_counter.h"
#endif

namespace pav::balloons {
namespace {

using core::Lang;
using render::HudStage;

const core::StringTable& table() {
  static const core::StringTable t = core::StringTable::load(std::string(PAV_TEST_ASSET_DIR) + "/balloons/strings.json");
  return t;
}

// Two seats of bots for `seconds`; the frame at the end.
core::StateFrame played(core::Title& title, int seconds) {
  std::vector<core::InputFrame> in(2);
  for (int t = 0; t < seconds * static_cast<int>(kTickRateHz); ++t) {
    for (int s = 0; s < 2; ++s) title.botInput(s, in[size_t(s)]);
    title.step(in);
  }
  return core::captureNew(title);
}

TEST(BalloonsHud, ShowsTheScoreAndTheTimeInBothLanguages) {
  for (const char* key : {"title.name", "howto.controllers.1", "howto.controllers.2"}) EXPECT_TRUE(table().has(key)) << key;
  auto title = makeTitle();
  title->setup({.players = 2, .seed = 4, .skill = 2});
  const core::StateFrame frame = played(*title, 20);
  const int mine = static_cast<int>(frame.scalars[kScore0 + 1]), theirs = static_cast<int>(frame.scalars[kScore0]);
  ASSERT_GT(mine, 0) << "a hard bot pops balloons in 20 s";
  auto presenter = makePresenter(*title, 1);
  test::RecordingCanvas canvas;
  presenter->hud(frame, {.lang = Lang::En, .strings = &table(), .secondsLeft = 39.2}, canvas);
  ASSERT_EQ(canvas.panels().size(), 1u);
  EXPECT_EQ(canvas.panels()[0].anchor, render::ui::Anchor::Head);
  EXPECT_TRUE(canvas.hasText("Score " + std::to_string(mine)));
  EXPECT_TRUE(canvas.hasText("0:40 left"));
  EXPECT_EQ(canvas.texts().size(), 2u) << "a visitor reads their own score and the time";
  canvas.clear();
  presenter->hud(frame, {.lang = Lang::Zh, .strings = &table(), .secondsLeft = 39.2}, canvas);
  EXPECT_TRUE(canvas.hasText("得分 " + std::to_string(mine)));
  EXPECT_TRUE(canvas.hasText("剩余 0:40"));
  // A spectator: both seats; a local game: no time.
  canvas.clear();
  makePresenter(*title, -1)->hud(frame, {.lang = Lang::En, .strings = &table()}, canvas);
  EXPECT_TRUE(canvas.hasText("Score " + std::to_string(theirs)) && canvas.hasText("Score " + std::to_string(mine)));
  EXPECT_FALSE(canvas.hasText("left"));
  // The results: every seat, the visitor's marked.
  canvas.clear();
  presenter->hud(frame, {.lang = Lang::Zh, .strings = &table(), .stage = HudStage::Results}, canvas);
  EXPECT_TRUE(canvas.hasText("最终得分"));
  EXPECT_TRUE(canvas.hasText("1 号位"));
  EXPECT_TRUE(canvas.hasText("2 号位  你"));
  const auto* points = canvas.textAt(render::ui::slot("balloons.points", 1));
  ASSERT_NE(points, nullptr);
  EXPECT_EQ(points->view(), std::to_string(mine));
  // The host draws the lobby; without a table there are no words.
  canvas.clear();
  presenter->hud(frame, {.strings = &table(), .stage = HudStage::Lobby}, canvas);
  presenter->hud(frame, {}, canvas);
  EXPECT_TRUE(canvas.panels().empty());
}

#ifdef PAV_COUNT_ALLOCATIONS
TEST(BalloonsHud, SteadyHudFramesAllocateNothing) {
  auto title = makeTitle();
  title->setup({.players = 2, .seed = 4, .skill = 2});
  auto seat = makePresenter(*title, 0), spectator = makePresenter(*title, -1);
  test::RecordingCanvas canvas;
  core::StateFrame frame = core::captureNew(*title);
  std::vector<core::InputFrame> in(2);
  int frames = 0;
  uint64_t allocations = 0;
  bool counting = false;
  auto frameOnce = [&] {
    for (int k = 0; k < 2; ++k) {
      for (int s = 0; s < 2; ++s) title->botInput(s, in[size_t(s)]);
      title->step(in);
    }
    title->capture(frame);
    ++frames;
    const render::HudContext context{.lang = frames % 200 < 100 ? Lang::Zh : Lang::En, .strings = &table(),
                                     .stage = frames % 300 == 0 ? HudStage::Results : HudStage::Playing,
                                     .secondsLeft = 60.0 - frames / 60.0};
    canvas.clear();
    test::CountAllocations count;  // the HUD's calls only: the physics step is not what is measured
    seat->hud(frame, context, canvas);
    spectator->hud(frame, context, canvas);
    allocations += counting ? count.count() : 0;
  };
  for (int i = 0; i < 10; ++i) frameOnce();
  counting = true;
  for (int i = 0; i < 1500; ++i) frameOnce();
  EXPECT_GT(frame.scalars[kScore0], 0.0f);
  EXPECT_EQ(allocations, 0u) << "hud() allocated on the heap";
}
#endif

}  // namespace
}  // namespace pav::balloons
