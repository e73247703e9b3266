// The driving HUD (driving_hud.h): start lights, the dash, the classification.
#include "driving_hud.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pav::driving {
namespace {

namespace ui = render::ui;
using core::Number;

constexpr glm::vec4 kWhite{1.0f, 1.0f, 1.0f, 1.0f}, kGrey{0.72f, 0.75f, 0.8f, 1.0f};
constexpr glm::vec4 kAmber{1.0f, 0.7f, 0.1f, 1.0f}, kRedline{1.0f, 0.2f, 0.15f, 1.0f}, kDark{0.1f, 0.1f, 0.12f, 0.9f};
constexpr glm::vec4 kLightRed{1.0f, 0.08f, 0.05f, 1.0f}, kLightGreen{0.1f, 1.0f, 0.25f, 1.0f};
constexpr glm::vec4 kLightOff{0.12f, 0.1f, 0.1f, 1.0f};  // a light not yet on
constexpr glm::vec4 kCarText[kMaxCars] = {
    {1.0f, 0.35f, 0.3f, 1}, {0.4f, 0.62f, 1.0f, 1}, {1.0f, 0.85f, 0.25f, 1}, {0.35f, 0.9f, 0.5f, 1}};
constexpr int kLights = 5;

float scalar(const core::StateFrame& s, int car, CarScalar field) {
  return s.scalars[static_cast<size_t>(car * kCarScalars + field)];
}
int whole(float v) { return static_cast<int>(std::lround(v)); }
int finishOrder(const core::StateFrame& s, int car) { return std::max(0, whole(scalar(s, car, kFinishGear))) / kGearSlots; }
int gearOf(const core::StateFrame& s, int car) {
  return std::clamp(std::max(0, whole(scalar(s, car, kFinishGear))) % kGearSlots, 1, kGears);
}
// The tick the car's current lap (or, before its first crossing, its wait) began.
uint64_t lapStart(const core::StateFrame& s, int car) {
  const double clock = std::max(0.0, double(scalar(s, car, kLapClock)));
  return s.tick - std::min<uint64_t>(s.tick, static_cast<uint64_t>(std::llround(clock * kTickRateHz)));
}

// "m:ss.mmm"; "--" for a time not known.
std::string_view lapClock(core::TextBuffer& out, double seconds) {
  out.clear();
  if (!(seconds > 0)) {
    out.append("--");
    return out.view();
  }
  const long long ms = std::llround(seconds * 1000.0);
  char text[32];
  const int n = std::snprintf(text, sizeof text, "%lld:%02lld.%03lld", ms / 60000, ms / 1000 % 60, ms % 1000);
  out.append({text, static_cast<size_t>(std::max(0, n))});
  return out.view();
}

// The dash: low in the view, tilted up to the eyes.
render::Pose dashPose() {
  return {{0.0f, -0.3f, -0.85f}, glm::angleAxis(glm::radians(-20.0f), glm::vec3(1.0f, 0.0f, 0.0f))};
}

}  // namespace

double raceProgress(const Track& track, const core::StateFrame& state, int car, float s) {
  const int order = finishOrder(state, car);
  if (order > 0) return 1e12 - order;
  const double along = scalar(state, car, kCheckpoint) > 0.5f ? double(s) : double(s) - double(track.length);
  return double(whole(scalar(state, car, kLaps))) * track.length + along;
}

void DrivingHud::lookUp(const core::StringTable& t) {
  ids_ = {t.id("hud.speed_unit"), t.id("hud.gear"),     t.id("hud.rpm"),       t.id("hud.lap"),
          t.id("hud.position"),   t.id("hud.lap_time"), t.id("hud.best_lap"),  t.id("hud.finished"),
          t.id("hud.get_ready"),  t.id("hud.results"),  t.id("hud.col_total"), t.id("hud.col_best"),
          t.id("hud.rank"),       t.id("hud.dnf"),      t.id("hud.you"),
          {t.id("hud.car0"), t.id("hud.car1"), t.id("hud.car2"), t.id("hud.car3")}};
  strings_ = &t;
}

