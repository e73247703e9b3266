// The cycling title's networked state: what a station needs to draw the riders and to predict
// its own rider from the server's frames (describe, capture, apply, ownObject), and the pose
// that places a rider in the picture.
//
// A rider lives on the road: the step integrates distance and speed along the route, and the
// rider's place across it (lateralM: lanes and steering). Distance and speed travel as scalars,
// to a millimetre and a millimetre per second, since they are exactly what the next step starts
// from. The objects carry the same rider as the picture shows it (riderPoseAt: on the road in
// the scene, heading along it, pitched by the grade) so that a station interpolates riders like
// any other object; apply reads only the place across the road back from them (the scalars are
// full: 8 riders x 4), as the position's offset from the road's middle along its right-hand side.
//
// Scalars, four per rider (eight riders fill kMaxScalars exactly), rider p's at p * 4:
//   distance  metres along the route; a rider at the route's end has finished
//   speed     metres per second along the road
//   time      riding time in seconds (it stops at the finish line, so it is the result)
//   effort    the last step's pedal power and cadence, for the HUD: whole watts times
//             kCadenceSlots plus whole rpm (two small whole numbers in one field, as driving's
//             finish_gear); the step does not read them, a station shows them. Added for the
//             HUD (issue 14): replays recorded before it have three scalars per rider.
// Derived after apply: finished (distance at the end), the stretch under each rider, drafting,
// the climbing done (moved by the route's rises between the old and the new distance, so a
// rewind and replay count each rise once), and the bots' noise and random stream, which are
// fixed by the seed and the tick. Not carried: setup's choices (route, rider parameters,
// environment); a station must set up the same ride.
#include <algorithm>
#include <cmath>
#include <string_view>

#include "cycling_local.h"
#include "pav/core/error.h"
#include "pav/cycling/cycling.h"

