// The audio room's mixer: OpenAL Soft's device and context, the banks of synthesized buffers,
// the listener and the voices.
//
// Index: [Opening] [Banks] [Listener] [Voices] [Loopback]
#include "pav/audio/audio.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <glm/gtc/quaternion.hpp>

#include "al.h"
#include "pav/core/error.h"
#include "pav/core/log.h"

namespace pav::audio {

using render::SoundCue;
using render::SoundSpec;

namespace {

constexpr float kSpeedOfSound = 343.3f;
constexpr float kMaxListenerSpeed = 120.0f;  // faster: a teleport (a seat put back), not motion
constexpr int kMaxBanks = 4;
constexpr size_t kMaxRequests = 2 * render::SoundCues::kMax;

struct Bank {
  std::vector<SoundSpec> specs;
  detail::BufferOwner buffers;
};

// A voice: one OpenAL source and what it plays.
struct Voice {
  bool busy = false;
  bool loop = false;
  bool claimed = false;  // a loop asked for this frame
  int bank = -1;
  uint16_t sound = 0, key = 0;
  float rank = 0;
};

struct Request {
  int bank;
  const SoundCue* cue;
  float rank;
};

const char* hrtfStatusName(ALCint status) {
  switch (status) {
    case ALC_HRTF_DISABLED_SOFT: return "disabled";
    case ALC_HRTF_ENABLED_SOFT: return "enabled";
    case ALC_HRTF_DENIED_SOFT: return "denied by the configuration";
    case ALC_HRTF_REQUIRED_SOFT: return "required";
    case ALC_HRTF_HEADPHONES_DETECTED_SOFT: return "headphones detected";
    case ALC_HRTF_UNSUPPORTED_FORMAT_SOFT: return "unsupported output format";
    default: return "unknown";
  }
}

// While a device is looked for, the C libraries under OpenAL Soft (alsa-lib's "cannot find card",
// OpenAL's own "AL lib: (EE)") write to stderr directly: a machine without a sound card would
// get a screenful instead of the one line the host writes. Their stderr goes to /dev/null for
// the open only (a start-up moment; PAV_LOG=debug keeps it).
class QuietStderr {
 public:
  QuietStderr() {
    if (log::enabled(log::Level::Debug)) return;
    std::fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved_ >= 0 && null >= 0) dup2(null, STDERR_FILENO);
    if (null >= 0) ::close(null);
  }
  ~QuietStderr() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_ = -1;
};

}  // namespace

struct Audio::Impl {
  AudioDesc desc;
  detail::DeviceOwner device;
  detail::ContextOwner context;
  std::vector<Bank> banks;  // reserved for kMaxBanks: never moves
  detail::SourceOwner sources;
  std::array<Voice, kVoiceCap> voices{};
  std::array<Request, kMaxRequests> requests{};
  size_t requestCount = 0;
  bool hrtf = false, loopback = false;
  int period = kPeriodFrames;
  std::string description;
  AudioStats stats;
  render::Pose lastHead;
  bool haveHead = false;

  // Members go in reverse (sources, buffers, context, device) with this context current.
  ~Impl() { makeCurrent(); }
  bool live() const { return bool(context); }
  // Another Audio (a test's second mixer) may have made its own context current.
  void makeCurrent() const {
    if (context && alcGetCurrentContext() != context.get()) alcMakeContextCurrent(context.get());
  }

