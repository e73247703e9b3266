// Tests for pav::core::FixedStep, the accumulator that turns measured wall time into fixed ticks.
// Simulation correctness (and replays, and server/station agreement) rests on this class handing
// out the same tick numbers and dt for the same inputs, so the tests pin those outcomes exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "pav/core/error.h"
#include "pav/core/fixed_step.h"

using pav::core::FixedStep;
using pav::core::FixedStepDesc;

namespace {

struct Tick {
  uint64_t number;
  double dt;
  bool operator==(const Tick&) const = default;
};

// Runs one advance and records every tick it produced, so tests can compare whole sequences.
int advanceInto(FixedStep& fs, double elapsed, std::vector<Tick>& out) {
  return fs.advance(elapsed, [&](uint64_t n, double dt) { out.push_back({n, dt}); });
}

FixedStep makeStep(double hz, int maxTicks = 0) {
  FixedStepDesc d;
  d.tickRateHz = hz;
  d.maxTicksPerAdvance = maxTicks;
  return FixedStep(d);
}

}  // namespace

TEST(FixedStep, DefaultsTo60HzAnd8TicksPerAdvance) {
  FixedStep fs;
  EXPECT_DOUBLE_EQ(fs.dt(), 1.0 / 60.0);
  EXPECT_EQ(fs.tick(), 0u);
  EXPECT_DOUBLE_EQ(fs.alpha(), 0.0);
  EXPECT_DOUBLE_EQ(fs.droppedSeconds(), 0.0);
  // The default clamp only shows when a stall asks for more than 8 ticks at once.
  EXPECT_EQ(fs.advance(1.0, [](uint64_t, double) {}), 8);
}

TEST(FixedStep, ExactMultipleOfDtRunsExactlyThatManyTicks) {
  // 60 Hz is the awkward case: 1/60 is not representable, so n*dt only equals n ticks thanks to
  // the accumulator's epsilon. A lost tick here would make the simulation drift behind the clock.
  for (int n : {1, 2, 3, 5, 7, 8}) {
    FixedStep fs = makeStep(60.0, 8);
    std::vector<Tick> ticks;
    EXPECT_EQ(advanceInto(fs, n * fs.dt(), ticks), n) << "n = " << n;
    ASSERT_EQ(ticks.size(), static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(ticks[i].number, static_cast<uint64_t>(i));
      EXPECT_EQ(ticks[i].dt, fs.dt());
    }
    EXPECT_EQ(fs.tick(), static_cast<uint64_t>(n));
    EXPECT_DOUBLE_EQ(fs.droppedSeconds(), 0.0);
  }
}

TEST(FixedStep, OneDtPerFrameForManyFramesNeverSkipsOrDoublesATick) {
  // A 60 Hz display feeding a 60 Hz simulation must see exactly one tick per frame; rounding that
  // accumulates over a long session would otherwise surface as an occasional 0- or 2-tick frame.
  FixedStep fs = makeStep(60.0);
  std::vector<Tick> ticks;
  for (int frame = 0; frame < 10000; ++frame) {
    ASSERT_EQ(advanceInto(fs, 1.0 / 60.0, ticks), 1) << "frame " << frame;
  }
  EXPECT_EQ(fs.tick(), 10000u);
  EXPECT_EQ(ticks.back().number, 9999u);
  EXPECT_DOUBLE_EQ(fs.droppedSeconds(), 0.0);
}

TEST(FixedStep, FractionalInputAccumulatesAcrossAdvances) {
  // 64 Hz keeps dt exact in binary, so the fractions below add up without rounding noise.
  FixedStep fs = makeStep(64.0);
  const double dt = fs.dt();
  std::vector<Tick> ticks;
  EXPECT_EQ(advanceInto(fs, 0.25 * dt, ticks), 0);
  EXPECT_DOUBLE_EQ(fs.alpha(), 0.25);
  EXPECT_EQ(advanceInto(fs, 0.5 * dt, ticks), 0);
  EXPECT_DOUBLE_EQ(fs.alpha(), 0.75);
  // The third quarter completes the first tick; the time is not lost between calls.
  EXPECT_EQ(advanceInto(fs, 0.5 * dt, ticks), 1);
  EXPECT_DOUBLE_EQ(fs.alpha(), 0.25);
  EXPECT_EQ(advanceInto(fs, 1.75 * dt, ticks), 2);
  EXPECT_DOUBLE_EQ(fs.alpha(), 0.0);
  ASSERT_EQ(ticks.size(), 3u);
  EXPECT_EQ(ticks[0].number, 0u);
  EXPECT_EQ(ticks[1].number, 1u);
  EXPECT_EQ(ticks[2].number, 2u);
}

TEST(FixedStep, AlphaStaysInHalfOpenUnitInterval) {
  // The renderer blends previous and current state by alpha; alpha >= 1 would extrapolate past
  // the newest simulated state, and a negative alpha would blend backwards.
  FixedStep fs = makeStep(90.0, 4);
  const double frames[] = {0.0,   0.001, 0.011, 1.0 / 90.0, 0.0123, 0.5,  0.007,
                           0.033, 2.0,   1e-9,  0.0111111,  0.0,    0.25, 3.0 / 90.0};
  for (int round = 0; round < 50; ++round) {
    for (double e : frames) {
      fs.advance(e, [](uint64_t, double) {});
      ASSERT_GE(fs.alpha(), 0.0) << "after elapsed " << e;
      ASSERT_LT(fs.alpha(), 1.0) << "after elapsed " << e;
    }
  }
}

