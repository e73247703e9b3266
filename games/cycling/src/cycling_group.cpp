// Riding together: lanes and steering, drafting within a lane band, the group's virtual draft
// that keeps riders of different strength together until the sprint, and the ride's length
// chosen from the session's (cycling.h, [Title: lanes], [Title: the group ride], [Title: the
// ride's length]). All of it reads the riders as they were at the start of the tick, in seat
// order, with no allocation: the step is deterministic whoever is stepped first.
//
// Index: lanes, the ride's length, drafting, the group's pull, steering
#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "pav/core/error.h"
#include "pav/cycling/cycling.h"

namespace pav::cycling {

// ---- lanes -----------------------------------------------------------------------------------

double snapLateral(double lateralM) { return std::round(lateralM / kLateralGridM) * kLateralGridM; }

double laneCentreM(int lane) { return snapLateral(kFirstLaneM + kLaneSpacingM * std::clamp(lane, 0, kLanes - 1)); }

int nearestLane(double lateralM) {
  const double lane = std::round((lateralM - kFirstLaneM) / kLaneSpacingM);
  return std::isfinite(lane) ? int(std::clamp(lane, 0.0, double(kLanes - 1))) : 0;
}

// ---- the ride's length -----------------------------------------------------------------------

double rideLengthFor(const Route& course, double sessionSeconds, const BotProfile& bot, const RiderParams& rider) {
  PAV_CHECK(std::isfinite(sessionSeconds) && sessionSeconds >= 0, "rideLengthFor: a session of %.3f s", sessionSeconds);
  const auto points = course.points();
  PAV_CHECK(points.size() >= 2, "rideLengthFor: route '%s' has no road", course.name().c_str());
  if (sessionSeconds == 0 && !course.loop()) return course.length();
  const double budget = kRideShareOfSession * (sessionSeconds > 0 ? sessionSeconds : kDefaultMaxSessionS);
  // Stretch by stretch at the bot's steady speed (its power depends on its speed above the
  // coasting speed: two rounds settle it), lap after lap for a loop.
  const Environment env;
  // A stretch's time at the bot's steady speed (its power depends on its speed above the
  // coasting speed: two rounds settle it); a bot that cannot climb it walks.
  const auto stretchSeconds = [&](uint32_t i) {
    const double grade = course.gradeOf(i);
    double v = steadySpeed(rider, env, grade, botPower(bot, grade, 10.0));
    v = steadySpeed(rider, env, grade, botPower(bot, grade, v));
    v = std::max(v, 1.0);
    return std::pair{points[i + 1].distanceM - points[i].distanceM, v};
  };
  double time = 0, distance = 0;
  if (course.loop()) {
    // Whole laps at once (a long session would otherwise walk the loop lap by lap), at most as
    // many as keep the distance a whole number of metres in a float (2^24 m).
    double lapSeconds = 0;
    for (uint32_t i = 0; i + 1 < points.size(); ++i) {
      const auto [run, v] = stretchSeconds(i);
      lapSeconds += run / v;
    }
    const double maxLaps = std::floor(double(1 << 24) / course.length()) - 1;
    const double laps = std::clamp(std::floor(budget / lapSeconds), 0.0, std::max(0.0, maxLaps));
    time = laps * lapSeconds;
    distance = laps * course.length();
    if (laps >= maxLaps) return distance;
  }
  // Stretch by stretch through the last (or only) lap.
  for (uint32_t i = 0; i + 1 < points.size(); ++i) {
    const auto [run, v] = stretchSeconds(i);
    // Whole metres: a float (the networked distance) holds the finish exactly.
    if (time + run / v >= budget) return std::max(1.0, std::floor(distance + (budget - time) * v));
    time += run / v;
    distance += run;
  }
  return course.loop() ? distance : course.length();
}

// ---- drafting --------------------------------------------------------------------------------

void CyclingTitle::computeDrafting() {
  // Shelter comes from the nearest wheel ahead within reach and within the lane band; with 8
  // riders the pairwise scan is cheaper than keeping a sorted order.
  for (int f = 0; f < players_; ++f) {
    Rider& follower = riders_[size_t(f)];
    double factor = 1;
    if (!follower.finished) {
      for (int l = 0; l < players_; ++l) {
        const Rider& leader = riders_[size_t(l)];
        if (l == f || leader.finished) continue;
        if (std::abs(leader.lateralM - follower.lateralM) > kDraftBandM) continue;
        const double gap = leader.motion.distanceM - follower.motion.distanceM - kBikeLengthM;
        factor = std::min(factor, draftCdaFactor(gap));
      }
    }
    follower.cdaFactor = factor;
  }
}

// ---- the group's pull ------------------------------------------------------------------------

void CyclingTitle::computePull() {
  for (int p = 0; p < players_; ++p) riders_[size_t(p)].pullGrade = 0;
  if (!groupRide_) return;
  // The group: riders still riding and pedalling (one who stops, or coasts, neither holds the
  // others nor is held). Its middle is the median distance (one rider far off does not move
  // it), then those within kGroupDroppedM of it make its speed.
  const auto inIt = [](const Rider& r) { return !r.finished && r.powerW >= kGroupMinPowerW; };
  std::array<double, pav::core::kMaxPlayers> at{};
  int n = 0;
  double lead = 0;
  for (int p = 0; p < players_; ++p) {
    const Rider& r = riders_[size_t(p)];
    lead = std::max(lead, r.motion.distanceM);
    if (inIt(r)) at[size_t(n++)] = r.motion.distanceM;
  }
  if (n < 2) return;
  if (lead >= route_.length() - kSprintM) return;  // the sprint: every rider for themselves
  for (int i = 1; i < n; ++i)  // eight at most: insertion sort
    for (int j = i; j > 0 && at[size_t(j)] < at[size_t(j - 1)]; --j) std::swap(at[size_t(j)], at[size_t(j - 1)]);
  const double middle = n % 2 ? at[size_t(n / 2)] : 0.5 * (at[size_t(n / 2 - 1)] + at[size_t(n / 2)]);
  double speedSum = 0;
  int inGroup = 0;
  for (int p = 0; p < players_; ++p) {
    const Rider& r = riders_[size_t(p)];
    if (inIt(r) && std::abs(r.motion.distanceM - middle) <= kGroupDroppedM) speedSum += r.motion.speedMs, ++inGroup;
  }
  if (inGroup < 2) return;
  const double groupSpeed = speedSum / inGroup;
  // Room for the group to ride in line: its half-length grows with every rider in it.
  const double slack = kGroupSlackM + kGroupSlackPerRiderM * (inGroup - 2);
  for (int p = 0; p < players_; ++p) {
    Rider& r = riders_[size_t(p)];
    const double off = r.motion.distanceM - middle;
    if (!inIt(r) || std::abs(off) > kGroupDroppedM) continue;
    const double beyond = std::max(0.0, std::abs(off) - slack);
    if (beyond == 0) continue;  // in the group's slack: no pull, however it drifts
    double grade = std::copysign(beyond, off) * kGroupPullPerM + (r.motion.speedMs - groupSpeed) * kGroupPullPerMs;
    // Only towards the group: never a push away from it.
    if (off > 0) {
      grade = std::clamp(grade, 0.0, kGroupHoldMax);
    } else {
      // At most what the rider's own legs give, so a rider who stops is not towed.
      const double weight = r.params.massKg * env_.gravity;
      const double legs = r.powerW * (1 - r.params.drivetrainLoss) / std::max(r.motion.speedMs, kMinDriveSpeedMs);
      grade = std::clamp(grade, -std::min(kGroupPullMax, legs / weight), 0.0);
    }
    r.pullGrade = grade;
  }
}

// ---- steering --------------------------------------------------------------------------------

void CyclingTitle::steerRider(Rider& r, float steer) const {
  const double dt = this->dt();
  const double s = std::isfinite(steer) ? std::clamp(double(steer), -1.0, 1.0) : 0.0;
  if (std::abs(s) > kSteerDeadZone) {
    r.lateralM += s * kSteerSpeedMs * dt;
  } else {
    // Towards the middle of the nearest lane, easing in over about a third of a second.
    const double error = laneCentreM(nearestLane(r.lateralM)) - r.lateralM;
    double move = std::clamp(error * dt / 0.3, -kAutoSteerMs * dt, kAutoSteerMs * dt);
    // The last few millimetres a grid step at a time, so the rider ends on the lane's middle.
    if (std::abs(move) < kLateralGridM) move = std::clamp(error, -kLateralGridM, kLateralGridM);
    r.lateralM += move;
  }
  r.lateralM = snapLateral(std::clamp(r.lateralM, laneCentreM(0), laneCentreM(kLanes - 1)));
}

}  // namespace pav::cycling
