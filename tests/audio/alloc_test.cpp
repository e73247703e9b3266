// After warm-up, a frame of the audio path allocates nothing: the presenter's hear(), the
// session's cues, the voices' assignment and the loopback mix, for the fullest sessions (four
// cars, eight riders) and the hockey match.
#include <gtest/gtest.h>

#include <vector>

#include "alloc_counter.h"
#include "pav/audio/audio.h"
#include "pav/core/title.h"
#include "pav/titles.h"

namespace pav::audio {
namespace {

TEST(AudioAllocations, AFrameOfEveryTitlesSoundAllocatesNothing) {
  titles::registerAll();
  for (std::string_view id : titles::builtIn()) {
    SCOPED_TRACE(std::string(id));
    std::unique_ptr<core::Title> title = core::createTitle(std::string(id));
    const int players = title->info().maxPlayers;
    title->setup({.players = players, .seed = 3, .skill = 1});
    std::unique_ptr<render::Presenter> presenter = titles::makePresenter(*title, 0);
    ASSERT_TRUE(presenter);
    // Two seconds of the bots' play, 60 frames a second, recorded first: the frames replay in a
    // loop, so the counted part is the audio path alone.
    std::vector<core::InputFrame> inputs(static_cast<size_t>(players));
    std::vector<core::StateFrame> frames;
    const int ticksPerFrame = std::max(1, int(title->info().tickRateHz / 60.0 + 0.5));
    for (int f = 0; f < 120; ++f) {
      for (int t = 0; t < ticksPerFrame; ++t) {
        for (int p = 0; p < players; ++p) title->botInput(p, inputs[size_t(p)]);
        title->step(inputs);
      }
      frames.push_back(core::captureNew(*title));
    }
    Audio audio({.output = Output::Loopback, .hrtf = Hrtf::On});
    TitleSound sound(audio, *presenter);
    std::vector<float> out(2 * 800);
    size_t i = 0;
    const uint64_t allocations = test::steadyAllocations(
        [&] {
          const core::StateFrame& f = frames[i++ % frames.size()];
          sound.frame(f, 1.0 / 60, render::HudStage::Playing, -1);
          audio.render(out);
        },
        60, 600);
    EXPECT_EQ(allocations, 0u);
    EXPECT_EQ(sound.unknownCues(), 0u);
  }
}

}  // namespace
}  // namespace pav::audio
