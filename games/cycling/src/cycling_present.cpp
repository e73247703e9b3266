// How a ride looks: the course as the route file lays it out (turning, climbing), its road
// banked at the edges where it turns, verges either side, trees along them (cycling_road.h),
// the finish line, and each rider (the project's bike_rider glTF model, its "paint." parts in
// the rider's colour) where the networked state's objects put them (riderPoseAt). The
// spectator camera rides behind the leader, along the road; a seat rides at its rider's eye.
// No Vulkan: render's scene types.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include "cycling_hud.h"
#include "cycling_local.h"
#include "cycling_road.h"
#include "cycling_sound.h"
#include "pav/cycling/cycling.h"
#include "pav/render/gltf.h"
#include "pav/render/presenter.h"

#ifndef PAV_ASSET_DIR
#define PAV_ASSET_DIR "assets"
#endif

namespace pav::cycling {
namespace {


constexpr float kRoadHalfWidth = kRoadHalfWidthM;
constexpr float kVergeHalfWidth = 40.0f;

// The title's data folder (`pavilion play --data DIR`) has the models in DIR/models; without one,
// the built-in assets/. setup() also takes the cycling folder itself (DIR/route.txt, see
// CyclingTitle::setup): then the models are beside it, in DIR/../models. A missing or damaged
// model throws pav::Error naming the file (loadGltf).
std::string modelPath(const std::string& dataDir, const char* name) {
  const std::string file = std::string(name) + ".gltf";
  if (dataDir.empty()) return std::string(PAV_ASSET_DIR) + "/models/" + file;
  const std::filesystem::path dir(dataDir);
  std::error_code ec;
  const bool cyclingFolder =
      !std::filesystem::exists(dir / "cycling" / "route.txt", ec) && std::filesystem::exists(dir / "route.txt", ec);
  return ((cyclingFolder ? dir / ".." : dir) / "models" / file).lexically_normal().string();
}

// Trees are drawn only this far behind and ahead of the leader.
constexpr float kTreesBehindM = 60.0f, kTreesAheadM = 600.0f;

class CyclingPresenter final : public render::Presenter {
 public:
  CyclingPresenter(const CyclingTitle& title, int seat)
      : route_(title.route()), course_(title.course()), dataDir_(title.dataDir()), seat_(seat) {
    const RoadFrame finish = route_.frameAt(route_.length());
    finish_ = glm::rotate(glm::translate(glm::mat4(1), glm::vec3(finish.centre)), float(finish.yaw), {0, 1, 0});
  }

  std::vector<render::MeshData> meshes() const override {
    std::vector<render::MeshData> m;
    m.push_back(roadSurface(course_));
    m.push_back(roadShoulders(course_));
    m.push_back(roadVerges(course_, kVergeHalfWidth));
    // Rider and bike, +X the direction of travel: the painted parts first (tinted per rider).
    const render::GltfModel rider = render::loadGltfModel(modelPath(dataDir_, "bike_rider"));
    m.push_back(render::mergeParts(rider, render::partsNamed("paint.")));
    m.push_back(render::mergeParts(rider, render::partsNamed("paint.", false)));
    m.push_back(render::loadGltf(modelPath(dataDir_, "tree")));
    m.push_back(render::loadGltf(modelPath(dataDir_, "stand_small")));
    m.push_back(render::loadGltf(modelPath(dataDir_, "clubhouse")));
    m.push_back(render::loadGltf(modelPath(dataDir_, "house")));
    m.push_back(finishLine());
    return m;
  }

  void setMeshes(std::span<const render::MeshId> ids) override {
    std::copy_n(ids.begin(), std::min<size_t>(ids.size(), kMeshes), ids_);
    // Trees on both verges every 25 m of the course, set back by a fixed pattern (no RNG), in
    // course order, each with its distance along the course.
    trees_.clear(), treeAt_.clear();
    for (double x = 10.0; x < course_.length(); x += 25.0) {
      const auto i = static_cast<unsigned>(x);
      const double d = std::min(x + double(i % 9), course_.length());
      const RoadFrame f = course_.frameAt(d);
      for (double side : {-1.0, 1.0}) {
        const double across = side * (kRoadHalfWidth + 6.0 + double((i * 7 + (side > 0 ? 5 : 0)) % 23));
        const glm::vec3 p(f.centre + across * f.right - glm::dvec3(0.0, 0.05, 0.0));
        trees_.push_back({ids_[kTreeMesh], glm::rotate(glm::translate(glm::mat4(1), p), float(i % 13) * 0.5f, {0, 1, 0}),
                          {1, 1, 1, 1}});
        treeAt_.push_back(float(d));
      }
    }
    placeVenues();
  }

