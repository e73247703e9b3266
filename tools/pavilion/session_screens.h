// The host's session screens: what a visitor reads from the engine between the title's own
// HUD, in the headset (head-anchored panels) and in the station's window. A session runs
//
//   Lobby    welcome, the title's name, "your session starts in 8 s", how to play it in two
//            lines for the device at this station (controllers, a wheel or a bike)
//   Start    the last kStartSeconds before the play: a big 3, 2, 1 (then GO! for a second)
//   Playing  nothing of the host's (the title's HUD, Presenter::hud)
//   Warning  the last kWarnSeconds: "0:27 left" with a bar, high in the view
//   Results  kResultsSeconds after the end: a banner above the title's classification: the rank of the count, thanks
// and, over Playing and Warning, the link's notice (net::LinkState): "Reconnecting…" after half
// a second without the server, "The computer plays for you until the connection returns" once
// the seat is the bot's (shorter handovers are ridden out and say nothing).
//
// then the attract scene. sessionStage() is the one rule from the clocks to the stage;
// SessionScreens draws a stage on a ui::Canvas (pav/render/ui.h) from the engine's string
// table (assets/engine/strings.json) and the title's (<dataDir>/<id>/strings.json). Every key
// it uses is looked up when it is made, so a table without one stops start-up naming it; once
// made, draw() allocates nothing (table views, TextBuffers, fixed slots).
//
//   SessionScreens screens(engineTable);                     // throws pav::Error: a key missing
//   screens.setTitle(&titleTable, "driving", VisitorDevice::Wheel);
//   screens.draw({.stage = sessionStage(clocks), .lang = Lang::Zh, .secondsToStart = 7.2}, canvas);
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "pav/core/strings.h"
#include "pav/render/presenter.h"
#include "pav/render/ui.h"

namespace pav::tools {

// ---- [Stage] ---------------------------------------------------------------------------------

// The clocks of a session as a station knows them.
struct StageClocks {
  double secondsToStart = -1;  // until the play starts; negative: not known yet (connecting)
  double secondsLeft = -1;     // of the play; negative: no limit known
  bool ended = false;          // the session is over (its results arrived, or it stopped)
};

// Lobby while more than kStartSeconds to the start (or the start is not known yet), Start in
// the last kStartSeconds, Warning in the last kWarnSeconds of play, Playing in between,
// Results once ended.
render::HudStage sessionStage(const StageClocks& clocks);
// "lobby", "start", "playing", "warning", "results" (the log's words).
std::string_view toString(render::HudStage stage);

// A local session's clocks (`pavilion play`: no server), on the loop's own time: a start of
// `startSeconds` before the title's first tick, then the play, then kResultsSeconds of results
// once end() is called.
//
//   LocalTimeline t(noStart ? 0 : kStartSeconds);
//   tick: t.advance(dt); if (t.holding()) return; title.step(...);
//   after the title's end: t.end(); frames until t.resultsDone(), advancing t per frame.
class LocalTimeline {
 public:
  explicit LocalTimeline(double startSeconds) : start_(startSeconds) {}
  void advance(double seconds) { now_ += seconds; }
  // Still in the start: the title is not stepped yet.
  bool holding() const { return now_ < start_; }
  void end() {
    if (endedAt_ < 0) endedAt_ = now_;
  }
  bool resultsDone() const;
  // The clocks for sessionStage(), with `secondsLeft` of play (negative: no limit known).
  StageClocks clocks(double secondsLeft) const;
  // Seconds since the play started (negative before).
  double sinceStart() const { return now_ - start_; }

 private:
  double start_, now_ = 0, endedAt_ = -1;
};

// ---- [Devices] -------------------------------------------------------------------------------

// What the visitor plays with here, for the lobby's how-to-play lines.
enum class VisitorDevice : uint8_t { Controllers, Wheel, Bike };
// "controllers", "wheel", "bike": the <device> of the title table's howto.<device>.1 and .2.
std::string_view toString(VisitorDevice device);
// A wheel or a trainer the title asked for (TitleInfo::devices, core::DeviceBit) and that was
// found at this station, else the headset's controllers.
VisitorDevice visitorDevice(uint32_t asked, uint32_t found);

// ---- [Results] -------------------------------------------------------------------------------

// The visitor's place from a title's results JSON: its "ranking" (seats, best first; a
// title's results(true) carries one to have the rank shown). False when there is none or
// the seat is not in it.
bool rankOf(std::string_view resultsJson, int seat, int& rank, int& count);

// ---- [Screens] -------------------------------------------------------------------------------

// What the visitor is told of the link (net::LinkState, without the net room).
enum class LinkNotice : uint8_t { None, Interrupted, BotPlays };

// One frame of the session screens.
struct ScreenFrame {
  render::HudStage stage = render::HudStage::Lobby;
  core::Lang lang = core::Lang::Zh;
  double secondsToStart = -1;    // Lobby and Start
  double secondsSinceStart = -1; // Playing: GO! for the first kGoSeconds
  double secondsLeft = -1;       // Warning
  int rank = 0, count = 0;       // Results; 0: not known (no rank line)
  LinkNotice link = LinkNotice::None;  // Playing and Warning
};

class SessionScreens {
 public:
  static constexpr double kGoSeconds = 1.0;
  // Where the panels hang, relative to the visitor's head (metres; -Z ahead).
  static constexpr float kDistance = 1.6f;

  // Looks every engine key up: throws pav::Error naming the table and the key when one is missing.
  explicit SessionScreens(const core::StringTable& engine);
  // The title's table (null: the lobby shows `titleId` as its name and no how-to lines) and the
  // device at this station. Looks its keys up (title.name; howto.<device>.1 and .2, else
  // howto.controllers.*): throws pav::Error naming the table and the key when one is missing.
  void setTitle(const core::StringTable* title, std::string_view titleId, VisitorDevice device);

  // Draws the frame's stage (Playing draws only GO! at its start, and the link's notice when
  // there is one). Allocates nothing.
  void draw(const ScreenFrame& frame, render::ui::Canvas& canvas);

 private:
  void drawLobby(const ScreenFrame& f, render::ui::Canvas& c);
  void drawStart(const ScreenFrame& f, render::ui::Canvas& c);
  void drawGo(const ScreenFrame& f, render::ui::Canvas& c);
  void drawWarning(const ScreenFrame& f, render::ui::Canvas& c);
  void drawResults(const ScreenFrame& f, render::ui::Canvas& c);
  void drawLink(const ScreenFrame& f, render::ui::Canvas& c);

  const core::StringTable& engine_;
  struct EngineIds {
    core::StringId welcome, startsIn, connecting, howto, device, ready, go, left, timeUp, help, resultsTitle, rank, over,
        thanks, next, linkInterrupted, linkBot;
    std::array<core::StringId, 3> devices;  // by VisitorDevice
  } ids_;
  const core::StringTable* title_ = nullptr;
  std::string titleId_;
  core::StringId titleName_, howto1_, howto2_;
  VisitorDevice device_ = VisitorDevice::Controllers;
  core::TextBuffer line_;  // the line being drawn (each drawn text is laid out under its own slot)
};

}  // namespace pav::tools
