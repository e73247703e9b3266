// Driving devices through SDL2's joystick and game controller subsystems: a real wheel with
// pedals, or a game controller, read into InputFrame's steer / throttle / brake.
//
// Index: [Axes]       pure arithmetic: steering, pedal travel from a rest, dead zones
//        [Subsystem]  SDL_InitSubSystem without a window, without hijacking Ctrl-C
//        [Devices]    the device list, ranking, opening and losing a device
//        [Reading]    raw axes to a WheelState, rest from a calibration or the nearest end
//        [Merge]      wheelReading (the rule itself is core::applyWheel)
//
// Why the device list and not SDL_JOYDEVICEADDED / REMOVED: Window::pump() drains the whole
// event queue with SDL_PollEvent, so whichever of the two runs first would see those events.
// SDL_JoystickUpdate() runs every driver's Detect() (udev, inotify or the virtual driver), and
// SDL_NumJoysticks() / SDL_JoystickGetAttached() then tell the truth whoever read the queue.
#include <SDL2/SDL.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "pav/core/log.h"
#include "pav/core/title.h"
#include "pav/platform/platform.h"

namespace pav::platform {

// ---- [Axes] -------------------------------------------------------------------------------

namespace {

constexpr float kAxisMax = 32767.0f;

// Centred axis (wheel, stick) to -1..+1, with a dead zone around the centre and the rest of the
// travel stretched so full lock still reads 1.
float centred(int raw, float deadzone) {
  const float v = std::clamp(float(raw) / kAxisMax, -1.0f, 1.0f);
  const float a = std::abs(v);
  if (a <= deadzone) return 0.0f;
  return std::copysign((a - deadzone) / (1.0f - deadzone), v);
}

// How far a pedal has travelled from `rest` (0..1). A pedal resting near one end (the usual
// -32768 or +32767) travels towards the other; one resting near the middle may go either
// way. Jitter past an end-rest reads 0, not as a press in the wrong direction.
float pedalTravel(int raw, int rest) {
  const bool restLow = rest < -16384, restHigh = rest > 16383;
  if (raw > rest && !restHigh) return float(raw - rest) / float(32767 - rest);
  if (raw < rest && !restLow) return float(rest - raw) / float(rest + 32768);
  return 0.0f;
}

// A calibrated pedal: the share of the way from its rest to its full press.
float calibratedTravel(int raw, int rest, int full) {
  if (full == rest) return 0.0f;
  return std::clamp(float(raw - rest) / float(full - rest), 0.0f, 1.0f);
}

// An uncalibrated pedal's rest from its first value: the nearer end, or the middle.
int restFromFirst(int first) {
  if (std::abs(first) <= kCentredRest) return 0;
  return first < 0 ? -32768 : 32767;
}

float pastDeadzone(float travel, float deadzone) {
  if (travel <= deadzone) return 0.0f;
  return std::min(1.0f, (travel - deadzone) / (1.0f - deadzone));
}

const char* deviceWord(DrivingDevice d) {
  switch (d) {
    case DrivingDevice::Wheel: return "wheel";
    case DrivingDevice::Controller: return "game controller";
    default: return "none";
  }
}

}  // namespace

_SDL_Joystick* Wheels::joystick() const {
  if (controller_) return SDL_GameControllerGetJoystick(controller_.get());
  return joystick_.get();
}

void Wheels::JoystickCloser::operator()(_SDL_Joystick* j) const { SDL_JoystickClose(j); }
void Wheels::ControllerCloser::operator()(_SDL_GameController* c) const { SDL_GameControllerClose(c); }

// ---- [Subsystem] --------------------------------------------------------------------------

namespace {
constexpr Uint32 kSubsystems = SDL_INIT_JOYSTICK | SDL_INIT_GAMECONTROLLER;
}

Wheels::Subsystem::Subsystem(std::string& why) {
  // Started first, SDL's event subsystem would install SIGINT / SIGTERM handlers that turn
  // Ctrl-C into an SDL_QUIT nobody reads in a headless program. Ask it not to, for this start
  // only; the hint goes back to what it was.
  const bool eventsUp = SDL_WasInit(SDL_INIT_EVENTS) != 0;
  std::string previous;
  bool hadPrevious = false;
  if (!eventsUp) {
    if (const char* p = SDL_GetHint(SDL_HINT_NO_SIGNAL_HANDLERS)) previous = p, hadPrevious = true;
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  }
  started = SDL_InitSubSystem(kSubsystems) == 0;
  if (!started) why = std::string("SDL's joystick subsystem did not start: ") + SDL_GetError();
  if (!eventsUp) {
    if (hadPrevious) SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, previous.c_str());
    else SDL_ResetHint(SDL_HINT_NO_SIGNAL_HANDLERS);
  }
}

Wheels::Subsystem::~Subsystem() {
  if (started) SDL_QuitSubSystem(kSubsystems);
}

