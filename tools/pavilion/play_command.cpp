// `pavilion play <title>`: runs a title on this machine with bot visitors and prints one line
// of results (a JSON object with --json). Where there is a display it plays in a window in
// real time (the title's fixed rate, one frame per swapchain image); with --headless or no
// display it runs as fast as the machine allows. --png DIR writes a picture of every
// simulated second through the title's presenter. An unknown title lists the titles; a bad
// data file names the file and the problem.
// With --xr and an OpenXR runtime present, the visitor plays seat 0 in the headset (the
// headset's frames pace the loop, the window mirrors the left eye, --png writes both eyes);
// without a runtime it falls back to the window or headless, and the start line says why.
// A session's timeline as a station's, without the lobby: a 3 s start before the first tick
// (--no-start: none; headless it costs no time, nothing is drawn), the play, and where a
// visitor watches (a window, a headset) the results screen for 10 s over the last state
// (--no-start: neither the start nor the results).
// What the visitor hears (station_sound.h): seat 0's place, on the default audio device (or
// --audio-device NAME) where a visitor watches; --audio-wav FILE writes it as a 48 kHz stereo WAV
// instead, headless too (the session's beeps, the play, the results chord dying away).
// --lang zh|en is the visitor's language; the engine's and the title's string tables (under
// --data) are loaded and checked at start-up.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <cstdio>
#include <filesystem>
#include <chrono>
#include <thread>
#include <vector>

#include "commands.h"
#include "floor_states.h"
#include "session_screens.h"
#include "station_sound.h"
#include "visitor_text.h"
#include "pav/core/replay.h"
#include "pav/platform/motion_out.h"
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
  play->add_option("--skill", o.skill, std::string("Bot skill: ") + core::kSkillList + " (fair keeps a visitor's match close where the title's bots adapt; elsewhere it is medium)")
      ->transform(skillValidator())->capture_default_str();
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
  addLangOption(*play, o.lang, "The visitor's language: zh or en (default: zh)");
  play->add_flag("--no-start", o.noStart, "Straight into the play and out of it: no 3-2-1 start, no results screen");
  addSeatOptions(*play, o.ffbStrength, o.motionOut, o.vignette);
  play->add_option("--assists", o.assists, std::string("Driving aids: ") + core::kAssistList +
                                               " (expo: steering toward the racing line, braking before corners, "
                                               "traction control; a station's default)")
      ->transform(assistsValidator())
      ->default_str("expo");
  addTrainerOptions(*play, o.trainer, "none");
  addRenderOptions(*play, o.render);
  addAudioOptions(*play, o.audio, true, true);
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

// What the visitor reads in a local game: its language and tables, and where it is on the
// timeline, for the views' text (the title's HUD and the host's screens).
class PlayText {
 public:
  PlayText(VisitorText text, core::Lang lang, const core::Title& title, double startSeconds)
      : text_(std::move(text)), lang_(lang), title_(title), timeline_(startSeconds), screens_(text_.engine) {
    screens_.setTitle(text_.title(title.info().id), title.info().id,
                      visitorDevice(title.info().devices, title.info().devices));
  }
  LocalTimeline& timeline() { return timeline_; }
  // The play is over: the results from now on, with seat 0's rank (the visitor's, in a headset).
  void end() {
    timeline_.end();
    if (!rankOf(title_.results(true), 0, rank_, count_)) rank_ = count_ = 0;
  }
  SessionScreens& screens() { return screens_; }
  // Seconds of play left: the hidden --countdown's, else the --seconds limit's; negative: none.
  double secondsLeft(const PlayOptions& o) const {
    if (o.countdown >= 0) return countdownAt(o, title_);
    if (o.seconds <= 0) return -1;
    return std::max(0.0, o.seconds - double(title_.tick()) * title_.dt());
  }
  render::HudContext hudContext(const PlayOptions& o) const {
    render::HudContext c;
    c.lang = lang_;
    c.strings = text_.title(title_.info().id);
    c.stage = sessionStage(timeline_.clocks(secondsLeft(o)));
    c.secondsLeft = secondsLeft(o);
    c.secondsToStart = timeline_.clocks(c.secondsLeft).secondsToStart;
    c.vignette = float(o.vignette) / 100.0f;
    return c;
  }
  // What the view about to draw shows over the title (null: no view).
  void tell(HostText* host, const PlayOptions& o) {
    if (host) host->set(hudContext(o), &screens_, screenFrame(o), &text_.engine);
  }
  ScreenFrame screenFrame(const PlayOptions& o) const {
    const StageClocks clocks = timeline_.clocks(secondsLeft(o));
    return {.stage = sessionStage(clocks), .lang = lang_, .secondsToStart = clocks.secondsToStart,
            .secondsSinceStart = timeline_.sinceStart(), .secondsLeft = clocks.secondsLeft, .rank = rank_,
            .count = count_};
  }

