// One session as a station plays it: the SessionStation (network, prediction, interpolation),
// the visitor's input (headset, desktop window, or the title's bot) and the drawing (headset,
// window, pictures). `pavilion station --connect` runs one; a station agent
// (`--director`) runs one per session the director launches on it.
//
// The session's timeline (session_screens.h): the lobby and the 3-2-1 start while its server
// holds the title (the set-up state is drawn), the play, the time-up warning, and where a
// visitor watches (a window or a headset) the results for kResultsSeconds after the end, the
// last state still drawn; step() is false after them. hudContext() and screenFrame() say what
// the visitor reads now, in the resolved language, for the views' text (HUD and screens).
//
//   StationRun run(options, {.host = h, .port = p}, std::move(headset), window, nullptr, text, Lang::Zh);
//   while (run.step(clock.elapsed())) {}      // paced by the headset, the window or the network
//   run.finish(clock.elapsed());              // the final picture; then summary() / results()
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "pav/core/strings.h"
#include "pav/net/station.h"
#include "pav/render/presenter.h"
#include "session_screens.h"
#include "station_sound.h"
#include "visitor_text.h"
#include "pav/platform/motion_out.h"
#include "pav/platform/platform.h"
#include "pav/host/host.h"
#include "viewer.h"
#include "views.h"
#include "xr_viewer.h"

namespace pav::tools {

class StationRun {
 public:
  // `headset`: an open runtime for the visitor, or null (window, pictures, or headless).
  // `video`: SDL's video subsystem kept by the caller for the window (see Viewer), or null.
  // `text`: the loaded tables (kept by the caller, outliving the run); `lang`: the visitor's
  // language, resolved (the launch's, the station's, the director's default).
  StationRun(const StationOptions& options, const net::StationDesc& desc, std::unique_ptr<xr::Runtime> headset,
             bool window, platform::Video* video, const VisitorText& text, core::Lang lang);
  ~StationRun();
  StationRun(const StationRun&) = delete;
  StationRun& operator=(const StationRun&) = delete;

  // One frame (or one network update, headless). False once the session is over for this
  // station: ended, refused, the window closed or the headset session done.
  bool step(double now);
  // Writes the pictures asked for (--png) of the session's last state; returns the first one's
  // path or "".
  std::string finish();
  // The time-up notice in the headset, the window and the pictures, with this much of the
  // session left; negative: none. Kept for a view that opens later.
  void setNotice(double secondsLeft);
  // What the visitor hears, 0 (silent) .. 1 (full): the director's volume and mute. Kept for a
  // sound that opens later.
  void setVolume(float volume01);

  const net::SessionStation& station() const { return station_; }
  // Motion packets sent (--motion-out); 0 without.
  uint64_t motionPackets() const { return motion_ ? motion_->sent() : 0; }
  bool inHeadset() const { return xrView_ != nullptr || headset_ != nullptr; }
  // Frames drawn (or updates, headless) per second over the last second.
  double fps() const { return fps_; }
  // Frames missed since the session began: in the headset, display frames the runtime skipped;
  // in a window or headless, 60 Hz frames with no step at all (a step more than 1.5 frames
  // after the last one missed the frames in between: a stall, a slow frame).
  uint64_t missedFrames() const;
  uint32_t validationMessages() const;
  // The visitor's trainer: its state and counts ("" without one; VisitorDevices::trainerLine).
  std::string trainerLine() const;
  // Its state, power and cadence for the director's health report; false without one.
  bool trainerState(std::string& state, double& watts, double& cadenceRpm) const;
  // The session's time from the server's ticks (seconds since it began).
  double sessionSeconds() const;

  // ---- The operator's desk (issue 20) ----
  // The next frame drawn in the headset is copied for a live view; glance() has it a few frames
  // later (its serial grows). Null without a headset.
  void askGlance() {
    if (xrView_) xrView_->askGlance();
  }
  const render::GlanceJpeg* glance() const { return xrView_ ? &xrView_->glance() : nullptr; }
  // The visitor wears the headset: 1, 0 (taken off: the title's bot plays the seat), -1 not known.
  int present() const { return xrView_ ? xrView_->userPresent() : -1; }
  // Both grips held in the headset, or a wheel button held (views.h).
  uint64_t staffCalls() const { return (xrView_ ? xrView_->staffCalls() : 0) + (devices_ ? devices_->staffCalls() : 0); }
  uint32_t wheelLosses() const { return devices_ ? devices_->wheelLosses() : 0; }
  uint32_t trainerLosses() const { return devices_ ? devices_->trainerLosses() : 0; }
  // Why step() ended the session for this station early ("" when it did not).
  const std::string& leftWhy() const { return leftWhy_; }

