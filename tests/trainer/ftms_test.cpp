// FTMS bytes (parsers refuse what no trainer sends), the control point's requests, the expo
// feel and the simulation pacer, with time passed in.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "pav/cycling/cycling.h"
#include "pav/trainer/ftms.h"

using namespace pav::trainer;
using Bytes = std::vector<uint8_t>;

namespace {
// Indoor Bike Data with speed, cadence and power (flags 0x0044).
Bytes bike(int speedHundredths, int cadenceHalves, int watts) {
  return {0x44, 0x00, uint8_t(speedHundredths), uint8_t(speedHundredths >> 8), uint8_t(cadenceHalves),
          uint8_t(cadenceHalves >> 8), uint8_t(watts), uint8_t(watts >> 8)};
}
Bytes bytesOf(const ControlRequest& r) { return Bytes(r.span().begin(), r.span().end()); }
}  // namespace

TEST(Ftms, UuidsOnTheBluetoothBase) {
  EXPECT_EQ(uuid128(0x2AD2), "00002ad2-0000-1000-8000-00805f9b34fb");
  EXPECT_EQ(shortUuid("00001826-0000-1000-8000-00805F9B34FB"), 0x1826);
  EXPECT_EQ(shortUuid("00001826-0000-1000-8000-00805f9b34fc"), 0);  // not the base
  EXPECT_EQ(shortUuid("0000zz26-0000-1000-8000-00805f9b34fb"), 0);
  EXPECT_EQ(shortUuid("1826"), 0);
}

TEST(Ftms, IndoorBikeDataReadsSpeedCadenceAndPower) {
  BikeData d;
  ASSERT_EQ(parseBikeData(bike(3245, 180, 215), d), Refusal::None);
  EXPECT_TRUE(d.hasSpeed && d.hasCadence && d.hasPower);
  EXPECT_FLOAT_EQ(d.speedKmh, 32.45f);
  EXPECT_FLOAT_EQ(d.cadenceRpm, 90.0f);
  EXPECT_FLOAT_EQ(d.powerW, 215.0f);
  // "More data" set: no speed; every optional field before power skipped by its size.
  // flags: more data, avg speed(2), distance(3), resistance(2), power(2), heart rate(1)
  const Bytes all = {0x73, 0x02, 1, 0, 1, 2, 3, 5, 0, 0x2c, 0x01, 140};
  ASSERT_EQ(parseBikeData(all, d), Refusal::None);
  EXPECT_FALSE(d.hasSpeed);
  EXPECT_FLOAT_EQ(d.powerW, 300.0f);
  EXPECT_EQ(d.heartRate, 140);
}

TEST(Ftms, IndoorBikeDataThatCannotBeRealIsRefusedAndChangesNothing) {
  BikeData d;
  d.powerW = 123;
  EXPECT_EQ(parseBikeData(Bytes{0x44}, d), Refusal::Short);
  EXPECT_EQ(parseBikeData(Bytes{0x44, 0x00, 1, 2, 3}, d), Refusal::Short);
  Bytes longer = bike(1000, 100, 100);
  longer.push_back(0);
  EXPECT_EQ(parseBikeData(longer, d), Refusal::Long);
  Bytes reserved = bike(1000, 100, 100);
  reserved[1] |= 0x80;
  EXPECT_EQ(parseBikeData(reserved, d), Refusal::Flags);
  EXPECT_EQ(parseBikeData(bike(1000, 100, 0xFFFF), d), Refusal::Power);  // -1 W
  EXPECT_EQ(parseBikeData(bike(1000, 100, 0x7FFF), d), Refusal::Power);  // 32767 W
  EXPECT_EQ(parseBikeData(bike(15000, 100, 200), d), Refusal::Speed);    // 150 km/h
  EXPECT_EQ(parseBikeData(bike(1000, 600, 200), d), Refusal::Cadence);   // 300 rpm
  EXPECT_FLOAT_EQ(d.powerW, 123.0f);
}