  // Along the road (venues.h), facing it, a fixed pattern in course order: a small stand every
  // 700 m on alternating sides, houses set back every 350 m, the clubhouse by the finish.
  void placeVenues() {
    venues_.clear(), venueAt_.clear();
    const auto place = [&](int mesh, double d, double across) {
      d = std::clamp(d, 0.0, course_.length());
      const RoadFrame f = course_.frameAt(d);
      const glm::vec3 p(f.centre + across * f.right - glm::dvec3(0.0, 0.05, 0.0));
      // The model's +Z towards the road: the frame's heading, turned round on the right side.
      const float yaw = float(f.yaw) + (across > 0 ? glm::pi<float>() : 0.0f);
      venues_.push_back({ids_[mesh], glm::rotate(glm::translate(glm::mat4(1), p), yaw, {0, 1, 0}), {1, 1, 1, 1}});
      venueAt_.push_back(float(d));
    };
    for (double x = 300.0; x + 120.0 < course_.length(); x += 350.0) {
      const auto i = static_cast<int>(x / 350.0);
      if (i % 2 == 0) place(kSmallStandMesh, x, (i % 4 == 0 ? 1.0 : -1.0) * (kRoadHalfWidth + 3.5));
      place(kHouseMesh, x + 120.0, (i % 2 ? 1.0 : -1.0) * (kRoadHalfWidth + 33.0));
    }
    // The finish on the course: a ride round a loop may end on a later lap.
    const double finish = course_.loop() ? std::fmod(route_.length(), course_.length())
                                         : std::min(route_.length(), course_.length());
    place(kClubhouseMesh, finish + (course_.loop() || finish + 5.0 <= course_.length() ? 5.0 : -5.0),
          -(kRoadHalfWidth + 12.0));
  }

  void present(const core::StateFrame& state, render::Scene& scene, render::View& camera, float aspect) const override {
    scene.draws.clear();
    scene.clearColor = {0.55f, 0.70f, 0.90f, 1};
    scene.sky = {}, scene.sky.enabled = true;  // the route fades into the sky, not into an edge
    for (int i = 0; i < 3; ++i) scene.draws.push_back({ids_[i], glm::mat4(1), {1, 1, 1, 1}});
    scene.draws.push_back({ids_[kFinishMesh], finish_, {1, 1, 1, 1}});
    // The riders as the state has them (each object is riderPose of that rider), and the
    // leader by distance.
    const size_t riders = std::min(state.objects.size(), size_t(core::kMaxScalars) / kRiderScalars);
    double lead = 0;
    for (size_t p = 0; p < riders; ++p) lead = std::max(lead, double(state.scalars[p * kRiderScalars + kDistance]));
    // Trees near the leader, counted along the course (round a loop: on this lap).
    const double lap = course_.length();
    const double onCourse = course_.loop() ? std::fmod(lead, lap) : lead;
    for (size_t i = 0; i < trees_.size(); ++i) {
      double ahead = double(treeAt_[i]) - onCourse;
      if (course_.loop() && ahead < -kTreesBehindM) ahead += lap;
      if (ahead > -kTreesBehindM && ahead < kTreesAheadM) scene.draws.push_back(trees_[i]);
    }
    for (size_t i = 0; i < venues_.size(); ++i) {
      double ahead = double(venueAt_[i]) - onCourse;
      if (course_.loop() && ahead < -kTreesBehindM) ahead += lap;
      if (ahead > -kTreesBehindM && ahead < 2 * kTreesAheadM) scene.draws.push_back(venues_[i]);
    }
    for (size_t p = 0; p < riders; ++p) {
      const core::ObjectState& o = state.objects[p];
      const glm::mat4 model = glm::translate(glm::mat4(1), o.position) * glm::mat4_cast(o.orientation);
      scene.draws.push_back({ids_[kRiderPaintMesh], model, kRiderColors[p % 8]});
      scene.draws.push_back({ids_[kRiderPaintMesh + 1], model, {1, 1, 1, 1}});
    }
    // Behind the leader and off to the right, looking 25 m up the road.
    const double d = std::clamp(lead, 0.0, route_.length());
    const RoadFrame at = route_.frameAt(d);
    const RoadFrame ahead = route_.frameAt(std::min(d + 25.0, route_.length()));
    const glm::dvec3 eye = at.centre - 9.0 * at.forward + 5.0 * at.right + glm::dvec3(0.0, 3.0, 0.0);
    camera.pose = render::Pose::lookAt(glm::vec3(eye), glm::vec3(ahead.centre + glm::dvec3(0.0, 1.0, 0.0)));
    camera.fov = render::Fov::symmetric(glm::radians(60.0f), aspect);
    camera.nearZ = 0.2f;
    camera.farZ = 3000.0f;
  }

