// Fixed-timestep stepping with a clamped residual (the loop of Quake III / DOOM 3 BFG and
// "Fix Your Timestep"). The loop measures elapsed wall time and hands it in; the accumulator
// decides how many fixed ticks to run and hands each one a tick number and dt. Simulation code
// never reads a clock, so the same inputs give the same ticks on a server, a station or a test.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace pav::core {

struct FixedStepDesc {
  double tickRateHz = 0;     // 0 means 60
  int maxTicksPerAdvance = 0;  // 0 means 8: after a stall we drop time rather than spiral
};

class FixedStep {
 public:
  explicit FixedStep(const FixedStepDesc& desc = {});

  double dt() const { return dt_; }
  uint64_t tick() const { return tick_; }  // ticks run so far; the next tick's number
  // Fraction of a tick left in the accumulator, in [0, 1): how far to blend between the
  // previous and the current simulated state when drawing.
  double alpha() const { return residual_ / dt_; }
  // Seconds of real time dropped because a frame needed more than maxTicksPerAdvance ticks.
  double droppedSeconds() const { return dropped_; }

  // Adds `elapsedSeconds` of real time and calls step(tick, dt) for each whole tick.
  // Returns the number of ticks run. Negative or non-finite time counts as zero.
  template <typename StepFn>
  int advance(double elapsedSeconds, StepFn&& step) {
    const int n = accumulate(elapsedSeconds);
    for (int i = 0; i < n; ++i) step(tick_++, dt_);
    return n;
  }

 private:
  int accumulate(double elapsedSeconds);

  double dt_;
  int maxTicks_;
  double residual_ = 0;
  double dropped_ = 0;
  uint64_t tick_ = 0;
};

// The one place the main loop reads a clock: seconds since the previous lap().
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()), last_(start_) {}
  // Seconds since the stopwatch was made (a steady clock for sessions).
  double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  double lap() {
    const auto now = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return s;
  }

 private:
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace pav::core
