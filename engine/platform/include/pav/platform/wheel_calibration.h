// pav::platform wheel calibration: where a wheel's pedals rest and how far they travel, and
// where its steering is centred, saved per device by `pavilion wheels --calibrate` so that a
// station never has to guess from its first reading (a foot resting on a pedal at start-up).
//
//   std::vector<WheelCalibration> saved = loadCalibrations(calibrationPath());  // none: empty
//   platform::Wheels wheels({.calibrations = saved});
//
//   Calibrator cal;                      // the --calibrate steps, fed raw readings
//   each frame: wheels.update(); cal.feed(wheels.state(), seconds);
//               say cal.prompt() when cal.step() changes; stop at Calibrator::Step::Done
//   saved.push_back(cal.result(wheels.deviceGuid(), wheels.deviceName()));
//   saveCalibrations(calibrationPath(), saved);
//
// The file (text, one device a line; '#' starts a comment):
//   <guid: 32 hex digits> steer <centre> throttle <rest> <full> brake <rest> <full> [<name>]
// Raw values are SDL's, -32768..32767; a pedal with no axis has rest == full == 0. A bad file
// is a pav::Error naming the file, the line and the problem; Wheels plays on without it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pav::platform {

struct WheelState;

struct PedalCalibration {
  int rest = 0;  // raw value released
  int full = 0;  // raw value pressed all the way
  bool valid() const;  // rest and full far enough apart to be a pedal's travel
};

struct WheelCalibration {
  std::string guid;  // SDL_JoystickGetGUIDString: the make and model, the same on every port
  std::string name;  // for people reading the file
  int steerCentre = 0;
  PedalCalibration throttle, brake;
};

// $XDG_CONFIG_HOME/pavilion/wheels.txt, else ~/.config/pavilion/wheels.txt (the pavilion key's
// folder). Throws pav::Error when neither variable is set.
std::string calibrationPath();
// The saved calibrations; a missing file is none. Throws pav::Error "<file>:<line>: <problem>".
std::vector<WheelCalibration> loadCalibrations(const std::string& path);
std::vector<WheelCalibration> parseCalibrations(const std::string& text, const std::string& fileName);
// Writes them all (replacing a device's earlier line), durably.
void saveCalibrations(const std::string& path, const std::vector<WheelCalibration>& all);
// The file's text for them.
std::string formatCalibrations(const std::vector<WheelCalibration>& all);
// Adds or replaces `c` (by guid).
void putCalibration(std::vector<WheelCalibration>& all, const WheelCalibration& c);

// The steps of `pavilion wheels --calibrate`, fed the open wheel's raw axes each frame; time
// is passed in. Hands off: the rest is what the axes hold still at; each pedal: pressed all
// the way and let go, its far end is what it reached.
class Calibrator {
 public:
  enum class Step : uint8_t { HandsOff, Throttle, Brake, Done };
  static constexpr double kStillSeconds = 1.5;    // hands off this long, the axes within kJitter
  static constexpr int kJitter = 1200;            // raw units an axis may wander while still
  static constexpr int kMinTravel = 8192;         // a pedal press must travel this far (1/8)

  void feed(const WheelState& wheel, double seconds);
  Step step() const { return step_; }
  // What to tell the person for the current step.
  const char* prompt() const;
  WheelCalibration result(const std::string& guid, const std::string& name) const;

 private:
  Step step_ = Step::HandsOff;
  int still_[3] = {0, 0, 0};
  double stillSince_ = -1;
  int rest_[3] = {0, 0, 0};
  int far_ = 0;
  bool pressed_ = false;
  PedalCalibration throttle_, brake_;
};

}  // namespace pav::platform
