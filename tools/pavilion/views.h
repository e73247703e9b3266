// The pavilion program's three host::View implementations (engine/host's seam) and the devices
// a visitor brings:
//
//   WindowView    a window (Viewer): real time (the wall clock between frames), the desktop
//                 visitor's pointer and keys through Title::desktopInput; pictures on request
//   PictureView   no display (Viewer's offscreen target): as fast as it runs, one tick a
//                 frame, a picture when asked; nothing else is drawn
//   HeadsetView   a headset (XrViewer): OpenXR's frame timing paces the loop, the controllers
//                 through Title::headsetInput, both eyes' pictures on request
//   VisitorDevices the devices the title asks for (TitleInfo::devices): a wheel, laid over the
//                 visitor's input by Title::deviceInput once it is touched
//
//   WindowView view(viewer, title, seat, &devices);
//   host::Loop loop({.tickRateHz = title.info().tickRateHz});
//   while (view.open()) loop.frame(view, &input, tick, state);
#pragma once

#include <optional>
#include <string>

#include "pav/core/fixed_step.h"
#include "pav/host/host.h"
#include "pav/platform/platform.h"
#include "viewer.h"
#include "xr_viewer.h"

namespace pav::tools {

// The devices a visitor of `title` in `seat` uses besides the headset or the keys.
class VisitorDevices {
 public:
  // Opens what the title asks for; `who` starts the log line of a device found ("pavilion play").
  VisitorDevices(const core::Title& title, int seat, std::string who);
  // Reads the devices and lays them over `input`.
  void apply(core::InputFrame& input);

 private:
  const core::Title& title_;
  const int seat_;
  const std::string who_;
  std::optional<platform::Wheels> wheels_;
  core::DeviceReadings readings_;
  std::string device_;
};

class WindowView final : public host::View {
 public:
  // `viewer` has a window; `devices` may be null.
  WindowView(Viewer& viewer, const core::Title& title, int seat, VisitorDevices* devices)
      : viewer_(viewer), title_(title), seat_(seat), devices_(devices) {}
  bool begin(double tickSeconds, double& seconds, core::InputFrame* visitor) override;
  void end(const core::StateFrame& state) override;
  void shootNext(const std::string& stem) override { stem_ = stem; }
  int shots() const override { return viewer_.shots(); }
  bool open() const override { return open_; }

 private:
  Viewer& viewer_;
  const core::Title& title_;
  const int seat_;
  VisitorDevices* devices_;
  core::Stopwatch stopwatch_;
  platform::WindowEvents events_;
  std::string stem_;
  bool open_ = true, started_ = false;
};

class PictureView final : public host::View {
 public:
  // `viewer`: one with pictures, or null (headless with nothing to draw).
  explicit PictureView(Viewer* viewer) : viewer_(viewer) {}
  bool begin(double tickSeconds, double& seconds, core::InputFrame*) override {
    seconds = tickSeconds;
    return true;
  }
  void end(const core::StateFrame& state) override;
  void shootNext(const std::string& stem) override { stem_ = stem; }
  int shots() const override { return viewer_ ? viewer_->shots() : 0; }
  bool open() const override { return true; }

 private:
  Viewer* viewer_;
  std::string stem_;
};

class HeadsetView final : public host::View {
 public:
  HeadsetView(XrViewer& xr, VisitorDevices* devices) : xr_(xr), devices_(devices) {}
  bool begin(double tickSeconds, double& seconds, core::InputFrame* visitor) override;
  void end(const core::StateFrame& state) override { xr_.endFrame(state); }
  void shootNext(const std::string& stem) override { xr_.shootNext(stem); }
  int shots() const override { return xr_.shots(); }
  bool open() const override { return !xr_.done(); }

 private:
  XrViewer& xr_;
  VisitorDevices* devices_;
};

}  // namespace pav::tools
