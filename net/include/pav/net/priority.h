// Which objects go into a snapshot that does not fit a station's budget whole: Gaffer's
// priority accumulator ("Snapshot compression" / "State synchronization", gafferongames.com).
//
// One accumulator per station (seat). Every snapshot the station is due, each object that
// differs from the station's baseline adds its weight for that seat to its priority; an object
// equal to the baseline costs nothing to send and is current, so its priority goes to 0. When
// the whole snapshot fits the budget everything is written and every priority goes to 0. When
// it does not, fit() writes the seat's own object always, then the changed objects in order of
// priority, as many as fit the bytes left; the others are marked stale (they keep the
// baseline's value, snapshot.h) and keep their priority, so they go first next time. Written
// ones go back to 0.
//
// The weight of a changed object for a seat, in [1, 1 + kNearWeight + kSpeedWeight]:
//   1                                   every changed object: none waits for ever
//   + kNearWeight * (1 - d / reach)     the nearest to the seat's own object (d its distance,
//                                       reach a quarter of the schema's box diagonal; 0 past it)
//   + kSpeedWeight * |v| / velocityMax  the fastest (0 when the schema has no velocities)
// So an object waiting m snapshots has priority at least m, while another one, once written,
// needs m / kMaxWeight snapshots to pass it again: whenever the own object and one more fit,
// every changed object is written within a bounded number of snapshots, about
// 2 * kMaxWeight * (objects - 2) at worst (tests/net/priority_test.cpp measures it).
//
//   SnapshotPrioritizer prio(schema);                        // per station, allocates here
//   prio.accumulate(frame, current, baseline, own);          // each snapshot the station is due
//   if (whole fits) prio.wroteAll();
//   else prio.fit(current, baseline, own, out, [&](const QuantFrame& f) { return encode(f) <= room; });
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "pav/core/state.h"
#include "pav/net/snapshot.h"

namespace pav::net {

class SnapshotPrioritizer {
 public:
  static constexpr float kNearWeight = 4.0f;
  static constexpr float kSpeedWeight = 4.0f;
  static constexpr float kMaxWeight = 1.0f + kNearWeight + kSpeedWeight;

  explicit SnapshotPrioritizer(const core::StateSchema& schema);

  // One snapshot due: `frame` is the state (floats, for distances and speeds), `current` the
  // same quantized, `baseline` what the station holds; `own` the seat's object (-1: none).
  void accumulate(const core::StateFrame& frame, const QuantFrame& current, const QuantFrame& baseline, int own);
  // The whole snapshot was written: every priority back to 0.
  void wroteAll();
  // Fills `out` (sized by the codec) with the own object and as many of the changed objects,
  // highest priority first, as `fits(out)` allows; the rest stale. Returns how many changed
  // objects besides the own one it wrote, or -1 when not even the own object alone (with no
  // own object: one object) fits; then nothing is reset and `out` is unspecified. No allocation.
  template <typename Fits>
  int fit(const QuantFrame& current, const QuantFrame& baseline, int own, QuantFrame& out, Fits&& fits);

  float priority(int object) const { return priority_[size_t(object)]; }
  // The weight the last accumulate() gave an object (0 when it was unchanged).
  float weight(int object) const { return weight_[size_t(object)]; }

 private:
  // `out` = current for the own object, the unchanged ones and the first `k` of order_; the
  // baseline's value, marked stale, for the other changed ones.
  void build(const QuantFrame& current, const QuantFrame& baseline, int k, QuantFrame& out) const;
  void wrote(int k, int own);

  float reach_;
  float velocityMax_;
  std::vector<float> priority_, weight_;
  std::vector<int32_t> order_;  // changed objects but the own one, highest priority first
  int changed_ = 0;             // entries of order_ in use
};

template <typename Fits>
int SnapshotPrioritizer::fit(const QuantFrame& current, const QuantFrame& baseline, int own, QuantFrame& out,
                             Fits&& fits) {
  // The largest k that fits, by bisection (sizes grow with k; the last one is checked). A seat
  // with no object of its own needs one object at least: a snapshot of none carries nothing.
  int lo = own >= 0 ? 0 : std::min(1, changed_);
  build(current, baseline, lo, out);
  if (!fits(out)) return -1;
  int hi = changed_;
  while (lo < hi) {
    const int mid = (lo + hi + 1) / 2;
    build(current, baseline, mid, out);
    if (fits(out)) lo = mid;
    else hi = mid - 1;
  }
  build(current, baseline, lo, out);
  wrote(lo, own);
  return lo;
}

}  // namespace pav::net
