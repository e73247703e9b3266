// host::Loop with a scripted view and a real hockey match: a frame's time becomes fixed ticks
// (the residual carried, a stall clamped), the visitor's input is read before the ticks that
// use it, the view shows the state after them, and a view with no frame to make runs nothing.
#include <gtest/gtest.h>

#include <vector>

#include "pav/hockey/hockey.h"
#include "pav/host/host.h"

namespace pav::host {
namespace {

// A view whose frames stand for the times it is given; its visitor holds the right hand at
// `hand` (table coordinates); it remembers the ticks of the states it was shown.
class ScriptedView final : public View {
 public:
  std::vector<double> frames;  // seconds per frame, in order; then the view closes
  glm::vec3 hand{0.0f};
  bool idle = false;           // no frame to make now
  std::vector<uint64_t> shownTicks;
  std::vector<glm::vec2> shownMallets;

  bool begin(double, double& seconds, core::InputFrame* visitor) override {
    if (idle) return false;
    seconds = frames[next_++];
    if (visitor) {
      *visitor = {};
      visitor->hands[1] = {.position = hand, .tracked = true};
    }
    return true;
  }
  void end(const core::StateFrame& state) override {
    shownTicks.push_back(state.tick);
    shownMallets.push_back({state.objects[1].position.x, state.objects[1].position.z});
  }
  void shootNext(const std::string&) override {}
  int shots() const override { return 0; }
  bool open() const override { return next_ < frames.size(); }

 private:
  size_t next_ = 0;
};

struct Match {
  std::unique_ptr<core::Title> title = hockey::makeHockeyTitle();
  core::StateFrame frame;
  std::vector<core::InputFrame> inputs{2};
  core::InputFrame visitor;
  Match() {
    title->setup({.players = 2, .seed = 3, .skill = 1});
    frame = core::captureNew(*title);
  }
  int frame_(Loop& loop, View& view) {
    return loop.frame(
        view, &visitor,
        [&](uint64_t) {
          inputs[0] = visitor;
          title->botInput(1, inputs[1]);
          title->step(inputs);
        },
        [&]() -> const core::StateFrame& {
          title->capture(frame);
          return frame;
        });
  }
};

TEST(HostLoop, AFramesTimeBecomesFixedTicksWithTheResidualCarried) {
  Match m;
  Loop loop({.tickRateHz = hockey::kTickRateHz});
  ScriptedView view;
  // 480 Hz: 10 ms is 4.8 ticks; five such frames are 24 ticks, the fractions carried over.
  view.frames = {0.010, 0.010, 0.010, 0.010, 0.010};
  std::vector<int> ticks;
  while (view.open()) ticks.push_back(m.frame_(loop, view));
  EXPECT_EQ(ticks, (std::vector<int>{4, 5, 5, 5, 5}));
  EXPECT_EQ(loop.ticks(), 24u);
  EXPECT_EQ(loop.frames(), 5u);
  ASSERT_EQ(view.shownTicks.size(), 5u);
  EXPECT_EQ(view.shownTicks.back(), m.title->tick()) << "the view shows the state after the frame's ticks";
  EXPECT_EQ(view.shownTicks.front(), 4u);
}

TEST(HostLoop, AStallIsClampedToATenthOfASecond) {
  Match m;
  Loop loop({.tickRateHz = hockey::kTickRateHz});
  ScriptedView view;
  // Two seconds and half a tick: 48 ticks run, 912 whole ticks (1.9 s) dropped, the half kept.
  view.frames = {2.0 + 0.5 / 480.0, 0.0, 0.5 / 480.0};
  EXPECT_EQ(m.frame_(loop, view), 48) << "a tenth of a second at 480 Hz";
  EXPECT_NEAR(loop.droppedSeconds(), 1.9, 1e-9);
  EXPECT_EQ(m.frame_(loop, view), 0) << "the dropped time does not come back";
  EXPECT_EQ(m.frame_(loop, view), 1) << "the kept half tick and another half make one";
}

TEST(HostLoop, TheVisitorsHandIsReadBeforeTheTicksThatUseIt) {
  Match m;
  Loop loop({.tickRateHz = hockey::kTickRateHz});
  ScriptedView view;
  const glm::vec2 start = hockey::malletOf(*m.title, 0);
  view.hand = {start.x + 0.3f, 0.0f, start.y + 0.2f};  // within seat 0's half
  view.frames.assign(30, 1.0 / 90.0);
  while (view.open()) m.frame_(loop, view);
  const glm::vec2 mallet = hockey::malletOf(*m.title, 0);
  EXPECT_LT(glm::distance(mallet, glm::vec2(view.hand.x, view.hand.z)), 0.01f) << "the mallet went to the hand";
  EXPECT_LT(glm::distance(view.shownMallets.back(), mallet), 0.001f) << "and the view showed it there";
}

TEST(HostLoop, AViewWithNoFrameToMakeRunsNothing) {
  Match m;
  Loop loop({.tickRateHz = hockey::kTickRateHz});
  ScriptedView view;
  view.frames = {0.5};
  view.idle = true;
  EXPECT_EQ(m.frame_(loop, view), -1);
  EXPECT_EQ(m.title->tick(), 0u);
  EXPECT_TRUE(view.shownTicks.empty());
  view.idle = false;
  EXPECT_EQ(m.frame_(loop, view), 48);
}

}  // namespace
}  // namespace pav::host
