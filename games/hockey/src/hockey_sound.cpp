// The match's sounds: recipes (synthesized by pav::audio at start-up) and the cues of a frame.
#include "hockey_sound.h"

#include <algorithm>
#include <cmath>

#include <glm/geometric.hpp>

#include "hockey_local.h"

namespace pav::hockey {
namespace {

using render::SoundSpec;
using render::Synth;

constexpr SoundSpec kSounds[] = {
    // The blower under the table: a low hum with a little hiss on top.
    {.name = "hockey.air_hum", .synth = Synth::Harmonics, .loop = true, .seconds = 1.0f, .baseHz = 120.0f,
     .harmonics = {1.0f, 0.4f, 0.25f, 0.1f, 0.08f}, .gain = 0.12f, .referenceDistance = 1.5f, .priority = 90},
    {.name = "hockey.slide", .synth = Synth::Noise, .loop = true, .seconds = 1.0f, .lowHz = 1500.0f, .highHz = 6000.0f,
     .gain = 0.25f, .referenceDistance = 1.0f, .priority = 150},
    {.name = "hockey.mallet_hit", .synth = Synth::Hit, .seconds = 0.15f, .baseHz = 650.0f, .lowHz = 800.0f,
     .highHz = 8000.0f, .decaySeconds = 0.035f, .attackSeconds = 0.0005f, .gain = 0.6f, .referenceDistance = 1.0f,
     .priority = 220},
    {.name = "hockey.rail_clack", .synth = Synth::Hit, .seconds = 0.12f, .baseHz = 1300.0f, .lowHz = 1500.0f,
     .highHz = 10000.0f, .decaySeconds = 0.025f, .attackSeconds = 0.0005f, .gain = 0.5f, .referenceDistance = 1.0f,
     .priority = 210},
    {.name = "hockey.goal_horn", .synth = Synth::Harmonics, .seconds = 1.4f, .baseHz = 220.0f,
     .harmonics = {1.0f, 0.8f, 0.7f, 0.55f, 0.45f, 0.35f, 0.25f, 0.2f}, .decaySeconds = 0.25f, .attackSeconds = 0.04f,
     .gain = 0.8f, .referenceDistance = 3.0f, .priority = 250},
};
static_assert(std::size(kSounds) == size_t(HockeySound::Count), "a recipe for every hockey sound");

// The puck's velocity jumps by more than this (m/s) between two frames: something struck it.
constexpr float kHitJump = 0.3f;
// Within this of a rail (m, beyond the puck's radius) the strike was the rail's.
constexpr float kRailReach = 0.02f;

uint16_t id(HockeySound s) { return uint16_t(s); }

}  // namespace

std::span<const SoundSpec> hockeySounds() { return kSounds; }

void HockeySounds::hear(const core::StateFrame& before, const core::StateFrame& now, render::SoundCues& cues) const {
  const float y = table_.surfaceHeight;
  cues.loop(id(HockeySound::AirHum), 0, {0.0f, y - 0.3f, 0.0f}, glm::vec3(0.0f), 1.0f);
  if (now.objects.empty() || before.objects.empty()) return;
  const core::ObjectState& puck = now.objects[0];
  const glm::vec3 at{puck.position.x, y, puck.position.z};
  const float speed = glm::length(puck.velocity);
  if (speed > 0.05f) cues.loop(id(HockeySound::Slide), 0, at, puck.velocity, std::clamp(speed / 3.0f, 0.0f, 1.0f),
                               0.8f + 0.1f * std::min(speed, 4.0f));
  const float jump = glm::length(puck.velocity - before.objects[0].velocity);
  if (jump > kHitJump) {
    const bool rail = std::abs(puck.position.x) > table_.length * 0.5f - table_.puckRadius - kRailReach ||
                      std::abs(puck.position.z) > table_.width * 0.5f - table_.puckRadius - kRailReach;
    cues.play(id(rail ? HockeySound::RailClack : HockeySound::MalletHit), at, puck.velocity,
              std::clamp(jump / 4.0f, 0.1f, 1.0f));
  }
  if (now.scalars[kGoals] > before.scalars[kGoals])
    cues.play(id(HockeySound::GoalHorn), {0.0f, y + 1.4f, 0.0f}, glm::vec3(0.0f), 1.0f);
}

}  // namespace pav::hockey