  // ---- [Opening] ---------------------------------------------------------------------------
  void open() {
    const bool wantHrtf = desc.hrtf == Hrtf::On;
    std::vector<ALCint> attrs;
    if (desc.output == Output::Loopback) {
      loopback = true;
      device = detail::DeviceOwner(alcLoopbackOpenDeviceSOFT(nullptr));
      if (!device) {
        PAV_WARN("%s: no sound: OpenAL Soft's loopback device did not open; silence", desc.who);
        return;
      }
      if (!alcIsRenderFormatSupportedSOFT(device.get(), desc.sampleRate, ALC_STEREO_SOFT, ALC_FLOAT_SOFT)) {
        PAV_WARN("%s: no sound: the loopback device cannot render %d Hz stereo float; silence", desc.who,
                 desc.sampleRate);
        device = {};
        return;
      }
      attrs = {ALC_FORMAT_CHANNELS_SOFT, ALC_STEREO_SOFT, ALC_FORMAT_TYPE_SOFT, ALC_FLOAT_SOFT, ALC_FREQUENCY,
               desc.sampleRate};
      period = desc.periodFrames;
    } else {
      {
        QuietStderr quiet;
        device = detail::DeviceOwner(alcOpenDevice(desc.device.empty() ? nullptr : desc.device.c_str()));
      }
      if (!device) {
        PAV_WARN("%s: no sound: %s%s%s did not open; silence", desc.who,
                 desc.device.empty() ? "the default audio device" : "the audio device '",
                 desc.device.empty() ? "" : desc.device.c_str(), desc.device.empty() ? "" : "'");
        return;
      }
      attrs = {ALC_FREQUENCY, desc.sampleRate, ALC_REFRESH,
               std::max(1, (desc.sampleRate + desc.periodFrames - 1) / desc.periodFrames)};
    }
    if (desc.hrtf != Hrtf::Auto) attrs.insert(attrs.end(), {ALC_HRTF_SOFT, wantHrtf ? ALC_TRUE : ALC_FALSE});
    attrs.insert(attrs.end(), {ALC_MONO_SOURCES, kVoiceCap + 8, 0});
    context = detail::ContextOwner(alcCreateContext(device.get(), attrs.data()));
    if (!context) {
      PAV_WARN("%s: no sound: OpenAL Soft made no context on %s (error 0x%x); silence", desc.who,
               deviceName(), alcGetError(device.get()));
      device = {};
      return;
    }
    ALCint status = 0, refresh = 0, rate = 0;
    alcGetIntegerv(device.get(), ALC_HRTF_STATUS_SOFT, 1, &status);
    alcGetIntegerv(device.get(), ALC_REFRESH, 1, &refresh);
    alcGetIntegerv(device.get(), ALC_FREQUENCY, 1, &rate);
    hrtf = status == ALC_HRTF_ENABLED_SOFT || status == ALC_HRTF_REQUIRED_SOFT;
    if (!loopback && refresh > 0 && rate > 0) period = rate / refresh;
    const ALCchar* hrtfName = hrtf ? alcGetString(device.get(), ALC_HRTF_SPECIFIER_SOFT) : nullptr;
    if (wantHrtf && !hrtf)
      PAV_WARN("%s: no HRTF (%s): stereo panning", desc.who, hrtfStatusName(status));
    char line[256];
    std::snprintf(line, sizeof line, "OpenAL Soft %s, %s, %d Hz, %s%s, period %d frames", alGetString(AL_VERSION),
                  deviceName(), rate > 0 ? rate : desc.sampleRate, hrtf ? "HRTF " : "stereo panning",
                  hrtfName ? hrtfName : "", period);
    description = line;

    alDistanceModel(AL_INVERSE_DISTANCE_CLAMPED);
    alDopplerFactor(1.0f);
    alSpeedOfSound(kSpeedOfSound);
    alListenerf(AL_GAIN, std::clamp(desc.volume, 0.0f, 1.0f));
    sources = detail::SourceOwner(size_t(std::clamp(desc.maxVoices, 1, kVoiceCap)));
    PAV_CHECK(alGetError() == AL_NO_ERROR, "audio: OpenAL Soft refused the mixer's set-up");
  }

  const char* deviceName() const {
    if (loopback) return "loopback";
    const ALCchar* name = device ? alcGetString(device.get(), ALC_ALL_DEVICES_SPECIFIER) : nullptr;
    return name ? name : "default";
  }

  // ---- [Voices] ----------------------------------------------------------------------------
  // How a cue ranks for a voice: its sound's priority, then how loud it arrives.
  float rankOf(const SoundSpec& spec, const SoundCue& c) const {
    float distance = 0;
    if (!spec.headLocked && haveHead) distance = glm::length(c.position - lastHead.position);
    const float att = spec.referenceDistance / std::max(distance, spec.referenceDistance);
    return float(spec.priority) + 100.0f * std::clamp(c.gain * spec.gain * att, 0.0f, 1.0f);
  }

  void set(ALuint s, const SoundSpec& spec, const SoundCue& c) {
    alSourcef(s, AL_GAIN, std::clamp(spec.gain * c.gain, 0.0f, 4.0f));
    alSourcef(s, AL_PITCH, std::clamp(std::isfinite(c.pitch) ? c.pitch : 1.0f, 0.05f, 16.0f));
    alSource3f(s, AL_POSITION, c.position.x, c.position.y, c.position.z);
    alSource3f(s, AL_VELOCITY, c.velocity.x, c.velocity.y, c.velocity.z);
  }

