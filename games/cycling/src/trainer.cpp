// What drives the pedals: a smart trainer speaking FTMS, or a bot's power profile (which the
// SimulatedTrainer puts on a trainer, so a bot and a person reach the title the same way).
//
// Index: [Bots] profiles and power; [FTMS] encode / decode; [SimulatedTrainer]
#include <algorithm>
#include <cmath>
#include <limits>

#include "pav/cycling/cycling.h"
#include "pav/trainer/ftms.h"

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
// [FTMS] Fitness Machine Control Point, "Set Indoor Bike Simulation Parameters" (op code 0x11):
// the engine's encoder (pav/trainer/ftms.h), the one the trainer link sends
// =============================================================================================

FtmsPacket encodeFtmsSimulation(const FtmsSimulation& sim) {
  const trainer::ControlRequest r = trainer::setSimulation(
      {.windSpeedMs = sim.windSpeedMs, .grade = sim.grade, .crr = sim.crr, .windResistanceKgPerM = sim.windResistanceKgPerM});
  FtmsPacket p{};
  std::copy(r.bytes.begin(), r.bytes.begin() + p.size(), p.begin());
  return p;
}

FtmsSimulation decodeFtmsSimulation(const FtmsPacket& p) {
  trainer::Simulation s;
  trainer::readSimulation(p, s);
  return {.windSpeedMs = s.windSpeedMs, .grade = s.grade, .crr = s.crr, .windResistanceKgPerM = s.windResistanceKgPerM};
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
