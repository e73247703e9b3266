// The racing line's ribbon and the comfort vignette (driving_aids_view.h).
#include "driving_aids_view.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace pav::driving {
namespace {

// Slack in m/s for the racing line's zones (a profile this close to what the car reaches
// does not hold it back).
constexpr float kBrakingDropMps = 0.05f;
// Easing: the vignette closes in about 0.1 s and opens again over about 0.5 s.
constexpr float kCloseS = 0.1f, kOpenS = 0.4f;
// The acceleration read from frame to frame is smoothed over this long (frames jitter).
constexpr float kAccelSmoothS = 0.15f;

}  // namespace

std::vector<LineZone> lineZones(const Track& track, const CarTuning& t, float gripShare) {
  const size_t n = track.samples.size();
  std::vector<LineZone> zones(n, LineZone::Accelerate);
  if (n < 2) return zones;
  const float scale = std::sqrt(std::clamp(gripShare, 0.05f, 1.0f));
  auto profile = [&](size_t i) { return track.samples[i].targetSpeed * scale; };
  // Flat out from the slowest point round: what the engine allows (power over speed, less
  // drag), limited by the profile; twice round so the start sees the lap before it.
  size_t slowest = 0;
  for (size_t i = 1; i < n; ++i)
    if (profile(i) < profile(slowest)) slowest = i;
  std::vector<float> reach(n, 0.0f);
  float v = profile(slowest);
  for (size_t k = 1; k <= 2 * n; ++k) {
    const size_t i = (slowest + k) % n;
    const size_t prev = (i + n - 1) % n;
    float ds = track.samples[i].s - track.samples[prev].s;
    if (ds <= 0) ds += track.length;
    const float vs = std::max(v, 1.0f);
    const float accel = std::min(6.0f, t.maxPowerW / (t.massKg * vs)) - 0.5f * kAirDensity * t.dragArea * vs * vs / t.massKg;
    const float flatOut = std::sqrt(std::max(0.0f, v * v + 2.0f * std::max(accel, 0.0f) * ds));
    reach[i] = flatOut;
    v = std::min(flatOut, profile(i));
  }
  for (size_t i = 0; i < n; ++i) {
    // The engine sets the speed, or the profile's cap on a straight (no corner): accelerate.
    if (profile(i) >= reach[i] - kBrakingDropMps || track.samples[i].targetSpeed >= kProfileMaxSpeed - 0.01f) continue;
    const bool falling = profile((i + 1) % n) < profile(i) - kBrakingDropMps;
    zones[i] = falling ? LineZone::Brake : LineZone::Corner;
  }
  return zones;
}

render::MeshData racingLineMesh(const Track& track, const CarTuning& tuning, float gripShare) {
  const std::vector<LineZone> zones = lineZones(track, tuning, gripShare);
  const uint32_t colours[3] = {render::packColor({0.15f, 0.80f, 0.25f, 1}),   // accelerate
                               render::packColor({0.95f, 0.70f, 0.10f, 1}),   // corner
                               render::packColor({0.90f, 0.12f, 0.08f, 1})};  // brake
  std::vector<render::Vertex> edges;
  const size_t n = track.samples.size();
  edges.reserve(2 * (n + 1));
  for (size_t k = 0; k <= n; ++k) {  // back to sample 0: the circuit closes
    const TrackSample& smp = track.samples[k % n];
    glm::vec3 normal{0, 1, 0};
    const float half = 0.5f * kRacingLineWidthM;
    // Between the road (0.02 m up) and its edge lines and kerbs (0.03 m).
    const glm::vec3 a = track.surfacePoint(smp.s, smp.racingOffset - half, &normal) + normal * 0.025f;
    const glm::vec3 b = track.surfacePoint(smp.s, smp.racingOffset + half) + normal * 0.025f;
    const uint32_t c = colours[static_cast<int>(zones[k % n])];
    edges.push_back({a, normal, c});
    edges.push_back({b, normal, c});
  }
  return render::makeRibbon(edges);
}

float Vignette::update(const core::StateFrame& state, int car, float setting) {
  if (car < 0 || car >= carsInFrame(state)) return eased_ = 0;
  const core::ObjectState& c = state.objects[static_cast<size_t>(car)];
  const float dt = have_ && state.tick > tick_ ? float(double(state.tick - tick_) / kTickRateHz) : 0.0f;
  if (dt > 0 && dt < 0.5f) {
    const float a = glm::length(c.velocity - velocity_) / dt;
    const float k = std::clamp(dt / kAccelSmoothS, 0.0f, 1.0f);
    if (std::isfinite(a)) accel_ += k * (a - accel_);
  } else if (!have_ || dt >= 0.5f || state.tick < tick_) {
    accel_ = 0;  // the first frame, a gap or a rewind: no acceleration to read
  }
  have_ = true;
  tick_ = state.tick;
  velocity_ = c.velocity;
  const float target = vignetteStrength(glm::length(c.angularVelocity), accel_, setting);
  if (dt > 0) {
    const float k = std::clamp(dt / (target > eased_ ? kCloseS : kOpenS), 0.0f, 1.0f);
    eased_ += k * (target - eased_);
  } else if (!(eased_ > 0)) {
    eased_ = 0;
  }
  return eased_;
}

void Vignette::draw(float strength, render::ui::Canvas& canvas) const {
  if (!(strength > 0.01f)) return;
  render::ui::PanelDesc panel;
  panel.pose = render::Pose{glm::vec3(0.0f, 0.0f, -kDistanceM), glm::quat(1.0f, 0.0f, 0.0f, 0.0f)};
  panel.size = glm::vec2(2.0f * kHalfM);
  panel.anchor = render::ui::Anchor::Head;
  panel.fill = glm::vec4(0.0f);
  panel.cornerRadius = 0;
  panel.onTop = true;
  canvas.panel(panel);
  // Bands from the opening outwards, each darker: the edge of the view goes black first.
  const float open = kOpenWideM + (kOpenNarrowM - kOpenWideM) * std::clamp(strength, 0.0f, 1.0f);
  const float step = (kHalfM - open) / kBands;
  for (int b = 0; b < kBands; ++b) {
    const float inner = open + step * float(b);
    const float alpha = std::clamp(strength, 0.0f, 1.0f) * (0.35f + 0.65f * float(b + 1) / kBands);
    const glm::vec4 c(0.0f, 0.0f, 0.0f, alpha * 0.45f);
    const float w = kHalfM - inner;  // each band covers from its inner edge to the panel's edge
    const float mid = 0.5f * (inner + kHalfM);
    canvas.rect({0.0f, mid}, {2.0f * kHalfM, w}, c);     // top
    canvas.rect({0.0f, -mid}, {2.0f * kHalfM, w}, c);    // bottom
    canvas.rect({-mid, 0.0f}, {w, 2.0f * inner}, c);     // left, between the top and bottom
    canvas.rect({mid, 0.0f}, {w, 2.0f * inner}, c);      // right
  }
}

}  // namespace pav::driving
