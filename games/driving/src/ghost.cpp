// The ghost: the session's best lap, recorded as it is driven (every car's lap, a pose every
// kGhostEveryTicks from the line), and replayed beside each car at that car's lap clock. The
// recordings are the title's state (hashed by a running hash of what each recorded), in storage
// reserved at setup, so a step allocates nothing.
#include <algorithm>
#include <cmath>

#include "driving_local.h"
#include "pav/core/error.h"

namespace pav::driving {

void GhostLap::reserve() { poses.reserve(static_cast<size_t>(kGhostMaxS * kTickRateHz / kGhostEveryTicks) + 2); }

void GhostLap::clear() {
  poses.clear();  // keeps the storage
  lapS = 0;
  hash = 0;
  overflow = false;
}

void GhostLap::record(const physics::BodyState& st) {
  if (poses.size() >= poses.capacity()) {
    overflow = true;
    return;
  }
  poses.push_back({st.position, st.orientation});
  hash = core::hashBytes(&poses.back().position, sizeof(glm::vec3), hash);
  hash = core::hashBytes(&poses.back().orientation, sizeof(glm::quat), hash);
}

void GhostLap::takeFrom(const GhostLap& lap) {
  const size_t n = std::min(lap.poses.size(), poses.capacity());
  poses.resize(n);  // within the reserved storage
  std::copy_n(lap.poses.begin(), n, poses.begin());
  lapS = lap.lapS;
  hash = lap.hash;
  overflow = lap.overflow;
}

bool GhostLap::poseAt(float seconds, GhostPose& out) const {
  if (poses.size() < 2 || !(seconds >= 0) || seconds > lapS) return false;
  const float at = seconds * static_cast<float>(kTickRateHz) / static_cast<float>(kGhostEveryTicks);
  const size_t i = std::min(static_cast<size_t>(at), poses.size() - 2);
  const float f = std::clamp(at - static_cast<float>(i), 0.0f, 1.0f);
  const GhostPose& a = poses[i];
  const GhostPose& b = poses[i + 1];
  out.position = glm::mix(a.position, b.position, f);
  out.orientation = glm::slerp(a.orientation, b.orientation, f);
  return true;
}

const Assists& DrivingTitle::assists() const { return impl_->assists; }

float DrivingTitle::ghostLapTime() const { return impl_->best.lapS; }

bool DrivingTitle::ghost(int player, glm::vec3& position, glm::quat& orientation) const {
  const Impl& m = *impl_;
  PAV_CHECK(player >= 0 && player < m.players, "driving: no player %d", player);
  const CarRace& r = m.cars[static_cast<size_t>(player)].race;
  if (!r.lapStarted || r.finished || m.best.lapS <= 0) return false;
  GhostPose g;
  if (!m.best.poseAt(static_cast<float>(static_cast<double>(m.tick - r.lapStartTick) / kTickRateHz), g)) return false;
  position = g.position;
  orientation = g.orientation;
  return true;
}

}  // namespace pav::driving
