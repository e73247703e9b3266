// The host's own sounds (the session's timeline: 3-2-1 beeps, the start, the time-up warning,
// the results) and the WAV writer that lets a session be heard without a device.
#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <utility>

#include "pav/audio/audio.h"
#include "pav/core/error.h"

namespace pav::audio {
namespace {

using render::SoundSpec;
using render::Synth;

// Head-locked, a metre in front: the same in both ears, never culled (priority 255).
constexpr SoundSpec kSession[] = {
    {.name = "session.countdown", .synth = Synth::Harmonics, .seconds = 0.16f, .baseHz = 880.0f,
     .harmonics = {1.0f, 0.0f, 0.15f}, .decaySeconds = 0.03f, .gain = 0.5f, .priority = 255, .headLocked = true},
    {.name = "session.start", .synth = Synth::Harmonics, .seconds = 0.6f, .baseHz = 1760.0f,
     .harmonics = {1.0f, 0.0f, 0.1f}, .decaySeconds = 0.2f, .gain = 0.45f, .priority = 255, .headLocked = true},
    {.name = "session.warning", .synth = Synth::Harmonics, .seconds = 0.9f, .baseHz = 440.0f,
     .harmonics = {1.0f, 0.5f, 0.3f, 0.2f}, .decaySeconds = 0.15f, .attackSeconds = 0.02f, .gain = 0.5f,
     .priority = 255, .headLocked = true},
    // A major chord on A (220 Hz: 4, 5 and 6 times 55 Hz), held and faded.
    {.name = "session.results", .synth = Synth::Harmonics, .seconds = 2.0f, .baseHz = 55.0f,
     .harmonics = {0.0f, 0.0f, 0.0f, 1.0f, 0.8f, 0.7f, 0.0f, 0.3f}, .decaySeconds = 1.2f, .attackSeconds = 0.03f,
     .gain = 0.5f, .priority = 255, .headLocked = true},
};
static_assert(std::size(kSession) == size_t(SessionSound::Count), "a recipe for every session sound");

const glm::vec3 kAhead{0.0f, 0.0f, -1.0f};

}  // namespace

std::span<const SoundSpec> sessionSounds() { return kSession; }

void SessionCues::hear(render::HudStage stage, double secondsToStart, render::SoundCues& cues) {
  using render::HudStage;
  const auto cue = [&](SessionSound s) { cues.play(uint16_t(s), kAhead, glm::vec3(0.0f), 1.0f); };
  // The countdown beeps from the first frame on; the rest only on a change this side saw (a
  // station joining late starts no start or warning sound).
  if (stage == HudStage::Start) {
    const int whole = int(std::ceil(std::max(0.0, secondsToStart)));
    if (whole != lastWhole_ && whole >= 1 && whole <= 3) cue(SessionSound::Countdown);
  }
  if (!first_) {
    if (last_ != stage) {
      if ((stage == HudStage::Playing || stage == HudStage::Warning) &&
          (last_ == HudStage::Start || last_ == HudStage::Lobby))
        cue(SessionSound::Start);
      if (stage == HudStage::Warning && last_ == HudStage::Playing) cue(SessionSound::Warning);
      if (stage == HudStage::Results) cue(SessionSound::Results);
    }
  }
  first_ = false;
  last_ = stage;
  lastWhole_ = stage == HudStage::Start ? int(std::ceil(std::max(0.0, secondsToStart))) : -1;
}

// ---- WavWriter -----------------------------------------------------------------------------------

namespace {

void put16(unsigned char* p, uint16_t v) { p[0] = uint8_t(v), p[1] = uint8_t(v >> 8); }
void put32(unsigned char* p, uint32_t v) { put16(p, uint16_t(v)), put16(p + 2, uint16_t(v >> 16)); }

// The 44-byte header of a 16-bit PCM stereo file holding `frames`.
void header(unsigned char (&h)[44], int rate, uint64_t frames) {
  const uint32_t data = uint32_t(std::min<uint64_t>(frames * 4, 0xFFFFFFFFu - 36));
  std::memcpy(h, "RIFF", 4), put32(h + 4, 36 + data), std::memcpy(h + 8, "WAVEfmt ", 8);
  put32(h + 16, 16), put16(h + 20, 1), put16(h + 22, 2), put32(h + 24, uint32_t(rate));
  put32(h + 28, uint32_t(rate) * 4), put16(h + 32, 4), put16(h + 34, 16);
  std::memcpy(h + 36, "data", 4), put32(h + 40, data);
}

}  // namespace

WavWriter::WavWriter(const std::string& path, int sampleRate) : path_(path) {
  file_ = std::fopen(path.c_str(), "wb");
  PAV_CHECK(file_, "audio: cannot write the WAV file '%s': %s", path.c_str(), std::strerror(errno));
  unsigned char h[44];
  header(h, sampleRate, 0);
  std::fwrite(h, 1, sizeof h, file_);
  rate_ = sampleRate;  // the header is written again, with the sizes, at close()
}

WavWriter::~WavWriter() {
  try {
    close();
  } catch (const Error&) {
    // Already said by close() where it could throw; a destructor must not.
  }
}

void WavWriter::write(std::span<const float> stereo) {
  if (!file_) return;
  for (size_t done = 0; done < stereo.size();) {
    const size_t n = std::min(stereo.size() - done, chunk_.size()) & ~size_t(1);
    if (n == 0) break;
    for (size_t i = 0; i < n; ++i) {
      const float x = std::clamp(stereo[done + i], -1.0f, 1.0f);
      chunk_[i] = int16_t(std::lround(x * 32767.0f));
    }
    if (std::fwrite(chunk_.data(), sizeof(int16_t), n, file_) != n)
      fail("audio: writing the WAV file '%s' failed: %s", path_.c_str(), std::strerror(errno));
    frames_ += n / 2;
    done += n;
  }
}

void WavWriter::close() {
  if (!file_) return;
  std::FILE* f = std::exchange(file_, nullptr);
  unsigned char h[44];
  header(h, rate_, frames_);
  const bool ok = std::fseek(f, 0, SEEK_SET) == 0 && std::fwrite(h, 1, sizeof h, f) == sizeof h;
  const bool closed = std::fclose(f) == 0;
  PAV_CHECK(ok && closed, "audio: finishing the WAV file '%s' failed", path_.c_str());
}

}  // namespace pav::audio
