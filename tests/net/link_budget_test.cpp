// The server's per-station link policy on its own clock: the budget held in every one-second
// window, the snapshot rate cut by congestion and recovering, outages recorded with the largest
// correction after each. Nothing here reads a clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <utility>

#include "pav/net/link_budget.h"

namespace pav::net {
namespace {

TEST(LinkBudget, TheBytesOfEveryOneSecondWindowStayWithinTheBudget) {
  LinkBudget budget({.operatorKbps = 200});  // 25000 bytes a second
  // 60 snapshots a second of 500 bytes: 32400 bytes a second with the headers, more than fits.
  std::deque<std::pair<double, double>> window;  // (time, bytes) of the last second
  double inWindow = 0, sent = 0, worst = 0;
  int skipped = 0;
  for (int i = 0; i < 600; ++i) {
    const double now = i / 60.0;
    while (!window.empty() && window.front().first <= now - 1.0) {
      inWindow -= window.front().second;
      window.pop_front();
    }
    if (!budget.take(now, 500)) {
      ++skipped;
      continue;
    }
    const double bytes = 500 + LinkBudget::kOverheadBytes;
    window.emplace_back(now, bytes);
    inWindow += bytes;
    sent += bytes;
    worst = std::max(worst, inWindow);
  }
  EXPECT_LE(worst, 25000.0) << "never past the budget over a second";
  EXPECT_GT(sent / 10.0, 25000.0 * 0.8) << "yet most of it is used";
  EXPECT_GT(skipped, 100);
  EXPECT_EQ(budget.skipped(), uint64_t(skipped));
  EXPECT_EQ(budget.budgetKbps(), 200) << "the operator's figure is the budget";
  EXPECT_EQ(budget.divider(), 1);
}

TEST(LinkBudget, CongestionCutsTheSnapshotRateAndAClearLinkRestoresIt) {
  LinkBudget budget({.startKbps = 2000});
  double t = 0;
  bool busy = false;  // the server sends as much as the budget lets it
  const auto feed = [&](double seconds, double rttMs, double loss) {
    for (const double end = t + seconds; t < end; t += 0.25) {
      for (int k = 0; busy && k < 25; ++k)
        while (budget.take(t + k * 0.01, 1000)) {
        }
      budget.onLinkSample(t + 0.25, rttMs, loss);
    }
  };
  feed(3, 40, 0);
  EXPECT_EQ(budget.estimateKbps(), 2000) << "an idle link shows nothing about more";
  busy = true;
  feed(3, 40, 0);
  EXPECT_EQ(budget.divider(), 1);
  EXPECT_GT(budget.estimateKbps(), 2000) << "a clear, busy link lets the estimate grow";
  const double before = budget.estimateKbps();
  feed(1.5, 200, 0);  // a queue fills: the round trip grows far past the link's own
  EXPECT_EQ(budget.divider(), 4) << "halved, then halved again";
  EXPECT_LT(budget.estimateKbps(), before * 0.6);
  EXPECT_GE(budget.congestions(), 2u);
  EXPECT_TRUE(budget.rateAllows(8));
  EXPECT_FALSE(budget.rateAllows(9));
  feed(1, 45, 0.2);  // loss alone says congestion too
  EXPECT_EQ(budget.divider(), 4);
  feed(20, 42, 0);  // clear again
  EXPECT_EQ(budget.divider(), 1) << "the rate recovers";
  EXPECT_GT(budget.estimateKbps(), before) << "and so does the estimate";
  LinkBudget floor({.startKbps = 100, .minKbps = 64});
  for (double s = 0; s < 20; s += 0.25) floor.onLinkSample(s, s < 1 ? 20 : 500, 0);
  EXPECT_EQ(floor.estimateKbps(), 64) << "never below the floor";
}

TEST(LinkBudget, OutagesAreRecordedWithTheLargestCorrectionAfterEach) {
  LinkBudget budget;
  EXPECT_FALSE(budget.onHeardAfter(1.0, 0.05)) << "a late packet is no outage";
  EXPECT_TRUE(budget.onHeardAfter(2.0, 0.3));
  budget.onCorrection(2.1, 40);
  budget.onCorrection(2.5, 120);
  budget.onCorrection(3.5, 900) ;  // over a second later: not this outage's
  // The round trip is high right after an outage (ENet's retries): not congestion.
  for (double s = 2.0; s < 2.9; s += 0.25) budget.onLinkSample(s, 400, 0.5);
  EXPECT_EQ(budget.divider(), 1);
  EXPECT_EQ(budget.congestions(), 0u);
  ASSERT_EQ(budget.outagesKept(), 1);
  EXPECT_DOUBLE_EQ(budget.outage(0).seconds, 0.3);
  EXPECT_DOUBLE_EQ(budget.outage(0).correctionMm, 120);
  for (int i = 0; i < 12; ++i) budget.onHeardAfter(10.0 + i, 0.2 + i * 0.01);
  EXPECT_EQ(budget.outages(), 13u);
  ASSERT_EQ(budget.outagesKept(), LinkBudget::kOutagesKept);
  EXPECT_NEAR(budget.outage(LinkBudget::kOutagesKept - 1).seconds, 0.31, 1e-12) << "the newest last";
  EXPECT_NEAR(budget.outage(0).seconds, 0.24, 1e-12);
  EXPECT_NEAR(budget.longestOutage(), 0.31, 1e-12);
}

}  // namespace
}  // namespace pav::net
