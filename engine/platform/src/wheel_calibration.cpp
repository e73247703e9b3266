// Wheel calibration: the file of saved calibrations (one device a line) and the steps of
// `pavilion wheels --calibrate` (wheel_calibration.h).
//
// Index: [File]        path, parse, format, save
//        [Calibrator]  hands off, throttle, brake
#include "pav/platform/wheel_calibration.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>

#include "pav/core/durable_file.h"
#include "pav/core/error.h"
#include "pav/platform/platform.h"

namespace pav::platform {

// ---- [File] -------------------------------------------------------------------------------

bool PedalCalibration::valid() const { return std::abs(full - rest) >= Calibrator::kMinTravel; }

std::string calibrationPath() {
  // The XDG base directory spec: a relative $XDG_CONFIG_HOME is to be ignored.
  const char* config = std::getenv("XDG_CONFIG_HOME");
  if (config && config[0] == '/') return std::string(config) + "/pavilion/wheels.txt";
  const char* home = std::getenv("HOME");
  if (home && home[0]) return std::string(home) + "/.config/pavilion/wheels.txt";
  ::pav::fail("neither $XDG_CONFIG_HOME nor $HOME is set, so there is no place for the wheels' calibration");
}

namespace {

bool isGuid(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(uint8_t(c)) != 0; });
}

// A word of the file as a message shows it: printable, and short.
std::string shown(const std::string& word) {
  std::string out;
  for (char c : word.substr(0, 40)) out += std::isprint(uint8_t(c)) ? c : '?';
  return out;
}

// One raw axis value, -32768..32767.
bool rawValue(const std::string& word, int& out) {
  const char* end = word.data() + word.size();
  const auto r = std::from_chars(word.data(), end, out);
  return r.ec == std::errc() && r.ptr == end && out >= -32768 && out <= 32767;
}

}  // namespace

std::vector<WheelCalibration> parseCalibrations(const std::string& text, const std::string& fileName) {
  std::vector<WheelCalibration> all;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const auto fail = [&](const std::string& what) {
      ::pav::fail("%s:%d: %s (expected: <guid> steer <centre> throttle <rest> <full> brake <rest> <full> [name]; "
               "pavilion wheels --calibrate writes it)",
               fileName.c_str(), number, what.c_str());
    };
    if (const size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string guid;
    if (!(words >> guid)) continue;  // blank or a comment
    if (!isGuid(guid)) fail("'" + shown(guid) + "' is not a device's GUID (32 hex digits)");
    WheelCalibration c;
    c.guid = guid;
    std::string key, a, b;
    const auto value = [&](const char* expectedKey, int& out) {
      if (!rawValue(a, out)) fail(std::string("the ") + expectedKey + " value '" + shown(a) + "' is not a raw axis value (-32768..32767)");
    };
    if (!(words >> key >> a) || key != "steer") fail("'steer <centre>' missing");
    value("steer", c.steerCentre);
    for (PedalCalibration* pedal : {&c.throttle, &c.brake}) {
      const char* expectedKey = pedal == &c.throttle ? "throttle" : "brake";
      if (!(words >> key >> a >> b) || key != expectedKey) fail(std::string("'") + expectedKey + " <rest> <full>' missing");
      value(expectedKey, pedal->rest);
      a = b;
      value(expectedKey, pedal->full);
      const bool none = pedal->rest == 0 && pedal->full == 0;
      if (!none && !pedal->valid())
        fail(std::string("the ") + expectedKey + " travels only " + std::to_string(std::abs(pedal->full - pedal->rest)) +
             " from rest to full (at least " + std::to_string(Calibrator::kMinTravel) + ")");
    }
    std::getline(words >> std::ws, c.name);
    putCalibration(all, c);
  }
  return all;
}

std::vector<WheelCalibration> loadCalibrations(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};  // none saved yet
  std::string text;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, size_t(in.gcount()));
    if (text.size() > (1u << 20)) ::pav::fail("%s: too big for a wheel calibration file", path.c_str());
  }
  if (in.bad()) ::pav::fail("%s: cannot read it", path.c_str());
  return parseCalibrations(text, path);
}

std::string formatCalibrations(const std::vector<WheelCalibration>& all) {
  std::string out = "# Wheel calibrations (pavilion wheels --calibrate): guid, steering centre, pedals' rest and full\n";
  for (const WheelCalibration& c : all) {
    std::string name;
    for (char ch : c.name) name += (ch == '\n' || ch == '\r' || ch == '#') ? ' ' : ch;
    out += c.guid + " steer " + std::to_string(c.steerCentre) + " throttle " + std::to_string(c.throttle.rest) + " " +
           std::to_string(c.throttle.full) + " brake " + std::to_string(c.brake.rest) + " " +
           std::to_string(c.brake.full) + (name.empty() ? "" : " " + name) + "\n";
  }
  return out;
}

void putCalibration(std::vector<WheelCalibration>& all, const WheelCalibration& c) {
  for (WheelCalibration& have : all)
    if (have.guid == c.guid) {
      have = c;
      return;
    }
  all.push_back(c);
}

void saveCalibrations(const std::string& path, const std::vector<WheelCalibration>& all) {
  core::writeFileDurably(path, formatCalibrations(all));
}

// ---- [Calibrator] -------------------------------------------------------------------------

const char* Calibrator::prompt() const {
  switch (step_) {
    case Step::HandsOff: return "let go of the wheel and take your feet off the pedals";
    case Step::Throttle: return "press the throttle all the way down, then let it go";
    case Step::Brake: return "press the brake all the way down, then let it go";
    case Step::Done: return "done";
  }
  return "";
}

void Calibrator::feed(const WheelState& wheel, double seconds) {
  if (!wheel.present || step_ == Step::Done) return;
  const int* raw = wheel.raw;
  if (step_ == Step::HandsOff) {
    bool still = stillSince_ >= 0;
    for (int k = 0; still && k < 3; ++k) still = std::abs(raw[k] - still_[k]) <= kJitter;
    if (!still) {
      std::copy(raw, raw + 3, still_);
      stillSince_ = seconds;
      return;
    }
    if (seconds - stillSince_ < kStillSeconds) return;
    std::copy(raw, raw + 3, rest_);
    step_ = Step::Throttle;
    far_ = rest_[1];
    pressed_ = false;
    return;
  }
  // A pedal: the farthest it got from its rest; done once it went far and came back.
  const int k = step_ == Step::Throttle ? 1 : 2;
  if (std::abs(raw[k] - rest_[k]) > std::abs(far_ - rest_[k])) far_ = raw[k];
  if (std::abs(far_ - rest_[k]) >= kMinTravel) pressed_ = true;
  if (!pressed_ || std::abs(raw[k] - rest_[k]) > kJitter) return;
  (k == 1 ? throttle_ : brake_) = {rest_[k], far_};
  step_ = k == 1 ? Step::Brake : Step::Done;
  far_ = rest_[2];
  pressed_ = false;
}

WheelCalibration Calibrator::result(const std::string& guid, const std::string& name) const {
  return {.guid = guid, .name = name, .steerCentre = rest_[0], .throttle = throttle_, .brake = brake_};
}

}  // namespace pav::platform
