// The cycling HUD (cycling_hud.h): the dash, the elevation strip, the finish ranking.
#include "cycling_hud.h"

#include <cmath>
#include <cstdio>

namespace pav::cycling {
namespace {

namespace ui = render::ui;
using core::Number;

constexpr glm::vec4 kWhite{1.0f, 1.0f, 1.0f, 1.0f}, kGrey{0.72f, 0.75f, 0.8f, 1.0f};
constexpr glm::vec4 kHill{0.45f, 0.62f, 0.4f, 0.9f};
constexpr glm::vec4 kSprint{1.0f, 0.85f, 0.2f, 1.0f};
constexpr glm::vec2 kStripSize{0.8f, 0.12f};  // the profile's bars, in the strip panel

float scalar(const core::StateFrame& s, int rider, RiderScalar field) {
  return s.scalars[static_cast<size_t>(rider * kRiderScalars + field)];
}
int ridersIn(const core::StateFrame& s) { return std::min(static_cast<int>(s.objects.size()), core::kMaxPlayers); }
bool finishedAt(const Route& route, double distance) { return distance >= route.length() - 5e-4; }

// A riding time: "m:ss.s", or "h:mm:ss" beyond the hour.
std::string_view rideClock(core::TextBuffer& out, double seconds) {
  const long long tenths = std::llround(std::max(0.0, seconds) * 10.0);
  char text[32];
  const int n = tenths >= 36000
                    ? std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", tenths / 36000, tenths / 600 % 60, tenths / 10 % 60)
                    : std::snprintf(text, sizeof text, "%lld:%02lld.%lld", tenths / 600, tenths / 10 % 60, tenths % 10);
  out.clear();
  out.append({text, static_cast<size_t>(std::max(0, n))});
  return out.view();
}

}  // namespace

int ranking(const Route& route, const core::StateFrame& state, std::array<int, core::kMaxPlayers>& order) {
  const int riders = ridersIn(state);
  // Finishers first, by time (smaller is better); then by distance (larger is better).
  auto ahead = [&](int a, int b) {
    const double da = scalar(state, a, kDistance), db = scalar(state, b, kDistance);
    const bool fa = finishedAt(route, da), fb = finishedAt(route, db);
    if (fa != fb) return fa;
    if (fa) return scalar(state, a, kTime) < scalar(state, b, kTime);
    return da > db;
  };
  for (int p = 0; p < riders; ++p) order[size_t(p)] = p;
  for (int i = 1; i < riders; ++i)
    for (int j = i; j > 0 && ahead(order[size_t(j)], order[size_t(j - 1)]); --j) std::swap(order[size_t(j)], order[size_t(j - 1)]);
  return riders;
}

CyclingHud::CyclingHud(const Route& route, int seat) : route_(route), seat_(seat) {
  const auto points = route.points();
  if (points.empty()) return;
  lowM_ = highM_ = points.front().elevationM;
  for (const RoutePoint& p : points) lowM_ = std::min(lowM_, p.elevationM), highM_ = std::max(highM_, p.elevationM);
  highM_ = std::max(highM_, lowM_ + 1.0);  // a flat route: bars of one height
  for (int i = 0; i < kProfileBars; ++i) {
    const double d = route.length() * (i + 0.5) / kProfileBars;
    bars_[size_t(i)] = static_cast<float>(0.15 + 0.85 * (route.elevationAt(d) - lowM_) / (highM_ - lowM_));
  }
}

void CyclingHud::lookUp(const core::StringTable& t) {
  ids_ = {t.id("hud.power"),    t.id("hud.cadence"),    t.id("hud.speed"),     t.id("hud.distance"),
          t.id("hud.grade"),    t.id("hud.position"),   t.id("hud.gap_ahead"), t.id("hud.gap_behind"),
          t.id("hud.seconds"),  t.id("hud.metres"),     t.id("hud.finished"),  t.id("hud.results"),
          t.id("hud.rank"),     t.id("hud.dnf"),        t.id("hud.avg_speed"), t.id("hud.you"), t.id("hud.sprint"), {}};
  for (int p = 0; p < core::kMaxPlayers; ++p) {
    char key[16];
    std::snprintf(key, sizeof key, "hud.rider%d", p);
    ids_.riders[size_t(p)] = t.id(key);
  }
  strings_ = &t;
}

void CyclingHud::draw(const core::StateFrame& state, const render::HudContext& context, ui::Canvas& canvas) {
  if (!context.strings) return;
  if (context.strings != strings_) lookUp(*context.strings);
  if (context.stage == render::HudStage::Lobby) return;
  const int riders = ranking(route_, state, order_);
  if (riders == 0) return;
  if (context.stage == render::HudStage::Results) return drawResults(state, riders, context, canvas);
  const int rider = seat_ >= 0 && seat_ < riders ? seat_ : order_[0];  // a spectator: the leader's
  drawDash(state, rider, riders, context, canvas);
  drawProfile(state, rider, riders, canvas);
  drawSprint(scalar(state, rider, kDistance), context, canvas);
}

// The finish sprint, from kSprintM out until the rider crosses the line.
void CyclingHud::drawSprint(double distance, const render::HudContext& context, ui::Canvas& canvas) {
  const double left = route_.length() - distance;
  if (finishedAt(route_, distance) || left > kSprintM) return;
  sprint_.format(strings_->get(ids_.sprint, context.lang), {{"m", Number(std::ceil(std::max(0.0, left))).view()}});
  canvas.panel({.pose = {{0.0f, 0.13f, -1.1f}}, .size = {0.9f, 0.11f}, .anchor = ui::Anchor::Head,
                .fill = {0.35f, 0.05f, 0.02f, 0.7f}, .onTop = true});
  canvas.text(ui::slot("cycling.sprint"), {0.0f, -0.025f}, sprint_.view(), {.height = 0.06f, .color = kSprint, .align = ui::Align::Center});
}

std::string_view CyclingHud::gap(core::TextBuffer& out, const core::StateFrame& state, int rider, int other,
                                 const render::HudContext& context) {
  const double metres = double(scalar(state, other, kDistance)) - double(scalar(state, rider, kDistance));
  // The chaser: whoever of the two is behind, at their speed.
  const double chaserSpeed = scalar(state, metres >= 0 ? rider : other, kSpeed);
  const bool seconds = chaserSpeed > kGapInSecondsAboveMs;
  const double value = seconds ? metres / chaserSpeed : metres;
  const Number n(std::abs(value), seconds ? 1 : 0);
  char signedText[40];
  const int len = std::snprintf(signedText, sizeof signedText, "%c%.*s", value >= 0 ? '+' : '-',
                                static_cast<int>(n.view().size()), n.view().data());
  const std::string_view figure{signedText, static_cast<size_t>(std::max(0, len))};
  const core::StringTable& t = *strings_;
  if (seconds) out.format(t.get(ids_.seconds, context.lang), {{"s", figure}});
  else out.format(t.get(ids_.metres, context.lang), {{"m", figure}});
  return out.view();
}

void CyclingHud::drawDash(const core::StateFrame& state, int rider, int riders, const render::HudContext& context,
                          ui::Canvas& canvas) {
  const core::StringTable& t = *strings_;
  const core::Lang lang = context.lang;
  const double distance = scalar(state, rider, kDistance), speed = scalar(state, rider, kSpeed);
  const Effort effort = unpackEffort(scalar(state, rider, kEffort));
  int place = 1;
  while (place <= riders && order_[size_t(place - 1)] != rider) ++place;

  canvas.panel({.pose = {{0.0f, -0.3f, -0.85f}, glm::angleAxis(glm::radians(-20.0f), glm::vec3(1, 0, 0))},
                .size = {0.8f, 0.24f}, .anchor = ui::Anchor::Head, .onTop = true});
  // Left: the rider's own effort.
  power_.format(t.get(ids_.power, lang), {{"w", Number(effort.powerW).view()}});
  canvas.text(ui::slot("cycling.power"), {-0.37f, 0.03f}, power_.view(), {.height = 0.075f, .color = kWhite});
  cadence_.format(t.get(ids_.cadence, lang), {{"rpm", Number(effort.cadenceRpm).view()}});
  canvas.text(ui::slot("cycling.cadence"), {-0.37f, -0.04f}, cadence_.view(), {.height = 0.035f, .color = kGrey});
  // Middle: the road.
  speed_.format(t.get(ids_.speed, lang), {{"kmh", Number(speed * 3.6, 1).view()}});
  canvas.text(ui::slot("cycling.speed"), {0.0f, 0.05f}, speed_.view(), {.height = 0.045f, .color = kWhite, .align = ui::Align::Center});
  distance_.format(t.get(ids_.distance, lang), {{"km", Number(distance / 1000.0, 2).view()}, {"total", Number(route_.length() / 1000.0, 1).view()}});
  canvas.text(ui::slot("cycling.distance"), {0.0f, -0.005f}, distance_.view(), {.height = 0.035f, .color = kGrey, .align = ui::Align::Center});
  grade_.format(t.get(ids_.grade, lang), {{"pct", Number(route_.gradeAt(distance) * 100.0, 1).view()}});
  canvas.text(ui::slot("cycling.grade"), {0.0f, -0.06f}, grade_.view(), {.height = 0.035f, .color = kGrey, .align = ui::Align::Center});
  // Right: the race.
  if (finishedAt(route_, distance)) {
    position_.clear(), position_.append(t.get(ids_.finished, lang));
  } else {
    position_.format(t.get(ids_.position, lang), {{"pos", Number(place).view()}, {"riders", Number(riders).view()}});
  }
  canvas.text(ui::slot("cycling.position"), {0.37f, 0.05f}, position_.view(), {.height = 0.045f, .color = kRiderColors[rider % 8], .align = ui::Align::Right});
  if (place > 1) {
    ahead_.format(t.get(ids_.gapAhead, lang), {{"gap", gap(number_, state, rider, order_[size_t(place - 2)], context)}});
    canvas.text(ui::slot("cycling.ahead"), {0.37f, -0.005f}, ahead_.view(), {.height = 0.033f, .color = kWhite, .align = ui::Align::Right});
  }
  if (place < riders) {
    behind_.format(t.get(ids_.gapBehind, lang), {{"gap", gap(number_, state, rider, order_[size_t(place)], context)}});
    canvas.text(ui::slot("cycling.behind"), {0.37f, -0.055f}, behind_.view(), {.height = 0.033f, .color = kGrey, .align = ui::Align::Right});
  }
}

// The route's profile as bars, start on the left; a marker per rider where they are on it.
void CyclingHud::drawProfile(const core::StateFrame& state, int rider, int riders, ui::Canvas& canvas) {
  canvas.panel({.pose = {{0.0f, -0.05f, -0.95f}, glm::angleAxis(glm::radians(-8.0f), glm::vec3(1, 0, 0))},
                .size = {kStripSize.x + 0.04f, kStripSize.y + 0.05f}, .anchor = ui::Anchor::Head,
                .fill = {0.02f, 0.03f, 0.05f, 0.55f}, .onTop = true});
  const float w = kStripSize.x / kProfileBars, bottom = -0.5f * kStripSize.y;
  for (int i = 0; i < kProfileBars; ++i) {
    const float h = bars_[size_t(i)] * kStripSize.y;
    canvas.rect({-0.5f * kStripSize.x + w * (float(i) + 0.5f), bottom + 0.5f * h}, {w * 0.9f, h}, kHill);
  }
  const double length = std::max(route_.length(), 1.0);
  for (int k = riders - 1; k >= 0; --k) {  // the leader drawn last, on top; the seat's rider over all
    const int p = order_[size_t(k)];
    if (p == rider) continue;
    const double d = std::clamp(double(scalar(state, p, kDistance)), 0.0, length);
    const float x = -0.5f * kStripSize.x + kStripSize.x * float(d / length);
    const float y = bottom + kStripSize.y * float(0.15 + 0.85 * (route_.elevationAt(d) - lowM_) / (highM_ - lowM_));
    canvas.rect({x, y + 0.012f}, {0.014f, 0.024f}, kRiderColors[p % 8], 0.004f);
  }
  const double d = std::clamp(double(scalar(state, rider, kDistance)), 0.0, length);
  const float x = -0.5f * kStripSize.x + kStripSize.x * float(d / length);
  const float y = bottom + kStripSize.y * float(0.15 + 0.85 * (route_.elevationAt(d) - lowM_) / (highM_ - lowM_));
  canvas.rect({x, y + 0.02f}, {0.02f, 0.04f}, kRiderColors[rider % 8], 0.006f);
}

void CyclingHud::drawResults(const core::StateFrame& state, int riders, const render::HudContext& context,
                             ui::Canvas& canvas) {
  const core::StringTable& t = *strings_;
  const core::Lang lang = context.lang;
  const float rowH = 0.07f, top = 0.5f * rowH * float(riders + 1);
  canvas.panel({.pose = {{0.0f, 0.0f, -1.5f}}, .size = {1.1f, rowH * float(riders + 2) + 0.04f}, .anchor = ui::Anchor::Head, .onTop = true});
  canvas.text(ui::slot("cycling.results"), {-0.5f, top}, t.get(ids_.results, lang), {.height = 0.055f, .color = kWhite});
  for (int i = 0; i < riders; ++i) {
    const int p = order_[size_t(i)];
    const float y = top - rowH * float(i + 1);
    const glm::vec4 text = p == seat_ ? kWhite : kGrey;
    const double distance = scalar(state, p, kDistance), time = scalar(state, p, kTime);
    rowRank_[size_t(i)].format(t.get(ids_.rank, lang), {{"pos", Number(i + 1).view()}});
    canvas.text(ui::slot("cycling.rank", uint32_t(i)), {-0.5f, y}, rowRank_[size_t(i)].view(), {.height = 0.038f, .color = text});
    canvas.rect({-0.34f, y + 0.012f}, {0.028f, 0.028f}, kRiderColors[p % 8], 0.006f);
    rowName_[size_t(i)].clear(), rowName_[size_t(i)].append(t.get(ids_.riders[size_t(p)], lang));
    if (p == seat_) rowName_[size_t(i)].append(t.get(ids_.you, lang));
    canvas.text(ui::slot("cycling.name", uint32_t(i)), {-0.31f, y}, rowName_[size_t(i)].view(), {.height = 0.038f, .color = text});
    if (finishedAt(route_, distance)) {
      rideClock(rowTime_[size_t(i)], time);
    } else {
      rowTime_[size_t(i)].format(t.get(ids_.dnf, lang), {{"km", Number(distance / 1000.0, 2).view()}});
    }
    canvas.text(ui::slot("cycling.time", uint32_t(i)), {0.2f, y}, rowTime_[size_t(i)].view(), {.height = 0.038f, .color = text, .align = ui::Align::Right});
    rowSpeed_[size_t(i)].format(t.get(ids_.avgSpeed, lang), {{"kmh", Number(time > 0 ? distance / time * 3.6 : 0.0, 1).view()}});
    canvas.text(ui::slot("cycling.avg", uint32_t(i)), {0.52f, y}, rowSpeed_[size_t(i)].view(), {.height = 0.032f, .color = kGrey, .align = ui::Align::Right});
  }
}

}  // namespace pav::cycling
