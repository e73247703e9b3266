// The robot opponent: sensing, tracking and its choice of play (hockey_robot.h says how).
//
// [SECTION] Skills: the numbers per skill, "fair"'s blend, the visitor model's
// [SECTION] Sensing and tracking: camera frames in flight, the Kalman filter
// [SECTION] Deciding: defend, attack (straight, bank, cut), prepare, guard
// [SECTION] The title's seam: botInput
#include <algorithm>
#include <cmath>

#include "hockey_local.h"

namespace pav::hockey {

// ---- [SECTION] Skills -----------------------------------------------------------------------

RobotParams robotParams(int skill) {
  switch (skill) {
    case 0: return {.latency = 0.040f, .noise = 0.004f, .reaction = 0.10f, .speed = 1.5f, .aimError = 0.06f,
                    .horizon = 0.8f, .strike = 0.8f, .banks = false};
    case 2: return {.latency = 0.020f, .noise = 0.001f, .reaction = 0.0f, .speed = 5.0f, .aimError = 0.01f,
                    .horizon = 2.0f, .strike = 1.0f, .banks = true};
    default: return {.latency = 0.030f, .noise = 0.002f, .reaction = 0.03f, .speed = 3.0f, .aimError = 0.03f,
                     .horizon = 1.2f, .strike = 0.9f, .banks = true};
  }
}

RobotParams blendParams(float s) {
  s = std::clamp(s, 0.0f, 1.0f);
  const RobotParams weak{.latency = 0.040f, .noise = 0.004f, .reaction = 0.16f, .speed = 1.6f, .aimError = 0.07f,
                         .horizon = 0.8f, .strike = 0.7f, .banks = false};
  const RobotParams strong = robotParams(2);
  const auto mix = [s](float a, float b) { return a + (b - a) * s; };
  return {.latency = mix(weak.latency, strong.latency), .noise = mix(weak.noise, strong.noise),
          .reaction = mix(weak.reaction, strong.reaction), .speed = mix(weak.speed, strong.speed),
          .aimError = mix(weak.aimError, strong.aimError), .horizon = mix(weak.horizon, strong.horizon),
          .strike = mix(weak.strike, strong.strike), .banks = s > 0.5f};
}

// Even on goals, the robot plays a little below the visitor model's level; each goal it leads
// by takes strength away, each it trails by gives some back. Tuned with robot-eval.
float fairStrength(int robotScore, int visitorScore) {
  constexpr float kEven = 0.36f, kPerGoal = 0.12f;
  return std::clamp(kEven + kPerGoal * float(visitorScore - robotScore), 0.0f, 1.0f);
}

RobotParams visitorParams() {
  return {.latency = 0.0f, .noise = 0.006f, .reaction = 0.20f, .speed = 3.0f, .aimError = 0.05f,
          .horizon = 0.8f, .strike = 0.9f, .banks = false};
}

// ---- [SECTION] Sensing and tracking ---------------------------------------------------------

namespace {
constexpr uint64_t kFrameEveryTicks = 4;  // 120 Hz at the title's 480 Hz
constexpr float kProcessAccel = 2.0f;     // m/s^2: what the model leaves out (spin, air)
constexpr float kRestartVariance = 25.0f; // (m/s)^2: a velocity unknown after a restart
}  // namespace

uint64_t RobotBrain::next() {  // splitmix64
  uint64_t z = (rng_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

float RobotBrain::gauss() {  // Box-Muller
  const double u1 = (double(next() >> 11) + 1.0) * 0x1.0p-53, u2 = double(next() >> 11) * 0x1.0p-53;
  return float(std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
}

void RobotBrain::reset(uint64_t seed, int seat, const TableSpec& table, const RobotParams& params) {
  *this = RobotBrain{};
  table_ = table;
  params_ = params;
  seat_ = seat;
  rng_ = seed * 0x2545F4914F6CDD1Dull + uint64_t(seat + 1) * 0x9E3779B97F4A7C15ull;
  const float own = seat == 0 ? -1.0f : 1.0f;
  target_ = {own * (table.length * 0.5f - 0.2f), 0.0f};
}

void RobotBrain::observe(const Frame& f, double dt) {
  const float r = params_.noise * params_.noise + 1e-8f;
  if (!tracking_) {
    ax_ = {f.position.x, 0, r, 0, kRestartVariance};
    az_ = {f.position.y, 0, r, 0, kRestartVariance};
    tracking_ = true;
    filterTick_ = f.captured;
    return;
  }
  // A station that rewinds to the server's state steps ticks again: a frame no newer than the
  // filter's state adds nothing.
  if (f.captured <= filterTick_) return;
  const float tau = float(double(f.captured - filterTick_) * dt);
  // The state along the path (bounces included); the covariances by the linear model.
  const PuckState before{{ax_.x, az_.x}, {ax_.v, az_.v}};
  const PuckState after = predictPuck(before, tau, table_);
  const float decay = std::pow(1.0f - kPuckDamping, tau);
  const float c = (1.0f - decay) / -std::log(1.0f - kPuckDamping);
  const float q = kProcessAccel * kProcessAccel;
  const auto predict = [&](Axis& a, float x, float v) {
    const float pxx = a.pxx + 2 * c * a.pxv + c * c * a.pvv + q * tau * tau * tau * tau * 0.25f;
    float pxv = decay * (a.pxv + c * a.pvv) + q * tau * tau * tau * 0.5f;
    float pvv = decay * decay * a.pvv + q * tau * tau;
    if (v * a.v < 0) {  // it bounced: the velocity's uncertainty comes back at restitution
      pxv *= -kPuckRestitution;
      pvv *= kPuckRestitution * kPuckRestitution;
    }
    a = {x, v, pxx, pxv, pvv};
  };
  predict(ax_, after.position.x, after.velocity.x);
  predict(az_, after.position.y, after.velocity.y);
  // A frame far outside the filter's spread: the puck was hit (or placed). Start the velocity over.
  const glm::vec2 innovation = f.position - glm::vec2(ax_.x, az_.x);
  const float spread = std::sqrt(std::max(ax_.pxx, az_.pxx) + r);
  if (glm::length(innovation) > 4.0f * spread + 0.004f) {
    ax_ = {f.position.x, ax_.v * 0.0f, r, 0, kRestartVariance};
    az_ = {f.position.y, az_.v * 0.0f, r, 0, kRestartVariance};
  } else {
    const auto correct = [r](Axis& a, float measured) {
      const float s = a.pxx + r, kx = a.pxx / s, kv = a.pxv / s, y = measured - a.x;
      a.x += kx * y;
      a.v += kv * y;
      const float pxx = a.pxx - kx * a.pxx, pxv = a.pxv - kx * a.pxv, pvv = a.pvv - kv * a.pxv;
      a.pxx = pxx;
      a.pxv = pxv;
      a.pvv = pvv;
    };
    correct(ax_, f.position.x);
    correct(az_, f.position.y);
  }
  filterTick_ = f.captured;
}

void RobotBrain::update(uint64_t tick, double dt, const PuckState& truth, glm::vec2 mallet, glm::vec2 opponent) {
  if (tick % kFrameEveryTicks == 0) {
    if (count_ == kRing) {  // a slower reader than the ring holds: the oldest frame is lost
      head_ = (head_ + 1) % kRing;
      --count_;
    }
    Frame& f = ring_[(head_ + count_) % kRing];
    f.captured = tick;
    f.position = truth.position + glm::vec2(gauss(), gauss()) * params_.noise;
    ++count_;
  }
  const auto delay = uint64_t(std::lround(double(params_.latency + params_.reaction) / dt));
  while (count_ > 0 && ring_[head_].captured + delay <= tick) {
    observe(ring_[head_], dt);
    head_ = (head_ + 1) % kRing;
    --count_;
  }
  if (!tracking_) return;
  // The robot knows its own latency: it carries the filter's puck to now along the path.
  const uint64_t ahead = tick > filterTick_ ? tick - filterTick_ : 0;
  now_ = predictPuck({{ax_.x, az_.x}, {ax_.v, az_.v}}, float(double(ahead) * dt), table_);
  decide(tick, dt, mallet, opponent);
}

}  // namespace pav::hockey