  void start(size_t v, int bank, const SoundCue& c, float rank) {
    const SoundSpec& spec = banks[size_t(bank)].specs[c.sound];
    const ALuint s = sources[v];
    alSourceStop(s);
    alSourcei(s, AL_BUFFER, ALint(banks[size_t(bank)].buffers[c.sound]));
    alSourcei(s, AL_LOOPING, c.loop ? AL_TRUE : AL_FALSE);
    alSourcei(s, AL_SOURCE_RELATIVE, spec.headLocked ? AL_TRUE : AL_FALSE);
    alSourcef(s, AL_REFERENCE_DISTANCE, spec.referenceDistance);
    alSourcef(s, AL_ROLLOFF_FACTOR, 1.0f);
    set(s, spec, c);
    alSourcePlay(s);
    voices[v] = {true, c.loop, true, bank, c.sound, c.key, rank};
    if (!c.loop) ++stats.started;
  }

  void end() {
    if (!live()) return;
    makeCurrent();
    // Voices whose one-shot has played out are free again.
    for (size_t v = 0; v < sources.size(); ++v) {
      Voice& voice = voices[v];
      voice.claimed = false;
      if (voice.busy && !voice.loop) {
        ALint state = AL_STOPPED;
        alGetSourcei(sources[v], AL_SOURCE_STATE, &state);
        if (state != AL_PLAYING) voice.busy = false;
      }
    }
    // Highest rank first (insertion sort: a few dozen cues, no allocation).
    for (size_t i = 1; i < requestCount; ++i)
      for (size_t j = i; j > 0 && requests[j].rank > requests[j - 1].rank; --j) std::swap(requests[j], requests[j - 1]);
    // Loops that already have a voice keep it.
    for (size_t i = 0; i < requestCount; ++i) {
      Request& r = requests[i];
      if (!r.cue->loop) continue;
      for (size_t v = 0; v < sources.size(); ++v) {
        Voice& voice = voices[v];
        if (voice.busy && voice.loop && !voice.claimed && voice.bank == r.bank && voice.sound == r.cue->sound &&
            voice.key == r.cue->key) {
          voice.claimed = true;
          voice.rank = r.rank;
          set(sources[v], banks[size_t(r.bank)].specs[r.cue->sound], *r.cue);
          r.cue = nullptr;  // placed
          break;
        }
      }
    }
    // Loops not asked for this frame stop.
    for (size_t v = 0; v < sources.size(); ++v)
      if (voices[v].busy && voices[v].loop && !voices[v].claimed) {
        alSourceStop(sources[v]);
        voices[v].busy = false;
      }
    // The rest, best first: a free voice, else the lowest-ranked one if it ranks lower.
    for (size_t i = 0; i < requestCount; ++i) {
      const Request& r = requests[i];
      if (!r.cue) continue;
      size_t pick = sources.size(), lowest = sources.size();
      for (size_t v = 0; v < sources.size() && pick == sources.size(); ++v) {
        if (!voices[v].busy) pick = v;
        else if (!voices[v].claimed && (lowest == sources.size() || voices[v].rank < voices[lowest].rank)) lowest = v;
      }
      if (pick == sources.size() && lowest != sources.size() && voices[lowest].rank < r.rank) {
        pick = lowest;
        ++stats.stolen;
      }
      if (pick == sources.size()) {
        ++stats.culled;
        continue;
      }
      start(pick, r.bank, *r.cue, r.rank);
    }
    stats.voices = 0;
    for (size_t v = 0; v < sources.size(); ++v) stats.voices += voices[v].busy ? 1 : 0;
    requestCount = 0;
  }
};

Audio::Audio(const AudioDesc& desc) : impl_(std::make_unique<Impl>()) {
  impl_->desc = desc;
  impl_->banks.reserve(kMaxBanks);
  impl_->open();
}

Audio::~Audio() = default;

bool Audio::live() const { return impl_->live(); }
bool Audio::hrtf() const { return impl_->hrtf; }
const std::string& Audio::describe() const {
  static const std::string none = "no audio device";
  return impl_->live() ? impl_->description : none;
}
int Audio::sampleRate() const { return impl_->desc.sampleRate; }
int Audio::periodFrames() const { return impl_->period; }

