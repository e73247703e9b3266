// The synthesizer: a SoundSpec's recipe into mono samples, once at start-up (no sound files, so
// nothing to be missing or corrupt). Deterministic: noise comes from a generator seeded by the
// sound's name.
//
//   Harmonics  a sum of sines at whole multiples of baseHz; a loop's length is a whole number of
//              periods, so it repeats without a click
//   Noise      white noise through a band (high-pass at lowHz, low-pass at highHz, two poles
//              each); a loop is filtered round twice so its end runs into its start
//   Ticks      a click (a decaying burst of the band's noise) baseHz times a second
//   Hit        a burst of the band's noise over a ring at baseHz (and its inharmonic partial)
#include <algorithm>
#include <cmath>
#include <numbers>

#include "al.h"
#include "pav/core/error.h"

namespace pav::audio::detail {
namespace {

constexpr float kTwoPi = 2.0f * std::numbers::pi_v<float>;

// xorshift64*: the same noise every run.
class Noise {
 public:
  explicit Noise(std::string_view seed) {
    for (char c : seed) state_ = (state_ ^ uint64_t(uint8_t(c))) * 0x100000001b3ull;
    if (state_ == 0) state_ = 1;
  }
  float next() {
    state_ ^= state_ >> 12, state_ ^= state_ << 25, state_ ^= state_ >> 27;
    return float((state_ * 0x2545F4914F6CDD1Dull) >> 40) / float(1 << 23) - 1.0f;
  }

 private:
  uint64_t state_ = 0xcbf29ce484222325ull;
};

// A two-pole (RBJ) filter.
struct Biquad {
  float b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0, x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  static Biquad make(bool highPass, float hz, int rate) {
    const float w = kTwoPi * std::clamp(hz, 10.0f, 0.45f * float(rate)) / float(rate);
    const float alpha = std::sin(w) / (2.0f * 0.7071f), c = std::cos(w), a0 = 1 + alpha;
    Biquad f;
    if (highPass) f.b0 = (1 + c) / 2 / a0, f.b1 = -(1 + c) / a0, f.b2 = (1 + c) / 2 / a0;
    else f.b0 = (1 - c) / 2 / a0, f.b1 = (1 - c) / a0, f.b2 = (1 - c) / 2 / a0;
    f.a1 = -2 * c / a0, f.a2 = (1 - alpha) / a0;
    return f;
  }
  float operator()(float x) {
    const float y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1, x1 = x, y2 = y1, y1 = y;
    return y;
  }
};

// Band-limits `s` in place; a loop is run round twice so the filters' state at its start is
// what its end leaves (seamless).
void band(std::vector<float>& s, float lowHz, float highHz, int rate, bool loop) {
  Biquad hp = Biquad::make(true, lowHz, rate), hp2 = hp, lp = Biquad::make(false, highHz, rate), lp2 = lp;
  const auto pass = [&](float x) { return lp2(lp(hp2(hp(x)))); };
  if (loop)
    for (float x : s) pass(x);
  for (float& x : s) x = pass(x);
}

void normalize(std::vector<float>& s, float peak) {
  float m = 0;
  for (float x : s) m = std::max(m, std::abs(x));
  if (m > 0)
    for (float& x : s) x *= peak / m;
}

// A one-shot's fade in over `attack` and out over its last `release` seconds.
void envelope(std::vector<float>& s, float attack, float release, int rate) {
  const size_t a = std::min(s.size(), size_t(std::max(0.0f, attack) * float(rate)));
  const size_t r = std::min(s.size(), size_t(std::max(0.0f, release) * float(rate)));
  for (size_t i = 0; i < a; ++i) s[i] *= float(i) / float(a);
  for (size_t i = 0; i < r; ++i) s[s.size() - 1 - i] *= float(i) / float(r);
}

}  // namespace

std::vector<float> synthesize(const render::SoundSpec& spec, int rate) {
  const auto name = [&] { return std::string(spec.name.empty() ? "(unnamed)" : spec.name); };
  PAV_CHECK(rate > 0 && std::isfinite(spec.seconds) && spec.seconds > 0 && spec.seconds <= 30,
            "audio: sound '%s': its length must be over 0 and at most 30 s (is %g)", name().c_str(), spec.seconds);
  PAV_CHECK(std::isfinite(spec.baseHz) && spec.baseHz > 0 && spec.baseHz < 0.45f * float(rate),
            "audio: sound '%s': its base frequency must be over 0 and under %g Hz (is %g)", name().c_str(),
            0.45 * rate, spec.baseHz);
  PAV_CHECK(spec.lowHz > 0 && spec.highHz > spec.lowHz,
            "audio: sound '%s': its noise band must be 0 < low < high (is %g..%g Hz)", name().c_str(), spec.lowHz,
            spec.highHz);
  size_t n = size_t(std::lround(spec.seconds * float(rate)));
  float f0 = spec.baseHz;
  if (spec.loop && (spec.synth == render::Synth::Harmonics || spec.synth == render::Synth::Ticks)) {
    // A whole number of periods: the length in samples, the frequency nudged to fit it.
    const double periods = std::max(1.0, std::round(double(spec.seconds) * spec.baseHz));
    n = size_t(std::lround(periods / spec.baseHz * rate));
    f0 = float(periods * rate / double(n));
  }
  std::vector<float> s(n, 0.0f);
  Noise noise(spec.name);
  const float dt = 1.0f / float(rate);
  switch (spec.synth) {
    case render::Synth::Harmonics:
      for (size_t h = 0; h < spec.harmonics.size(); ++h) {
        const float a = spec.harmonics[h], f = f0 * float(h + 1);
        if (a == 0 || f >= 0.45f * float(rate)) continue;
        const float phase = 0.37f * float(h * h);  // spread the peaks
        for (size_t i = 0; i < n; ++i) s[i] += a * std::sin(kTwoPi * f * float(i) * dt + phase);
      }
      normalize(s, 0.8f);
      break;
    case render::Synth::Noise:
      for (float& x : s) x = noise.next();
      band(s, spec.lowHz, spec.highHz, rate, spec.loop);
      normalize(s, 0.8f);
      break;
    case render::Synth::Ticks: {
      const size_t every = std::max<size_t>(1, size_t(std::lround(rate / f0)));
      const float k = 1.0f / std::max(spec.decaySeconds, 1e-4f);
      for (size_t i = 0; i < n; ++i) s[i] = noise.next() * std::exp(-float(i % every) * dt * k);
      band(s, spec.lowHz, spec.highHz, rate, spec.loop);
      normalize(s, 0.8f);
      break;
    }
    case render::Synth::Hit: {
      const float ring = 1.0f / std::max(spec.decaySeconds, 1e-4f), burst = 3.0f * ring;
      for (size_t i = 0; i < n; ++i) s[i] = noise.next() * std::exp(-float(i) * dt * burst);
      band(s, spec.lowHz, spec.highHz, rate, false);
      normalize(s, 0.6f);
      for (size_t i = 0; i < n; ++i) {
        const float t = float(i) * dt;
        s[i] += std::exp(-t * ring) * (0.5f * std::sin(kTwoPi * f0 * t) + 0.2f * std::sin(kTwoPi * 2.76f * f0 * t));
      }
      normalize(s, 0.9f);
      break;
    }
  }
  if (!spec.loop) envelope(s, spec.attackSeconds, spec.synth == render::Synth::Hit ? 0.005f : spec.decaySeconds, rate);
  return s;
}

}  // namespace pav::audio::detail
