// What the fuzz targets and the seed writer share: the check that makes libFuzzer report a
// broken property, the snapshot target's schemas and baselines, and how its first byte picks
// them. Header-only: each target is one translation unit plus the engine's code.
//
//   FUZZ_CHECK(m.count <= 32, "count %u", m.count);  // prints, then aborts: libFuzzer saves the input
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "pav/core/state.h"
#include "pav/net/snapshot.h"

// A property of a decoded value. Aborts (a "deadly signal" to libFuzzer, which then writes the
// input to its artifact file) after naming the property, its place and the values involved.
#define FUZZ_CHECK(cond, ...)                                                          \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "\nFUZZ CHECK FAILED: %s\n  at %s:%d\n  ", #cond, __FILE__, __LINE__); \
      std::fprintf(stderr, __VA_ARGS__);                                               \
      std::fprintf(stderr, "\n");                                                      \
      std::fflush(stderr);                                                             \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

namespace pav::fuzz {

// protocol.cpp's largest tick (private there): 2^40 - 1, 72 years at 480 Hz.
constexpr uint64_t kMaxTick = (uint64_t(1) << 40) - 1;

inline bool unitQuat(const glm::quat& q, float tolerance = 1e-4f) {
  const float len = std::sqrt(q.x * q.x + q.y * q.y + q.z * q.z + q.w * q.w);
  return std::isfinite(len) && std::fabs(len - 1.0f) <= tolerance;
}

// The same rotation (q and -q are one), within `tolerance` of |dot| = 1.
inline bool sameRotation(const glm::quat& a, const glm::quat& b, float tolerance) {
  const float dot = a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w;
  return std::fabs(dot) >= 1.0f - tolerance;
}

// ---- The snapshot target's schemas -----------------------------------------------------------

// Like hockey: 3 objects on a table plane, no orientation, velocities, 5 scalars.
inline core::StateSchema smallSchema() {
  core::StateSchema s;
  s.objects = 3;
  s.positionMin = {-1.06565f, 0.0f, -0.579f};
  s.positionMax = {1.06565f, 0.0f, 0.579f};
  s.positionResolution = 0.0005f;
  s.velocityMax = 20.0f;
  s.velocityResolution = 0.01f;
  s.addScalar({"score_left", 0, 7, 1});
  s.addScalar({"score_right", 0, 7, 1});
  s.addScalar({"goals", 0, 14, 1, true});
  s.addScalar({"last_scorer", -1, 1, 1});
  s.addScalar({"over", 0, 1, 1});
  return s;
}

// Like a race: 40 bodies in a big box, 11-bit orientations, linear and angular velocities, and
// scalars whose ranges are not whole multiples of their steps.
inline core::StateSchema largeSchema() {
  core::StateSchema s;
  s.objects = 40;
  s.positionMin = {-500.0f, -20.0f, -500.0f};
  s.positionMax = {500.0f, 80.0f, 500.0f};
  s.positionResolution = 0.001f;
  s.orientationBits = 11;
  s.velocityMax = 90.0f;
  s.velocityResolution = 0.01f;
  s.angularMax = 25.0f;
  s.angularResolution = 0.01f;
  s.addScalar({"laps", 0, 20, 1, true});
  s.addScalar({"clock", 0, 3600, 0.01f});
  s.addScalar({"leader", 0, 39, 1});
  s.addScalar({"grade", -0.3f, 0.3f, 0.001f});
  s.addScalar({"wind", -15, 15, 0.07f});
  s.addScalar({"started", 0, 1, 1});
  s.addScalar({"distance", 0, 50000, 0.1f});
  s.addScalar({"power_avg", 0, 3000, 1});
  return s;
}

// A frame that is not the defaults: every field somewhere inside its range (fixed, so a
// baseline here is the same in the seeds and the target).
inline core::StateFrame movingFrame(const core::StateSchema& schema, uint64_t tick) {
  core::StateFrame f;
  f.resize(schema);
  f.tick = tick;
  uint64_t x = 0x9e3779b97f4a7c15ull ^ tick;
  const auto unit = [&x] {  // [0, 1)
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return float(x >> 40) / float(1 << 24);
  };
  const auto in = [&unit](float lo, float hi) { return lo + (hi - lo) * unit(); };
  for (core::ObjectState& o : f.objects) {
    for (int a = 0; a < 3; ++a) {
      o.position[a] = in(schema.positionMin[a], schema.positionMax[a]);
      o.velocity[a] = in(-schema.velocityMax, schema.velocityMax);
      o.angularVelocity[a] = in(-schema.angularMax, schema.angularMax);
    }
    o.orientation = glm::normalize(glm::quat(in(-1, 1), in(-1, 1), in(-1, 1), in(-1, 1)));
  }
  for (int i = 0; i < schema.scalarCount; ++i) f.scalars[i] = in(schema.scalars[i].min, schema.scalars[i].max);
  return f;
}

// The snapshot target's first byte: bit 0 the schema (small, large), bit 1 the baseline (the
// codec's defaults, or a moving frame of tick kBaselineTick), bits 2..4 the codec's stages.
struct SnapshotCase {
  int schema = 0;
  bool movingBaseline = false;
  net::CodecOptions options{};
};
constexpr uint64_t kBaselineTick = 990;

inline SnapshotCase snapshotCase(uint8_t selector) {
  SnapshotCase c;
  c.schema = selector & 1;
  c.movingBaseline = (selector >> 1) & 1;
  // Inverted, so 0 is the codec's default (every stage on): most seeds exercise that.
  c.options.unchangedBit = !((selector >> 2) & 1);
  c.options.relativeIndex = !((selector >> 3) & 1);
  c.options.delta = !((selector >> 4) & 1);
  return c;
}

inline uint8_t snapshotSelector(const SnapshotCase& c) {
  return uint8_t((c.schema & 1) | (c.movingBaseline ? 2 : 0) | (c.options.unchangedBit ? 0 : 4) |
                 (c.options.relativeIndex ? 0 : 8) | (c.options.delta ? 0 : 16));
}

}  // namespace pav::fuzz
