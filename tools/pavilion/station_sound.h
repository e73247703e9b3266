// What the visitor hears at a program that shows a title (`play`, `replay`, `station`): the
// title's presenter's sounds and the session's through pav::audio, to a device (a station's
// headphones; --audio-device NAME, else the system's default) or, with --audio-wav FILE, through
// OpenAL Soft's loopback device into a 48 kHz stereo WAV (a session heard on any machine).
// No device: one log line and silence (pav::audio), never a stop.
//
//   StationSound sound(title, seat, options, headset, "pavilion play");
//   each frame shown: sound.frame(state, seconds, stage, secondsToStart);
//   at the end:       sound.finish();          // the WAV closed, its length and levels said
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "pav/audio/audio.h"
#include "pav/core/title.h"
#include "pav/render/presenter.h"

namespace pav::tools {

// --audio-wav (play, replay) and --audio-device (play, station), as `wav` and `device` say.
void addAudioOptions(CLI::App& command, AudioOptions& options, bool wav, bool device);

class StationSound {
 public:
  // For `seat` of `title` (set up); `headset`: HRTF on (a WAV has it on too: headphones).
  StationSound(const core::Title& title, int seat, const AudioOptions& options, bool headset, const char* who);
  ~StationSound();
  StationSound(const StationSound&) = delete;
  StationSound& operator=(const StationSound&) = delete;

  // One shown frame, `seconds` after the last: the listener at `head` (a headset's, in the
  // scene's world; null: the seat's eye, else the camera), the cues, and (into a WAV) the mix of
  // those seconds. Allocates nothing once running.
  void frame(const core::StateFrame& state, double seconds, render::HudStage stage, double secondsToStart,
             const render::Pose* head = nullptr);
  // Into a WAV: `seconds` more of the last frame (the results chord dying away); then closes it
  // and says where it is, how long, and each channel's level.
  void finish(double tailSeconds = 0.0);
  const audio::Audio& audio() const { return audio_; }
  void setVolume(float volume01) { audio_.setVolume(volume01); }

 private:
  void mix(double seconds);
  const char* who_;
  audio::Audio audio_;
  std::unique_ptr<render::Presenter> presenter_;
  std::optional<audio::TitleSound> sound_;
  std::optional<audio::WavWriter> wav_;
  std::string wavPath_;
  std::vector<float> buffer_;
  double owed_ = 0;  // frames of mix due but not yet a whole frame
  double sumLeft_ = 0, sumRight_ = 0, peak_ = 0;
  core::StateFrame last_;
  render::HudStage lastStage_ = render::HudStage::Playing;
};

}  // namespace pav::tools
