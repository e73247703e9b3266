// A first-time visitor at the wheel, for measuring what the assists do (tests, benchmarks):
// the bots' intent (the racing line, the speed profile) with a human's faults on top.
//
//   reaction   the input acts on the road as it was VisitorDriver::kReactionS ago
//   wander     the hands drift: a slow random walk that pulls back to zero (an Ornstein-
//              Uhlenbeck process, ~kWanderS to forget), plus a tremor each tick
//   nerve      a first-timer trusts the car a little too much into corners
//
// All of it from the seed (splitmix64), kept in the object: the same seed drives the same.
#include <algorithm>
#include <cmath>

#include "driving_local.h"

namespace pav::driving {
namespace {

uint64_t nextRandom(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
float uniform(uint64_t& state) { return static_cast<float>(nextRandom(state) >> 40) / static_cast<float>(1ull << 24); }
// About a standard normal: four uniforms summed (variance 1/3), scaled.
float gauss(uint64_t& state) {
  return (uniform(state) + uniform(state) + uniform(state) + uniform(state) - 2.0f) * 1.7320508f;
}

// What the visitor means to do: a medium bot's line, nearer the middle, and corners a bit hot.
constexpr BotSkill kVisitorSkill{1.0f, 5.0f, 0.35f, 0.25f, 0.8f};
constexpr float kNerve = 1.12f;
constexpr float kWanderS = 1.5f;     // how long the drift takes to forget
constexpr float kWanderSd = 0.16f;   // the drift's spread, of full lock (noise 1)
constexpr float kTremorSd = 0.04f;   // per tick
constexpr float kPedalSd = 0.08f;    // the feet are not steady either

}  // namespace

VisitorDriver::VisitorDriver(uint64_t seed, float noise) : rng_(seed ^ 0x71517012d21e5ull), noise_(std::max(0.0f, noise)) {}

void VisitorDriver::drive(const DrivingTitle& title, int player, core::InputFrame& out) {
  const CarStatus c = title.car(player);
  const Track& track = title.track();
  CarRace race;
  race.s = c.s;
  race.lateral = c.lateral;
  race.sample = std::max(0, track.sampleAt(c.s));
  const physics::BodyState body{c.position, c.orientation, c.velocity, glm::vec3(0.0f)};
  core::InputFrame intent;
  botDrive(track, title.tuning(), kVisitorSkill, kNerve, body, race, BotTraffic{}, intent);

  // What the hands and feet do now is what the eyes saw kReactionS ago.
  seen_[static_cast<size_t>(next_)] = intent;
  next_ = (next_ + 1) % kDelayTicks;
  filled_ = std::min(filled_ + 1, kDelayTicks);
  out = filled_ < kDelayTicks ? core::InputFrame{} : seen_[static_cast<size_t>(next_)];

  const float dt = static_cast<float>(1.0 / kTickRateHz);
  wander_ += -wander_ * dt / kWanderS + kWanderSd * std::sqrt(2.0f * dt / kWanderS) * gauss(rng_);
  out.steer = std::clamp(out.steer + noise_ * (wander_ + kTremorSd * gauss(rng_)), -1.0f, 1.0f);
  const float pedal = noise_ * kPedalSd * gauss(rng_);
  if (out.throttle > 0) out.throttle = std::clamp(out.throttle + pedal, 0.0f, 1.0f);
  if (out.brake > 0) out.brake = std::clamp(out.brake + pedal, 0.0f, 1.0f);
}

}  // namespace pav::driving
