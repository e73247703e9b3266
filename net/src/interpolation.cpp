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
constexpr double kMaxExtrapolation = 0.1;
constexpr double kMaxDelay = 0.25;

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
}

const core::StateFrame& InterpolationBuffer::at(size_t i) const {
  return frames_[(head_ + frames_.size() - count_ + i) % frames_.size()];
}

const core::StateFrame* InterpolationBuffer::newest() const { return count_ ? &at(count_ - 1) : nullptr; }

void InterpolationBuffer::push(const core::StateFrame& frame, double jitter, double loss) {
  if (count_ && frame.tick <= at(count_ - 1).tick) return;  // late or duplicate: the newer one wins
  PAV_CHECK(frame.objects.size() == frames_[0].objects.size(), "interpolation: frame of another schema");
  frames_[head_] = frame;  // same size: no allocation
  head_ = (head_ + 1) % frames_.size();
  count_ = std::min(count_ + 1, frames_.size());
  // One interval to have a frame on each side, jitter's spread, and a spare interval per
  // level of loss so one or two lost snapshots are bridged by interpolation, not guessed.
  double target = interval_ + 2.0 * jitter;
  if (loss > 0.005) target += interval_;
  if (loss > 0.05) target += interval_;
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
  extrapolated_ = 0;
  if (t >= time(last) || count_ == 1) {
    const double ahead = std::clamp(t - time(last), 0.0, kMaxExtrapolation);
    extrapolated_ = std::max(0.0, t - time(last));
    out.tick = last.tick;
    out.scalars = last.scalars;
    for (size_t i = 0; i < out.objects.size(); ++i) {
      out.objects[i] = last.objects[i];
      if (velocities) out.objects[i].position += last.objects[i].velocity * float(ahead);
    }
    return true;
  }
  size_t i = 0;
  while (i + 2 < count_ && time(at(i + 1)) <= t) ++i;
  const core::StateFrame& a = at(i);
  const core::StateFrame& b = at(i + 1);
  const double span = time(b) - time(a);
  const float u = float(std::clamp((t - time(a)) / span, 0.0, 1.0));
  out.tick = a.tick;
  out.scalars = b.scalars;
  for (size_t k = 0; k < out.objects.size(); ++k)
    out.objects[k] = interpolateObject(a.objects[k], b.objects[k], u, float(span), velocities);
  return true;
}

}  // namespace pav::net
