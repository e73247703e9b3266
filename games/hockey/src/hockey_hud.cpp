// The hockey HUD (hockey_hud.h): the scoreboard, the goal banner and the final score.
#include "hockey_hud.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "hockey_local.h"
#include "pav/hockey/hockey_present.h"

namespace pav::hockey {
namespace {

namespace ui = render::ui;
using core::Number;

constexpr glm::vec4 kRed{1.0f, 0.32f, 0.26f, 1.0f}, kBlue{0.35f, 0.62f, 1.0f, 1.0f};
constexpr glm::vec4 kWhite{1.0f, 1.0f, 1.0f, 1.0f}, kGrey{0.75f, 0.78f, 0.82f, 1.0f};
constexpr glm::vec2 kBoardSize{0.9f, 0.42f};
constexpr float kBoardAbove = 0.6f;   // the board's centre above the surface (m)
constexpr float kBoardBeyond = 0.3f;  // beyond the table's edge (m)

int count(float v) { return static_cast<int>(std::lround(v)); }

// "m:ss", rounded up: a clock that shows 0:00 has run out.
std::string_view minutesSeconds(core::TextBuffer& out, double seconds) {
  const long total = std::max(0L, static_cast<long>(std::ceil(seconds - 1e-6)));
  char text[24];
  const int n = std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  out.clear();
  out.append({text, static_cast<size_t>(std::max(0, n))});
  return out.view();
}

}  // namespace

void HockeyHud::lookUp(const core::StringTable& t) {
  ids_ = {t.id("hud.score"), t.id("hud.time_left"), t.id("hud.goal"),      t.id("hud.red"),
          t.id("hud.blue"),  t.id("hud.you"),       t.id("hud.final"),     t.id("hud.red_wins"),
          t.id("hud.blue_wins"), t.id("hud.you_win"), t.id("hud.you_lose"), t.id("hud.draw")};
  strings_ = &t;
}

// The goals counter going up is a goal; the tick going back (a replay sought, a new match) or a
// first frame starts afresh without one.
void HockeyHud::remember(const core::StateFrame& state) {
  const int goals = count(state.scalars[kGoals]);
  if (!seen_ || state.tick < lastTick_ || goals < goals_) {
    celebrating_ = false;
  } else if (goals > goals_) {
    celebrating_ = true;
    goalTick_ = state.tick;
    scorer_ = count(state.scalars[kLastScorer]);
  }
  seen_ = true;
  goals_ = goals;
  lastTick_ = state.tick;
  if (celebrating_ && double(state.tick - goalTick_) >= kGoalCelebrationS * kTickRateHz) celebrating_ = false;
}

// A seat's visitor reads the board over the far end, turned to their eyes; a spectator reads it
// over the far long side, turned level to the room's camera.
render::Pose HockeyHud::boardPose() const {
  const float y = table_.surfaceHeight + kBoardAbove;
  glm::vec3 centre, reader;
  if (seat_ == 0 || seat_ == 1) {
    const float far = seat_ == 0 ? 1.0f : -1.0f;
    centre = {far * (table_.length * 0.5f + kBoardBeyond), y, 0.0f};
    reader = seatEye(seat_, table_).position;
  } else {
    centre = {0.0f, y, -(table_.width * 0.5f + kBoardBeyond)};
    reader = {-1.9f, y, 2.6f};  // the spectator camera's side (hockey_present.cpp), level
  }
  render::Pose pose = render::Pose::lookAt(reader, centre);
  pose.position = centre;
  return pose;
}

void HockeyHud::draw(const core::StateFrame& state, const render::HudContext& context, ui::Canvas& canvas) {
  if (!context.strings) return;  // the host gives the title's table; without one there are no words
  if (context.strings != strings_) lookUp(*context.strings);
  remember(state);
  if (context.stage == render::HudStage::Lobby) return;
  const core::StringTable& t = *strings_;
  const core::Lang lang = context.lang;

  // The visitor's own side first; a spectator reads red (left goal) : blue.
  const int left = count(state.scalars[kScoreLeft]), right = count(state.scalars[kScoreRight]);
  const int first = seat_ == 1 ? 1 : 0;
  const int scores[2] = {left, right};
  const glm::vec4 colours[2] = {kRed, kBlue};
  const core::StringId names[2] = {ids_.red, ids_.blue};

  // At the results the final score hangs in the middle of the view, under the host's results
  // banner (which sits high, where the board over the far end would be hidden behind it).
  const bool results = context.stage == render::HudStage::Results;
  if (results)
    canvas.panel({.pose = {{0.0f, -0.02f, -1.5f}}, .size = {0.8f, 0.46f}, .anchor = ui::Anchor::Head, .onTop = true});
  else
    canvas.panel({.pose = boardPose(), .size = kBoardSize});
  const float top = results ? 0.045f : 0.0f;  // the final score's panel has a line over the names
  for (int i = 0; i < 2; ++i) {
    const int side = i == 0 ? first : 1 - first;
    const float x = i == 0 ? -0.24f : 0.24f;
    canvas.text(ui::slot("hockey.name", uint32_t(i)), {x, 0.125f - top}, t.get(names[side], lang),
                {.height = 0.055f, .color = colours[side], .align = ui::Align::Center});
    if (side == seat_)
      canvas.text(ui::slot("hockey.you"), {x, 0.07f - top}, t.get(ids_.you, lang),
                  {.height = 0.04f, .color = kGrey, .align = ui::Align::Center});
  }
  score_.format(t.get(ids_.score, lang), {{"left", Number(scores[first]).view()}, {"right", Number(scores[1 - first]).view()}});
  canvas.text(ui::slot("hockey.score"), {0.0f, -0.05f - top}, score_.view(),
              {.height = 0.15f, .color = kWhite, .align = ui::Align::Center});

  if (results) {
    canvas.text(ui::slot("hockey.final"), {0.0f, 0.165f}, t.get(ids_.finalScore, lang),
                {.height = 0.05f, .color = kGrey, .align = ui::Align::Center});
    core::StringId verdict = ids_.draw;
    glm::vec4 colour = kWhite;
    if (left != right) {
      const int winner = left > right ? 0 : 1;
      if (seat_ == 0 || seat_ == 1) verdict = winner == seat_ ? ids_.youWin : ids_.youLose;
      else verdict = winner == 0 ? ids_.redWins : ids_.blueWins;
      colour = colours[winner];
    }
    canvas.text(ui::slot("hockey.verdict"), {0.0f, -0.19f}, t.get(verdict, lang),
                {.height = 0.065f, .color = colour, .align = ui::Align::Center});
    return;
  }
  if (context.secondsLeft >= 0) {
    time_.format(t.get(ids_.timeLeft, lang), {{"time", minutesSeconds(clock_, context.secondsLeft)}});
    canvas.text(ui::slot("hockey.time"), {0.0f, -0.17f}, time_.view(),
                {.height = 0.055f, .color = kGrey, .align = ui::Align::Center});
  }
  if (celebrating_) {
    // A banner over the board, in the scorer's colour.
    render::Pose banner = boardPose();
    banner.position.y += kBoardSize.y * 0.5f + 0.16f;
    const glm::vec4 colour = scorer_ == 0 || scorer_ == 1 ? colours[scorer_] : kWhite;
    canvas.panel({.pose = banner, .size = {0.7f, 0.24f}, .fill = {colour.r * 0.35f, colour.g * 0.35f, colour.b * 0.35f, 0.9f}});
    canvas.text(ui::slot("hockey.goal"), {0.0f, -0.05f}, t.get(ids_.goal, lang),
                {.height = 0.15f, .color = kWhite, .align = ui::Align::Center});
  }
}

}  // namespace pav::hockey
