// The ride's sounds: recipes (synthesized by pav::audio at start-up) and the cues of a frame.
#include "cycling_sound.h"

#include <algorithm>
#include <cmath>

#include "cycling_local.h"

namespace pav::cycling {
namespace {

using render::SoundSpec;
using render::Synth;

// Pitch 1: the freewheel at 5 m/s, the chain at 90 rpm.
constexpr float kFreewheelBaseHz = 5.0f / kWheelCircumferenceM * kFreewheelClicksPerTurn;
constexpr float kChainBaseHz = 90.0f / 60.0f * kChainringTeeth;

constexpr SoundSpec kSounds[] = {
    {.name = "cycling.wind", .synth = Synth::Noise, .loop = true, .seconds = 2.0f, .lowHz = 120.0f, .highHz = 1200.0f,
     .gain = 0.4f, .referenceDistance = 1.5f, .priority = 100},
    {.name = "cycling.freewheel", .synth = Synth::Ticks, .loop = true, .seconds = 1.0f, .baseHz = kFreewheelBaseHz,
     .lowHz = 2000.0f, .highHz = 7000.0f, .decaySeconds = 0.002f, .gain = 0.35f, .referenceDistance = 1.5f,
     .priority = 150},
    {.name = "cycling.chain", .synth = Synth::Harmonics, .loop = true, .seconds = 1.0f, .baseHz = kChainBaseHz,
     .harmonics = {1.0f, 0.5f, 0.3f, 0.2f}, .gain = 0.18f, .referenceDistance = 1.5f, .priority = 140},
    {.name = "cycling.crowd", .synth = Synth::Noise, .loop = true, .seconds = 3.0f, .lowHz = 250.0f, .highHz = 3500.0f,
     .gain = 1.0f, .referenceDistance = 25.0f, .priority = 160},
};
static_assert(std::size(kSounds) == size_t(CyclingSound::Count), "a recipe for every cycling sound");

uint16_t id(CyclingSound s) { return uint16_t(s); }

}  // namespace

std::span<const SoundSpec> cyclingSounds() { return kSounds; }

void CyclingSounds::hear(const core::StateFrame& now, render::SoundCues& cues) const {
  const size_t riders = std::min(now.objects.size(), size_t(core::kMaxScalars) / kRiderScalars);
  for (size_t p = 0; p < riders; ++p) {
    const core::ObjectState& o = now.objects[p];
    const float* s = &now.scalars[p * kRiderScalars];
    const float speed = std::max(0.0f, std::isfinite(s[kSpeed]) ? s[kSpeed] : 0.0f);
    const Effort effort = unpackEffort(s[kEffort]);
    const uint16_t key = uint16_t(p);
    const float wind = std::clamp(speed / 18.0f, 0.0f, 1.0f);
    if (wind > 0.05f) cues.loop(id(CyclingSound::Wind), key, o.position, o.velocity, wind * wind, 0.7f + 0.6f * wind);
    const bool coasting = effort.powerW < 5.0f || effort.cadenceRpm < 10.0f;
    if (coasting && speed > 0.5f)
      cues.loop(id(CyclingSound::Freewheel), key, o.position, o.velocity, 0.8f,
                speed / kWheelCircumferenceM * kFreewheelClicksPerTurn / kFreewheelBaseHz);
    if (!coasting)
      cues.loop(id(CyclingSound::Chain), key, o.position, o.velocity, std::clamp(0.3f + effort.powerW / 400.0f, 0.0f, 1.0f),
                effort.cadenceRpm / 60.0f * kChainringTeeth / kChainBaseHz);
  }
  // The crowd at the finish, both sides of the road.
  const RoadFrame end = route_.frameAt(route_.length());
  for (uint16_t side = 0; side < 2; ++side) {
    const double across = (side == 0 ? -1.0 : 1.0) * (kRoadHalfWidthM + 4.0);
    cues.loop(id(CyclingSound::Crowd), side, glm::vec3(end.centre + across * end.right + glm::dvec3(0.0, 1.2, 0.0)),
              glm::vec3(0.0f), 0.8f);
  }
}

}  // namespace pav::cycling
