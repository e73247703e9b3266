// How a ride looks: the route laid out straight along +X with its real elevation profile, a
// road with verges either side, trees along the verges, and each rider (the project's
// bike_rider glTF model, its "paint." parts in the rider's colour) in their own lane
// (riderPose, which the networked state's objects carry). The spectator camera rides behind
// the leader; a seat rides at its rider's eye. No Vulkan: render's scene types.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include <glm/gtc/matrix_transform.hpp>

#include "pav/cycling/cycling.h"
#include "pav/render/gltf.h"
#include "pav/render/presenter.h"

#ifndef PAV_ASSET_DIR
#define PAV_ASSET_DIR "assets"
#endif

namespace pav::cycling {
namespace {

using render::packColor;

constexpr float kRoadHalfWidth = kRoadHalfWidthM;
constexpr float kVergeHalfWidth = 40.0f;

constexpr glm::vec4 kRiderColors[8] = {{0.85f, 0.10f, 0.08f, 1}, {0.10f, 0.35f, 0.85f, 1}, {0.95f, 0.75f, 0.10f, 1},
                                       {0.15f, 0.65f, 0.30f, 1}, {0.60f, 0.25f, 0.75f, 1}, {0.95f, 0.45f, 0.10f, 1},
                                       {0.10f, 0.70f, 0.75f, 1}, {0.90f, 0.90f, 0.90f, 1}};

// A strip following the profile from lateral `from` to `to` (z), `lift` above the road.
render::MeshData profileStrip(const Route& route, float from, float to, float lift, uint32_t color) {
  std::vector<render::Vertex> edges;
  const auto points = route.points();
  edges.reserve(2 * points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const float x = float(points[i].distanceM), y = float(points[i].elevationM) + lift;
    // The normal tilts with the grade of the stretch ahead (or behind, at the end).
    const size_t j = i + 1 < points.size() ? i : i - 1;
    const float dx = float(points[j + 1].distanceM - points[j].distanceM);
    const float dy = float(points[j + 1].elevationM - points[j].elevationM);
    const glm::vec3 normal = glm::normalize(glm::vec3(-dy, dx, 0));
    edges.push_back({{x, y, from}, normal, color});
    edges.push_back({{x, y, to}, normal, color});
  }
  return render::makeRibbon(edges);
}

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

// Rider p's distance along the route is scalar p * kScalarsPerRider (cycling_state.cpp).
constexpr size_t kScalarsPerRider = 3;

class CyclingPresenter final : public render::Presenter {
 public:
  CyclingPresenter(const CyclingTitle& title, int seat) : route_(title.route()), dataDir_(title.dataDir()), seat_(seat) {}

  std::vector<render::MeshData> meshes() const override {
    std::vector<render::MeshData> m;
    m.push_back(profileStrip(route_, -kRoadHalfWidth, kRoadHalfWidth, 0.0f, packColor({0.17f, 0.17f, 0.18f, 1})));
    m.push_back(profileStrip(route_, -kVergeHalfWidth, -kRoadHalfWidth, -0.05f, packColor({0.25f, 0.48f, 0.20f, 1})));
    m.push_back(profileStrip(route_, kRoadHalfWidth, kVergeHalfWidth, -0.05f, packColor({0.25f, 0.48f, 0.20f, 1})));
    // Rider and bike, +X the direction of travel: the painted parts first (tinted per rider).
    const render::GltfModel rider = render::loadGltfModel(modelPath(dataDir_, "bike_rider"));
    m.push_back(render::mergeParts(rider, render::partsNamed("paint.")));
    m.push_back(render::mergeParts(rider, render::partsNamed("paint.", false)));
    m.push_back(render::loadGltf(modelPath(dataDir_, "tree")));
    return m;
  }

