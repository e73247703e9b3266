// The robot opponent. It reads the puck as a robot arm's camera would (position and
// velocity), predicts where the puck crosses its defence line, following bounces off the long
// rails, and moves its mallet there; a slow puck in its own half it strikes towards the other
// goal; otherwise it returns to guard its goal. Skill sets the mallet's top speed, how far
// ahead it looks and how much its aim wanders (deterministic noise from the seed and tick).
#include <algorithm>
#include <cmath>

#include "hockey_local.h"

namespace pav::hockey {
namespace {

constexpr float kHorizon[3] = {0.6f, 1.2f, 2.0f};   // seconds of prediction
constexpr float kAimError[3] = {0.10f, 0.04f, 0.01f};  // metres of wander at the defence line

// A deterministic number in [-1, 1) from the seed, the seat and a slowly changing tick.
float wander(uint64_t seed, int seat, uint64_t tick) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ull ^ (static_cast<uint64_t>(seat) << 56) ^ (tick / 48);
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return static_cast<float>(x >> 40) / static_cast<float>(1ull << 23) - 1.0f;
}

}  // namespace

Interception predictCrossing(const PuckState& puck, float lineX, float horizon, const TableSpec& t) {
  Interception out;
  const float vx = puck.velocity.x;
  if (std::abs(vx) < 1e-4f) return out;
  const float tCross = (lineX - puck.position.x) / vx;
  if (tCross < 0 || tCross > horizon) return out;
  // Walk the z motion segment by segment; each rail bounce keeps 80 % of the z speed.
  const float band = t.width * 0.5f - t.puckRadius;
  float z = std::clamp(puck.position.y, -band, band), vz = puck.velocity.y, left = tCross;
  for (int guard = 0; guard < 32 && left > 0; ++guard) {
    if (std::abs(vz) < 1e-5f) break;
    const float wall = vz > 0 ? band : -band;
    const float tWall = (wall - z) / vz;
    if (tWall >= left) {
      z += vz * left;
      left = 0;
      break;
    }
    z = wall;
    vz = -vz * kPuckRestitution;
    left -= tWall;
    ++out.bounces;
  }
  out.reaches = true;
  out.z = std::clamp(z, -band, band);
  out.seconds = tCross;
  return out;
}

void HockeyTitle::botInput(int seat, core::InputFrame& out) const {
  out = {};
  if (!world_ || seat < 0 || seat > 1) return;
  const TableSpec& t = table_;
  const int skill = setup_.skill;
  const float own = seat == 0 ? -1.0f : 1.0f;  // our goal is at x = own * length / 2
  const float goalX = own * t.length * 0.5f;
  const float defenceX = goalX - own * (0.10f + t.malletRadius);
  const PuckState p = puck();
  const glm::vec2 m = malletPos_[seat];
  const float noise = kAimError[skill] * wander(setup_.seed, seat, tick_);
  const float mouth = t.goalWidth * 0.5f;

  glm::vec2 target{defenceX, std::clamp(p.position.y * 0.4f, -mouth, mouth)};  // guard
  const bool coming = p.velocity.x * own > 0.05f;
  const bool inOurHalf = p.position.x * own > 0;
  if (coming) {
    const Interception i = predictCrossing(p, defenceX, kHorizon[skill], t);
    if (i.reaches) target = {defenceX, i.z + noise};
  } else if (inOurHalf && glm::length(p.velocity) < 1.5f) {
    // Strike: line up behind the puck on the way to the other goal, then drive through it.
    // Now and then it banks the shot off a long rail: aiming at the goal's mirror image across
    // that rail sends the puck in after one bounce.
    const float choice = wander(setup_.seed ^ 0xB4A7u, seat, tick_ / 4);
    // The puck's centre bounces at width/2 - radius, so the mirror image lies at twice that.
    const float mirror = 2.0f * (t.width * 0.5f - t.puckRadius);
    const float aimZ = choice > 0.35f ? mirror : choice < -0.35f ? -mirror : noise * 2.0f;
    const glm::vec2 aim = glm::normalize(glm::vec2(-goalX, aimZ) - p.position);
    const float contact = t.malletRadius + t.puckRadius;
    // Where the mallet can actually get to: a puck against a rail has its "behind" partly
    // inside the rail, so line up on the reachable point and strike from there.
    const glm::vec2 behind = clampToHalf(seat, p.position - aim * (contact + 0.03f));
    const bool inFront = glm::dot(m - p.position, aim) > 0.0f;
    if (inFront) {
      // Go round the puck rather than knocking it towards our own goal.
      const glm::vec2 side{-aim.y, aim.x};
      const float s = glm::dot(m - p.position, side) >= 0 ? 1.0f : -1.0f;
      target = p.position - aim * contact + side * (s * (contact + 0.05f));
    } else if (glm::length(m - behind) > 0.04f) {
      target = behind;
    } else {
      target = p.position + aim * 0.15f;
    }
  }
  const glm::vec2 delta = target - m;
  const float maxStep = kMalletSpeed[skill] * static_cast<float>(dt());
  const float len = glm::length(delta);
  const glm::vec2 next = m + (len > maxStep ? delta * (maxStep / len) : delta);
  out.hands[1].position = {next.x, 0.0f, next.y};
  out.hands[1].tracked = true;
}

}  // namespace pav::hockey
