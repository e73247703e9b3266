// What a title sounds like, without the title seeing OpenAL or a device: the sounds it declares
// once (SoundSpec: a recipe the audio room synthesizes at start-up, no files) and what sounds
// each frame (SoundCues), both in the scene's world. The host hands them to pav::audio (the
// engine/audio room), which places them around the visitor's head.
//
//   Presenter::sounds()                 the title's sounds, once: a span of SoundSpec; a cue
//                                       names one by its index in that span
//   Presenter::hear(before, now, cues)  per frame: what sounds in the change between two frames
//     cues.loop(sound, key, at, vel, gain, pitch)  a continuous source (an engine note, wind),
//                                       asked for every frame it should go on; `key` tells
//                                       several of the same sound apart (car 2's engine)
//     cues.play(sound, at, vel, gain, pitch)       a one-shot (a hit, a horn), its gain scaled by
//                                       the impulse behind it
//
// Asking allocates nothing: SoundCues holds a fixed handful. A cue for a sound that is not in
// the span is counted (unknown()), never silently played as something else; the tests of every
// title fail on one.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include <glm/vec3.hpp>

namespace pav::render {

// How a sound is made (pav::audio's synth, audio_synth.cpp). Every loop is made seamless.
enum class Synth : uint8_t {
  Harmonics,  // a periodic tone: `harmonics` over baseHz (an engine note, a hum, a horn, a beep)
  Noise,      // band-limited noise between lowHz and highHz (wind, a slide, a squeal, a crowd)
  Ticks,      // short clicks baseHz times a second, each a decaying noise burst (a freewheel, a kerb)
  Hit,        // a struck thing: a noise burst (lowHz..highHz) and a tone at baseHz, both decaying
};

struct SoundSpec {
  std::string_view name;  // for logs and tests
  Synth synth = Synth::Harmonics;
  bool loop = false;
  float seconds = 1.0f;   // a one-shot's length; a loop's buffer (made a whole number of periods)
  float baseHz = 100.0f;  // Harmonics' fundamental, Ticks' rate, Hit's ring; pitch 1 plays it here
  float lowHz = 200.0f, highHz = 4000.0f;  // the noise band (Noise, Hit, Ticks)
  std::array<float, 8> harmonics{1.0f};    // amplitude of each multiple of baseHz (Harmonics)
  float decaySeconds = 0.1f;  // Hit's ring and burst, each Tick's click; a one-shot's fade-out
  float attackSeconds = 0.005f;  // a one-shot's fade-in (a beep, a horn)
  float gain = 1.0f;          // the sound's loudness at its reference distance
  float referenceDistance = 1.0f;  // full loudness within this many metres, falling off beyond
  uint8_t priority = 128;     // who keeps a voice when there are too few: higher wins
  bool headLocked = false;    // in the listener's own frame (the session's beeps), not the world's
};

// One cue of one frame. `position` and `velocity` are in the scene's world (headLocked sounds:
// in the listener's frame, metres from the head); `pitch` 1 plays the spec's baseHz.
struct SoundCue {
  uint16_t sound = 0;
  uint16_t key = 0;
  bool loop = false;
  float gain = 1.0f;
  float pitch = 1.0f;
  glm::vec3 position{0.0f};
  glm::vec3 velocity{0.0f};
};

// The cues of one frame: a fixed handful, so asking allocates nothing. Cues past kMax are
// dropped and counted (dropped()); the voice limit sorts out which of the rest are heard.
class SoundCues {
 public:
  static constexpr size_t kMax = 96;
  // The sounds the cues name (the presenter's sounds().size(), the host's own): a cue for a
  // sound past it is counted as unknown and not kept.
  explicit SoundCues(size_t declared = 0) : declared_(declared) {}
  void declare(size_t declared) { declared_ = declared; }

  void loop(uint16_t sound, uint16_t key, const glm::vec3& at, const glm::vec3& velocity, float gain, float pitch = 1.0f) {
    add({sound, key, true, gain, pitch, at, velocity});
  }
  void play(uint16_t sound, const glm::vec3& at, const glm::vec3& velocity, float gain, float pitch = 1.0f) {
    add({sound, 0, false, gain, pitch, at, velocity});
  }
  std::span<const SoundCue> all() const { return {cues_.data(), count_}; }
  void clear() { count_ = 0; }
  uint64_t unknown() const { return unknown_; }
  uint64_t dropped() const { return dropped_; }
  // The first unknown sound asked for (for the message naming it); only meaningful if unknown().
  uint16_t firstUnknown() const { return firstUnknown_; }

 private:
  void add(const SoundCue& c) {
    if (c.sound >= declared_) {
      if (unknown_++ == 0) firstUnknown_ = c.sound;
      return;
    }
    if (!(c.gain > 0.0f)) return;  // silent or not a number: nothing to play
    if (count_ == kMax) {
      ++dropped_;
      return;
    }
    cues_[count_++] = c;
  }
  std::array<SoundCue, kMax> cues_{};
  size_t count_ = 0;
  size_t declared_ = 0;
  uint64_t unknown_ = 0, dropped_ = 0;
  uint16_t firstUnknown_ = 0;
};

}  // namespace pav::render
