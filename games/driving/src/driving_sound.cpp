// The race's sounds: recipes (synthesized by pav::audio at start-up) and the cues of a frame.
#include "driving_sound.h"

#include <algorithm>
#include <cmath>

#include <glm/geometric.hpp>
#include <glm/gtc/quaternion.hpp>

namespace pav::driving {
namespace {

using render::SoundSpec;
using render::Synth;

constexpr SoundSpec kSounds[] = {
    // The engine's low layer: a strong fundamental, falling harmonics (the note at light load).
    {.name = "driving.engine_low", .synth = Synth::Harmonics, .loop = true, .seconds = 1.0f, .baseHz = kEngineBaseHz,
     .harmonics = {1.0f, 0.55f, 0.35f, 0.22f, 0.14f, 0.08f, 0.05f, 0.03f}, .gain = 0.6f, .referenceDistance = 2.0f,
     .priority = 200},
    // The load layer: the same fundamental with the upper harmonics up (the bark under power).
    {.name = "driving.engine_load", .synth = Synth::Harmonics, .loop = true, .seconds = 1.0f, .baseHz = kEngineBaseHz,
     .harmonics = {0.8f, 0.6f, 0.6f, 0.55f, 0.5f, 0.42f, 0.35f, 0.3f}, .gain = 0.45f, .referenceDistance = 2.0f,
     .priority = 190},
    {.name = "driving.squeal", .synth = Synth::Noise, .loop = true, .seconds = 1.0f, .lowHz = 1800.0f,
     .highHz = 3200.0f, .gain = 0.5f, .referenceDistance = 2.0f, .priority = 150},
    // Kerb blocks 2 m apart: 10 a second at 20 m/s at pitch 1.
    {.name = "driving.kerb", .synth = Synth::Ticks, .loop = true, .seconds = 1.0f, .baseHz = 10.0f, .lowHz = 60.0f,
     .highHz = 600.0f, .decaySeconds = 0.04f, .gain = 0.7f, .referenceDistance = 2.0f, .priority = 140},
    {.name = "driving.wind", .synth = Synth::Noise, .loop = true, .seconds = 2.0f, .lowHz = 150.0f, .highHz = 1500.0f,
     .gain = 0.35f, .referenceDistance = 2.0f, .priority = 100},
    {.name = "driving.shift", .synth = Synth::Hit, .seconds = 0.12f, .baseHz = 140.0f, .lowHz = 300.0f,
     .highHz = 2500.0f, .decaySeconds = 0.03f, .gain = 0.5f, .referenceDistance = 1.0f, .priority = 180},
    {.name = "driving.crash", .synth = Synth::Hit, .seconds = 0.6f, .baseHz = 90.0f, .lowHz = 200.0f, .highHz = 6000.0f,
     .decaySeconds = 0.15f, .gain = 1.0f, .referenceDistance = 4.0f, .priority = 230},
};
static_assert(std::size(kSounds) == size_t(DrivingSound::Count), "a recipe for every driving sound");

constexpr float kIdleRpm = 900.0f;
constexpr float kCrashAccel = 4.0f * kGravity;  // a change of velocity faster than this is a hit

uint16_t id(DrivingSound s) { return uint16_t(s); }

int gearOf(const core::StateFrame& f, int car) {
  return std::clamp(int(std::lround(f.scalars[size_t(car * kCarScalars + kFinishGear)])) % kGearSlots, 1, kGears);
}

}  // namespace

std::span<const SoundSpec> drivingSounds() { return kSounds; }

void DrivingSounds::hear(const core::StateFrame& before, const core::StateFrame& now, std::span<const int> kerbWheels,
                         render::SoundCues& cues) {
  const int cars = std::min(carsInFrame(now), carsInFrame(before));
  const float dt = float(std::max<uint64_t>(now.tick - std::min(before.tick, now.tick), 0)) / float(kTickRateHz);
  for (int p = 0; p < cars; ++p) {
    const core::ObjectState& c = now.objects[size_t(p)];
    const core::ObjectState& was = before.objects[size_t(p)];
    const glm::vec3 forward = c.orientation * glm::vec3(0, 0, 1), left = c.orientation * glm::vec3(1, 0, 0);
    const float speed = glm::dot(c.velocity, forward), slip = std::abs(glm::dot(c.velocity, left));
    const float rpm = std::abs(speed) < 0.3f ? kIdleRpm : engineRpm(tuning_, gearOf(now, p), speed);
    // Load: the forward acceleration against what the engine can give (about 6 m/s^2), smoothed.
    float& load = load_[size_t(p)];
    if (dt > 0) {
      const float accel = (speed - glm::dot(was.velocity, forward)) / dt;
      const float target = std::clamp(0.15f + accel / 6.0f, 0.0f, 1.0f);
      load += (target - load) * std::min(1.0f, dt / 0.15f);
    }
    const float pitch = rpm / (kEngineBaseHz * 60.0f / kFiringsPerRev);
    const uint16_t key = uint16_t(p);
    cues.loop(id(DrivingSound::EngineLow), key, c.position, c.velocity, 0.55f + 0.45f * (1.0f - load), pitch);
    cues.loop(id(DrivingSound::EngineLoad), key, c.position, c.velocity, load, pitch);
    const float squeal = std::clamp((slip - 1.5f) / 5.0f, 0.0f, 1.0f);
    if (squeal > 0) cues.loop(id(DrivingSound::Squeal), key, c.position, c.velocity, squeal, 0.9f + 0.2f * squeal);
    const int kerb = p < int(kerbWheels.size()) ? kerbWheels[size_t(p)] : 0;
    if (kerb > 0 && std::abs(speed) > 2.0f)
      cues.loop(id(DrivingSound::Kerb), key, c.position, c.velocity, 0.5f * float(std::min(kerb, 2)),
                std::abs(speed) / 20.0f);
    const float wind = std::clamp(std::abs(speed) / 60.0f, 0.0f, 1.0f);
    if (wind > 0.05f) cues.loop(id(DrivingSound::Wind), key, c.position, c.velocity, wind * wind, 0.7f + 0.6f * wind);
    if (gearOf(before, p) != gearOf(now, p)) cues.play(id(DrivingSound::Shift), c.position, c.velocity, 1.0f);
    // A hit: the velocity changed faster than brakes and grip can change it.
    const float dv = glm::length(c.velocity - was.velocity);
    if (dt > 0 && dv / dt > kCrashAccel)
      cues.play(id(DrivingSound::Crash), c.position, c.velocity, std::clamp(dv / 8.0f, 0.15f, 1.0f));
  }
}

}  // namespace pav::driving
