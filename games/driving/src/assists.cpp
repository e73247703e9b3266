// Driving aids for first-timers, applied to a seat's input inside the title's step (so the
// server, a station's prediction and a replay all assist alike), and the comfort vignette's
// strength.
//
//   steering   the wheel is drawn toward the bots' line-following steer: gently in the middle
//              of the road, firmly near its edge, so a visitor still drives but cannot run off
//   braking    the speed profile ahead (corners and the braking zones before them, at a share
//              of the car's grip): over it, the throttle closes and the brakes come on
//   traction   the throttle eases while the rear tyres slide or the car is sideways
//   gears      always automatic (gearbox.cpp)
//
// Everything is worked out from the car's state and the input: no state of its own.
#include <algorithm>
#include <cmath>

#include "driving_local.h"

namespace pav::driving {
namespace {

// The line assist's own look-ahead: the medium bot's, which holds the line at any speed.
constexpr float kLookAheadM = 6.0f, kLookAheadS = 0.45f, kLineBlend = 0.9f;
// The steering assist starts to firm up this far inside the edge.
constexpr float kAssistFirmM = 4.0f;
// Traction control: sideways (slip angle) from which the throttle eases, and where it is shut.
constexpr float kSlipEaseRad = 0.05f, kSlipShutRad = 0.16f;

}  // namespace

Assists assistsFor(int preset) {
  switch (preset) {
    case core::kAssistsLight: return {.steer = 0.0f, .brakeShare = 0.85f, .traction = true};
    case core::kAssistsExpo: return {.steer = 0.5f, .brakeShare = 0.72f, .traction = true};
    default: return {};
  }
}

float lineSteer(const Track& track, const CarTuning& tuning, const physics::BodyState& body, float s,
                float lookAheadM, float lookAheadS, float lineBlend) {
  const glm::mat3 basis = glm::mat3_cast(body.orientation);
  const glm::vec3 forward = basis[2];
  const glm::vec3 right = -basis[0];  // chassis x points left
  const float speed = std::max(0.0f, glm::dot(body.linearVelocity, forward));
  const glm::vec3 target = track.linePoint(s + lookAheadM + lookAheadS * speed, lineBlend);
  glm::vec3 d = target - body.position;
  d.y = 0;
  const float dist = std::max(glm::length(d), 1.0f);
  const float alpha = std::atan2(glm::dot(d, right), glm::dot(d, forward));
  const float wheelBase = 2.0f * tuning.wheelBaseHalf;
  const float angle = std::atan(2.0f * wheelBase * std::sin(alpha) / dist);
  return std::clamp(angle / steerLock(tuning, speed), -1.0f, 1.0f);
}

void applyAssists(const Track& track, const CarTuning& tuning, const Assists& a, float trackGrip,
                  const physics::BodyState& body, const CarRace& race, const btRaycastVehicle& vehicle,
                  core::InputFrame& io) {
  if (a.steer <= 0 && a.brakeShare <= 0 && !a.traction) return;
  const glm::mat3 basis = glm::mat3_cast(body.orientation);
  const glm::vec3 forward = basis[2];
  const float forwardSpeed = glm::dot(body.linearVelocity, forward);
  const float speed = std::max(0.0f, forwardSpeed);
  const TrackSample& here = track.samples[static_cast<size_t>(race.sample)];
  io.steer = std::clamp(std::isfinite(io.steer) ? io.steer : 0.0f, -1.0f, 1.0f);
  io.throttle = std::clamp(std::isfinite(io.throttle) ? io.throttle : 0.0f, 0.0f, 1.0f);
  io.brake = std::clamp(std::isfinite(io.brake) ? io.brake : 0.0f, 0.0f, 1.0f);

  if (a.steer > 0 && speed > 1.0f) {
    // How near the edge the car is: 0 from kAssistFirmM inside it, 1 at kAssistEdgeM and beyond.
    const float toEdge = here.halfWidth - std::fabs(race.lateral);
    const float edge = std::clamp((kAssistFirmM - toEdge) / (kAssistFirmM - kAssistEdgeM), 0.0f, 1.0f);
    const float w = a.steer + (1.0f - a.steer) * edge;
    const float line = lineSteer(track, tuning, body, race.s, kLookAheadM, kLookAheadS, kLineBlend);
    io.steer += w * (line - io.steer);
  }

  if (a.brakeShare > 0 && forwardSpeed > 0) {
    // The slowest the profile allows from here to where the car will be in a second and a half,
    // at the share of the day's grip (v^2 scales with the acceleration used).
    const float scale = std::sqrt(a.brakeShare * trackGrip * surfaceGrip(here.surface));
    const float horizon = 10.0f + 1.5f * speed;
    float safe = 1e9f;
    for (float ahead = 0; ahead <= horizon; ahead += 4.0f) {
      const int i = std::max(0, track.sampleAt(race.s + ahead));
      safe = std::min(safe, track.samples[static_cast<size_t>(i)].targetSpeed * scale);
    }
    const float over = speed - safe;
    if (over > -2.0f) io.throttle = std::min(io.throttle, std::clamp(-over / 2.0f, 0.0f, 1.0f));
    if (over > 0) io.brake = std::max(io.brake, std::clamp(over / 3.0f, 0.0f, 1.0f));
  }

  if (a.traction && speed > 3.0f && io.throttle > 0) {
    const glm::vec3 right = -basis[0];
    const float slip = std::fabs(std::atan2(glm::dot(body.linearVelocity, right), forwardSpeed));
    float keep = std::clamp(1.0f - (slip - kSlipEaseRad) / (kSlipShutRad - kSlipEaseRad), 0.0f, 1.0f);
    // Bullet's skid (1 gripping, less sliding) of the driven rear wheels, from the last step.
    for (int w = 2; w < vehicle.getNumWheels(); ++w) keep = std::min(keep, float(vehicle.getWheelInfo(w).m_skidInfo));
    io.throttle *= std::clamp(keep, 0.0f, 1.0f);
  }
}

float vignetteStrength(float angularSpeedRadS, float accelMs2, float setting) {
  if (!std::isfinite(angularSpeedRadS) || !std::isfinite(accelMs2) || !std::isfinite(setting)) return 0.0f;
  const float turn = std::clamp((std::fabs(angularSpeedRadS) - kVignetteCalmRadS) / (kVignetteFullRadS - kVignetteCalmRadS), 0.0f, 1.0f);
  const float push = std::clamp((std::fabs(accelMs2) - kVignetteCalmAccel) / (kVignetteFullAccel - kVignetteCalmAccel), 0.0f, 1.0f);
  return std::clamp(setting, 0.0f, 1.0f) * std::max(turn, push);
}

}  // namespace pav::driving
