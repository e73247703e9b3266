// Gaffer's priority accumulator for snapshots cut to a budget (see priority.h).
#include "pav/net/priority.h"

#include <algorithm>
#include <cmath>

namespace pav::net {

SnapshotPrioritizer::SnapshotPrioritizer(const core::StateSchema& schema)
    : velocityMax_(schema.velocityMax), priority_(size_t(std::max(0, schema.objects)), 0.0f),
      weight_(priority_.size(), 0.0f), order_(priority_.size(), 0) {
  const glm::vec3 box = schema.positionMax - schema.positionMin;
  reach_ = std::max(1e-3f, glm::length(box) * 0.25f);
}

void SnapshotPrioritizer::accumulate(const core::StateFrame& frame, const QuantFrame& current,
                                     const QuantFrame& baseline, int own) {
  const size_t n = priority_.size();
  const bool hasOwn = own >= 0 && size_t(own) < n && frame.objects.size() == n;
  const glm::vec3 center = hasOwn ? frame.objects[size_t(own)].position : glm::vec3(0.0f);
  changed_ = 0;
  for (size_t i = 0; i < n; ++i) {
    if (current.objects[i] == baseline.objects[i]) {  // the station has it: current, and free
      priority_[i] = weight_[i] = 0;
      continue;
    }
    float w = 1.0f;
    if (i < frame.objects.size()) {
      const core::ObjectState& o = frame.objects[i];
      if (hasOwn) w += kNearWeight * std::max(0.0f, 1.0f - glm::length(o.position - center) / reach_);
      if (velocityMax_ > 0) w += kSpeedWeight * std::min(1.0f, glm::length(o.velocity) / velocityMax_);
    }
    weight_[i] = w;
    priority_[i] += w;
    if (int(i) != own) order_[size_t(changed_++)] = int32_t(i);
  }
  // Highest priority first; ties by index, so the choice is the same on every run.
  std::sort(order_.begin(), order_.begin() + changed_, [&](int32_t a, int32_t b) {
    return priority_[size_t(a)] != priority_[size_t(b)] ? priority_[size_t(a)] > priority_[size_t(b)] : a < b;
  });
}

void SnapshotPrioritizer::wroteAll() { std::fill(priority_.begin(), priority_.end(), 0.0f); }

void SnapshotPrioritizer::build(const QuantFrame& current, const QuantFrame& baseline, int k, QuantFrame& out) const {
  out.tick = current.tick;
  out.scalars = current.scalars;
  std::copy(current.objects.begin(), current.objects.end(), out.objects.begin());
  std::fill(out.stale.begin(), out.stale.end(), uint8_t(0));
  for (int r = k; r < changed_; ++r) {
    const auto i = size_t(order_[size_t(r)]);
    out.objects[i] = baseline.objects[i];
    out.stale[i] = 1;
  }
}

void SnapshotPrioritizer::wrote(int k, int own) {
  for (int r = 0; r < k; ++r) priority_[size_t(order_[size_t(r)])] = 0;
  if (own >= 0 && size_t(own) < priority_.size()) priority_[size_t(own)] = 0;
}

}  // namespace pav::net
