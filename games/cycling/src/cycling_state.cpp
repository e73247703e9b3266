// The cycling title's networked state: what a station needs to draw the riders and to predict
// its own rider from the server's frames (describe, capture, apply, ownObject), and the pose
// that places a rider in the picture.
//
// A rider lives on a line: the step integrates distance and speed along the route and nothing
// else moves. Those two travel as scalars, to a millimetre and a millimetre per second, since
// they are exactly what the next step starts from. The objects carry the same rider as the
// picture shows it (riderPose: the route laid along +X, each seat in its lane, pitched by the
// grade) so that a station interpolates riders like any other object; apply ignores them.
//
// Scalars, three per rider (eight riders fill kMaxScalars exactly), rider p's at p * 3:
//   distance  metres along the route; a rider at the route's end has finished
//   speed     metres per second along the road
//   time      riding time in seconds (it stops at the finish line, so it is the result)
// Derived after apply: finished (distance at the end), the stretch under each rider, drafting,
// the climbing done (moved by the route's rises between the old and the new distance, so a
// rewind and replay count each rise once), and the bots' noise and random stream, which are
// fixed by the seed and the tick. Not carried: setup's choices (route, rider parameters,
// environment); a station must set up the same ride.
#include <algorithm>
#include <cmath>
#include <string_view>

#include "pav/core/error.h"
#include "pav/cycling/cycling.h"

namespace pav::cycling {
namespace {

enum RiderScalar { kDistance, kSpeed, kTime, kRiderScalars };
static_assert(kRiderScalars * pav::core::kMaxPlayers <= pav::core::kMaxScalars,
              "every rider's scalars must fit in a frame");

constexpr std::string_view kScalarNames[pav::core::kMaxPlayers][kRiderScalars] = {
    {"rider0_distance", "rider0_speed", "rider0_time"},
    {"rider1_distance", "rider1_speed", "rider1_time"},
    {"rider2_distance", "rider2_speed", "rider2_time"},
    {"rider3_distance", "rider3_speed", "rider3_time"},
    {"rider4_distance", "rider4_speed", "rider4_time"},
    {"rider5_distance", "rider5_speed", "rider5_time"},
    {"rider6_distance", "rider6_speed", "rider6_time"},
    {"rider7_distance", "rider7_speed", "rider7_time"},
};

// Lanes across the road, seat 0 on the left.
constexpr float kFirstLaneM = -2.2f;
constexpr float kLaneSpacingM = 0.63f;
// The closest a rider gets to a wheel ahead leaves this much drag (draftCdaFactor's minimum
// is 0.619, at 0.12 m).
constexpr double kLeastCdaFactor = 0.6;

}  // namespace

RiderPose riderPose(const Route& route, int seat, double distanceM, double speedMs) {
  const uint32_t segment = route.segmentAt(distanceM);
  const float pitch = static_cast<float>(std::atan(route.gradeOf(segment)));
  RiderPose pose;
  pose.position = {static_cast<float>(distanceM),
                   static_cast<float>(route.elevationAt(distanceM, segment)),
                   kFirstLaneM + kLaneSpacingM * static_cast<float>(seat % pav::core::kMaxPlayers)};
  pose.orientation = glm::angleAxis(pitch, glm::vec3(0.0f, 0.0f, 1.0f));
  pose.velocity = static_cast<float>(speedMs) * glm::vec3(std::cos(pitch), std::sin(pitch), 0.0f);
  return pose;
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

  double low = points.front().elevationM, high = low;
  for (const RoutePoint& point : points) {
    low = std::min(low, point.elevationM);
    high = std::max(high, point.elevationM);
  }
  const float length = static_cast<float>(route_.length());
  schema.positionMin = {-1.0f, static_cast<float>(low) - 1.0f, -kRoadHalfWidthM};
  schema.positionMax = {length + 1.0f, static_cast<float>(high) + 1.0f, kRoadHalfWidthM};
  schema.positionResolution = 0.001f;
  // Pitch only, within +/-17 degrees: 10 bits give 0.2 degrees.
  schema.orientationBits = 10;
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
    const RiderPose pose = riderPose(route_, p, s[kDistance], s[kSpeed]);
    out.objects[size_t(p)] = {pose.position, pose.orientation, pose.velocity, glm::vec3(0.0f)};
    s[kTime] = static_cast<float>(r.timeS);
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
    const double distance = std::clamp(static_cast<double>(s[kDistance]), 0.0, length);
    r.climbedM = std::max(0.0, r.climbedM + route_.climbBetween(r.motion.distanceM, distance));
    r.motion.distanceM = distance;
    // The step leaves a finished rider exactly at the end, stopped. (A float holds distances
    // near 12 km to a millimetre: a rider under half a millimetre short of the line is taken
    // as finished, a tick early.)
    r.finished = distance >= length;
    r.motion.speedMs = r.finished ? 0.0 : std::max(0.0, static_cast<double>(s[kSpeed]));
    r.timeS = std::max(0.0, static_cast<double>(s[kTime]));
    r.segment = route_.segmentAt(distance, r.segment);
    r.elevationM = route_.elevationAt(distance, r.segment);
  }
  seekNoise(in.tick);
  tick_ = in.tick;
  computeDrafting();
}

int CyclingTitle::ownObject(int seat) const { return seat >= 0 && seat < players_ ? seat : -1; }

}  // namespace pav::cycling
