// The puck's path as the robot predicts it: the table's damping and the rails' restitution.
//
// Bullet's linear damping keeps (1 - d)^t of the speed after t seconds, the same factor on
// both axes, so a puck moving at v for t seconds travels v * carry(t), carry(t) = (1 - e^-kt)/k
// with k = -ln(1 - d); the path's shape is that of an undamped puck, only slower along it.
// The walk goes event by event: a long-rail bounce (z), a short-rail bounce (x, beside the
// goal mouth), the line asked for, or a goal; at most kMaxEvents of them.
#include <algorithm>
#include <cmath>
#include <limits>

#include "pav/hockey/hockey.h"

namespace pav::hockey {
namespace {

constexpr int kMaxEvents = 24;
constexpr float kInf = std::numeric_limits<float>::infinity();
const float kDecay = -std::log(1.0f - kPuckDamping);  // per second

float carry(float t) { return (1.0f - std::exp(-kDecay * t)) / kDecay; }

// Seconds for a unit speed to carry the puck `s` metres (infinity if it stops short).
float timeToCarry(float s) {
  const float a = 1.0f - kDecay * s;
  return a <= 0.0f ? kInf : -std::log(a) / kDecay;
}

// Seconds until the coordinate reaches `wall` moving at v (infinity if away or never).
float timeTo(float x, float v, float wall) {
  if (std::abs(v) < 1e-6f) return kInf;
  const float s = (wall - x) / v;
  return s < 0.0f ? kInf : timeToCarry(s);
}

void advance(PuckState& p, float t) {
  p.position += p.velocity * carry(t);
  p.velocity *= std::exp(-kDecay * t);
}

struct Walk {
  PuckState puck;
  float seconds = 0;
  int bounces = 0;
  int goal = 0;
  bool crossed = false;
};

// Walks until `limit` seconds, or the puck's centre crosses x = lineX (when useLine), or a goal.
Walk walk(PuckState p, float limit, bool useLine, float lineX, const TableSpec& t) {
  Walk w;
  const float bandZ = t.width * 0.5f - t.puckRadius;
  const float bandX = t.length * 0.5f - t.puckRadius;
  const float mouth = t.goalWidth * 0.5f;
  p.position.y = std::clamp(p.position.y, -bandZ, bandZ);
  for (int event = 0; event < kMaxEvents; ++event) {
    const float left = limit - w.seconds;
    if (left <= 0.0f) break;
    const float tz = timeTo(p.position.y, p.velocity.y, p.velocity.y > 0 ? bandZ : -bandZ);
    // The short rails: a puck that reaches them inside the mouth goes in, beside it bounces.
    const float tx = std::abs(p.position.x) >= bandX && p.position.x * p.velocity.x > 0
                         ? 0.0f
                         : timeTo(p.position.x, p.velocity.x, p.velocity.x > 0 ? bandX : -bandX);
    const float tl = useLine ? timeTo(p.position.x, p.velocity.x, lineX) : kInf;
    const float next = std::min({tz, tx, tl});
    if (next >= left) {
      advance(p, left);
      w.seconds = limit;
      break;
    }
    advance(p, next);
    w.seconds += next;
    if (next == tl) {
      w.crossed = true;
      break;
    }
    if (next == tx) {
      if (std::abs(p.position.y) < mouth) {
        w.goal = p.velocity.x > 0 ? 1 : -1;
        p.velocity = glm::vec2(0.0f);
        break;
      }
      p.velocity.x = -p.velocity.x * kPuckRestitution;
    } else {
      p.velocity.y = -p.velocity.y * kPuckRestitution;
    }
    ++w.bounces;
  }
  w.puck = p;
  return w;
}

}  // namespace

Interception predictCrossing(const PuckState& puck, float lineX, float horizon, const TableSpec& t) {
  Interception out;
  const Walk w = walk(puck, horizon, true, lineX, t);
  if (!w.crossed || w.goal != 0) return out;
  out.reaches = true;
  out.z = w.puck.position.y;
  out.seconds = w.seconds;
  out.bounces = w.bounces;
  out.velocity = w.puck.velocity;
  return out;
}

PuckState predictPuck(const PuckState& puck, float seconds, const TableSpec& t, int* goal) {
  const Walk w = walk(puck, std::max(0.0f, seconds), false, 0.0f, t);
  if (goal) *goal = w.goal;
  return w.puck;
}

}  // namespace pav::hockey
