// Haptic cues: what a visitor should feel, turned into pulses on the controllers. A host
// notices events in its title (a puck hit, a gear shift, a wheel on a kerb) and asks for one
// of two kinds of feel each frame; send() turns them into xrApplyHapticFeedback calls:
//
//   jolt(hand, amplitude, seconds)  one short, sharp pulse (a puck hit, a gear shift)
//   rumble(hand, amplitude)         a low buzz held for as long as it is asked for, frame by
//                                   frame (a wheel on a kerb): renewed as overlapping pulses
//                                   every rumblePeriodS, so it ends within one period of the
//                                   last ask without a stop call
//
//   xr::HapticCues cues;
//   each frame: if (shifted) cues.jolt(xr::kLeftHand, 0.7f, 0.04f);
//               if (onKerb) cues.rumble(xr::kLeftHand, 0.35f);
//               cues.ask(presenterCues.all());          // or a title's (render::Presenter::feel)
//               cues.send(actions, frame.displayTime);   // after actions.sync
//
// A jolt wins over a rumble on the same hand (a new pulse replaces the one playing); the
// rumble resumes when the jolt is over. The plan (which pulses are due) is plain logic,
// tested without a runtime; send() hands it to Actions::pulse.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include <openxr/openxr.h>

#include "pav/render/presenter.h"

namespace pav::xr {

class Actions;

struct HapticCuesDesc {
  float rumblePeriodS = 0.05f;     // how often a held rumble is renewed
  float rumbleFrequencyHz = 40.0f; // a coarse, low buzz (kerb ridges at speed)
  float joltFrequencyHz = 0.0f;    // 0: the runtime's choice
};

struct HapticPulse {
  int hand = 0;
  float amplitude = 0;
  float seconds = 0;
  float frequencyHz = 0;
};

class HapticCues {
 public:
  explicit HapticCues(const HapticCuesDesc& desc = {}) : desc_(desc) {}

  // Asks for this frame; the strongest ask per hand counts.
  void jolt(int hand, float amplitude, float seconds);
  void rumble(int hand, float amplitude);
  // A title's cues (render::Presenter::feel): those for the hands; a wheel's are not the
  // headset's to play.
  void ask(std::span<const render::Cue> cues);

  // The pulses due at `now` for this frame's asks (at most one a hand), and forgets the asks.
  std::span<const HapticPulse> plan(XrTime now);
  // plan(), each pulse through Actions::pulse; returns how many the runtime took.
  int send(Actions& actions, XrTime now);

 private:
  HapticCuesDesc desc_;
  std::array<float, 2> joltAmplitude_{}, joltSeconds_{}, rumbleAmplitude_{};
  std::array<XrTime, 2> busyUntil_{};  // the pulse playing on each hand ends then
  std::array<HapticPulse, 2> due_{};
};

}  // namespace pav::xr
