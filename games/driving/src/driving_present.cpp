// How a race looks: the ground, the road built from the track's samples (coloured by
// surface, banked as driven), a white edge line, red-and-white kerbs through the corners, and
// each car as a body and cabin in its own colour. The spectator camera chases the leading car. No Vulkan here: render's
// Vulkan-free scene types only.
#include <algorithm>

#include <glm/gtc/matrix_transform.hpp>

#include "pav/driving/driving.h"
#include "pav/render/presenter.h"

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

class DrivingPresenter final : public render::Presenter {
 public:
  explicit DrivingPresenter(const DrivingTitle& title) : title_(title) {}

  std::vector<render::MeshData> meshes() const override {
    const Track& track = title_.track();
    const CarTuning& car = title_.tuning();
    std::vector<render::MeshData> m;
    m.push_back(render::makePlane(4000.0f, 80, packColor({0.24f, 0.42f, 0.20f, 1}), packColor({0.22f, 0.40f, 0.19f, 1})));
    m.push_back(strip(track, -1.0f, 1.0f, 0.02f, true, 0));
    m.push_back(strip(track, -1.0f, -0.94f, 0.03f, false, packColor({0.95f, 0.95f, 0.95f, 1})));
    m.push_back(strip(track, 0.94f, 1.0f, 0.03f, false, packColor({0.95f, 0.95f, 0.95f, 1})));
    m.push_back(kerbs(track));
    render::MeshData body = render::makeBox(car.halfExtents * 2.0f);
    render::MeshData cabin = render::makeBox({car.halfExtents.x * 1.5f, car.halfExtents.y * 1.4f, car.halfExtents.z * 0.8f},
                                             packColor({0.6f, 0.6f, 0.65f, 1}));
    for (auto& v : cabin.vertices) v.position += glm::vec3(0, car.halfExtents.y * 1.6f, -car.halfExtents.z * 0.1f);
    body.append(cabin);
    m.push_back(std::move(body));
    return m;
  }

  void setMeshes(std::span<const render::MeshId> ids) override {
    std::copy_n(ids.begin(), std::min<size_t>(ids.size(), kMeshes), ids_);
  }

  void present(render::Scene& scene, render::View& camera, float aspect) const override {
    scene.draws.clear();
    scene.clearColor = {0.55f, 0.70f, 0.90f, 1};
    const Track& track = title_.track();
    scene.draws.push_back({ids_[0], glm::translate(glm::mat4(1), {0, -0.05f, 0}), {1, 1, 1, 1}});
    for (int i = 1; i < kCarMesh; ++i) scene.draws.push_back({ids_[i], glm::mat4(1), {1, 1, 1, 1}});
    int leader = 0;
    for (int p = 0; p < title_.players(); ++p) {
      const CarStatus c = title_.car(p);
      if (c.racePosition == 1) leader = p;
      const glm::mat4 model = glm::translate(glm::mat4(1), c.position) * glm::mat4_cast(c.orientation);
      scene.draws.push_back({ids_[kCarMesh], model, kCarColors[p % 4]});
    }
    const CarStatus lead = title_.car(leader);
    const glm::vec3 forward = lead.orientation * glm::vec3(0, 0, 1);
    const glm::vec3 flat = glm::length(glm::vec2(forward.x, forward.z)) > 1e-3f
                               ? glm::normalize(glm::vec3(forward.x, 0, forward.z))
                               : track.samples.front().forward;
    camera.pose = render::Pose::lookAt(lead.position - flat * 9.0f + glm::vec3(0, 3.5f, 0), lead.position + flat * 6.0f);
    camera.fov = render::Fov::symmetric(glm::radians(60.0f), aspect);
    camera.nearZ = 0.2f;
    camera.farZ = 2500.0f;
  }

 private:
  const DrivingTitle& title_;
  // Ground, road, two edge lines, kerbs, then the car.
  static constexpr int kCarMesh = 5, kMeshes = 6;
  render::MeshId ids_[kMeshes];
};

}  // namespace

std::unique_ptr<render::Presenter> makeDrivingPresenter(const core::Title& title) {
  const auto* driving = dynamic_cast<const DrivingTitle*>(&title);
  return driving ? std::make_unique<DrivingPresenter>(*driving) : nullptr;
}

}  // namespace pav::driving
