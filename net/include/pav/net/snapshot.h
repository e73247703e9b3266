// The snapshot codec: a title's state (core::StateFrame, described by its core::StateSchema)
// as few bits as its precision allows.
//
// Stages, each one a flag so the benchmark can show what it buys:
//   quantize        positions to the schema's box and step, smallest-three orientations,
//                   velocities and scalars to their ranges (always on: bounded error)
//   unchangedBit    an object equal to the baseline's costs one bit
//   relativeIndex   instead, only changed objects are listed, each by its distance from the
//                   previous one (a run of neighbours costs a bit each)
//   delta           a changed field is sent as its difference from the baseline's, in the
//                   smallest of a few sizes that holds it; absolute only when none does
// A snapshot that does not fit the station's budget whole carries only some of the changed
// objects (priority.h picks them); the others are marked stale: they hold the baseline's
// value, which is older than the snapshot's tick, and the station must not take them as the
// state at that tick (InterpolationBuffer::push takes the marks).
// The baseline is the newest snapshot the station has acknowledged, or a frame of the
// schema's defaults when there is none: both sides hold the same quantized values, so a delta
// never drifts. Everything is integers once quantized, and every decoded value is checked
// against its range: a hostile packet fails decode() and changes nothing.
//
//   SnapshotCodec codec(schema);
//   codec.quantize(frame, q);                          // server, once per snapshot tick
//   codec.encode(q, baseline, writer);                 // per station (its own baseline)
//   if (!codec.decode(reader, baseline, q)) drop();    // station
//   codec.dequantize(q, frame);
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "pav/core/state.h"
#include "pav/net/bitstream.h"

namespace pav::net {

struct QuantObject {
  int32_t position[3] = {0, 0, 0};
  uint32_t largest = 3;             // smallest three: which component was dropped
  int32_t rotation[3] = {0, 0, 0};  // the other three
  int32_t velocity[3] = {0, 0, 0};
  int32_t angular[3] = {0, 0, 0};
  bool operator==(const QuantObject&) const = default;
};

struct QuantFrame {
  uint64_t tick = 0;
  std::vector<QuantObject> objects;
  std::array<int32_t, core::kMaxScalars> scalars{};
  // Per object, 1: not written in this snapshot (its value is the baseline's). Sized by
  // SnapshotCodec::resize; quantize clears it.
  std::vector<uint8_t> stale;
};

struct CodecOptions {
  bool unchangedBit = true;
  bool relativeIndex = true;
  bool delta = true;
};

class SnapshotCodec {
 public:
  explicit SnapshotCodec(const core::StateSchema& schema, CodecOptions options = {});

  const core::StateSchema& schema() const { return schema_; }
  // The implicit baseline: the schema's default state, quantized.
  const QuantFrame& defaults() const { return defaults_; }
  // Sizes a frame for this schema (the only allocation; reuse frames afterwards).
  void resize(QuantFrame& q) const;

  void quantize(const core::StateFrame& in, QuantFrame& out) const;
  void dequantize(const QuantFrame& in, core::StateFrame& out) const;

  // The body of a snapshot (objects and scalars; the tick travels in the message header).
  // encode returns false when the writer is full, or when an object marked stale differs from
  // the baseline (a stale object is never written).
  bool encode(const QuantFrame& current, const QuantFrame& baseline, BitWriter& w) const;
  void measure(const QuantFrame& current, const QuantFrame& baseline, MeasureStream& m) const;
  // Fills `out` (sized by resize) from the baseline and the packet; false for a malformed or
  // out-of-range packet, in which case `out` is unspecified and must not be used.
  bool decode(BitReader& r, const QuantFrame& baseline, QuantFrame& out) const;

  // The worst-case error of a quantized value (half a step), for tests and stats.
  float positionError() const { return schema_.positionResolution * 0.5f; }

 private:
  template <typename Stream>
  bool serializeFrame(Stream& s, QuantFrame& cur, const QuantFrame& base) const;
  template <typename Stream>
  bool serializeObject(Stream& s, QuantObject& cur, const QuantObject& base) const;

  core::StateSchema schema_;
  CodecOptions options_;
  // Steps per axis (the largest quantized value) of each field.
  int32_t positionSteps_[3];
  int32_t rotationSteps_;
  int32_t velocitySteps_, angularSteps_;
  std::array<int32_t, core::kMaxScalars> scalarSteps_{};
  int indexBits_;
  QuantFrame defaults_;
};

}  // namespace pav::net
