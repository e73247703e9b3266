// A station's link as the session server sends to it: the bandwidth budget in force, the
// snapshot rate the link can take, and the outages seen. Plain arithmetic on the caller's clock
// (seconds), so its decisions are tested without a network.
//
//   LinkBudget budget({.operatorKbps = 0});          // 0: estimate the budget from the link
//   if (budget.rateAllows(snapshotIndex)) {          // every divider()-th snapshot
//     const size_t n = encode(...);
//     if (budget.take(now, n)) send(...);            // fits the budget: sent; else skipped
//   }                                                // (the server cuts one to budget.room(now)
//                                                    // first: priority.h)
//   budget.onLinkSample(now, rttMs, lossFraction);   // a few times a second
//
// The budget: the operator's figure, or an estimate that starts at startKbps, backs off by 30 %
// when the link says it is congested and grows by 15 % for each second it stays clear while
// more than half of it is used (a link carrying less has shown nothing about more). Sending
// is metered by a token bucket filled at 90 % of the budget and holding 10 % of a second's: so
// the bytes sent in any one-second window never pass the budget. Each datagram is counted with
// kOverheadBytes for the ENet, UDP and IPv4 headers.
//
// Congestion is a round trip grown past the link's own (the least seen) by more than
// kQueueRttMs, which is what a full bottleneck queue does, or ENet's loss estimate past 10 %,
// in two samples in a row.
// Then the snapshot rate halves (the divider doubles, up to maxDivider); once the link has been
// clear for kRecoverSeconds it steps back up, one step each kRecoverSeconds. An outage (the
// station silent for kOutageSeconds or more) is not congestion: samples are ignored until a
// second after it ends, and it is recorded with its length.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace pav::net {

struct LinkBudgetDesc {
  double operatorKbps = 0;  // the budget the operator set; 0: estimated
  double startKbps = 2000;  // the estimate's first value
  double minKbps = 64, maxKbps = 50000;
  int maxDivider = 4;       // the snapshot rate falls to a quarter at most
};

struct OutageRecord {
  double endedAt = 0;     // the caller's clock
  double seconds = 0;     // how long the station was silent
  double correctionMm = 0;  // the largest correction the station reported after it (filled later)
};

class LinkBudget {
 public:
  static constexpr double kOverheadBytes = 40;   // ENet 12 + UDP 8 + IPv4 20, per datagram
  static constexpr double kQueueRttMs = 60;
  static constexpr double kCongestedLoss = 0.10;
  static constexpr double kRecoverSeconds = 2.0;
  static constexpr double kOutageSeconds = 0.15;
  static constexpr int kOutagesKept = 8;

  explicit LinkBudget(const LinkBudgetDesc& desc = {});

  // Whether the snapshot with this index (snapshot ticks counted from 0) is one to send.
  bool rateAllows(uint64_t index) const { return index % uint64_t(divider_) == 0; }
  // A datagram of `bytes` payload: true, and counted against the budget, when it fits now.
  bool take(double now, size_t bytes);
  // The payload bytes a datagram may have to fit now (0 when none fits).
  double room(double now);
  // The largest payload the bucket can ever hold.
  double maxRoom() const { return budgetKbps() * 1000.0 / 8.0 * 0.1 - kOverheadBytes; }
  // The bytes the budget adds to the bucket in `seconds`.
  double refillBytes(double seconds) const { return budgetKbps() * 1000.0 / 8.0 * 0.9 * seconds; }
  // What the link measured: the round trip and ENet's loss estimate (0..1).
  void onLinkSample(double now, double rttMs, double loss);
  // The station was last heard `silentSeconds` before `now`, and is heard again: an outage when
  // long enough. Returns whether it was one.
  bool onHeardAfter(double now, double silentSeconds);
  // The station reported a correction (mm) at `now`: kept as the largest after the last outage
  // while within a second of its end.
  void onCorrection(double now, double mm);

  double budgetKbps() const { return desc_.operatorKbps > 0 ? desc_.operatorKbps : estimateKbps_; }
  double estimateKbps() const { return estimateKbps_; }
  int divider() const { return divider_; }
  uint64_t skipped() const { return skipped_; }  // snapshots that did not fit the budget
  uint64_t congestions() const { return congestions_; }
  uint64_t outages() const { return outages_; }
  double longestOutage() const { return longest_; }
  // The newest outages, oldest first: outage(0) .. outage(outagesKept() - 1).
  int outagesKept() const { return int(outages_ < kOutagesKept ? outages_ : kOutagesKept); }
  const OutageRecord& outage(int i) const;

 private:
  void refill(double now);

  LinkBudgetDesc desc_;
  double estimateKbps_;
  int divider_ = 1;
  double tokens_ = -1, tokenTime_ = 0;  // tokens_ < 0: not started
  double usedBytes_ = 0;                // taken since the last growth check
  int congestedSamples_ = 0;            // in a row
  double minRttMs_ = 1e9;
  double lastCut_ = -1e9, lastStep_ = -1e9, lastGrow_ = -1e9, quietUntil_ = -1e9;
  uint64_t skipped_ = 0, congestions_ = 0, outages_ = 0;
  double longest_ = 0;
  std::array<OutageRecord, kOutagesKept> recent_{};
};

}  // namespace pav::net