TEST(Ftms, StatusFeaturesRangesAndResponses) {
  MachineStatus s;
  EXPECT_EQ(parseMachineStatus(Bytes{0x08, 0xfa, 0x00}, s), Refusal::None);
  EXPECT_EQ(s.targetPowerW, 250);
  EXPECT_EQ(parseMachineStatus(Bytes{0x12, 0, 0, 0x2c, 0x01, 40, 51}, s), Refusal::None);
  EXPECT_EQ(s.gradeHundredths, 300);
  EXPECT_EQ(parseMachineStatus(Bytes{0x12, 0, 0}, s), Refusal::Short);
  EXPECT_EQ(parseMachineStatus(Bytes{0x00}, s), Refusal::Flags);
  EXPECT_EQ(parseMachineStatus(Bytes{0xFF}, s), Refusal::None);

  Features f;
  ASSERT_EQ(parseFeatures(Bytes{0x02, 0x40, 0, 0, 0x0c, 0x20, 0, 0}, f), Refusal::None);
  EXPECT_TRUE(f.cadence() && f.powerMeasurement() && f.powerTarget() && f.simulation() && f.resistanceTarget());
  EXPECT_EQ(parseFeatures(Bytes{1, 2, 3}, f), Refusal::Short);

  Range r;
  ASSERT_EQ(parseRange(Bytes{0x00, 0x00, 0xd0, 0x07, 0x01, 0x00}, 1.0f, r), Refusal::None);
  EXPECT_FLOAT_EQ(r.maximum, 2000.0f);
  EXPECT_EQ(parseRange(Bytes{0xd0, 0x07, 0x00, 0x00, 0x01, 0x00}, 1.0f, r), Refusal::Range);  // min > max
  EXPECT_EQ(parseRange(Bytes{0x00, 0x00, 0xd0, 0x07, 0x00, 0x00}, 1.0f, r), Refusal::Range);  // no step

  ControlResponse c;
  ASSERT_EQ(parseControlResponse(Bytes{0x80, 0x11, 0x05}, c), Refusal::None);
  EXPECT_EQ(c.request, 0x11);
  EXPECT_EQ(c.result, ResultCode::ControlNotPermitted);
  EXPECT_EQ(parseControlResponse(Bytes{0x80, 0x11}, c), Refusal::Short);
  EXPECT_EQ(parseControlResponse(Bytes{0x81, 0x11, 0x01}, c), Refusal::Flags);
  EXPECT_EQ(parseControlResponse(Bytes{0x80, 0x11, 0x09}, c), Refusal::Flags);
  EXPECT_EQ(parseControlResponse(Bytes{0x80, 0x11, 0x01, 0x00}, c), Refusal::Long);

  int bpm = 0;
  EXPECT_EQ(parseHeartRate(Bytes{0x00, 142}, bpm), Refusal::None);
  EXPECT_EQ(bpm, 142);
  EXPECT_EQ(parseHeartRate(Bytes{0x01, 0x2c, 0x01}, bpm), Refusal::HeartRate);  // 300 bpm
  EXPECT_EQ(parseHeartRate(Bytes{0x10, 80, 1}, bpm), Refusal::Long);  // half an RR interval
  float watts = 0;
  EXPECT_EQ(parseCyclingPower(Bytes{0, 0, 0xc8, 0}, watts), Refusal::None);
  EXPECT_FLOAT_EQ(watts, 200.0f);
  EXPECT_EQ(parseCyclingPower(Bytes{0, 0, 0xff, 0xff}, watts), Refusal::Power);
}

TEST(Ftms, ControlPointRequestsAsTheSpecWritesThem) {
  EXPECT_EQ(bytesOf(requestControl()), Bytes{0x00});
  EXPECT_EQ(bytesOf(resetMachine()), Bytes{0x01});
  EXPECT_EQ(bytesOf(startOrResume()), Bytes{0x07});
  EXPECT_EQ(bytesOf(setTargetPower(250)), (Bytes{0x05, 0xfa, 0x00}));
  EXPECT_EQ(bytesOf(setTargetPower(-5)), (Bytes{0x05, 0x00, 0x00}));
  // 5 % uphill, 2.5 m/s headwind, Crr 0.004, Cw 0.51: grade 500 (0x01f4) hundredths of a percent.
  const ControlRequest sim = setSimulation({.windSpeedMs = 2.5, .grade = 0.05, .crr = 0.004, .windResistanceKgPerM = 0.51});
  EXPECT_EQ(bytesOf(sim), (Bytes{0x11, 0xc4, 0x09, 0xf4, 0x01, 40, 51}));
  Simulation back;
  ASSERT_TRUE(readSimulation(sim.span(), back));
  EXPECT_NEAR(back.grade, 0.05, 1e-12);
  // Out of range clamps; NaN reads 0.
  const ControlRequest wall = setSimulation({.grade = 9.0});
  ASSERT_TRUE(readSimulation(wall.span(), back));
  EXPECT_NEAR(back.grade, 3.2767, 1e-9);
  ASSERT_TRUE(readSimulation(setSimulation({.grade = std::nan("")}).span(), back));
  EXPECT_EQ(back.grade, 0.0);
}

