// A station's link as the server sends to it: budget, snapshot rate, outages (link_budget.h).
#include "pav/net/link_budget.h"

#include <algorithm>

namespace pav::net {

LinkBudget::LinkBudget(const LinkBudgetDesc& desc)
    : desc_(desc), estimateKbps_(std::clamp(desc.startKbps, desc.minKbps, desc.maxKbps)) {
  desc_.maxDivider = std::max(1, desc_.maxDivider);
}

void LinkBudget::refill(double now) {
  const double perSecond = budgetKbps() * 1000.0 / 8.0;  // bytes
  const double depth = perSecond * 0.1;
  if (tokens_ < 0) {
    tokens_ = depth;
  } else if (now > tokenTime_) {
    tokens_ = std::min(depth, tokens_ + (now - tokenTime_) * perSecond * 0.9);
  }
  tokenTime_ = std::max(tokenTime_, now);
}

bool LinkBudget::take(double now, size_t bytes) {
  refill(now);
  const double cost = double(bytes) + kOverheadBytes;
  if (cost > tokens_) {
    ++skipped_;
    return false;
  }
  tokens_ -= cost;
  usedBytes_ += cost;
  return true;
}

double LinkBudget::room(double now) {
  refill(now);
  return std::max(0.0, tokens_ - kOverheadBytes);
}

void LinkBudget::onLinkSample(double now, double rttMs, double loss) {
  if (now < quietUntil_ || rttMs <= 0) return;
  minRttMs_ = std::min(minRttMs_, rttMs);
  // Two samples in a row (half a second): one late acknowledgement (a busy machine, one
  // retransmission) is not a full queue.
  const bool congested = rttMs > minRttMs_ + kQueueRttMs || loss > kCongestedLoss;
  congestedSamples_ = congested ? congestedSamples_ + 1 : 0;
  if (congestedSamples_ >= 2) {
    if (now - lastCut_ < 0.5) return;  // one cut per half second: the link needs time to drain
    lastCut_ = lastStep_ = lastGrow_ = now;
    usedBytes_ = 0;
    ++congestions_;
    estimateKbps_ = std::max(desc_.minKbps, estimateKbps_ * 0.7);
    divider_ = std::min(desc_.maxDivider, divider_ * 2);
    return;
  }
  if (now - lastGrow_ >= 1.0) {
    const double usedKbps = usedBytes_ * 8 / 1000 / std::min(now - lastGrow_, 10.0);
    if (usedKbps > estimateKbps_ * 0.5) estimateKbps_ = std::min(desc_.maxKbps, estimateKbps_ * 1.15);
    lastGrow_ = now;
    usedBytes_ = 0;
  }
  if (divider_ > 1 && now - lastCut_ >= kRecoverSeconds && now - lastStep_ >= kRecoverSeconds) {
    lastStep_ = now;
    divider_ = std::max(1, divider_ / 2);
  }
}

bool LinkBudget::onHeardAfter(double now, double silentSeconds) {
  if (silentSeconds < kOutageSeconds) return false;
  recent_[outages_ % kOutagesKept] = {now, silentSeconds, 0};
  ++outages_;
  longest_ = std::max(longest_, silentSeconds);
  quietUntil_ = now + 1.0;
  return true;
}

void LinkBudget::onCorrection(double now, double mm) {
  if (outages_ == 0) return;
  OutageRecord& last = recent_[(outages_ - 1) % kOutagesKept];
  if (now - last.endedAt <= 1.0) last.correctionMm = std::max(last.correctionMm, mm);
}

const OutageRecord& LinkBudget::outage(int i) const {
  const uint64_t first = outages_ - uint64_t(outagesKept());
  return recent_[(first + uint64_t(i)) % kOutagesKept];
}

}  // namespace pav::net
