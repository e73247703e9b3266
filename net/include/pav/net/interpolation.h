// What a station draws of the objects it does not drive: the server's frames, a little in the
// past, in between.
//
// ServerClock estimates the server's tick from the snapshots' ticks, their arrival times and
// the round trip, smoothing out jitter (and measuring it). InterpolationBuffer keeps the newest
// frames and samples them at "server time now - delay": positions by cubic Hermite through
// the two neighbouring frames with their velocities (straight lines when the schema sends
// none), orientations slerped. The delay adapts: one snapshot interval plus what the measured
// jitter and loss need, so on a clean link it holds under two intervals and on a bad one it
// grows rather than stutter. Past the newest frame it extrapolates for at most 100 ms.
// A frame cut to the budget marks some objects stale (snapshot.h): each object is drawn from
// the frames that carried it, so a stale one interpolates between the frames around it that
// did, or moves on from the newest that did (100 ms at most, then it holds), never towards the
// older value a stale frame holds; and the delay adds an interval per frame of the longest
// recent run that left an object out, so a cut object is mostly interpolated, not guessed.
//
//   clock.onSnapshot(tick, now, rttSeconds);
//   buffer.push(frame, clock.jitter(), lossFraction, &quant.stale);   // stale marks: optional
//   buffer.sample(clock.serverTime(now) - buffer.delay(), view);   // no allocation
#pragma once

#include <cstdint>
#include <vector>

#include "pav/core/state.h"

namespace pav::net {

class ServerClock {
 public:
  explicit ServerClock(double tickRateHz) : dt_(1.0 / tickRateHz) {}
  // A snapshot of `tick` arrived at `now` (the station's own seconds) over a link with this
  // round trip; the server made it about half a round trip earlier.
  void onSnapshot(uint64_t tick, double now, double rttSeconds);
  bool valid() const { return samples_ > 0; }
  // The server's time and tick as the station estimates them.
  double serverTime(double now) const { return now + offset_; }
  double serverTick(double now) const { return serverTime(now) / dt_; }
  // Mean deviation of arrivals from the estimate (seconds).
  double jitter() const { return jitter_; }
  double dt() const { return dt_; }

 private:
  double dt_;
  double offset_ = 0;
  double jitter_ = 0;
  uint64_t samples_ = 0;
};

class InterpolationBuffer {
 public:
  static constexpr double kMaxExtrapolation = 0.1;  // seconds past the newest frame; then it holds

  // `capacity` frames of `schema` (allocated here, once), sent every `interval` seconds.
  InterpolationBuffer(const core::StateSchema& schema, double tickRateHz, double snapshotInterval, int capacity = 32);

  // Keeps a copy of the frame (ignored when older than the newest); updates the delay.
  // `stale`, when given, holds a mark per object: 1 for one the frame does not carry.
  void push(const core::StateFrame& frame, double jitterSeconds, double lossFraction,
            const std::vector<uint8_t>* stale = nullptr);
  // The delay behind the estimated server time that the buffer samples at.
  double delay() const { return delay_; }
  // Fills `out` (sized for the schema) at server time `t`; false before any frame arrived.
  // Scalars come from the newer neighbour.
  bool sample(double t, core::StateFrame& out) const;
  size_t size() const { return count_; }
  const core::StateFrame* newest() const;
  // How far past the newest frame the last sample reached (seconds; 0 when inside).
  double lastExtrapolation() const { return extrapolated_; }
  // The same for one object: past the newest frame that carried it.
  double lastExtrapolation(size_t object) const { return objectExtrapolated_[object]; }

 private:
  const core::StateFrame& at(size_t i) const;  // 0 = oldest
  bool carries(size_t i, size_t object) const;  // frame at(i) carries the object (not stale)

  core::StateSchema schema_;
  double dt_, interval_;
  std::vector<core::StateFrame> frames_;
  std::vector<std::vector<uint8_t>> stale_;  // per frame slot, per object
  size_t head_ = 0, count_ = 0;
  double delay_;
  mutable double extrapolated_ = 0;
  mutable std::vector<double> objectExtrapolated_;
  std::vector<uint32_t> staleRuns_;  // per object: frames in a row that left it out
  double staleRun_ = 0;              // the longest lately (decays), in frames
};

// One object between two frames `span` seconds apart at fraction u (0..1): Hermite on
// position when `useVelocity`, slerp on orientation, velocities blended.
core::ObjectState interpolateObject(const core::ObjectState& a, const core::ObjectState& b, float u, float span,
                                    bool useVelocity);

}  // namespace pav::net
