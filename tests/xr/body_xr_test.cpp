// The visitor's own body in the simulated headset, through the pavilion's own headset viewer
// (XrViewer: the product's frame loop, the real loader, validation on): the hands are drawn
// where the runtime's grip poses say (the glove's colour at the grip's projection in the eye
// the runtime received), they are located late (with a tracker that predicts nothing, the pose
// drawn is newer than the one the frame's ticks used), and the car's steering wheel turns with
// the steering input (its top stripe found in the picture where the turned wheel projects).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <thread>

#include "../support/picture_regions.h"
#include "pav/core/fixed_step.h"
#include "pav/driving/driving.h"
#include "pav/hockey/hockey.h"
#include "pav/titles.h"
#include "xr_fixture.h"
#include "xr_viewer.h"

namespace pav::test {
namespace {

// Where a world point lands in an eye's picture, in pixels (Vulkan clip: y down the picture).
glm::dvec2 project(const render::View& view, const glm::vec3& p, uint32_t size) {
  const glm::vec4 clip = view.viewProjection() * glm::vec4(p, 1.0f);
  return {(clip.x / clip.w * 0.5 + 0.5) * size, (clip.y / clip.w * 0.5 + 0.5) * size};
}

// The glove's orange (body.h kGloveColor, lit and tone mapped): red, green between, little blue.
bool glove(const uint8_t* c) {
  return c[0] > 80 && c[1] > 0.42 * c[0] && c[1] < 0.8 * c[0] && c[2] < 0.5 * c[1];
}
// The steering wheel's top stripe (kRimMarkColor): a saturated green, unlike grass and leaves.
bool stripe(const uint8_t* c) { return c[1] > 80 && c[0] < 0.6 * c[1] && c[2] < 0.6 * c[1]; }

// The share of pixels within `r` of `at` that `hit` picks.
template <class Hit>
double shareAround(const render::Picture& p, glm::dvec2 at, int r, Hit hit) {
  int n = 0, in = 0;
  for (int y = int(at.y) - r; y <= int(at.y) + r; ++y) {
    for (int x = int(at.x) - r; x <= int(at.x) + r; ++x) {
      if (x < 0 || y < 0 || x >= int(p.width) || y >= int(p.height)) continue;
      ++n;
      in += hit(p.pixel(uint32_t(x), uint32_t(y))) ? 1 : 0;
    }
  }
  return n ? double(in) / double(n) : 0.0;
}

class XrBody : public XrTest {
 protected:
  // The viewer for `title`'s seat 0, validation on, no window.
  std::unique_ptr<tools::XrViewer> open(core::Title& title) {
    std::string why;
    auto runtime = tools::XrViewer::openHeadset(why);
    EXPECT_TRUE(runtime) << why;
    if (!runtime) return nullptr;
    tools::RenderOptions options;
    options.validation = true;
    options.shaderDir = PAV_TEST_SHADER_DIR;
    return std::make_unique<tools::XrViewer>(std::move(runtime), title, options, false, 0);
  }
  // One frame of the product's loop: the controls in, the ticks the frame stands for (and
  // `work` seconds more of a loaded station's work), the state out. False when no frame.
  bool frame(tools::XrViewer& v, core::Title& t, core::FixedStep& clock, double work = 0.0) {
    core::InputFrame input;
    if (!v.beginFrame(input)) return false;
    clock.advance(v.frameSeconds(), [&](uint64_t, double) { t.step({&input, 1}); });
    if (work > 0) std::this_thread::sleep_for(std::chrono::duration<double>(work));
    t.capture(state_);
    v.endFrame(state_);
    return true;
  }
  // Runs until `frames` frames were drawn (bounded by idle iterations).
  void run(tools::XrViewer& v, core::Title& t, core::FixedStep& clock, int frames, double work = 0.0,
           const std::function<void(int)>& after = {}) {
    int drawn = 0;
    for (int idle = 0; drawn < frames && idle < 2000 && !v.done();) {
      if (frame(v, t, clock, work)) {
        ++drawn;
        if (after) after(drawn);
      } else {
        ++idle;
      }
    }
    ASSERT_EQ(drawn, frames);
  }
  core::StateFrame state_;
};

// The visitor stands at the table looking down it; both hands rest over the surface.
constexpr const char* kHandsStill = R"(at 0
head   0 1.6 0         0 -30 0
left  -0.22 1.05 -0.40  0 -20 0
right  0.18 1.00 -0.45  0 -20 0
)";

TEST_F(XrBody, GlovesAreDrawnWhereTheGripPosesSay) {
  setScript(kHandsStill);
  auto title = hockey::makeHockeyTitle();
  title->setup({.players = 1, .seed = 2, .skill = 1});
  state_ = core::captureNew(*title);
  auto v = open(*title);
  ASSERT_TRUE(v);
  core::FixedStep clock({hockey::kTickRateHz, 96});
  run(*v, *title, clock, 30);
  const std::string stem = dir() + "/hands";
  v->shootNext(stem);
  run(*v, *title, clock, 1);
  ASSERT_EQ(v->shots(), 1);
  const render::Picture left = render::readPng(stem + "-left.png");
  ASSERT_EQ(left.width, kEyeSize);
  const xr::ControllerState& hands = v->drawnHands();
  for (int h = 0; h < 2; ++h) {
    ASSERT_TRUE(hands.hands[size_t(h)].tracked) << "hand " << h;
    const glm::vec3 grip = v->playSpace().toWorld(hands.hands[size_t(h)].grip).position;
    const glm::dvec2 at = project(v->views()[0], grip, kEyeSize);
    ASSERT_GT(at.x, 10);
    ASSERT_LT(at.x, kEyeSize - 10);
    EXPECT_GT(shareAround(left, at, 2, glove), 0.8) << "hand " << h << " at (" << at.x << ", " << at.y << ")";
    // And not where the hand is not: the same height across the view's centre line.
    const glm::dvec2 away{kEyeSize - at.x + (h == 0 ? 25 : -25), at.y};
    EXPECT_LT(shareAround(left, away, 2, glove), 0.1) << "hand " << h;
  }
  const PixelRegion all = findPixels(left, glove);
  EXPECT_GT(all.count, 60u);
  v->close();
  EXPECT_EQ(v->validationMessages(), 0u);
}

// The right hand sweeps across at 1 m/s; the hands' tracker predicts nothing
// (PAV_XR_SIM_HANDS=latest), so a pose located later is further along.
constexpr const char* kHandSweep = R"(at 0
head   0 1.6 0         0 -30 0
right -0.6 1.0 -0.45   0 -20 0
at 1.2
right  0.6 1.0 -0.45   0 -20 0
)";

