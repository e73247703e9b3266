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
//                 visitor's input by Title::deviceInput once it is touched, and what the
//                 title's presenter asks it to feel (its forces, kerbs, knocks) played on it;
//                 a smart trainer (pav/trainer/link.h, its own thread), the road sent from
//                 Title::trainerRoad and its power and cadence the rider's once it has been
//                 ridden (lost: coasting)
//
//   WindowView view(viewer, title, seat, &devices);
//   host::Loop loop({.tickRateHz = title.info().tickRateHz});
//   while (view.open()) loop.frame(view, &input, tick, state);
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "pav/core/fixed_step.h"
#include "commands.h"
#include "pav/host/host.h"
#include "pav/platform/force_feedback.h"
#include "pav/platform/platform.h"
#include "pav/render/presenter.h"
#include "pav/trainer/link.h"
#include "viewer.h"
#include "xr_viewer.h"

namespace pav::tools {

// The devices a visitor of `title` in `seat` uses besides the headset or the keys.
class VisitorDevices {
 public:
  // Opens what the title asks for; `who` starts the log line of a device found ("pavilion play");
  // `ffbStrength` 0..100 (--ffb-strength). The wheel's saved calibration is used when there
  // is one (a bad file: one line, and the pedals rest at their ends). `trainer`: which trainer
  // and how it feels the road (none: the controllers pedal).
  VisitorDevices(const core::Title& title, int seat, std::string who, int ffbStrength = 100,
                 const TrainerOptions& trainer = {});
  // Reads the devices and lays them over `input`. Never waits on a device.
  void apply(core::InputFrame& input);
  // After the frame shown: what the change since the last one feels like, on the wheel
  // (Presenter::feel's cues, paced by the wall clock). A state that stopped moving (the
  // lobby, the results) lets the wheel go after kStillStateS.
  void feel(const core::StateFrame& state);
  static constexpr double kStillStateS = 0.5;
  // What has been found so far (core::DeviceBit bits): a wheel once one answered, a trainer
  // once one was ridden (the lobby's how-to-play lines are for it then).
  uint32_t found() const {
    return (wheels_ && !device_.empty() ? uint32_t(core::kDeviceWheel) : 0u) |
           (trainerRidden_ ? uint32_t(core::kDeviceTrainer) : 0u);
  }
  // The trainer has settled: ridden once, or known to be out of reach (no BlueZ, no adapter);
  // true without a trainer. For a start that waits for the bike.
  bool trainerSettled() const;
  // The trainer's state and counts for the station's log ("" without a trainer).
  std::string trainerLine() const;
  // Times the wheel was unplugged and the trainer lost so far (the operator's alerts).
  uint32_t wheelLosses() const { return wheelLosses_; }
  // Calls for staff so far: a button of the wheel (or controller) held kCallHoldSeconds, once
  // per hold (the visitor in a headset has no keyboard; the titles use no buttons).
  uint32_t staffCalls() const { return staffCalls_; }
  static constexpr double kCallHoldSeconds = 2.0;
  uint32_t trainerLosses() const;
  // Its state in words (trainer::toString), power and cadence now; false without a trainer.
  bool trainerState(std::string& state, double& watts, double& cadenceRpm) const;

 private:
  const core::Title& title_;
  const int seat_;
  const std::string who_;
  std::optional<platform::Wheels> wheels_;
  core::DeviceReadings readings_;
  std::string device_;
  std::unique_ptr<render::Presenter> presenter_;  // the seat's, for feel() only
  std::optional<platform::ForceFeedback> feedback_;
  render::Cues cues_;
  core::StateFrame seen_;
  bool seenAny_ = false;
  core::Stopwatch clock_;
  double movedAt_ = 0;  // clock_ when the state's tick last changed
  std::unique_ptr<trainer::TrainerLink> trainer_;
  bool trainerRidden_ = false;
  uint32_t wheelLosses_ = 0;
  uint32_t staffCalls_ = 0;
  double buttonSince_ = -1;  // clock_ when a button went down (-1: none held)
  bool called_ = false;      // this hold has called
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
  void end(const core::StateFrame& state) override {
    xr_.endFrame(state);
    if (devices_) devices_->feel(state);
  }
  void shootNext(const std::string& stem) override { xr_.shootNext(stem); }
  int shots() const override { return xr_.shots(); }
  bool open() const override { return !xr_.done(); }

 private:
  XrViewer& xr_;
  VisitorDevices* devices_;
};

}  // namespace pav::tools
