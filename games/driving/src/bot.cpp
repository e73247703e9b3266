// The bot driver: pure-pursuit steering towards a point on the racing line ahead, and a speed
// controller that follows the track's speed profile (corner speeds with braking zones worked
// out backwards from each corner), scaled by how much of the grip the bot dares to use.
//
// A bot sees the cars around it only to keep its distance from the one ahead.
//
// A bot uses the same InputFrame a person's wheel fills and the car obeys the same rules: its
// only advantage is knowing the track's profile, which a regular at the pavilion would too.
#include <algorithm>
#include <cmath>

#include "driving_local.h"
#include "pav/core/error.h"

namespace pav::driving {

BotSkill botSkillFor(int skill) {
  // Easy: leaves a wide margin, drives nearer the middle, brakes early. Hard: uses almost all
  // the grip on the full racing line.
  static constexpr BotSkill kSkills[3] = {
      {0.62f, 7.0f, 0.55f, 0.60f, 0.6f},
      {0.80f, 6.0f, 0.45f, 0.35f, 0.9f},
      {0.92f, 5.5f, 0.40f, 0.20f, 1.0f},
  };
  return kSkills[std::clamp(skill, 0, 2)];
}

BotTraffic botTraffic(const Track& track, const CarRace& me, float mySpeed, std::span<const CarRace> others,
                      std::span<const float> otherSpeeds) {
  // The nearest car ahead in this bot's lane (within a car's width): follow it at a gap that
  // grows with speed. Bots do not pass: pulling out across another bot's racing line cost
  // more spins than it gained places.
  constexpr float kLookAhead = 40.0f, kLane = 2.4f;
  BotTraffic out;
  float nearestGap = kLookAhead;
  for (size_t i = 0; i < others.size(); ++i) {
    const CarRace& o = others[i];
    const float gap = track.wrap(o.s - me.s);
    if (gap < 0.5f || gap >= nearestGap || std::fabs(o.lateral - me.lateral) > kLane) continue;
    nearestGap = gap;
    const float wantedGap = 8.0f + 0.3f * mySpeed;
    out.capSpeed = std::max(0.0f, otherSpeeds[i] + 0.5f * (gap - wantedGap));
  }
  return out;
}

void botDrive(const Track& track, const CarTuning& tuning, const BotSkill& skill, float nerve,
              const physics::BodyState& body, const CarRace& race, const BotTraffic& traffic, core::InputFrame& out) {
  out = core::InputFrame{};
  const glm::mat3 basis = glm::mat3_cast(body.orientation);
  const glm::vec3 forward = basis[2];
  const glm::vec3 right = -basis[0];  // chassis x points left
  const float speed = std::max(0.0f, glm::dot(body.linearVelocity, forward));

  // Steering: the arc through the look-ahead point, as a front-wheel angle, as a share of the
  // lock the car allows at this speed.
  const float lookAhead = skill.lookAheadM + skill.lookAheadS * speed;
  const glm::vec3 target = track.linePoint(race.s + lookAhead, skill.lineBlend);
  glm::vec3 d = target - body.position;
  d.y = 0;
  const float dist = std::max(glm::length(d), 1.0f);
  const float alpha = std::atan2(glm::dot(d, right), glm::dot(d, forward));
  const float wheelBase = 2.0f * tuning.wheelBaseHalf;
  const float angle = std::atan(2.0f * wheelBase * std::sin(alpha) / dist);
  out.steer = std::clamp(angle / steerLock(tuning, speed), -1.0f, 1.0f);

  // Speed: the slowest the profile asks for between here and where the bot will be once it
  // has reacted, at sqrt(share of grip) times the profile.
  const float horizon = 4.0f + speed * skill.reactionS;
  const float scale = std::sqrt(std::max(0.05f, skill.speedFactor * nerve));
  float wanted = 1e9f;
  for (float ahead = 0; ahead <= horizon; ahead += 2.0f) {
    const int i = std::max(0, track.sampleAt(race.s + ahead));
    wanted = std::min(wanted, track.samples[static_cast<size_t>(i)].targetSpeed);
  }
  wanted = std::min(wanted * scale, traffic.capSpeed);
  // Off the line (after a slide or a nudge) the bot eases off until it is back on it.
  const float offLine = std::fabs(race.lateral - track.samples[static_cast<size_t>(race.sample)].racingOffset * skill.lineBlend);
  wanted *= std::clamp(1.2f - 0.1f * offLine, 0.6f, 1.0f);
  const float error = wanted - speed;
  out.throttle = std::clamp(error / 3.0f + 0.15f, 0.0f, 1.0f);
  out.brake = std::clamp(-error / 4.0f, 0.0f, 1.0f);
  if (out.brake > 0) out.throttle = 0;
}

// The title's seat: gather the other cars, then drive.
void DrivingTitle::botInput(int player, core::InputFrame& out) const {
  const Impl& m = *impl_;
  PAV_CHECK(player >= 0 && player < m.players, "driving: no player %d", player);
  const Car& car = m.cars[static_cast<size_t>(player)];
  const physics::BodyState body = m.world->state(car.chassis);
  std::array<CarRace, kMaxCars> others;
  std::array<float, kMaxCars> speeds{};
  size_t n = 0;
  for (int q = 0; q < m.players; ++q) {
    if (q == player) continue;
    const Car& other = m.cars[static_cast<size_t>(q)];
    const physics::BodyState st = m.world->state(other.chassis);
    others[n] = other.race;
    speeds[n++] = glm::dot(st.linearVelocity, m.track.samples[static_cast<size_t>(other.race.sample)].forward);
  }
  const float mySpeed = glm::dot(body.linearVelocity, m.track.samples[static_cast<size_t>(car.race.sample)].forward);
  const BotTraffic traffic = botTraffic(m.track, car.race, mySpeed, {others.data(), n}, {speeds.data(), n});
  botDrive(m.track, m.tuning, m.skill, car.race.speedFactor * m.trackGrip, body, car.race, traffic, out);
}

}  // namespace pav::driving