TEST_F(XrBody, TheHandsAreLocatedLateAtTheNewestPose) {
  setScript(kHandSweep);
  setSimVar("PAV_XR_SIM_HANDS", "latest");
  auto title = hockey::makeHockeyTitle();
  title->setup({.players = 1, .seed = 2, .skill = 1});
  state_ = core::captureNew(*title);
  auto v = open(*title);
  ASSERT_TRUE(v);
  core::FixedStep clock({hockey::kTickRateHz, 96});
  int compared = 0, newer = 0;
  double most = 0;
  // 4 ms of a station's work between the frame's controls and its drawing.
  run(*v, *title, clock, 60, 0.004, [&](int) {
    const xr::HandState& early = v->sampledHands().hands[1];
    const xr::HandState& late = v->drawnHands().hands[1];
    if (!early.tracked || !late.tracked) return;
    ++compared;
    const double ahead = double(late.grip.position.x - early.grip.position.x);
    EXPECT_GE(ahead, -1e-5) << "a hand drawn behind the pose the ticks used";
    if (ahead > 0.001) ++newer;  // at least 1 ms newer at 1 m/s
    most = std::max(most, ahead);
  });
  EXPECT_GT(compared, 30);
  EXPECT_GE(newer, 1) << "the hands drawn were never newer than the frame's controls; most " << most;
  std::fprintf(stderr, "late location: %d of %d frames drew the hand over 1 mm further along (most %.1f mm)\n", newer,
               compared, most * 1e3);
  v->close();
  EXPECT_EQ(v->validationMessages(), 0u);
}

