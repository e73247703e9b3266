// The road-cycling power model (Martin et al. 1998) as free functions: the title steps riders
// with these, tests check them against a closed form, bots and trainers read the same forces.
//
// Model choices, and why:
//   - Speed is integrated, not kinetic energy: the energy form cannot start a rider rolling
//     down a descent from a standstill (dE = -F v dt is 0 at v = 0); the force form can.
//   - Heun's method rather than Euler: the same fixed point (so steady speeds are exact),
//     and second-order accuracy through accelerations and stops at 60 Hz.
//   - No rolling backwards: a real rider stalled on a climb unclips; letting them slide back
//     through the start line would only confuse distance, timing and the trainer.
//   - Grade is taken at the start of the tick: a stretch is tens of metres, a tick < 0.5 m.
//
// Index: effectiveMass, resistingForce, powerForSpeed, steadySpeed, stepRider, draftCdaFactor
#include <algorithm>
#include <cmath>

#include "pav/cycling/cycling.h"

namespace pav::cycling {
namespace {

// A grade is rise over run; the forces need the angle of the road.
struct Slope {
  double sin;
  double cos;
};
Slope slopeOf(double grade) {
  const double h = std::sqrt(1 + grade * grade);
  return {grade / h, 1 / h};
}

double wheelPower(const RiderParams& rider, double pedalPowerW) {
  return std::max(0.0, pedalPowerW) * (1 - rider.drivetrainLoss);
}

// Net forward acceleration at speed v (m/s^2). The drive is P / v, held finite near a
// standstill (kMinDriveSpeedMs) because a real crank delivers bounded torque.
double acceleration(const RiderParams& rider, const Environment& env, const Slope& slope,
                    double wheelW, double cdaFactor, double v) {
  const double drive = wheelW / std::max(v, kMinDriveSpeedMs);
  const double gravity = rider.massKg * env.gravity * slope.sin;
  const double rolling = rider.crr * rider.massKg * env.gravity * slope.cos;
  const double air = v + env.headwindMs;
  const double drag = 0.5 * env.airDensity * rider.cda * cdaFactor * air * std::abs(air);
  return (drive - gravity - rolling - drag) / effectiveMass(rider);
}

}  // namespace

double effectiveMass(const RiderParams& rider) {
  return rider.massKg + rider.wheelInertia / (rider.wheelRadius * rider.wheelRadius);
}

double resistingForce(const RiderParams& rider, const Environment& env, double grade,
                      double speedMs, double cdaFactor) {
  const Slope s = slopeOf(grade);
  const double air = speedMs + env.headwindMs;
  return rider.massKg * env.gravity * (s.sin + rider.crr * s.cos) +
         0.5 * env.airDensity * rider.cda * cdaFactor * air * std::abs(air);
}

double powerForSpeed(const RiderParams& rider, const Environment& env, double grade,
                     double speedMs, double cdaFactor) {
  const double wheelW = resistingForce(rider, env, grade, speedMs, cdaFactor) * speedMs;
  return std::max(0.0, wheelW / (1 - rider.drivetrainLoss));
}

double steadySpeed(const RiderParams& rider, const Environment& env, double grade,
                   double pedalPowerW, double cdaFactor) {
  // balance(v) = P_wheel - F(v) v is >= 0 at v = 0 and, past the speed where F turns positive,
  // falls for good; bisection keeps balance(lo) >= 0 > balance(hi) and finds that crossing.
  const double wheelW = wheelPower(rider, pedalPowerW);
  auto balance = [&](double v) {
    return wheelW - resistingForce(rider, env, grade, v, cdaFactor) * v;
  };
  double lo = 0;
  double hi = 10;
  while (balance(hi) >= 0 && hi < 1e4) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
    const double mid = 0.5 * (lo + hi);
    (balance(mid) >= 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

void stepRider(const RiderParams& rider, const Environment& env, double grade, double pedalPowerW,
               double cdaFactor, double dt, RiderMotion& motion) {
  const Slope slope = slopeOf(grade);
  const double wheelW = wheelPower(rider, pedalPowerW);
  const double v0 = std::max(0.0, motion.speedMs);
  // Heun: predict with the slope at the start, correct with the mean of both slopes. The
  // clamp at 0 applies to the prediction too, so a rider coasting to a stop on a climb does
  // not sample the (backward) forces of a speed they never reach.
  const double a0 = acceleration(rider, env, slope, wheelW, cdaFactor, v0);
  const double vPredicted = std::max(0.0, v0 + a0 * dt);
  const double a1 = acceleration(rider, env, slope, wheelW, cdaFactor, vPredicted);
  const double v1 = std::max(0.0, v0 + 0.5 * (a0 + a1) * dt);
  motion.distanceM += 0.5 * (v0 + v1) * dt;
  motion.speedMs = v1;
}

double draftCdaFactor(double wheelGapM) {
  if (!(wheelGapM >= 0) || wheelGapM > kMaxDraftGapM) return 1;
  const double g = wheelGapM;
  return std::min(1.0, 0.62 - 0.0104 * g + 0.0452 * g * g);
}

}  // namespace pav::cycling
