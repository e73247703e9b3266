// The link model: outages, Gilbert-Elliott burst loss and a token bucket with its queue.
#include "pav/net/link_model.h"

#include <algorithm>
#include <cmath>

namespace pav::net {

LinkModel::LinkModel(const LinkDirection& direction, const BurstLoss& burst, const Outages& outages, uint64_t seed)
    : direction_(direction), burst_(burst), outages_(outages), rng_(seed) {}

bool LinkModel::inOutage(double ms) const {
  if (outages_.lengthMs <= 0 || outages_.periodMs <= outages_.lengthMs || ms < outages_.periodMs) return false;
  return std::fmod(ms, outages_.periodMs) < outages_.lengthMs;
}

double LinkModel::queueDelayMs(double nowMs) const {
  if (direction_.kbps <= 0) return 0;
  return std::max(0.0, tokenMs_ - nowMs);
}

LinkFate LinkModel::admit(double nowMs, int bytes) {
  // Draws happen in a fixed order whatever the outcome, so one datagram's fate never shifts
  // the random sequence of the ones after it differently from one run to the next.
  const double transition = unit();
  const double lossDraw = unit();
  if (inOutage(nowMs)) return {LinkFate::Kind::Outage, 0};
  bad_ = bad_ ? !(transition < burst_.leave) : transition < burst_.enter;
  if (lossDraw < (bad_ ? burst_.badLoss : burst_.goodLoss)) return {LinkFate::Kind::BurstLost, 0};
  if (direction_.kbps <= 0) return {LinkFate::Kind::Sent, nowMs};

  // Token bucket behind a FIFO: the datagram starts waiting when the one before it left.
  const double bytesPerMs = direction_.kbps / 8.0;
  const double start = std::max(nowMs, tokenMs_);
  const double tokens = std::min(kBucketBytes, tokens_ + (start - tokenMs_) * bytesPerMs);
  const double depart = tokens >= bytes ? start : start + (bytes - tokens) / bytesPerMs;
  if (depart - nowMs > direction_.queueMs) return {LinkFate::Kind::QueueFull, 0};
  tokens_ = tokens >= bytes ? tokens - bytes : 0;
  tokenMs_ = depart;
  return {LinkFate::Kind::Sent, depart};
}

}  // namespace pav::net
