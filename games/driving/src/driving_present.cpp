// How a race looks: the ground, the road built from the track's samples (coloured by
// surface, banked as driven), a white edge line, red-and-white kerbs through the corners, track
// scenery (a grandstand at the start, trees, barriers on the outside of corners) and each car,
// all from the project's glTF models (assets/models, tools/asset-gen): the car's "paint." parts
// take the player's colour. Everything that moves comes from the networked state (one object
// per car; driving_state.cpp's scalars). The spectator camera chases the leading car; a seat
// sits at its driver's eye and feels gear shifts, kerbs and knocks in both hands, and in a real
// wheel the front tyres' pull (wheelForce), kerbs and knocks. No Vulkan here:
// render's Vulkan-free scene types only.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include "driving_aids_view.h"
#include "driving_hud.h"
#include "driving_local.h"
#include "driving_sound.h"
#include "pav/driving/driving.h"
#include "pav/render/gltf.h"
#include "pav/render/presenter.h"

#ifndef PAV_ASSET_DIR
#define PAV_ASSET_DIR "assets"
#endif

namespace pav::driving {
namespace {

using render::packColor;

glm::vec4 surfaceColor(Surface s) {
  switch (s) {
    case Surface::Asphalt: return {0.16f, 0.16f, 0.17f, 1};
    case Surface::Concrete: return {0.45f, 0.45f, 0.43f, 1};
    case Surface::Cobbles: return {0.35f, 0.30f, 0.26f, 1};
    case Surface::Gravel: return {0.55f, 0.50f, 0.38f, 1};
    case Surface::Grass: return {0.20f, 0.45f, 0.18f, 1};
  }
  return {1, 0, 1, 1};
}

constexpr glm::vec4 kCarColors[4] = {
    {0.85f, 0.10f, 0.08f, 1}, {0.10f, 0.35f, 0.85f, 1}, {0.95f, 0.75f, 0.10f, 1}, {0.15f, 0.65f, 0.30f, 1}};

// A strip along the track between two lateral offsets (in half-widths), lifted above the road.
render::MeshData strip(const Track& track, float from, float to, float lift, bool bySurface, uint32_t color) {
  std::vector<render::Vertex> edges;
  const size_t n = track.samples.size();
  edges.reserve(2 * (n + 1));
  for (size_t i = 0; i <= n; ++i) {  // back to sample 0: the circuit closes
    const TrackSample& smp = track.samples[i % n];
    glm::vec3 normal{0, 1, 0};
    const glm::vec3 a = track.surfacePoint(smp.s, smp.halfWidth * from, &normal) + normal * lift;
    const glm::vec3 b = track.surfacePoint(smp.s, smp.halfWidth * to) + normal * lift;
    const uint32_t c = bySurface ? packColor(surfaceColor(smp.surface)) : color;
    edges.push_back({a, normal, c});
    edges.push_back({b, normal, c});
  }
  return render::makeRibbon(edges);
}

// Kerbs on both edges wherever the track has them: a 2 m block per sample, red and white in
// turn (each block its own quad, so the colours do not blend).
render::MeshData kerbs(const Track& track) {
  render::MeshData all;
  const uint32_t red = packColor({0.80f, 0.08f, 0.06f, 1}), white = packColor({0.95f, 0.95f, 0.95f, 1});
  const size_t n = track.samples.size();
  for (size_t i = 0; i < n; ++i) {
    const TrackSample& a = track.samples[i];
    const TrackSample& b = track.samples[(i + 1) % n];
    if (!a.kerb) continue;
    const uint32_t c = i % 2 == 0 ? red : white;
    const float endS = b.s > a.s ? b.s : track.length;
    for (float side : {-1.0f, 1.0f}) {
      std::vector<render::Vertex> edges;
      for (float s : {a.s, endS}) {
        const TrackSample& at = s == a.s ? a : b;
        glm::vec3 normal{0, 1, 0};
        const float inner = side * (at.halfWidth - kKerbWidthM), outer = side * at.halfWidth;
        // Left to right across the road, as strip() orders its edges.
        const float from = side < 0 ? outer : inner, to = side < 0 ? inner : outer;
        const glm::vec3 p = track.surfacePoint(s, from, &normal) + normal * 0.035f;
        const glm::vec3 q = track.surfacePoint(s, to) + normal * 0.035f;
        edges.push_back({p, normal, c});
        edges.push_back({q, normal, c});
      }
      all.append(render::makeRibbon(edges));
    }
  }
  return all;
}

// The title's data folder (`pavilion play --data DIR`) has the models in DIR/models; without one,
// the built-in assets/. A missing or damaged model throws pav::Error naming the file (loadGltf).
std::string modelPath(const std::string& dataDir, const char* name) {
  return (dataDir.empty() ? std::string(PAV_ASSET_DIR) : dataDir) + "/models/" + name + ".gltf";
}
std::string texturePath(const std::string& dataDir, const char* name) {
  return (dataDir.empty() ? std::string(PAV_ASSET_DIR) : dataDir) + "/models/textures/" + name + ".png";
}

// ---- Scenery: placed once from the track, clear of every part of the road and its aprons ----

constexpr float kApronM = 6.0f;  // track.cpp's run-off either side of the road
constexpr float kGroundY = -0.05f;

glm::mat4 placeAt(const glm::vec3& p, float yaw) {
  return glm::rotate(glm::translate(glm::mat4(1), {p.x, kGroundY, p.z}), yaw, {0, 1, 0});
}

// Whether a point is at least `clear` metres beyond the road edge and apron everywhere.
bool clearOfTrack(const Track& track, const glm::vec3& p, float clear) {
  const TrackSample& near = track.samples[size_t(track.nearest(p))];
  const glm::vec2 d(p.x - near.position.x, p.z - near.position.z);
  return glm::length(d) > near.halfWidth + kApronM + clear;
}

struct Scenery {
  std::vector<glm::mat4> trees, barriers, stands;
  std::vector<glm::mat4> smallStands, clubhouses, houses;  // venues.h (tools/asset-gen)
};

// Facing the road from a point beside sample `a` on `side`: the model's +Z towards the road.
glm::mat4 facingRoad(const TrackSample& a, float side, float out) {
  const glm::vec3 p = a.position + a.right * side * (a.halfWidth + kApronM + out);
  const glm::vec3 toRoad = -a.right * side;
  return placeAt(p, std::atan2(toRoad.x, toRoad.z));
}

Scenery placeScenery(const Track& track) {
  Scenery out;
  const size_t n = track.samples.size();
  if (n < 3) return out;
  // The grandstand beside the start line, facing the road, on whichever side has room.
  const TrackSample& start = track.samples.front();
  for (float side : {1.0f, -1.0f}) {
    const glm::vec3 p = start.position + start.right * side * (start.halfWidth + kApronM + 8.0f);
    if (!clearOfTrack(track, p, 6.0f)) continue;
    const glm::vec3 toRoad = -start.right * side;  // the stand's +Z
    out.stands.push_back(placeAt(p, std::atan2(toRoad.x, toRoad.z)));
    break;
  }
  // The clubhouse across the road from the grandstand; small stands along the straights and
  // houses set further back, alternating sides (a fixed pattern, no RNG).
  for (float side : {-1.0f, 1.0f}) {
    const glm::mat4 t = facingRoad(start, side, 14.0f);
    if (!out.stands.empty() && glm::dot(glm::vec3(out.stands[0][3]) - start.position, start.right) * side > 0) continue;
    if (clearOfTrack(track, glm::vec3(t[3]), 10.0f)) {
      out.clubhouses.push_back(t);
      break;
    }
  }
  for (size_t i = 60; i + 30 < n && out.smallStands.size() < 8; i += 120) {
    const TrackSample& a = track.samples[i];
    if (a.curvature > 0.01f) continue;
    const float side = (i / 120) % 2 ? 1.0f : -1.0f;
    const glm::mat4 t = facingRoad(a, side, 4.0f);
    if (clearOfTrack(track, glm::vec3(t[3]), 3.0f)) out.smallStands.push_back(t);
  }
  for (size_t i = 100; i < n && out.houses.size() < 12; i += 90) {
    const TrackSample& a = track.samples[i];
    const float side = (i / 90) % 2 ? -1.0f : 1.0f;
    const glm::mat4 t = facingRoad(a, side, 38.0f + float(i % 13));
    if (clearOfTrack(track, glm::vec3(t[3]), 12.0f)) out.houses.push_back(t);
  }
  // Barriers round the outside of corners, one 4 m segment every other sample (~4 m).
  for (size_t i = 0; i < n && out.barriers.size() < 400; i += 2) {
    const TrackSample& a = track.samples[i];
    if (a.curvature < 0.012f) continue;
    const glm::vec3 turn = track.samples[(i + 1) % n].forward - track.samples[(i + n - 1) % n].forward;
    const float outside = glm::dot(turn, a.right) > 0 ? -1.0f : 1.0f;
    const glm::vec3 p = a.position + a.right * outside * (a.halfWidth + kApronM + 1.5f);
    if (!clearOfTrack(track, p, 1.0f)) continue;
    out.barriers.push_back(placeAt(p, std::atan2(-a.forward.z, a.forward.x)));
  }
  // Trees either side every ~30 m, set back by a varying distance (a fixed pattern, no RNG).
  for (size_t i = 0; i < n && out.trees.size() < 300; i += 15) {
    const TrackSample& a = track.samples[i];
    for (float side : {-1.0f, 1.0f}) {
      const float back = 10.0f + float((i * 7 + (side > 0 ? 3 : 0)) % 17);
      const glm::vec3 p = a.position + a.right * side * (a.halfWidth + kApronM + back);
      if (clearOfTrack(track, p, 5.0f)) out.trees.push_back(placeAt(p, float(i % 11) * 0.57f));
    }
  }
  return out;
}


// What a driver feels through the wheel they hold: a gear shift a firm 40 ms kick in both
// hands, a kerb a buzz that grows with the wheels on it, for as long as they stay there.
constexpr float kShiftAmplitude = 0.7f, kShiftSeconds = 0.04f, kKerbAmplitude = 0.25f;

// The ghost: a pale blue car, hidden while it is this close to the car it drives beside.
constexpr glm::vec4 kGhostColor{0.70f, 0.85f, 1.0f, 1};
constexpr float kGhostClearM = 5.0f;

class DrivingPresenter final : public render::Presenter {
 public:
  DrivingPresenter(const DrivingTitle& title, int seat)
      : track_(title.track()),
        tuning_(title.tuning()),
        dataDir_(title.dataDir()),
        seat_(seat),
        // The line shows where the session's braking assist brakes; without one, a bot's.
        lineGrip_(title.assists().brakeShare > 0 ? title.assists().brakeShare : botSkillFor(1).speedFactor) {
    hints_.fill(-1);
  }

