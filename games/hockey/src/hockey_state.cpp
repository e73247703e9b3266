// Robotic air hockey, the networked state: what a station needs to draw the match and to
// predict its own mallet.
//
// Objects: 0 the puck, 1 the left mallet (seat 0), 2 the right mallet (seat 1); positions on
// the table plane (y is always 0) to 0.5 mm, velocities to 1 cm/s within +/-20 m/s (faster
// than any shot the 480 Hz step keeps on the table). No orientations: pucks and mallets are
// round. Scalars: the two scores, the goals counter (each goal is announced reliably), who
// scored last and whether the match is over. The clock is the tick, which every frame carries.
#include <algorithm>
#include <cmath>

#include "hockey_local.h"
#include "pav/core/error.h"

namespace pav::hockey {
namespace {

constexpr float kMaxSpeed = 20.0f;

}  // namespace

void HockeyTitle::describe(core::StateSchema& schema) const {
  schema = {};
  schema.objects = 3;
  // The puck's centre can pass the goal line by up to its radius before the goal counts.
  const float halfL = table_.length * 0.5f + table_.railWidth + table_.puckRadius;
  const float halfW = table_.width * 0.5f + table_.railWidth;
  schema.positionMin = {-halfL, 0.0f, -halfW};
  schema.positionMax = {halfL, 0.0f, halfW};
  schema.positionResolution = 0.0005f;
  schema.velocityMax = kMaxSpeed;
  schema.velocityResolution = 0.01f;
  const float maxGoals = 2 * kWinningScore;
  schema.addScalar({"score_left", 0, kWinningScore, 1});
  schema.addScalar({"score_right", 0, kWinningScore, 1});
  schema.addScalar({"goals", 0, maxGoals, 1, true});
  schema.addScalar({"last_scorer", -1, 1, 1});
  schema.addScalar({"over", 0, 1, 1});
  static_assert(kScalarCount == 5);
}

void HockeyTitle::capture(core::StateFrame& out) const {
  PAV_CHECK(world_.has_value() && out.objects.size() == 3, "hockey: capture before setup or resize");
  out.tick = tick_;
  const physics::BodyState p = world_->state(puck_);
  out.objects[0] = {p.position, glm::quat(1, 0, 0, 0), p.linearVelocity, glm::vec3(0)};
  for (int seat = 0; seat < 2; ++seat) {
    const physics::BodyState m = world_->state(mallets_[seat]);
    out.objects[1 + seat] = {{malletPos_[seat].x, 0, malletPos_[seat].y}, glm::quat(1, 0, 0, 0),
                             {m.linearVelocity.x, 0, m.linearVelocity.z}, glm::vec3(0)};
  }
  out.scalars[kScoreLeft] = float(match_.score[0]);
  out.scalars[kScoreRight] = float(match_.score[1]);
  out.scalars[kGoals] = float(std::min<uint64_t>(match_.goals, 2 * kWinningScore));
  out.scalars[kLastScorer] = float(match_.lastScorer);
  out.scalars[kOver] = match_.over ? 1.0f : 0.0f;
}

void HockeyTitle::apply(const core::StateFrame& in) {
  PAV_CHECK(world_.has_value() && in.objects.size() == 3, "hockey: apply before setup, or not a hockey frame");
  tick_ = in.tick;
  match_.seconds = static_cast<double>(tick_) * dt();
  const auto count = [](float v) { return static_cast<int>(std::lround(v)); };
  match_.score[0] = count(in.scalars[kScoreLeft]);
  match_.score[1] = count(in.scalars[kScoreRight]);
  match_.goals = static_cast<uint64_t>(std::max(0, count(in.scalars[kGoals])));
  match_.lastScorer = count(in.scalars[kLastScorer]);
  match_.over = in.scalars[kOver] > 0.5f;
  const core::ObjectState& p = in.objects[0];
  world_->setState(puck_, {{p.position.x, 0, p.position.z}, glm::quat(1, 0, 0, 0),
                           {p.velocity.x, 0, p.velocity.z}, glm::vec3(0), 0, 0});
  for (int seat = 0; seat < 2; ++seat) {
    const core::ObjectState& m = in.objects[1 + seat];
    malletPos_[seat] = clampToHalf(seat, {m.position.x, m.position.z});
    world_->setState(mallets_[seat], {{malletPos_[seat].x, 0, malletPos_[seat].y}, glm::quat(1, 0, 0, 0),
                                      {m.velocity.x, 0, m.velocity.z}, glm::vec3(0), 0, 0});
  }
}

}  // namespace pav::hockey