// Laps from consecutive frames: a lap done since the last frame took from the last lap's start
// to this one's. A frame from the past (a replay sought back) or a first frame starts afresh.
void DrivingHud::remember(const core::StateFrame& state) {
  const int cars = carsInFrame(state);
  const bool fresh = !seen_ || state.tick < lastTick_;
  for (int p = 0; p < cars; ++p) {
    Memory& m = memory_[static_cast<size_t>(p)];
    const int laps = whole(scalar(state, p, kLaps));
    const bool timing = scalar(state, p, kCheckpoint) > 0.5f;
    const uint64_t start = lapStart(state, p);
    const int order = finishOrder(state, p);
    if (fresh) {
      m = {};
      m.finishTick = order > 0 ? start : 0;  // joined after the finish: its last crossing, as near as known
    } else {
      if (m.timing && laps == m.laps + 1 && start > m.lapStart) {
        const double lap = double(start - m.lapStart) / kTickRateHz;
        m.bestLap = m.bestLap > 0 ? std::min(m.bestLap, lap) : lap;
      }
      if (order > 0 && m.finishTick == 0) m.finishTick = start;  // the crossing that finished it
      if (order == 0) m.finishTick = 0;
    }
    m.timing = timing, m.laps = laps, m.lapStart = start;
  }
  if (fresh) raceOn_ = UINT64_MAX, sawStart_ = false;
  seen_ = true;
  lastTick_ = state.tick;
}

// Positions as the title orders them, from the frame (each car's place along the track found
// near where it was last frame).
void DrivingHud::rank(const core::StateFrame& state, int cars) {
  std::array<double, kMaxCars> progress{};
  for (int p = 0; p < cars; ++p) {
    const glm::vec3& at = state.objects[static_cast<size_t>(p)].position;
    int& hint = hints_[static_cast<size_t>(p)];
    hint = track_.nearest(at, hint);
    const TrackSample& near = track_.samples[static_cast<size_t>(hint)];
    if (glm::distance(glm::vec2(at.x, at.z), glm::vec2(near.position.x, near.position.z)) > near.halfWidth + 20.0f)
      hint = track_.nearest(at);  // put back on the road, or far from where it was
    float s = 0, lateral = 0;
    track_.project(at, hint, s, lateral);
    progress[static_cast<size_t>(p)] = raceProgress(track_, state, p, s);
    order_[static_cast<size_t>(p)] = p;
  }
  for (int i = 1; i < cars; ++i)
    for (int j = i; j > 0 && progress[size_t(order_[size_t(j)])] > progress[size_t(order_[size_t(j - 1)])]; --j)
      std::swap(order_[size_t(j)], order_[size_t(j - 1)]);
  for (int i = 0; i < cars; ++i) position_[size_t(order_[size_t(i)])] = i + 1;
}

void DrivingHud::draw(const core::StateFrame& state, const render::HudContext& context, ui::Canvas& canvas) {
  if (!context.strings) return;
  if (context.strings != strings_) lookUp(*context.strings);
  remember(state);
  const int cars = carsInFrame(state);
  if (cars == 0 || context.stage == render::HudStage::Lobby) return;
  rank(state, cars);
  if (context.stage == render::HudStage::Results) return drawResults(state, cars, context, canvas);
  if (context.stage == render::HudStage::Start) {
    sawStart_ = true;
    return drawLights(state, context, canvas);
  }
  if (raceOn_ == UINT64_MAX) raceOn_ = state.tick;
  const int car = seat_ >= 0 && seat_ < cars ? seat_ : order_[0];  // a spectator: the leader's
  drawDash(state, car, cars, context, canvas);
  if (sawStart_ && double(state.tick - raceOn_) < kGreenLightS * kTickRateHz) drawLights(state, context, canvas);
}

