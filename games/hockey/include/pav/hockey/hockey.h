// Robotic air hockey: the title. A table at the robot air-hockey challenge dimensions, a
// nearly frictionless puck (restitution 0.8 at the rails, CCD so a 10 m/s shot never
// tunnels), two mallets driven by the visitors' hands as speed-limited kinematic bodies,
// goals, score to 7, a face-off after each goal, a match clock, and a robot opponent that
// predicts the puck's path with rail bounces to intercept, defend or strike.
//
// Seats: 0 plays the left half (x < 0) and defends the left goal, 1 the right half. A seat is
// a visitor (InputFrame::hands[1] is the mallet hand, in table coordinates, metres) or the
// robot (botInput). With one player, the title's own robot plays seat 1. The table frame: centre at the origin, long axis X, up Y, surface y = 0.
//
//   auto title = pav::hockey::makeHockeyTitle();
//   title->setup({.players = 2, .seed = 7, .skill = 1});
//   InputFrame in[2]; title->botInput(0, in[0]); title->botInput(1, in[1]); title->step(in);
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <glm/glm.hpp>

#include "pav/core/title.h"
#include "pav/hockey/table.h"

namespace pav::hockey {

// 480 Hz: a 10 m/s puck moves 2.1 cm a tick, less than its radius, so contacts with the rails
// are discrete and exact (restitution 0.8) up to 15 m/s; CCD takes over beyond that.
constexpr double kTickRateHz = 480.0;
constexpr int kWinningScore = 7;
constexpr double kDefaultMatchSeconds = 300.0;
constexpr float kPuckRestitution = 0.8f;
// Air drag on the cushion: Bullet keeps (1 - d)^t of the puck's speed after t seconds.
constexpr float kPuckDamping = 0.05f;

// Mallet top speed by robot skill (m/s); a visitor's mallet is limited to the hardest.
constexpr float kMalletSpeed[3] = {1.5f, 3.0f, 5.0f};

struct PuckState {
  glm::vec2 position{0.0f};  // (x, z) on the table
  glm::vec2 velocity{0.0f};
};

struct MatchState {
  int score[2] = {0, 0};
  uint64_t goals = 0;          // goals scored in total
  int lastScorer = -1;
  double seconds = 0;          // match clock
  bool over = false;
};

// The robot's reading of the puck: where it crosses the line x = lineX, and when, slowing with
// the table's damping and following bounces off the long rails and the short rails beside the
// goal mouths (restitution applied to the bouncing component). A puck that enters a goal first,
// or is still short of the line after horizonSeconds, does not reach it.
struct Interception {
  bool reaches = false;
  float z = 0;
  float seconds = 0;
  int bounces = 0;
  glm::vec2 velocity{0.0f};  // at the crossing
};
Interception predictCrossing(const PuckState& puck, float lineX, float horizonSeconds,
                             const TableSpec& table = kTable);
// Where the puck is after `seconds` by the same model; `goal` (optional) is set to +1 or -1
// when it enters the goal at +x or -x on the way (it then stops on the goal line).
PuckState predictPuck(const PuckState& puck, float seconds, const TableSpec& table = kTable, int* goal = nullptr);

class HockeyTitle;  // defined in hockey_local.h; the interface below is all callers need

std::unique_ptr<core::Title> makeHockeyTitle();
void registerHockeyTitle();

// Test and tool access to a hockey title's state (nullptr-safe casts of makeHockeyTitle()).
PuckState puckOf(const core::Title& title);
glm::vec2 malletOf(const core::Title& title, int seat);
const MatchState& matchOf(const core::Title& title);
const TableSpec& tableOf(const core::Title& title);  // as loaded from the table file
const std::string& dataDirOf(const core::Title& title);  // TitleSetup::dataDir (empty: built-in)
// Places the puck (after setup), e.g. for shots in tests; clears any pending face-off.
void placePuck(core::Title& title, const PuckState& puck);

}  // namespace pav::hockey