  bool seat(const core::StateFrame& state, render::Seat& out) const override {
    if (seat_ < 0 || static_cast<size_t>(seat_) >= state.objects.size()) return false;
    const core::ObjectState& o = state.objects[static_cast<size_t>(seat_)];
    out = {render::Seat::Stance::Seated, riderEye({o.position, o.orientation, o.velocity}), {}};
    return true;
  }

  // The rider's own handlebars under the eye, the hands on the hoods.
  void body(const core::StateFrame& state, render::Body& out) const override {
    out = {};
    if (seat_ < 0 || static_cast<size_t>(seat_) >= state.objects.size()) return;
    const core::ObjectState& o = state.objects[static_cast<size_t>(seat_)];
    out = handlebarsBody({o.position, o.orientation, o.velocity});
  }

  // Wind, freewheel, chain and the crowd at the finish (cycling_sound.h).
  std::span<const render::SoundSpec> sounds() const override { return cyclingSounds(); }
  void hear(const core::StateFrame&, const core::StateFrame& now, render::SoundCues& cues) override {
    sounds_.hear(now, cues);
  }

  // Power, cadence, speed, distance, grade, the gaps and the elevation profile with every
  // rider on it; the finish ranking at the results (cycling_hud.h).
  void hud(const core::StateFrame& state, const render::HudContext& context, render::ui::Canvas& canvas) override {
    hud_.draw(state, context, canvas);
  }

 private:
  const Route& route_;   // the title's ride, set up for the session: static
  const Route& course_;  // the road as the file has it: what is drawn
  const std::string dataDir_;
  const int seat_;
  // Road, shoulders, verges, the rider (paint, then the rest), tree, small stand, clubhouse, house,
  // finish line.
  static constexpr int kRiderPaintMesh = 3, kTreeMesh = 5, kSmallStandMesh = 6, kClubhouseMesh = 7, kHouseMesh = 8,
                       kFinishMesh = 9, kMeshes = 10;
  render::MeshId ids_[kMeshes];
  std::vector<render::DrawItem> trees_;   // placed once in setMeshes, in course order
  std::vector<float> treeAt_;             // each tree's distance along the course
  std::vector<render::DrawItem> venues_;  // placeVenues, in course order
  std::vector<float> venueAt_;            // each venue's distance along the course
  glm::mat4 finish_{1.0f};
  CyclingHud hud_{route_, seat_};
  CyclingSounds sounds_{route_};
};

}  // namespace

render::Pose riderEye(const RiderPose& pose) {
  // The model's head (assets/models/bike_rider.gltf, tools/asset-gen) is centred at
  // (0.13, 1.58): the eye sits at the front of it, over the bars.
  const glm::vec3 eye{0.2f, 1.62f, 0.0f};
  // The bike's heading (its +X, flattened), then -Z (a view's forward) turned to +X: a quarter
  // turn to the right about +Y.
  const glm::vec3 forward = pose.orientation * glm::vec3(1.0f, 0.0f, 0.0f);
  const float yaw = std::atan2(-forward.z, forward.x);
  return {pose.position + pose.orientation * eye,
          glm::angleAxis(yaw, glm::vec3(0.0f, 1.0f, 0.0f)) * glm::angleAxis(glm::radians(-90.0f), glm::vec3(0.0f, 1.0f, 0.0f))};
}

render::Body handlebarsBody(const RiderPose& pose) {
  // The model's bars (assets/models/bike_rider.gltf) are centred at (0.50, 0.86) over the
  // steerer: 0.30 m ahead of the eye and 0.76 m below it. The bar runs across the bike (+Z,
  // the rider's right), the ride is +X: the riderEye turn, with the bike's pitch and lean.
  render::Body b;
  b.hands = render::Body::Hands::OnHeld;
  b.held = render::Body::Held::Handlebars;
  b.mount = {pose.position + pose.orientation * glm::vec3(0.50f, 0.86f, 0.0f),
             pose.orientation * glm::angleAxis(glm::radians(-90.0f), glm::vec3(0.0f, 1.0f, 0.0f))};
  return b;
}

std::unique_ptr<render::Presenter> makeCyclingPresenter(const core::Title& title, int seat) {
  const auto* cycling = dynamic_cast<const CyclingTitle*>(&title);
  return cycling ? std::make_unique<CyclingPresenter>(*cycling, seat) : nullptr;
}

}  // namespace pav::cycling
