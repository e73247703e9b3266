// `pavilion station --connect HOST:PORT`: a pavilion station. It joins the session, sends its
// visitor's input (desktop: the pointer is the hockey hand, arrows or WASD drive, Up or Space
// pedals) or its bot's (--bot), and draws its view of the session: its own mallet, car or bike
// predicted, the rest interpolated. In a window where there is a display; --png DIR writes a
// picture when the session ends (station-<seat>.png). A dropped link is retried by itself.
// Where an OpenXR runtime is present (and neither --no-xr nor --headless is given) the visitor
// plays in the headset instead (xr_viewer.h): its frames pace the station, the window mirrors
// the left eye, --png writes both eyes; the start line says which it is and why.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "commands.h"
#include "pav/core/error.h"
#include "pav/core/fixed_step.h"
#include "pav/hockey/hockey.h"
#include "pav/net/station.h"
#include "viewer.h"
#include "xr_viewer.h"

namespace pav::tools {
namespace {

volatile std::sig_atomic_t gStop = 0;
void onSignal(int) { gStop = 1; }

bool parseHostPort(const std::string& text, std::string& host, uint16_t& port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = text.substr(0, colon);
  const std::string digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  const unsigned long p = std::stoul(digits);
  if (p == 0 || p > 65535) return false;
  port = static_cast<uint16_t>(p);
  return true;
}

// A visitor at a desktop: the pointer and keys as the title's input.
void desktopInput(const core::Title& title, const platform::WindowEvents& e, core::InputFrame& in) {
  in = {};
  const std::string_view id = title.info().id;
  if (id == "hockey") {
    const hockey::TableSpec& t = hockey::tableOf(title);
    in.hands[1].tracked = true;
    in.hands[1].position = {(e.pointerX - 0.5f) * t.length, 0.0f, (e.pointerY - 0.5f) * t.width};
  } else if (id == "driving") {
    in.steer = (e.right ? 1.0f : 0.0f) - (e.left ? 1.0f : 0.0f);
    in.throttle = e.up ? 1.0f : 0.0f;
    in.brake = e.down ? 1.0f : 0.0f;
  } else {
    const bool pedal = e.up || e.space;
    in.pedalPowerWatts = pedal ? 250.0f : 0.0f;
    in.cadenceRpm = pedal ? 90.0f : 0.0f;
    in.steer = (e.right ? 1.0f : 0.0f) - (e.left ? 1.0f : 0.0f);
  }
}

}  // namespace

void addStationCommand(CLI::App& app, StationOptions& o) {
  CLI::App* c = app.add_subcommand("station", "Join a session as a pavilion station and draw it");
  c->add_option("--connect", o.connect, "The server, HOST:PORT")->required();
  c->add_option("--title", o.title, "Expect this title (default: whatever the server plays)");
  c->add_flag("--bot", o.bot, "Let the title's bot play this seat");
  c->add_flag("--headless", o.headless, "No window even where there is a display (needs --bot)");
  c->add_option("--png", o.pngDir, "Write a picture of the station's view into this folder at the end");
  c->add_option("--seconds", o.seconds, "Leave after this long (default: when the session ends)")->check(CLI::Range(0.0, 86400.0));
  c->add_option("--resume", o.resume, "Take back the seat of an earlier run (its token)");
  c->add_flag("--no-predict", o.noPredict, "Draw the own object from the server's frames too");
  c->add_flag("--no-xr", o.noXr, "Never use a headset, even when an OpenXR runtime is present");
  c->add_option("--data", o.dataDir, "Folder with the titles' data files (default: assets/)");
  c->add_flag("--json", o.json, "The summary as one JSON object on stdout");
  addRenderOptions(*c, o.render);
}

int runStation(const StationOptions& o) {
  registerAllTitles();
  std::string host;
  uint16_t port = 0;
  if (!parseHostPort(o.connect, host, port)) {
    std::fprintf(stderr, "pavilion station: --connect '%s' is not HOST:PORT (for example 127.0.0.1:7777)\n",
                 o.connect.c_str());
    return 2;
  }
  const bool window = !o.headless && haveDisplay();
  // The headset first: a visitor in it needs no display.
  std::string noHeadset = o.headless ? "--headless" : o.noXr ? "--no-xr" : "";
  std::unique_ptr<xr::Runtime> headset;
  if (noHeadset.empty()) headset = XrViewer::openHeadset(noHeadset);
  if (!window && !headset && !o.bot) {
    std::fprintf(stderr, "pavilion station: no window (%s) and no headset, so nobody can play here: add --bot\n",
                 o.headless ? "--headless" : "no display");
    return 2;
  }
  net::SessionStation station({.host = host, .port = port, .title = o.title, .resumeToken = o.resume,
                               .predict = !o.noPredict, .dataDir = o.dataDir});
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::fprintf(stderr, "pavilion station: connecting to %s:%u (%s, %s)\n", host.c_str(), unsigned(port),
               o.bot ? "bot" : headset ? "visitor in the headset" : "desktop visitor",
               headset ? (window ? "the window mirrors the left eye" : "no window")
                       : ((window ? "in a window" : "headless") + std::string("; no headset: ") + noHeadset).c_str());

  core::Stopwatch clock;
  std::unique_ptr<core::Title> shown;  // a copy of the title kept at the station's view, for drawing
  std::unique_ptr<Viewer> viewer;
  std::unique_ptr<XrViewer> xrView;
  platform::WindowEvents events;
  core::InputFrame input;
  bool open = true;
  double nextStats = 1.0;
  while (open && !gStop && (o.seconds <= 0 || clock.elapsed() < o.seconds)) {
    const net::StationState s = station.state();
    if (s == net::StationState::Ended || s == net::StationState::Refused) break;
    if (station.title() && !shown) {
      shown = core::createTitle(station.title()->info().id);
      shown->setup(station.setup());
      if (headset) {
        xrView = std::make_unique<XrViewer>(std::move(headset), *shown, o.render, window, station.seat());
      } else if (window || !o.pngDir.empty()) {
        viewer = std::make_unique<Viewer>(*shown, o.render, window, !o.pngDir.empty(), station.seat());
      }
      std::fprintf(stderr, "pavilion station: seat %d, token %u (--resume %u takes this seat back)\n", station.seat(),
                   station.token(), station.token());
    }
    // In the headset its frames pace the loop; the input is the controllers at the frame's
    // display time.
    bool framed = false;
    if (xrView) {
      core::InputFrame controllers;
      framed = xrView->beginFrame(controllers);
      if (framed && !o.bot) input = controllers;
      if (xrView->done()) break;
    } else if (shown && !o.bot) {
      desktopInput(*shown, events, input);
    }
    station.update(clock.elapsed(), o.bot ? nullptr : &input, (window || xrView) ? 0 : 1);
    if (shown && station.hasView()) shown->apply(station.view());
    if (xrView && framed) {
      xrView->afterTick();
      xrView->endFrame();
    }
    if (viewer && window) open = viewer->show(&events);
    if (clock.elapsed() >= nextStats) {
      nextStats += 1.0;
      if (!o.json) std::fprintf(stderr, "%s\n", station.statsLine().c_str());
    }
  }
  // The final view: the last server frame (the session's end state when it ended).
  std::string picture;
  if (viewer && !o.pngDir.empty() && shown && station.hasView()) {
    shown->apply(station.serverFrame());
    std::filesystem::create_directories(o.pngDir);
    picture = (std::filesystem::path(o.pngDir) / ("station-" + std::to_string(station.seat()) + ".png")).string();
    viewer->shoot(picture);
  }
  if (xrView && !o.pngDir.empty() && shown && station.hasView() && !xrView->done()) {
    // Both eyes of one more headset frame at the session's end state.
    shown->apply(station.serverFrame());
    const std::string stem = (std::filesystem::path(o.pngDir) / ("station-" + std::to_string(station.seat()))).string();
    xrView->shootNext(stem);
    core::InputFrame unused;
    for (int i = 0; i < 200 && xrView->shots() == 0 && !xrView->done(); ++i)
      if (xrView->beginFrame(unused)) xrView->endFrame();
    if (xrView->shots() > 0) picture = stem + "-left.png";
  }
  uint32_t validation = viewer ? viewer->validationMessages() : 0;
  if (xrView) {
    xrView->close();
    validation = xrView->validationMessages();
  }
  const bool refused = station.state() == net::StationState::Refused;
  if (o.json) {
    std::printf("{\"station\":%s,\"results\":%s,\"picture\":\"%s\",\"refusal\":\"%s\"}\n", station.statsJson().c_str(),
                station.results().empty() ? "null" : station.results().c_str(), picture.c_str(),
                station.refusal().c_str());
  } else {
    if (refused) std::fprintf(stderr, "pavilion station: refused: %s\n", station.refusal().c_str());
    if (!station.results().empty()) std::printf("%s\n", station.results().c_str());
    std::fprintf(stderr, "%s\n", station.statsLine().c_str());
    if (!picture.empty()) std::fprintf(stderr, "pavilion station: picture %s\n", picture.c_str());
  }
  if (validation > 0) {
    std::fprintf(stderr, "pavilion station: the validation layer reported %u message(s)\n", validation);
    return 3;
  }
  return refused ? 1 : 0;
}

}  // namespace pav::tools
