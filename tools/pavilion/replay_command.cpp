// `pavilion replay FILE`: re-makes a recorded session (a `pavilion server --record` file, which
// the director writes for every session into its state folder, or `pavilion play --record`)
// by stepping the title through the recorded inputs from the recorded setup. The state hash
// is checked after every tick; the first tick that differs is reported (exit 1). --png DIR
// draws it: a picture every --every seconds of session time, through the title's presenter.
// A replay whose server was killed (no trailer) plays up to its last complete chunk, and says
// "truncated at tick N" (on stderr; "truncated": true in --json). --audio-wav OUT writes the
// session as seat 0 heard it (station_sound.h) into a 48 kHz stereo WAV.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "json_lines.h"
#include "station_sound.h"
#include "pav/core/error.h"
#include "pav/core/replay.h"
#include "viewer.h"
#include "views.h"

namespace pav::tools {

void addReplayCommand(CLI::App& app, ReplayOptions& o) {
  CLI::App* c = app.add_subcommand("replay", "Re-make a recorded session exactly, checking it tick by tick");
  c->add_option("file", o.file, "The replay file")->required();
  c->add_option("--png", o.pngDir, "Draw it: pictures into this folder");
  c->add_option("--every", o.every, "With --png: a picture every this many seconds of session time")
      ->check(CLI::Range(0.01, 3600.0))->capture_default_str();
  c->add_option("--data", o.dataDir, "Folder with the titles' data files (default: assets/)");
  c->add_flag("--json", o.json, "The outcome as one JSON object");
  addRenderOptions(*c, o.render);
  addAudioOptions(*c, o.audio, true, false);
}

int runReplay(const ReplayOptions& o) {
  registerAllTitles();
  core::Replay replay = core::Replay::load(o.file);
  replay.setup.dataDir = o.dataDir;
  if (replay.truncated)
    std::fprintf(stderr, "pavilion replay: %s: truncated at tick %llu (its writer stopped before the end); playing what is there\n",
                 o.file.c_str(), static_cast<unsigned long long>(replay.ticks()));
  std::unique_ptr<core::Title> title = core::createTitle(replay.title);
  if (!title) {
    std::fprintf(stderr, "pavilion replay: %s: recorded with title '%s', which this build does not have\n", o.file.c_str(),
                 replay.title.c_str());
    return 1;
  }
  if (replay.tickRateHz != title->info().tickRateHz) {
    std::fprintf(stderr, "pavilion replay: %s: recorded at %.1f Hz, this build's %s ticks at %.1f Hz\n", o.file.c_str(),
                 replay.tickRateHz, replay.title.c_str(), title->info().tickRateHz);
    return 1;
  }
  // The pictures go through the host's view seam (a PictureView over an offscreen Viewer); the
  // recording's ticks are the clock, so verifyReplay steps the title, not the host's loop.
  std::unique_ptr<Viewer> viewer;
  std::unique_ptr<PictureView> view;
  const uint64_t ticksPerPicture = std::max<uint64_t>(1, uint64_t(o.every * title->info().tickRateHz + 0.5));
  if (!o.pngDir.empty()) std::filesystem::create_directories(o.pngDir);
  core::StateFrame frame;
  const auto draw = [&](const core::Title& t, uint64_t tick) {
    if (o.pngDir.empty() || (tick % ticksPerPicture != 0 && tick != replay.ticks())) return;
    // The viewer is made on the first picture: the title is set up by then.
    if (!viewer) {
      viewer = std::make_unique<Viewer>(t, o.render, false, true);
      view = std::make_unique<PictureView>(viewer.get());
      frame = core::captureNew(t);
    } else {
      t.capture(frame);
    }
    char name[64];
    std::snprintf(name, sizeof name, "replay-%06llu", static_cast<unsigned long long>(tick));
    view->shootNext((std::filesystem::path(o.pngDir) / name).string());
    view->end(frame);
  };
  // --audio-wav: the session heard from seat 0, a frame per tick (the recording's clock).
  std::optional<StationSound> sound;
  core::StateFrame heard;
  const double tickSeconds = 1.0 / replay.tickRateHz;
  const auto onTick = [&](const core::Title& t, uint64_t tick) {
    if (!o.audio.wav.empty()) {
      if (!sound) {
        sound.emplace(t, 0, o.audio, false, "pavilion replay");
        heard = core::captureNew(t);
      } else {
        t.capture(heard);
      }
      sound->frame(heard, tickSeconds, render::HudStage::Playing, -1);
    }
    draw(t, tick);
  };
  const core::ReplayCheck check = core::verifyReplay(replay, *title, onTick);
  if (sound) sound->finish(2.5);
  const int pictures = view ? view->shots() : 0;
  const double seconds = double(replay.ticks()) / replay.tickRateHz;
  if (o.json) {
    const JsonLine j = {{"file", o.file},
                                      {"title", replay.title},
                                      {"ticks", check.ticks},
                                      {"seconds", std::round(seconds * 1000) / 1000},
                                      {"identical", check.identical},
                                      {"truncated", replay.truncated},
                                      {"first_mismatch", check.firstMismatch},
                                      {"pictures", pictures},
                                      {"results", embeddedJson(check.results)}};
    printJsonLine(j);
  } else if (check.identical) {
    std::printf("pavilion replay: %s: %s, %llu ticks (%.1f s), every state hash identical\n%s\n", o.file.c_str(),
                replay.title.c_str(), static_cast<unsigned long long>(check.ticks), seconds, check.results.c_str());
  } else {
    std::fprintf(stderr,
                 "pavilion replay: %s: the re-made session differs from the recording at tick %llu of %llu "
                 "(state hash %016llx, recorded %016llx): another build, other data files, or a changed file\n",
                 o.file.c_str(), static_cast<unsigned long long>(check.firstMismatch),
                 static_cast<unsigned long long>(replay.ticks()), static_cast<unsigned long long>(check.got),
                 static_cast<unsigned long long>(check.expected));
  }
  if (pictures > 0 && !o.json) std::printf("pavilion replay: %d picture(s) in %s\n", pictures, o.pngDir.c_str());
  const uint32_t validation = viewer ? viewer->validationMessages() : 0;
  if (validation > 0) {
    std::fprintf(stderr, "pavilion replay: the validation layer reported %u message(s)\n", validation);
    return 3;
  }
  return check.identical ? 0 : 1;
}

}  // namespace pav::tools
