// pav::platform: the desktop side of a station through SDL2: the video subsystem, windows
// that Vulkan can draw into, the event pump (quit, resize, minimise, keys), and the driving
// devices a visitor may sit at (a real wheel with pedals, or a game controller).
//
// How to use it:
//   platform::Video video;                       // SDL_Init(VIDEO); SDL_Quit on destruction
//   platform::Window window(video, {"Pavilion", 1280, 720});
//   render::Context ctx({.presentation = true,
//                        .instanceExtensions = window.vulkanInstanceExtensions()});
//   render::WindowTarget target(ctx, window.sdl());
//   while (!events.quit) { window.pump(events); if (events.resized) target.markResized(); ... }
//
//   platform::Wheels wheels;                     // joystick + game controller; no window needed
//   each frame: wheels.update();
//               readings.wheel = platform::wheelReading(wheels.state());
//               title.deviceInput(readings, seat, input /* headset or keys */);
//
// Index: [Video and windows] Video, WindowDesc, WindowEvents, Window
//        [Driving devices]   WheelsDesc, WheelState, Wheels, wheelReading
// More of the station's side in their own headers: wheel_calibration.h (pedal calibration
// per device), force_feedback.h (the wheel's forces and a pad's rumble), motion_out.h (a
// motion seat's telemetry, Live for Speed's OutSim over UDP).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pav/core/title.h"
#include "pav/platform/wheel_calibration.h"

struct SDL_Window;
struct _SDL_Joystick;
struct _SDL_GameController;

namespace pav::platform {

// =============================================================================================
// [Video and windows]
// =============================================================================================

// SDL's video subsystem, initialised for the lifetime of this object. Throws pav::Error with
// SDL's reason (for example: no display; run under xvfb-run) when it cannot start.
class Video {
 public:
  Video();
  ~Video();
  Video(const Video&) = delete;
  Video& operator=(const Video&) = delete;
  std::string driver() const;  // "x11", "wayland", ...
};

struct WindowDesc {
  std::string title = "Pavilion";
  int width = 0, height = 0;  // 0 means 1280 x 720
  bool resizable = true;
  bool hidden = false;
};

// What happened since the last pump.
struct WindowEvents {
  bool quit = false;       // window closed or SDL_QUIT
  bool resized = false;    // the drawable size changed
  bool minimized = false;  // currently minimised
  bool escape = false;     // Escape pressed
  // Desktop play, read at each pump: the pointer over the window (0..1, y down), its left
  // button, and the keys a visitor without a headset plays with (arrows or WASD, Space).
  float pointerX = 0.5f, pointerY = 0.5f;
  bool pointerDown = false;
  bool left = false, right = false, up = false, down = false, space = false;
};

class Window {
 public:
  Window(Video& video, const WindowDesc& desc);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  SDL_Window* sdl() const { return window_; }
  // Instance extensions Vulkan needs to present to this window (VK_KHR_surface + platform).
  std::vector<const char*> vulkanInstanceExtensions() const;
  void drawableSize(int& width, int& height) const;
  void setSize(int width, int height);
  void minimize();
  void restore();
  // Drains SDL's event queue into `events` (fields are OR-ed; call reset between frames).
  void pump(WindowEvents& events);

