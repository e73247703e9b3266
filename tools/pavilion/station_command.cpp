// `pavilion station`: a pavilion station, in one of two ways.
//   --connect HOST:PORT   joins that session server, plays the session and exits at its end.
//   --director HOST:PORT  is a station agent: it registers with the director under --name,
//                         reports its health once a second, and plays the sessions the
//                         director launches on it (StationRun each), idle in between; it keeps
//                         playing when the director goes away and registers again when it is back.
// The visitor plays in the headset where an OpenXR runtime is present (unless --no-xr or
// --headless; the window then mirrors the left eye), else in a desktop window (the pointer is
// the hockey hand, arrows or WASD drive, Up or Space pedals), or the title's bot plays (--bot).
// The start line says which it is and why. --png DIR writes the view at each session's end.
// --net-profile NAME puts the network conditioner on the links to session servers on this
// machine (the soak runs some stations on `bad`). --lang zh|en is this station's visitors'
// language (a launch's own comes first, the director's default after); the string tables
// (the engine's and every title's, under --data) are loaded and checked at start-up.
// Where a visitor watches, a session ends on its results screen (kResultsSeconds).
// What the visitor hears (station_sound.h) plays where a visitor watches, on the default audio
// device or --audio-device NAME (HRTF in the headset); a device that does not open is one log
// line and silence. The director's volume and mute (`ctl volume`, the dashboard) apply to it.
// The agent's sessions are a StationLoop (tools/director/station_loop.h); this file gives it
// StationRun and the attract scene to play with.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "agent.h"
#include "commands.h"
#include "json_lines.h"
#include "pav/core/error.h"
#include "pav/core/fixed_step.h"
#include "pav/core/title.h"
#include "station_loop.h"
#include "pav/net/conditioner.h"
#include "pav/net/transport.h"
#include "pav/platform/motion_out.h"
#include "station_run.h"
#include "station_sound.h"
#include "visitor_text.h"

