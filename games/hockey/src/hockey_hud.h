// Internal to games/hockey: the HUD its presenter draws (Presenter::hud). A scoreboard hangs
// over the far end of the table, facing the seat's visitor (a spectator: over the far long side,
// facing the room's camera), with both scores and the time left; for about 2 s after a goal a
// banner above it cheers the scorer ("进球！" / "GOAL!"); at the results it shows the final score
// and who won. Everything comes from the frame (the scores, the goals counter, the last scorer,
// the tick) and the context (language, stage, time left); the goal is timed on the frame's tick,
// so a replay or a test sees the same banner as a station.
#pragma once

#include <cstdint>

#include "pav/core/state.h"
#include "pav/core/strings.h"
#include "pav/hockey/table.h"
#include "pav/render/presenter.h"

namespace pav::hockey {

// How long the goal banner stays up.
constexpr double kGoalCelebrationS = 2.0;

class HockeyHud {
 public:
  HockeyHud(const TableSpec& table, int seat) : table_(table), seat_(seat) {}
  void draw(const core::StateFrame& state, const render::HudContext& context, render::ui::Canvas& canvas);

 private:
  struct Ids {
    core::StringId score, timeLeft, goal, red, blue, you, finalScore, redWins, blueWins, youWin, youLose, draw;
  };
  void lookUp(const core::StringTable& table);
  void remember(const core::StateFrame& state);
  render::Pose boardPose() const;

  const TableSpec table_;
  const int seat_;
  const core::StringTable* strings_ = nullptr;  // the table ids_ were looked up in
  Ids ids_;
  core::TextBuffer score_, time_, clock_;
  // The goal celebration: the goals counter as last seen, and the tick and scorer of the last goal.
  bool seen_ = false;
  int goals_ = 0;
  uint64_t lastTick_ = 0;
  uint64_t goalTick_ = 0;
  int scorer_ = -1;
  bool celebrating_ = false;
};

}  // namespace pav::hockey
