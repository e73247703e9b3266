// What drives the pedals: a smart trainer speaking FTMS, or a bot's power profile (which the
// SimulatedTrainer puts on a trainer, so a bot and a person reach the title the same way).
//
// Index: [Bots] profiles and power; [FTMS] encode / decode; [SimulatedTrainer]
#include <algorithm>
#include <cmath>
#include <limits>

#include "pav/cycling/cycling.h"

namespace pav::cycling {

// =============================================================================================
// [Bots]
// =============================================================================================

BotProfile botProfileForSkill(int skill) {
  BotProfile bot;
  switch (std::clamp(skill, 0, 2)) {
    case 0:  // a leisure rider: rides steady, climbs gently
      bot.ftpWatts = 160;
      bot.climbGain = 3.0;
      bot.maxShare = 1.05;
      bot.cadenceRpm = 80;
      break;
    case 1:  // a club rider
      bot.ftpWatts = 230;
      break;
    default:  // a strong amateur: pushes the climbs, keeps pedalling downhill for longer
      bot.ftpWatts = 300;
      bot.climbGain = 5.0;
      bot.maxShare = 1.25;
      bot.coastSpeedMs = 18;
      bot.cadenceRpm = 95;
      break;
  }
  return bot;
}

double botPower(const BotProfile& bot, double grade, double speedMs, double variation) {
  // Riders pace by effort: harder where speed is cheap to hold against gravity (climbs),
  // easier where the road gives speed for free (descents), as pacing studies find.
  double share = std::clamp(bot.flatShare + bot.climbGain * grade, 0.0, bot.maxShare);
  // Past coasting speed the legs spin out and aero costs soar: fade to nothing over 4 m/s.
  if (speedMs > bot.coastSpeedMs) share *= std::max(0.0, 1 - (speedMs - bot.coastSpeedMs) / 4);
  const double watts = bot.ftpWatts * share * (1 + std::clamp(variation, -0.5, 0.5));
  return std::max(0.0, watts);
}

double botCadence(const BotProfile& bot, double grade, double powerW) {
  if (powerW <= 0) return 0;
  // Gears run out on steep climbs: cadence drops about 2 rpm per percent of grade.
  return std::clamp(bot.cadenceRpm - 200 * std::max(0.0, grade), 55.0, 120.0);
}

// =============================================================================================
// [FTMS] Fitness Machine Control Point, "Set Indoor Bike Simulation Parameters" (op code 0x11)
// =============================================================================================
namespace {

// Scale to the field's resolution, round to nearest, clamp to what the field can hold.
template <typename Int>
Int toField(double value, double resolution) {
  if (!std::isfinite(value)) return std::isnan(value) ? Int(0)
                                : value > 0         ? std::numeric_limits<Int>::max()
                                                    : std::numeric_limits<Int>::min();
  const double scaled = std::round(value / resolution);
  const double lo = double(std::numeric_limits<Int>::min());
  const double hi = double(std::numeric_limits<Int>::max());
  return Int(std::clamp(scaled, lo, hi));
}

void putLe16(uint8_t* out, uint16_t v) {
  out[0] = uint8_t(v & 0xff);
  out[1] = uint8_t(v >> 8);
}
uint16_t getLe16(const uint8_t* in) { return uint16_t(in[0] | (in[1] << 8)); }

constexpr double kWindResolution = 0.001;   // m/s
constexpr double kGradeResolution = 0.0001; // 0.01 % as a fraction
constexpr double kCrrResolution = 0.0001;
constexpr double kCwResolution = 0.01;      // kg/m

}  // namespace

FtmsPacket encodeFtmsSimulation(const FtmsSimulation& sim) {
  FtmsPacket p{};
  p[0] = kFtmsSetIndoorBikeSimulation;
  putLe16(&p[1], uint16_t(toField<int16_t>(sim.windSpeedMs, kWindResolution)));
  putLe16(&p[3], uint16_t(toField<int16_t>(sim.grade, kGradeResolution)));
  p[5] = toField<uint8_t>(sim.crr, kCrrResolution);
  p[6] = toField<uint8_t>(sim.windResistanceKgPerM, kCwResolution);
  return p;
}

FtmsSimulation decodeFtmsSimulation(const FtmsPacket& p) {
  FtmsSimulation sim;
  sim.windSpeedMs = int16_t(getLe16(&p[1])) * kWindResolution;
  sim.grade = int16_t(getLe16(&p[3])) * kGradeResolution;
  sim.crr = p[5] * kCrrResolution;
  sim.windResistanceKgPerM = p[6] * kCwResolution;
  return sim;
}

// =============================================================================================
// [SimulatedTrainer]
// =============================================================================================

void SimulatedTrainer::setFixedPower(float watts, float cadenceRpm) {
  fixed_ = true;
  fixedWatts_ = std::max(0.0f, watts);
  fixedCadence_ = std::max(0.0f, cadenceRpm);
}

void SimulatedTrainer::poll(pav::core::InputFrame& out) {
  if (fixed_) {
    out.pedalPowerWatts = fixedWatts_;
    out.cadenceRpm = fixedCadence_;
    return;
  }
  // A trainer knows the road only through what it was sent, not the rider's speed.
  const double watts = botPower(profile_, last_.grade, 0);
  out.pedalPowerWatts = float(watts);
  out.cadenceRpm = float(botCadence(profile_, last_.grade, watts));
}

void SimulatedTrainer::setSimulation(const FtmsSimulation& sim) {
  packet_ = encodeFtmsSimulation(sim);
  last_ = decodeFtmsSimulation(packet_);
  ++received_;
}

}  // namespace pav::cycling
