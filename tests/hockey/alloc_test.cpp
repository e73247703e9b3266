// No heap allocation in a robot's tick: both seats' robots sense, track and decide every
// step, and the visitor model does the same work outside the title.
// No heap allocation in a steady HUD frame: after a warm-up, the hockey presenter's hud() over
// a match with goals every few seconds (the banner coming and going, the scores and the clock changing) makes no
// C++ heap allocation (tests/support counts operator new; the recording canvas is reserved).
#include <gtest/gtest.h>

#include <string>

#include "alloc_counter.h"
#include "pav/core/strings.h"
#include "pav/hockey/hockey.h"
#include "pav/hockey/hockey_present.h"
#include "pav/hockey/robot_eval.h"
#include "recording_canvas.h"

namespace pav::hockey {
namespace {

TEST(HockeyHudAllocations, SteadyHudFramesAllocateNothing) {
  const auto table = core::StringTable::load(std::string(PAV_TEST_ASSET_DIR) + "/hockey/strings.json");
  for (int seat : {-1, 0, 1}) {
    auto title = makeHockeyTitle();  // a fresh match each: seven goals end one
    title->setup({.players = 2, .seed = 9, .durationSeconds = 1e6});
    auto presenter = makeHockeyPresenter(*title, seat);
    test::RecordingCanvas canvas;
    core::StateFrame frame = core::captureNew(*title);
    const core::InputFrame idle[2]{};  // mallets parked at their goals
    double left = 300;
    int frames = 0;
    uint64_t allocations = 0;
    bool counting = false;
    auto frameOnce = [&](core::Lang lang, render::HudStage stage) {
      // A shot every 4 s, at either goal in turn, past the parked mallet's side.
      if (++frames % 240 == 0)
        placePuck(*title, frames % 480 ? PuckState{{0.5f, 0.08f}, {6.0f, 0.0f}} : PuckState{{-0.5f, 0.08f}, {-6.0f, 0.0f}});
      for (int k = 0; k < 8; ++k) title->step(idle);
      title->capture(frame);
      canvas.clear();
      left -= 1.0 / 60;
      test::CountAllocations count;  // the HUD's call only (placing the puck is the test's doing)
      presenter->hud(frame, {.lang = lang, .strings = &table, .stage = stage, .secondsLeft = left}, canvas);
      allocations += counting ? count.count() : 0;
    };
    for (int i = 0; i < 10; ++i) frameOnce(core::Lang::En, render::HudStage::Playing);
    const uint64_t goals = matchOf(*title).goals;
    counting = true;
    for (int i = 0; i < 60 * 40; ++i)
      frameOnce(i % 600 < 300 ? core::Lang::Zh : core::Lang::En, i % 900 == 899 ? render::HudStage::Results : render::HudStage::Playing);
    EXPECT_GE(matchOf(*title).goals, goals + 8) << "a goal every 4 s, so the banner comes and goes";
    EXPECT_EQ(allocations, 0u) << "seat " << seat << ": hud() allocated on the heap";
  }
}

TEST(HockeyRobotAllocations, RobotTicksAllocateNothing) {
  for (int skill : {core::kSkillEasy, core::kSkillHard, core::kSkillFair}) {
    auto title = makeHockeyTitle();
    title->setup({.players = 2, .seed = 4, .skill = skill, .durationSeconds = 1e6});
    VisitorModel visitor(4, 0);
    core::InputFrame in[2];
    const auto tick = [&] {
      if (title->finished()) return;
      visitor.input(*title, in[0]);
      title->botInput(1, in[1]);
      title->step(in);
    };
    // 20 s of play first: the visitor model's first call builds it, Bullet's pools grow.
    const uint64_t allocations = test::steadyAllocations(tick, 20 * 480, 20 * 480);
    EXPECT_EQ(allocations, 0u) << "skill " << skill;
    EXPECT_FALSE(title->finished()) << "every counted tick was played";
    EXPECT_GT(matchOf(*title).goals, 0u) << "the robot and the visitor model play: goals happen";
  }
}

}  // namespace
}  // namespace pav::hockey
