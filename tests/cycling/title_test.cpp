// The cycling title as the engine drives it: registry, determinism of the state hash, bots on
// the shipped route, finishing, and the one-line results.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "pav/core/error.h"
#include "pav/cycling/cycling.h"
#include "pav/render/presenter.h"

namespace pav::cycling {
namespace {

// Seat 0 is a "person" with a scripted, wavering effort; the others are bots.
uint64_t playFor(uint64_t seed, int ticks, int players = 8) {
  CyclingTitle title;
  pav::core::TitleSetup setup;
  setup.players = players;
  setup.seed = seed;
  setup.dataDir = PAV_TEST_ASSET_DIR;
  title.setup(setup);
  std::vector<pav::core::InputFrame> inputs(static_cast<size_t>(players));
  for (int t = 0; t < ticks; ++t) {
    inputs[0].pedalPowerWatts = float(180 + 60 * std::sin(t * 0.01));
    inputs[0].cadenceRpm = 85;
    for (int p = 1; p < players; ++p) title.botInput(p, inputs[size_t(p)]);
    title.step(inputs);
  }
  return title.stateHash();
}

TEST(CyclingTitle, RegistersUnderItsName) {
  registerCyclingTitle();
  const auto title = pav::core::createTitle("cycling");
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->info().id, "cycling");
  EXPECT_EQ(title->info().maxPlayers, 8);
  EXPECT_DOUBLE_EQ(title->dt(), 1.0 / 60);
}

TEST(CyclingTitle, SameSeedAndInputsGiveTheSameHash) {
  const int sixtySeconds = 60 * 60;
  const uint64_t a = playFor(42, sixtySeconds);
  const uint64_t b = playFor(42, sixtySeconds);
  const uint64_t c = playFor(43, sixtySeconds);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(playFor(42, sixtySeconds - 1), a);  // the hash moves with the state
}

TEST(CyclingTitle, EightBotsRideTheShippedRouteToTheEnd) {
  CyclingTitle title;
  pav::core::TitleSetup setup;
  setup.players = 8;
  setup.seed = 7;
  setup.durationSeconds = 1800;  // the ride is cut to fit half an hour
  title.setup(setup);
  std::vector<pav::core::InputFrame> inputs(8);
  const Route& route = title.route();
  int ticks = 0;
  bool checkedFlat = false;
  while (!title.finished()) {
    for (int p = 0; p < 8; ++p) title.botInput(p, inputs[size_t(p)]);
    title.step(inputs);
    ++ticks;
    if (ticks == 60 * 60) {  // a minute in: still on the valley road
      for (int p = 0; p < 8; ++p) {
        const RiderStats s = title.stats(p);
        EXPECT_LT(std::abs(route.gradeAt(s.distanceM)), 0.02) << "rider " << p;
        EXPECT_GT(s.speedMs, 5) << "rider " << p;
        EXPECT_LT(s.speedMs, 20) << "rider " << p;
      }
      checkedFlat = true;
    }
    ASSERT_LT(ticks, 3600 * 60) << "an hour and not finished";
  }
  EXPECT_TRUE(checkedFlat);
  for (int p = 0; p < 8; ++p) {
    const RiderStats s = title.stats(p);
    EXPECT_TRUE(s.finished) << "rider " << p;
    EXPECT_DOUBLE_EQ(s.distanceM, route.length());
    EXPECT_GT(s.avgSpeedMs, 5) << "rider " << p;
    EXPECT_LT(s.avgSpeedMs, 15) << "rider " << p;
    // Every rider climbed every rise on the way, however they paced it.
    EXPECT_NEAR(s.climbedM, route.totalClimbM(), 0.5) << "rider " << p;
  }
  const std::string line = title.results(false);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find("rider 7"), std::string::npos) << line;
  EXPECT_NE(line.find("km/h"), std::string::npos) << line;
  std::printf("[ 8 medium bots ] %s\n", line.c_str());
}

TEST(CyclingTitle, HarderBotsRideFaster) {
  double avg[3];
  for (int skill = 0; skill < 3; ++skill) {
    CyclingTitle title;
    pav::core::TitleSetup setup;
    setup.skill = skill;
    setup.durationSeconds = 600;
    title.setup(setup);
    pav::core::InputFrame in;
    while (!title.finished()) {
      title.botInput(0, in);
      title.step({&in, 1});
    }
    // The ride fits the session: the bot reaches the line inside it.
    EXPECT_TRUE(title.stats(0).finished) << "skill " << skill;
    EXPECT_LE(double(title.tick()) / 60, 600 + 1e-9);
    avg[skill] = title.stats(0).avgSpeedMs;
  }
  EXPECT_LT(avg[0], avg[1]);
  EXPECT_LT(avg[1], avg[2]);
}

TEST(CyclingTitle, ResultsAsJsonAreOneObjectOnOneLine) {
  CyclingTitle title;
  pav::core::TitleSetup setup;
  setup.players = 3;
  setup.durationSeconds = 10;
  title.setup(setup);
  std::vector<pav::core::InputFrame> inputs(3);
  while (!title.finished()) {
    for (int p = 0; p < 3; ++p) title.botInput(p, inputs[size_t(p)]);
    title.step(inputs);
  }
  const std::string json = title.results(true);
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.back(), '}');
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_NE(json.find("\"title\":\"cycling\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"seat\":2"), std::string::npos) << json;
  EXPECT_NE(json.find("\"avgSpeedMs\":"), std::string::npos) << json;
  EXPECT_NE(json.find("\"route\":\"Col du Pavillon\""), std::string::npos) << json;
}

