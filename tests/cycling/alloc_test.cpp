// No heap allocation per tick: once set up, 600 ticks of 8 riders (bots deciding, the title
// stepping, trainers being answered), the server's capture and a station's apply make no C++
// heap allocation at all; nor does the presenter's HUD per frame.
//
// Allocations are counted by tests/support (a replaced global operator new), so
// it is built only without AddressSanitizer (which owns operator new).
#include <gtest/gtest.h>

#include "alloc_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "pav/core/state.h"
#include "pav/core/strings.h"
#include "pav/cycling/cycling.h"
#include "pav/render/presenter.h"
#include "recording_canvas.h"

namespace pav::cycling {
namespace {

TEST(CyclingAllocations, TicksAllocateNothing) {
  CyclingTitle title;
  pav::core::TitleSetup setup;
  setup.players = 8;
  setup.seed = 3;
  setup.skill = 2;
  title.setup(setup);
  std::vector<pav::core::InputFrame> inputs(8);
  SimulatedTrainer trainer(botProfileForSkill(1));  // seat 0 rides a trainer
  title.step(inputs);  // warm-up

  uint64_t allocations = 0;
  uint64_t hash = 0;
  {
    pav::test::CountAllocations counting;
    for (int t = 0; t < 600; ++t) {
      trainer.poll(inputs[0]);
      for (int p = 1; p < 8; ++p) title.botInput(p, inputs[size_t(p)]);
      title.step(inputs);
      trainer.setSimulation(title.trainerParams(0));
      hash ^= title.stateHash();
      (void)title.finished();
      (void)title.stats(t % 8);
    }
    allocations = counting.count();
  }
  EXPECT_EQ(title.tick(), 601u);
  EXPECT_NE(hash, 0u);
  EXPECT_GT(title.stats(0).distanceM, 20);
  EXPECT_EQ(allocations, 0u) << "the per-tick path allocated on the heap";

  // The server captures every tick it sends; a station applies every frame it receives and
  // replays from there.
  pav::core::StateSchema schema;
  title.describe(schema);
  pav::core::StateFrame frame, older;
  frame.resize(schema);
  older.resize(schema);
  title.capture(older);
  {
    pav::test::CountAllocations counting;
    for (int t = 0; t < 600; ++t) {
      for (int p = 0; p < 8; ++p) title.botInput(p, inputs[size_t(p)]);
      title.step(inputs);
      title.capture(frame);
      if (t % 10 == 9) {
        title.apply(older);  // back ten ticks, then on
        for (int k = 0; k < 10; ++k) title.step(inputs);
        title.capture(older);
      }
    }
    allocations = counting.count();
  }
  EXPECT_EQ(frame.tick, title.tick());
  EXPECT_EQ(allocations, 0u) << "capture or apply allocated on the heap";
}

// A steady HUD frame allocates nothing: the dash, the gaps and the elevation strip of a seat and
// of a spectator over eight riders, and the ranking, in both languages, after a warm-up.
TEST(CyclingAllocations, HudFramesAllocateNothing) {
  const auto table = pav::core::StringTable::load(std::string(PAV_TEST_ASSET_DIR) + "/cycling/strings.json");
  CyclingTitle title;
  title.setup({.players = 8, .seed = 3, .skill = 2, .dataDir = PAV_TEST_ASSET_DIR});
  std::vector<pav::core::InputFrame> inputs(8);
  auto seat = makeCyclingPresenter(title, 5), spectator = makeCyclingPresenter(title, -1);
  pav::test::RecordingCanvas canvas;
  pav::core::StateFrame frame = pav::core::captureNew(title);
  int frames = 0;
  auto frameOnce = [&] {
    for (int p = 0; p < 8; ++p) title.botInput(p, inputs[size_t(p)]);
    title.step(inputs);
    title.capture(frame);
    ++frames;
    const auto stage = frames % 400 == 0 ? pav::render::HudStage::Results : pav::render::HudStage::Playing;
    const auto lang = frames % 300 < 150 ? pav::core::Lang::Zh : pav::core::Lang::En;
    canvas.clear();
    seat->hud(frame, {.lang = lang, .strings = &table, .stage = stage, .secondsLeft = 100}, canvas);
    spectator->hud(frame, {.lang = lang, .strings = &table, .stage = stage, .secondsLeft = 100}, canvas);
  };
  const uint64_t allocations = pav::test::steadyAllocations(frameOnce);
  EXPECT_FALSE(canvas.texts().empty());
  EXPECT_EQ(allocations, 0u) << "hud() allocated on the heap";
}

}  // namespace
}  // namespace pav::cycling
