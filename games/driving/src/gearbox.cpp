// The automatic gearbox and the engine behind it: engine speed from the car's speed through
// the gear's ratio, the torque curve, drive force at the wheels and the shift decisions.
//
// Why the shift points are safe (no hunting): the largest step between neighbouring ratios
// is 1.41 (first to second). An upshift at u leaves the engine at u / 1.41 or more, which is
// above the downshift point d for the same throttle; a downshift at d takes it to d * 1.41 at
// most, below u. With the figures of CarTuning, u / 1.41 - d is about 410 rpm with the
// throttle closed and 280 at full throttle, and u - 1.41 d about 580 and 390: a shift is never followed
// by the opposite one while the throttle holds. checkShiftPoints asserts it at setup.
//
// [SECTION] the engine
// [SECTION] drive force
// [SECTION] shifting
#include <algorithm>
#include <cmath>

#include "driving_local.h"
#include "pav/core/error.h"

namespace pav::driving {
namespace {

constexpr float kRpmPerRadS = 60.0f / (2.0f * 3.14159265f);
constexpr float kIdleRpm = 1000.0f;

// Share of peak torque by engine speed: a naturally aspirated race engine, strongest at
// 6000 rpm, still pulling hard at the 8000 rpm redline.
struct CurvePoint {
  float rpm, share;
};
constexpr CurvePoint kCurve[] = {{1000, 0.55f}, {3000, 0.80f}, {5000, 0.97f}, {6000, 1.00f},
                                 {7000, 0.98f}, {8000, 0.86f}, {8400, 0.80f}};

float ratio(const CarTuning& t, int gear) {
  return t.gearRatios[static_cast<size_t>(std::clamp(gear, 1, kGears) - 1)] * t.finalDrive;
}

float upshiftRpm(const CarTuning& t, float throttle) {
  return t.lightUpshiftRpm + (t.redlineRpm - t.lightUpshiftRpm) * std::clamp(throttle, 0.0f, 1.0f);
}

float downshiftRpm(const CarTuning& t, float throttle) {
  return t.downshiftRpm + (t.kickdownRpm - t.downshiftRpm) * std::clamp(throttle, 0.0f, 1.0f);
}

}  // namespace

// ---- [SECTION] the engine --------------------------------------------------------------------

float engineRpm(const CarTuning& t, int gear, float forwardSpeed) {
  const float wheelRadS = std::max(forwardSpeed, 0.0f) / t.wheelRadius;
  const float rpm = wheelRadS * ratio(t, gear) * kRpmPerRadS;
  return std::max(rpm, gear <= 1 ? t.launchRpm : kIdleRpm);
}

float engineTorqueNm(const CarTuning& t, float rpm) {
  if (rpm >= t.limiterRpm) return 0.0f;
  if (rpm <= kCurve[0].rpm) return t.peakTorqueNm * kCurve[0].share;
  for (size_t i = 1; i < std::size(kCurve); ++i) {
    if (rpm <= kCurve[i].rpm) {
      const CurvePoint a = kCurve[i - 1], b = kCurve[i];
      return t.peakTorqueNm * (a.share + (b.share - a.share) * (rpm - a.rpm) / (b.rpm - a.rpm));
    }
  }
  return t.peakTorqueNm * kCurve[std::size(kCurve) - 1].share;
}

// ---- [SECTION] drive force -------------------------------------------------------------------

float driveForce(const CarTuning& t, int gear, float forwardSpeed, float throttle) {
  const float rpm = engineRpm(t, gear, forwardSpeed);
  const float atWheels = engineTorqueNm(t, rpm) * ratio(t, gear) * t.drivelineEfficiency / t.wheelRadius;
  return std::clamp(throttle, 0.0f, 1.0f) * std::min(atWheels, t.maxEngineForce);
}

// ---- [SECTION] shifting ----------------------------------------------------------------------

int shiftGear(const CarTuning& t, int gear, float forwardSpeed, float throttle) {
  gear = std::clamp(gear, 1, kGears);
  const float rpm = engineRpm(t, gear, forwardSpeed);
  if (gear < kGears && rpm >= upshiftRpm(t, throttle)) return gear + 1;
  if (gear > 1 && rpm < downshiftRpm(t, throttle)) return gear - 1;
  return gear;
}

int gearFor(const CarTuning& t, float speed) {
  for (int g = kGears; g > 1; --g)
    if (engineRpm(t, g, speed) >= t.downshiftRpm) return g;
  return 1;
}

void checkShiftPoints(const CarTuning& t) {
  for (int g = 1; g < kGears; ++g) {
    const float step = ratio(t, g) / ratio(t, g + 1);
    for (float throttle : {0.0f, 1.0f}) {
      const float up = upshiftRpm(t, throttle), down = downshiftRpm(t, throttle);
      PAV_CHECK(up / step > down && down * step < up,
                "driving: gears %d and %d (step %.2f) hunt between %.0f and %.0f rpm at throttle %.0f; "
                "bring the ratios closer or the shift points apart",
                g, g + 1, double(step), double(down), double(up), double(throttle));
    }
  }
}

}  // namespace pav::driving
