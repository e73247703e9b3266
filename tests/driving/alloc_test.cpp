// No heap allocation per tick once racing: after a warm-up, four bots racing (their inputs and
// the step), the server's capture and a station's apply make no C++ heap allocation at all.
//
// Allocations are counted by tests/support (a replaced global operator new), so
// it is built only without the sanitizers (they bring their own allocator).
#include <gtest/gtest.h>

#include "alloc_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "pav/core/state.h"
#include "pav/driving/driving.h"

namespace pav::driving {
namespace {

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


}  // namespace
}  // namespace pav::driving
