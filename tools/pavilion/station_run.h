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
#include <string>

#include "commands.h"
#include "pav/net/station.h"
#include "pav/platform/platform.h"
#include "viewer.h"
#include "xr_viewer.h"

namespace pav::tools {

class StationRun {
 public:
  // `headset`: an open runtime for the visitor, or null (window, pictures, or headless).
  StationRun(const StationOptions& options, const net::StationDesc& desc, std::unique_ptr<xr::Runtime> headset,
             bool window);
  ~StationRun();
  StationRun(const StationRun&) = delete;
  StationRun& operator=(const StationRun&) = delete;

  // One frame (or one network update, headless). False once the session is over for this
  // station: ended, refused, the window closed or the headset session done.
  bool step(double now);
  // Writes the pictures asked for (--png) of the session's last state; returns the first one's
  // path or "".
  std::string finish();

  const net::SessionStation& station() const { return station_; }
  bool inHeadset() const { return xrView_ != nullptr || headset_ != nullptr; }
  // Frames drawn (or updates, headless) per second over the last second.
  double fps() const { return fps_; }
  uint32_t validationMessages() const;
  // The session's time from the server's ticks (seconds since it began).
  double sessionSeconds() const;

 private:
  const StationOptions& options_;
  bool window_;
  net::SessionStation station_;
  std::unique_ptr<xr::Runtime> headset_;  // until the Welcome, then the XrViewer owns it
  std::unique_ptr<core::Title> shown_;    // a copy of the title at the station's view, for drawing
  std::unique_ptr<Viewer> viewer_;
  std::unique_ptr<XrViewer> xrView_;
  platform::WindowEvents events_;
  core::InputFrame input_;
  bool open_ = true, closed_ = false;
  double fps_ = 0, fpsFrom_ = -1;
  int frames_ = 0;
};

bool parseHostPort(const std::string& text, std::string& host, uint16_t& port);

}  // namespace pav::tools
