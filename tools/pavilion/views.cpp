// The pavilion program's views (see views.h).
#include "views.h"

#include <cstdio>

namespace pav::tools {
namespace {

// A visitor at a desktop: the window's pointer and keys, for the title to read as its input.
core::DesktopControls desktopControls(const platform::WindowEvents& e) {
  return {.pointerX = e.pointerX, .pointerY = e.pointerY, .pointerDown = e.pointerDown,
          .left = e.left, .right = e.right, .up = e.up, .down = e.down, .space = e.space};
}

}  // namespace

VisitorDevices::VisitorDevices(const core::Title& title, int seat, std::string who)
    : title_(title), seat_(seat), who_(std::move(who)) {
  if (title.info().devices & core::kDeviceWheel) wheels_.emplace();
}

void VisitorDevices::apply(core::InputFrame& input) {
  if (!wheels_) return;
  wheels_->update();
  readings_.wheel = platform::wheelReading(wheels_->state());
  title_.deviceInput(readings_, seat_, input);
  if (wheels_->deviceName() != device_ && !(device_ = wheels_->deviceName()).empty())
    std::fprintf(stderr, "%s: a wheel: %s\n", who_.c_str(), device_.c_str());
}

bool WindowView::begin(double, double& seconds, core::InputFrame* visitor) {
  // Real time: the wall clock since the last frame (nothing before the first).
  seconds = stopwatch_.lap();
  if (!started_) seconds = 0, started_ = true;
  if (visitor) {
    title_.desktopInput(desktopControls(events_), seat_, *visitor);
    if (devices_) devices_->apply(*visitor);
  }
  return true;
}

void WindowView::end(const core::StateFrame& state) {
  if (!stem_.empty()) {
    viewer_.shoot(stem_ + ".png", state);
    stem_.clear();
  }
  open_ = viewer_.show(state, &events_) && open_;
}

void PictureView::end(const core::StateFrame& state) {
  if (stem_.empty() || !viewer_) return;
  viewer_->shoot(stem_ + ".png", state);
  stem_.clear();
}

bool HeadsetView::begin(double, double& seconds, core::InputFrame* visitor) {
  core::InputFrame controllers;
  if (!xr_.beginFrame(controllers)) return false;  // idle or stopping: beginFrame waited a little
  seconds = xr_.frameSeconds();
  if (visitor) {
    *visitor = controllers;
    if (devices_) devices_->apply(*visitor);
  }
  return true;
}

}  // namespace pav::tools