namespace pav::cycling {
namespace {

static_assert(kRiderScalars * pav::core::kMaxPlayers <= pav::core::kMaxScalars,
              "every rider's scalars must fit in a frame");

constexpr std::string_view kScalarNames[pav::core::kMaxPlayers][kRiderScalars] = {
    {"rider0_distance", "rider0_speed", "rider0_time", "rider0_effort"},
    {"rider1_distance", "rider1_speed", "rider1_time", "rider1_effort"},
    {"rider2_distance", "rider2_speed", "rider2_time", "rider2_effort"},
    {"rider3_distance", "rider3_speed", "rider3_time", "rider3_effort"},
    {"rider4_distance", "rider4_speed", "rider4_time", "rider4_effort"},
    {"rider5_distance", "rider5_speed", "rider5_time", "rider5_effort"},
    {"rider6_distance", "rider6_speed", "rider6_time", "rider6_effort"},
    {"rider7_distance", "rider7_speed", "rider7_time", "rider7_effort"},
};

// Within this of the line a networked distance is the line (the HUD's finishedAt agrees).
constexpr double kFinishToleranceM = 5e-4;
// The closest a rider gets to a wheel ahead leaves this much drag (draftCdaFactor's minimum
// is 0.619, at 0.12 m).
constexpr double kLeastCdaFactor = 0.6;

}  // namespace

RiderPose riderPoseAt(const Route& route, double distanceM, double lateralM, double speedMs) {
  const uint32_t segment = route.segmentAt(distanceM);
  const RoadFrame road = route.frameAt(distanceM, segment);
  const double pitch = std::atan(route.gradeOf(segment));
  RiderPose pose;
  pose.position = glm::vec3(road.centre + lateralM * road.right);
  // Heading about +Y, then the grade's pitch about the bike's own right-hand axis (+Z).
  pose.orientation = glm::angleAxis(static_cast<float>(road.yaw), glm::vec3(0.0f, 1.0f, 0.0f)) *
                     glm::angleAxis(static_cast<float>(pitch), glm::vec3(0.0f, 0.0f, 1.0f));
  pose.velocity = glm::vec3(speedMs * (std::cos(pitch) * road.forward + std::sin(pitch) * glm::dvec3(0.0, 1.0, 0.0)));
  return pose;
}

RiderPose riderPose(const Route& route, int seat, double distanceM, double speedMs) {
  return riderPoseAt(route, distanceM, laneCentreM(seat % kLanes), speedMs);
}

void CyclingTitle::describe(pav::core::StateSchema& schema) const {
  PAV_CHECK(players_ > 0, "cycling: describe before setup");
  schema = {};
  schema.objects = players_;

  // The fastest anyone can go: flat out, tucked behind a wheel, on the route's steepest
  // descent, in today's wind. Speed only falls towards a stretch's steady speed, so no rider
  // ever passes the largest of them.
  double fastest = 0;
  const auto points = route_.points();
  for (int p = 0; p < players_; ++p) {
    for (uint32_t i = 0; i + 1 < points.size(); ++i) {
      const double v = steadySpeed(riders_[size_t(p)].params, env_, route_.gradeOf(i),
                                   kMaxPedalPowerW, kLeastCdaFactor);
      fastest = std::max(fastest, v);
    }
  }
  const float vMax = static_cast<float>(std::ceil(1.05 * fastest + 1.0));

  // The road's box in the scene (x east, z south), a road's width around it.
  glm::dvec3 low{points.front().eastM, points.front().elevationM, -points.front().northM}, high = low;
  for (const RoutePoint& point : points) {
    const glm::dvec3 at{point.eastM, point.elevationM, -point.northM};
    low = glm::min(low, at), high = glm::max(high, at);
  }
  const double margin = kRoadHalfWidthM + 1.0;
  const float length = static_cast<float>(route_.length());
  schema.positionMin = glm::vec3(low - glm::dvec3(margin, 1.0, margin));
  schema.positionMax = glm::vec3(high + glm::dvec3(margin, 1.0, margin));
  schema.positionResolution = 0.001f;
  // Heading and pitch: 12 bits a component hold a rider's place across the road, read back
  // from the position, well within the quantizer's millimetre.
  schema.orientationBits = 12;
  schema.velocityMax = vMax;
  schema.velocityResolution = 0.01f;
  schema.angularMax = 0;  // pitch changes only where the grade does: nothing to extrapolate

  // A session ends at maxSeconds_; the second beyond is for a loop that checks finished()
  // only between steps.
  const float longest = static_cast<float>(maxSeconds_) + 1.0f;
  for (int p = 0; p < players_; ++p) {
    const auto& name = kScalarNames[p];
    schema.addScalar({name[kDistance], 0, length, 0.001f});
    schema.addScalar({name[kSpeed], 0, vMax, 0.001f});
    schema.addScalar({name[kTime], 0, longest, 0.001f});
    schema.addScalar({name[kEffort], 0, float(kEffortMax), 1});
  }
}

void CyclingTitle::capture(pav::core::StateFrame& out) const {
  PAV_CHECK(
      players_ > 0 && static_cast<int>(out.objects.size()) == players_,
      "cycling: capture needs setup and a frame sized by the schema (%zu objects for %d riders)",
      out.objects.size(), players_);
  out.tick = tick_;
  for (int p = 0; p < players_; ++p) {
    const Rider& r = riders_[size_t(p)];
    float* s = &out.scalars[size_t(p * kRiderScalars)];
    s[kDistance] = static_cast<float>(r.motion.distanceM);
    s[kSpeed] = static_cast<float>(r.motion.speedMs);
    // The pose from the values as sent, so a station that applies this frame draws the same.
    const RiderPose pose = riderPoseAt(route_, s[kDistance], r.lateralM, s[kSpeed]);
    out.objects[size_t(p)] = {pose.position, pose.orientation, pose.velocity, glm::vec3(0.0f)};
    s[kTime] = static_cast<float>(r.timeS);
    s[kEffort] = static_cast<float>(packEffort(r.powerW, r.cadenceRpm));
  }
}

void CyclingTitle::apply(const pav::core::StateFrame& in) {
  PAV_CHECK(players_ > 0 && static_cast<int>(in.objects.size()) == players_,
            "cycling: apply needs setup and a frame of this ride (%zu objects for %d riders)",
            in.objects.size(), players_);
  const double length = route_.length();
  for (int p = 0; p < players_; ++p) {
    Rider& r = riders_[size_t(p)];
    const float* s = &in.scalars[size_t(p * kRiderScalars)];
    double distance = std::clamp(static_cast<double>(s[kDistance]), 0.0, length);
    // The step leaves a finished rider exactly at the end, stopped. (A float holds distances
    // near 12 km to a millimetre, and a route's length need not be a float: a rider under half
    // a millimetre short of the line is taken as finished, a tick early.)
    if (distance >= length - kFinishToleranceM) distance = length;
    r.climbedM = std::max(0.0, r.climbedM + route_.climbBetween(r.motion.distanceM, distance));
    r.motion.distanceM = distance;
    r.finished = distance >= length;
    r.motion.speedMs = r.finished ? 0.0 : std::max(0.0, static_cast<double>(s[kSpeed]));
    r.timeS = std::max(0.0, static_cast<double>(s[kTime]));
    const Effort effort = unpackEffort(s[kEffort]);
    r.powerW = effort.powerW, r.cadenceRpm = effort.cadenceRpm;
    r.segment = route_.segmentAt(distance, r.segment);
    r.elevationM = route_.elevationAt(distance, r.segment);
    // Across the road: the object is the rider drawn at this distance and lateralM.
    const RoadFrame road = route_.frameAt(static_cast<float>(distance), r.segment);
    const double across = glm::dot(glm::dvec3(in.objects[size_t(p)].position) - road.centre, road.right);
    r.lateralM = std::isfinite(across) ? snapLateral(std::clamp(across, laneCentreM(0), laneCentreM(kLanes - 1))) : laneCentreM(p);
  }
  seekNoise(in.tick);
  tick_ = in.tick;
  computeDrafting();
  computePull();
}

int CyclingTitle::ownObject(int seat) const { return seat >= 0 && seat < players_ ? seat : -1; }

}  // namespace pav::cycling