namespace {
// Before the subsystem starts: SDL ignores joystick input while none of its windows has the
// keyboard focus unless told otherwise, and a visitor in a headset rarely focuses the mirror.
const WheelsDesc& withHints(const WheelsDesc& desc) {
  if (desc.backgroundInput) SDL_SetHint(SDL_HINT_JOYSTICK_ALLOW_BACKGROUND_EVENTS, "1");
  return desc;
}
}  // namespace

Wheels::Wheels(const WheelsDesc& desc) : desc_(withHints(desc)), subsystem_(why_) {
  available_ = subsystem_.started;
  if (!available_) {
    PAV_WARN("no driving wheel or controller: %s", why_.c_str());
    return;
  }
  seen_.reserve(16);
  update();
}

Wheels::~Wheels() { close(nullptr); }

// ---- [Devices] ----------------------------------------------------------------------------

// 3: SDL knows it as a wheel; 2: a game controller with a mapping; 1: another joystick that
// may be a wheel SDL does not know (opened to count its axes); 0: not a driving device.
int Wheels::rankOf(int deviceIndex) const {
  const SDL_JoystickType type = SDL_JoystickGetDeviceType(deviceIndex);
  if (type == SDL_JOYSTICK_TYPE_WHEEL) return 3;
  if (SDL_IsGameController(deviceIndex)) return desc_.useControllers ? 2 : 0;
  if (type == SDL_JOYSTICK_TYPE_UNKNOWN) return 1;
  return 0;  // flight sticks, guitars, dance pads...
}

bool Wheels::open(int deviceIndex, int rank) {
  const int32_t id = SDL_JoystickGetDeviceInstanceID(deviceIndex);
  std::unique_ptr<_SDL_GameController, ControllerCloser> controller;
  std::unique_ptr<_SDL_Joystick, JoystickCloser> joystick;
  if (rank == 2) {
    controller.reset(SDL_GameControllerOpen(deviceIndex));
  } else {
    joystick.reset(SDL_JoystickOpen(deviceIndex));
    const int needed = std::max({desc_.steerAxis, desc_.throttleAxis, desc_.brakeAxis}) + 1;
    if (joystick && rank == 1 && SDL_JoystickNumAxes(joystick.get()) < needed) {
      rejected_.push_back(id);  // not a wheel; do not open it again
      return false;
    }
  }
  if (!controller && !joystick) {
    PAV_WARN("cannot open driving device %d: %s", deviceIndex, SDL_GetError());
    rejected_.push_back(id);
    return false;
  }
  close("replaced by a better one");
  controller_ = std::move(controller);
  joystick_ = std::move(joystick);
  instance_ = id;
  rank_ = rank;
  const char* name = controller_ ? SDL_GameControllerName(controller_.get())
                                 : SDL_JoystickName(joystick_.get());
  name_ = name ? name : "unnamed";
  char guid[33] = {0};
  SDL_JoystickGetGUIDString(SDL_JoystickGetDeviceGUID(deviceIndex), guid, sizeof guid);
  guid_ = guid;
  calibrated_ = 0;
  fromFile_ = false;
  // A saved calibration for this make and model (a wheel's axes; a controller's are SDL's).
  if (joystick_)
    for (const WheelCalibration& c : desc_.calibrations)
      if (c.guid == guid_) {
        rest_[0] = c.steerCentre, full_[0] = 0;
        rest_[1] = c.throttle.rest, full_[1] = c.throttle.full;
        rest_[2] = c.brake.rest, full_[2] = c.brake.full;
        calibrated_ = 7;
        fromFile_ = true;
        PAV_INFO("driving device %s: its saved calibration", name_.c_str());
      }
  state_ = {};
  state_.device = controller_ ? DrivingDevice::Controller : DrivingDevice::Wheel;
  state_.present = true;
  state_.changed = true;
  PAV_INFO("driving device: %s (%s)", name_.c_str(), deviceWord(state_.device));
  // A freshly opened device may have no values until its driver's next update (SDL's virtual
  // joysticks have none): fetch them now so this update() already reads it.
  SDL_JoystickUpdate();
  return true;
}

void Wheels::close(const char* why) {
  if (instance_ < 0) return;
  if (why) PAV_INFO("driving device %s: %s", why, name_.c_str());
  joystick_.reset();
  controller_.reset();
  instance_ = -1;
  rank_ = 0;
  name_.clear();
  guid_.clear();
  calibrated_ = 0;
  fromFile_ = false;
  state_ = {};
  state_.changed = true;
}

