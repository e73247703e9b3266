// The station's clock estimate and interpolation buffer (see interpolation.h).
#include "pav/net/interpolation.h"

#include <algorithm>
#include <cmath>

#include "pav/core/error.h"

namespace pav::net {
namespace {

constexpr double kSnapSeconds = 0.25;     // an estimate this wrong is replaced, not nudged
constexpr double kOffsetGain = 0.05;      // how fast the estimate follows the arrivals
constexpr double kJitterGain = 0.1;
constexpr double kMaxExtrapolation = InterpolationBuffer::kMaxExtrapolation;
constexpr double kMaxDelay = 0.25;
constexpr double kStaleRunDecay = 0.05;  // the longest stale run remembered: a frame less per 20

}  // namespace

void ServerClock::onSnapshot(uint64_t tick, double now, double rttSeconds) {
  const double sample = static_cast<double>(tick) * dt_ + rttSeconds * 0.5 - now;
  if (samples_++ == 0) {
    offset_ = sample;
    return;
  }
  const double err = sample - offset_;
  jitter_ += (std::abs(err) - jitter_) * kJitterGain;
  if (std::abs(err) > kSnapSeconds) offset_ = sample;
  else offset_ += err * kOffsetGain;
}

InterpolationBuffer::InterpolationBuffer(const core::StateSchema& schema, double tickRateHz, double snapshotInterval,
                                         int capacity)
    : schema_(schema), dt_(1.0 / tickRateHz), interval_(snapshotInterval), frames_(size_t(std::max(capacity, 4))),
      delay_(snapshotInterval * 1.5) {
  for (core::StateFrame& f : frames_) f.resize(schema);
  stale_.assign(frames_.size(), std::vector<uint8_t>(size_t(std::max(0, schema.objects)), 0));
  objectExtrapolated_.assign(size_t(std::max(0, schema.objects)), 0.0);
  staleRuns_.assign(size_t(std::max(0, schema.objects)), 0);
}

bool InterpolationBuffer::carries(size_t i, size_t object) const {
  return !stale_[(head_ + frames_.size() - count_ + i) % frames_.size()][object];
}

const core::StateFrame& InterpolationBuffer::at(size_t i) const {
  return frames_[(head_ + frames_.size() - count_ + i) % frames_.size()];
}

const core::StateFrame* InterpolationBuffer::newest() const { return count_ ? &at(count_ - 1) : nullptr; }

void InterpolationBuffer::push(const core::StateFrame& frame, double jitter, double loss,
                               const std::vector<uint8_t>* stale) {
  if (count_ && frame.tick <= at(count_ - 1).tick) return;  // late or duplicate: the newer one wins
  PAV_CHECK(frame.objects.size() == frames_[0].objects.size(), "interpolation: frame of another schema");
  PAV_CHECK(!stale || stale->size() == frame.objects.size(), "interpolation: stale marks of another schema");
  frames_[head_] = frame;  // same size: no allocation
  if (stale) std::copy(stale->begin(), stale->end(), stale_[head_].begin());
  else std::fill(stale_[head_].begin(), stale_[head_].end(), uint8_t(0));
  // The longest run of frames leaving one object out, lately: the delay covers it, so a cut
  // object is interpolated between the frames that carried it rather than guessed ahead.
  uint32_t longest = 0;
  for (size_t k = 0; k < staleRuns_.size(); ++k) {
    staleRuns_[k] = stale_[head_][k] ? staleRuns_[k] + 1 : 0;
    longest = std::max(longest, staleRuns_[k]);
  }
  staleRun_ = std::max(double(longest), staleRun_ - kStaleRunDecay);
  head_ = (head_ + 1) % frames_.size();
  count_ = std::min(count_ + 1, frames_.size());
  // One interval to have a frame on each side, jitter's spread, and a spare interval per
  // level of loss so one or two lost snapshots are bridged by interpolation, not guessed.
  double target = interval_ + 2.0 * jitter;
  if (loss > 0.005) target += interval_;
  if (loss > 0.05) target += interval_;
  target += interval_ * staleRun_;
  target = std::clamp(target, interval_, kMaxDelay);
  delay_ += (target - delay_) * 0.1;
}

core::ObjectState interpolateObject(const core::ObjectState& a, const core::ObjectState& b, float u, float span,
                                    bool useVelocity) {
  core::ObjectState o;
  if (useVelocity) {
    const float u2 = u * u, u3 = u2 * u;
    const float h00 = 2 * u3 - 3 * u2 + 1, h10 = u3 - 2 * u2 + u, h01 = -2 * u3 + 3 * u2, h11 = u3 - u2;
    o.position = h00 * a.position + h10 * span * a.velocity + h01 * b.position + h11 * span * b.velocity;
  } else {
    o.position = glm::mix(a.position, b.position, u);
  }
  o.orientation = glm::slerp(a.orientation, b.orientation, u);
  o.velocity = glm::mix(a.velocity, b.velocity, u);
  o.angularVelocity = glm::mix(a.angularVelocity, b.angularVelocity, u);
  return o;
}

bool InterpolationBuffer::sample(double t, core::StateFrame& out) const {
  if (!count_) return false;
  const bool velocities = schema_.velocityMax > 0;
  const auto time = [&](const core::StateFrame& f) { return double(f.tick) * dt_; };
  const core::StateFrame& last = at(count_ - 1);
  extrapolated_ = std::max(0.0, t - time(last));
  out.tick = last.tick;
  out.scalars = last.scalars;
  if (t < time(last) && count_ > 1) {
    size_t i = 0;
    while (i + 2 < count_ && time(at(i + 1)) <= t) ++i;
    out.tick = at(i).tick;
    out.scalars = at(i + 1).scalars;
  }
  for (size_t k = 0; k < out.objects.size(); ++k) {
    // The newest frame that carries the object; if none does (it has been stale longer than
    // the buffer holds), the newest frame's value is still the newest known.
    size_t newest = count_ - 1;
    while (newest > 0 && !carries(newest, k)) --newest;
    if (!carries(newest, k)) newest = count_ - 1;
    const core::StateFrame& n = at(newest);
    objectExtrapolated_[k] = std::max(0.0, t - time(n));
    if (t >= time(n) || newest == 0) {  // past it: move on with its velocity, 100 ms at most
      const double ahead = std::clamp(t - time(n), 0.0, kMaxExtrapolation);
      out.objects[k] = n.objects[k];
      if (velocities) out.objects[k].position += n.objects[k].velocity * float(ahead);
      continue;
    }
    // Between the two frames around t that carry it (the oldest one when t is before all).
    size_t b = newest;
    size_t a = b;
    for (size_t j = b; j-- > 0;) {
      if (!carries(j, k)) continue;
      a = j;
      if (time(at(j)) <= t) break;
      b = j;
    }
    if (a == b) {
      out.objects[k] = at(a).objects[k];
      continue;
    }
    const double span = time(at(b)) - time(at(a));
    const float u = float(std::clamp((t - time(at(a))) / span, 0.0, 1.0));
    out.objects[k] = interpolateObject(at(a).objects[k], at(b).objects[k], u, float(span), velocities);
  }
  return true;
}

}  // namespace pav::net