namespace pav::tools {
namespace {

volatile std::sig_atomic_t gStop = 0;
void onSignal(int) { gStop = 1; }

std::string hostName() {
  char name[64] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == 0) return "station";
  std::string out = name;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '-';
  return out.substr(0, 32);
}

// How the visitor plays here; nullptr headset with the reason in `noHeadset` when not in one.
std::unique_ptr<xr::Runtime> openHeadset(const StationOptions& o, std::string& noHeadset) {
  noHeadset = o.headless ? "--headless" : o.noXr ? "--no-xr" : "";
  if (!noHeadset.empty()) return nullptr;
  return XrViewer::openHeadset(noHeadset);
}

std::string describe(const StationOptions& o, bool headset, bool window, const std::string& noHeadset) {
  return std::string(o.bot ? "bot" : headset ? "visitor in the headset" : "desktop visitor") + ", " +
         (headset ? (window ? "the window mirrors the left eye" : "no window")
                  : (window ? "in a window" : "headless") + std::string("; no headset: ") + noHeadset);
}

int reportEnd(const StationOptions& o, StationRun& run, const std::string& picture) {
  const net::SessionStation& station = run.station();
  const bool refused = station.state() == net::StationState::Refused;
  if (o.json) {
    const JsonLine line = {{"station", embeddedJson(station.statsJson())},
                           {"results", embeddedJson(station.results())},
                           {"picture", picture},
                           {"refusal", station.refusal()},
                           {"missedFrames", run.missedFrames()},
                           {"motionPackets", run.motionPackets()}};
    printJsonLine(line);
  } else {
    if (refused) std::fprintf(stderr, "pavilion station: refused: %s\n", station.refusal().c_str());
    if (!station.results().empty()) std::printf("%s\n", station.results().c_str());
    std::fprintf(stderr, "%s\n", station.statsLine().c_str());
    std::fprintf(stderr, "pavilion station: %llu frame(s) missed%s\n", static_cast<unsigned long long>(run.missedFrames()),
                 run.inHeadset() ? " (the headset's display times)" : " (at 60 Hz)");
    if (!picture.empty()) std::fprintf(stderr, "pavilion station: picture %s\n", picture.c_str());
    if (!o.motionOut.empty())
      std::fprintf(stderr, "pavilion station: %llu motion packet(s)\n", static_cast<unsigned long long>(run.motionPackets()));
    if (const std::string t = run.trainerLine(); !t.empty()) std::fprintf(stderr, "pavilion station: %s\n", t.c_str());
  }
  std::fflush(stdout);
  if (const uint32_t v = run.validationMessages(); v > 0) {
    std::fprintf(stderr, "pavilion station: the validation layer reported %u message(s)\n", v);
    return 3;
  }
  return refused ? 1 : 0;
}

// --net-profile: a conditioner in front of the session server's port (on this machine), which
// the station then joins instead; nullptr without the flag.
std::unique_ptr<net::NetConditioner> conditionLink(const StationOptions& o, uint16_t serverPort) {
  if (o.netProfile.empty()) return nullptr;
  net::NetProfile profile;
  std::string error;
  if (!net::parseNetProfile(o.netProfile, profile, error)) throw Error("--net-profile: " + error);
  return std::make_unique<net::NetConditioner>(serverPort, profile, /*seed*/ serverPort);
}

int runConnected(const StationOptions& o, const std::string& host, uint16_t port, const VisitorText& text) {
  std::unique_ptr<net::NetConditioner> wire = conditionLink(o, port);
  if (wire) port = wire->port();
  const bool window = !o.headless && haveDisplay();
  std::string noHeadset;
  std::unique_ptr<xr::Runtime> headset = openHeadset(o, noHeadset);
  // A trainer named on the command line is a way to play without a window (a bike, no screen).
  const bool trainer = o.trainer.given && o.trainer.trainer != "none";
  if (!window && !headset && !o.bot && !trainer) {
    std::fprintf(stderr, "pavilion station: no window (%s) and no headset, so nobody can play here: add --bot (or --trainer)\n",
                 o.headless ? "--headless" : "no display");
    return 2;
  }
  net::ConnectToken token{};
  if (!o.token.empty() && !net::parseTokenHex(o.token, token)) {
    std::fprintf(stderr, "pavilion station: --token: not a connect token (%zu hex digits, as `pavilion server` printed it)\n",
                 net::kConnectTokenBytes * 2);
    return 2;
  }
  if (o.token.empty() && !o.resume) {
    std::fprintf(stderr, "pavilion station: --connect needs the seat's --token (the line `pavilion server` printed)\n");
    return 2;
  }
  std::fprintf(stderr, "pavilion station: connecting to %s:%u (%s)\n", host.c_str(), unsigned(port),
               describe(o, headset != nullptr, window, noHeadset).c_str());
  StationRun run(o,
                 {.host = host, .port = port, .title = o.title,
                  .connectToken = o.token.empty() ? std::nullopt : std::optional<net::ConnectToken>(token),
                  .resumeToken = o.resume, .predict = !o.noPredict, .dataDir = o.dataDir, .dscp = o.dscp},
                 std::move(headset), window, nullptr, text, langOption(o.lang).value_or(core::Lang::Zh));
  core::Stopwatch clock;
  double nextStats = 1.0;
  while (!gStop && (o.seconds <= 0 || clock.elapsed() < o.seconds) && run.step(clock.elapsed())) {
    if (clock.elapsed() >= nextStats) {
      nextStats += 1.0;
      if (!o.json) std::fprintf(stderr, "%s\n", run.station().statsLine().c_str());
    }
  }
  const std::string picture = run.finish();
  return reportEnd(o, run, picture);
}

// ---- The agent's players: StationRun and AttractScene behind the loop's seam -------------------

// A headset's live picture and presence, for the loop's desk.
director::PlayerDesk deskOf(const render::GlanceJpeg* glance, int present) {
  director::PlayerDesk d;
  d.present = present;
  if (glance && glance->serial > 0) {
    d.jpeg = glance->bytes.data();
    d.jpegBytes = glance->size;
    d.width = int(render::kGlanceWidth);
    d.height = int(render::kGlanceHeight);
    d.serial = glance->serial;
  }
  return d;
}

class StationRunPlayer final : public director::SessionPlayer {
 public:
  StationRunPlayer(std::unique_ptr<net::NetConditioner> wire, std::unique_ptr<StationRun> run)
      : wire_(std::move(wire)), run_(std::move(run)) {}
  bool step(double now) override {
    now_ = now;
    return run_->step(now);
  }
  bool shown() const override {
    return run_->station().state() != net::StationState::Connecting && run_->station().hasView();
  }
  double secondsToStart(double now) const override { return run_->station().secondsToStart(now); }
  bool over() const override { return run_->showingResults(); }
  void setNotice(double secondsLeft) override { run_->setNotice(secondsLeft); }
  void setVolume(float volume01) override { run_->setVolume(volume01); }
  int seat() const override { return run_->station().seat(); }
  director::Health health() const override {
    director::Health h;
    h.fps = run_->fps();
    h.missedFrames = run_->missedFrames();
    h.rttMs = run_->station().stats().rttMs;
    h.loss = run_->station().stats().snapshotLoss;
    h.headset = run_->inHeadset();
    const net::StationStats& st = run_->station().stats();
    h.link = run_->station().linkState(now_);
    h.downKbps = st.downKbps;
    h.outages = st.outages;
    h.longestOutageMs = st.longestOutageMs;
    h.correctionMm = st.recentOutages.empty() ? 0.0 : st.recentOutages.back().correctionMm;
    run_->trainerState(h.trainer, h.trainerWatts, h.trainerCadenceRpm);
    return h;
  }
  std::string finish() override { return run_->finish(); }
  bool refused() const override { return run_->station().state() == net::StationState::Refused; }
  std::string refusal() const override { return run_->station().refusal(); }
  std::string results() const override { return run_->station().results(); }
  std::string statsJson() const override { return run_->station().statsJson(); }
  uint32_t validationMessages() const override { return run_->validationMessages(); }
  void askPicture() override { run_->askGlance(); }
  director::PlayerDesk desk() const override {
    director::PlayerDesk d = deskOf(run_->glance(), run_->present());
    d.staffCalls = run_->staffCalls();
    d.wheelLosses = run_->wheelLosses();
    d.trainerLosses = run_->trainerLosses();
    return d;
  }
  std::string leftWhy() const override { return run_->leftWhy(); }

