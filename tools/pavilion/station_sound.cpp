// The host's sound: a presenter for the seat, the mixer, and the WAV when one is asked for.
#include "station_sound.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "pav/core/error.h"
#include "pav/titles.h"

namespace pav::tools {
namespace {

constexpr double kMaxFrameSeconds = 1.0;  // a stall's frame is mixed as a second at most

audio::AudioDesc descFor(const AudioOptions& o, bool headset, const char* who) {
  audio::AudioDesc d;
  d.output = o.wav.empty() ? audio::Output::Device : audio::Output::Loopback;
  d.device = o.device;
  d.hrtf = headset || !o.wav.empty() ? audio::Hrtf::On : audio::Hrtf::Auto;
  d.who = who;
  return d;
}

double dbfs(double rms) { return rms > 0 ? 20.0 * std::log10(rms) : -999.0; }

}  // namespace

void addAudioOptions(CLI::App& command, AudioOptions& o, bool wav, bool device) {
  if (wav)
    command.add_option("--audio-wav", o.wav, "Write what the visitor hears into this WAV file (48 kHz stereo, no device)");
  if (device)
    command.add_option("--audio-device", o.device, "The audio output device, by its OpenAL name (default: the system's)");
}

StationSound::StationSound(const core::Title& title, int seat, const AudioOptions& o, bool headset, const char* who)
    : who_(who), audio_(descFor(o, headset, who)) {
  titles::registerAll();
  presenter_ = titles::makePresenter(title, seat);
  PAV_CHECK(presenter_, "%s: the title '%.*s' has no presenter to hear it through", who,
            int(title.info().id.size()), title.info().id.data());
  sound_.emplace(audio_, *presenter_);
  if (!o.wav.empty()) {
    wav_.emplace(o.wav, audio_.sampleRate());
    wavPath_ = o.wav;
  }
  buffer_.resize(2 * size_t(kMaxFrameSeconds * audio_.sampleRate() + 1));
  last_ = core::captureNew(title);
  if (audio_.live()) std::fprintf(stderr, "%s: audio: %s%s%s\n", who_, audio_.describe().c_str(),
                                  wav_ ? ", into " : "", wav_ ? wavPath_.c_str() : "");
}

StationSound::~StationSound() = default;

void StationSound::frame(const core::StateFrame& state, double seconds, render::HudStage stage, double secondsToStart,
                         const render::Pose* head) {
  sound_->frame(state, seconds, stage, secondsToStart, head);
  last_ = state;
  lastStage_ = stage;
  mix(seconds);
}

void StationSound::mix(double seconds) {
  if (!wav_) return;
  owed_ += std::clamp(seconds, 0.0, kMaxFrameSeconds) * audio_.sampleRate();
  const size_t frames = std::min(size_t(owed_), buffer_.size() / 2);
  if (frames == 0) return;
  owed_ -= double(frames);
  const std::span<float> out(buffer_.data(), 2 * frames);
  audio_.render(out);
  for (size_t i = 0; i < frames; ++i) {
    sumLeft_ += double(out[2 * i]) * out[2 * i], sumRight_ += double(out[2 * i + 1]) * out[2 * i + 1];
    peak_ = std::max({peak_, double(std::abs(out[2 * i])), double(std::abs(out[2 * i + 1]))});
  }
  wav_->write(out);
}

void StationSound::finish(double tailSeconds) {
  if (!wav_) return;
  // The end heard (a local game without a results screen: straight to its results).
  if (lastStage_ != render::HudStage::Results) frame(last_, 0.0, render::HudStage::Results, -1);
  // The last frame held while the tail plays (its loops go on; no new one-shots).
  const double step = 0.02;
  for (double t = 0; t < tailSeconds; t += step) {
    sound_->frame(last_, step, lastStage_, -1);
    mix(step);
  }
  const uint64_t frames = wav_->frames();
  wav_->close();
  const double n = std::max<double>(1, double(frames));
  std::fprintf(stderr, "%s: audio: %.1f s of 48 kHz stereo in %s; RMS left %.1f dBFS, right %.1f dBFS, peak %.1f dBFS\n",
               who_, double(frames) / audio_.sampleRate(), wavPath_.c_str(), dbfs(std::sqrt(sumLeft_ / n)),
               dbfs(std::sqrt(sumRight_ / n)), dbfs(peak_));
  if (audio_.stats().unknown > 0 || sound_->unknownCues() > 0)
    std::fprintf(stderr, "%s: audio: %llu cue(s) for sounds the title does not declare\n", who_,
                 static_cast<unsigned long long>(sound_->unknownCues() + audio_.stats().unknown));
  wav_.reset();
}

}  // namespace pav::tools