  std::vector<render::MeshData> meshes() const override {
    std::vector<render::MeshData> m;
    // The fields: pavilion-asset-gen's grass texture, tiled every 4 m, over a faint checker.
    render::MeshData ground = render::makePlane(4000.0f, 80, packColor({1, 1, 1, 1}), packColor({0.94f, 0.96f, 0.94f, 1}));
    render::MaterialData grass;
    grass.baseColorTexture = render::loadImage(texturePath(dataDir_, "grass"));  // throws naming the file
    grass.uvScale = glm::vec2(0.25f);
    grass.roughness = 0.95f;
    ground.materials.push_back(std::move(grass));
    m.push_back(std::move(ground));
    m.push_back(strip(track_, -1.0f, 1.0f, 0.02f, true, 0));
    m.push_back(strip(track_, -1.0f, -0.94f, 0.03f, false, packColor({0.95f, 0.95f, 0.95f, 1})));
    m.push_back(strip(track_, 0.94f, 1.0f, 0.03f, false, packColor({0.95f, 0.95f, 0.95f, 1})));
    m.push_back(kerbs(track_));
    // The car model is made for the default CarTuning (origin at the chassis box's centre);
    // a tuning with another box stretches it to fit.
    const glm::vec3 stretch = tuning_.halfExtents / CarTuning{}.halfExtents;
    const render::GltfModel model = render::loadGltfModel(modelPath(dataDir_, "car"));
    for (bool paint : {true, false}) {
      render::MeshData part = render::mergeParts(model, render::partsNamed("paint.", paint));
      for (render::Vertex& v : part.vertices) v.position *= stretch;
      m.push_back(std::move(part));
    }
    m.push_back(render::loadGltf(modelPath(dataDir_, "tree")));
    m.push_back(render::loadGltf(modelPath(dataDir_, "barrier")));
    m.push_back(render::loadGltf(modelPath(dataDir_, "grandstand")));
    m.push_back(render::loadGltf(modelPath(dataDir_, "stand_small")));
    m.push_back(render::loadGltf(modelPath(dataDir_, "clubhouse")));
    m.push_back(render::loadGltf(modelPath(dataDir_, "house")));
    // The visitor's own car, open: without its cabin and the glass round it (the driver's eye
    // is above the cabin's roof), so the cockpit (Presenter::body) shows round the wheel.
    for (bool paint : {true, false}) {
      render::MeshData part = render::mergeParts(model, [paint](const render::GltfPart& p) {
        return p.name.starts_with("paint.") == paint && p.name != "paint.cabin" && p.name != "glass";
      });
      for (render::Vertex& v : part.vertices) v.position *= stretch;
      m.push_back(std::move(part));
    }
    m.push_back(racingLineMesh(track_, tuning_, lineGrip_));
    return m;
  }

