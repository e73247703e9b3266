// The audio room on the real OpenAL Soft mixer through its loopback device (48 kHz stereo
// float, no sound card): HRTF's ear differences, the head turned, stereo panning, Doppler, the
// voice limit, volume, one-shot timing, no device, bad recipes and the WAV writer.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include <glm/gtc/quaternion.hpp>

#include "audio_probe.h"
#include "pav/audio/audio.h"
#include "pav/core/error.h"
#include "pav/core/log.h"

namespace pav::audio {
namespace {

using render::SoundCue;
using render::SoundCues;
using render::SoundSpec;
using render::Synth;
using test::channel;
using test::energy;

constexpr SoundSpec kNoise{.name = "test.noise", .synth = Synth::Noise, .loop = true, .seconds = 1.0f,
                           .lowHz = 200.0f, .highHz = 6000.0f, .referenceDistance = 1.0f};
constexpr SoundSpec kTone{.name = "test.tone", .synth = Synth::Harmonics, .loop = true, .seconds = 1.0f,
                          .baseHz = 400.0f, .referenceDistance = 5.0f};
constexpr SoundSpec kClick{.name = "test.click", .synth = Synth::Hit, .seconds = 0.1f, .baseHz = 800.0f,
                           .lowHz = 500.0f, .highHz = 8000.0f, .decaySeconds = 0.02f, .attackSeconds = 0.0f};

// Renders `seconds` of the current mix.
std::vector<float> mix(Audio& audio, double seconds) {
  std::vector<float> out(2 * size_t(seconds * audio.sampleRate()));
  audio.render(out);
  return out;
}

// One frame: the listener, the cues, the mix of `seconds`.
std::vector<float> frame(Audio& audio, int bank, const SoundCues& cues, const render::Pose& head, double seconds) {
  audio.listen(head, seconds);
  audio.begin();
  audio.submit(bank, cues.all());
  audio.end();
  return mix(audio, seconds);
}

struct Ears {
  double left, right;
  int rightLag;  // samples the right ear trails the left (negative: leads)
};

Ears listenTo(Hrtf hrtf, const glm::vec3& source, const render::Pose& head) {
  Audio audio({.output = Output::Loopback, .hrtf = hrtf});
  EXPECT_TRUE(audio.live()) << "OpenAL Soft's loopback device did not open";
  const int bank = audio.addSounds(std::span(&kNoise, 1));
  SoundCues cues(1);
  cues.loop(0, 0, source, glm::vec3(0.0f), 1.0f);
  frame(audio, bank, cues, head, 0.1);  // parameters settle (OpenAL fades gains in)
  const std::vector<float> s = frame(audio, bank, cues, head, 0.5);
  const std::vector<float> l = channel(s, 0), r = channel(s, 1);
  return {energy(l), energy(r), test::lagOf(l, r, 48)};
}

TEST(AudioMixer, HrtfPutsASourceOnTheLeftInTheLeftEarFirst) {
  Audio probe({.output = Output::Loopback, .hrtf = Hrtf::On});
  ASSERT_TRUE(probe.live());
  ASSERT_TRUE(probe.hrtf()) << "no HRTF data set loaded (Debian: libopenal-data, /usr/share/openal/hrtf): "
                            << probe.describe();
  const Ears e = listenTo(Hrtf::On, {-2.0f, 0.0f, 0.0f}, {});
  std::printf("[ measure  ] source left: energy left/right %.1f, right ear %d samples late\n", e.left / e.right, e.rightLag);
  EXPECT_GT(e.left, 2.0 * e.right) << "left " << e.left << ", right " << e.right;
  // The interaural time difference: about 0.6 ms (29 samples) for a source at 90 degrees.
  EXPECT_GE(e.rightLag, 8) << "the right ear should hear it later";
  EXPECT_LE(e.rightLag, 45);
}

TEST(AudioMixer, TurningTheHead180DegreesSwapsTheEars) {
  const render::Pose turned{{0, 0, 0}, glm::angleAxis(std::numbers::pi_v<float>, glm::vec3(0, 1, 0))};
  const Ears e = listenTo(Hrtf::On, {-2.0f, 0.0f, 0.0f}, turned);
  std::printf("[ measure  ] head turned: energy right/left %.1f, right ear %d samples early\n", e.right / e.left, -e.rightLag);
  EXPECT_GT(e.right, 2.0 * e.left) << "left " << e.left << ", right " << e.right;
  EXPECT_LE(e.rightLag, -8) << "the right ear should hear it first";
  EXPECT_GE(e.rightLag, -45);
}

TEST(AudioMixer, WithoutHrtfStereoPanningStillPutsItLeft) {
  Audio probe({.output = Output::Loopback, .hrtf = Hrtf::Off});
  ASSERT_TRUE(probe.live());
  EXPECT_FALSE(probe.hrtf());
  const Ears e = listenTo(Hrtf::Off, {-2.0f, 0.0f, 0.0f}, {});
  EXPECT_GT(e.left, 2.0 * e.right) << "left " << e.left << ", right " << e.right;
}

TEST(AudioMixer, VolumeZeroIsSilence) {
  Audio audio({.output = Output::Loopback, .hrtf = Hrtf::On});
  const int bank = audio.addSounds(std::span(&kNoise, 1));
  SoundCues cues(1);
  cues.loop(0, 0, {0.5f, 0.0f, -1.0f}, glm::vec3(0.0f), 1.0f);
  frame(audio, bank, cues, {}, 0.1);
  EXPECT_GT(test::rms(frame(audio, bank, cues, {}, 0.2)), 0.01) << "it should sound at volume 1";
  audio.setVolume(0.0f);
  frame(audio, bank, cues, {}, 0.05);  // the listener's gain fades out over a period or so
  const std::vector<float> silent = frame(audio, bank, cues, {}, 0.2);
  float peak = 0;
  for (float x : silent) peak = std::max(peak, std::abs(x));
  EXPECT_EQ(peak, 0.0f);
}

TEST(AudioMixer, APassingSourceRisesThenFallsByDoppler) {
  Audio audio({.output = Output::Loopback, .hrtf = Hrtf::Off});
  const int bank = audio.addSounds(std::span(&kTone, 1));
  // 30 m/s along x, 5 m in front of a still listener: from x = -60 to +60 over 4 s.
  constexpr float kSpeed = 30.0f, kFrameS = 0.01f;
  std::vector<float> all;
  SoundCues cues(1);
  for (int f = 0; f < 400; ++f) {
    cues.clear();
    cues.loop(0, 0, {-60.0f + kSpeed * kFrameS * float(f), 0.0f, -5.0f}, {kSpeed, 0.0f, 0.0f}, 1.0f);
    const std::vector<float> s = frame(audio, bank, cues, {}, kFrameS);
    all.insert(all.end(), s.begin(), s.end());
  }
  // Both ears together: panned hard right, the left ear hears nothing of it.
  const int rate = audio.sampleRate();
  const auto both = [&](double from, double to) {
    std::vector<float> l = channel(all, 0, size_t(from * rate), size_t(to * rate)), r = channel(all, 1, size_t(from * rate), size_t(to * rate));
    for (size_t i = 0; i < l.size(); ++i) l[i] += r[i];
    return l;
  };
  const double approaching = test::peakHz(both(0.2, 1.2), rate, 300, 500);
  const double receding = test::peakHz(both(2.8, 3.8), rate, 300, 500);
  // c / (c -+ v cos): about 1.09 and 0.92 of 400 Hz at these angles.
  std::printf("[ measure  ] 400 Hz at 30 m/s: %.1f Hz approaching, %.1f Hz receding\n", approaching, receding);
  EXPECT_NEAR(approaching / 400.0, 343.3 / (343.3 - 29.5), 0.015) << approaching << " Hz";
  EXPECT_NEAR(receding / 400.0, 343.3 / (343.3 + 29.5), 0.015) << receding << " Hz";
}

TEST(AudioMixer, TheVoiceLimitKeepsTheHighestPriorities) {
  Audio audio({.output = Output::Loopback, .hrtf = Hrtf::Off, .maxVoices = 2});
  SoundSpec tones[3] = {kTone, kTone, kTone};
  tones[0].baseHz = 300, tones[0].priority = 10;
  tones[1].baseHz = 500, tones[1].priority = 100;
  tones[2].baseHz = 700, tones[2].priority = 200;
  const int bank = audio.addSounds(tones);
  SoundCues cues(3);
  for (uint16_t i = 0; i < 3; ++i) cues.loop(i, 0, {0.0f, 0.0f, -1.0f}, glm::vec3(0.0f), 1.0f);
  frame(audio, bank, cues, {}, 0.1);
  const std::vector<float> left = channel(frame(audio, bank, cues, {}, 0.5), 0);
  EXPECT_EQ(audio.stats().voices, 2);
  EXPECT_GT(audio.stats().culled, 0u);
  const int rate = audio.sampleRate();
  const double p300 = test::powerAt(left, 300, rate), p500 = test::powerAt(left, 500, rate),
               p700 = test::powerAt(left, 700, rate);
  EXPECT_GT(p500, 1000 * p300);
  EXPECT_GT(p700, 1000 * p300);
}

TEST(AudioMixer, AOneShotIsHeardWithinOnePeriodOfItsCue) {
  Audio audio({.output = Output::Loopback, .hrtf = Hrtf::On});
  const int bank = audio.addSounds(std::span(&kClick, 1));
  SoundCues cues(1);
  frame(audio, bank, cues, {}, 0.2);  // nothing yet
  cues.play(0, {1.0f, 0.0f, -1.0f}, glm::vec3(0.0f), 1.0f);
  const std::vector<float> s = frame(audio, bank, cues, {}, 0.05);
  const size_t onset = test::firstOver(s, 1e-3f);
  EXPECT_LT(onset, size_t(audio.periodFrames())) << "heard at frame " << onset << " of the frame's mix";
  EXPECT_EQ(audio.periodFrames(), kPeriodFrames);
}

TEST(AudioMixer, CuesForSoundsNotDeclaredAreCountedNotPlayed) {
  SoundCues cues(1);
  cues.play(3, glm::vec3(0.0f), glm::vec3(0.0f), 1.0f);
  EXPECT_EQ(cues.unknown(), 1u);
  EXPECT_EQ(cues.firstUnknown(), 3);
  EXPECT_TRUE(cues.all().empty());
  // A bank asked for a sound it lacks (a cue list made for another bank).
  Audio audio({.output = Output::Loopback});
  const int bank = audio.addSounds(std::span(&kClick, 1));
  const SoundCue stray{.sound = 7};
  audio.begin();
  audio.submit(bank, std::span(&stray, 1));
  audio.submit(bank + 1, std::span(&stray, 1));
  audio.end();
  EXPECT_EQ(audio.stats().unknown, 2u);
}

struct Lines {
  std::vector<std::string> all;
  static void sink(log::Level, const char* line, void* user) { static_cast<Lines*>(user)->all.emplace_back(line); }
};

TEST(AudioMixer, NoDeviceIsOneLineAndSilenceNeverACrash) {
  Lines lines;
  log::setSink(&Lines::sink, &lines);
  {
    Audio audio({.output = Output::Device, .device = "pavilion-no-such-device"});
    EXPECT_FALSE(audio.live());
    const int bank = audio.addSounds(std::span(&kClick, 1));
    SoundCues cues(1);
    cues.play(0, glm::vec3(0.0f), glm::vec3(0.0f), 1.0f);
    for (int i = 0; i < 10; ++i) {
      audio.listen({}, 0.01);
      audio.begin();
      audio.submit(bank, cues.all());
      audio.end();
    }
    std::vector<float> s(1024, 1.0f);
    EXPECT_FALSE(audio.render(s));
    EXPECT_EQ(s[0], 0.0f);
    EXPECT_EQ(audio.describe(), "no audio device");
  }
  log::setSink(nullptr, nullptr);
  ASSERT_EQ(lines.all.size(), 1u);
  EXPECT_NE(lines.all[0].find("pavilion-no-such-device"), std::string::npos) << lines.all[0];
}

TEST(AudioMixer, ABadRecipeStopsStartUpNamingTheSound) {
  Audio audio({.output = Output::Loopback});
  SoundSpec bad = kClick;
  bad.name = "test.broken";
  bad.seconds = 0;
  try {
    audio.addSounds(std::span(&bad, 1));
    FAIL() << "a sound of no length was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("test.broken"), std::string::npos) << e.what();
  }
  bad = kNoise, bad.name = "test.band", bad.lowHz = 5000, bad.highHz = 100;
  EXPECT_THROW(audio.addSounds(std::span(&bad, 1)), Error);
}

TEST(AudioMixer, TheWavWriterWritesA48kHzStereo16BitFile) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "pav_audio_wav_test.wav";
  {
    WavWriter wav(path.string(), 48000);
    std::vector<float> s(2 * 1000, 0.25f);
    s[1] = 2.0f;  // clipped
    wav.write(s);
    EXPECT_EQ(wav.frames(), 1000u);
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> b((std::istreambuf_iterator<char>(in)), {});
  ASSERT_EQ(b.size(), 44u + 4000u);
  const auto u32 = [&](size_t at) { return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24; };
  EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "RIFF");
  EXPECT_EQ(u32(24), 48000u);           // rate
  EXPECT_EQ(b[22], 2);                  // channels
  EXPECT_EQ(b[34], 16);                 // bits
  EXPECT_EQ(u32(40), 4000u);            // data bytes
  EXPECT_EQ(int16_t(b[46] | b[47] << 8), 32767);  // the clipped right sample
  std::filesystem::remove(path);
  EXPECT_THROW(WavWriter("/nonexistent-dir/x.wav", 48000), Error);
}

}  // namespace
}  // namespace pav::audio