TEST(FixedStep, LongStallIsClampedAndTheDroppedTimeReported) {
  // After a one-second hitch (a load, a breakpoint) we run at most maxTicks and drop the rest,
  // rather than spending the next frames catching up and stalling again.
  FixedStep fs = makeStep(64.0, 8);
  const double dt = fs.dt();
  std::vector<Tick> ticks;
  EXPECT_EQ(advanceInto(fs, 1.0, ticks), 8);  // 1 s at 64 Hz would be 64 ticks
  ASSERT_EQ(ticks.size(), 8u);
  EXPECT_EQ(ticks.back().number, 7u);
  EXPECT_EQ(fs.tick(), 8u);
  EXPECT_NEAR(fs.droppedSeconds(), 56 * dt, 1e-12);
  EXPECT_GE(fs.alpha(), 0.0);
  EXPECT_LT(fs.alpha(), 1.0);
  // The backlog is gone: the next normal frame runs one tick, not another burst.
  EXPECT_EQ(advanceInto(fs, dt, ticks), 1);
  EXPECT_EQ(ticks.back().number, 8u);
}

TEST(FixedStep, StallWithFractionKeepsTheFractionAndDropsWholeTicks) {
  FixedStep fs = makeStep(64.0, 4);
  const double dt = fs.dt();
  EXPECT_EQ(fs.advance(10.5 * dt, [](uint64_t, double) {}), 4);
  // Six whole ticks were dropped; the half tick stays for blending and the next frame.
  EXPECT_NEAR(fs.droppedSeconds(), 6 * dt, 1e-12);
  EXPECT_NEAR(fs.alpha(), 0.5, 1e-9);
}

TEST(FixedStep, EveryInputSecondIsRunKeptOrReportedDropped) {
  // Conservation: time in = ticks run + residual + dropped. If droppedSeconds() over- or
  // under-reports, frame-pacing telemetry built on it lies about how much time was lost.
  FixedStep fs = makeStep(60.0, 3);
  double totalIn = 0;
  const double frames[] = {0.016, 0.2, 0.001, 0.05, 1.0 / 60.0, 0.7, 0.0, 0.033, 0.1, 0.0166};
  for (int round = 0; round < 20; ++round) {
    for (double e : frames) {
      fs.advance(e, [](uint64_t, double) {});
      totalIn += e;
      const double accounted = fs.tick() * fs.dt() + fs.alpha() * fs.dt() + fs.droppedSeconds();
      ASSERT_NEAR(accounted, totalIn, 1e-9) << "round " << round << " elapsed " << e;
    }
  }
}

TEST(FixedStep, NegativeOrNonFiniteElapsedRunsNoTicks) {
  // A clock that goes backwards or a bad subtraction must not run the world, nor poison the
  // accumulator so that every later frame misbehaves.
  FixedStep fs = makeStep(64.0);
  const double dt = fs.dt();
  fs.advance(0.5 * dt, [](uint64_t, double) {});
  const double bad[] = {-1.0, -dt, -1e300, std::numeric_limits<double>::quiet_NaN(),
                        std::numeric_limits<double>::infinity(),
                        -std::numeric_limits<double>::infinity()};
  for (double e : bad) {
    int calls = 0;
    EXPECT_EQ(fs.advance(e, [&](uint64_t, double) { ++calls; }), 0) << "elapsed " << e;
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(fs.tick(), 0u);
    EXPECT_DOUBLE_EQ(fs.alpha(), 0.5) << "elapsed " << e;
    EXPECT_DOUBLE_EQ(fs.droppedSeconds(), 0.0);
  }
  // And the accumulator still works afterwards.
  EXPECT_EQ(fs.advance(0.5 * dt, [](uint64_t, double) {}), 1);
  EXPECT_EQ(fs.tick(), 1u);
}

TEST(FixedStep, SameElapsedSequenceGivesIdenticalTicks) {
  // Determinism is the point of the class: server, station and replay feed the same frame times
  // and must step the same ticks with the same dt.
  const double frames[] = {0.013, 0.021, 0.0, 0.4, 0.0167, 0.0169, 0.002, 0.09, 0.011, 0.03};
  auto run = [&] {
    FixedStep fs = makeStep(72.0, 5);
    std::vector<Tick> ticks;
    std::vector<double> alphas;
    for (int round = 0; round < 30; ++round) {
      for (double e : frames) {
        advanceInto(fs, e, ticks);
        alphas.push_back(fs.alpha());
      }
    }
    return std::make_pair(ticks, alphas);
  };
  const auto a = run();
  const auto b = run();
  ASSERT_FALSE(a.first.empty());
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.second, b.second);  // bit-identical, not merely close
  for (size_t i = 0; i < a.first.size(); ++i) ASSERT_EQ(a.first[i].number, i);
}

TEST(FixedStep, CustomRateSetsDt) {
  EXPECT_DOUBLE_EQ(makeStep(90.0).dt(), 1.0 / 90.0);
  EXPECT_DOUBLE_EQ(makeStep(10000.0).dt(), 1e-4);  // the upper bound itself is allowed
  EXPECT_DOUBLE_EQ(makeStep(0.5).dt(), 2.0);
}

TEST(FixedStep, InvalidRateThrows) {
  // A bad rate in a config file must stop start-up with a message, not run a simulation with a
  // negative or NaN dt.
  for (double hz : {-1.0, -60.0, 10000.5, 1e9, std::numeric_limits<double>::quiet_NaN(),
                    std::numeric_limits<double>::infinity(),
                    -std::numeric_limits<double>::infinity()}) {
    FixedStepDesc d;
    d.tickRateHz = hz;
    EXPECT_THROW((void)FixedStep{d}, pav::Error) << "rate " << hz;
  }
}

TEST(FixedStep, InvalidRateMessageNamesTheRate) {
  FixedStepDesc d;
  d.tickRateHz = -30;
  try {
    FixedStep fs(d);
    FAIL() << "expected pav::Error";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("-30"), std::string::npos) << e.what();
  }
}
