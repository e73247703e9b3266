// No heap allocation per tick once racing: after a warm-up, four bots racing (their inputs and
// the step), the server's capture and a station's apply make no C++ heap allocation at all;
// nor does the presenter's HUD per frame.
//
// Allocations are counted by tests/support (a replaced global operator new), so
// it is built only without the sanitizers (they bring their own allocator).
#include <gtest/gtest.h>

#include "alloc_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "pav/core/state.h"
#include "pav/core/strings.h"
#include "pav/driving/driving.h"
#include "pav/render/presenter.h"
#include "recording_canvas.h"

namespace pav::driving {
namespace {

// The expo aids, the ghost's recording and a best lap taken over at the line (two crossings
// after the first) allocate nothing either.
TEST(DrivingTickAllocations, AssistedLapsWithTheGhostAllocateNothing) {
  DrivingTitle title;
  title.setup({.players = 1, .seed = 11, .skill = 2, .dataDir = PAV_TEST_ASSET_DIR, .assists = core::kAssistsExpo});
  std::vector<core::InputFrame> inputs(1);
  for (int t = 0; t < 6 * 240; ++t) title.botInput(0, inputs[0]), title.step(inputs);
  uint64_t allocations = 0;
  {
    pav::test::CountAllocations counting;
    while (title.car(0).lapsDone < 2 && title.tick() < 400u * 240u) title.botInput(0, inputs[0]), title.step(inputs);
    allocations = counting.count();
  }
  EXPECT_EQ(title.car(0).lapsDone, 2);
  EXPECT_GT(title.ghostLapTime(), 0.0f);
  EXPECT_EQ(allocations, 0u) << "an assisted lap allocated on the heap";
}

TEST(DrivingTickAllocations, RacingTicksAllocateNothing) {
  DrivingTitle title;
  title.setup({.players = 4, .seed = 11, .skill = 2, .dataDir = PAV_TEST_ASSET_DIR});
  std::vector<core::InputFrame> inputs(4);
  auto tick = [&] {
    for (int p = 0; p < 4; ++p) title.botInput(p, inputs[static_cast<size_t>(p)]);
    title.step(inputs);
  };
  for (int t = 0; t < 6 * 240; ++t) tick();
  uint64_t allocations = 0;
  {
    pav::test::CountAllocations counting;
    for (int t = 0; t < 600; ++t) tick();
    allocations = counting.count();
  }
  EXPECT_EQ(allocations, 0u) << "the per-tick path allocated on the heap";
  // The server captures every tick it sends; a station applies every frame it receives.
  core::StateSchema schema;
  title.describe(schema);
  core::StateFrame frame, older;
  frame.resize(schema);
  older.resize(schema);
  title.capture(older);
  {
    pav::test::CountAllocations counting;
    for (int t = 0; t < 600; ++t) {
      tick();
      title.capture(frame);
      if (t % 10 == 9) {
        title.apply(older);  // a station's rewind: back ten ticks, then on
        for (int k = 0; k < 10; ++k) tick();
        title.capture(older);
      }
    }
    allocations = counting.count();
  }
  EXPECT_EQ(frame.tick, title.tick());
  EXPECT_EQ(allocations, 0u) << "capture or apply allocated on the heap";
  // Resets and lap completions happen rarely; they must not allocate either.
  {
    pav::test::CountAllocations counting;
    title.placeCar(0, 10.0f, 0.0f, 0.0f);
    title.poseCar(1, {0, -20, 0}, glm::quat(1, 0, 0, 0), glm::vec3(0.0f));  // fallen: reset next tick
    tick();
    allocations = counting.count();
  }
  EXPECT_EQ(allocations, 0u) << "a reset allocated on the heap";
  EXPECT_EQ(title.car(1).resets, 1);
}

// A steady HUD frame allocates nothing: the dash of a seat and of a spectator over a race, the
// start lights and the classification, in both languages, after a warm-up.
TEST(DrivingTickAllocations, HudFramesAllocateNothing) {
  const auto table = core::StringTable::load(std::string(PAV_TEST_ASSET_DIR) + "/driving/strings.json");
  DrivingTitle title;
  title.setup({.players = 4, .seed = 11, .skill = 2, .dataDir = PAV_TEST_ASSET_DIR});
  std::vector<core::InputFrame> inputs(4);
  auto seat = makeDrivingPresenter(title, 2), spectator = makeDrivingPresenter(title, -1);
  pav::test::RecordingCanvas canvas;
  core::StateFrame frame = core::captureNew(title);
  int frames = 0;
  auto frameOnce = [&] {
    for (int k = 0; k < 4; ++k) {
      for (int p = 0; p < 4; ++p) title.botInput(p, inputs[static_cast<size_t>(p)]);
      title.step(inputs);
    }
    title.capture(frame);
    ++frames;
    const auto stage = frames < 60 ? render::HudStage::Start : frames % 500 == 0 ? render::HudStage::Results : render::HudStage::Playing;
    const auto lang = frames % 300 < 150 ? core::Lang::Zh : core::Lang::En;
    canvas.clear();
    seat->hud(frame, {.lang = lang, .strings = &table, .stage = stage, .secondsLeft = 100}, canvas);
    spectator->hud(frame, {.lang = lang, .strings = &table, .stage = stage, .secondsLeft = 100}, canvas);
  };
  const uint64_t allocations = pav::test::steadyAllocations(frameOnce);
  EXPECT_FALSE(canvas.texts().empty());
  EXPECT_EQ(allocations, 0u) << "hud() allocated on the heap";
}

}  // namespace
}  // namespace pav::driving