  void setMeshes(std::span<const render::MeshId> ids) override {
    std::copy_n(ids.begin(), std::min<size_t>(ids.size(), kMeshes), ids_);
    const Scenery s = placeScenery(track_);
    scenery_.clear();
    for (const glm::mat4& t : s.trees) scenery_.push_back({ids_[kTreeMesh], t, {1, 1, 1, 1}});
    for (const glm::mat4& t : s.barriers) scenery_.push_back({ids_[kBarrierMesh], t, {1, 1, 1, 1}});
    for (const glm::mat4& t : s.stands) scenery_.push_back({ids_[kStandMesh], t, {1, 1, 1, 1}});
    for (const glm::mat4& t : s.smallStands) scenery_.push_back({ids_[kSmallStandMesh], t, {1, 1, 1, 1}});
    for (const glm::mat4& t : s.clubhouses) scenery_.push_back({ids_[kClubhouseMesh], t, {1, 1, 1, 1}});
    for (const glm::mat4& t : s.houses) scenery_.push_back({ids_[kHouseMesh], t, {1, 1, 1, 1}});
  }

  void present(const core::StateFrame& state, render::Scene& scene, render::View& camera, float aspect) const override {
    scene.draws.clear();
    scene.clearColor = {0.55f, 0.70f, 0.90f, 1};
    scene.sky = {}, scene.sky.enabled = true;  // the road fades into the sky, not into an edge
    scene.draws.push_back({ids_[0], glm::translate(glm::mat4(1), {0, -0.05f, 0}), {1, 1, 1, 1}});
    for (int i = 1; i < kCarMesh; ++i) scene.draws.push_back({ids_[i], glm::mat4(1), {1, 1, 1, 1}});
    scene.draws.push_back({ids_[kLineMesh], glm::mat4(1), {1, 1, 1, 1}});
    scene.draws.insert(scene.draws.end(), scenery_.begin(), scenery_.end());
    const int cars = carsIn(state);
    for (int p = 0; p < cars; ++p) {
      const core::ObjectState& c = state.objects[static_cast<size_t>(p)];
      const glm::mat4 model = glm::translate(glm::mat4(1), c.position) * glm::mat4_cast(c.orientation);
      const int mesh = p == seat_ ? kOwnCarMesh : kCarMesh;
      scene.draws.push_back({ids_[mesh], model, kCarColors[p % 4]});
      scene.draws.push_back({ids_[mesh + 1], model, {1, 1, 1, 1}});
    }
    // The ghost of the session's best lap beside the seat's car (a spectator: the leader's),
    // pale, and not while it overlaps the car (from the cockpit it would fill the view).
    const int lead = cars > 0 ? leader(state) : 0;
    const int mine = seat_ >= 0 && seat_ < cars ? seat_ : lead;
    if (cars > 0 && size_t(cars + mine) < state.objects.size()) {
      const core::ObjectState& g = state.objects[static_cast<size_t>(cars + mine)];
      const glm::vec3 car = state.objects[static_cast<size_t>(mine)].position;
      if (ghostShown(g) && glm::distance(g.position, car) > kGhostClearM) {
        const glm::mat4 model = glm::translate(glm::mat4(1), g.position) * glm::mat4_cast(g.orientation);
        scene.draws.push_back({ids_[kCarMesh], model, kGhostColor});
        scene.draws.push_back({ids_[kCarMesh + 1], model, kGhostColor});
      }
    }
    // The spectator's camera chases the leader.
    const core::ObjectState leadCar = cars > 0 ? state.objects[static_cast<size_t>(lead)] : core::ObjectState{};
    const glm::vec3 forward = leadCar.orientation * glm::vec3(0, 0, 1);
    const glm::vec3 flat = glm::length(glm::vec2(forward.x, forward.z)) > 1e-3f
                               ? glm::normalize(glm::vec3(forward.x, 0, forward.z))
                               : track_.samples.front().forward;
    camera.pose =
        render::Pose::lookAt(leadCar.position - flat * 9.0f + glm::vec3(0, 3.5f, 0), leadCar.position + flat * 6.0f);
    camera.fov = render::Fov::symmetric(glm::radians(60.0f), aspect);
    camera.nearZ = 0.2f;
    camera.farZ = 2500.0f;
  }

