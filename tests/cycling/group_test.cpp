// Riding together: a strong and a weak rider stay within drafting range through the group's
// virtual draft (forces only: nobody jumps), the ride's length fits the session so bots reach
// the line, open-ended rides go round the loop, the sprint 500 m out (the group lets go, the
// HUD announces it), lanes and steering, and drafting only within the lane band.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "pav/core/strings.h"
#include "pav/cycling/cycling.h"
#include "pav/render/presenter.h"
#include "recording_canvas.h"

namespace pav::cycling {
namespace {

core::InputFrame pedal(float watts, float steer = 0) {
  core::InputFrame in;
  in.pedalPowerWatts = watts, in.cadenceRpm = 90, in.steer = steer;
  return in;
}

struct Gaps {
  double largestBeforeSprint = 0;  // front wheel to front wheel, m
  double largestJump = 0;          // a tick's move beyond what the speeds integrate to, m
  double lastS = 0;
  bool bothFinished = false;
};

// Seat 0 at 300 W, seat 1 at 150 W, side by side from the start, on the shipped route (its
// climb, hairpins and descent) cut to a 20-minute session.
Gaps rideStrongAndWeak(bool group) {
  CyclingTitle title;
  title.setup({.players = 2, .seed = 3, .dataDir = PAV_TEST_ASSET_DIR, .durationSeconds = 1200});
  title.setGroupRide(group);
  const Route& route = title.route();
  std::vector<core::InputFrame> in = {pedal(300), pedal(150)};
  Gaps g;
  const double dt = title.dt();
  while (!title.finished()) {
    const RiderStats a0 = title.stats(0), b0 = title.stats(1);
    title.step(in);
    const RiderStats a = title.stats(0), b = title.stats(1);
    // Heun's step moves a rider by the mean of the speeds before and after, never more.
    for (const auto& [before, after] : {std::pair{a0, a}, std::pair{b0, b}}) {
      if (after.finished) continue;
      const double integrated = 0.5 * (before.speedMs + after.speedMs) * dt;
      g.largestJump = std::max(g.largestJump, std::abs((after.distanceM - before.distanceM) - integrated));
    }
    const double lead = std::max(a.distanceM, b.distanceM);
    if (lead < route.length() - kSprintM) g.largestBeforeSprint = std::max(g.largestBeforeSprint, std::abs(a.distanceM - b.distanceM));
  }
  g.bothFinished = title.stats(0).finished && title.stats(1).finished;
  g.lastS = double(title.tick()) * dt;
  return g;
}

TEST(CyclingGroupRide, A150WAndA300WRiderStayWithinDraftingRange) {
  const Gaps together = rideStrongAndWeak(true);
  const Gaps apart = rideStrongAndWeak(false);
  std::printf("[ 300 W and 150 W, 20-minute ride ] group ride: largest gap %.2f m before the sprint, both finished %d at %.0f s;"
              " without it: %.0f m\n",
              together.largestBeforeSprint, int(together.bothFinished), together.lastS, apart.largestBeforeSprint);
  // Wheel to wheel within a draft's reach: front wheels at most a bike and kMaxDraftGapM apart.
  EXPECT_LE(together.largestBeforeSprint, kBikeLengthM + kMaxDraftGapM);
  EXPECT_GT(apart.largestBeforeSprint, 300.0) << "without the group the strong rider rides away";
  EXPECT_TRUE(together.bothFinished) << "the ride fits the session";
  // Forces only: every move is what the speeds integrate to (Heun's step is exact for that).
  EXPECT_LT(together.largestJump, 1e-9);
}

TEST(CyclingGroupRide, ARiderWhoStopsIsNotTowedAndHoldsNobodyBack) {
  CyclingTitle title;
  title.setup({.players = 3, .seed = 3, .durationSeconds = 600}, Route::uniform(20000, 0.0));
  std::vector<core::InputFrame> in = {pedal(250), pedal(250), pedal(0)};
  for (int t = 0; t < 60 * 60; ++t) title.step(in);
  EXPECT_LT(title.stats(2).distanceM, 1.0) << "no power, no pull";
  EXPECT_GT(title.stats(0).distanceM, 450.0) << "the two pedalling ride on";
  EXPECT_EQ(title.stats(0).pullGrade, 0.0);
}

TEST(CyclingGroupRide, AFiveMinuteSessionsRouteIsFinishedByBotsAtEverySkill) {
  for (int skill : {core::kSkillEasy, core::kSkillMedium, core::kSkillHard}) {
    CyclingTitle title;
    title.setup({.players = 8, .seed = 11, .skill = skill, .dataDir = PAV_TEST_ASSET_DIR, .durationSeconds = 300});
    std::vector<core::InputFrame> in(8);
    while (!title.finished()) {
      for (int p = 0; p < 8; ++p) title.botInput(p, in[size_t(p)]);
      title.step(in);
    }
    const double seconds = double(title.tick()) * title.dt();
    std::printf("[ skill %d, 5 minutes ] ride %.0f m of the %.0f m loop, all over the line at %.0f s\n", skill,
                title.route().length(), title.course().length(), seconds);
    EXPECT_GT(title.route().length(), 1000.0) << "a ride, not a few metres";
    EXPECT_LT(title.route().length(), title.course().length()) << "cut to fit";
    for (int p = 0; p < 8; ++p) EXPECT_TRUE(title.stats(p).finished) << "skill " << skill << " rider " << p;
    EXPECT_LT(seconds, 300.0) << "before the session's end";
  }
}

TEST(CyclingGroupRide, LongerSessionsRideFurtherAndGoRoundTheLoop) {
  const Route course = Route::load(std::string(PAV_TEST_ASSET_DIR) + "/cycling/route.txt");
  ASSERT_TRUE(course.loop());
  const BotProfile bot = botProfileForSkill(core::kSkillMedium);
  const double five = rideLengthFor(course, 300, bot), half = rideLengthFor(course, 3600, bot);
  const double open = rideLengthFor(course, 0, bot);
  EXPECT_LT(five, half);
  EXPECT_GT(half, course.length() + 4500) << "an hour goes round more than once";
  EXPECT_GT(open, 3 * course.length()) << "an open-ended session keeps going round";
  // A lap on, the road is where it was.
  const Route ride = course.forRide(half);
  EXPECT_DOUBLE_EQ(ride.length(), half);
  for (double d : {10.0, 2500.0, 4321.0}) {
    const RoadFrame a = ride.frameAt(d), b = ride.frameAt(d + course.length());
    EXPECT_LT(glm::distance(a.centre, b.centre), 1e-6) << d;
    EXPECT_NEAR(ride.gradeAt(d), ride.gradeAt(d + course.length()), 1e-9) << d;
  }
  // A point-to-point road is never made longer; open-ended it is ridden to its end.
  const Route straight = Route::uniform(3000, 0.01);
  EXPECT_DOUBLE_EQ(rideLengthFor(straight, 0, bot), 3000.0);
  EXPECT_DOUBLE_EQ(rideLengthFor(straight, 7200, bot), 3000.0);
  EXPECT_LT(rideLengthFor(straight, 60, bot), 3000.0);
}

TEST(CyclingGroupRide, TheSprintIsAnnounced500mOutAndTheGroupLetsGo) {
  const core::StringTable table = core::StringTable::load(std::string(PAV_TEST_ASSET_DIR) + "/cycling/strings.json");
  CyclingTitle title;
  title.setup({.players = 2, .seed = 2}, Route::uniform(3000, 0.0));
  const auto hudText = [&](core::Lang lang) {
    test::RecordingCanvas canvas;
    const render::HudContext context{.lang = lang, .strings = &table, .stage = render::HudStage::Playing, .secondsLeft = 60};
    makeCyclingPresenter(title, 0)->hud(core::captureNew(title), context, canvas);
    const auto* sprint = canvas.textAt(render::ui::slot("cycling.sprint"));
    return sprint ? std::string(sprint->view()) : std::string();
  };
  std::vector<core::InputFrame> in = {pedal(250), pedal(250)};
  // 520 m out, riders 8 m apart: no sprint yet, and the group pulls them together.
  title.placeRider(0, 2480, 10), title.placeRider(1, 2472, 10);
  title.step(in);
  EXPECT_EQ(hudText(core::Lang::En), "");
  EXPECT_LT(title.stats(1).pullGrade, 0.0) << "the one behind is pulled on";
  EXPECT_GT(title.stats(0).pullGrade, 0.0) << "the one ahead is held";
  // 500 m out and closer: announced, in both languages, and every rider for themselves.
  title.placeRider(0, 2500.5, 10), title.placeRider(1, 2492, 10);
  title.step(in);
  EXPECT_EQ(hudText(core::Lang::En), "Sprint! 500 m to the line");
  EXPECT_EQ(hudText(core::Lang::Zh), "冲刺！距终点 500 米");
  EXPECT_EQ(title.stats(0).pullGrade, 0.0);
  EXPECT_EQ(title.stats(1).pullGrade, 0.0);
  title.placeRider(0, 2900, 10);
  title.step(in);
  EXPECT_EQ(hudText(core::Lang::En), "Sprint! 100 m to the line");
  // Over the line: no more sprint.
  title.placeRider(0, 2999.99, 10);
  title.step(in);
  ASSERT_TRUE(title.stats(0).finished);
  EXPECT_EQ(hudText(core::Lang::En), "");
}

// The smart trainer's grade on the road that turns: what the road climbs in the scene under the
// rider, rise over the horizontal distance its middle runs, on the shipped loop's climb, through
// a hairpin and down the descent. (The road is flat across, so its grade is the same in every
// lane; a rider on the inside of a hairpin covers less ground than the middle and climbs more
// steeply in the picture, as on a real road.)
TEST(CyclingGroupRide, TheTrainersGradeIsTheClimbOfTheRoadInTheScene) {
  CyclingTitle title;
  title.setup({.players = 1, .seed = 1, .dataDir = PAV_TEST_ASSET_DIR, .durationSeconds = 3600});
  for (const double at : {2500.0, 3300.0, 4700.0, 6000.0}) {  // the climb, its hairpins, the descent
    title.placeRider(0, at, 5);
    std::vector<core::InputFrame> in = {pedal(250)};
    title.step(in);
    core::TrainerRoad road;
    ASSERT_TRUE(static_cast<const core::Title&>(title).trainerRoad(0, road));
    EXPECT_DOUBLE_EQ(road.grade, title.route().gradeAt(title.stats(0).distanceM)) << at;
    const glm::dvec3 before = title.route().frameAt(title.stats(0).distanceM).centre;
    title.step(in);
    const glm::dvec3 after = title.route().frameAt(title.stats(0).distanceM).centre;
    const double run = std::hypot(after.x - before.x, after.z - before.z);
    ASSERT_GT(run, 0.05);
    std::printf("[ %.0f m ] trainer grade %.4f, the road's climb in the scene %.4f\n", at, road.grade,
                (after.y - before.y) / run);
    EXPECT_NEAR(road.grade, (after.y - before.y) / run, 2e-3) << at;
  }
}

// ---- lanes -----------------------------------------------------------------------------------

TEST(CyclingLanes, SteeringMovesARiderToTheNextLaneAndAutoSteerHoldsIt) {
  CyclingTitle title;
  title.setup({.players = 2, .seed = 1}, Route::uniform(5000, 0.0));
  title.setGroupRide(false);
  std::vector<core::InputFrame> in = {pedal(200), pedal(200)};
  for (int t = 0; t < 120; ++t) title.step(in);
  EXPECT_DOUBLE_EQ(title.stats(0).lateralM, laneCentreM(0)) << "no steering: its own lane";
  EXPECT_DOUBLE_EQ(title.stats(1).lateralM, laneCentreM(1));
  // Seat 0 steers right, full lock, for a third of a second (0.5 m), then lets go.
  in[0].steer = 1.0f;
  for (int t = 0; t < 20; ++t) title.step(in);
  EXPECT_GT(title.stats(0).lateralM, laneCentreM(0) + 0.45);
  in[0].steer = 0.05f;  // a thumb resting on the stick: inside the dead zone
  for (int t = 0; t < 120; ++t) title.step(in);
  EXPECT_DOUBLE_EQ(title.stats(0).lateralM, laneCentreM(1)) << "auto-steered onto the next lane's middle";
  // Full left for long enough crosses to lane 0 and no further: riders keep to the road.
  in[0].steer = -1.0f;
  for (int t = 0; t < 600; ++t) title.step(in);
  EXPECT_DOUBLE_EQ(title.stats(0).lateralM, laneCentreM(0));
  in[0].steer = std::nanf("");  // a broken stick steers nowhere
  for (int t = 0; t < 60; ++t) title.step(in);
  EXPECT_DOUBLE_EQ(title.stats(0).lateralM, laneCentreM(0));
  // Where the state puts the rider: that far right of the road's middle.
  const core::StateFrame f = core::captureNew(title);
  const RoadFrame road = title.route().frameAt(title.stats(0).distanceM);
  EXPECT_NEAR(glm::dot(glm::dvec3(f.objects[0].position) - road.centre, road.right), laneCentreM(0), 2e-3);
}

TEST(CyclingLanes, ADraftCountsOnlyWithinTheLaneBand) {
  for (const double across : {0.0, 0.3, kDraftBandM - 0.01, kDraftBandM + 0.05, kLaneSpacingM}) {
    CyclingTitle title;
    title.setup({.players = 2, .seed = 1}, Route::uniform(5000, 0.0));
    title.setGroupRide(false);
    title.placeRider(0, 1000, 10, 3);
    title.placeRider(1, 1000 - kBikeLengthM - 0.5, 10, 3);  // half a metre off the wheel
    std::vector<core::InputFrame> in = {pedal(250), pedal(250, 1.0f)};
    // Steer seat 1 across by `across` (kSteerSpeedMs at full lock), then read the draft.
    const int ticks = int(std::lround(across / (kSteerSpeedMs / 60.0)));
    for (int t = 0; t < ticks; ++t) title.step(in);
    in[1].steer = 1.0f;
    title.step(in);  // drafting is decided from the riders' places at the start of a tick
    const double off = title.stats(1).lateralM - title.stats(0).lateralM;
    title.step(in);
    const double factor = title.stats(1).cdaFactor;
    std::printf("[ %.2f m across ] %.3f m off the wheel's line: CdA factor %.3f\n", across, off, factor);
    if (std::abs(off) - kSteerSpeedMs / 60.0 <= kDraftBandM) EXPECT_LT(factor, 0.75) << off;
    if (std::abs(off) > kDraftBandM) EXPECT_EQ(factor, 1.0) << off;
  }
}

TEST(CyclingLanes, BotsFindAWheelToFollow) {
  CyclingTitle title;
  title.setup({.players = 8, .seed = 4, .skill = core::kSkillMedium, .dataDir = PAV_TEST_ASSET_DIR, .durationSeconds = 600});
  std::vector<core::InputFrame> in(8);
  int drafting = 0;
  for (int t = 0; t < 3 * 60 * 60; ++t) {
    for (int p = 0; p < 8; ++p) title.botInput(p, in[size_t(p)]);
    title.step(in);
  }
  for (int p = 0; p < 8; ++p) drafting += title.stats(p).cdaFactor < 0.9;
  std::printf("[ 8 medium bots, 3 minutes in ] %d riding in a wheel\n", drafting);
  EXPECT_GE(drafting, 3) << "a group rides in line, not eight abreast";
}

}  // namespace
}  // namespace pav::cycling