void Wheels::update() {
  if (!available_) return;
  state_.changed = false;
  SDL_JoystickUpdate();  // drivers detect hot-plugging and refresh the open device's axes

  const bool lost = controller_ ? !SDL_GameControllerGetAttached(controller_.get())
                    : joystick_ ? !SDL_JoystickGetAttached(joystick_.get())
                                : false;
  if (lost) close("unplugged");

  // Look for a better device only when the list of devices changed.
  const int count = SDL_NumJoysticks();
  bool same = int(seen_.size()) == count;
  for (int i = 0; same && i < count; ++i) same = seen_[size_t(i)] == SDL_JoystickGetDeviceInstanceID(i);
  if (!same) {
    seen_.clear();
    for (int i = 0; i < count; ++i) seen_.push_back(SDL_JoystickGetDeviceInstanceID(i));
    // Best first; a device that fails to open (or has too few axes) gives way to the next.
    for (int tries = 0; tries < count; ++tries) {
      int best = -1, bestRank = rank_;
      for (int i = 0; i < count; ++i) {
        const int32_t id = seen_[size_t(i)];
        if (id == instance_ || std::find(rejected_.begin(), rejected_.end(), id) != rejected_.end()) continue;
        const int r = rankOf(i);
        if (r > bestRank) best = i, bestRank = r;
      }
      if (best < 0 || open(best, bestRank)) break;
    }
  }
  // Joystick and controller events only: the window's events stay for Window::pump(), and a
  // program without a window does not fill SDL's queue with axis motion.
  SDL_Event events[32];
  while (SDL_PeepEvents(events, 32, SDL_GETEVENT, SDL_JOYAXISMOTION, SDL_FINGERDOWN - 1) > 0) {
  }
  read();
}

// ---- [Reading] ----------------------------------------------------------------------------

void Wheels::read() {
  if (!state_.present) return;
  int raw[3] = {0, 0, 0};
  bool have[3] = {false, false, false};
  float deadzone = desc_.wheelDeadzone;
  if (controller_) {
    SDL_GameController* c = controller_.get();
    raw[0] = SDL_GameControllerGetAxis(c, SDL_CONTROLLER_AXIS_LEFTX);
    raw[1] = SDL_GameControllerGetAxis(c, SDL_CONTROLLER_AXIS_TRIGGERRIGHT);
    raw[2] = SDL_GameControllerGetAxis(c, SDL_CONTROLLER_AXIS_TRIGGERLEFT);
    have[0] = have[1] = have[2] = true;
    // SDL's controller axes are already normalised: sticks rest centred, triggers at 0.
    for (int k = 0; k < 3; ++k) rest_[k] = 0;
    calibrated_ = 7;
    deadzone = desc_.stickDeadzone;
  } else {
    SDL_Joystick* j = joystick_.get();
    const int axes = SDL_JoystickNumAxes(j);
    const int layout[3] = {desc_.steerAxis, desc_.throttleAxis, desc_.brakeAxis};
    for (int k = 0; k < 3; ++k) {
      const int axis = layout[k];
      if (axis < 0 || axis >= axes) continue;
      raw[k] = SDL_JoystickGetAxis(j, axis);
      have[k] = true;
      // Without a calibration: the steering's first value is where it was let go (for
      // "touched"), a pedal's rest the end nearest its first value (restFromFirst). open() ran
      // the driver once, so this is the device's own value (SDL_JoystickGetAxisInitialState
      // is no help: SDL claims an initial 0 for devices it believes centred, virtual ones
      // among them).
      if (!(calibrated_ & (1 << k))) {
        rest_[k] = k == 0 ? raw[k] : restFromFirst(raw[k]);
        calibrated_ |= 1 << k;
      }
    }
  }

  const float steerMoved = have[0] ? std::abs(float(raw[0] - rest_[0])) / kAxisMax : 0.0f;
  const auto travel = [&](int k) {
    if (!have[k]) return 0.0f;
    return fromFile_ ? calibratedTravel(raw[k], rest_[k], full_[k]) : pedalTravel(raw[k], rest_[k]);
  };
  const float throttleTravel = travel(1);
  const float brakeTravel = travel(2);
  for (int k = 0; k < 3; ++k) state_.raw[k] = raw[k];
  state_.calibrated = fromFile_;
  state_.steer = have[0] ? centred(fromFile_ ? raw[0] - rest_[0] : raw[0], deadzone) : 0.0f;
  state_.throttle = pastDeadzone(throttleTravel, desc_.wheelDeadzone);
  state_.brake = pastDeadzone(brakeTravel, desc_.wheelDeadzone);
  const float t = desc_.touchThreshold;
  if (steerMoved > t || throttleTravel > t || brakeTravel > t) state_.touched = true;
  state_.button = false;
  if (controller_) {
    for (int b = 0; b < SDL_CONTROLLER_BUTTON_MAX && !state_.button; ++b)
      state_.button = SDL_GameControllerGetButton(controller_.get(), SDL_GameControllerButton(b)) != 0;
  } else {
    const int buttons = SDL_JoystickNumButtons(joystick_.get());
    for (int b = 0; b < buttons && !state_.button; ++b) state_.button = SDL_JoystickGetButton(joystick_.get(), b) != 0;
  }
}

// ---- [Merge] ------------------------------------------------------------------------------

core::DeviceReadings::Wheel wheelReading(const WheelState& wheel) {
  return {.touched = wheel.present && wheel.touched, .steer = wheel.steer, .throttle = wheel.throttle, .brake = wheel.brake};
}


}  // namespace pav::platform