 private:
  SDL_Window* window_ = nullptr;
  uint32_t id_ = 0;
};

// =============================================================================================
// [Driving devices] a real wheel with pedals, or a game controller, through SDL2's joystick
// and game controller subsystems. No window or video needed (headless stations and headsets
// use it too), and it reads the devices while another window has the focus.
// =============================================================================================
//
// Which device: a joystick SDL knows as a wheel first, then a game controller, then any other
// joystick with the wheel's axes; a better one plugged in later takes over. Plugging in and
// out is noticed at each update() by looking at SDL's device list, so it does not matter who
// reads SDL's event queue: Window::pump() may eat the SDL_JOYDEVICE* events first.
// update() removes only joystick and controller events (0x600..0x6FF) from the queue, so the
// window's events stay for Window::pump(), and a headless program's queue does not fill up.
//
// Signals: when Wheels is the first part of SDL to start, it starts SDL's event subsystem
// without SDL's SIGINT/SIGTERM handlers (nobody would read their SDL_QUIT). Create the Video
// first where a window should see Ctrl-C as a quit.

struct WheelsDesc {
  // A wheel's layout (raw joystick axes): steering centred, pedals anywhere. -1: no such pedal.
  // A pedal's rest: its calibration (below) where the device has one; else the end of its
  // travel nearest its first value (pedals rest at -32768 or +32767 depending on the make, so
  // a foot resting on one at start-up is read as pressed that far, not as its rest), or the
  // middle for an axis first seen within kCentredRest of 0; pressing travels to the far end.
  int steerAxis = 0;
  int throttleAxis = 1;
  int brakeAxis = 2;
  float wheelDeadzone = 0.02f;     // fraction of travel read as 0 (wheel and pedals)
  float stickDeadzone = 0.15f;     // a controller's thumbstick drifts more
  float touchThreshold = 0.08f;    // how far from rest an axis moves before the device takes over
  bool useControllers = true;      // a game controller drives when no wheel is plugged in
  bool backgroundInput = true;     // keep reading without focus (visitor in a headset)
  std::vector<WheelCalibration> calibrations;  // saved per device (loadCalibrations)
};
constexpr int kCentredRest = 1638;  // 5 % of an axis's half travel

enum class DrivingDevice { None, Wheel, Controller };

// What the device says now, in InputFrame's units. Plain data.
struct WheelState {
  DrivingDevice device = DrivingDevice::None;
  bool present = false;   // a device is open
  bool touched = false;   // moved from its rest since it was plugged in: it drives
  bool changed = false;   // a device was opened or lost in the last update()
  float steer = 0;        // -1 full left .. +1 full right
  float throttle = 0;     // 0..1
  float brake = 0;        // 0..1
  int raw[3] = {0, 0, 0}; // the axes as read: steer, throttle, brake (-32768..32767)
  bool calibrated = false; // a saved calibration is in use
  bool button = false;     // one of its buttons is held (the titles drive with the axes only: a
                           // button held a while calls for staff, VisitorDevices)
};

// Owns SDL's joystick and game controller subsystems and the one open device.
class Wheels {
 public:
  explicit Wheels(const WheelsDesc& desc = {});
  ~Wheels();
  Wheels(const Wheels&) = delete;
  Wheels& operator=(const Wheels&) = delete;

  // false (with the reason in why()) when SDL's joystick subsystem would not start; update()
  // then does nothing and state() stays absent. A station plays on without a wheel.
  bool available() const { return available_; }
  const std::string& why() const { return why_; }

  // Once a frame: notices devices plugged in and out, reads the open one.
  void update();
  const WheelState& state() const { return state_; }
  const std::string& deviceName() const { return name_; }  // "" when none
  const std::string& deviceGuid() const { return guid_; }  // SDL's GUID string; "" when none
  // The open device's joystick (a controller's own), for its force feedback; null when none.
  _SDL_Joystick* joystick() const;
  // SDL's instance id of the open device (-1: none): a new one is another device.
  int32_t instance() const { return instance_; }

  struct JoystickCloser { void operator()(_SDL_Joystick* j) const; };
  struct ControllerCloser { void operator()(_SDL_GameController* c) const; };

 private:
  struct Subsystem {  // SDL_InitSubSystem / SDL_QuitSubSystem, reference counted by SDL
    bool started = false;
    explicit Subsystem(std::string& why);
    ~Subsystem();
    Subsystem(const Subsystem&) = delete;
    Subsystem& operator=(const Subsystem&) = delete;
  };

  void close(const char* why);
  bool open(int deviceIndex, int rank);
  int rankOf(int deviceIndex) const;
  void read();

  WheelsDesc desc_;
  std::string why_;
  Subsystem subsystem_;  // first member with an SDL handle's lifetime: closed last
  bool available_ = false;
  std::unique_ptr<_SDL_GameController, ControllerCloser> controller_;
  std::unique_ptr<_SDL_Joystick, JoystickCloser> joystick_;  // the wheel (not a controller)
  int32_t instance_ = -1;  // SDL_JoystickID of the open device
  int rank_ = 0;           // 3 wheel, 2 controller, 1 other joystick
  std::string name_, guid_;
  int rest_[3] = {0, 0, 0};  // steer, throttle, brake (raw): see WheelsDesc
  int full_[3] = {0, 0, 0};  // pedals pressed all the way (raw), from a calibration
  int calibrated_ = 0;       // bit k: rest_[k] is known
  bool fromFile_ = false;    // rest_ and full_ come from a saved calibration
  std::vector<int32_t> seen_;      // instance ids at the last look at SDL's device list
  std::vector<int32_t> rejected_;  // devices that would not open or are not wheels
  WheelState state_;
};

// The wheel as a title reads it (core::Title::deviceInput, whose default core::applyWheel lets
// a present, touched wheel win for steer, throttle and brake; everything else stays the
// headset's or the keys'): touched only when present.
core::DeviceReadings::Wheel wheelReading(const WheelState& wheel);

}  // namespace pav::platform
