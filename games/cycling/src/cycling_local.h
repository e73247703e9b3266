// Internal to games/cycling: the networked state's scalars as the state (cycling_state.cpp)
// writes them and the HUD (cycling_hud.cpp) reads them.
#pragma once

#include <algorithm>
#include <cmath>

#include <glm/glm.hpp>

#include "pav/core/title.h"
#include "pav/cycling/cycling.h"

namespace pav::cycling {

// Each seat's colour: its bike's paint in the scene, its marker and name on the HUD.
constexpr glm::vec4 kRiderColors[8] = {{0.85f, 0.10f, 0.08f, 1}, {0.10f, 0.35f, 0.85f, 1}, {0.95f, 0.75f, 0.10f, 1},
                                       {0.15f, 0.65f, 0.30f, 1}, {0.60f, 0.25f, 0.75f, 1}, {0.95f, 0.45f, 0.10f, 1},
                                       {0.10f, 0.70f, 0.75f, 1}, {0.90f, 0.90f, 0.90f, 1}};

// Per rider, rider p's at p * kRiderScalars.
enum RiderScalar { kDistance, kSpeed, kTime, kEffort, kRiderScalars };

// The effort scalar: whole watts times kCadenceSlots plus whole rpm.
constexpr int kCadenceSlots = 256;
static_assert(pav::core::kMaxCadenceRpm < kCadenceSlots, "a cadence must fit in its slot");
constexpr int kEffortMax = static_cast<int>(kMaxPedalPowerW) * kCadenceSlots + kCadenceSlots - 1;

struct Effort {
  float powerW = 0, cadenceRpm = 0;
};
inline int packEffort(float powerW, float cadenceRpm) {
  const auto watts = static_cast<int>(std::lround(std::clamp(powerW, 0.0f, float(kMaxPedalPowerW))));
  const auto rpm = static_cast<int>(std::lround(std::clamp(cadenceRpm, 0.0f, pav::core::kMaxCadenceRpm)));
  return watts * kCadenceSlots + rpm;
}
inline Effort unpackEffort(float value) {
  const int v = std::clamp(static_cast<int>(std::lround(std::isfinite(value) ? value : 0.0f)), 0, kEffortMax);
  return {static_cast<float>(v / kCadenceSlots),
          std::min(static_cast<float>(v % kCadenceSlots), pav::core::kMaxCadenceRpm)};
}

}  // namespace pav::cycling