 private:
  std::unique_ptr<net::NetConditioner> wire_;  // --net-profile's link; outlives the run
  std::unique_ptr<StationRun> run_;
  double now_ = 0;  // the loop's clock at the last step
};

class AttractScenePlayer final : public director::AttractPlayer {
 public:
  AttractScenePlayer(const RenderOptions& render, platform::Video& video) : scene_(render, video) {}
  AttractScenePlayer(const RenderOptions& render, std::unique_ptr<xr::Runtime> headset, bool window)
      : scene_(render, std::move(headset), window) {}
  bool step(double now) override { return scene_.step(now); }
  int frames() const override { return scene_.frames(); }
  uint32_t validationMessages() const override { return scene_.validationMessages(); }
  std::string describe() const override { return scene_.describe(); }
  void askPicture() override { scene_.askGlance(); }
  director::PlayerDesk desk() const override { return deskOf(scene_.glance(), scene_.present()); }

 private:
  AttractScene scene_;
};

class HardwarePlayers final : public director::StationPlayers {
 public:
  HardwarePlayers(const StationOptions& o, std::unique_ptr<xr::Runtime> headset, bool window, std::string noHeadset,
                  const VisitorText& text)
      : o_(o), text_(text), headset_(std::move(headset)), hasHeadset_(headset_ != nullptr), window_(window),
        noHeadset_(std::move(noHeadset)) {
    // One SDL video subsystem for all the windows the agent opens in turn (the attract scene,
    // each session's): SDL 2.26's X11 back end may fail to start it again once shut down.
    if (window_) video_.emplace();
  }
  std::unique_ptr<director::SessionPlayer> play(const director::LaunchOrder& order, const std::string& host) override {
    if (!headset_ && hasHeadset_) headset_ = openHeadset(o_, noHeadset_);
    std::unique_ptr<net::NetConditioner> wire = conditionLink(o_, order.port);
    const uint16_t port = wire ? wire->port() : order.port;
    return std::make_unique<StationRunPlayer>(std::move(wire), std::make_unique<StationRun>(
        o_, net::StationDesc{.host = host, .port = port, .title = order.title, .connectToken = order.token,
                             .predict = !o_.noPredict, .dataDir = o_.dataDir, .dscp = o_.dscp},
        std::move(headset_), window_, video_ ? &*video_ : nullptr, text_, order.lang));
  }
  // Between sessions the attract scene: in the headset where there is one (its window mirrors
  // it), else in the window; headless draws nothing. The headset's runtime is opened again for
  // each (the scene's and each session's viewer own theirs, one at a time).
  std::unique_ptr<director::AttractPlayer> attract() override {
    if (hasHeadset_) {
      if (!headset_) headset_ = openHeadset(o_, noHeadset_);
      if (headset_) return std::make_unique<AttractScenePlayer>(o_.render, std::move(headset_), window_);
      std::fprintf(stderr, "pavilion station: the headset is gone (%s): the attract scene in the window\n",
                   noHeadset_.c_str());
    }
    if (!video_) return nullptr;
    return std::make_unique<AttractScenePlayer>(o_.render, *video_);
  }
  bool headset() const override { return hasHeadset_; }