// Five lights above the view: red ones coming on one by one while the start is counted down
// (all five when the time to the start is not known), all green once the race is on.
void DrivingHud::drawLights(const core::StateFrame&, const render::HudContext& context, ui::Canvas& canvas) {
  const bool green = context.stage != render::HudStage::Start;
  int lit = kLights;
  if (!green && context.secondsToStart >= 0)
    lit = std::clamp(int((render::kHudStartSeconds - context.secondsToStart) / render::kHudStartSeconds * kLights) + 1, 1, kLights);
  canvas.panel({.pose = {{0.0f, 0.16f, -1.2f}}, .size = {0.56f, 0.2f}, .anchor = ui::Anchor::Head, .onTop = true});
  for (int i = 0; i < kLights; ++i)
    canvas.rect({(float(i) - 2.0f) * 0.1f, 0.02f}, {0.075f, 0.075f},
                green ? kLightGreen : i < lit ? kLightRed : kLightOff, 0.0375f);
  if (!green)
    canvas.text(ui::slot("driving.ready"), {0.0f, -0.07f}, strings_->get(ids_.getReady, context.lang),
                {.height = 0.04f, .color = kWhite, .align = ui::Align::Center});
}

void DrivingHud::drawDash(const core::StateFrame& state, int car, int cars, const render::HudContext& context,
                          ui::Canvas& canvas) {
  const core::StringTable& t = *strings_;
  const core::Lang lang = context.lang;
  const core::ObjectState& o = state.objects[static_cast<size_t>(car)];
  const Memory& mine = memory_[static_cast<size_t>(car)];
  const int gear = gearOf(state, car), laps = whole(scalar(state, car, kLaps));
  const bool finished = finishOrder(state, car) > 0;
  const float forward = glm::dot(o.velocity, o.orientation * glm::vec3(0.0f, 0.0f, 1.0f));
  const float rpm = engineRpm(tuning_, gear, std::max(0.0f, forward));

  canvas.panel({.pose = dashPose(), .size = {0.72f, 0.22f}, .anchor = ui::Anchor::Head, .onTop = true});
  // Speed, big, and its unit.
  speed_.clear(), speed_.append(Number(glm::length(o.velocity) * 3.6, 0).view());
  canvas.text(ui::slot("driving.speed"), {-0.22f, -0.005f}, speed_.view(), {.height = 0.1f, .color = kWhite, .align = ui::Align::Center});
  canvas.text(ui::slot("driving.unit"), {-0.22f, -0.075f}, t.get(ids_.speedUnit, lang), {.height = 0.032f, .color = kGrey, .align = ui::Align::Center});
  // The gear over the RPM bar, red near the limiter.
  gear_.format(t.get(ids_.gear, lang), {{"gear", Number(gear).view()}});
  canvas.text(ui::slot("driving.gear"), {0.0f, 0.01f}, gear_.view(), {.height = 0.05f, .color = kWhite, .align = ui::Align::Center});
  const float share = std::clamp(rpm / tuning_.limiterRpm, 0.0f, 1.0f);
  canvas.bar({0.0f, -0.045f}, {0.2f, 0.022f}, share, rpm >= tuning_.redlineRpm * 0.95f ? kRedline : kAmber, kDark);
  canvas.text(ui::slot("driving.rpm"), {0.0f, -0.085f}, t.get(ids_.rpm, lang), {.height = 0.025f, .color = kGrey, .align = ui::Align::Center});
  // The race: position, lap, this lap and the best.
  const glm::vec4 colour = kCarText[car % kMaxCars];
  positionText_.format(t.get(ids_.position, lang), {{"pos", Number(position_[size_t(car)]).view()}, {"cars", Number(cars).view()}});
  canvas.text(ui::slot("driving.position"), {0.33f, 0.06f}, positionText_.view(), {.height = 0.05f, .color = colour, .align = ui::Align::Right});
  if (finished) {
    lap_.clear(), lap_.append(t.get(ids_.finished, lang));
  } else {
    lap_.format(t.get(ids_.lap, lang), {{"lap", Number(std::min(laps + 1, track_.laps)).view()}, {"laps", Number(track_.laps).view()}});
  }
  canvas.text(ui::slot("driving.lap"), {0.33f, 0.005f}, lap_.view(), {.height = 0.035f, .color = kWhite, .align = ui::Align::Right});
  const double current = mine.timing && !finished ? double(scalar(state, car, kLapClock)) : 0.0;
  lapTime_.format(t.get(ids_.lapTime, lang), {{"time", lapClock(clock_, current)}});
  canvas.text(ui::slot("driving.lap_time"), {0.33f, -0.04f}, lapTime_.view(), {.height = 0.03f, .color = kWhite, .align = ui::Align::Right});
  bestLap_.format(t.get(ids_.bestLap, lang), {{"time", lapClock(clock_, mine.bestLap)}});
  canvas.text(ui::slot("driving.best"), {0.33f, -0.08f}, bestLap_.view(), {.height = 0.03f, .color = kGrey, .align = ui::Align::Right});
}

