// `pavilion play <title>`: runs a title on this machine with bot visitors and prints one line
// of results (a JSON object with --json). Where there is a display it plays in a window in
// real time (the title's fixed rate, one frame per swapchain image); with --headless or no
// display it runs as fast as the machine allows. --png DIR writes a picture of every
// simulated second through the title's presenter. An unknown title lists the titles; a bad
// data file names the file and the problem.
// With --xr and an OpenXR runtime present, the visitor plays seat 0 in the headset (the
// headset's frames pace the loop, the window mirrors the left eye, --png writes both eyes);
// without a runtime it falls back to the window or headless, and the start line says why.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "commands.h"
#include "pav/core/replay.h"
#include "pav/platform/platform.h"
#include "pav/host/host.h"
#include "viewer.h"
#include "views.h"
#include "xr_viewer.h"
#include "pav/core/error.h"
#include "pav/core/title.h"
#include "pav/titles.h"

namespace pav::tools {

// Every title under games/: the build generates the list (cmake/PavTitle.cmake).
void registerAllTitles() { titles::registerAll(); }

std::string titleArgumentHelp() {
  std::string ids;
  for (std::string_view id : titles::builtIn()) (ids += id) += ", ";
  return "The title's id (" + ids + "or one made with new-title)";
}

void addPlayCommand(CLI::App& app, PlayOptions& o) {
  CLI::App* play = app.add_subcommand("play", "Run a title with bot visitors and print its results");
  play->add_option("title", o.title, titleArgumentHelp())->required();
  play->add_option("--bots", o.bots, "Bot visitors (default: as many as the title seats)")->check(CLI::Range(1, 64));
  play->add_option("--seconds", o.seconds, "Simulated seconds at most (default: the title's own length)")
      ->check(CLI::Range(0.0, 86400.0));
  play->add_option("--seed", o.seed, "Seed for everything random in the title")->capture_default_str();
  play->add_option("--skill", o.skill, "Bot skill: 0 easy, 1 medium, 2 hard")->check(CLI::Range(0, 2))->capture_default_str();
  play->add_option("--data", o.dataDir, "Folder with the titles' data files (default: assets/)");
  play->add_flag("--headless", o.headless, "No window even where there is a display");
  play->add_flag("--xr", o.xr, "Play seat 0 in a headset (OpenXR) when a runtime is present");
  play->add_option("--record", o.record, "Record a replay into this file (pavilion replay FILE re-makes it)");
  play->add_option("--png", o.pngDir, "Write a picture every simulated second into this folder");
  play->add_flag("--json", o.json, "Print the results line as a JSON object");
  // Hidden (an empty group): for the tests and to see the station's time-up notice without a
  // director.
  play->add_option("--countdown", o.countdown, "Show the time-up notice, this many seconds left at the start")
      ->check(CLI::Range(0.0, 5999.0))
      ->group("");
  addRenderOptions(*play, o.render);
  play->add_flag("--no-hot-reload", o.noHotReload,
                 "In a window, do not reload the shaders when their GLSL is edited");
  play->add_option("--shader-src", o.render.shaderSource,
                   "The GLSL sources hot reload watches (default: the source tree's shaders/)");
}


namespace {

// The time-up notice's seconds left after the title's simulated time so far (-1: none).
double countdownAt(const PlayOptions& o, const core::Title& title) {
  if (o.countdown < 0) return -1;
  return std::max(0.0, o.countdown - static_cast<double>(title.tick()) / title.info().tickRateHz);
}

// The start line: who plays, where it is drawn.
void sayStart(const PlayOptions& o, const core::TitleInfo& info, int players, const XrViewer* xr, bool window,
              const std::string& noHeadset) {
  if (xr) {
    std::fprintf(stderr, "pavilion play: %.*s, you in seat 0 and %d bot(s), seed %llu, in the headset (%s)%s%s\n",
                 static_cast<int>(info.name.size()), info.name.data(), players - 1,
                 static_cast<unsigned long long>(o.seed), xr->describe().c_str(),
                 window ? "; the window mirrors the left eye" : "",
                 o.pngDir.empty() ? "" : "; both eyes every simulated second");
    return;
  }
  std::fprintf(stderr, "pavilion play: %.*s, %d bot(s), seed %llu, %s%s%s%s\n",
               static_cast<int>(info.name.size()), info.name.data(), players,
               static_cast<unsigned long long>(o.seed),
               window ? "in a window (real time; Esc ends)" : "headless (as fast as it runs)",
               o.pngDir.empty() ? "" : ", a picture every simulated second", o.xr ? "; no headset: " : "",
               noHeadset.c_str());
}

}  // namespace

int runPlay(const PlayOptions& o) {
  registerAllTitles();
  std::unique_ptr<core::Title> title = core::createTitle(o.title);
  if (!title) {
    std::string list;
    for (const std::string& id : core::titleIds()) list += (list.empty() ? "" : ", ") + id;
    std::fprintf(stderr, "pavilion play: unknown title '%s' (titles: %s)\n", o.title.c_str(), list.c_str());
    return 2;
  }
  const core::TitleInfo& info = title->info();
  const int players = o.bots > 0 ? o.bots : info.maxPlayers;
  if (players > info.maxPlayers) {
    std::fprintf(stderr, "pavilion play: %.*s seats at most %d visitors; --bots %d is too many\n",
                 static_cast<int>(info.id.size()), info.id.data(), info.maxPlayers, players);
    return 2;
  }
  title->setup({.players = players, .seed = o.seed, .skill = o.skill, .dataDir = o.dataDir,
                .durationSeconds = o.seconds});

  const bool window = !o.headless && haveDisplay();
  std::optional<core::ReplayWriter> replay;
  if (!o.record.empty()) replay.emplace(o.record, info, core::TitleSetup{.players = players, .seed = o.seed, .skill = o.skill,
                                                                        .durationSeconds = o.seconds});
  // The view: a headset (the visitor plays seat 0, bots the rest), else a window or pictures
  // (bots in every seat), else nothing to show (headless, as fast as it runs).
  std::string noHeadset;
  std::unique_ptr<XrViewer> xr;
  if (o.xr) {
    if (auto headset = XrViewer::openHeadset(noHeadset))
      xr = std::make_unique<XrViewer>(std::move(headset), *title, o.render, window, 0);
  }
  std::unique_ptr<Viewer> viewer;
  if (!xr && (window || !o.pngDir.empty())) {
    RenderOptions render = o.render;
    render.hotReload = !o.noHotReload;  // desktop play: edited shaders show in the window
    viewer = std::make_unique<Viewer>(*title, render, window, !o.pngDir.empty());
  }
  std::optional<VisitorDevices> devices;
  std::unique_ptr<host::View> view;
  if (xr) {
    devices.emplace(*title, 0, "pavilion play");
    view = std::make_unique<HeadsetView>(*xr, &*devices);
  } else if (window) {
    view = std::make_unique<WindowView>(*viewer, *title, 0, nullptr);
  } else {
    view = std::make_unique<PictureView>(viewer.get());
  }
  sayStart(o, info, players, xr.get(), window, noHeadset);

  // One loop for every view: the frame's time in fixed ticks, then the state shown. The
  // title's own end (race finished, match won) or the time limit ends it, whichever comes
  // first; titles without a natural end stop at --seconds, or after two hours.
  const bool visitor = xr != nullptr;
  std::vector<core::InputFrame> inputs(static_cast<size_t>(players));
  core::InputFrame person;
  const auto ticksPerSecond = static_cast<uint64_t>(std::llround(info.tickRateHz));
  const auto maxTicks = static_cast<uint64_t>((o.seconds > 0 ? o.seconds : 7200.0) * info.tickRateHz);
  const auto running = [&] { return !title->finished() && title->tick() < maxTicks; };
  core::StateFrame frame = core::captureNew(*title);
  host::Loop loop({.tickRateHz = info.tickRateHz});
  while (view->open() && running()) {
    loop.frame(
        *view, visitor ? &person : nullptr,
        [&](uint64_t) {
          if (!running()) return;
          for (int p = 0; p < players; ++p) {
            if (p == 0 && visitor) inputs[0] = person;
            else title->botInput(p, inputs[static_cast<size_t>(p)]);
          }
          title->step(inputs);
          if (replay) replay->tick(inputs, title->stateHash());
          // A picture of every simulated second, taken when the frame is shown (outside the
          // ticks, so its GPU wait and file write never cost simulation time).
          if (!o.pngDir.empty() && title->tick() % ticksPerSecond == 0) {
            char name[64];
            std::snprintf(name, sizeof name, "%.*s-%04llu", static_cast<int>(info.id.size()), info.id.data(),
                          static_cast<unsigned long long>(title->tick() / ticksPerSecond));
            view->shootNext((std::filesystem::path(o.pngDir) / name).string());
          }
        },
        [&]() -> const core::StateFrame& {
          if (viewer) viewer->setCountdown(countdownAt(o, *title));
          if (xr) xr->setCountdown(countdownAt(o, *title));
          title->capture(frame);
          return frame;
        });
  }
  if (xr && xr->done()) std::fprintf(stderr, "pavilion play: the headset session ended: %s\n", xr->endReason().c_str());
  if (xr) xr->finish();
  std::printf("%s\n", title->results(o.json).c_str());
  if (!o.pngDir.empty() && (xr || viewer))
    std::fprintf(stderr, "pavilion play: %d picture(s)%s in %s\n", view->shots(), xr ? " of both eyes" : "",
                 std::filesystem::absolute(o.pngDir).c_str());
  uint32_t messages = 0;
  if (xr) {
    std::fprintf(stderr, "pavilion play: %llu haptic pulse(s)\n", static_cast<unsigned long long>(xr->hapticPulses()));
    xr->close();
    messages = xr->validationMessages();
  } else if (viewer) {
    messages = viewer->validationMessages();
  }
  if (messages > 0) {
    std::fprintf(stderr, "pavilion play: the validation layer reported %u message(s)\n", messages);
    return 3;
  }
  return 0;
}

}  // namespace pav::tools