TEST(TrainerFeel, ExpoHalvesClimbsQuartersDescentsAndCapsAtEightPercent) {
  EXPECT_NEAR(feltGrade(kExpoFeel, 0.06), 0.03, 1e-12);
  EXPECT_NEAR(feltGrade(kExpoFeel, -0.08), -0.02, 1e-12);
  EXPECT_NEAR(feltGrade(kExpoFeel, 0.20), 0.08, 1e-12);   // 10 % felt, capped
  EXPECT_NEAR(feltGrade(kExpoFeel, -0.40), -0.08, 1e-12);
  EXPECT_NEAR(feltGrade(kRealFeel, 0.12), 0.12, 1e-12);
  Feel f;
  ASSERT_TRUE(parseFeel("expo:0.7", f));
  EXPECT_NEAR(feltGrade(f, 0.10), 0.07, 1e-12);
  EXPECT_TRUE(parseFeel("real", f));
  EXPECT_FALSE(parseFeel("expo:0", f));
  EXPECT_FALSE(parseFeel("expo:1.5", f));
  EXPECT_FALSE(parseFeel("expo:x", f));
  EXPECT_FALSE(parseFeel("fast", f));
  // Drafting: the wind coefficient the title gives goes through untouched.
  const Simulation s = feltSimulation(kExpoFeel, {.grade = 0.04, .windResistanceKgPerM = 0.13});
  EXPECT_NEAR(s.grade, 0.02, 1e-12);
  EXPECT_NEAR(s.windResistanceKgPerM, 0.13, 1e-12);
}

TEST(TrainerFeel, SimulationUpdatesAtMostTwiceASecondAndOnlyOnATenthOfAPercent) {
  SimulationPacer p;
  Simulation s{.grade = 0.02};
  EXPECT_TRUE(p.due(0.0, s));
  p.sent(0.0, s);
  s.grade = 0.03;
  EXPECT_FALSE(p.due(0.49, s)) << "within half a second";
  EXPECT_TRUE(p.due(0.5, s));
  p.sent(0.5, s);
  s.grade = 0.0309;  // 0.09 %: not a change worth a packet
  EXPECT_FALSE(p.due(5.0, s));
  s.grade = 0.0310;  // 0.10 %
  EXPECT_TRUE(p.due(5.0, s));
  s.grade = 0.03;
  s.windResistanceKgPerM = 0.196 - 0.05;  // into a draft
  EXPECT_TRUE(p.due(5.0, s));
}

// What a station sends for a cycling rider: the title's road (Title::trainerRoad) through the
// expo feel; a rider a wheel behind another feels the draft as a lower wind coefficient.
TEST(TrainerFeel, AStationSendsTheTitlesRoadFeltAndTheDraftAsLessWind) {
  pav::cycling::CyclingTitle title;
  pav::core::TitleSetup setup;
  setup.players = 2;
  title.setup(setup, pav::cycling::Route::uniform(5000, 0.06));
  title.placeRider(0, 1000, 10);
  title.placeRider(1, 1000 - pav::cycling::kBikeLengthM - 0.5, 10, 0);  // half a metre off the wheel, in its lane
  std::vector<pav::core::InputFrame> inputs(2);
  for (auto& in : inputs) in.pedalPowerWatts = 250, in.cadenceRpm = 90;
  title.step(inputs);
  const pav::core::Title& asHost = title;  // the station knows only the contract
  pav::core::TrainerRoad front, behind;
  ASSERT_TRUE(asHost.trainerRoad(0, front));
  ASSERT_TRUE(asHost.trainerRoad(1, behind));
  EXPECT_FALSE(asHost.trainerRoad(2, front)) << "no third seat";
  EXPECT_NEAR(front.grade, 0.06, 1e-12);
  EXPECT_NEAR(front.windResistanceKgPerM, 0.5 * 1.225 * 0.32, 1e-9);
  EXPECT_LT(behind.windResistanceKgPerM, 0.75 * front.windResistanceKgPerM) << "a wheel behind: about a third less drag";
  const Simulation sent = feltSimulation(kExpoFeel, {.windSpeedMs = behind.windSpeedMs, .grade = behind.grade, .crr = behind.crr,
                                                     .windResistanceKgPerM = behind.windResistanceKgPerM});
  EXPECT_NEAR(sent.grade, 0.03, 1e-12) << "6 % felt at half";
  EXPECT_NEAR(sent.windResistanceKgPerM, behind.windResistanceKgPerM, 1e-12);
  // And as the trainer receives it: 3.00 % in the FTMS field, the drafted Cw to 0.01 kg/m.
  Simulation received;
  ASSERT_TRUE(readSimulation(setSimulation(sent).span(), received));
  EXPECT_NEAR(received.grade, 0.03, 1e-9);
  EXPECT_NEAR(received.windResistanceKgPerM, behind.windResistanceKgPerM, 0.005 + 1e-9);
}