 private:
  const StationOptions& o_;
  const VisitorText& text_;
  std::unique_ptr<xr::Runtime> headset_;
  bool hasHeadset_, window_;
  std::string noHeadset_;
  std::optional<platform::Video> video_;
};

int runAgent(const StationOptions& o, const std::string& host, uint16_t port, const VisitorText& text) {
  // By default the station key file (what a station needs and no more: it cannot launch or
  // stop), falling back to the operator's file on a machine that has only that one.
  std::string keyPath = o.key;
  if (keyPath.empty()) {
    keyPath = net::ControlKey::stationPathFor(net::ControlKey::defaultPath());
    if (!std::filesystem::exists(keyPath)) keyPath = net::ControlKey::defaultPath();
  }
  const net::ControlKey key = net::ControlKey::load(keyPath);
  const std::string name = o.name.empty() ? hostName() : o.name;
  const bool window = !o.headless && haveDisplay();
  std::string noHeadset;
  std::unique_ptr<xr::Runtime> headset = openHeadset(o, noHeadset);
  if (!window && !headset && !o.bot) {
    std::fprintf(stderr, "pavilion station: no window (%s) and no headset, so nobody can play here: add --bot\n",
                 o.headless ? "--headless" : "no display");
    return 2;
  }
  std::fprintf(stderr, "pavilion station: %s, agent of the director at %s:%u (%s)\n", name.c_str(), host.c_str(),
               unsigned(port), describe(o, headset != nullptr, window, noHeadset).c_str());
  director::StationAgent agent({.host = host, .port = port, .name = name, .lang = langOption(o.lang)}, key);
  core::Stopwatch clock;
  HardwarePlayers players(o, std::move(headset), window, noHeadset, text);
  director::StationLoopDesc desc;
  if (o.json)
    desc.onEnd = [](const director::SessionEnd& e) {
      const JsonLine line = {{"session", e.session},
                             {"station", embeddedJson(e.statsJson)},
                             {"results", embeddedJson(e.results)},
                             {"picture", e.picture},
                             {"end", e.why}};
      printJsonLine(line);
      std::fflush(stdout);
    };
  director::StationLoop loop(agent, players, std::move(desc));
  while (!gStop && (o.seconds <= 0 || clock.elapsed() < o.seconds) && (o.sessions <= 0 || loop.played() < o.sessions))
    loop.step(clock.elapsed());
  loop.stop(clock.elapsed());
  // The last reports (the session ended, as stop() reported it) reach the director before the agent goes.
  for (int i = 0; i < 10; ++i) agent.update(clock.elapsed(), 10);
  return loop.exitCode();
}

}  // namespace

