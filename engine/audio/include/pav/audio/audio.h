// pav::audio: what the visitor hears. OpenAL Soft (Debian's 1.19) mixes the sounds a title's
// presenter cues (pav/render/sound.h) and the host's session sounds around the visitor's head:
// HRTF in a headset, stereo panning where no HRTF data set loads, a distance model and Doppler.
// The output is a device (a station's headphones, --audio-device NAME) or OpenAL Soft's loopback
// device (ALC_SOFT_loopback): 48 kHz stereo float rendered on request, for a WAV file and the
// tests, no sound card needed.
//
//   audio::Audio audio({.output = Output::Loopback, .hrtf = Hrtf::On});
//   const int title = audio.addSounds(presenter.sounds());      // synthesized once (audio_synth.cpp)
//   const int host  = audio.addSounds(audio::sessionSounds());
//   every frame:
//     audio.listen(head, seconds);                              // the listener follows the head
//     audio.begin(); audio.submit(title, cues.all()); audio.submit(host, ...); audio.end();
//     audio.render(samples);                                    // loopback: the frame's mix
//
// Voices: at most AudioDesc::maxVoices sources play; each frame the cues are ranked by their
// sound's priority and how loud they arrive, loops keep their voice from frame to frame (keyed
// by bank, sound and key), a one-shot plays out unless something that ranks higher needs its
// voice. Per frame nothing is allocated (fixed arrays; the tests count operator new).
//
// No device (none there, a name that does not open): one log line and silence. Every call
// still works and does nothing; live() says which. Failures at start-up that a person must fix
// (a bad sound recipe) throw pav::Error naming the sound.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>

#include "pav/render/camera.h"
#include "pav/render/presenter.h"
#include "pav/render/sound.h"

namespace pav::audio {

enum class Output : uint8_t { Device, Loopback };
// HRTF: On asks for it (a headset: the default there), Off never, Auto leaves it to OpenAL Soft
// (on for headphones it recognizes). Asked for and not available: one log line, stereo panning.
enum class Hrtf : uint8_t { Auto, On, Off };

inline constexpr int kSampleRate = 48000;
inline constexpr int kPeriodFrames = 512;  // 10.7 ms at 48 kHz: the most a cue waits to be heard
inline constexpr int kVoiceCap = 64;

struct AudioDesc {
  Output output = Output::Device;
  std::string device;  // Device: an OpenAL device name (empty: the system's default)
  Hrtf hrtf = Hrtf::Auto;
  int sampleRate = kSampleRate;
  int periodFrames = kPeriodFrames;
  int maxVoices = 32;  // at most kVoiceCap
  float volume = 1.0f;  // 0..1
  const char* who = "audio";  // starts the log lines ("pavilion play")
};

struct AudioStats {
  int voices = 0;         // sources playing after the last end()
  uint64_t culled = 0;    // cues that found no voice (all taken by higher-ranked ones)
  uint64_t stolen = 0;    // voices taken from a lower-ranked sound
  uint64_t unknown = 0;   // cues for a sound its bank does not have
  uint64_t started = 0;   // one-shots started
};

class Audio {
 public:
  explicit Audio(const AudioDesc& desc);
  ~Audio();
  Audio(const Audio&) = delete;
  Audio& operator=(const Audio&) = delete;

  // A device opened (or the loopback one); false: silent, every call does nothing.
  bool live() const;
  // HRTF is mixing (the data set loaded); false: stereo panning (or no device).
  bool hrtf() const;
  // What opened, for the start line: "OpenAL Soft, <device>, 48000 Hz, HRTF <name>, period 512".
  const std::string& describe() const;
  int sampleRate() const;
  // The mixer's period in frames (the device's update size; loopback: AudioDesc::periodFrames).
  int periodFrames() const;

  // Synthesizes a set of sounds (a bank) and returns its index for submit(). Not per frame.
  // Throws pav::Error naming a sound whose recipe cannot be made (no length, a zero rate).
  int addSounds(std::span<const render::SoundSpec> sounds);
  int sounds(int bank) const;

  // The listener at `head` (the scene's world, -Z forward, +Y up); its velocity from the last
  // head over `seconds` (the frame's time; 0: at rest), so Doppler hears the visitor move.
  void listen(const render::Pose& head, double seconds);
  // One frame's cues: begin, the cues of each bank, end (voices assigned, sources set).
  void begin();
  void submit(int bank, std::span<const render::SoundCue> cues);
  void end();

  void setVolume(float volume01);
  float volume() const;

  // Loopback only: mixes the next frames into `stereo` (interleaved left, right; its size / 2
  // frames). A device mixes on its own; render does nothing there and returns false.
  bool render(std::span<float> stereo);

  AudioStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- The host's own sounds: the session's timeline -------------------------------------------

// The session's sounds (countdown beep, start, time-up warning, results), head-locked.
std::span<const render::SoundSpec> sessionSounds();
enum class SessionSound : uint16_t { Countdown, Start, Warning, Results, Count };

// Which session sounds a frame starts, from where the session is (the HUD's stage and the
// seconds to the start): a beep at each of the last three whole seconds before the start, the
// start as the play begins, the warning as the time-up notice shows, the results at the end.
class SessionCues {
 public:
  void hear(render::HudStage stage, double secondsToStart, render::SoundCues& cues);

 private:
  render::HudStage last_ = render::HudStage::Lobby;
  int lastWhole_ = -1;
  bool first_ = true;
};

// ---- A title heard: what the host runs each frame -------------------------------------------------

// What one visitor hears of a title: its presenter's sounds (Presenter::sounds, hear) and the
// session's (SessionCues), through an Audio, with the listener at the visitor's head. Made once
// per presenter; frame() per shown frame, allocating nothing after the first.
class TitleSound {
 public:
  TitleSound(Audio& audio, render::Presenter& presenter);
  // One frame showing `state`, `seconds` after the last. `head`: the visitor's head in the
  // scene's world; null: the presenter's seat (its eye), else the camera present() chooses.
  void frame(const core::StateFrame& state, double seconds, render::HudStage stage, double secondsToStart,
             const render::Pose* head = nullptr);
  // Cues this title gave for sounds it did not declare (a title's bug; its tests fail on one).
  uint64_t unknownCues() const { return cues_.unknown(); }
  // The title's cues of the last frame (for the tests).
  const render::SoundCues& cues() const { return cues_; }
  const render::Pose& head() const { return head_; }

 private:
  Audio& audio_;
  render::Presenter& presenter_;
  int titleBank_ = -1, sessionBank_ = -1;
  render::SoundCues cues_, sessionCues_;
  SessionCues session_;
  core::StateFrame before_;
  bool haveBefore_ = false, saidUnknown_ = false;
  render::Scene scratch_;
  render::View camera_;
  render::Pose head_;
};

// ---- Listening without a device: a WAV file -----------------------------------------------------

// A 16-bit PCM stereo WAV written as it goes (the header's sizes set when it closes). RAII: the
// destructor closes it. Throws pav::Error naming the file when it cannot be written.
class WavWriter {
 public:
  WavWriter(const std::string& path, int sampleRate);
  ~WavWriter();
  WavWriter(const WavWriter&) = delete;
  WavWriter& operator=(const WavWriter&) = delete;
  // Appends interleaved stereo float frames (clipped to -1..1; little-endian samples, as x86
  // and ARM write them). Allocates nothing.
  void write(std::span<const float> stereo);
  void close();
  uint64_t frames() const { return frames_; }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  uint64_t frames_ = 0;
  int rate_ = kSampleRate;
  std::array<int16_t, 4096> chunk_{};
};

}  // namespace pav::audio
