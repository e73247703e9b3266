// The title registry, and the Title's default controls (desktop, headset, devices). The registry is small on purpose: an ordered map from id to factory. Titles register
// from their own translation unit through registerTitle (games/ calls it at start-up via
// pav::games::registerAll, so no static-initialisation order games are played).
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include "pav/core/error.h"
#include "pav/core/title.h"

namespace pav::core {
namespace {

std::map<std::string, TitleFactory, std::less<>>& registry() {
  static std::map<std::string, TitleFactory, std::less<>> r;
  return r;
}
std::mutex& registryMutex() {
  static std::mutex m;
  return m;
}

}  // namespace

void Title::desktopInput(const DesktopControls& c, int, InputFrame& out) const {
  out = {};
  out.steer = (c.right ? 1.0f : 0.0f) - (c.left ? 1.0f : 0.0f);
  out.throttle = c.up ? 1.0f : 0.0f;
  out.brake = c.down ? 1.0f : 0.0f;
  const bool pulled = c.space || c.pointerDown;
  out.hands[1].trigger = pulled ? 1.0f : 0.0f;
  out.buttons = pulled ? 1u : 0u;
}

void Title::headsetInput(const HeadsetControls& c, int, InputFrame& out) const {
  out = {};
  out.hands[0] = c.hands[0];
  out.hands[1] = c.hands[1];
  out.buttons = c.buttons;
}

StateFrame captureNew(const Title& title) {
  StateSchema schema;
  title.describe(schema);
  StateFrame frame;
  frame.resize(schema);
  title.capture(frame);
  return frame;
}

void applyWheel(const DeviceReadings::Wheel& wheel, InputFrame& out) {
  if (!wheel.touched) return;
  out.steer = std::clamp(wheel.steer, -1.0f, 1.0f);
  out.throttle = std::clamp(wheel.throttle, 0.0f, 1.0f);
  out.brake = std::clamp(wheel.brake, 0.0f, 1.0f);
}

void Title::deviceInput(const DeviceReadings& d, int, InputFrame& out) const {
  applyWheel(d.wheel, out);
  if (d.trainer.present) {
    out.pedalPowerWatts = std::max(0.0f, d.trainer.watts);
    out.cadenceRpm = std::max(0.0f, d.trainer.cadenceRpm);
  }
}

namespace {
bool finite(const glm::vec3& v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }
}  // namespace

bool Title::checkInput(int, InputFrame& in) const {
  const float axes[5] = {in.steer, in.throttle, in.brake, in.pedalPowerWatts, in.cadenceRpm};
  for (float a : axes)
    if (!std::isfinite(a)) return false;
  in.steer = std::clamp(in.steer, -1.0f, 1.0f);
  in.throttle = std::clamp(in.throttle, 0.0f, 1.0f);
  in.brake = std::clamp(in.brake, 0.0f, 1.0f);
  in.pedalPowerWatts = std::clamp(in.pedalPowerWatts, 0.0f, kMaxPedalWatts);
  in.cadenceRpm = std::clamp(in.cadenceRpm, 0.0f, kMaxCadenceRpm);
  for (HandInput& h : in.hands) {
    if (!h.tracked) continue;
    const glm::quat& q = h.orientation;
    if (!finite(h.position) || !std::isfinite(h.trigger) || !std::isfinite(h.grip) ||
        !(std::isfinite(q.w) && std::isfinite(q.x) && std::isfinite(q.y) && std::isfinite(q.z)))
      return false;
    h.position = glm::clamp(h.position, glm::vec3(-kMaxHandReach), glm::vec3(kMaxHandReach));
    const float len = glm::length(q);
    h.orientation = len > 1e-3f ? q / len : glm::quat(1, 0, 0, 0);
    h.trigger = std::clamp(h.trigger, 0.0f, 1.0f);
    h.grip = std::clamp(h.grip, 0.0f, 1.0f);
  }
  return true;
}

void registerTitle(std::string_view id, TitleFactory factory) {
  PAV_CHECK(!id.empty() && factory, "registerTitle: a title needs an id and a factory");
  std::lock_guard lock(registryMutex());
  registry()[std::string(id)] = std::move(factory);
}

std::unique_ptr<Title> createTitle(std::string_view id) {
  TitleFactory factory;
  {
    std::lock_guard lock(registryMutex());
    const auto it = registry().find(id);
    if (it == registry().end()) return nullptr;
    factory = it->second;
  }
  return factory();
}

std::vector<std::string> titleIds() {
  std::lock_guard lock(registryMutex());
  std::vector<std::string> ids;
  for (const auto& [id, factory] : registry()) ids.push_back(id);
  return ids;
}

int parseSkill(std::string_view text) {
  static constexpr std::string_view kNames[] = {"easy", "medium", "hard", "fair"};
  for (int i = 0; i < 4; ++i)
    if (text == kNames[i] || (text.size() == 1 && text[0] == char('0' + i))) return i;
  return -1;
}

const char* skillName(int skill) {
  static constexpr const char* kNames[] = {"easy", "medium", "hard", "fair"};
  return skill >= 0 && skill < 4 ? kNames[skill] : "?";
}

int parseAssists(std::string_view text) {
  static constexpr std::string_view kNames[] = {"off", "light", "expo"};
  for (int i = 0; i < 3; ++i)
    if (text == kNames[i] || (text.size() == 1 && text[0] == char('0' + i))) return i;
  return -1;
}

const char* assistsName(int assists) {
  static constexpr const char* kNames[] = {"off", "light", "expo"};
  return assists >= 0 && assists < 3 ? kNames[assists] : "?";
}

int skillFor(const TitleInfo& info, int skill) {
  return skill == kSkillFair && !info.adaptiveSkill ? kSkillMedium : skill;
}

}  // namespace pav::core