  bool seat(const core::StateFrame& state, render::Seat& out) const override {
    if (seat_ < 0 || seat_ >= carsIn(state)) return false;
    const core::ObjectState& c = state.objects[static_cast<size_t>(seat_)];
    out = {render::Seat::Stance::Seated, driverEye(tuning_, c.position, c.orientation), {}};
    return true;
  }

  // The driver's cockpit: the steering wheel turning with the car's steering, the hands on it.
  void body(const core::StateFrame& state, render::Body& out) const override {
    out = {};
    if (seat_ < 0 || seat_ >= carsIn(state)) return;
    const core::ObjectState& c = state.objects[static_cast<size_t>(seat_)];
    const float steer = state.scalars[static_cast<size_t>(seat_ * kCarScalars + kSteer)];
    out = steeringBody(tuning_, c.position, c.orientation, std::isfinite(steer) ? steer : 0.0f);
  }

  void feel(const core::StateFrame& before, const core::StateFrame& now, render::Cues& cues) override {
    if (seat_ < 0 || seat_ >= carsIn(now) || seat_ >= carsIn(before)) return;
    const core::ObjectState& car = now.objects[static_cast<size_t>(seat_)];
    const core::ObjectState& was = before.objects[static_cast<size_t>(seat_)];
    // A real wheel: the front tyres' pull, the spring and the damper (wheelForce).
    const float align = now.scalars[static_cast<size_t>(seat_ * kCarScalars + kAlign)];
    cues.wheelForce(wheelForce(tuning_, glm::length(car.velocity), std::isfinite(align) ? align : 0.0f));
    if (gearOf(before, seat_) != gearOf(now, seat_)) cues.bothHands(render::Feel::Jolt, kShiftAmplitude, kShiftSeconds);
    const int kerb = kerbWheels(car, seat_);
    if (kerb > 0) {
      cues.bothHands(render::Feel::Rumble, kKerbAmplitude * float(std::min(kerb, 2)));
      cues.rumble(render::FeelWhere::Wheel, kKerbRumblePerWheel * float(std::min(kerb, 2)));
    }
    // A knock: more change of velocity between the frames than tyres can give. A car put back
    // on the road (a jump of metres) is no knock.
    const float seconds = now.tick > before.tick ? float(double(now.tick - before.tick) / kTickRateHz) : 0.0f;
    if (seconds > 0 && glm::distance(car.position, was.position) < 5.0f) {
      const float knock = knockAmplitude(was.velocity, car.velocity, seconds);
      if (knock > 0) {
        cues.jolt(render::FeelWhere::Wheel, knock, kKnockSeconds);
        cues.bothHands(render::Feel::Jolt, knock, kKnockSeconds);
      }
    }
  }

