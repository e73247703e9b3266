// xr-sim scripts: where the head and the hands are and what the controllers report, over time.
//
// A script is a text file of keyframes (format in tools/xr-sim/README.md); each channel (a
// pose, an analog value, a button) has its own keys and is interpolated between them: poses
// linearly with slerp, analog values linearly, buttons held from their last key. Without a
// script the built-in motion runs: a seated visitor whose head sways gently and whose hands
// drift in front of them, touching nothing.
//
// Time is script seconds: zero at the session's first predicted display time.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "pose_math.h"
#include "xr_sim_local.h"

namespace pav::xrsim {
namespace {

const XrPosef kDefaultHead{identityQuat(), {0.0f, 1.6f, 0.0f}};
const XrPosef kDefaultGrip[2] = {{identityQuat(), {-0.2f, 1.3f, -0.35f}}, {identityQuat(), {0.2f, 1.3f, -0.35f}}};

template <typename T>
T interpolateValue(const T& a, const T& b, float u);
template <>
float interpolateValue(const float& a, const float& b, float u) {
  return a + (b - a) * u;
}
template <>
XrVector2f interpolateValue(const XrVector2f& a, const XrVector2f& b, float u) {
  return {a.x + (b.x - a.x) * u, a.y + (b.y - a.y) * u};
}
template <>
XrPosef interpolateValue(const XrPosef& a, const XrPosef& b, float u) {
  return interpolate(a, b, u);
}

template <typename T>
T evaluate(const Script::Track<T>& track, double t, const T& fallback) {
  if (track.empty()) return fallback;
  if (t <= track.front().t) return track.front().v;
  if (t >= track.back().t) return track.back().v;
  const auto hi = std::upper_bound(track.begin(), track.end(), t, [](double x, const auto& k) { return x < k.t; });
  const auto lo = hi - 1;
  const double span = hi->t - lo->t;
  if constexpr (std::is_same_v<T, bool>) {
    return lo->v;  // buttons hold their value until the next key
  } else {
    const float u = span > 0 ? static_cast<float>((t - lo->t) / span) : 1.0f;
    return interpolateValue(lo->v, hi->v, u);
  }
}

template <typename T>
void addKey(Script::Track<T>& track, double t, const T& v) {
  if (!track.empty() && track.back().t == t) {
    track.back().v = v;  // the same channel twice in one keyframe: the last line wins
  } else {
    track.push_back({t, v});
  }
}

std::optional<Button> buttonNamed(const std::string& s) {
  static const char* const names[kButtons] = {"a", "b", "x", "y", "menu", "system", "select", "stick", "pad", "thumbrest"};
  for (size_t i = 0; i < kButtons; ++i) {
    if (s == names[i]) return static_cast<Button>(i);
  }
  return std::nullopt;
}

std::optional<int> handNamed(const std::string& s) {
  if (s == "left") return 0;
  if (s == "right") return 1;
  return std::nullopt;
}

}  // namespace

Script Script::builtIn() {
  Script s;
  s.builtIn_ = true;
  return s;
}

std::optional<std::string> Script::load(const std::string& path, Script& out) {
  std::ifstream in(path);
  if (!in) return path + ": cannot open the script";
  std::ostringstream text;
  text << in.rdbuf();
  if (auto err = parse(text.str(), out)) return path + ": " + *err;
  return std::nullopt;
}

std::optional<std::string> Script::parse(std::string_view text, Script& out) {
  out = Script{};
  std::istringstream lines{std::string(text)};
  std::string line;
  int lineNo = 0;
  double now = 0;
  bool anyAt = false;
  auto fail = [&](const std::string& what) { return "line " + std::to_string(lineNo) + ": " + what; };
  while (std::getline(lines, line)) {
    ++lineNo;
    if (const size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string word; words >> word;) w.push_back(word);
    if (w.empty()) continue;
    std::vector<double> nums;
    auto numbers = [&](size_t from) -> bool {
      nums.clear();
      for (size_t i = from; i < w.size(); ++i) {
        char* end = nullptr;
        const double v = std::strtod(w[i].c_str(), &end);
        if (end == w[i].c_str() || *end != '\0' || !std::isfinite(v)) return false;
        nums.push_back(v);
      }
      return true;
    };
    const std::string& cmd = w[0];
    if (cmd == "at") {
      if (w.size() != 2 || !numbers(1) || nums[0] < 0) return fail("'at' takes one time in seconds, >= 0");
      if (anyAt && nums[0] < now) return fail("keyframe times must not go backwards");
      now = nums[0];
      anyAt = true;
    } else if (cmd == "loop") {
      if (w.size() != 2 || !numbers(1) || nums[0] <= 0) return fail("'loop' takes a period in seconds, > 0");
      out.loop_ = nums[0];
    } else if (cmd == "head" || cmd == "left" || cmd == "right") {
      if (!numbers(1) || (nums.size() != 6 && nums.size() != 7)) {
        return fail("a pose is x y z yaw pitch roll (metres, degrees) or x y z qx qy qz qw");
      }
      XrPosef p{};
      p.position = {static_cast<float>(nums[0]), static_cast<float>(nums[1]), static_cast<float>(nums[2])};
      if (nums.size() == 6) {
        p.orientation = fromYawPitchRoll(nums[3], nums[4], nums[5]);
      } else {
        const XrQuaternionf q{static_cast<float>(nums[3]), static_cast<float>(nums[4]), static_cast<float>(nums[5]),
                              static_cast<float>(nums[6])};
        if (quatLength(q) < 1e-6f) return fail("the quaternion is zero");
        p.orientation = normalize(q);
      }
      Track<XrPosef>& track = cmd == "head" ? out.head_ : out.grip_[cmd == "left" ? 0 : 1];
      addKey(track, now, p);
    } else if (cmd == "trigger" || cmd == "squeeze") {
      const auto hand = w.size() == 3 ? handNamed(w[1]) : std::nullopt;
      if (!hand || !numbers(2) || nums[0] < 0 || nums[0] > 1) return fail("'" + cmd + "' takes left|right and a value in 0..1");
      addKey(cmd == "trigger" ? out.trigger_[*hand] : out.squeeze_[*hand], now, static_cast<float>(nums[0]));
    } else if (cmd == "stick" || cmd == "pad") {
      const auto hand = w.size() == 4 ? handNamed(w[1]) : std::nullopt;
      if (!hand || !numbers(2) || std::fabs(nums[0]) > 1 || std::fabs(nums[1]) > 1) {
        return fail("'" + cmd + "' takes left|right and x y in -1..1");
      }
      const XrVector2f v{static_cast<float>(nums[0]), static_cast<float>(nums[1])};
      addKey(cmd == "stick" ? out.stick_[*hand] : out.pad_[*hand], now, v);
    } else if (cmd == "press" || cmd == "release" || cmd == "touch" || cmd == "untouch") {
      const auto hand = w.size() == 3 ? handNamed(w[1]) : std::nullopt;
      const auto button = w.size() == 3 ? buttonNamed(w[2]) : std::nullopt;
      if (!hand || !button) {
        return fail("'" + cmd + "' takes left|right and one of a b x y menu system select stick pad thumbrest");
      }
      const bool on = cmd == "press" || cmd == "touch";
      auto& tracks = (cmd == "press" || cmd == "release") ? out.pressed_[*hand] : out.touched_[*hand];
      addKey(tracks[static_cast<size_t>(*button)], now, on);
    } else {
      return fail("unknown command '" + cmd + "' (at loop head left right trigger squeeze stick pad press release touch untouch)");
    }
  }
  return std::nullopt;
}

MotionSample Script::sample(double t) const {
  MotionSample m{};
  if (t < 0) t = 0;
  if (builtIn_) {
    const auto wave = [t](double hz, double phase = 0) { return static_cast<float>(std::sin(2 * kPi * hz * t + phase)); };
    m.head = {fromYawPitchRoll(8.0 * wave(0.1), 3.0 * wave(0.13, 1.0), 0.0),
              {0.03f * wave(0.25), 1.6f + 0.01f * wave(0.5), 0.0f}};
    for (int h = 0; h < 2; ++h) {
      const double phase = h * kPi;
      const XrVector3f drift{0.03f * wave(0.3, phase), 0.05f * wave(0.2, phase), 0.02f * wave(0.17, phase)};
      m.grip[h] = {fromYawPitchRoll(5.0 * wave(0.21, phase), -10.0 + 5.0 * wave(0.15, phase), 0.0),
                   add(kDefaultGrip[h].position, drift)};
    }
    return m;
  }
  if (loop_ > 0) t = std::fmod(t, loop_);
  m.head = evaluate(head_, t, kDefaultHead);
  for (int h = 0; h < 2; ++h) {
    m.grip[h] = evaluate(grip_[h], t, kDefaultGrip[h]);
    HandInput& in = m.input[h];
    in.trigger = evaluate(trigger_[h], t, 0.0f);
    in.squeeze = evaluate(squeeze_[h], t, 0.0f);
    in.stick = evaluate(stick_[h], t, XrVector2f{0, 0});
    in.pad = evaluate(pad_[h], t, XrVector2f{0, 0});
    for (size_t b = 0; b < kButtons; ++b) {
      in.pressed[b] = evaluate(pressed_[h][b], t, false);
      in.touched[b] = evaluate(touched_[h][b], t, false);
    }
  }
  return m;
}

}  // namespace pav::xrsim
