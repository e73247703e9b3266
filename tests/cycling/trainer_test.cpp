// The trainer seam: FTMS "Set Indoor Bike Simulation Parameters" bytes exactly as a trainer
// expects them, clamping at the fields' limits, and the simulated trainer that bots ride.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "pav/cycling/cycling.h"

namespace pav::cycling {
namespace {

FtmsPacket bytes(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t e, uint8_t f, uint8_t g) {
  return {a, b, c, d, e, f, g};
}

TEST(CyclingFtms, KnownValuesEncodeLittleEndianAfterTheOpCode) {
  FtmsSimulation sim;
  sim.windSpeedMs = 2.5;             // 2500 = 0x09c4
  sim.grade = 0.05;                  // 5 % = 500 = 0x01f4
  sim.crr = 0.004;                   // 40
  sim.windResistanceKgPerM = 0.51;   // 51
  EXPECT_EQ(encodeFtmsSimulation(sim), bytes(0x11, 0xc4, 0x09, 0xf4, 0x01, 40, 51));

  sim.windSpeedMs = -1.0;  // -1000 = 0xfc18
  sim.grade = -0.035;      // -350 = 0xfea2
  sim.crr = 0.0041;        // 41
  sim.windResistanceKgPerM = 0.196;  // rounds to 20
  EXPECT_EQ(encodeFtmsSimulation(sim), bytes(0x11, 0x18, 0xfc, 0xa2, 0xfe, 41, 20));

  EXPECT_EQ(encodeFtmsSimulation({0, 0, 0, 0}), bytes(0x11, 0, 0, 0, 0, 0, 0));
}

TEST(CyclingFtms, OutOfRangeValuesClamp) {
  FtmsSimulation sim;
  sim.windSpeedMs = 100;  // beyond 32.767 m/s
  sim.grade = 4.0;        // 400 %: beyond 327.67 %
  sim.crr = 0.03;         // beyond 0.0255
  sim.windResistanceKgPerM = 3.0;  // beyond 2.55 kg/m
  EXPECT_EQ(encodeFtmsSimulation(sim), bytes(0x11, 0xff, 0x7f, 0xff, 0x7f, 0xff, 0xff));

  sim.windSpeedMs = -100;
  sim.grade = -4.0;
  sim.crr = -0.01;
  sim.windResistanceKgPerM = -1;
  EXPECT_EQ(encodeFtmsSimulation(sim), bytes(0x11, 0x00, 0x80, 0x00, 0x80, 0, 0));

  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(encodeFtmsSimulation({nan, inf, nan, -inf}), bytes(0x11, 0, 0, 0xff, 0x7f, 0, 0));
}

TEST(CyclingFtms, DecodeInvertsEncodeToTheFieldResolution) {
  const FtmsSimulation sim{-3.2104, 0.0734, 0.0052, 0.37};
  const FtmsSimulation back = decodeFtmsSimulation(encodeFtmsSimulation(sim));
  EXPECT_NEAR(back.windSpeedMs, sim.windSpeedMs, 0.0005);
  EXPECT_NEAR(back.grade, sim.grade, 0.00005);
  EXPECT_NEAR(back.crr, sim.crr, 0.00005);
  EXPECT_NEAR(back.windResistanceKgPerM, sim.windResistanceKgPerM, 0.005);
}

TEST(CyclingTrainer, TheSimulatedTrainerRecordsWhatItWasSent) {
  SimulatedTrainer trainer(botProfileForSkill(1));
  EXPECT_EQ(trainer.simulationsReceived(), 0);
  FtmsSimulation sim{1.5, 0.062, 0.0045, 0.2};
  trainer.setSimulation(sim);
  EXPECT_EQ(trainer.simulationsReceived(), 1);
  EXPECT_EQ(trainer.lastPacket(), encodeFtmsSimulation(sim));
  EXPECT_NEAR(trainer.lastSimulation().grade, 0.062, 1e-9);
  EXPECT_NEAR(trainer.lastSimulation().windSpeedMs, 1.5, 1e-9);
}

TEST(CyclingTrainer, TheSimulatedTrainerPedalsHarderUphill) {
  SimulatedTrainer trainer(botProfileForSkill(1));
  pav::core::InputFrame flat;
  trainer.setSimulation({0, 0, 0.004, 0.2});
  trainer.poll(flat);
  pav::core::InputFrame climb;
  trainer.setSimulation({0, 0.07, 0.004, 0.2});
  trainer.poll(climb);
  EXPECT_GT(flat.pedalPowerWatts, 100);
  EXPECT_GT(climb.pedalPowerWatts, flat.pedalPowerWatts);
  EXPECT_LT(climb.cadenceRpm, flat.cadenceRpm);

  trainer.setFixedPower(250, 88);
  pav::core::InputFrame fixed;
  trainer.poll(fixed);
  EXPECT_EQ(fixed.pedalPowerWatts, 250);
  EXPECT_EQ(fixed.cadenceRpm, 88);
}

TEST(CyclingTrainer, TheTitleAnswersWithTheRoadUnderTheRider) {
  CyclingTitle title;
  pav::core::TitleSetup setup;
  title.setup(setup, Route::uniform(5000, 0.06));
  Environment windy;
  windy.headwindMs = 3;
  title.setEnvironment(windy);
  const FtmsSimulation sim = title.trainerParams(0);
  EXPECT_NEAR(sim.grade, 0.06, 1e-12);
  EXPECT_NEAR(sim.windSpeedMs, 3, 1e-12);
  EXPECT_NEAR(sim.crr, RiderParams{}.crr, 1e-12);
  EXPECT_NEAR(sim.windResistanceKgPerM, 0.5 * 1.225 * RiderParams{}.cda, 1e-12);

  // A person on a (simulated) trainer rides through the same loop a station runs.
  SimulatedTrainer trainer;
  trainer.setFixedPower(220, 85);
  pav::core::InputFrame in;
  for (int i = 0; i < 600; ++i) {
    trainer.poll(in);
    title.step({&in, 1});
    trainer.setSimulation(title.trainerParams(0));
  }
  EXPECT_EQ(trainer.simulationsReceived(), 600);
  EXPECT_EQ(trainer.lastPacket()[3], 0x58);  // 600 = 0x0258 hundredths of a percent
  EXPECT_EQ(trainer.lastPacket()[4], 0x02);
  EXPECT_GT(title.stats(0).distanceM, 10);
}

TEST(CyclingBots, SkillsRankByPower) {
  const BotProfile easy = botProfileForSkill(0);
  const BotProfile medium = botProfileForSkill(1);
  const BotProfile hard = botProfileForSkill(2);
  for (const double grade : {-0.02, 0.0, 0.05}) {
    EXPECT_LT(botPower(easy, grade, 8), botPower(medium, grade, 8)) << grade;
    EXPECT_LT(botPower(medium, grade, 8), botPower(hard, grade, 8)) << grade;
  }
  EXPECT_GT(botPower(medium, 0.06, 5), botPower(medium, 0, 9));   // harder on climbs
  EXPECT_LT(botPower(medium, -0.04, 12), botPower(medium, 0, 9));  // easier on descents
  EXPECT_EQ(botPower(medium, -0.08, 25), 0);                       // coasting when fast
  EXPECT_EQ(botCadence(medium, 0, 0), 0);
}

}  // namespace
}  // namespace pav::cycling
