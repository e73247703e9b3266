// The pavilion program's views (see views.h).
#include "views.h"

#include <cstdio>

#include "pav/core/log.h"
#include "pav/titles.h"

namespace pav::tools {
namespace {

// A visitor at a desktop: the window's pointer and keys, for the title to read as its input.
core::DesktopControls desktopControls(const platform::WindowEvents& e) {
  return {.pointerX = e.pointerX, .pointerY = e.pointerY, .pointerDown = e.pointerDown,
          .left = e.left, .right = e.right, .up = e.up, .down = e.down, .space = e.space};
}

}  // namespace

namespace {
// The wheels' saved calibrations (pavilion wheels --calibrate); a bad file is said once and
// left out, never a reason not to play.
std::vector<platform::WheelCalibration> savedCalibrations(const std::string& who) {
  try {
    return platform::loadCalibrations(platform::calibrationPath());
  } catch (const Error& e) {
    std::fprintf(stderr, "%s: the wheel calibration is not used: %s\n", who.c_str(), e.what());
    return {};
  }
}
}  // namespace

VisitorDevices::VisitorDevices(const core::Title& title, int seat, std::string who, int ffbStrength,
                               const TrainerOptions& trainer)
    : title_(title), seat_(seat), who_(std::move(who)) {
  if ((title.info().devices & core::kDeviceTrainer) && trainer.trainer != "none") {
    trainer::LinkDesc desc;
    desc.address = trainer.trainer;
    desc.ergWatts = trainer.ergWatts;
    desc.who = who_;
    if (!trainer::parseFeel(trainer.feel, desc.feel)) desc.feel = trainer::kExpoFeel;  // the flag checked it
    trainer_ = std::make_unique<trainer::TrainerLink>(desc);
  }
  if (!(title.info().devices & core::kDeviceWheel)) return;
  wheels_.emplace(platform::WheelsDesc{.calibrations = savedCalibrations(who_)});
  feedback_.emplace(platform::ForceFeedbackDesc{.strength = ffbStrength});
  presenter_ = titles::makePresenter(title, seat);
}

void VisitorDevices::feel(const core::StateFrame& state) {
  if (!wheels_ || !feedback_ || !presenter_ || state.objects.empty()) return;
  const double now = clock_.elapsed();
  if (!seenAny_ || state.tick != seen_.tick) movedAt_ = now;
  cues_.clear();
  if (seenAny_ && now - movedAt_ < kStillStateS) presenter_->feel(seen_, state, cues_);
  feedback_->play(*wheels_, cues_, now);
  seen_ = state;  // the same size every frame: no allocation after the first
  seenAny_ = true;
}

void VisitorDevices::apply(core::InputFrame& input) {
  if (!wheels_ && !trainer_) return;
  if (wheels_) {
    wheels_->update();
    readings_.wheel = platform::wheelReading(wheels_->state());
    if (wheels_->state().present && wheels_->state().button) {
      const double now = clock_.elapsed();
      if (buttonSince_ < 0) buttonSince_ = now;
      if (!called_ && now - buttonSince_ >= kCallHoldSeconds) {
        called_ = true;
        ++staffCalls_;
        std::fprintf(stderr, "%s: the visitor calls for staff (a wheel button held %.0f s)\n", who_.c_str(), kCallHoldSeconds);
      }
    } else {
      buttonSince_ = -1;
      called_ = false;
    }
  }
  if (trainer_) {
    core::TrainerRoad road;
    if (title_.trainerRoad(seat_, road))
      trainer_->setRoad({.windSpeedMs = road.windSpeedMs, .grade = road.grade, .crr = road.crr,
                         .windResistanceKgPerM = road.windResistanceKgPerM});
    const trainer::Reading r = trainer_->reading();
    // Once ridden, the trainer is the rider's legs: a lost one coasts (0 W) until it is back;
    // before that (none found, no BlueZ) the controllers pedal.
    trainerRidden_ = r.connects > 0;
    readings_.trainer.present = trainerRidden_;
    readings_.trainer.watts = r.pedalling ? r.watts : 0.0f;
    readings_.trainer.cadenceRpm = r.pedalling ? r.cadenceRpm : 0.0f;
  }
  title_.deviceInput(readings_, seat_, input);
  if (wheels_ && !device_.empty() && wheels_->deviceName().empty()) ++wheelLosses_;  // unplugged (an alert)
  if (wheels_ && wheels_->deviceName() != device_ && !(device_ = wheels_->deviceName()).empty())
    std::fprintf(stderr, "%s: a wheel: %s%s\n", who_.c_str(), device_.c_str(),
                 wheels_->state().calibrated ? " (calibrated)" : " (not calibrated: pavilion wheels --calibrate)");
}

bool VisitorDevices::trainerSettled() const {
  if (!trainer_ || trainerRidden_) return true;
  const trainer::LinkState s = trainer_->reading().state;
  return s == trainer::LinkState::NoBluez || s == trainer::LinkState::NoAdapter || s == trainer::LinkState::Stopped;
}

uint32_t VisitorDevices::trainerLosses() const { return trainer_ ? trainer_->reading().losses : 0; }
bool VisitorDevices::trainerState(std::string& state, double& watts, double& cadenceRpm) const {
  if (!trainer_) return false;
  const trainer::Reading r = trainer_->reading();
  state = std::string(trainer::toString(r.state));
  watts = r.state == trainer::LinkState::Riding ? r.watts : 0.0;
  cadenceRpm = r.state == trainer::LinkState::Riding ? r.cadenceRpm : 0.0;
  return true;
}

std::string VisitorDevices::trainerLine() const {
  if (!trainer_) return {};
  const trainer::Reading r = trainer_->reading();
  char line[256];
  std::snprintf(line, sizeof line,
                "trainer: %s%s%s%s, connected %u time(s), lost %u time(s), %u simulation(s) and %u ERG target(s) sent "
                "(last grade %.2f %%), %u reading(s), %u refused",
                std::string(trainer::toString(r.state)).c_str(), r.name[0] ? " " : "", r.name,
                r.address[0] ? (std::string(" (") + r.address + ")").c_str() : "", r.connects, r.losses,
                r.simulationsSent, r.targetsSent, r.lastGradeSent * 100, r.notifications, r.refused);
  return line;
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
  if (devices_) devices_->feel(state);
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
