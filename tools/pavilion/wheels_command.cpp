// `pavilion wheels`: the driving devices plugged into this machine, each with its saved
// calibration, and `pavilion wheels --calibrate`: hands off, then each pedal pressed all the
// way and let go, saved for the device's make and model (platform/wheel_calibration.h) in
// $XDG_CONFIG_HOME/pavilion/wheels.txt (--file: another). Also the options a seat at a wheel
// has on `station` and `play` (--ffb-strength, --motion-out).
#include <CLI/CLI.hpp>
#include <SDL2/SDL.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "commands.h"
#include "pav/core/error.h"
#include "pav/core/fixed_step.h"
#include "pav/platform/platform.h"
#include "pav/platform/wheel_calibration.h"

namespace pav::tools {

void addSeatOptions(CLI::App& command, int& ffbStrength, std::string& motionOut, int& vignette) {
  command.add_option("--vignette", vignette,
                     "Comfort: how dark the view's edges may get while the seat turns or brakes hard, 0 (never) to 100")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  command.add_option("--ffb-strength", ffbStrength, "The wheel's force feedback, 0 (none) to 100 (full)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  command.add_option("--motion-out", motionOut,
                     "Send the seat's motion to a motion platform, HOST:PORT (Live for Speed OutSim, 60 Hz UDP)");
}

void addWheelsCommand(CLI::App& app, WheelsOptions& o) {
  CLI::App* c = app.add_subcommand("wheels", "List the driving wheels and game controllers; --calibrate one");
  c->add_flag("--calibrate", o.calibrate, "Calibrate the wheel plugged in (its pedals' rest and travel) and save it");
  c->add_option("--wait", o.wait, "Seconds to wait for a device")->check(CLI::Range(0.0, 600.0))->capture_default_str();
  c->add_option("--file", o.file, "The calibration file (default: $XDG_CONFIG_HOME/pavilion/wheels.txt)");
}

namespace {

constexpr double kCalibrateLimitS = 120;

void sleepFrame() { std::this_thread::sleep_for(std::chrono::milliseconds(10)); }

const char* typeWord(SDL_JoystickType t, bool controller) {
  if (t == SDL_JOYSTICK_TYPE_WHEEL) return "wheel";
  if (controller) return "game controller";
  return "joystick";
}

}  // namespace

int runWheels(const WheelsOptions& o) {
  const std::string path = o.file.empty() ? platform::calibrationPath() : o.file;
  std::vector<platform::WheelCalibration> saved;
  try {
    saved = platform::loadCalibrations(path);
  } catch (const Error& e) {
    std::fprintf(stderr, "pavilion wheels: the calibration file is bad: %s; fix it or remove it\n", e.what());
    return 1;
  }
  platform::Wheels wheels({.calibrations = saved});
  if (!wheels.available()) {
    std::fprintf(stderr, "pavilion wheels: %s\n", wheels.why().c_str());
    return 1;
  }
  core::Stopwatch clock;
  while (!wheels.state().present && clock.elapsed() < o.wait && o.calibrate) {
    sleepFrame();
    wheels.update();
  }

  if (!o.calibrate) {
    const int n = SDL_NumJoysticks();
    std::printf("%d device(s); calibrations in %s (%zu saved)\n", n, path.c_str(), saved.size());
    for (int i = 0; i < n; ++i) {
      char guid[33] = {0};
      SDL_JoystickGetGUIDString(SDL_JoystickGetDeviceGUID(i), guid, sizeof guid);
      const char* name = SDL_JoystickNameForIndex(i);
      bool calibrated = false;
      for (const platform::WheelCalibration& c : saved) calibrated = calibrated || c.guid == guid;
      std::printf("  %s: %s, %s%s\n", name ? name : "unnamed", typeWord(SDL_JoystickGetDeviceType(i), SDL_IsGameController(i)),
                  guid, calibrated ? ", calibrated" : "");
    }
    return 0;
  }

  if (!wheels.state().present) {
    std::fprintf(stderr, "pavilion wheels: no wheel or game controller found in %g s; plug one in and run it again\n", o.wait);
    return 1;
  }
  if (wheels.state().device == platform::DrivingDevice::Controller) {
    std::fprintf(stderr, "pavilion wheels: %s is a game controller: SDL calibrates those, nothing to do\n",
                 wheels.deviceName().c_str());
    return 1;
  }
  std::printf("pavilion wheels: calibrating %s (%s)\n", wheels.deviceName().c_str(), wheels.deviceGuid().c_str());
  platform::Calibrator cal;
  int said = -1;
  const double start = clock.elapsed();
  while (cal.step() != platform::Calibrator::Step::Done) {
    if (clock.elapsed() - start > kCalibrateLimitS) {
      std::fprintf(stderr, "pavilion wheels: the calibration did not finish in %.0f s; nothing saved\n", kCalibrateLimitS);
      return 1;
    }
    wheels.update();
    if (!wheels.state().present) {
      std::fprintf(stderr, "pavilion wheels: the wheel was unplugged; nothing saved\n");
      return 1;
    }
    cal.feed(wheels.state(), clock.elapsed());
    if (int(cal.step()) != said) {
      said = int(cal.step());
      if (cal.step() != platform::Calibrator::Step::Done) std::printf("  %s\n", cal.prompt());
      std::fflush(stdout);
    }
    sleepFrame();
  }
  const platform::WheelCalibration c = cal.result(wheels.deviceGuid(), wheels.deviceName());
  platform::putCalibration(saved, c);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  platform::saveCalibrations(path, saved);
  std::printf("pavilion wheels: saved in %s: steering centre %d, throttle %d..%d, brake %d..%d\n", path.c_str(),
              c.steerCentre, c.throttle.rest, c.throttle.full, c.brake.rest, c.brake.full);
  return 0;
}

}  // namespace pav::tools