  // Every car's engine, tyres, kerbs and wind, shifts and hits (driving_sound.h).
  std::span<const render::SoundSpec> sounds() const override { return drivingSounds(); }
  void hear(const core::StateFrame& before, const core::StateFrame& now, render::SoundCues& cues) override {
    const int cars = carsIn(now);
    for (int p = 0; p < cars; ++p) kerb_[size_t(p)] = kerbWheels(now.objects[size_t(p)], p);
    sounds_.hear(before, now, std::span<const int>(kerb_.data(), size_t(cars)), cues);
  }

  // Start lights, the dash of the seat's car (a spectator: the leader's) and the
  // classification (driving_hud.h).
  void hud(const core::StateFrame& state, const render::HudContext& context, render::ui::Canvas& canvas) override {
    hud_.draw(state, context, canvas);
    // The comfort vignette, for a seated visitor only (a spectator's camera does not turn
    // with a car).
    if (seat_ >= 0) vignette_.draw(vignette_.update(state, seat_, context.vignette), canvas);
  }

 private:
  int carsIn(const core::StateFrame& state) const {
    return carsInFrame(state);
  }
  static int gearOf(const core::StateFrame& state, int car) {
    return static_cast<int>(std::lround(state.scalars[static_cast<size_t>(car * kCarScalars + kFinishGear)])) %
           kGearSlots;
  }

