// One session as a station plays it: the SessionStation (network, prediction, interpolation),
// the visitor's input (headset, desktop window, or the title's bot) and the drawing (headset,
// window, pictures). `pavilion station --connect` runs one; a station agent
// (`--director`) runs one per session the director launches on it.
//
//   StationRun run(options, {.host = h, .port = p}, std::move(headset), window);
//   while (run.step(clock.elapsed())) {}      // paced by the headset, the window or the network
//   run.finish(clock.elapsed());              // the final picture; then summary() / results()
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "pav/net/station.h"
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
  StationRun(const StationOptions& options, const net::StationDesc& desc, std::unique_ptr<xr::Runtime> headset,
             bool window, platform::Video* video = nullptr);
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

  const net::SessionStation& station() const { return station_; }
  bool inHeadset() const { return xrView_ != nullptr || headset_ != nullptr; }
  // Frames drawn (or updates, headless) per second over the last second.
  double fps() const { return fps_; }
  // Frames missed since the session began: in the headset, display frames the runtime skipped;
  // in a window or headless, 60 Hz frames with no step at all (a step more than 1.5 frames
  // after the last one missed the frames in between: a stall, a slow frame).
  uint64_t missedFrames() const;
  uint32_t validationMessages() const;
  // The session's time from the server's ticks (seconds since it began).
  double sessionSeconds() const;

 private:
  const StationOptions& options_;
  bool window_;
  platform::Video* video_;
  net::SessionStation station_;
  void openViews(const core::Title& title);

  std::unique_ptr<xr::Runtime> headset_;  // until the Welcome, then the XrViewer owns it
  bool viewsOpen_ = false;                // the view was opened at the Welcome
  std::optional<VisitorDevices> devices_;  // what the title asks for, for a visitor
  std::unique_ptr<Viewer> viewer_;
  std::unique_ptr<XrViewer> xrView_;
  std::unique_ptr<host::View> view_;       // over viewer_ or xrView_; null: nothing to show
  const core::StateFrame empty_;  // drawn before the first state arrives
  core::InputFrame input_;
  bool open_ = true, closed_ = false;
  double fps_ = 0, fpsFrom_ = -1, lastStep_ = -1;
  uint64_t missed_ = 0;
  int frames_ = 0;
  double notice_ = -1;
};

// What a station with a window shows between sessions: a title that says it makes a good show
// (TitleInfo::showcase: hockey) played by its bots in real time (host::Loop at the title's
// tick rate over a WindowView), in the station's window; a match that ends starts again
// with the next seed. Only the window: a headset shows nothing between sessions for now, a
// headless station draws nothing.
//
//   AttractScene attract(options.render, video);
//   while (attract.step(clock.elapsed())) {}   // paced by the window's presentation
class AttractScene {
 public:
  AttractScene(const RenderOptions& render, platform::Video& video);
  // One frame of the host's loop in the window's real time (host::Loop, WindowView): the
  // bots' ticks, then the match drawn. False once the visitor closed the window.
  bool step(double now);

  int frames() const { return frames_; }
  uint32_t validationMessages() const { return viewer_->validationMessages(); }
  // "hockey played by its two bots".
  std::string describe() const;

 private:
  std::unique_ptr<core::Title> title_;
  core::TitleSetup setup_;
  host::Loop loop_;
  std::vector<core::InputFrame> inputs_;
  core::StateFrame frame_;
  std::unique_ptr<Viewer> viewer_;
  std::unique_ptr<WindowView> view_;
  int frames_ = 0;
};

}  // namespace pav::tools
