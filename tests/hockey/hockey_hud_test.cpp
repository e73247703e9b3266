// The hockey HUD through the presenter's hud(), on a recording canvas (no GPU, no font): the
// shipped string table has every key the HUD and the lobby need, in both languages; goals
// scored on a real table show on the scoreboard ("2 : 1", the visitor's own side first) and
// bring up the goal banner for about 2 s of the match's own clock, and not after; the
// scoreboard hangs over the far end facing the seat's visitor; the results say who won.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "pav/core/strings.h"
#include "pav/hockey/hockey.h"
#include "pav/hockey/hockey_present.h"
#include "recording_canvas.h"

namespace pav::hockey {
namespace {

using core::Lang;
using render::HudStage;
using test::RecordingCanvas;

const core::StringTable& table() {
  static const core::StringTable t = core::StringTable::load(std::string(PAV_TEST_ASSET_DIR) + "/hockey/strings.json");
  return t;
}

std::unique_ptr<core::Title> match() {
  auto t = makeHockeyTitle();
  t->setup({.players = 2, .seed = 5, .durationSeconds = 1e6});
  return t;
}

render::HudContext context(Lang lang, HudStage stage = HudStage::Playing, double secondsLeft = 125.3) {
  return {.lang = lang, .strings = &table(), .stage = stage, .secondsLeft = secondsLeft};
}

// Steps with both mallets parked until the goals counter moves (or 2 s pass), drawing the HUD
// every 8th tick (60 frames a second) on `canvas` through `draw`.
template <class Draw>
void playUntilGoal(core::Title& title, Draw&& draw) {
  const core::InputFrame idle[2]{};
  const uint64_t before = matchOf(title).goals;
  for (int i = 0; i < 960 && matchOf(title).goals == before; ++i) {
    title.step(idle);
    if (title.tick() % 8 == 0) draw();
  }
  ASSERT_EQ(matchOf(title).goals, before + 1) << "the shot should have scored";
}
void shootRight(core::Title& title) { placePuck(title, {{0.5f, 0.08f}, {6.0f, 0.0f}}); }  // left (red) scores
void shootLeft(core::Title& title) { placePuck(title, {{-0.5f, 0.08f}, {-6.0f, 0.0f}}); }  // right (blue) scores

TEST(HockeyHud, ShippedTableHasEveryKeyInBothLanguages) {
  const core::StringTable& t = table();
  for (const char* key : {"title.name", "howto.controllers.1", "howto.controllers.2"}) {
    EXPECT_TRUE(t.has(key)) << key;
    for (Lang lang : core::kLangs) EXPECT_FALSE(t.get(key, lang).empty()) << key;
  }
  EXPECT_EQ(t.get("title.name", Lang::Zh), "机器人空气曲棍球");
  // The HUD looks its ids up at its first frame: a key it needs missing from the table throws.
  auto title = match();
  for (int seat : {-1, 0, 1})
    for (Lang lang : core::kLangs)
      for (HudStage stage : {HudStage::Start, HudStage::Playing, HudStage::Results}) {
        auto presenter = makeHockeyPresenter(*title, seat);
        RecordingCanvas canvas;
        EXPECT_NO_THROW(presenter->hud(core::captureNew(*title), context(lang, stage), canvas));
        EXPECT_FALSE(canvas.texts().empty());
      }
  // A table without one of its keys fails at the first frame, naming the key.
  const auto partial = core::StringTable::parse(R"({"hud.score": {"zh": "{left} : {right}", "en": "{left} : {right}"}})", "partial.json");
  auto presenter = makeHockeyPresenter(*title, 0);
  RecordingCanvas canvas;
  const render::HudContext bad{.strings = &partial};
  try {
    presenter->hud(core::captureNew(*title), bad, canvas);
    ADD_FAILURE() << "a table missing the HUD's keys was accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("partial.json"), std::string::npos) << e.what();
  }
}

TEST(HockeyHud, ScoreboardShowsTheScoreAndTheTimeLeft) {
  auto title = match();
  auto spectator = makeHockeyPresenter(*title, -1), red = makeHockeyPresenter(*title, 0), blue = makeHockeyPresenter(*title, 1);
  RecordingCanvas canvas;
  core::StateFrame frame = core::captureNew(*title);
  auto drawAll = [&] { title->capture(frame); };
  shootRight(*title), playUntilGoal(*title, drawAll);
  shootRight(*title), playUntilGoal(*title, drawAll);
  shootLeft(*title), playUntilGoal(*title, drawAll);
  title->capture(frame);
  ASSERT_EQ(matchOf(*title).score[0], 2);
  ASSERT_EQ(matchOf(*title).score[1], 1);

  spectator->hud(frame, context(Lang::En), canvas);
  EXPECT_TRUE(canvas.hasText("2 : 1"));
  EXPECT_TRUE(canvas.hasText("2:06 left")) << "125.3 s left, rounded up";
  EXPECT_TRUE(canvas.hasText("Red") && canvas.hasText("Blue"));
  EXPECT_FALSE(canvas.hasText("You")) << "a spectator is nobody's side";
  EXPECT_EQ(canvas.outsideAnyPanel(), 0);
  canvas.clear();
  red->hud(frame, context(Lang::Zh), canvas);
  EXPECT_TRUE(canvas.hasText("2 : 1"));
  EXPECT_TRUE(canvas.hasText("剩余 2:06"));
  EXPECT_TRUE(canvas.hasText("红方") && canvas.hasText("你"));
  canvas.clear();
  blue->hud(frame, context(Lang::En), canvas);
  EXPECT_TRUE(canvas.hasText("1 : 2")) << "the blue seat's visitor reads their own score first";
  // A local game (no session clock) has no time line.
  canvas.clear();
  spectator->hud(frame, context(Lang::En, HudStage::Playing, -1), canvas);
  EXPECT_FALSE(canvas.hasText("left"));
}

TEST(HockeyHud, AGoalIsCheeredForAboutTwoSecondsAndNotAfter) {
  for (Lang lang : core::kLangs) {
    const std::string_view cheer = lang == Lang::Zh ? "进球！" : "GOAL!";
    auto title = match();
    auto presenter = makeHockeyPresenter(*title, 0);
    RecordingCanvas canvas;
    core::StateFrame frame = core::captureNew(*title);
    bool cheeredBefore = false;
    auto draw = [&] {
      title->capture(frame);
      canvas.clear();
      presenter->hud(frame, context(lang), canvas);
      cheeredBefore |= canvas.hasText(cheer);
    };
    draw();
    shootRight(*title);
    playUntilGoal(*title, draw);
    EXPECT_FALSE(cheeredBefore) << "no banner before the goal";
    const uint64_t goalTick = title->tick();
    // From the goal on, at 60 frames a second: the banner shows, then goes after about 2 s.
    const core::InputFrame idle[2]{};
    uint64_t firstSeen = 0, lastSeen = 0;
    for (int i = 0; i < 3 * 480; ++i) {
      if (title->tick() % 8 == 0) {
        draw();
        if (canvas.hasText(cheer)) {
          if (firstSeen == 0) firstSeen = title->tick();
          lastSeen = title->tick();
          EXPECT_EQ(canvas.panels().size(), 2u) << "the banner is a panel of its own";
        }
      }
      title->step(idle);
    }
    ASSERT_GT(firstSeen, 0u) << "the goal was never cheered";
    EXPECT_LE(firstSeen - goalTick, 8u) << "the banner comes up at the first frame after the goal";
    const double shown = double(lastSeen - goalTick) / kTickRateHz;
    EXPECT_GT(shown, 1.8);
    EXPECT_LT(shown, 2.05);
    EXPECT_EQ(matchOf(*title).goals, 1u) << "no second goal while the banner was timed";
    EXPECT_FALSE(canvas.hasText(cheer)) << "3 s after the goal the banner is gone";
    EXPECT_TRUE(canvas.hasText("1 : 0"));
  }
}

TEST(HockeyHud, ScoreboardHangsOverTheFarEndFacingTheVisitor) {
  auto title = match();
  const TableSpec& t = tableOf(*title);
  for (int seat : {0, 1, -1}) {
    auto presenter = makeHockeyPresenter(*title, seat);
    RecordingCanvas canvas;
    presenter->hud(core::captureNew(*title), context(Lang::En), canvas);
    ASSERT_EQ(canvas.panels().size(), 1u);
    const render::ui::PanelDesc& board = canvas.panels()[0];
    EXPECT_EQ(board.anchor, render::ui::Anchor::World);
    EXPECT_GT(board.pose.position.y, t.surfaceHeight + 0.3f) << "above the table";
    const glm::vec3 front = board.pose.orientation * glm::vec3(0, 0, 1);  // the reader's side
    glm::vec3 reader;
    if (seat >= 0) {
      const float far = seat == 0 ? 1.0f : -1.0f;
      EXPECT_GT(board.pose.position.x * far, t.length * 0.5f) << "seat " << seat << ": beyond the far end";
      reader = seatEye(seat, t).position;
    } else {
      EXPECT_LT(board.pose.position.z, -t.width * 0.5f) << "the spectator's: beyond the far long side";
      render::View camera;
      render::Scene scene;
      presenter->present(core::captureNew(*title), scene, camera, 16.0f / 9.0f);
      reader = camera.pose.position;
    }
    EXPECT_GT(glm::dot(front, glm::normalize(reader - board.pose.position)), 0.9f) << "seat " << seat;
  }
}

TEST(HockeyHud, ResultsSayWhoWonAndTheLobbyShowsNothing) {
  auto title = match();
  const core::InputFrame idle[2]{};
  shootLeft(*title);
  playUntilGoal(*title, [] {});
  for (int i = 0; i < 10; ++i) title->step(idle);
  const core::StateFrame frame = core::captureNew(*title);
  RecordingCanvas canvas;
  makeHockeyPresenter(*title, -1)->hud(frame, context(Lang::En, HudStage::Results), canvas);
  EXPECT_TRUE(canvas.hasText("Final score"));
  EXPECT_TRUE(canvas.hasText("0 : 1"));
  EXPECT_TRUE(canvas.hasText("Blue wins!"));
  EXPECT_FALSE(canvas.hasText("GOAL!")) << "the first frame a presenter sees cheers nothing";
  canvas.clear();
  makeHockeyPresenter(*title, 0)->hud(frame, context(Lang::Zh, HudStage::Results), canvas);
  EXPECT_TRUE(canvas.hasText("终场比分"));
  EXPECT_TRUE(canvas.hasText("下次加油！"));
  canvas.clear();
  makeHockeyPresenter(*title, 1)->hud(frame, context(Lang::Zh, HudStage::Results), canvas);
  EXPECT_TRUE(canvas.hasText("你赢了！"));
  canvas.clear();
  makeHockeyPresenter(*title, 1)->hud(frame, context(Lang::Zh, HudStage::Lobby), canvas);
  EXPECT_TRUE(canvas.panels().empty()) << "the host draws the lobby";
  makeHockeyPresenter(*title, 1)->hud(frame, render::HudContext{}, canvas);
  EXPECT_TRUE(canvas.panels().empty()) << "no table, no words";
}

}  // namespace
}  // namespace pav::hockey