 private:
  VisitorText text_;
  core::Lang lang_;
  const core::Title& title_;
  LocalTimeline timeline_;
  SessionScreens screens_;
  int rank_ = 0, count_ = 0;
};

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
  std::optional<platform::MotionOut> motion;
  if (!o.motionOut.empty()) {
    try {
      motion.emplace(platform::parseMotionTarget(o.motionOut));
    } catch (const Error& e) {
      std::fprintf(stderr, "pavilion play: %s\n", e.what());
      return 2;
    }
  }
  const int players = o.bots > 0 ? o.bots : info.maxPlayers;
  if (players > info.maxPlayers) {
    std::fprintf(stderr, "pavilion play: %.*s seats at most %d visitors; --bots %d is too many\n",
                 static_cast<int>(info.id.size()), info.id.data(), info.maxPlayers, players);
    return 2;
  }
  const int skill = core::skillFor(info, o.skill);
  title->setup({.players = players, .seed = o.seed, .skill = skill, .dataDir = o.dataDir,
                .durationSeconds = o.seconds, .assists = o.assists});
  // The tables after the title's own data (a missing data folder is named by the title first).
  PlayText text(loadVisitorText(o.dataDir, {std::string(info.id)}), langOption(o.lang).value_or(core::Lang::Zh), *title,
                o.noStart ? 0.0 : director::kStartSeconds);

  const bool window = !o.headless && haveDisplay();
  std::optional<core::ReplayWriter> replay;
  if (!o.record.empty()) replay.emplace(o.record, info, core::TitleSetup{.players = players, .seed = o.seed, .skill = skill,
                                                                        .durationSeconds = o.seconds, .assists = o.assists});
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
  // --trainer: seat 0 rides it (a title that asks for one), in a window, a headset or headless.
  const bool rides = o.trainer.trainer != "none" && (info.devices & core::kDeviceTrainer);
  if (o.trainer.trainer != "none" && !rides)
    std::fprintf(stderr, "pavilion play: %.*s asks for no trainer: --trainer %s is not used\n", int(info.id.size()),
                 info.id.data(), o.trainer.trainer.c_str());
  std::optional<VisitorDevices> devices;
  std::unique_ptr<host::View> view;
  if (xr || rides) devices.emplace(*title, 0, "pavilion play", o.ffbStrength, o.trainer);
  if (xr) {
    view = std::make_unique<HeadsetView>(*xr, &*devices);
  } else if (window) {
    view = std::make_unique<WindowView>(*viewer, *title, 0, rides ? &*devices : nullptr);
  } else {
    view = std::make_unique<PictureView>(viewer.get());
  }
  sayStart(o, info, players, xr.get(), window, noHeadset);
  if (rides)
    std::fprintf(stderr, "pavilion play: seat 0 rides the trainer (--trainer %s, feel %s%s)%s\n", o.trainer.trainer.c_str(),
                 o.trainer.feel.c_str(), o.trainer.ergWatts > 0 ? ", ERG" : "",
                 !window && !xr ? "; headless in real time" : "");

  // One loop for every view: the frame's time in fixed ticks, then the state shown. The
  // title's own end (race finished, match won) or the time limit ends it, whichever comes
  // first; titles without a natural end stop at --seconds, or after two hours.
  // The start waits for the bike (20 s at most): a trainer ridden, or known to be out of reach.
  if (rides) {
    core::Stopwatch waited;
    core::InputFrame scratch;
    while (waited.elapsed() < 20.0 && !(devices->apply(scratch), devices->trainerSettled()))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!devices->trainerSettled()) std::fprintf(stderr, "pavilion play: no trainer after 20 s: the ride starts without it\n");
  }
  const bool visitor = xr != nullptr || rides;
  // Headless with a trainer: the devices are the visitor's only input, and the ride keeps to
  // the wall clock (a person pedals in real time).
  const bool headlessRider = rides && !xr && !window;
  core::Stopwatch wall;
  double paced = 0;
  std::vector<core::InputFrame> inputs(static_cast<size_t>(players));
  core::InputFrame person;
  const auto ticksPerSecond = static_cast<uint64_t>(std::llround(info.tickRateHz));
  const auto maxTicks = static_cast<uint64_t>((o.seconds > 0 ? o.seconds : 7200.0) * info.tickRateHz);
  const auto running = [&] { return !title->finished() && title->tick() < maxTicks; };
  core::StateFrame frame = core::captureNew(*title);
  host::Loop loop({.tickRateHz = info.tickRateHz});
  // What the visitor hears (seat 0's place): where a visitor watches, or into --audio-wav.
  std::optional<StationSound> sound;
  if (window || xr || !o.audio.wav.empty() || !o.audio.device.empty())
    sound.emplace(*title, 0, o.audio, xr != nullptr, "pavilion play");
  int frameTicks = 0;  // the loop's ticks in this frame (held ones in the start too): its time
  const auto hear = [&] {
    if (!sound) return;
    const render::HudContext c = text.hudContext(o);
    render::Pose head;  // in a headset the listener follows the visitor's head
    sound->frame(frame, frameTicks * loop.dt(), c.stage, c.secondsToStart, xr && xr->head(head) ? &head : nullptr);
    frameTicks = 0;
  };
  HostText* hostText = xr ? &xr->text() : viewer ? &viewer->text() : nullptr;
  while (view->open() && running()) {
    if (headlessRider) {
      person = {};
      devices->apply(person);
      // A picture view's frame is one tick of the loop's time (the start's included).
      paced += loop.dt();
      const double ahead = paced - wall.elapsed();
      if (ahead > 0) std::this_thread::sleep_for(std::chrono::duration<double>(ahead));
    }
    loop.frame(
        *view, visitor ? &person : nullptr,
        [&](uint64_t) {
          ++frameTicks;
          if (!running()) return;
          // The 3-2-1 start: the loop's time passes, the title waits at its set-up state.
          text.timeline().advance(loop.dt());
          if (text.timeline().holding()) return;
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
          text.tell(hostText, o);
          title->capture(frame);
          // Seat 0's motion for a motion seat, on the simulation's clock.
          if (const int own = title->ownObject(0); motion && own >= 0 && size_t(own) < frame.objects.size())
            motion->offer(frame.objects[size_t(own)], double(frame.tick) * title->dt());
          hear();
          return frame;
        });
  }
  // The results screen where a visitor watches: the last state for kResultsSeconds of the
  // view's time (a window or headset closed meanwhile ends it).
  text.end();
  if ((window || xr) && !o.noStart) {
    title->capture(frame);
    while (view->open() && !text.timeline().resultsDone())
      if (loop.frame(*view, nullptr, [&](uint64_t) { ++frameTicks, text.timeline().advance(loop.dt()); },
                     [&]() -> const core::StateFrame& {
                       text.tell(hostText, o);
                       hear();
                       return frame;
                     }) < 0 &&
          xr && xr->done())
        break;
  }
  if (xr && xr->done()) std::fprintf(stderr, "pavilion play: the headset session ended: %s\n", xr->endReason().c_str());
  if (xr) xr->finish();
  if (sound) sound->finish(2.5);  // into a WAV: the results chord dies away
  std::printf("%s\n", title->results(o.json).c_str());
  if (motion)
    std::fprintf(stderr, "pavilion play: %llu motion packet(s) to %s, %llu dropped\n",
                 static_cast<unsigned long long>(motion->sent()), motion->describe().c_str(),
                 static_cast<unsigned long long>(motion->dropped()));
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