// The driver rests, then pushes the right stick fully right at 4 s: the car's steering turns
// towards the lock and the wheel with it, clockwise. The rest is long: a frame under a
// sanitizer or on a loaded machine can take a second, and the picture straight ahead is taken
// at the frame after 0.3 s.
constexpr const char* kSteerRight = R"(at 0
head 0 1.2 0  0 0 0
stick right 0 0
at 4
stick right 0 0
at 4.05
stick right 1 0
)";

TEST_F(XrBody, TheSteeringWheelTurnsWithTheSteeringInput) {
  setScript(kSteerRight);
  auto title = std::make_unique<driving::DrivingTitle>();
  title->setup({.players = 1, .seed = 1});
  state_ = core::captureNew(*title);
  auto presenter = titles::makePresenter(*title, 0);
  ASSERT_TRUE(presenter);
  auto v = open(*title);
  ASSERT_TRUE(v);
  core::FixedStep clock({title->info().tickRateHz, 96});

  // One picture straight ahead (0.3 s of display time), one at full right (5 s). Display
  // time, not frames: a loaded machine draws fewer frames in the same script time.
  struct Shot {
    render::Picture eye;
    render::Body body;
    render::View view;
    double at = 0;  // display time of the frame drawn
  } shots[2];
  const double at[2] = {0.3, 5.0};
  double shown = 0;
  int next = 0;
  bool shooting = false;
  for (int idle = 0; next < 2 && idle < 2000 && !v->done();) {
    if (!frame(*v, *title, clock)) {
      ++idle;
      continue;
    }
    shown += v->frameSeconds();
    if (shooting) {
      shots[next].eye = render::readPng(dir() + "/wheel-" + std::to_string(next) + "-left.png");
      presenter->body(state_, shots[next].body);
      shots[next].view = v->views()[0];
      shots[next].at = shown;
      ++next;
      shooting = false;
    } else if (shown >= at[next]) {
      v->shootNext(dir() + "/wheel-" + std::to_string(next));
      shooting = true;
    }
  }
  ASSERT_EQ(next, 2);
  ASSERT_LT(shots[0].at, 4.0) << "the picture straight ahead was drawn after the stick moved (frames over 3 s)";
  EXPECT_EQ(shots[0].body.held, render::Body::Held::SteeringWheel);
  EXPECT_NEAR(shots[0].body.turn, 0.0f, 0.02f) << "straight ahead before the stick";
  EXPECT_GT(shots[1].body.turn, 0.9f * driving::kWheelQuarterTurn) << "a quarter turn clockwise at full right lock";
  glm::dvec2 seen[2];
  for (int i = 0; i < 2; ++i) {
    const glm::dvec2 want = project(shots[i].view, render::BodyDrawer::wheelMark(shots[i].body), kEyeSize);
    const PixelRegion mark = findPixels(shots[i].eye, stripe, {0, 50, 100, 100});  // below the horizon's trees
    ASSERT_GT(mark.count, 4u) << "shot " << i;
    EXPECT_NEAR(mark.x, want.x, 5.0) << "shot " << i;
    EXPECT_NEAR(mark.y, want.y, 5.0) << "shot " << i;
    seen[i] = {mark.x, mark.y};
  }
  // Clockwise: the top stripe went right and down, to about 3 o'clock.
  EXPECT_GT(seen[1].x - seen[0].x, 15.0);
  EXPECT_GT(seen[1].y - seen[0].y, 5.0);
  v->close();
  EXPECT_EQ(v->validationMessages(), 0u);
}

}  // namespace
}  // namespace pav::test
