// Internal to games/hockey: the robot's brain, as a camera-tracked air-hockey robot has one.
//
//   sense   a camera frame every 1/120 s (every 4th tick), the puck's centre with Gaussian
//           noise, delivered `latency` later (a fixed ring of frames in flight);
//   track   a Kalman filter per axis (position, velocity; the table's damping in the model,
//           a rail bounce reflects the state at restitution); an innovation far outside the
//           filter's spread (a mallet hit, a face-off) restarts the velocity's estimate;
//   predict the filter's state carried to now and along its path (predictPuck: damping,
//           long-rail and end-rail bounces, the goal mouths);
//   decide  defend (the predicted path crosses the defence line), attack (the puck can be
//           reached in the robot's half: a straight, bank or cut shot at the open part of the
//           goal, then back to guard), prepare (a puck stuck in a corner or on the robot's end
//           rail is pushed back into play), or guard.
//
// Everything random comes from the robot's own generator, seeded from the title's seed and
// the seat, stepped only by update(): the same inputs make the same robot on every host.
// No heap: the frames in flight are a fixed ring. The same brain with a person's numbers
// (visitorParams) is the visitor model that robot-eval measures against.
#pragma once

#include <cstdint>

#include <glm/glm.hpp>

#include "pav/hockey/hockey.h"

namespace pav::hockey {

struct RobotParams {
  float latency = 0.030f;      // camera to robot (s)
  float noise = 0.002f;        // camera noise, standard deviation (m)
  float reaction = 0.0f;       // extra delay before a new frame is acted on (s)
  float speed = 3.0f;          // mallet top speed (m/s)
  float aimError = 0.03f;      // standard deviation of where the mallet meets the puck (m)
  float horizon = 1.2f;        // seconds of path it plans on
  float strike = 1.0f;         // share of top speed it strikes with
  bool banks = true;           // plays bank and cut shots, and reads bank shots
};

RobotParams robotParams(int skill);  // 0 easy, 1 medium, 2 hard
// "fair": the robot's strength `s` (0 weakest .. 1 hard), set from the score by fairStrength.
RobotParams blendParams(float s);
float fairStrength(int robotScore, int visitorScore);
// A person at the table: ~200 ms to react, hands at most 3 m/s, a few centimetres of aim.
RobotParams visitorParams();

enum class RobotMode : uint8_t { Guard, Defend, Attack, Prepare };

class RobotBrain {
 public:
  void reset(uint64_t seed, int seat, const TableSpec& table, const RobotParams& params);
  void setParams(const RobotParams& p) { params_ = p; }
  const RobotParams& params() const { return params_; }
  // One tick, after the world stepped: `truth` is the simulated puck (what the camera sees),
  // `mallet` its own mallet, `opponent` the other one (seen exactly: it is large and slow).
  void update(uint64_t tick, double dt, const PuckState& truth, glm::vec2 mallet, glm::vec2 opponent);
  glm::vec2 target() const { return target_; }  // where the mallet heads now
  float speedShare() const { return speedShare_; }  // of the top speed, this tick
  RobotMode mode() const { return mode_; }
  PuckState estimate() const { return now_; }   // the filter's puck, carried to now

 private:
  struct Frame {
    uint64_t captured = 0;  // tick
    glm::vec2 position{0.0f};
  };
  struct Axis {  // one axis of the filter: position, velocity, covariance
    float x = 0, v = 0, pxx = 1, pxv = 0, pvv = 1;
  };
  float gauss();
  uint64_t next();
  void observe(const Frame& f, double dt);
  void decide(uint64_t tick, double dt, glm::vec2 mallet, glm::vec2 opponent);
  glm::vec2 strikeTarget(glm::vec2 puck, glm::vec2 mallet) const;
  glm::vec2 guardPoint(glm::vec2 puck) const;

  TableSpec table_;
  RobotParams params_;
  int seat_ = 0;
  uint64_t rng_ = 1;
  static constexpr int kRing = 32;  // frames in flight: 200 ms of latency at 120 Hz is 24
  Frame ring_[kRing];
  int head_ = 0, count_ = 0;
  Axis ax_, az_;
  uint64_t filterTick_ = 0;  // the tick the filter's state is for
  bool tracking_ = false;
  glm::vec2 lastSeen_{0.0f};
  PuckState now_;
  glm::vec2 target_{0.0f};
  float speedShare_ = 1.0f;
  RobotMode mode_ = RobotMode::Guard;
  // The shot being played: chosen once per attack, kept until the puck leaves.
  int shot_ = 0;          // 0 straight, 1 bank off +z, 2 bank off -z, 3 cut
  float aimZ_ = 0;        // where in the goal mouth
  float aimNoise_ = 0;    // this attack's aim error (m)
  bool planned_ = false;
  uint64_t attackTicks_ = 0;
  // A puck stuck where no line-up reaches: the jab's direction, its ticks (0: none), and the
  // tick of the jab from which the mallet steps aside.
  glm::vec2 jabDir_{1.0f, 0.0f};
  uint64_t jabTicks_ = 0;
  uint64_t retreatFrom_ = ~uint64_t(0);
};

}  // namespace pav::hockey
