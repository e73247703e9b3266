// What the visitor hears, per 90 Hz frame (issue 16): a title's sounds for one frame (the
// presenter's hear(), the session's cues, the voices assigned, the listener moved) and the mix
// of that frame's samples (48000 / 90 = 533 frames of 48 kHz stereo) by OpenAL Soft, through its
// loopback device, so the mixer's own work is on this thread and in the figure. The fullest
// sessions: four cars (driving) and eight riders (cycling); and the hockey match. The frames are
// two seconds of the bots' play, replayed in a loop.
//
//   BM_AudioFrame/<title>   CPU a frame; the report gives it as a share of a 90 Hz frame (one
//                           core) and the latency from a cue to the output (one period)
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "pav/audio/audio.h"
#include "pav/core/title.h"
#include "pav/titles.h"

namespace pav::bench {
namespace {

constexpr double kFrameHz = 90.0;

void BM_AudioFrame(benchmark::State& state, const char* id) {
  titles::registerAll();
  std::unique_ptr<core::Title> title = core::createTitle(id);
  const int players = title->info().maxPlayers;  // 4 cars, 8 riders, 2 mallets
  title->setup({.players = players, .seed = 5, .skill = 1, .durationSeconds = 600});
  std::vector<core::InputFrame> inputs(static_cast<size_t>(players));
  std::vector<core::StateFrame> frames;
  const int ticksPerFrame = std::max(1, int(title->info().tickRateHz / kFrameHz + 0.5));
  for (int f = 0; f < int(2 * kFrameHz); ++f) {
    for (int t = 0; t < ticksPerFrame; ++t) {
      for (int p = 0; p < players; ++p) title->botInput(p, inputs[size_t(p)]);
      title->step(inputs);
    }
    frames.push_back(core::captureNew(*title));
  }
  std::unique_ptr<render::Presenter> presenter = titles::makePresenter(*title, 0);
  audio::Audio mixer({.output = audio::Output::Loopback, .hrtf = audio::Hrtf::On});
  if (!mixer.live()) {
    state.SkipWithError("OpenAL Soft's loopback device did not open");
    return;
  }
  audio::TitleSound sound(mixer, *presenter);
  std::vector<float> out(2 * size_t(mixer.sampleRate() / kFrameHz));
  size_t i = 0;
  const auto frame = [&] {
    sound.frame(frames[i], 1.0 / kFrameHz, render::HudStage::Playing, -1);
    i = (i + 1) % frames.size();
    mixer.render(out);
  };
  for (size_t k = 0; k < frames.size(); ++k) frame();  // every voice started, the HRTF warm
  for (auto _ : state) frame();
  state.counters["audio_frame_hz"] = kFrameHz;
  state.counters["period_frames"] = mixer.periodFrames();
  state.counters["sample_rate"] = mixer.sampleRate();
  state.counters["voices"] = mixer.stats().voices;
  state.counters["hrtf"] = mixer.hrtf() ? 1 : 0;
}

}  // namespace

BENCHMARK_CAPTURE(BM_AudioFrame, driving, "driving")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_AudioFrame, cycling, "cycling")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_AudioFrame, hockey, "hockey")->Unit(benchmark::kMicrosecond);

}  // namespace pav::bench
