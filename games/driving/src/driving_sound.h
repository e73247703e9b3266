// What a race sounds like (the presenter's sounds() and hear(), pav/render/sound.h): per car an
// engine note in two layers of harmonics (the low one always, the bright one by load) pitched
// by its RPM, tyre squeal by the sideways slip, kerb rumble by the wheels on a kerb, and wind by
// speed; one-shots for a gear shift and for a collision, scaled by the change of velocity.
#pragma once

#include <array>
#include <span>

#include "driving_local.h"
#include "pav/core/state.h"
#include "pav/render/sound.h"

namespace pav::driving {

enum class DrivingSound : uint16_t { EngineLow, EngineLoad, Squeal, Kerb, Wind, Shift, Crash, Count };
// A four-stroke four: two firings per turn of the crank, the note's fundamental.
constexpr float kFiringsPerRev = 2.0f;
// The engine layers' fundamental at pitch 1: the firing rate at 3000 rpm.
constexpr float kEngineBaseHz = 3000.0f / 60.0f * kFiringsPerRev;

std::span<const render::SoundSpec> drivingSounds();

class DrivingSounds {
 public:
  explicit DrivingSounds(const CarTuning& tuning) : tuning_(tuning) {}
  // `kerbWheels[p]`: car p's wheels on a kerb in `now`.
  void hear(const core::StateFrame& before, const core::StateFrame& now, std::span<const int> kerbWheels,
            render::SoundCues& cues);

 private:
  const CarTuning tuning_;
  std::array<float, kMaxCars> load_{};  // smoothed, so a bump's jolt does not flick the layers
};

}  // namespace pav::driving
