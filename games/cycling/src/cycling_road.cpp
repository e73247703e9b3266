// The road's meshes (cycling_road.h): ribbons along the course's points, each point's cross
// section laid out along its RoadFrame's right-hand side.
#include "cycling_road.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace pav::cycling {
namespace {

using render::packColor;
using render::Vertex;

constexpr glm::vec4 kAsphalt{0.17f, 0.17f, 0.18f, 1}, kShoulder{0.42f, 0.42f, 0.40f, 1}, kKerb{0.80f, 0.12f, 0.10f, 1},
    kGrass{0.25f, 0.48f, 0.20f, 1};

// The points' frames: where each point's cross section lies.
template <typename Fn>
render::MeshData ribbon(const Route& course, Fn&& section) {
  std::vector<Vertex> edges;
  const auto points = course.points();
  edges.reserve(2 * points.size());
  for (uint32_t i = 0; i < points.size(); ++i) {
    const RoadFrame f = course.frameAt(points[i].distanceM, course.segmentAt(points[i].distanceM, i ? i - 1 : 0));
    // The grade of the stretch ahead (behind, at the end) tilts the normals.
    const double grade = course.gradeOf(std::min<uint32_t>(i, uint32_t(points.size() - 2)));
    section(i, f, grade, edges);
  }
  return render::makeRibbon(edges);
}

glm::vec3 at(const RoadFrame& f, double across, double lift) {
  return glm::vec3(f.centre + across * f.right + glm::dvec3(0.0, lift, 0.0));
}

// A surface tilted by `grade` along the road and by `rise` over `run` across it.
glm::vec3 normalOf(const RoadFrame& f, double grade, double rise, double run) {
  const glm::dvec3 along = f.forward + glm::dvec3(0.0, grade, 0.0);
  const glm::dvec3 across = run * f.right + glm::dvec3(0.0, rise, 0.0);
  return glm::vec3(glm::normalize(glm::cross(across, along)));
}

}  // namespace

float bankAt(const Route& course, uint32_t point) {
  const auto n = int(course.points().size());
  double sum = 0;
  int count = 0;
  for (int k = -2; k <= 2; ++k) {
    int j = int(point) + k;
    if (course.loop()) j = (j % (n - 1) + (n - 1)) % (n - 1);  // the last point is the first
    if (j < 0 || j >= n) continue;
    sum += course.curvatureAt(uint32_t(j));
    ++count;
  }
  const double curvature = count ? sum / count : 0.0;
  return std::clamp(float(curvature) * kBankPerCurvature, -kMaxBankM, kMaxBankM);
}

render::MeshData roadSurface(const Route& course) {
  const uint32_t color = packColor(kAsphalt);
  return ribbon(course, [&](uint32_t, const RoadFrame& f, double grade, std::vector<Vertex>& out) {
    const glm::vec3 up = normalOf(f, grade, 0.0, 1.0);
    out.push_back({at(f, -kRoadHalfWidthM, 0.0), up, color});
    out.push_back({at(f, kRoadHalfWidthM, 0.0), up, color});
  });
}

render::MeshData roadShoulders(const Route& course) {
  // Each side its own ribbon, in one mesh (makeRibbon winds each quad by its normals).
  render::MeshData both;
  for (const double side : {-1.0, 1.0}) {
    render::MeshData one = ribbon(course, [&](uint32_t i, const RoadFrame& f, double grade, std::vector<Vertex>& out) {
      const float bank = bankAt(course, i);
      // The outside of the bend: the right when it turns left (bank > 0).
      const double lift = (side > 0) == (bank > 0) ? std::abs(bank) : 0.0;
      const uint32_t color = packColor(glm::mix(kShoulder, kKerb, float(lift / kMaxBankM)));
      const double width = kShoulderHalfWidthM - kRoadHalfWidthM;
      const glm::vec3 normal = normalOf(f, grade, side * lift, side * width);
      const glm::vec3 inner = at(f, side * kRoadHalfWidthM, 0.0), outer = at(f, side * kShoulderHalfWidthM, lift);
      out.push_back({inner, normal, color}), out.push_back({outer, normal, color});
    });
    both.append(one);
  }
  return both;
}

render::MeshData roadVerges(const Route& course, float halfWidth) {
  render::MeshData both;
  const uint32_t color = packColor(kGrass);
  for (const double side : {-1.0, 1.0}) {
    render::MeshData one = ribbon(course, [&](uint32_t i, const RoadFrame& f, double grade, std::vector<Vertex>& out) {
      const float bank = bankAt(course, i);
      const double lift = (side > 0) == (bank > 0) ? std::abs(bank) : 0.0;
      const glm::vec3 normal = normalOf(f, grade, 0.0, 1.0);
      const glm::vec3 inner = at(f, side * kShoulderHalfWidthM, lift - 0.02), outer = at(f, side * halfWidth, -0.05);
      out.push_back({inner, normal, color}), out.push_back({outer, normal, color});
    });
    both.append(one);
  }
  return both;
}

render::MeshData finishLine() {
  const uint32_t white = packColor({0.95f, 0.95f, 0.95f, 1});
  const glm::vec3 up{0, 1, 0};
  const Vertex edges[] = {{{-0.3f, 0.01f, -kRoadHalfWidthM}, up, white}, {{-0.3f, 0.01f, kRoadHalfWidthM}, up, white},
                          {{0.3f, 0.01f, -kRoadHalfWidthM}, up, white},  {{0.3f, 0.01f, kRoadHalfWidthM}, up, white}};
  return render::makeRibbon(edges);
}

}  // namespace pav::cycling
