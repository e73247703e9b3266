// FixedStep: accumulate real time, run whole ticks, clamp the backlog after a stall.
#include "pav/core/fixed_step.h"

#include <cmath>

#include "pav/core/error.h"

namespace pav::core {

FixedStep::FixedStep(const FixedStepDesc& desc)
    : dt_(1.0 / (desc.tickRateHz > 0 ? desc.tickRateHz : 60.0)),
      maxTicks_(desc.maxTicksPerAdvance > 0 ? desc.maxTicksPerAdvance : 8) {
  PAV_CHECK(std::isfinite(desc.tickRateHz) && desc.tickRateHz >= 0 && desc.tickRateHz <= 10000,
            "tick rate %g Hz is out of range (0 for the default 60 Hz, else up to 10000)", desc.tickRateHz);
}

int FixedStep::accumulate(double elapsedSeconds) {
  if (!std::isfinite(elapsedSeconds) || elapsedSeconds < 0) elapsedSeconds = 0;
  residual_ += elapsedSeconds;
  // Small epsilon so that exactly n*dt of input yields n ticks despite rounding.
  const double eps = dt_ * 1e-9;
  int n = static_cast<int>(std::floor((residual_ + eps) / dt_));
  // Clamp: run at most maxTicks_; the whole ticks left over are dropped below, keeping the
  // fraction of a tick so the blend factor stays continuous.
  if (n > maxTicks_) n = maxTicks_;
  residual_ -= n * dt_;
  if (residual_ >= dt_) {
    dropped_ += residual_ - std::fmod(residual_, dt_);
    residual_ = std::fmod(residual_, dt_);
  }
  if (residual_ < 0) residual_ = 0;
  return n;
}

}  // namespace pav::core
