// Measures of rendered audio for the audio tests: energy per channel, the strongest frequency
// (a Goertzel scan over a Hann window), the lag between the ears (cross-correlation), and the
// first sample over a level. Plain loops over the samples; nothing here knows a title.
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>
#include <span>
#include <vector>

namespace pav::test {

// One channel (0 left, 1 right) of interleaved stereo, frames [from, to).
inline std::vector<float> channel(std::span<const float> stereo, int ch, size_t from = 0, size_t to = SIZE_MAX) {
  to = std::min(to, stereo.size() / 2);
  std::vector<float> out;
  for (size_t i = from; i < to; ++i) out.push_back(stereo[2 * i + size_t(ch)]);
  return out;
}

inline double energy(std::span<const float> s) {
  double e = 0;
  for (float x : s) e += double(x) * x;
  return e;
}

inline double rms(std::span<const float> s) { return s.empty() ? 0 : std::sqrt(energy(s) / double(s.size())); }

// The power at `hz` (Goertzel over a Hann window).
inline double powerAt(std::span<const float> s, double hz, int rate) {
  const double w = 2 * std::numbers::pi * hz / rate, c = 2 * std::cos(w);
  double s1 = 0, s2 = 0;
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    const double hann = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * double(i) / double(n - 1));
    const double s0 = s[i] * hann + c * s1 - s2;
    s2 = s1, s1 = s0;
  }
  return s1 * s1 + s2 * s2 - c * s1 * s2;
}

// The strongest frequency in [lo, hi], scanned in `step` Hz, refined to a tenth of a step.
inline double peakHz(std::span<const float> s, int rate, double lo, double hi, double step = 1.0) {
  double best = lo, bestPower = -1;
  for (double f = lo; f <= hi; f += step) {
    const double p = powerAt(s, f, rate);
    if (p > bestPower) bestPower = p, best = f;
  }
  for (double f = best - step; f <= best + step; f += step / 10) {
    const double p = powerAt(s, f, rate);
    if (p > bestPower) bestPower = p, best = f;
  }
  return best;
}

// How many samples `late` trails `early` by (negative: leads), within +-maxLag.
inline int lagOf(std::span<const float> early, std::span<const float> late, int maxLag) {
  int best = 0;
  double bestC = -1e30;
  const int n = int(std::min(early.size(), late.size()));
  for (int lag = -maxLag; lag <= maxLag; ++lag) {
    double c = 0;
    for (int i = maxLag; i < n - maxLag; ++i) c += double(early[size_t(i)]) * late[size_t(i + lag)];
    if (c > bestC) bestC = c, best = lag;
  }
  return best;
}

// The first frame of interleaved stereo where either channel's magnitude exceeds `level`.
inline size_t firstOver(std::span<const float> stereo, float level) {
  for (size_t i = 0; i < stereo.size(); ++i)
    if (std::abs(stereo[i]) > level) return i / 2;
  return SIZE_MAX;
}

}  // namespace pav::test
