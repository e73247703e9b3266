// The host's session screens (see session_screens.h).
//
// [SECTION] Stage, devices, results
// [SECTION] Construction: every key looked up
// [SECTION] Drawing, by stage
#include "session_screens.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "floor_states.h"
#include "pav/core/error.h"
#include "pav/core/title.h"

namespace pav::tools {

using render::HudStage;
static_assert(director::kStartSeconds == render::kHudStartSeconds, "the floor's start is the HUD's");
namespace ui = render::ui;

// ---- [SECTION] Stage, devices, results ---------------------------------------------------------

HudStage sessionStage(const StageClocks& c) {
  if (c.ended) return HudStage::Results;
  if (c.secondsToStart < 0 || c.secondsToStart > director::kStartSeconds) return HudStage::Lobby;
  if (c.secondsToStart > 0) return HudStage::Start;
  if (c.secondsLeft >= 0 && c.secondsLeft <= director::kWarnSeconds) return HudStage::Warning;
  return HudStage::Playing;
}

bool LocalTimeline::resultsDone() const { return endedAt_ >= 0 && now_ - endedAt_ >= director::kResultsSeconds; }

StageClocks LocalTimeline::clocks(double secondsLeft) const {
  return {.secondsToStart = std::max(0.0, start_ - now_), .secondsLeft = secondsLeft, .ended = endedAt_ >= 0};
}

std::string_view toString(HudStage stage) {
  switch (stage) {
    case HudStage::Lobby: return "lobby";
    case HudStage::Start: return "start";
    case HudStage::Playing: return "playing";
    case HudStage::Warning: return "warning";
    case HudStage::Results: return "results";
  }
  return "?";
}

std::string_view toString(VisitorDevice device) {
  switch (device) {
    case VisitorDevice::Wheel: return "wheel";
    case VisitorDevice::Bike: return "bike";
    case VisitorDevice::Controllers: break;
  }
  return "controllers";
}

VisitorDevice visitorDevice(uint32_t asked, uint32_t found) {
  const uint32_t both = asked & found;
  if (both & core::kDeviceWheel) return VisitorDevice::Wheel;
  if (both & core::kDeviceTrainer) return VisitorDevice::Bike;
  return VisitorDevice::Controllers;
}

bool rankOf(std::string_view resultsJson, int seat, int& rank, int& count) {
  const nlohmann::json j = nlohmann::json::parse(resultsJson, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return false;
  const auto ranking = j.find("ranking");
  if (ranking == j.end() || !ranking->is_array() || ranking->empty()) return false;
  for (size_t i = 0; i < ranking->size(); ++i) {
    const nlohmann::json& s = (*ranking)[i];
    if (s.is_number_integer() && s.get<int64_t>() == seat) {
      rank = int(i) + 1;
      count = int(ranking->size());
      return true;
    }
  }
  return false;
}

// ---- [SECTION] Construction: every key looked up --------------------------------------------------

SessionScreens::SessionScreens(const core::StringTable& engine) : engine_(engine) {
  ids_.welcome = engine.id("lobby.welcome");
  ids_.startsIn = engine.id("lobby.startsIn");
  ids_.connecting = engine.id("lobby.connecting");
  ids_.howto = engine.id("lobby.howto");
  ids_.device = engine.id("lobby.device");
  ids_.ready = engine.id("start.ready");
  ids_.go = engine.id("start.go");
  ids_.left = engine.id("warning.left");
  ids_.timeUp = engine.id("warning.timeUp");
  ids_.help = engine.id("warning.help");
  ids_.resultsTitle = engine.id("results.title");
  ids_.rank = engine.id("results.rank");
  ids_.over = engine.id("results.over");
  ids_.thanks = engine.id("results.thanks");
  ids_.next = engine.id("results.next");
  ids_.linkInterrupted = engine.id("link.interrupted");
  ids_.linkBot = engine.id("link.bot");
  ids_.devices = {engine.id("device.controllers"), engine.id("device.wheel"), engine.id("device.bike")};
}

void SessionScreens::setTitle(const core::StringTable* title, std::string_view titleId, VisitorDevice device) {
  title_ = title;
  titleId_ = std::string(titleId);
  device_ = device;
  titleName_ = howto1_ = howto2_ = {};
  if (!title) return;
  titleName_ = title->id("title.name");
  // The device's lines where the title has them, else the controllers' (every title has those).
  std::string key = "howto." + std::string(toString(device));
  if (!title->has(key + ".1")) key = "howto.controllers";
  howto1_ = title->id(key + ".1");
  howto2_ = title->id(key + ".2");
}

// ---- [SECTION] Drawing, by stage ------------------------------------------------------------------

namespace {

constexpr glm::vec4 kWhite{1.0f, 1.0f, 1.0f, 1.0f};
constexpr glm::vec4 kSoft{0.78f, 0.84f, 0.92f, 1.0f};
constexpr glm::vec4 kAccent{1.0f, 0.72f, 0.18f, 1.0f};  // amber: the countdown, the bar
constexpr glm::vec4 kBarBack{0.15f, 0.16f, 0.2f, 0.9f};

// A head-anchored panel `down` metres below the line of sight, kDistance ahead.
ui::PanelDesc headPanel(glm::vec2 size, float down, float alpha = 0.8f) {
  ui::PanelDesc d;
  d.pose.position = glm::vec3(0.0f, -down, -SessionScreens::kDistance);
  d.size = size;
  d.anchor = ui::Anchor::Head;
  d.fill.a = alpha;
  d.onTop = true;
  return d;
}

ui::TextStyle style(float height, glm::vec4 color = kWhite, ui::Align align = ui::Align::Center) {
  ui::TextStyle s;
  s.height = height;
  s.color = color;
  s.align = align;
  return s;
}

// "m:ss", rounded up (the last second shows 0:01 until it is over).
std::string_view clockText(double seconds, std::array<char, 16>& buf) {
  const int s = int(std::ceil(std::max(0.0, seconds)));
  const int n = std::snprintf(buf.data(), buf.size(), "%d:%02d", s / 60, s % 60);
  return {buf.data(), size_t(std::max(0, n))};
}

}  // namespace

void SessionScreens::draw(const ScreenFrame& f, ui::Canvas& c) {
  switch (f.stage) {
    case HudStage::Lobby: return drawLobby(f, c);
    case HudStage::Start: return drawStart(f, c);
    case HudStage::Playing: return drawGo(f, c), drawLink(f, c);
    case HudStage::Warning: return drawWarning(f, c), drawLink(f, c);
    case HudStage::Results: return drawResults(f, c);
  }
}

void SessionScreens::drawLobby(const ScreenFrame& f, ui::Canvas& c) {
  c.panel(headPanel({1.3f, 0.78f}, 0.05f));
  c.text(ui::slot("lobby.welcome"), {0.0f, 0.27f}, engine_.get(ids_.welcome, f.lang), style(0.1f));
  const std::string_view name = titleName_.valid() ? title_->get(titleName_, f.lang) : std::string_view(titleId_);
  c.text(ui::slot("lobby.title"), {0.0f, 0.15f}, name, style(0.075f, kAccent));
  if (f.secondsToStart < 0) {
    c.text(ui::slot("lobby.startsIn"), {0.0f, 0.04f}, engine_.get(ids_.connecting, f.lang), style(0.05f, kSoft));
  } else {
    const core::Number seconds(std::ceil(f.secondsToStart));
    c.text(ui::slot("lobby.startsIn"), {0.0f, 0.04f},
           line_.format(engine_.get(ids_.startsIn, f.lang), {{"seconds", seconds.view()}}), style(0.05f, kSoft));
  }
  c.rect({0.0f, -0.02f}, {1.1f, 0.004f}, kBarBack);
  c.text(ui::slot("lobby.device"), {0.0f, -0.09f},
         line_.format(engine_.get(ids_.device, f.lang),
                      {{"device", engine_.get(ids_.devices[size_t(device_)], f.lang)}}),
         style(0.045f, kSoft));
  if (!howto1_.valid()) return;
  c.text(ui::slot("lobby.howto"), {-0.58f, -0.18f}, engine_.get(ids_.howto, f.lang), style(0.05f, kAccent, ui::Align::Left));
  c.text(ui::slot("lobby.howto.1"), {-0.58f, -0.25f}, title_->get(howto1_, f.lang), style(0.045f, kWhite, ui::Align::Left));
  c.text(ui::slot("lobby.howto.2"), {-0.58f, -0.32f}, title_->get(howto2_, f.lang), style(0.045f, kWhite, ui::Align::Left));
}

void SessionScreens::drawStart(const ScreenFrame& f, ui::Canvas& c) {
  // No backing: the digit over the title's scene, big and outlined.
  c.panel(headPanel({0.8f, 0.6f}, 0.0f, 0.0f));
  c.text(ui::slot("start.ready"), {0.0f, 0.18f}, engine_.get(ids_.ready, f.lang), style(0.07f, kSoft));
  const core::Number digit(std::max(1.0, std::ceil(f.secondsToStart)));
  c.text(ui::slot("start.digit"), {0.0f, -0.1f}, digit.view(), style(0.32f, kAccent));
}

void SessionScreens::drawGo(const ScreenFrame& f, ui::Canvas& c) {
  if (f.secondsSinceStart < 0 || f.secondsSinceStart >= kGoSeconds) return;
  c.panel(headPanel({0.8f, 0.4f}, 0.0f, 0.0f));
  c.text(ui::slot("start.go"), {0.0f, -0.08f}, engine_.get(ids_.go, f.lang), style(0.24f, kAccent));
}

void SessionScreens::drawWarning(const ScreenFrame& f, ui::Canvas& c) {
  // High in the view (about 15 degrees up), out of the play's way and above the titles' own
  // head-up displays, which sit low: "0:27 left" over a bar that empties with the time.
  // Under the bar, how to call for staff (both grips held 2 s: an alert on the operators' desk).
  c.panel(headPanel({0.6f, 0.18f}, -0.42f));
  std::array<char, 16> buf{};
  const std::string_view text = f.secondsLeft > 0
                                    ? line_.format(engine_.get(ids_.left, f.lang), {{"time", clockText(f.secondsLeft, buf)}})
                                    : engine_.get(ids_.timeUp, f.lang);
  c.text(ui::slot("warning.text"), {0.0f, 0.03f}, text, style(0.06f, kWhite));
  c.bar({0.0f, -0.015f}, {0.4f, 0.018f}, float(director::warningShare(f.secondsLeft)), kAccent, kBarBack);
  c.text(ui::slot("warning.help"), {0.0f, -0.065f}, engine_.get(ids_.help, f.lang), style(0.03f, kSoft));
}

void SessionScreens::drawLink(const ScreenFrame& f, ui::Canvas& c) {
  if (f.link == LinkNotice::None) return;
  // Above the line of sight, under the warning's place: read at once, out of the play's way.
  const bool bot = f.link == LinkNotice::BotPlays;
  c.panel(headPanel({bot ? 1.0f : 0.6f, 0.1f}, -0.27f));
  c.text(ui::slot("link.notice"), {0.0f, -0.015f}, engine_.get(bot ? ids_.linkBot : ids_.linkInterrupted, f.lang),
         style(0.045f, bot ? kAccent : kWhite));
}

void SessionScreens::drawResults(const ScreenFrame& f, ui::Canvas& c) {
  // A banner high in the view (about 17 degrees up): the middle is the title's own
  // classification (Presenter::hud at HudStage::Results).
  c.panel(headPanel({1.2f, 0.44f}, -0.48f));
  c.text(ui::slot("results.title"), {0.0f, 0.145f}, engine_.get(ids_.resultsTitle, f.lang), style(0.08f, kAccent));
  const std::string_view name = titleName_.valid() ? title_->get(titleName_, f.lang) : std::string_view(titleId_);
  c.text(ui::slot("results.name"), {0.0f, 0.075f}, name, style(0.045f, kSoft));
  if (f.rank > 0 && f.count > 0) {
    const core::Number rank(f.rank), count(f.count);
    c.text(ui::slot("results.rank"), {0.0f, -0.01f},
           line_.format(engine_.get(ids_.rank, f.lang), {{"rank", rank.view()}, {"count", count.view()}}), style(0.065f));
  } else {
    c.text(ui::slot("results.rank"), {0.0f, -0.01f}, engine_.get(ids_.over, f.lang), style(0.065f));
  }
  c.text(ui::slot("results.thanks"), {0.0f, -0.095f}, engine_.get(ids_.thanks, f.lang), style(0.05f));
  c.text(ui::slot("results.next"), {0.0f, -0.17f}, engine_.get(ids_.next, f.lang), style(0.035f, kSoft));
}

}  // namespace pav::tools