  void setMeshes(std::span<const render::MeshId> ids) override {
    std::copy_n(ids.begin(), std::min<size_t>(ids.size(), kMeshes), ids_);
    // Trees on both verges every 25 m, set back by a fixed pattern (no RNG), in route order.
    trees_.clear();
    for (double x = 10.0; x < route_.length(); x += 25.0) {
      const auto i = static_cast<unsigned>(x);
      for (float side : {-1.0f, 1.0f}) {
        const float z = side * (kRoadHalfWidth + 6.0f + float((i * 7 + (side > 0 ? 5 : 0)) % 23));
        const glm::vec3 p{float(x) + float(i % 9), float(route_.elevationAt(x)) - 0.05f, z};
        trees_.push_back({ids_[kTreeMesh], glm::rotate(glm::translate(glm::mat4(1), p), float(i % 13) * 0.5f, {0, 1, 0}),
                          {1, 1, 1, 1}});
      }
    }
  }

  void present(const core::StateFrame& state, render::Scene& scene, render::View& camera, float aspect) const override {
    scene.draws.clear();
    scene.clearColor = {0.55f, 0.70f, 0.90f, 1};
    for (int i = 0; i < 3; ++i) scene.draws.push_back({ids_[i], glm::mat4(1), {1, 1, 1, 1}});
    // The riders as the state has them (each object is riderPose of that rider), and the
    // leader by distance.
    const size_t riders = std::min(state.objects.size(), size_t(core::kMaxScalars) / kScalarsPerRider);
    double lead = 0;
    for (size_t p = 0; p < riders; ++p) lead = std::max(lead, double(state.scalars[p * kScalarsPerRider]));
    for (const render::DrawItem& t : trees_)
      if (t.model[3].x > float(lead) - kTreesBehindM && t.model[3].x < float(lead) + kTreesAheadM) scene.draws.push_back(t);
    for (size_t p = 0; p < riders; ++p) {
      const core::ObjectState& o = state.objects[p];
      const glm::mat4 model = glm::translate(glm::mat4(1), o.position) * glm::mat4_cast(o.orientation);
      scene.draws.push_back({ids_[kRiderPaintMesh], model, kRiderColors[p % 8]});
      scene.draws.push_back({ids_[kRiderPaintMesh + 1], model, {1, 1, 1, 1}});
    }
    const double d = std::clamp(lead, 0.0, route_.length());
    const glm::vec3 at{float(d), float(route_.elevationAt(d)), 0.0f};
    const double ahead = std::min(d + 25.0, route_.length());
    camera.pose = render::Pose::lookAt(at + glm::vec3(-9.0f, 3.0f, 5.0f),
                                       {float(ahead), float(route_.elevationAt(ahead)) + 1.0f, 0.0f});
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

 private:
  const Route& route_;  // the title's, set up for the session: static
  const std::string dataDir_;
  const int seat_;
  // Road, two verges, the rider (paint, then the rest), tree.
  static constexpr int kRiderPaintMesh = 3, kTreeMesh = 5, kMeshes = 6;
  render::MeshId ids_[kMeshes];
  std::vector<render::DrawItem> trees_;  // placed once in setMeshes, in route order
};

}  // namespace

render::Pose riderEye(const RiderPose& pose) {
  // The model's head (assets/models/bike_rider.gltf, tools/asset-gen) is centred at
  // (0.13, 1.58): the eye sits at the front of it, over the bars.
  const glm::vec3 eye{0.2f, 1.62f, 0.0f};
  // -Z (a view's forward) turned to +X: a quarter turn to the right about +Y.
  return {pose.position + pose.orientation * eye, glm::angleAxis(glm::radians(-90.0f), glm::vec3(0.0f, 1.0f, 0.0f))};
}

std::unique_ptr<render::Presenter> makeCyclingPresenter(const core::Title& title, int seat) {
  const auto* cycling = dynamic_cast<const CyclingTitle*>(&title);
  return cycling ? std::make_unique<CyclingPresenter>(*cycling, seat) : nullptr;
}

}  // namespace pav::cycling
