// xr-sim configuration: the PAV_XR_SIM_* environment variables, read once per xrCreateInstance
// (so a test can change them between instances in one process). Every variable and its
// default is listed in tools/xr-sim/README.md; a bad value fails xrCreateInstance with
// XR_ERROR_INITIALIZATION_FAILED and a message on stderr that names the variable.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "xr_sim_local.h"

namespace pav::xrsim {
namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : nullptr;
}

bool parseUnsigned(const char* text, uint64_t& out) {
  if (!text || *text == '-') return false;
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0') return false;
  out = v;
  return true;
}

bool parseDouble(const char* text, double& out) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (errno != 0 || end == text || *end != '\0' || !std::isfinite(v)) return false;
  out = v;
  return true;
}

// "WxH" with two positive numbers.
bool parsePair(const char* text, double& a, double& b) {
  const std::string s(text);
  const size_t x = s.find('x');
  if (x == std::string::npos) return false;
  return parseDouble(s.substr(0, x).c_str(), a) && parseDouble(s.substr(x + 1).c_str(), b) && a > 0 && b > 0;
}

std::string bad(const char* name, const char* value, const char* expected) {
  std::ostringstream os;
  os << name << "='" << value << "' is not valid: expected " << expected;
  return os.str();
}

}  // namespace

std::optional<std::string> loadConfig(Config& c) {
  c = Config{};
  if (const char* v = env("PAV_XR_SIM_SCALE")) {
    double s = 0;
    if (!parseDouble(v, s) || s <= 0 || s > 2) return bad("PAV_XR_SIM_SCALE", v, "a factor in (0, 2], e.g. 0.25");
    c.viewWidth = std::max<uint32_t>(1, static_cast<uint32_t>(std::lround(1832 * s)));
    c.viewHeight = std::max<uint32_t>(1, static_cast<uint32_t>(std::lround(1920 * s)));
  }
  if (const char* v = env("PAV_XR_SIM_VIEW")) {
    double w = 0, h = 0;
    if (!parsePair(v, w, h) || w != std::floor(w) || h != std::floor(h) || w > kMaxImageSize || h > kMaxImageSize) {
      return bad("PAV_XR_SIM_VIEW", v, "WIDTHxHEIGHT in pixels per eye, at most 4096x4096, e.g. 458x480");
    }
    c.viewWidth = static_cast<uint32_t>(w);
    c.viewHeight = static_cast<uint32_t>(h);
  }
  if (const char* v = env("PAV_XR_SIM_HZ")) {
    double hz = 0;
    if (!parseDouble(v, hz) || (hz != 72 && hz != 90 && hz != 120)) {
      return bad("PAV_XR_SIM_HZ", v, "a display rate of 72, 90 or 120");
    }
    c.hz = hz;
  }
  if (const char* v = env("PAV_XR_SIM_IPD")) {
    double mm = 0;
    if (!parseDouble(v, mm) || mm < 40 || mm > 90) return bad("PAV_XR_SIM_IPD", v, "millimetres between 40 and 90");
    c.ipd = static_cast<float>(mm / 1000.0);
  }
  if (const char* v = env("PAV_XR_SIM_STAGE")) {
    double w = 0, d = 0;
    if (!parsePair(v, w, d) || w > 100 || d > 100) return bad("PAV_XR_SIM_STAGE", v, "WIDTHxDEPTH in metres, e.g. 3x2.5");
    c.stageWidth = static_cast<float>(w);
    c.stageDepth = static_cast<float>(d);
  }
  if (const char* v = env("PAV_XR_SIM_SCRIPT")) c.scriptPath = v;
  if (const char* v = env("PAV_XR_SIM_PRESENCE_FILE")) c.presenceFile = v;
  if (const char* v = env("PAV_XR_SIM_STOP_AFTER_FRAMES")) {
    if (!parseUnsigned(v, c.stopAfterFrames)) return bad("PAV_XR_SIM_STOP_AFTER_FRAMES", v, "a frame count");
  }
  if (const char* v = env("PAV_XR_SIM_LOSE_AFTER_FRAMES")) {
    if (!parseUnsigned(v, c.loseAfterFrames)) return bad("PAV_XR_SIM_LOSE_AFTER_FRAMES", v, "a frame count");
  }
  if (const char* v = env("PAV_XR_SIM_PNG_DIR")) c.pngDir = v;
  if (const char* v = env("PAV_XR_SIM_PNG_EVERY")) {
    if (!parseUnsigned(v, c.pngEvery)) return bad("PAV_XR_SIM_PNG_EVERY", v, "a frame count (0: only the last frame)");
  }
  if (const char* v = env("PAV_XR_SIM_PNG_LAST")) {
    const std::string s(v);
    if (s != "0" && s != "1") return bad("PAV_XR_SIM_PNG_LAST", v, "0 or 1");
    c.pngLast = s == "1";
  }
  if (const char* v = env("PAV_XR_SIM_STATS")) c.statsPath = v;
  if (const char* v = env("PAV_XR_SIM_HANDS")) {
    const std::string s(v);
    if (s != "exact" && s != "latest") return bad("PAV_XR_SIM_HANDS", v, "exact or latest");
    c.handsLatest = s == "latest";
  }
  c.profiles = {"/interaction_profiles/oculus/touch_controller", "/interaction_profiles/valve/index_controller",
                "/interaction_profiles/htc/vive_controller", "/interaction_profiles/microsoft/motion_controller",
                "/interaction_profiles/khr/simple_controller"};
  if (const char* v = env("PAV_XR_SIM_PROFILES")) {
    c.profiles.clear();
    std::istringstream in(v);
    std::string item;
    while (std::getline(in, item, ',')) {
      if (item.empty()) continue;
      if (item.rfind("/interaction_profiles/", 0) != 0) item = "/interaction_profiles/" + item;
      if (!findProfile(item)) {
        return bad("PAV_XR_SIM_PROFILES", v,
                   "a comma-separated list of oculus/touch_controller, valve/index_controller, "
                   "htc/vive_controller, microsoft/motion_controller, khr/simple_controller");
      }
      c.profiles.push_back(item);
    }
    if (c.profiles.empty()) return bad("PAV_XR_SIM_PROFILES", v, "at least one interaction profile");
  }
  if (const char* v = env("PAV_XR_SIM_LOG")) {
    uint64_t level = 0;
    if (!parseUnsigned(v, level) || level > 2) return bad("PAV_XR_SIM_LOG", v, "0 (quiet), 1 (refusals) or 2 (+ states)");
    c.logLevel = static_cast<int>(level);
  }
  if (const char* v = env("PAV_XR_SIM_VK_DEVICE")) c.vkDevice = v;
  return std::nullopt;
}

}  // namespace pav::xrsim