// ---- [Banks] -----------------------------------------------------------------------------------

int Audio::addSounds(std::span<const SoundSpec> sounds) {
  Impl& m = *impl_;
  m.makeCurrent();
  PAV_CHECK(m.banks.size() < size_t(kMaxBanks), "audio: at most %d sets of sounds", kMaxBanks);
  // Every recipe is made (and checked) with or without a device: a bad one stops start-up
  // on every machine alike.
  std::vector<std::vector<float>> samples;
  samples.reserve(sounds.size());
  for (const SoundSpec& s : sounds) samples.push_back(detail::synthesize(s, m.desc.sampleRate));
  Bank bank{{sounds.begin(), sounds.end()}, m.live() ? detail::BufferOwner(sounds.size()) : detail::BufferOwner()};
  if (m.live()) {
    for (size_t i = 0; i < sounds.size(); ++i)
      alBufferData(bank.buffers[i], AL_FORMAT_MONO_FLOAT32, samples[i].data(),
                   ALsizei(samples[i].size() * sizeof(float)), m.desc.sampleRate);
    PAV_CHECK(alGetError() == AL_NO_ERROR, "audio: OpenAL Soft refused the sounds' buffers");
  }
  m.banks.push_back(std::move(bank));
  return int(m.banks.size()) - 1;
}

int Audio::sounds(int bank) const {
  return bank >= 0 && size_t(bank) < impl_->banks.size() ? int(impl_->banks[size_t(bank)].specs.size()) : 0;
}

// ---- [Listener] --------------------------------------------------------------------------------

void Audio::listen(const render::Pose& head, double seconds) {
  Impl& m = *impl_;
  glm::vec3 velocity(0.0f);
  if (m.haveHead && seconds > 0) {
    velocity = (head.position - m.lastHead.position) / float(seconds);
    if (!(glm::length(velocity) < kMaxListenerSpeed)) velocity = glm::vec3(0.0f);
  }
  m.lastHead = head;
  m.haveHead = true;
  if (!m.live()) return;
  m.makeCurrent();
  const glm::vec3 at = head.orientation * glm::vec3(0, 0, -1), up = head.orientation * glm::vec3(0, 1, 0);
  const ALfloat orientation[6] = {at.x, at.y, at.z, up.x, up.y, up.z};
  alListener3f(AL_POSITION, head.position.x, head.position.y, head.position.z);
  alListener3f(AL_VELOCITY, velocity.x, velocity.y, velocity.z);
  alListenerfv(AL_ORIENTATION, orientation);
}

void Audio::begin() { impl_->requestCount = 0; }

void Audio::submit(int bank, std::span<const SoundCue> cues) {
  Impl& m = *impl_;
  const bool known = bank >= 0 && size_t(bank) < m.banks.size();
  for (const SoundCue& c : cues) {
    if (!known || c.sound >= m.banks[size_t(bank)].specs.size()) {
      ++m.stats.unknown;
      continue;
    }
    if (m.requestCount == m.requests.size()) {
      ++m.stats.culled;
      continue;
    }
    m.requests[m.requestCount++] = {bank, &c, m.rankOf(m.banks[size_t(bank)].specs[c.sound], c)};
  }
}

void Audio::end() { impl_->end(); }

void Audio::setVolume(float volume01) {
  impl_->desc.volume = std::clamp(std::isfinite(volume01) ? volume01 : 0.0f, 0.0f, 1.0f);
  if (impl_->live()) impl_->makeCurrent(), alListenerf(AL_GAIN, impl_->desc.volume);
}
float Audio::volume() const { return impl_->desc.volume; }

// ---- [Loopback] --------------------------------------------------------------------------------

bool Audio::render(std::span<float> stereo) {
  Impl& m = *impl_;
  if (!m.live() || !m.loopback) {
    std::fill(stereo.begin(), stereo.end(), 0.0f);
    return false;
  }
  m.makeCurrent();
  // OpenAL Soft renders any count; in periods, so a cue submitted before waits at most one.
  const size_t frames = stereo.size() / 2;
  for (size_t done = 0; done < frames;) {
    const size_t n = std::min(frames - done, size_t(m.period));
    alcRenderSamplesSOFT(m.device.get(), stereo.data() + 2 * done, ALCsizei(n));
    done += n;
  }
  return true;
}

AudioStats Audio::stats() const { return impl_->stats; }

}  // namespace pav::audio
