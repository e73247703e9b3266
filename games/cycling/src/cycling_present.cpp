// How a ride looks: the route laid out straight along +X with its real elevation profile, a
// road with verges either side, and each rider (bike and body) in their own colour in their
// own lane (riderPose). The spectator camera rides behind the leader. No Vulkan: render's
// scene types.
#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "pav/cycling/cycling.h"
#include "pav/render/presenter.h"

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

class CyclingPresenter final : public render::Presenter {
 public:
  explicit CyclingPresenter(const CyclingTitle& title) : title_(title) {}

  std::vector<render::MeshData> meshes() const override {
    const Route& route = title_.route();
    std::vector<render::MeshData> m;
    m.push_back(profileStrip(route, -kRoadHalfWidth, kRoadHalfWidth, 0.0f, packColor({0.17f, 0.17f, 0.18f, 1})));
    m.push_back(profileStrip(route, -kVergeHalfWidth, -kRoadHalfWidth, -0.05f, packColor({0.25f, 0.48f, 0.20f, 1})));
    m.push_back(profileStrip(route, kRoadHalfWidth, kVergeHalfWidth, -0.05f, packColor({0.25f, 0.48f, 0.20f, 1})));
    // Rider and bike: two wheels, a frame, a body leaning forward; +X is the direction of travel.
    render::MeshData rider = render::makeBox({1.1f, 0.08f, 0.08f}, packColor({0.3f, 0.3f, 0.3f, 1}));
    for (auto& v : rider.vertices) v.position += glm::vec3(0, 0.55f, 0);
    for (float x : {-0.55f, 0.55f}) {
      render::MeshData wheel = render::makeCylinder(0.34f, 0.04f, 20, packColor({0.1f, 0.1f, 0.1f, 1}));
      for (auto& v : wheel.vertices) {
        v.position = glm::vec3(v.position.x, v.position.z, v.position.y) + glm::vec3(x, 0.34f, 0);
        v.normal = glm::vec3(v.normal.x, v.normal.z, v.normal.y);
      }
      // Swapping Y and Z mirrors the cylinder: flip its winding back.
      for (size_t t = 0; t < wheel.indices.size(); t += 3) std::swap(wheel.indices[t + 1], wheel.indices[t + 2]);
      rider.append(wheel);
    }
    render::MeshData body = render::makeBox({0.55f, 0.75f, 0.36f});
    for (auto& v : body.vertices) v.position += glm::vec3(-0.05f, 1.15f, 0);
    rider.append(body);
    m.push_back(std::move(rider));
    return m;
  }

  void setMeshes(std::span<const render::MeshId> ids) override {
    std::copy_n(ids.begin(), std::min<size_t>(ids.size(), 4), ids_);
  }

  void present(render::Scene& scene, render::View& camera, float aspect) const override {
    scene.draws.clear();
    scene.clearColor = {0.55f, 0.70f, 0.90f, 1};
    for (int i = 0; i < 3; ++i) scene.draws.push_back({ids_[i], glm::mat4(1), {1, 1, 1, 1}});
    const Route& route = title_.route();
    int leader = 0;
    double best = -1;
    for (int p = 0; p < title_.players(); ++p) {
      const RiderStats s = title_.stats(p);
      if (s.distanceM > best) {
        best = s.distanceM;
        leader = p;
      }
      const RiderPose pose = riderPose(route, p, s.distanceM, s.speedMs);
      const glm::mat4 model = glm::translate(glm::mat4(1), pose.position) * glm::mat4_cast(pose.orientation);
      scene.draws.push_back({ids_[3], model, kRiderColors[p % 8]});
    }
    const double d = title_.stats(leader).distanceM;
    const glm::vec3 at{float(d), float(route.elevationAt(d)), 0.0f};
    const double ahead = std::min(d + 25.0, route.length());
    camera.pose = render::Pose::lookAt(at + glm::vec3(-9.0f, 3.0f, 5.0f),
                                       {float(ahead), float(route.elevationAt(ahead)) + 1.0f, 0.0f});
    camera.fov = render::Fov::symmetric(glm::radians(60.0f), aspect);
    camera.nearZ = 0.2f;
    camera.farZ = 3000.0f;
  }

 private:
  const CyclingTitle& title_;
  render::MeshId ids_[4];
};

}  // namespace

render::Pose riderEye(const RiderPose& pose) {
  // The body box (meshes()) is 0.55 m long, centred 5 cm behind the bottom bracket, and tops
  // out at 1.53 m: the head sits just above its front, over the bars.
  const glm::vec3 eye{0.2f, 1.62f, 0.0f};
  // -Z (a view's forward) turned to +X: a quarter turn to the right about +Y.
  return {pose.position + pose.orientation * eye, glm::angleAxis(glm::radians(-90.0f), glm::vec3(0.0f, 1.0f, 0.0f))};
}

std::unique_ptr<render::Presenter> makeCyclingPresenter(const core::Title& title) {
  const auto* cycling = dynamic_cast<const CyclingTitle*>(&title);
  return cycling ? std::make_unique<CyclingPresenter>(*cycling) : nullptr;
}

}  // namespace pav::cycling