TEST(CyclingTitle, BadInputsAreHandled) {
  CyclingTitle title;
  pav::core::TitleSetup setup;
  setup.players = 9;
  EXPECT_THROW(title.setup(setup, Route::uniform(1000, 0)), pav::Error);
  setup.players = 2;
  title.setup(setup, Route::uniform(1000, 0));
  pav::core::InputFrame one;
  EXPECT_THROW(title.step({&one, 1}), pav::Error);
  pav::core::InputFrame two[2];
  two[0].pedalPowerWatts = std::nanf("");
  two[1].pedalPowerWatts = 1e9f;  // a glitch, not a person
  for (int i = 0; i < 60; ++i) title.step(two);
  EXPECT_EQ(title.stats(0).distanceM, 0);
  EXPECT_LT(title.stats(1).speedMs, 20);
}

TEST(CyclingTitle, AShortRouteFinishesWithAnInterpolatedTime) {
  CyclingTitle title;
  title.setup({}, Route::uniform(100, 0));
  title.placeRider(0, 0, 10);
  pav::core::InputFrame in;
  in.pedalPowerWatts = 400;
  while (!title.finished()) title.step({&in, 1});
  const RiderStats s = title.stats(0);
  EXPECT_TRUE(s.finished);
  EXPECT_DOUBLE_EQ(s.distanceM, 100);
  EXPECT_LT(s.timeS, double(title.tick()) / 60 + 1e-12);
  EXPECT_GT(s.timeS, double(title.tick() - 1) / 60);
}

// A desktop visitor pedals with Up or Space: two riders, one pressing Space for ten seconds,
// one pressing nothing; only the first rides away.
TEST(CyclingTitle, ADesktopVisitorPedalsWithSpace) {
  CyclingTitle title;
  pav::core::TitleSetup setup;
  setup.players = 2;
  setup.dataDir = PAV_TEST_ASSET_DIR;
  title.setup(setup);
  std::vector<pav::core::InputFrame> inputs(2);
  const int ticks = static_cast<int>(10 * title.info().tickRateHz);
  for (int t = 0; t < ticks; ++t) {
    title.desktopInput({.space = true}, 0, inputs[0]);
    title.desktopInput({}, 1, inputs[1]);
    title.step(inputs);
  }
  EXPECT_GT(title.stats(0).distanceM, 40.0) << "250 W for 10 s";
  EXPECT_LT(title.stats(1).distanceM, 1.0);
  pav::core::InputFrame in;
  title.desktopInput({.left = true, .up = true}, 0, in);
  EXPECT_FLOAT_EQ(in.pedalPowerWatts, 250.0f);
  EXPECT_FLOAT_EQ(in.steer, -1.0f);
}

// In a headset without a trainer, the trigger is the effort at the pedals: none at rest, full
// at 400 W, the cadence rising from 60 to 100 rpm with it; a trainer's readings take over.
TEST(CyclingTitle, AHeadsetTriggerIsPedalEffortATrainerTakesOver) {
  CyclingTitle title;
  EXPECT_NE(title.info().devices & pav::core::kDeviceTrainer, 0u) << "cycling asks the station for a trainer";
  pav::core::HeadsetControls c;
  pav::core::InputFrame in;
  title.headsetInput(c, 0, in);
  EXPECT_FLOAT_EQ(in.pedalPowerWatts, 0.0f);
  EXPECT_FLOAT_EQ(in.cadenceRpm, 0.0f);
  c.hands[0].trigger = 0.25f;
  c.hands[1].trigger = 0.5f;
  c.thumbsticks[0].x = 0.3f;
  title.headsetInput(c, 0, in);
  EXPECT_FLOAT_EQ(in.pedalPowerWatts, 0.5f * kHeadsetFullEffortWatts) << "the harder-pulled trigger";
  EXPECT_FLOAT_EQ(in.cadenceRpm, 80.0f);
  EXPECT_FLOAT_EQ(in.steer, 0.3f);
  c.hands[1].trigger = 1.0f;
  title.headsetInput(c, 0, in);
  EXPECT_FLOAT_EQ(in.pedalPowerWatts, 400.0f);
  EXPECT_FLOAT_EQ(in.cadenceRpm, 100.0f);
  pav::core::DeviceReadings trainer;
  trainer.trainer = {.present = true, .watts = 180.0f, .cadenceRpm = 85.0f};
  title.deviceInput(trainer, 0, in);
  EXPECT_FLOAT_EQ(in.pedalPowerWatts, 180.0f);
  EXPECT_FLOAT_EQ(in.cadenceRpm, 85.0f);
}

// The rider's seat comes from the networked state: the presenter puts the eye on the bike the
// state places, as riderEye does.
TEST(CyclingTitle, TheSeatIsTheRidersEyeFromTheState) {
  CyclingTitle title;
  pav::core::TitleSetup setup;
  setup.players = 2;
  setup.dataDir = PAV_TEST_ASSET_DIR;
  title.setup(setup);
  title.placeRider(1, 700.0, 8.0);
  const auto presenter = makeCyclingPresenter(title, 1);
  pav::core::StateSchema schema;
  title.describe(schema);
  pav::core::StateFrame frame;
  frame.resize(schema);
  title.capture(frame);
  render::Seat seat;
  ASSERT_TRUE(presenter->seat(frame, seat));
  EXPECT_EQ(seat.stance, render::Seat::Stance::Seated);
  const RiderStats s = title.stats(1);
  const render::Pose eye = riderEye(riderPose(title.route(), 1, s.distanceM, s.speedMs));
  EXPECT_LT(glm::distance(seat.eye.position, eye.position), 2e-3f);
  EXPECT_NEAR(seat.eye.position.x, 700.2f, 0.05f);
}

}  // namespace
}  // namespace pav::cycling