void addStationCommand(CLI::App& app, StationOptions& o) {
  CLI::App* c = app.add_subcommand("station", "A pavilion station: join a session, or serve a director as its agent");
  CLI::Option* connect = c->add_option("--connect", o.connect, "Join this session server, HOST:PORT");
  CLI::Option* director = c->add_option("--director", o.director, "Be a station agent of this director, HOST:PORT");
  connect->excludes(director);
  c->add_option("--name", o.name, "This station's name on the floor (default: the host name)");
  c->add_option("--key", o.key, "The pavilion's key file (default: $XDG_CONFIG_HOME/pavilion/pavilion.station.key, else pavilion.key there)");
  c->add_option("--title", o.title, "Expect this title (default: whatever the server plays)");
  c->add_flag("--bot", o.bot, "Let the title's bot play this seat");
  c->add_flag("--headless", o.headless, "No window even where there is a display (needs --bot)");
  c->add_option("--png", o.pngDir, "Write a picture of the station's view into this folder at the end");
  c->add_option("--seconds", o.seconds, "Leave after this long (default: when the session ends)")->check(CLI::Range(0.0, 86400.0));
  c->add_option("--sessions", o.sessions, "As an agent: leave after playing this many sessions (default: never)")
      ->check(CLI::Range(0, 1000000));
  c->add_option("--token", o.token, "With --connect: the seat's connect token, as `pavilion server` printed it");
  c->add_option("--resume", o.resume, "Take back the seat of an earlier run (its resume token)");
  c->add_flag("--no-predict", o.noPredict, "Draw the own object from the server's frames too");
  c->add_flag("--no-xr", o.noXr, "Never use a headset, even when an OpenXR runtime is present");
  c->add_option("--data", o.dataDir, "Folder with the titles' data files (default: assets/)");
  c->add_flag("--json", o.json, "The summary as one JSON object on stdout");
  addTrainerOptions(*c, o.trainer, "auto");
  addLangOption(*c, o.lang, "This station's visitors' language: zh or en (default: the director's; a launch's own comes first)");
  c->add_option("--dscp", o.dscp, "QoS mark (DSCP) of the station's datagrams: 46 EF (default), -1 none")
      ->check(CLI::Range(-1, 63));
  c->add_option("--net-profile", o.netProfile,
                "Condition the links to session servers on this machine (tests, the soak): " + net::netProfileHelp());
  c->add_option("--headset-off-seconds", o.headsetOffSeconds,
                 "A headset taken off this long leaves the session (the title's bot keeps the seat); default 30")
      ->check(CLI::Range(1.0, 3600.0));
  addSeatOptions(*c, o.ffbStrength, o.motionOut, o.vignette);
  addRenderOptions(*c, o.render);
  addAudioOptions(*c, o.audio, false, true);
}

int runStation(const StationOptions& o) {
  registerAllTitles();
  const bool agent = !o.director.empty();
  if (!agent && o.connect.empty()) {
    std::fprintf(stderr, "pavilion station: say where to play: --connect HOST:PORT (a session server) or --director HOST:PORT\n");
    return 2;
  }
  std::string host;
  uint16_t port = 0;
  if (!net::parseHostPort(agent ? o.director : o.connect, host, port)) {
    std::fprintf(stderr, "pavilion station: %s '%s' is not HOST:PORT (for example 127.0.0.1:%s)\n",
                 agent ? "--director" : "--connect", (agent ? o.director : o.connect).c_str(), agent ? "7700" : "7777");
    return 2;
  }
  if (!o.netProfile.empty()) {
    net::NetProfile profile;
    std::string error;
    if (!net::parseNetProfile(o.netProfile, profile, error)) {
      std::fprintf(stderr, "pavilion station: --net-profile: %s\n", error.c_str());
      return 2;
    }
    if (host != "127.0.0.1" && host != "localhost") {
      std::fprintf(stderr, "pavilion station: --net-profile conditions links to servers on this machine only (127.0.0.1), not %s\n",
                   host.c_str());
      return 2;
    }
  }
  if (!o.motionOut.empty()) {
    try {
      platform::parseMotionTarget(o.motionOut);
    } catch (const Error& e) {
      std::fprintf(stderr, "pavilion station: %s\n", e.what());
      return 2;
    }
  }
  // Every table this station may show, checked before anything starts: a bad one names its
  // file and key and stops here.
  const VisitorText text = loadVisitorText(o.dataDir, core::titleIds());
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  return agent ? runAgent(o, host, port, text) : runConnected(o, host, port, text);
}

}  // namespace pav::tools
