// Haptic cues (see haptics.h): jolts and held rumbles planned into pulses, then sent.
#include "pav/xr/haptics.h"

#include <algorithm>
#include <cmath>

#include "pav/xr/actions.h"

namespace pav::xr {
namespace {

XrTime nanoseconds(float seconds) { return static_cast<XrTime>(std::llround(double(seconds) * 1e9)); }

}  // namespace

void HapticCues::jolt(int hand, float amplitude, float seconds) {
  if (hand < 0 || hand > 1 || amplitude <= 0 || seconds <= 0) return;
  const auto h = static_cast<size_t>(hand);
  if (amplitude >= joltAmplitude_[h]) {
    joltAmplitude_[h] = std::min(amplitude, 1.0f);
    joltSeconds_[h] = seconds;
  }
}

void HapticCues::rumble(int hand, float amplitude) {
  if (hand < 0 || hand > 1 || amplitude <= 0) return;
  const auto h = static_cast<size_t>(hand);
  rumbleAmplitude_[h] = std::max(rumbleAmplitude_[h], std::min(amplitude, 1.0f));
}

void HapticCues::ask(std::span<const render::Cue> cues) {
  for (const render::Cue& c : cues) {
    if (c.where == render::FeelWhere::Wheel) continue;
    const int hand = c.where == render::FeelWhere::LeftHand ? 0 : 1;
    if (c.feel == render::Feel::Jolt) jolt(hand, c.amplitude, c.seconds);
    else rumble(hand, c.amplitude);
  }
}

std::span<const HapticPulse> HapticCues::plan(XrTime now) {
  size_t n = 0;
  for (size_t h = 0; h < 2; ++h) {
    if (joltAmplitude_[h] > 0) {
      due_[n++] = {static_cast<int>(h), joltAmplitude_[h], joltSeconds_[h], desc_.joltFrequencyHz};
      busyUntil_[h] = now + nanoseconds(joltSeconds_[h]);
    } else if (rumbleAmplitude_[h] > 0 && now + nanoseconds(0.5f * desc_.rumblePeriodS) >= busyUntil_[h]) {
      // Renewed half a period before the last one ends, for as long as one and a half: the
      // buzz has no gaps however the frames fall, and stops soon after the last ask.
      due_[n++] = {static_cast<int>(h), rumbleAmplitude_[h], 1.5f * desc_.rumblePeriodS, desc_.rumbleFrequencyHz};
      busyUntil_[h] = now + nanoseconds(desc_.rumblePeriodS);
    }
    joltAmplitude_[h] = joltSeconds_[h] = rumbleAmplitude_[h] = 0;
  }
  return {due_.data(), n};
}

int HapticCues::send(Actions& actions, XrTime now) {
  int sent = 0;
  for (const HapticPulse& p : plan(now)) sent += actions.pulse(p.hand, p.amplitude, p.seconds, p.frequencyHz) ? 1 : 0;
  return sent;
}

}  // namespace pav::xr
