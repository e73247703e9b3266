// Internal to games/driving: the HUD its presenter draws (Presenter::hud), for the seat's car
// (a spectator: the leader's, the car the camera chases).
//
//   Start     five start lights, head-locked above the view: red while the host counts 3-2-1,
//             green for the first 1.5 s of the race
//   Playing   low in the view (Anchor::Head): speed in km/h, the gear and an RPM bar; lap n/N,
//   Warning   the position (P2/4), the current lap's time and the best lap
//   Results   the classification: position, the car's name in its colour, total time, best lap
//
// What the frame does not carry is derived from consecutive frames, as a station sees them:
// a lap's time is the difference between the starts of two laps (each frame's tick less its
// lap clock), kept per car as the best; the position is the title's own order (finishers by
// finishing order, then laps and distance along the lap, see raceProgress); a finisher's total
// time is the start of its last lap (the crossing of the line), as the title's results count
// it. A presenter that joins a race late knows the laps it saw: a best lap it never saw reads
// "--". Nothing here allocates per frame.
#pragma once

#include <array>
#include <cstdint>

#include "driving_local.h"
#include "pav/core/strings.h"
#include "pav/render/presenter.h"

namespace pav::driving {

// Seconds the start lights stay green once the race is on.
constexpr double kGreenLightS = 1.5;

// How far car `car` of `state` is into the race, for ordering: a finisher by its finishing
// order above everyone racing, the rest by laps and metres along the lap (`s`, its arc length;
// behind the line before its first crossing). The title's updatePositions rule, from a frame.
double raceProgress(const Track& track, const core::StateFrame& state, int car, float s);

class DrivingHud {
 public:
  DrivingHud(const Track& track, const CarTuning& tuning, int seat) : track_(track), tuning_(tuning), seat_(seat) {
    hints_.fill(-1);
  }
  void draw(const core::StateFrame& state, const render::HudContext& context, render::ui::Canvas& canvas);

 private:
  struct Ids {
    core::StringId speedUnit, gear, rpm, lap, position, lapTime, bestLap, finished, getReady, results, colTotal,
        colBest, rank, dnf, you;
    std::array<core::StringId, kMaxCars> cars;
  };
  // What this side remembers of each car between frames.
  struct Memory {
    bool timing = false;     // the car has crossed the line: its lap clock times a lap
    int laps = 0;            // laps done, as last seen
    uint64_t lapStart = 0;   // the tick its current lap began
    double bestLap = 0;      // seconds; 0 until a whole lap was seen
    uint64_t finishTick = 0; // the tick it crossed the line for the last time (0: racing)
  };
  void lookUp(const core::StringTable& table);
  void remember(const core::StateFrame& state);
  void rank(const core::StateFrame& state, int cars);
  void drawLights(const core::StateFrame& state, const render::HudContext& context, render::ui::Canvas& canvas);
  void drawDash(const core::StateFrame& state, int car, int cars, const render::HudContext& context,
                render::ui::Canvas& canvas);
  void drawResults(const core::StateFrame& state, int cars, const render::HudContext& context,
                   render::ui::Canvas& canvas);

  const Track& track_;
  const CarTuning tuning_;
  const int seat_;
  const core::StringTable* strings_ = nullptr;
  Ids ids_{};
  std::array<Memory, kMaxCars> memory_{};
  bool seen_ = false;
  uint64_t lastTick_ = 0;
  bool sawStart_ = false;          // the start was drawn: the lights go green when the race is on
  uint64_t raceOn_ = UINT64_MAX;  // the tick of the first frame drawn in Playing (the lights go green)
  std::array<int, kMaxCars> hints_{};  // each car's track sample last frame
  std::array<int, kMaxCars> order_{};  // cars by position, this frame
  std::array<int, kMaxCars> position_{};  // each car's, 1 = leading
  // The text kept between frames.
  core::TextBuffer speed_, gear_, lap_, positionText_, lapTime_, bestLap_, clock_;
  std::array<core::TextBuffer, kMaxCars> rowRank_, rowName_, rowTotal_, rowBest_;
};

}  // namespace pav::driving
