// What the aids and comfort look like: the vignette's strength follows the car's angular
// velocity (the function, and the presenter's HUD over real frames), the racing line is red
// before corners, and the ghost is drawn beside the seat's car.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "pav/driving/driving.h"
#include "pav/render/presenter.h"
#include "recording_canvas.h"

namespace pav::driving {
namespace {

using test::RecordingCanvas;

TEST(Vignette, StrengthFollowsAngularVelocity) {
  EXPECT_EQ(vignetteStrength(0.0f, 0.0f, 1.0f), 0.0f);
  EXPECT_EQ(vignetteStrength(kVignetteCalmRadS, 0.0f, 1.0f), 0.0f) << "a calm car: nothing drawn";
  float last = 0;
  for (float w = 0.2f; w <= kVignetteFullRadS; w += 0.1f) {
    const float v = vignetteStrength(w, 0.0f, 1.0f);
    EXPECT_GT(v, last) << "at " << w << " rad/s";
    last = v;
  }
  EXPECT_FLOAT_EQ(vignetteStrength(kVignetteFullRadS, 0.0f, 1.0f), 1.0f);
  EXPECT_FLOAT_EQ(vignetteStrength(-3.0f, 0.0f, 1.0f), 1.0f) << "either way round, capped";
  EXPECT_FLOAT_EQ(vignetteStrength(0.8f, 0.0f, 0.5f), 0.5f * vignetteStrength(0.8f, 0.0f, 1.0f)) << "the setting";
  EXPECT_EQ(vignetteStrength(0.8f, 0.0f, 0.0f), 0.0f) << "switched off";
  EXPECT_GT(vignetteStrength(0.0f, 10.0f, 1.0f), 0.0f) << "hard braking darkens too";
  EXPECT_EQ(vignetteStrength(NAN, 0.0f, 1.0f), 0.0f);
  EXPECT_EQ(vignetteStrength(0.5f, INFINITY, 1.0f), 0.0f);
}

struct Drawn {
  bool shown = false;
  float opening = 0;   // the top band's inner edge: how much of the view is left clear
  float darkness = 0;  // the alpha of every band summed
};

// The vignette panel of one HUD call: the head panel with no backing, on top.
Drawn vignetteOf(const RecordingCanvas& canvas) {
  Drawn d;
  int panel = -1;
  for (size_t i = 0; i < canvas.panels().size(); ++i) {
    const auto& p = canvas.panels()[i];
    if (p.anchor == render::ui::Anchor::Head && p.fill.a == 0.0f && p.onTop && p.size.x > 2.0f) panel = int(i);
  }
  if (panel < 0) return d;
  d.shown = true;
  d.opening = 1e9f;
  for (const auto& r : canvas.rects()) {
    if (r.panel != panel) continue;
    d.darkness += r.color.a;
    if (r.centre.x == 0.0f && r.centre.y > 0.0f) d.opening = std::min(d.opening, r.centre.y - 0.5f * r.size.y);
  }
  return d;
}

// A seat's HUD over frames of a real race whose car turns at a steady rate for a second at a
// time, faster each second: the vignette closes in step with the rate, and not at all with the
// setting at 0.
TEST(Vignette, TheSeatsHudClosesInAsTheCarTurnsFaster) {
  DrivingTitle title;
  title.setup({.players = 1, .seed = 1, .dataDir = PAV_TEST_ASSET_DIR});
  title.placeCar(0, 300.0f, 0.0f, 30.0f);
  core::StateFrame frame = core::captureNew(title);
  title.capture(frame);
  auto seat = makeDrivingPresenter(title, 0);
  auto spectator = makeDrivingPresenter(title, -1);
  const core::StringTable strings = core::StringTable::load(std::string(PAV_TEST_ASSET_DIR) + "/driving/strings.json");
  for (float setting : {1.0f, 0.5f, 0.0f}) {
    const render::HudContext context{.lang = core::Lang::En, .strings = &strings, .secondsLeft = 90, .vignette = setting};
    std::vector<Drawn> byRate;
    for (float rate : {0.0f, 0.3f, 0.6f, 0.9f, 1.2f}) {
      RecordingCanvas canvas;
      for (int f = 0; f < 60; ++f) {  // a second at 60 frames a second, the car's velocity steady
        frame.tick += 4;
        frame.objects[0].angularVelocity = {0.0f, rate, 0.0f};
        canvas.clear();
        seat->hud(frame, context, canvas);
      }
      byRate.push_back(vignetteOf(canvas));
      std::printf("setting %.1f, yaw %.1f rad/s: vignette %s, opening %.3f m, darkness %.2f\n", setting, rate,
                  byRate.back().shown ? "shown" : "none", byRate.back().opening, byRate.back().darkness);
      RecordingCanvas other;
      spectator->hud(frame, context, other);
      EXPECT_FALSE(vignetteOf(other).shown) << "a spectator's view has no vignette";
    }
    EXPECT_FALSE(byRate[0].shown) << "a car going straight: no vignette";
    if (setting == 0.0f) {
      for (const Drawn& d : byRate) EXPECT_FALSE(d.shown) << "the setting at 0 turns it off";
      continue;
    }
    for (size_t i = 2; i < byRate.size(); ++i) {
      ASSERT_TRUE(byRate[i].shown);
      if (byRate[i - 1].shown) {
        EXPECT_LT(byRate[i].opening, byRate[i - 1].opening) << "faster turning, narrower view";
        EXPECT_GT(byRate[i].darkness, byRate[i - 1].darkness);
      }
    }
    // And it opens again once the car straightens.
    RecordingCanvas canvas;
    for (int f = 0; f < 120; ++f) {
      frame.tick += 4;
      frame.objects[0].angularVelocity = glm::vec3(0.0f);
      canvas.clear();
      seat->hud(frame, context, canvas);
    }
    EXPECT_FALSE(vignetteOf(canvas).shown) << "still closed two seconds after the turn";
  }
}

TEST(RacingLine, RedBeforeEveryCornerGreenOnTheStraight) {
  const Track track = Track::load(std::string(PAV_TEST_ASSET_DIR) + "/driving/track.txt");
  const int n = int(track.samples.size());
  const std::vector<LineZone> zones = lineZones(track, CarTuning{}, assistsFor(core::kAssistsExpo).brakeShare);
  ASSERT_EQ(zones.size(), size_t(n));
  auto lineZone = [&](const Track&, int i) { return zones[size_t(i)]; };
  int counts[3] = {};
  for (int i = 0; i < n; ++i) ++counts[int(lineZone(track, i))];
  std::printf("racing line: %d samples accelerate, %d corner, %d brake\n", counts[0], counts[1], counts[2]);
  EXPECT_GT(counts[0], 0);
  EXPECT_GT(counts[1], 0);
  EXPECT_GT(counts[2], 0);
  EXPECT_EQ(lineZone(track, 0), LineZone::Accelerate) << "the start line is on the main straight";
  // Every slow point (a corner's slowest, well under the straights' speed) has a braking zone
  // in the 100 m before it.
  int corners = 0;
  for (int i = 0; i < n; ++i) {
    const float v = track.samples[size_t(i)].targetSpeed;
    const float before = track.samples[size_t((i + n - 1) % n)].targetSpeed;
    const float after = track.samples[size_t((i + 1) % n)].targetSpeed;
    if (!(v < before && v <= after && v < 0.5f * 85.0f)) continue;
    ++corners;
    bool braking = false;
    for (int k = 1; k <= 50 && !braking; ++k) braking = lineZone(track, (i - k + n) % n) == LineZone::Brake;
    EXPECT_TRUE(braking) << "no braking zone before the corner at s = " << track.samples[size_t(i)].s;
  }
  EXPECT_GE(corners, 3);
}

// The ghost of the best lap is drawn (pale blue) beside the seat's car once a lap is done, and
// not while it overlaps the car (from the cockpit it would fill the view).
TEST(Ghost, DrawnBesideTheSeatsCarAfterALap) {
  DrivingTitle title;
  title.setup({.players = 1, .seed = 2, .skill = 2, .dataDir = PAV_TEST_ASSET_DIR});
  auto seat = makeDrivingPresenter(title, 0);
  std::vector<render::MeshId> ids;
  for (size_t i = 0; i < seat->meshes().size(); ++i) ids.push_back(render::MeshId{uint32_t(i + 1)});
  seat->setMeshes(ids);
  std::vector<core::InputFrame> in(1);
  core::StateFrame frame = core::captureNew(title);
  render::Scene scene;
  render::View view;
  const glm::vec4 ghostColor(0.70f, 0.85f, 1.0f, 1.0f);
  auto ghostDraws = [&](glm::vec3* at = nullptr) {
    int k = 0;
    for (const auto& d : scene.draws)
      if (d.color == ghostColor) ++k, at ? void(*at = glm::vec3(d.model[3])) : void();
    return k;
  };
  while (title.car(0).lapsDone < 1 && title.tick() < 300 * 240) {
    title.botInput(0, in[0]);
    title.step(in);
    if (title.tick() % 240) continue;
    title.capture(frame);
    seat->present(frame, scene, view, 1.5f);
    EXPECT_EQ(ghostDraws(), 0) << "a ghost before any lap, tick " << title.tick();
  }
  ASSERT_EQ(title.car(0).lapsDone, 1);
  for (int t = 0; t < 30 * 240; ++t) title.botInput(0, in[0]), title.step(in);
  title.capture(frame);
  glm::vec3 ghostAt, q;
  glm::quat orientation;
  ASSERT_TRUE(title.ghost(0, ghostAt, orientation));
  EXPECT_EQ(frame.objects[1].position, ghostAt) << "the ghost travels as object players + seat";
  const glm::vec3 car = frame.objects[0].position;
  std::printf("30 s into lap 2 the ghost is %.2f m from the car\n", glm::distance(car, ghostAt));
  // The car 20 m behind where it is: the ghost is drawn where the title says it is.
  frame.objects[0].position = car - (title.track().samples[size_t(title.track().nearest(car))].forward * 20.0f);
  seat->present(frame, scene, view, 1.5f);
  glm::vec3 drawnAt;
  EXPECT_EQ(ghostDraws(&drawnAt), 2) << "paint and body";
  EXPECT_LT(glm::distance(drawnAt, ghostAt), 1e-4f);
  // The car on top of the ghost: not drawn.
  frame.objects[0].position = ghostAt + glm::vec3(0.5f, 0.0f, 0.5f);
  seat->present(frame, scene, view, 1.5f);
  EXPECT_EQ(ghostDraws(), 0);
}

}  // namespace
}  // namespace pav::driving
