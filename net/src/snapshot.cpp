// The snapshot codec (see snapshot.h). One templated serializeFrame is the write, read and
// measure path; quantize / dequantize are the only places floats meet the wire format.
#include "pav/net/snapshot.h"

#include <algorithm>
#include <cmath>

#include "pav/core/error.h"

namespace pav::net {
namespace {

int32_t quantizeValue(float v, float min, float max, float resolution, int32_t steps) {
  return static_cast<int32_t>(quantizeStep(v, min, max, resolution, steps));
}

float dequantizeValue(int32_t q, float min, float max, float resolution) {
  return dequantizeStep(q, min, max, resolution);
}

int32_t stepsFor(float min, float max, float resolution) {
  PAV_CHECK(resolution > 0 && max >= min, "state schema: a field needs max >= min and a resolution > 0");
  const double steps = std::ceil((double(max) - double(min)) / double(resolution));
  PAV_CHECK(steps < double(1 << 30), "state schema: range / resolution = %.0f steps is too fine", steps);
  return static_cast<int32_t>(steps);
}

// A field group that may be unchanged from the baseline (delta mode only: one bit).
template <typename Stream>
bool serializeGroup(Stream& s, int32_t* cur, const int32_t* base, const int32_t* steps, int n, bool delta) {
  if (delta) {
    bool changed = !std::equal(cur, cur + n, base);
    if (!serializeBool(s, changed)) return false;
    if (!changed) {
      if constexpr (Stream::kReading) std::copy(base, base + n, cur);
      return true;
    }
  }
  return serializeDeltaInts(s, cur, base, steps, n, delta);
}

// The distance from the previous listed object: 1 costs a bit; short gaps a few more.
template <typename Stream>
bool serializeGap(Stream& s, int32_t& gap, int32_t maxGap) {
  bool one = gap == 1;
  if (!serializeBool(s, one)) return false;
  if (one) return (gap = 1), true;
  bool small = gap <= 9;
  if (!serializeBool(s, small)) return false;
  if (small) return serializeInt(s, gap, 2, 9);
  bool medium = gap <= 41;
  if (!serializeBool(s, medium)) return false;
  if (medium) return serializeInt(s, gap, 10, 41);
  return maxGap >= 42 && serializeInt(s, gap, 42, maxGap);
}

}  // namespace

SnapshotCodec::SnapshotCodec(const core::StateSchema& schema, CodecOptions options)
    : schema_(schema), options_(options) {
  PAV_CHECK(schema.objects >= 0 && schema.objects <= core::kMaxObjects, "state schema: %d objects (at most %d)",
            schema.objects, core::kMaxObjects);
  PAV_CHECK(schema.orientationBits >= 0 && schema.orientationBits <= 16, "state schema: %d orientation bits (0..16)",
            schema.orientationBits);
  PAV_CHECK(schema.scalarCount >= 0 && schema.scalarCount <= core::kMaxScalars, "state schema: %d scalars",
            schema.scalarCount);
  for (int a = 0; a < 3; ++a)
    positionSteps_[a] = stepsFor(schema.positionMin[a], schema.positionMax[a], schema.positionResolution);
  rotationSteps_ = schema.orientationBits ? (1 << schema.orientationBits) - 1 : 0;
  velocitySteps_ = schema.velocityMax > 0 ? stepsFor(-schema.velocityMax, schema.velocityMax, schema.velocityResolution) : 0;
  angularSteps_ = schema.angularMax > 0 ? stepsFor(-schema.angularMax, schema.angularMax, schema.angularResolution) : 0;
  for (int i = 0; i < schema.scalarCount; ++i) {
    const core::ScalarField& f = schema.scalars[i];
    scalarSteps_[i] = stepsFor(f.min, f.max, f.resolution);
  }
  indexBits_ = bitsFor(static_cast<uint64_t>(schema.objects));
  core::StateFrame zero;
  zero.resize(schema);
  resize(defaults_);
  quantize(zero, defaults_);
}

void SnapshotCodec::resize(QuantFrame& q) const {
  q.objects.assign(static_cast<size_t>(schema_.objects), QuantObject{});
  q.stale.assign(static_cast<size_t>(schema_.objects), 0);
}

void SnapshotCodec::quantize(const core::StateFrame& in, QuantFrame& out) const {
  PAV_CHECK(in.objects.size() == out.objects.size() && int(in.objects.size()) == schema_.objects,
            "snapshot: frame of %zu objects for a schema of %d", in.objects.size(), schema_.objects);
  const core::StateSchema& sc = schema_;
  out.tick = in.tick;
  out.stale.assign(in.objects.size(), 0);  // same size: no allocation
  for (size_t i = 0; i < in.objects.size(); ++i) {
    const core::ObjectState& o = in.objects[i];
    QuantObject& q = out.objects[i];
    for (int a = 0; a < 3; ++a) {
      q.position[a] = quantizeValue(o.position[a], sc.positionMin[a], sc.positionMax[a], sc.positionResolution, positionSteps_[a]);
      q.velocity[a] = velocitySteps_ ? quantizeValue(o.velocity[a], -sc.velocityMax, sc.velocityMax, sc.velocityResolution, velocitySteps_) : 0;
      q.angular[a] = angularSteps_ ? quantizeValue(o.angularVelocity[a], -sc.angularMax, sc.angularMax, sc.angularResolution, angularSteps_) : 0;
    }
    if (sc.orientationBits) {
      packQuat(o.orientation, sc.orientationBits, q.largest, q.rotation);
    } else {
      q.largest = 3;
      q.rotation[0] = q.rotation[1] = q.rotation[2] = 0;
    }
  }
  for (int i = 0; i < sc.scalarCount; ++i)
    out.scalars[i] = quantizeValue(in.scalars[i], sc.scalars[i].min, sc.scalars[i].max, sc.scalars[i].resolution, scalarSteps_[i]);
}

void SnapshotCodec::dequantize(const QuantFrame& in, core::StateFrame& out) const {
  PAV_CHECK(in.objects.size() == out.objects.size(), "snapshot: frame sizes differ");
  const core::StateSchema& sc = schema_;
  out.tick = in.tick;
  for (size_t i = 0; i < in.objects.size(); ++i) {
    const QuantObject& q = in.objects[i];
    core::ObjectState& o = out.objects[i];
    for (int a = 0; a < 3; ++a) {
      o.position[a] = dequantizeValue(q.position[a], sc.positionMin[a], sc.positionMax[a], sc.positionResolution);
      o.velocity[a] = velocitySteps_ ? dequantizeValue(q.velocity[a], -sc.velocityMax, sc.velocityMax, sc.velocityResolution) : 0;
      o.angularVelocity[a] = angularSteps_ ? dequantizeValue(q.angular[a], -sc.angularMax, sc.angularMax, sc.angularResolution) : 0;
    }
    o.orientation = sc.orientationBits ? unpackQuat(q.largest, q.rotation, sc.orientationBits) : glm::quat(1, 0, 0, 0);
  }
  for (int i = 0; i < sc.scalarCount; ++i) {
    const core::ScalarField& f = sc.scalars[i];
    out.scalars[i] = dequantizeValue(in.scalars[i], f.min, f.max, f.resolution);
  }
}

template <typename Stream>
bool SnapshotCodec::serializeObject(Stream& s, QuantObject& cur, const QuantObject& base) const {
  const bool delta = options_.delta;
  if (!serializeGroup(s, cur.position, base.position, positionSteps_, 3, delta)) return false;
  if (rotationSteps_) {
    const int32_t steps[3] = {rotationSteps_, rotationSteps_, rotationSteps_};
    bool changed = !delta || cur.largest != base.largest || !std::equal(cur.rotation, cur.rotation + 3, base.rotation);
    if (delta && !serializeBool(s, changed)) return false;
    if (!changed) {
      if constexpr (Stream::kReading) cur.largest = base.largest, std::copy_n(base.rotation, 3, cur.rotation);
    } else {
      // A small rotation keeps the same largest component: then its three are a delta.
      bool same = delta && cur.largest == base.largest;
      if (delta && !serializeBool(s, same)) return false;
      if (same) {
        if constexpr (Stream::kReading) cur.largest = base.largest;
        if (!serializeDeltaInts(s, cur.rotation, base.rotation, steps, 3, true)) return false;
      } else {
        if (!serializeBits(s, cur.largest, 2)) return false;
        if (!serializeDeltaInts(s, cur.rotation, base.rotation, steps, 3, false)) return false;
      }
    }
  }
  if (velocitySteps_) {
    const int32_t steps[3] = {velocitySteps_, velocitySteps_, velocitySteps_};
    if (!serializeGroup(s, cur.velocity, base.velocity, steps, 3, delta)) return false;
  }
  if (angularSteps_) {
    const int32_t steps[3] = {angularSteps_, angularSteps_, angularSteps_};
    if (!serializeGroup(s, cur.angular, base.angular, steps, 3, delta)) return false;
  }
  return true;
}

template <typename Stream>
bool SnapshotCodec::serializeFrame(Stream& s, QuantFrame& cur, const QuantFrame& base) const {
  const int n = schema_.objects;
  if constexpr (Stream::kReading) {
    if (int(cur.objects.size()) != n || int(base.objects.size()) != n || int(cur.stale.size()) != n) return false;
  }
  // Stale objects (a snapshot cut to the budget): one bit, and when set their count and
  // indices, each relative to the previous one. They are then sent as unchanged.
  int32_t staleCount = 0;
  if constexpr (!Stream::kReading) {
    for (int i = 0; i < n && i < int(cur.stale.size()); ++i) {
      if (!cur.stale[size_t(i)]) continue;
      if (!(cur.objects[size_t(i)] == base.objects[size_t(i)])) return false;  // a stale object is never written
      ++staleCount;
    }
  }
  bool partial = staleCount > 0;
  if (!serializeBool(s, partial)) return false;
  if constexpr (Stream::kReading) std::fill(cur.stale.begin(), cur.stale.end(), uint8_t(0));
  if (partial) {
    if (n == 0 || !serializeInt(s, staleCount, 1, n)) return false;
    int32_t index = -1;
    for (int32_t k = 0; k < staleCount; ++k) {
      int32_t gap = 0;
      if constexpr (!Stream::kReading) {
        int32_t next = index + 1;
        while (!cur.stale[size_t(next)]) ++next;
        gap = next - index;
      }
      if (!serializeGap(s, gap, n)) return false;
      index += gap;
      if (index >= n) return false;
      if constexpr (Stream::kReading) cur.stale[size_t(index)] = 1;
    }
  }
  // Objects.
  if (!options_.unchangedBit) {
    for (int i = 0; i < n; ++i)
      if (!serializeObject(s, cur.objects[i], base.objects[i])) return false;
  } else if (!options_.relativeIndex) {
    for (int i = 0; i < n; ++i) {
      bool changed = !(cur.objects[i] == base.objects[i]);
      if (!serializeBool(s, changed)) return false;
      if (changed) {
        if (!serializeObject(s, cur.objects[i], base.objects[i])) return false;
      } else if constexpr (Stream::kReading) {
        cur.objects[i] = base.objects[i];
      }
    }
  } else {
    int32_t changedCount = 0;
    if constexpr (!Stream::kReading)
      for (int i = 0; i < n; ++i) changedCount += cur.objects[i] == base.objects[i] ? 0 : 1;
    if (!serializeInt(s, changedCount, 0, n)) return false;
    if constexpr (Stream::kReading) std::copy(base.objects.begin(), base.objects.end(), cur.objects.begin());
    int32_t index = -1;
    for (int32_t k = 0; k < changedCount; ++k) {
      int32_t gap = 0;
      if constexpr (!Stream::kReading) {
        int32_t next = index + 1;
        while (cur.objects[next] == base.objects[next]) ++next;
        gap = next - index;
      }
      if (!serializeGap(s, gap, n)) return false;
      index += gap;
      if (index >= n) return false;
      if (!serializeObject(s, cur.objects[index], base.objects[index])) return false;
    }
  }
  // Scalars: a bit each when unchanged (with any stage past plain quantization).
  const bool skipUnchanged = options_.unchangedBit || options_.delta;
  for (int i = 0; i < schema_.scalarCount; ++i) {
    bool changed = !skipUnchanged || cur.scalars[i] != base.scalars[i];
    if (skipUnchanged && !serializeBool(s, changed)) return false;
    if (changed) {
      if (!serializeInt(s, cur.scalars[i], 0, scalarSteps_[i])) return false;
    } else if constexpr (Stream::kReading) {
      cur.scalars[i] = base.scalars[i];
    }
  }
  return true;
}

bool SnapshotCodec::encode(const QuantFrame& current, const QuantFrame& baseline, BitWriter& w) const {
  return serializeFrame(w, const_cast<QuantFrame&>(current), baseline);
}

void SnapshotCodec::measure(const QuantFrame& current, const QuantFrame& baseline, MeasureStream& m) const {
  serializeFrame(m, const_cast<QuantFrame&>(current), baseline);
}

bool SnapshotCodec::decode(BitReader& r, const QuantFrame& baseline, QuantFrame& out) const {
  if (!serializeFrame(r, out, baseline)) return false;
  for (size_t i = 0; i < out.objects.size(); ++i) {
    if (out.objects[i].largest > 3) return false;
    // A stale object is not written: one listed as changed too is a malformed packet.
    if (out.stale[i] && !(out.objects[i] == baseline.objects[i])) return false;
  }
  return true;
}

}  // namespace pav::net
