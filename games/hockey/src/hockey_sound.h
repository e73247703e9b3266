// What a match sounds like (the presenter's sounds() and hear(), pav/render/sound.h): the
// table's air hum, the puck sliding (by its speed), a mallet hit or a rail's clack when the
// puck's velocity jumps (scaled by the jump: the impulse over the puck's mass), and the goal
// horn when the goals counter moves.
#pragma once

#include <span>

#include "pav/core/state.h"
#include "pav/hockey/table.h"
#include "pav/render/sound.h"

namespace pav::hockey {

enum class HockeySound : uint16_t { AirHum, Slide, MalletHit, RailClack, GoalHorn, Count };

std::span<const render::SoundSpec> hockeySounds();

class HockeySounds {
 public:
  explicit HockeySounds(const TableSpec& table) : table_(table) {}
  void hear(const core::StateFrame& before, const core::StateFrame& now, render::SoundCues& cues) const;

 private:
  const TableSpec table_;
};

}  // namespace pav::hockey
