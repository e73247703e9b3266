// The driving HUD through the presenter's hud(), on a recording canvas: the shipped table has
// every key (and how to play with controllers and with a wheel), in both languages; the dash of
// a real race shows the car's speed, gear, RPM, lap and the position the title itself gives it;
// on a small oval the lap times the HUD derives from the frames match the title's own, the start
// lights go from red to green, and the classification at the end is the title's results.
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pav/core/strings.h"
#include "pav/driving/driving.h"
#include "pav/render/presenter.h"
#include "recording_canvas.h"

namespace pav::driving {
namespace {

using core::Lang;
using render::HudStage;
using test::RecordingCanvas;

const core::StringTable& table() {
  static const core::StringTable t = core::StringTable::load(std::string(PAV_TEST_ASSET_DIR) + "/driving/strings.json");
  return t;
}
render::HudContext context(Lang lang, HudStage stage = HudStage::Playing) {
  return {.lang = lang, .strings = &table(), .stage = stage, .secondsLeft = 90};
}

// A small oval: 150 m straights joined by 50 m-radius half circles, two laps.
Track oval() {
  std::string text = "name Oval\nlaps 2\n";
  auto point = [&](double x, double z) { text += std::to_string(x) + " " + std::to_string(z) + " 14 0 asphalt\n"; };
  for (int i = 0; i <= 3; ++i) point(0.0, 50.0 * i);
  for (int k = 1; k < 6; ++k) point(50.0 - 50.0 * std::cos(3.14159265 * k / 6), 150.0 + 50.0 * std::sin(3.14159265 * k / 6));
  for (int i = 3; i >= 0; --i) point(100.0, 50.0 * i);
  for (int k = 1; k < 6; ++k) point(50.0 + 50.0 * std::cos(3.14159265 * k / 6), -50.0 * std::sin(3.14159265 * k / 6));
  return Track::parse(text, "<oval>");
}

void botTick(DrivingTitle& title, std::vector<core::InputFrame>& in) {
  for (int p = 0; p < title.players(); ++p) title.botInput(p, in[size_t(p)]);
  title.step(in);
}

// "m:ss.mmm" at the end of a text, in seconds; -1 when there is none.
double clockAtEnd(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return -1;
  size_t start = colon;
  while (start > 0 && std::isdigit(static_cast<unsigned char>(text[start - 1]))) --start;
  return 60.0 * std::atof(std::string(text.substr(start, colon - start)).c_str()) +
         std::atof(std::string(text.substr(colon + 1)).c_str());
}

TEST(DrivingHud, ShippedTableHasEveryKeyInBothLanguages) {
  for (const char* key : {"title.name", "howto.controllers.1", "howto.controllers.2", "howto.wheel.1", "howto.wheel.2"}) {
    EXPECT_TRUE(table().has(key)) << key;
  }
  DrivingTitle title;
  title.setup({.players = 4, .seed = 2, .dataDir = PAV_TEST_ASSET_DIR});
  for (int seat : {-1, 0, 3})
    for (Lang lang : core::kLangs)
      for (HudStage stage : {HudStage::Start, HudStage::Playing, HudStage::Warning, HudStage::Results}) {
        auto presenter = makeDrivingPresenter(title, seat);
        RecordingCanvas canvas;
        EXPECT_NO_THROW(presenter->hud(core::captureNew(title), context(lang, stage), canvas));
        EXPECT_FALSE(canvas.texts().empty());
        EXPECT_EQ(canvas.outsideAnyPanel(), 0);
      }
}

TEST(DrivingHud, TheDashOfARealRaceShowsWhatTheTitleKnows) {
  DrivingTitle title;
  title.setup({.players = 4, .seed = 11, .skill = 2, .dataDir = PAV_TEST_ASSET_DIR});
  std::vector<core::InputFrame> in(4);
  std::vector<std::unique_ptr<render::Presenter>> seats;
  for (int p = 0; p < 4; ++p) seats.push_back(makeDrivingPresenter(title, p));
  core::StateFrame frame = core::captureNew(title);
  RecordingCanvas canvas;
  for (int t = 0; t < 20 * 240; ++t) {
    botTick(title, in);
    if (t % 4 == 0) {  // every seat's HUD follows the race at 60 frames a second
      title.capture(frame);
      for (auto& s : seats) canvas.clear(), s->hud(frame, context(Lang::En), canvas);
    }
  }
  title.capture(frame);
  for (int p = 0; p < 4; ++p) {
    const CarStatus car = title.car(p);
    SCOPED_TRACE("seat " + std::to_string(p));
    canvas.clear();
    seats[size_t(p)]->hud(frame, context(Lang::En), canvas);
    ASSERT_EQ(canvas.panels().size(), 1u);
    EXPECT_EQ(canvas.panels()[0].anchor, render::ui::Anchor::Head);
    EXPECT_LT(canvas.panels()[0].pose.position.y, -0.1f) << "low in the view";
    const auto* speed = canvas.textAt(render::ui::slot("driving.speed"));
    ASSERT_NE(speed, nullptr);
    EXPECT_NEAR(std::atof(std::string(speed->view()).c_str()), car.speed * 3.6, 1.0) << speed->view();
    EXPECT_GT(car.speed * 3.6, 60.0) << "20 s into the race every car is going";
    EXPECT_TRUE(canvas.hasText("Gear " + std::to_string(car.gear)));
    EXPECT_TRUE(canvas.hasText("km/h"));
    EXPECT_TRUE(canvas.hasText("Lap " + std::to_string(car.lapsDone + 1) + "/3"));
    EXPECT_TRUE(canvas.hasText("P" + std::to_string(car.racePosition) + "/4")) << "the title's own order";
    ASSERT_EQ(canvas.bars().size(), 1u);
    EXPECT_NEAR(canvas.bars()[0].fraction, car.engineRpm / title.tuning().limiterRpm, 0.05);
    EXPECT_TRUE(canvas.hasText("Best --")) << "no lap done yet";
    // The same in Chinese.
    canvas.clear();
    seats[size_t(p)]->hud(frame, context(Lang::Zh), canvas);
    EXPECT_TRUE(canvas.hasText(std::to_string(car.gear) + " 挡"));
    EXPECT_TRUE(canvas.hasText("第 " + std::to_string(car.racePosition) + "/4 名"));
    EXPECT_TRUE(canvas.hasText("公里/小时"));
  }
}

TEST(DrivingHud, LapsLightsAndTheClassificationOnASmallOval) {
  DrivingTitle title;
  title.setup({.players = 3, .seed = 4, .skill = 2}, oval());
  std::vector<core::InputFrame> in(3);
  auto driver = makeDrivingPresenter(title, 1), spectator = makeDrivingPresenter(title, -1);
  core::StateFrame frame = core::captureNew(title);
  RecordingCanvas canvas;
  // The start: five red lights while the host counts down.
  driver->hud(frame, context(Lang::En, HudStage::Start), canvas);
  spectator->hud(frame, context(Lang::En, HudStage::Start), canvas);
  ASSERT_EQ(canvas.rects().size(), 10u);
  for (const auto& r : canvas.rects()) EXPECT_GT(r.color.r, 0.9f) << "red before the start";
  EXPECT_TRUE(canvas.hasText("Get ready"));
  // With the time to the start known, the red lights come on one by one over the 3-2-1.
  std::vector<int> litSeen;
  for (double toStart : {2.9, 2.3, 1.7, 1.1, 0.5, 0.05}) {
    canvas.clear();
    render::HudContext c = context(Lang::En, HudStage::Start);
    c.secondsToStart = toStart;
    driver->hud(frame, c, canvas);
    ASSERT_EQ(canvas.rects().size(), 5u);
    int lit = 0;
    for (const auto& r : canvas.rects()) lit += r.color.r > 0.9f;
    litSeen.push_back(lit);
  }
  EXPECT_EQ(litSeen, (std::vector<int>{1, 2, 3, 4, 5, 5}));
  canvas.clear();
  int greenFrames = 0, frames = 0;
  double bestShown = -1;
  while (!title.finished() && title.tick() < 240u * 200) {
    botTick(title, in);
    if (title.tick() % 4) continue;
    title.capture(frame);
    canvas.clear();
    driver->hud(frame, context(Lang::En), canvas);
    spectator->hud(frame, context(Lang::Zh), canvas);
    ++frames;
    greenFrames += canvas.rects().size() == 10u && canvas.rects()[0].color.g > 0.9f ? 1 : 0;
    if (const auto* best = canvas.textAt(render::ui::slot("driving.best")); best && clockAtEnd(best->view()) > 0)
      bestShown = clockAtEnd(best->view());
  }
  ASSERT_TRUE(title.finished()) << title.results(false);
  EXPECT_NEAR(greenFrames, 90, 2) << "green for 1.5 s of the race, in both HUDs";
  // The best lap the HUD derived from frames is the title's own, to the tick.
  ASSERT_GT(title.car(1).bestLap, 0.0f);
  EXPECT_NEAR(bestShown, title.car(1).bestLap, 0.006);

  // The classification: the title's order, totals and best laps, over the last frame (the
  // server sends one when the title finishes).
  title.capture(frame);
  canvas.clear();
  spectator->hud(frame, context(Lang::En, HudStage::Results), canvas);
  EXPECT_TRUE(canvas.hasText("Race results"));
  const nlohmann::json results = nlohmann::json::parse(title.results(true));
  const char* names[] = {"Red car", "Blue car", "Yellow car", "Green car"};
  for (size_t i = 0; i < 3; ++i) {
    const auto& car = results["cars"][i];
    const int seat = car["seat"];
    SCOPED_TRACE("P" + std::to_string(i + 1));
    const auto* name = canvas.textAt(render::ui::slot("driving.name", uint32_t(i)));
    const auto* total = canvas.textAt(render::ui::slot("driving.total", uint32_t(i)));
    const auto* best = canvas.textAt(render::ui::slot("driving.best_row", uint32_t(i)));
    ASSERT_TRUE(name && total && best);
    EXPECT_EQ(name->view(), names[seat]);
    if (car["finished"]) EXPECT_NEAR(clockAtEnd(total->view()), double(car["timeS"]), 0.002) << total->view();
    else EXPECT_EQ(total->view(), "DNF");
    EXPECT_NEAR(clockAtEnd(best->view()), double(car["bestLapS"]), 0.002) << best->view();
  }
  // The seat's own row is marked, in Chinese too.
  canvas.clear();
  driver->hud(frame, context(Lang::Zh, HudStage::Results), canvas);
  EXPECT_TRUE(canvas.hasText("蓝车（你）"));
  EXPECT_TRUE(canvas.hasText("比赛成绩"));
  EXPECT_TRUE(canvas.hasText("第 1 名"));
  (void)frames;
}

}  // namespace
}  // namespace pav::driving