  // The sample nearest a car: searched near where it was last frame, the whole track when it
  // is not there (a car put back on the road, the first frame).
  int sampleNear(int car, const glm::vec3& p) const {
    int& hint = hints_[static_cast<size_t>(car)];
    if (hint >= 0) {
      const int i = track_.nearest(p, hint);
      const TrackSample& smp = track_.samples[static_cast<size_t>(i)];
      if (glm::distance(glm::vec2(p.x, p.z), glm::vec2(smp.position.x, smp.position.z)) < smp.halfWidth + kApronM + 10.0f)
        return hint = i;
    }
    return hint = track_.nearest(p);
  }

  // Race order without the simulation: the title's rule (raceProgress), from the frame.
  int leader(const core::StateFrame& state) const {
    int best = 0;
    double bestProgress = -1e18;
    for (int p = 0; p < carsIn(state); ++p) {
      const glm::vec3& at = state.objects[static_cast<size_t>(p)].position;
      float s = 0, lateral = 0;
      track_.project(at, sampleNear(p, at), s, lateral);
      const double progress = raceProgress(track_, state, p, s);
      if (progress > bestProgress) bestProgress = progress, best = p;
    }
    return best;
  }

  // Wheels over a kerb: each wheel's footprint (the chassis' corners at the axles) against
  // the kerbs at the car's place on the track.
  int kerbWheels(const core::ObjectState& c, int car) const {
    const int i = sampleNear(car, c.position);
    const TrackSample& here = track_.samples[static_cast<size_t>(i)];
    int n = 0;
    for (float x : {-tuning_.wheelHalfTrack, tuning_.wheelHalfTrack})
      for (float z : {-tuning_.wheelBaseHalf, tuning_.wheelBaseHalf}) {
        const glm::vec3 wheel = c.position + c.orientation * glm::vec3(x, 0.0f, z);
        n += track_.onKerb(i, glm::dot(wheel - here.position, here.right)) ? 1 : 0;
      }
    return n;
  }