  // ---- What the visitor reads (for the views' text) ----
  core::Lang lang() const { return lang_; }
  // The stage of the session at `now` (session_screens.h: sessionStage on this run's clocks).
  render::HudStage stage(double now) const;
  // Seconds of play left: the time-up notice's when the director's loop set one, else from the
  // session's length and the server's ticks; negative when no length is known.
  double secondsLeft() const;
  // For the title's HUD (Presenter::hud): the language, the title's table (null when it has
  // none), the stage and the seconds left. `head` is the view's to fill.
  render::HudContext hudContext(double now) const;
  // For the host's screens (screens().draw(screenFrame(now), canvas)).
  ScreenFrame screenFrame(double now) const;
  SessionScreens& screens() { return screens_; }
  // The session is over and its results are being shown (the results screen).
  bool showingResults() const { return endedAt_ >= 0; }

 private:
  const StationOptions& options_;
  const VisitorText& text_;
  core::Lang lang_;
  SessionScreens screens_;
  bool window_;
  platform::Video* video_;
  net::SessionStation station_;
  void openViews(const core::Title& title);
  bool stepResults(double now);
  void tellViews(double now);  // what the visitor reads this frame, to the view about to draw
  void logStage(double now);  // one line when the stage changes
  void hear(double now, const core::StateFrame& shown);  // what the visitor hears of this frame

  std::unique_ptr<xr::Runtime> headset_;  // until the Welcome, then the XrViewer owns it
  bool viewsOpen_ = false;                // the view was opened at the Welcome
  std::optional<VisitorDevices> devices_;  // what the title asks for, for a visitor
  std::unique_ptr<platform::MotionOut> motion_;  // --motion-out: the seat's motion (a motion seat)
  std::unique_ptr<Viewer> viewer_;
  std::unique_ptr<XrViewer> xrView_;
  std::unique_ptr<host::View> view_;       // over viewer_ or xrView_; null: nothing to show
  std::unique_ptr<StationSound> sound_;    // where a visitor watches, or --audio-device; null: none
  double heardAt_ = -1;                    // the station's clock at the last frame heard
  float volume_ = 1.0f;
  const core::StateFrame empty_;  // drawn before the Welcome
  core::StateFrame lobbyFrame_;   // the title's set-up state: drawn in the lobby, before the server steps it
  double endedAt_ = -1;           // the station's clock when the results screen began (-1: not over)
  double startedAt_ = -1;         // ...when the play started (GO!)
  int rank_ = 0, count_ = 0;      // the visitor's place, from the results
  uint32_t foundDevices_ = 0;     // what VisitorDevices found, as the lobby's how-to lines know it
  int loggedStage_ = -1;          // the stage last written to the log
  core::InputFrame input_;
  bool open_ = true, closed_ = false;
  double fps_ = 0, fpsFrom_ = -1, lastStep_ = -1;
  uint64_t missed_ = 0;
  int frames_ = 0;
  double notice_ = -1;
  double offSince_ = -1;  // the station's clock when the headset was taken off (-1: on)
  std::string leftWhy_;
  bool awayStep(double now);  // headset off: the bot plays; long enough: false (back to the lobby)
};

// What a station shows between sessions: a title that says it makes a good show
// (TitleInfo::showcase: hockey) played by its bots in real time (host::Loop at the title's
// tick rate), a match that ends starting again with the next seed. In the station's window
// (WindowView), or in its headset (HeadsetView: the visitor who puts it on watches from the
// presenter's spectator camera, seated there, the controllers playing nothing; the window,
// where there is a display, mirrors the left eye). A headless station draws nothing.
//
//   AttractScene attract(options.render, video);                       // the window
//   AttractScene attract(options.render, std::move(runtime), window);  // the headset
//   while (attract.step(clock.elapsed())) {}   // paced by the window's presentation or the headset
class AttractScene {
 public:
  AttractScene(const RenderOptions& render, platform::Video& video);
  AttractScene(const RenderOptions& render, std::unique_ptr<xr::Runtime> headset, bool window);
  ~AttractScene();
  AttractScene(const AttractScene&) = delete;
  AttractScene& operator=(const AttractScene&) = delete;
  // One frame of the host's loop in the view's real time: the bots' ticks, then the match
  // drawn. False once the visitor closed the window or the headset's session ended.
  bool step(double now);

  // Frames drawn (a headset's idle calls, which draw nothing, are not counted).
  int frames() const { return frames_; }
  uint32_t validationMessages() const;
  // "hockey played by its two bots" (", in the headset" there).
  std::string describe() const;
  // The operator's desk, as StationRun's (in the headset only).
  void askGlance() {
    if (xr_) xr_->askGlance();
  }
  const render::GlanceJpeg* glance() const { return xr_ ? &xr_->glance() : nullptr; }
  int present() const { return xr_ ? xr_->userPresent() : -1; }

 private:
  AttractScene(const RenderOptions& render);  // the title and its bots
  std::unique_ptr<core::Title> title_;
  core::TitleSetup setup_;
  host::Loop loop_;
  std::vector<core::InputFrame> inputs_;
  core::StateFrame frame_;
  std::unique_ptr<Viewer> viewer_;    // the window's, or
  std::unique_ptr<XrViewer> xr_;      // the headset's
  std::unique_ptr<host::View> view_;  // over the one of them there is
  int frames_ = 0;
};

}  // namespace pav::tools
