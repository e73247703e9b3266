// Along the road: the stretch at a distance, its grade and elevation, the road's frame (where
// its middle is, which way it runs, its right-hand side), how sharply it turns, and the road a
// ride of some length follows (a loop's laps unrolled, a point-to-point road cut).
//
// Index: climbing and lookups, the road's frame and turns, forRide
#include <algorithm>
#include <cmath>
#include <numbers>

#include "pav/core/error.h"
#include "pav/cycling/cycling.h"

namespace pav::cycling {
namespace {

// The scene's axes: east is +X, north is -Z, elevation +Y.
glm::dvec3 scenePoint(const RoutePoint& p) { return {p.eastM, p.elevationM, -p.northM}; }

glm::dvec3 flatDirection(const RoutePoint& a, const RoutePoint& b) {
  const glm::dvec3 d{b.eastM - a.eastM, 0.0, -(b.northM - a.northM)};
  const double len = glm::length(d);
  return len > 0 ? d / len : glm::dvec3(1.0, 0.0, 0.0);
}

double yawOf(const glm::dvec3& forward) { return std::atan2(-forward.z, forward.x); }

}  // namespace

// ---- climbing and lookups --------------------------------------------------------------------

double Route::totalClimbM() const {
  double climb = 0;
  for (size_t i = 1; i < points_.size(); ++i) {
    climb += std::max(0.0, points_[i].elevationM - points_[i - 1].elevationM);
  }
  return climb;
}

double Route::climbBetween(double fromM, double toM) const {
  if (toM < fromM) return -climbBetween(toM, fromM);
  // Each stretch's rise, for the part of it between the two distances (elevation is linear).
  double climb = 0;
  for (uint32_t i = segmentAt(fromM); i + 1 < points_.size() && points_[i].distanceM < toM; ++i) {
    const RoutePoint& a = points_[i];
    const RoutePoint& b = points_[i + 1];
    const double run = std::min(toM, b.distanceM) - std::max(fromM, a.distanceM);
    if (run > 0) climb += std::max(0.0, gradeOf(i)) * run;
  }
  return climb;
}

uint32_t Route::segmentAt(double distanceM, uint32_t hint) const {
  if (points_.size() < 2) return 0;
  const auto last = uint32_t(points_.size() - 2);  // index of the last stretch
  uint32_t i = std::min(hint, last);
  // Walk from the hint: riders cross at most a stretch or two per tick.
  for (int steps = 0; steps < 8; ++steps) {
    if (distanceM < points_[i].distanceM && i > 0) {
      --i;
    } else if (distanceM >= points_[i + 1].distanceM && i < last) {
      ++i;
    } else {
      return i;
    }
  }
  // A far jump (a rider placed elsewhere): binary search.
  const auto it = std::upper_bound(points_.begin(), points_.end(), distanceM,
                                   [](double d, const RoutePoint& p) { return d < p.distanceM; });
  const auto after = uint32_t(it - points_.begin());
  return after == 0 ? 0 : std::min(after - 1, last);
}

double Route::gradeOf(uint32_t segment) const {
  if (points_.size() < 2) return 0;
  const RoutePoint& a = points_[segment];
  const RoutePoint& b = points_[segment + 1];
  return (b.elevationM - a.elevationM) / (b.distanceM - a.distanceM);
}

double Route::elevationAt(double distanceM, uint32_t segment) const {
  if (points_.empty()) return 0;
  if (points_.size() < 2) return points_[0].elevationM;
  const RoutePoint& a = points_[segment];
  const RoutePoint& b = points_[segment + 1];
  const double t = std::clamp((distanceM - a.distanceM) / (b.distanceM - a.distanceM), 0.0, 1.0);
  return a.elevationM + t * (b.elevationM - a.elevationM);
}

// ---- the road's frame and turns --------------------------------------------------------------

glm::dvec3 Route::tangentAt(uint32_t point) const {
  const auto n = uint32_t(points_.size());
  if (n < 2) return {1.0, 0.0, 0.0};
  const auto dir = [&](uint32_t segment) { return flatDirection(points_[segment], points_[segment + 1]); };
  glm::dvec3 in, out;
  if (point == 0) {
    out = dir(0);
    in = loop_ ? dir(n - 2) : out;
  } else if (point >= n - 1) {
    in = dir(n - 2);
    out = loop_ ? dir(0) : in;
  } else {
    in = dir(point - 1);
    out = dir(point);
  }
  const glm::dvec3 sum = in + out;
  const double len = glm::length(sum);
  return len > 1e-9 ? sum / len : out;  // a U-turn in one point cannot pass the parser
}

RoadFrame Route::frameAt(double distanceM, uint32_t segment) const {
  RoadFrame f;
  if (points_.empty()) return f;
  if (points_.size() < 2) {
    f.centre = scenePoint(points_[0]);
    return f;
  }
  const RoutePoint& a = points_[segment];
  const RoutePoint& b = points_[segment + 1];
  const double t = std::clamp((distanceM - a.distanceM) / (b.distanceM - a.distanceM), 0.0, 1.0);
  f.centre = glm::mix(scenePoint(a), scenePoint(b), t);
  // The heading turns smoothly from one point's tangent to the next, so a rider's bike and eye
  // do not snap at the points.
  const glm::dvec3 blended = glm::mix(tangentAt(segment), tangentAt(segment + 1), t);
  const double len = glm::length(blended);
  f.forward = len > 1e-9 ? blended / len : flatDirection(a, b);
  f.right = {-f.forward.z, 0.0, f.forward.x};
  f.yaw = yawOf(f.forward);
  return f;
}

double Route::curvatureAt(uint32_t point) const {
  const auto n = uint32_t(points_.size());
  if (n < 3 && !loop_) return 0;
  if (!loop_ && (point == 0 || point >= n - 1)) return 0;
  const uint32_t before = point == 0 ? n - 2 : point - 1;  // a loop's first point: its closing stretch
  const uint32_t after = point >= n - 1 ? 0 : point;
  const RoutePoint& a = points_[before];
  const RoutePoint& b = points_[before + 1];
  const RoutePoint& c = points_[after + 1];
  const double turn = std::remainder(yawOf(flatDirection(b, c)) - yawOf(flatDirection(a, b)), 2 * std::numbers::pi);
  const double span = 0.5 * ((b.distanceM - a.distanceM) + (c.distanceM - points_[after].distanceM));
  return span > 0 ? turn / span : 0;
}

// ---- forRide ---------------------------------------------------------------------------------

Route Route::forRide(double lengthM) const {
  PAV_CHECK(lengthM > 0 && std::isfinite(lengthM), "Route::forRide: a ride of %.1f m", lengthM);
  PAV_CHECK(points_.size() >= 2, "Route::forRide: route '%s' has no road", name_.c_str());
  if (!loop_ && lengthM >= length()) return *this;
  Route ride;
  ride.name_ = name_;
  ride.source_ = source_;
  ride.lapLengthM_ = loop_ ? length() : 0;
  const double lap = length();
  // Laps one after another: each lap's points but its last (the next lap's first), until the
  // point that reaches the ride's length, which is cut there.
  const size_t perLap = loop_ ? points_.size() - 1 : points_.size();
  for (size_t k = 0;; ++k) {
    for (size_t j = 0; j < perLap; ++j) {
      RoutePoint p = points_[j];
      p.distanceM += double(k) * lap;
      if (!ride.points_.empty() && p.distanceM >= lengthM) {
        const RoutePoint& prev = ride.points_.back();
        const double t = (lengthM - prev.distanceM) / (p.distanceM - prev.distanceM);
        const auto mixed = [t](double a, double b) { return a + t * (b - a); };
        ride.points_.push_back({.distanceM = lengthM,
                                .elevationM = mixed(prev.elevationM, p.elevationM),
                                .eastM = mixed(prev.eastM, p.eastM),
                                .northM = mixed(prev.northM, p.northM)});
        return ride;
      }
      ride.points_.push_back(p);
    }
  }
}

}  // namespace pav::cycling
