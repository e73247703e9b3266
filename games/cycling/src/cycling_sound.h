// What a ride sounds like (the presenter's sounds() and hear(), pav/render/sound.h): per rider
// wind by speed, the freewheel ticking while coasting (by the wheel's turn), the chain's hum by
// cadence (louder with power), and a crowd at the finish line that the distance model brings in
// as the riders near it.
#pragma once

#include <span>

#include "pav/core/state.h"
#include "pav/cycling/cycling.h"
#include "pav/render/sound.h"

namespace pav::cycling {

enum class CyclingSound : uint16_t { Wind, Freewheel, Chain, Crowd, Count };
// The freewheel's clicks per turn of the wheel, and the wheel's circumference (700x25c).
constexpr float kFreewheelClicksPerTurn = 24.0f, kWheelCircumferenceM = 2.1f;
// The chain's hum: a 50-tooth ring's teeth meeting the chain.
constexpr float kChainringTeeth = 50.0f;

std::span<const render::SoundSpec> cyclingSounds();

class CyclingSounds {
 public:
  explicit CyclingSounds(const Route& route) : route_(route) {}
  void hear(const core::StateFrame& now, render::SoundCues& cues) const;

 private:
  const Route& route_;
};

}  // namespace pav::cycling
