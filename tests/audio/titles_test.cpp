// Every title heard through the real OpenAL Soft mixer (loopback, HRTF on), as `pavilion play
// --audio-wav` hears it: each sound a title cues is one it declared, and it is not silent; the
// driving engine's pitch follows its RPM; a puck hit is heard within one period of its tick.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "audio_probe.h"
#include "pav/audio/audio.h"
#include "pav/core/title.h"
#include "pav/driving/driving.h"
#include "pav/titles.h"

namespace pav::audio {
namespace {

struct Session {
  std::unique_ptr<core::Title> title;
  std::unique_ptr<render::Presenter> presenter;
  core::StateFrame frame;
  std::vector<core::InputFrame> inputs;

  explicit Session(std::string_view id, int players = 0) {
    titles::registerAll();
    title = core::createTitle(std::string(id));
    const int n = players > 0 ? players : title->info().maxPlayers;
    title->setup({.players = n, .seed = 7, .skill = 1});
    presenter = titles::makePresenter(*title, 0);
    frame = core::captureNew(*title);
    inputs.resize(size_t(n));
  }
  void step() {
    for (int p = 0; p < int(inputs.size()); ++p) title->botInput(p, inputs[size_t(p)]);
    title->step(inputs);
    title->capture(frame);
  }
};

uint16_t soundNamed(const render::Presenter& p, std::string_view name) {
  const auto sounds = p.sounds();
  for (size_t i = 0; i < sounds.size(); ++i)
    if (sounds[i].name == name) return uint16_t(i);
  ADD_FAILURE() << "no sound named " << name;
  return 0;
}

TEST(TitleSound, EveryTitleCuesOnlyItsOwnSoundsAndIsHeard) {
  titles::registerAll();
  for (std::string_view id : titles::builtIn()) {
    SCOPED_TRACE(std::string(id));
    Session s(id);
    ASSERT_TRUE(s.presenter);
    ASSERT_FALSE(s.presenter->sounds().empty()) << "a title with no sounds";
    Audio audio({.output = Output::Loopback, .hrtf = Hrtf::On});
    TitleSound sound(audio, *s.presenter);
    // 8 simulated seconds at 60 frames a second, the session's 3-2-1 first.
    const int ticksPerFrame = std::max(1, int(s.title->info().tickRateHz / 60.0 + 0.5));
    const double frameS = ticksPerFrame / s.title->info().tickRateHz;
    std::vector<float> out(2 * size_t(frameS * audio.sampleRate() + 0.5)), all;
    int cued = 0;
    for (int f = 0; f < 8 * 60; ++f) {
      const double toStart = 1.0 - f * frameS;
      if (toStart <= 0)
        for (int t = 0; t < ticksPerFrame; ++t) s.step();
      sound.frame(s.frame, frameS, toStart > 0 ? render::HudStage::Start : render::HudStage::Playing, toStart);
      cued += int(sound.cues().all().size());
      audio.render(out);
      all.insert(all.end(), out.begin(), out.end());
    }
    EXPECT_EQ(sound.unknownCues(), 0u) << "the title cued a sound it does not declare";
    EXPECT_EQ(audio.stats().unknown, 0u);
    EXPECT_GT(cued, 0);
    if (id != "balloons") {
      EXPECT_GT(test::rms(all), 1e-3) << "silent";
    }
  }
}

TEST(TitleSound, TheEnginesPitchFollowsItsRpm) {
  Session s("driving", 1);
  const auto& driving = dynamic_cast<const driving::DrivingTitle&>(*s.title);
  for (const auto& [gear, speed] : {std::pair{2, 15.0f}, std::pair{3, 25.0f}, std::pair{5, 40.0f}}) {
    Audio audio({.output = Output::Loopback, .hrtf = Hrtf::On});
    TitleSound sound(audio, *s.presenter);
    core::StateFrame f = s.frame;
    core::ObjectState& car = f.objects[0];
    car.velocity = car.orientation * glm::vec3(0, 0, speed);  // chassis +z forward
    // finish_gear (driving_state.cpp): order 0, the gear in its slot.
    f.scalars[3] = float(gear);
    std::vector<float> all, out(2 * 480);
    for (int i = 0; i < 150; ++i) {
      // 240 Hz: 100 frames a second; the car (and the driver's head with it) moves on at its
      // speed, so the engine is heard from the seat without a Doppler shift.
      f.tick += 2;
      car.position += car.velocity * 0.01f;
      sound.frame(f, 0.01, render::HudStage::Playing, -1);
      audio.render(out);
      if (i >= 50) all.insert(all.end(), out.begin(), out.end());
    }
    // A four-stroke four fires twice per turn of the crank: the note's fundamental.
    const double expected = driving::engineRpm(driving.tuning(), gear, speed) / 60.0 * 2.0;
    const double peak = test::peakHz(test::channel(all, 0), audio.sampleRate(), 30, 400, 1.0);
    std::printf("[ measure  ] gear %d at %.0f m/s: FFT peak %.1f Hz, expected %.1f Hz\n", gear, speed, peak, expected);
    EXPECT_NEAR(peak / expected, 1.0, 0.03) << "gear " << gear << " at " << speed << " m/s: peak " << peak
                                           << " Hz, expected " << expected << " Hz";
  }
}

// A car passes a listener standing 6 m from its line at 40 m/s in a fixed gear: its engine's
// note is higher coming than going by Doppler, (c + v) / (c - v) with the speed of sound c.
TEST(TitleSound, APassingCarsEngineFallsInPitchByDoppler) {
  Session s("driving", 2);
  Audio audio({.output = Output::Loopback, .hrtf = Hrtf::On});
  TitleSound sound(audio, *s.presenter);
  core::StateFrame f = s.frame;
  core::ObjectState& passing = f.objects[1];
  const glm::vec3 forward = passing.orientation * glm::vec3(0, 0, 1), side = passing.orientation * glm::vec3(1, 0, 0);
  const glm::vec3 head = passing.position + side * 6.0f + glm::vec3(0, 1, 0);
  f.objects[0].position = head + glm::vec3(0, 0, 800.0f);  // the other car, far out of earshot
  constexpr float kSpeed = 40.0f;
  passing.velocity = forward * kSpeed;
  // Car 1's finish_gear, found by its name in the title's schema: racing, 4th.
  core::StateSchema schema;
  s.title->describe(schema);
  int gearAt = -1;
  for (int i = 0; i < schema.scalarCount; ++i)
    if (schema.scalars[size_t(i)].name == "car1_finish_gear") gearAt = i;
  ASSERT_GE(gearAt, 0) << "no car1_finish_gear in driving's schema";
  f.scalars[size_t(gearAt)] = 4.0f;
  const render::Pose listener{head, glm::quat(1, 0, 0, 0)};
  std::vector<float> all, out(2 * 480);
  for (int i = 0; i < 300; ++i) {  // 3 s: from 60 m before the listener to 60 m past
    passing.position = head - side * 6.0f + forward * (-60.0f + kSpeed * 0.01f * float(i)) - glm::vec3(0, 1, 0);
    f.tick += 2;
    sound.frame(f, 0.01, render::HudStage::Playing, -1, &listener);
    audio.render(out);
    all.insert(all.end(), out.begin(), out.end());
  }
  const auto& driving = dynamic_cast<const driving::DrivingTitle&>(*s.title);
  const double note = driving::engineRpm(driving.tuning(), 4, kSpeed) / 60.0 * 2.0;
  const int rate = audio.sampleRate();
  const auto window = [&](double from, double to) { return test::channel(all, 0, size_t(from * rate), size_t(to * rate)); };
  const double coming = test::peakHz(window(0.1, 0.9), rate, note * 0.8, note * 1.35);
  const double going = test::peakHz(window(2.1, 2.9), rate, note * 0.7, note * 1.2);
  std::printf("[ measure  ] car at %.0f m/s: note %.1f Hz, heard %.1f Hz coming, %.1f Hz going\n", kSpeed, note, coming, going);
  EXPECT_GT(coming, note * 1.05) << coming << " Hz coming, the note " << note << " Hz";
  EXPECT_LT(going, note * 0.95) << going << " Hz going";
  // At 20..50 m out the path is within 17 degrees of the line to the listener (cos > 0.95).
  EXPECT_NEAR(coming / going, (343.3 + kSpeed * 0.97) / (343.3 - kSpeed * 0.97), 0.03);
}

// A rider pedals (the chain hums, pitched by cadence) and then coasts (the freewheel ticks,
// faster the faster the wheel turns; no chain).
TEST(TitleSound, ARiderPedallingHumsAndCoastingTicks) {
  Session s("cycling", 1);
  const auto sounds = s.presenter->sounds();
  const uint16_t chain = soundNamed(*s.presenter, "cycling.chain"), freewheel = soundNamed(*s.presenter, "cycling.freewheel");
  render::SoundCues cues(sounds.size());
  const auto pitchOf = [&](uint16_t sound) {
    for (const render::SoundCue& c : cues.all())
      if (c.sound == sound && c.key == 0) return c.pitch;
    return 0.0f;
  };
  const auto ride = [&](float watts, float rpm, int seconds) {
    for (int t = 0; t < seconds * int(s.title->info().tickRateHz); ++t) {
      s.inputs[0].pedalPowerWatts = watts, s.inputs[0].cadenceRpm = rpm;
      s.title->step(s.inputs);
    }
    s.title->capture(s.frame);
    cues.clear();
    s.presenter->hear(s.frame, s.frame, cues);
  };
  ride(250, 60, 20);
  const float chainAt60 = pitchOf(chain);
  EXPECT_GT(chainAt60, 0.0f);
  EXPECT_EQ(pitchOf(freewheel), 0.0f) << "the freewheel ticks while pedalling";
  ride(250, 120, 1);
  EXPECT_NEAR(pitchOf(chain) / chainAt60, 2.0, 0.05) << "twice the cadence, twice the chain's pitch";
  ride(0, 0, 1);
  const float fast = pitchOf(freewheel), speedFast = s.frame.scalars[1];
  EXPECT_GT(fast, 0.0f) << "no freewheel while coasting";
  EXPECT_EQ(pitchOf(chain), 0.0f) << "the chain hums while coasting";
  ride(0, 0, 15);  // slower
  const float speedSlow = s.frame.scalars[1];
  ASSERT_LT(speedSlow, speedFast);
  EXPECT_NEAR(pitchOf(freewheel) / fast, speedSlow / speedFast, 0.02) << "the ticks follow the wheel";
}

// Two mixers in lock step hear the same match, but the second misses the first mallet hit: what
// differs between them is the hit alone, and it must start within one period of its tick.
TEST(TitleSound, APuckHitIsHeardWithinOnePeriodOfItsTick) {
  Session s("hockey");
  Audio with({.output = Output::Loopback, .hrtf = Hrtf::On}), without({.output = Output::Loopback, .hrtf = Hrtf::On});
  const int bankA = with.addSounds(s.presenter->sounds()), bankB = without.addSounds(s.presenter->sounds());
  const uint16_t hit = soundNamed(*s.presenter, "hockey.mallet_hit");
  render::SoundCues cues(s.presenter->sounds().size()), missing(s.presenter->sounds().size());
  render::Seat seat;
  ASSERT_TRUE(s.presenter->seat(s.frame, seat));
  const size_t perTick = size_t(with.sampleRate() / s.title->info().tickRateHz);  // 100 at 480 Hz
  std::vector<float> a(2 * perTick), b(2 * perTick);
  core::StateFrame before = s.frame;
  bool dropped = false;
  size_t sinceHit = 0;
  for (int tick = 0; tick < 480 * 20 && (!dropped || sinceHit < 2048); ++tick) {
    s.step();
    cues.clear(), missing.clear();
    s.presenter->hear(before, s.frame, cues);
    before = s.frame;
    for (const render::SoundCue& c : cues.all()) {
      if (!dropped && !c.loop && c.sound == hit) {
        dropped = true;  // the second mixer never hears this one
        continue;
      }
      if (c.loop) missing.loop(c.sound, c.key, c.position, c.velocity, c.gain, c.pitch);
      else missing.play(c.sound, c.position, c.velocity, c.gain, c.pitch);
    }
    for (Audio* audio : {&with, &without}) {
      audio->listen(seat.eye, 1.0 / 480);
      audio->begin();
      audio->submit(audio == &with ? bankA : bankB, audio == &with ? cues.all() : missing.all());
      audio->end();
    }
    with.render(a);
    without.render(b);
    if (!dropped) {
      ASSERT_EQ(a, b) << "the two mixers differ before the hit, at tick " << tick;
      continue;
    }
    for (size_t i = 0; i < a.size(); ++i) a[i] -= b[i];
    const size_t onset = test::firstOver(a, 1e-4f);
    if (onset != SIZE_MAX) {
      std::printf("[ measure  ] the hit heard %zu frames after its tick (period %d)\n", sinceHit + onset, with.periodFrames());
      EXPECT_LT(sinceHit + onset, size_t(with.periodFrames())) << "the hit was heard " << sinceHit + onset
                                                               << " frames after its tick";
      return;
    }
    sinceHit += perTick;
  }
  FAIL() << (dropped ? "the hit was never heard" : "no mallet hit in 20 s of the bots' match");
}

}  // namespace
}  // namespace pav::audio