// The classification: finishers in finishing order, then the rest as they ran.
void DrivingHud::drawResults(const core::StateFrame& state, int cars, const render::HudContext& context,
                             ui::Canvas& canvas) {
  const core::StringTable& t = *strings_;
  const core::Lang lang = context.lang;
  const float rowH = 0.075f, top = 0.5f * rowH * float(cars + 1);
  canvas.panel({.pose = {{0.0f, 0.0f, -1.5f}}, .size = {1.0f, rowH * float(cars + 2) + 0.04f}, .anchor = ui::Anchor::Head, .onTop = true});
  canvas.text(ui::slot("driving.results"), {-0.45f, top}, t.get(ids_.results, lang), {.height = 0.055f, .color = kWhite});
  canvas.text(ui::slot("driving.col_total"), {0.22f, top}, t.get(ids_.colTotal, lang), {.height = 0.032f, .color = kGrey, .align = ui::Align::Right});
  canvas.text(ui::slot("driving.col_best"), {0.45f, top}, t.get(ids_.colBest, lang), {.height = 0.032f, .color = kGrey, .align = ui::Align::Right});
  for (int i = 0; i < cars; ++i) {
    const int p = order_[size_t(i)];
    const Memory& m = memory_[size_t(p)];
    const float y = top - rowH * float(i + 1);
    const glm::vec4 colour = kCarText[p % kMaxCars];
    const ui::TextStyle row{.height = 0.04f, .color = p == seat_ ? kWhite : kGrey};
    rowRank_[size_t(i)].format(t.get(ids_.rank, lang), {{"pos", Number(i + 1).view()}});
    canvas.text(ui::slot("driving.rank", uint32_t(i)), {-0.45f, y}, rowRank_[size_t(i)].view(), row);
    canvas.rect({-0.3f, y + 0.013f}, {0.03f, 0.03f}, colour, 0.006f);
    rowName_[size_t(i)].clear(), rowName_[size_t(i)].append(t.get(ids_.cars[size_t(p)], lang));
    if (p == seat_) rowName_[size_t(i)].append(t.get(ids_.you, lang));
    canvas.text(ui::slot("driving.name", uint32_t(i)), {-0.27f, y}, rowName_[size_t(i)].view(), {.height = 0.04f, .color = colour});
    rowTotal_[size_t(i)].clear();
    if (finishOrder(state, p) > 0 && m.finishTick > 0) lapClock(rowTotal_[size_t(i)], double(m.finishTick) / kTickRateHz);
    else rowTotal_[size_t(i)].append(t.get(ids_.dnf, lang));
    canvas.text(ui::slot("driving.total", uint32_t(i)), {0.22f, y}, rowTotal_[size_t(i)].view(), {.height = 0.04f, .color = row.color, .align = ui::Align::Right});
    lapClock(rowBest_[size_t(i)], m.bestLap);
    canvas.text(ui::slot("driving.best_row", uint32_t(i)), {0.45f, y}, rowBest_[size_t(i)].view(), {.height = 0.04f, .color = row.color, .align = ui::Align::Right});
  }
}

}  // namespace pav::driving
