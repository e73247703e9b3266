// The robot's choice of play, from its tracked puck (hockey_robot.h says how it senses).
//
//   defend   the predicted path crosses the defence line heading for the goal: be there
//   attack   the puck is (or soon will be) slow in the robot's half: line up behind it and
//            strike a straight, bank or cut shot at the part of the goal the other mallet
//            leaves open; afterwards, back to guard
//   prepare  the puck lies where no straight line-up is possible (a corner, the end rail):
//            push it gently back into the open, where it is attacked
//   guard    otherwise: in front of the goal, between the puck and the goal's centre
#include <algorithm>
#include <cmath>

#include "hockey_local.h"

namespace pav::hockey {
namespace {

constexpr float kAttackSpeed = 1.4f;   // m/s: a puck slower than this in the robot's half is struck
constexpr float kLineUpSlack = 0.035f; // m: close enough behind the puck to strike
constexpr float kRunUp = 0.02f;        // m: the line-up point's gap behind the puck

}  // namespace

glm::vec2 RobotBrain::guardPoint(glm::vec2 puck) const {
  const TableSpec& t = table_;
  const float own = seat_ == 0 ? -1.0f : 1.0f;
  const float goalX = own * t.length * 0.5f;
  const float defenceX = goalX - own * (0.10f + t.malletRadius);
  const float mouth = t.goalWidth * 0.5f;
  return {defenceX, std::clamp(puck.y * 0.35f, -mouth, mouth)};
}

// Where the mallet goes this tick to strike `puck` along the planned shot, and how.
glm::vec2 RobotBrain::strikeTarget(glm::vec2 puck, glm::vec2 mallet) const {
  const TableSpec& t = table_;
  const float own = seat_ == 0 ? -1.0f : 1.0f;
  const float theirGoalX = -own * t.length * 0.5f;
  const float band = t.width * 0.5f - t.puckRadius;
  const float z = aimZ_ + aimNoise_;
  glm::vec2 aim;
  if (shot_ == 1 || shot_ == 2) {
    // Off the rail at +band (1) or -band (2): the z run after the bounce is slowed by the
    // restitution, so the direction's z share is (to the rail + from the rail / e) over the x run.
    const float s = shot_ == 1 ? 1.0f : -1.0f;
    const float dz = std::abs(s * band - puck.y) + std::abs(s * band - z) / kPuckRestitution;
    aim = glm::normalize(glm::vec2(theirGoalX - puck.x, s * dz));
  } else {
    aim = glm::normalize(glm::vec2(theirGoalX, z) - puck);
  }
  const float contact = t.malletRadius + t.puckRadius;
  const glm::vec2 behind = puck - aim * (contact + kRunUp);
  const glm::vec2 side{-aim.y, aim.x};
  if (glm::dot(mallet - puck, aim) > -0.5f * contact) {
    // In front of (or beside) the puck: go round it rather than knock it the wrong way.
    const float s = glm::dot(mallet - puck, side) >= 0 ? 1.0f : -1.0f;
    return puck - aim * contact + side * (s * (contact + 0.04f));
  }
  if (glm::length(mallet - behind) > kLineUpSlack) return behind;
  return puck + aim * 0.25f;  // through the puck
}

void RobotBrain::decide(uint64_t tick, double dt, glm::vec2 mallet, glm::vec2 opponent) {
  const TableSpec& t = table_;
  const float own = seat_ == 0 ? -1.0f : 1.0f;
  const float goalX = own * t.length * 0.5f;
  const float defenceX = goalX - own * (0.10f + t.malletRadius);
  const float mouth = t.goalWidth * 0.5f;
  const float band = t.width * 0.5f - t.puckRadius;
  const float contact = t.malletRadius + t.puckRadius;
  const PuckState p = now_;
  const float speed = glm::length(p.velocity);
  const RobotMode was = mode_;
  speedShare_ = 1.0f;

  // Where the puck will be when the mallet can get to it (a few rounds of "go there, it moved").
  glm::vec2 meet = p.position;
  for (int i = 0; i < 3; ++i)
    meet = predictPuck(p, std::min(params_.horizon, glm::length(meet - mallet) / params_.speed), t).position;
  const bool meetInHalf = meet.x * own > 0.01f;
  const bool coming = p.velocity.x * own > 0.15f;

  Interception cross;
  if (coming) {
    if (params_.banks) {
      cross = predictCrossing(p, defenceX, params_.horizon, t);
    } else {  // reads the puck's line, not its bounces
      const float tc = (defenceX - p.position.x) / p.velocity.x;
      if (tc > 0 && tc < params_.horizon)
        cross = {true, std::clamp(p.position.y + p.velocity.y * tc, -band, band), tc, 0, p.velocity};
    }
  }
  const bool threat = cross.reaches && jabTicks_ == 0 && std::abs(cross.z) < mouth + contact && speed > kAttackSpeed;
  const bool stuckEnd = meet.x * own > t.length * 0.5f - contact - 0.02f;  // between mallet and own end rail
  const bool stuckCorner = std::abs(meet.y) > band - 0.05f && meet.x * own > t.length * 0.5f - 0.25f;

  if (threat) {
    mode_ = RobotMode::Defend;
    target_ = {defenceX, cross.z};
    if (was != RobotMode::Defend) aimNoise_ = gauss() * params_.aimError;
    target_.y += aimNoise_;
    planned_ = false;
  } else if (jabTicks_ > 0 || (meetInHalf && speed < kAttackSpeed && (stuckEnd || stuckCorner))) {
    mode_ = RobotMode::Prepare;
    planned_ = false;
    // No line-up behind the puck is reachable there: stand off on the open side, jab it into
    // the rails at an angle (away from the own goal's mouth), step aside while it comes back out.
    const float sz = meet.y >= 0 ? 1.0f : -1.0f;
    if (jabTicks_ == 0) jabDir_ = glm::normalize(glm::vec2(own, sz * (stuckCorner ? 1.5f : 0.6f)));
    const glm::vec2 u = jabDir_;
    const glm::vec2 standOff = meet - u * (contact + 0.05f);
    glm::vec2 aside{-u.y, u.x};
    if (aside.x * own > 0) aside = -aside;
    const uint64_t retreat = uint64_t(0.35 / dt);
    if (jabTicks_ == 0) {
      if (glm::length(mallet - standOff) > 0.02f) {
        target_ = standOff;
      } else {
        jabTicks_ = 1;
      }
    }
    if (jabTicks_ > 0) {
      ++jabTicks_;
      const bool hit = glm::length(mallet - p.position) < contact - 0.003f || double(jabTicks_) * dt > 0.3;
      if (hit && jabTicks_ < retreatFrom_) retreatFrom_ = jabTicks_;
      if (jabTicks_ < retreatFrom_) {
        target_ = meet + u * 0.1f;
        speedShare_ = 0.6f;
      } else {
        target_ = standOff + aside * 0.15f;
      }
      if (jabTicks_ > retreatFrom_ + retreat || jabTicks_ > uint64_t(1.5 / dt)) {
        jabTicks_ = 0;
        retreatFrom_ = ~uint64_t(0);
      }
    }
  } else if (meetInHalf && speed < kAttackSpeed * (coming ? 1.0f : 2.5f)) {
    mode_ = RobotMode::Attack;
    if (!planned_) {
      // The open part of the goal: the side the other mallet is not covering.
      const float open = opponent.y > 0.0f ? -1.0f : 1.0f;
      const float post = mouth - t.puckRadius - 0.005f;
      const float u = float(next() >> 40) / float(1ull << 24);  // 0..1
      const uint64_t pick = next() % 10;
      if (!params_.banks || pick < 4) {
        shot_ = 0;                                  // straight, at the open side
        aimZ_ = open * post * (0.4f + 0.6f * u);
      } else if (pick < 8) {
        shot_ = meet.y > 0 ? 2 : 1;                 // bank off the far rail, to the open side
        aimZ_ = open * post * (0.3f + 0.6f * u);
      } else {
        shot_ = 3;                                  // cut across, to the far post
        aimZ_ = (meet.y > 0 ? -1.0f : 1.0f) * post * (0.6f + 0.4f * u);
      }
      aimNoise_ = gauss() * params_.aimError;
      planned_ = true;
      attackTicks_ = 0;
    }
    ++attackTicks_;
    target_ = strikeTarget(meet, mallet);
    speedShare_ = params_.strike;
    // An attack that does not come off in 3 s is abandoned for a fresh plan.
    if (double(attackTicks_) * dt > 3.0) planned_ = false;
  } else {
    mode_ = RobotMode::Guard;
    target_ = guardPoint(p.position);
    // A slow puck heading for the own half: wait for it a little forward.
    if (coming && speed < kAttackSpeed) target_.x = goalX - own * 0.30f;
    planned_ = false;
  }
  (void)tick;
}

// ---- The title's seam -----------------------------------------------------------------------

void HockeyTitle::botInput(int seat, core::InputFrame& out) const {
  out = {};
  if (!world_ || seat < 0 || seat > 1) return;
  const RobotBrain& robot = robots_[seat];
  const glm::vec2 m = malletPos_[seat];
  const glm::vec2 target = clampToHalf(seat, robot.target());
  const glm::vec2 delta = target - m;
  const float maxStep = robot.params().speed * robot.speedShare() * static_cast<float>(dt());
  const float len = glm::length(delta);
  const glm::vec2 next = m + (len > maxStep ? delta * (maxStep / len) : delta);
  out.hands[1].position = {next.x, 0.0f, next.y};
  out.hands[1].tracked = true;
}

}  // namespace pav::hockey
