// Measuring the hockey robot, in the manner of the Air Hockey Challenge: the tasks that
// `pavilion robot-eval` runs and the tests assert on, all on the real title (Bullet world,
// the robot's own sensing), all in simulated time from fixed seeds, so every number here is
// the same on every run. Only the compute per step is timed with a clock.
//
//   defend   straight and bank shots at the robot's goal (each one checked to score if nobody
//            defended it), up to a top speed: the share it keeps out
//   hit      a resting puck in the robot's half, nobody defending: the share it scores
//   prepare  a resting puck stuck in a corner of the robot's half: the share it brings back
//            into play within 4 s without scoring against itself
//   matches  the robot against the visitor model (VisitorModel: a person's reaction, hands and
//            aim), to 7 goals or 5 minutes: who wins
//
//   pav::hockey::EvalOptions o{.episodes = 50, .skill = pav::core::kSkillHard};
//   const auto shots = pav::hockey::evalDefend(o, 8.0f);
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "pav/core/title.h"

namespace pav::hockey {

// A person at the table, for measurement: reacts to what it saw ~200 ms ago, moves its hand at
// most 3 m/s, aims a few centimetres off, reads no bank shots. Deterministic from its seed.
class VisitorModel {
 public:
  VisitorModel(uint64_t seed, int seat);
  ~VisitorModel();
  VisitorModel(VisitorModel&&) noexcept;
  VisitorModel& operator=(VisitorModel&&) noexcept;
  // The seat's input for the next step of `title` (a hockey title); call once per tick.
  void input(const core::Title& title, core::InputFrame& out);
  static constexpr float kHandSpeed = 3.0f;  // m/s

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int seat_;
};

struct EvalOptions {
  int episodes = 100;  // per task (matches: per difficulty)
  int skill = 2;       // core::kSkillEasy .. kSkillFair
  uint64_t seed = 1;
};

struct Rate {
  int tries = 0, successes = 0;
  double rate() const { return tries ? double(successes) / tries : 0.0; }
};

struct DefendResult {
  Rate straight, bank;
};
// Shots from 1 m/s up to maxSpeed (m/s), half straight, half banked off a long rail.
DefendResult evalDefend(const EvalOptions& options, float maxSpeed);
Rate evalHit(const EvalOptions& options);
Rate evalPrepare(const EvalOptions& options);

struct MatchResult {
  int matches = 0, visitorWins = 0, robotWins = 0, draws = 0;
  double goals = 0;         // per match
  double seconds = 0;       // per match, simulated
  double visitorWinRate() const { return matches ? double(visitorWins) / matches : 0.0; }
};
// The robot (options.skill) in seat 1 against the visitor model in seat 0.
MatchResult evalMatches(const EvalOptions& options, double matchSeconds = 300.0);

struct RobotVsRobot {
  int seeds = 0;
  uint64_t goals = 0;
  double seconds = 0;
  double secondsPerGoal() const { return goals ? seconds / double(goals) : seconds; }
};
// Robot against robot at options.skill, one match of `seconds` per seed (options.episodes seeds).
RobotVsRobot evalRobotVsRobot(const EvalOptions& options, double seconds);

// The robot's own work in a tick (sensing, tracking, deciding), timed over a hard match with
// the visitor model: the 99th percentile, in milliseconds.
double robotComputeP99Ms(const EvalOptions& options, int ticks);

}  // namespace pav::hockey