  const Track& track_;  // the title's, set up for the session: static
  const CarTuning tuning_;
  const std::string dataDir_;
  const int seat_;
  const float lineGrip_;
  mutable std::array<int, kMaxCars> hints_{};  // each car's sample last frame (a search hint only)
  DrivingHud hud_{track_, tuning_, seat_};
  DrivingSounds sounds_{tuning_};
  Vignette vignette_;
  std::array<int, kMaxCars> kerb_{};
  // Ground, road, two edge lines, kerbs, the car (paint, then the rest), tree, barrier, stand,
  // the venues, the visitor's own open car (paint, then the rest), the racing line.
  static constexpr int kCarMesh = 5, kTreeMesh = 7, kBarrierMesh = 8, kStandMesh = 9, kSmallStandMesh = 10,
                       kClubhouseMesh = 11, kHouseMesh = 12, kOwnCarMesh = 13, kLineMesh = 15, kMeshes = 16;
  render::MeshId ids_[kMeshes];
  std::vector<render::DrawItem> scenery_;  // placed once in setMeshes
};

}  // namespace

float fullAlignNm(const CarTuning& t) { return 0.5f * t.massKg * kGravity * t.frictionSlip * t.tyreTrailM; }

render::WheelForce wheelForce(const CarTuning& t, float speed, float alignNm) {
  const float full = fullAlignNm(t);
  const float fade = std::clamp(1.0f - std::fabs(speed) / kWheelSpringFadeMps, 0.0f, 1.0f);
  return {.torque = full > 0 ? std::clamp(alignNm / full, -1.0f, 1.0f) : 0.0f,
          .spring = kWheelSpringAtRest * fade,
          .damper = kWheelDamper};
}

float knockAmplitude(const glm::vec3& velocityBefore, const glm::vec3& velocityNow, float seconds) {
  if (!(seconds > 0)) return 0.0f;
  const glm::vec3 dv = velocityNow - velocityBefore;
  const float accel = glm::length(glm::vec2(dv.x, dv.z)) / seconds;
  if (!(accel > kKnockAccel)) return 0.0f;
  // 0.3 for a nudge, full for a knock five times over the threshold.
  return std::clamp(0.3f + 0.7f * (accel - kKnockAccel) / (4.0f * kKnockAccel), 0.3f, 1.0f);
}

render::Pose driverEye(const CarTuning& tuning, const glm::vec3& position, const glm::quat& orientation) {
  // In the cabin (it sits on the body, a little behind the middle), in the left seat (chassis
  // +x is left), at a seated driver's eye height over the floor.
  const glm::vec3 h = tuning.halfExtents;
  const glm::vec3 seat{0.42f * h.x, 1.9f * h.y, -0.15f * h.z};
  // The car's heading: chassis +z forward is the eye's -z (yaw only, as a recentered space).
  const glm::vec3 fwd = orientation * glm::vec3(0.0f, 0.0f, 1.0f);
  const float yaw = std::atan2(-fwd.x, -fwd.z);
  return {position + orientation * seat, glm::angleAxis(yaw, glm::vec3(0.0f, 1.0f, 0.0f))};
}

render::Body steeringBody(const CarTuning& tuning, const glm::vec3& position, const glm::quat& orientation,
                          float steerRad) {
  // The hub 0.45 m ahead of the driver's eye and 0.32 m below it, the column raked 20 degrees:
  // the mount's +Z (towards the driver) is the car's -z tilted up.
  const glm::vec3 h = tuning.halfExtents;
  const glm::vec3 hub = glm::vec3{0.42f * h.x, 1.9f * h.y, -0.15f * h.z} + glm::vec3{0.0f, -0.32f, 0.45f};
  const glm::quat facing = orientation * glm::angleAxis(glm::pi<float>(), glm::vec3(0, 1, 0)) *
                           glm::angleAxis(glm::radians(-20.0f), glm::vec3(1, 0, 0));
  render::Body b;
  b.hands = render::Body::Hands::OnHeld;
  b.held = render::Body::Held::SteeringWheel;
  b.cockpit = true;
  b.mount = {position + orientation * hub, facing};
  // Full lock is a quarter turn of the rim, as the headset's virtual wheel reads the hands; the
  // car's steering angle (rate-limited, the lock falling with speed) turns it. That angle is
  // Bullet's, positive to the left; the rim turns clockwise (positive) to the right.
  const float lock = tuning.maxSteerRad > 0 ? tuning.maxSteerRad : 1.0f;
  b.turn = -std::clamp(steerRad / lock, -1.0f, 1.0f) * kWheelQuarterTurn;
  return b;
}

std::unique_ptr<render::Presenter> makeDrivingPresenter(const core::Title& title, int seat) {
  const auto* driving = dynamic_cast<const DrivingTitle*>(&title);
  return driving ? std::make_unique<DrivingPresenter>(*driving, seat) : nullptr;
}

}  // namespace pav::driving
