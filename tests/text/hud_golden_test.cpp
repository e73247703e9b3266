// Golden pictures of what a visitor reads: each title's HUD over its own scene in both
// languages, and the host's session screens (the lobby, the 3-2-1 start, the time-up panel, the
// results), drawn by the pavilion program's own Viewer (offscreen, 960 x 540) on lavapipe with
// the Khronos validation layer on (a message fails the test). The titles are real: set up from
// the shipped data, played by their bots for a few simulated seconds, then captured.
//
// Tolerance: tests/support/golden_match.h. Text is a few percent of a picture: a missing or
// changed word fails it.
//
// To re-bless after an intended change: PAV_UPDATE_GOLDEN=1 ctest -R HudGolden, LOOK at the
// pictures under tests/golden/hud, and commit them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pav/core/title.h"
#include "pav/render/picture.h"
#include "../support/golden_match.h"
#include "pav/titles.h"
#include "session_screens.h"
#include "viewer.h"
#include "visitor_text.h"

namespace pav::tools {
namespace {

using core::Lang;
using render::HudStage;

struct Registered {
  Registered() { titles::registerAll(); }
};

std::string artifactDir() {
  const std::string dir = std::string(PAV_TEST_ARTIFACT_DIR) + "/hud";
  std::filesystem::create_directories(dir);
  return dir;
}

::testing::AssertionResult matchesGolden(const render::Picture& actual, const std::string& name) {
  return test::matchesGolden(actual, std::string(PAV_GOLDEN_DIR) + "/hud/" + name, artifactDir());
}

// One picture: a title set up and played by its bots for `seconds`, seen from `seat`, with the
// title's HUD at `stage` and the host's screens for `frame`.
struct Shot {
  std::string title;
  int players = 2;
  int seat = 0;
  double seconds = 6;
  HudStage stage = HudStage::Playing;
  ScreenFrame screen;
  double secondsLeft = 95;
  bool end = false;  // play the title to its end (the results)
};

class HudGolden : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { static const Registered registered; }

  render::Picture shoot(const Shot& s, Lang lang, const std::string& name) {
    std::unique_ptr<core::Title> title = core::createTitle(s.title);
    EXPECT_TRUE(title) << s.title;
    if (!title) return {};
    title->setup({.players = s.players, .seed = 7, .skill = 1, .durationSeconds = s.end ? 40.0 : 120.0});
    std::vector<core::InputFrame> inputs(size_t(s.players));
    const auto ticks = static_cast<uint64_t>(s.seconds * title->info().tickRateHz);
    for (uint64_t t = 0; t < ticks || (s.end && !title->finished()); ++t) {
      if (t > 200000) break;
      for (int p = 0; p < s.players; ++p) title->botInput(p, inputs[size_t(p)]);
      title->step(inputs);
    }
    const core::StateFrame state = core::captureNew(*title);
    const VisitorText text = loadVisitorText("", {s.title});
    SessionScreens screens(text.engine);
    screens.setTitle(text.title(s.title), s.title, VisitorDevice::Controllers);
    Viewer viewer(*title, {.validation = true}, false, true, s.seat);
    ScreenFrame frame = s.screen;
    frame.stage = s.stage;
    frame.lang = lang;
    viewer.text().set({.lang = lang, .strings = text.title(s.title), .stage = s.stage, .secondsLeft = s.secondsLeft},
                      &screens, frame, &text.engine);
    const std::string path = artifactDir() + "/" + name;
    viewer.shoot(path, state);
    EXPECT_EQ(viewer.validationMessages(), 0u) << name;
    EXPECT_EQ(viewer.text().fonts().missingGlyphs(), 0u) << name << ": a character drawn as a box";
    return render::readPng(path);
  }

  void check(const Shot& s, const std::string& stem) {
    for (Lang lang : core::kLangs) {
      const std::string name = stem + "-" + std::string(core::toString(lang)) + ".png";
      const render::Picture p = shoot(s, lang, name);
      ASSERT_FALSE(p.empty()) << name;
      EXPECT_TRUE(matchesGolden(p, name));
    }
  }
};

// ---- Each title's HUD while playing -------------------------------------------------------------

TEST_F(HudGolden, HockeyScoreboard) { check({.title = "hockey", .players = 2, .seconds = 20}, "hockey-playing"); }
TEST_F(HudGolden, DrivingDash) { check({.title = "driving", .players = 4, .seconds = 12}, "driving-playing"); }
TEST_F(HudGolden, CyclingDash) { check({.title = "cycling", .players = 4, .seconds = 30}, "cycling-playing"); }
TEST_F(HudGolden, BalloonsScore) { check({.title = "balloons", .players = 2, .seconds = 15}, "balloons-playing"); }

// ---- The session screens ----------------------------------------------------------------------

TEST_F(HudGolden, Lobby) {
  check({.title = "driving", .players = 4, .seconds = 0, .stage = HudStage::Lobby, .screen = {.secondsToStart = 8.2}},
        "lobby");
}
TEST_F(HudGolden, StartCountdown) {
  check({.title = "hockey", .players = 2, .seconds = 0, .stage = HudStage::Start, .screen = {.secondsToStart = 2.4}},
        "start");
}
TEST_F(HudGolden, TimeUpWarning) {
  check({.title = "cycling", .players = 4, .seconds = 30, .stage = HudStage::Warning, .screen = {.secondsLeft = 27},
         .secondsLeft = 27},
        "warning");
}
TEST_F(HudGolden, DrivingResults) {
  check({.title = "driving", .players = 4, .seat = 1, .seconds = 0, .stage = HudStage::Results,
         .screen = {.rank = 2, .count = 4}, .secondsLeft = 0, .end = true},
        "driving-results");
}
TEST_F(HudGolden, HockeyResults) {
  // Seat 0 (red) loses this match 1:2: second of two.
  check({.title = "hockey", .players = 2, .seat = 0, .seconds = 0, .stage = HudStage::Results,
         .screen = {.rank = 2, .count = 2}, .secondsLeft = 0, .end = true},
        "hockey-results");
}

}  // namespace
}  // namespace pav::tools
