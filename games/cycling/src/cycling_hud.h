// Internal to games/cycling: the HUD its presenter draws (Presenter::hud), for the seat's rider
// (a spectator: the leader's).
//
//   Start, Playing, Warning
//     low in the view (Anchor::Head): power (W) and cadence, speed, distance of the route,
//     grade; the position and the gaps to the riders just ahead (+) and just behind (-), in
//     seconds at the chasing rider's speed, or in metres when that rider is (nearly) stopped;
//     above it the route's elevation profile as a strip of bars, every rider a marker on it in
//     their colour (the seat's taller); from kSprintM before the line, the finish sprint
//     announced above them all, with the metres left
//   Results
//     the finish ranking: finishers by riding time, then the rest by distance
//
// Everything comes from the frame: distance, speed, time and effort per rider (cycling_state.cpp)
// and the route (static). Nothing here allocates per frame.
#pragma once

#include <array>

#include "cycling_local.h"
#include "pav/core/strings.h"
#include "pav/render/presenter.h"

namespace pav::cycling {

// Bars in the elevation strip.
constexpr int kProfileBars = 48;
// Below this speed (m/s) a gap is told in metres: a time gap needs the chaser moving.
constexpr double kGapInSecondsAboveMs = 2.0;

// The riders of `state` by standing: finishers by riding time, then the rest by distance, ties
// by seat. Returns how many riders the frame has (at most kMaxPlayers).
int ranking(const Route& route, const core::StateFrame& state, std::array<int, core::kMaxPlayers>& order);

class CyclingHud {
 public:
  CyclingHud(const Route& route, int seat);
  void draw(const core::StateFrame& state, const render::HudContext& context, render::ui::Canvas& canvas);

 private:
  struct Ids {
    core::StringId power, cadence, speed, distance, grade, position, gapAhead, gapBehind, seconds, metres, finished,
        results, rank, dnf, avgSpeed, you, sprint;
    std::array<core::StringId, core::kMaxPlayers> riders;
  };
  void lookUp(const core::StringTable& table);
  void drawDash(const core::StateFrame& state, int rider, int riders, const render::HudContext& context,
                render::ui::Canvas& canvas);
  void drawSprint(double distance, const render::HudContext& context, render::ui::Canvas& canvas);
  void drawProfile(const core::StateFrame& state, int rider, int riders, render::ui::Canvas& canvas);
  void drawResults(const core::StateFrame& state, int riders, const render::HudContext& context,
                   render::ui::Canvas& canvas);
  // A gap to the rider `other` ("+12.3 s" / "-45 m" in the language's words) into `out`.
  std::string_view gap(core::TextBuffer& out, const core::StateFrame& state, int rider, int other,
                       const render::HudContext& context);

  const Route& route_;
  const int seat_;
  std::array<float, kProfileBars> bars_{};  // each bar's height, 0..1 of the route's climb
  double lowM_ = 0, highM_ = 1;             // the route's lowest and highest elevation
  const core::StringTable* strings_ = nullptr;
  Ids ids_{};
  std::array<int, core::kMaxPlayers> order_{};
  core::TextBuffer power_, cadence_, speed_, distance_, grade_, position_, ahead_, behind_, number_, sprint_;
  std::array<core::TextBuffer, core::kMaxPlayers> rowRank_, rowName_, rowTime_, rowSpeed_;
};

}  // namespace pav::cycling
