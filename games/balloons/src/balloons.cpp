// Balloon darts, the rules (balloons.h). A balloon is a kinematic sphere on a path that is a pure
// function of the seed, the balloon, its generation (pops so far) and the tick: its whole state
// is one number, and a bot can aim where it will be. Balls are dynamic spheres; balloons make no
// contact response, so Bullet's contact is only a test: a hit.
#include "pav/balloons/balloons.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include <btBulletDynamicsCommon.h>
#include "pav/core/error.h"
#include "pav/physics/physics.h"

namespace pav::balloons {
namespace {

constexpr core::TitleInfo kInfo{"balloons", "Balloon darts", kTickRateHz, kMaxSeats};
constexpr glm::vec3 kGravity{0, -9.81f, 0};
constexpr glm::quat kNoTurn{1, 0, 0, 0};
constexpr float kMaxThrow = 25.0f;        // m/s: faster than any arm
constexpr float kReach = 1.6f;            // m: the farthest a hand gets from its seat's resting hand
constexpr glm::vec3 kPocket{0, -2, 0};    // where balls wait, out of play
constexpr uint16_t kBallGroup = 1u << 2;  // balls touch balloons, never each other
constexpr int kTrail = 3;                 // ticks over which a throw's velocity is measured
constexpr int kWindup = 8;                // bot: ticks with the trigger held before it lets go
constexpr uint64_t kBotPeriod[3] = {168, 120, 84};    // bot, by skill: ticks between throws,
constexpr float kBotError[3] = {0.45f, 0.18f, 0.0f};  // and metres of aim error
constexpr std::string_view kNames[kScalarCount] = {"score_0", "score_1", "score_2", "score_3", "pops",
    "balloon_0", "balloon_1", "balloon_2", "balloon_3", "balloon_4", "balloon_5", "balloon_6", "balloon_7"};

float rnd(uint64_t seed, uint64_t key, uint64_t k) {  // all the title's randomness: the seed and a key, hashed to [0, 1)
  const uint64_t bytes[2] = {key, k};
  return static_cast<float>(core::hashBytes(bytes, sizeof bytes, seed ^ 1469598103934665603ull) >> 40) / float(1u << 24);
}

class BalloonsTitle final : public core::Title {
 public:
  const core::TitleInfo& info() const override { return kInfo; }
  uint64_t tick() const override { return tick_; }
  bool finished() const override { return tick_ >= endTick_; }
  int ownObject(int) const override { return -1; }  // balls fly alone: nothing to predict
  void setup(const core::TitleSetup& s) override {
    PAV_CHECK(s.players >= 1 && s.players <= kMaxSeats, "balloons: %d players; it takes 1 to %d", s.players, kMaxSeats);
    PAV_CHECK(s.skill >= 0 && s.skill <= 2, "balloons: skill %d; 0 easy, 1 medium, 2 hard", s.skill);
    setup_ = s, tick_ = pops_ = 0, generation_ = {}, score_ = {}, held_ = {};
    endTick_ = static_cast<uint64_t>(std::llround((s.durationSeconds > 0 ? s.durationSeconds : kRoundSeconds) * kTickRateHz));
    physics::World& w = world_.emplace(physics::WorldDesc{.gravity = kGravity, .tickRateHz = kTickRateHz});
    const physics::ShapeId balloon = w.addSphere(kBalloonRadius), ball = w.addSphere(kBallRadius);
    for (int i = 0; i < kBalloons; ++i) {
      balloons_[i] = w.addBody({.shape = balloon, .kind = physics::BodyKind::Kinematic, .position = balloonAt(i, 0),
                                .mask = kBallGroup});
      btRigidBody& rb = w.rigidBody(balloons_[i]);  // a contact is a test, not a bounce; user indices name bodies
      rb.setCollisionFlags(rb.getCollisionFlags() | btCollisionObject::CF_NO_CONTACT_RESPONSE), rb.setUserIndex(i);
    }
    for (int b = 0; b < ballCount(); ++b) {
      balls_[b] = w.addBody({.shape = ball, .mass = 0.06f, .position = kPocket, .angularFactor = glm::vec3(0),
                             .group = kBallGroup, .mask = physics::group::kDefault});
      w.rigidBody(balls_[b]).setUserIndex(kBalloons + b), pocket(b);
    }
    for (int seat = 0; seat < kMaxSeats; ++seat) trail_[seat].fill(restHand(seat, s.players));
  }

  void step(std::span<const core::InputFrame> inputs) override {
    PAV_CHECK(world_.has_value(), "balloons: step before setup");
    if (finished()) return;
    // A throw: the trigger let go (with hysteresis); the ball leaves the right hand at its velocity.
    for (int seat = 0; seat < std::min<int>(setup_.players, static_cast<int>(inputs.size())); ++seat) {
      const core::HandInput& hand = inputs[seat].hands[1];
      if (!hand.tracked) continue;
      auto& trail = trail_[seat];
      std::rotate(trail.rbegin(), trail.rbegin() + 1, trail.rend());
      trail[0] = hand.position;
      const bool was = held_[seat];
      held_[seat] = hand.trigger > 0.7f || (was && hand.trigger > 0.3f);
      if (was && !held_[seat]) throwBall(seat, hand.position, (trail[0] - trail[kTrail]) / (kTrail * float(dt())));
    }
    for (int i = 0; i < kBalloons; ++i) world_->setKinematicTarget(balloons_[i], balloonAt(i, tick_ + 1), kNoTurn);
    world_->step(), ++tick_;
    // This step's contacts, a bit per balloon for each ball, then resolved in a fixed order.
    std::array<uint8_t, kMaxSeats> touching{};
    btDispatcher& d = *world_->bullet().getDispatcher();
    for (int m = 0; m < d.getNumManifolds(); ++m) {
      const btPersistentManifold& c = *d.getManifoldByIndexInternal(m);  // contact points: touching, or within Bullet's margin
      const int a = c.getBody0()->getUserIndex(), b = c.getBody1()->getUserIndex();
      const int balloon = std::min(a, b), ball = std::max(a, b) - kBalloons;
      if (c.getNumContacts() && balloon >= 0 && balloon < kBalloons && ball >= 0 && ball < ballCount()) touching[ball] |= 1u << balloon;
    }
    uint8_t popped = 0;  // a balloon pops once; a second ball flies on through where it was
    for (int ball = 0; ball < ballCount(); ++ball) {
      if (!inPlay(ball)) continue;
      if (const uint8_t hit = touching[ball] & ~popped) {  // a pop: a point, and a new balloon elsewhere
        const int balloon = std::countr_zero(hit);
        popped |= uint8_t(1u << balloon), ++score_[ball], ++pops_, ++generation_[balloon];
        pocket(ball);
      } else if (const glm::vec3 p = world_->state(balls_[ball]).position;  // a miss, once out of the schema's box
                 p.y < 0.0f || p.y > 7.5f || p.z < -11.5f || p.z > 1.5f || std::abs(p.x) > 7.5f) {
        pocket(ball);
      }
    }
  }

  // A wind-up of kWindup ticks at a steady hand velocity v, then a release, with one aim throughout: released from
  // `from + v dt`, n steps later the ball is at from + (n + 1) dt v + g dt^2 n (n + 1) / 2 (semi-implicit Euler).
  void botInput(int seat, core::InputFrame& out) const override {
    out = {};
    core::HandInput& hand = out.hands[1];
    hand.tracked = true, hand.position = restHand(seat, setup_.players);
    const uint64_t period = kBotPeriod[setup_.skill], t = tick_ + uint64_t(seat) * period / kMaxSeats;
    const int phase = static_cast<int>(t % period);
    if (phase > kWindup) return;
    const uint64_t cycle = t / period, release = tick_ + uint64_t(kWindup - phase);
    const int target = static_cast<int>((cycle * 3 + uint64_t(seat) * 5) % kBalloons);
    const glm::vec3 from = hand.position + glm::vec3(0, 0.25f, -0.3f);
    const float dt = static_cast<float>(this->dt());
    const int n = std::max(1, static_cast<int>(glm::length(balloonAt(target, release) - from) / (12.0f * dt)));  // ~12 m/s
    const auto r = [&](uint64_t k) { return rnd(setup_.seed, cycle << 8 | uint64_t(seat), k) - 0.5f; };
    const glm::vec3 miss = 2.0f * kBotError[setup_.skill] * glm::vec3(r(0), r(1), 0);
    const glm::vec3 aim = balloonAt(target, release + uint64_t(n)) + miss;
    const glm::vec3 v = (aim - from - kGravity * (0.5f * dt * dt * float(n * (n + 1)))) / (float(n + 1) * dt);
    hand.position = from + v * (dt * float(phase - kWindup + 1));
    hand.trigger = phase < kWindup ? 1.0f : 0.0f;
  }

  // A visitor throws from their own spot: the hands stay within an arm's reach (and a lean) of
  // the seat's resting hand, so a release point is never metres away; the throw's speed is
  // capped where it is measured (throwBall).
  bool checkInput(int seat, core::InputFrame& in) const override {
    if (!Title::checkInput(seat, in) || seat < 0 || seat >= setup_.players) return false;
    const glm::vec3 rest = restHand(seat, setup_.players);
    for (core::HandInput& h : in.hands) {
      if (!h.tracked) continue;
      const glm::vec3 d = h.position - rest;
      if (const float len = glm::length(d); len > kReach) h.position = rest + d * (kReach / len);
    }
    return true;
  }

  uint64_t stateHash() const override {
    uint64_t h = core::hashBytes(&tick_, sizeof tick_);
    for (int b = 0; world_ && b < ballCount(); ++b) {
      const glm::vec3 v[2] = {world_->state(balls_[b]).position, world_->state(balls_[b]).linearVelocity};
      h = core::hashBytes(v, sizeof v, h);
    }
    h = core::hashBytes(generation_.data(), sizeof generation_, h);
    h = core::hashBytes(score_.data(), sizeof score_, h);
    return core::hashBytes(&pops_, sizeof pops_, h);
  }
  // Seats by score, best first (ties: the lower seat): the visitor's rank on the results screen.
  std::vector<int> ranking() const {
    std::vector<int> seats(static_cast<size_t>(setup_.players));
    for (int s = 0; s < setup_.players; ++s) seats[static_cast<size_t>(s)] = s;
    std::stable_sort(seats.begin(), seats.end(), [&](int a, int b) { return score_[a] > score_[b]; });
    return seats;
  }
  std::string results(bool json) const override {
    const int best = static_cast<int>(std::max_element(score_.begin(), score_.begin() + setup_.players) - score_.begin());
    const double seconds = static_cast<double>(tick_) / kTickRateHz;
    if (json) {
      const nlohmann::ordered_json j = {{"title", "balloons"},
                                        {"scores", std::vector<int>(score_.begin(), score_.begin() + setup_.players)},
                                        {"pops", pops_},
                                        {"seconds", std::round(seconds * 100) / 100},
                                        {"winner", best},
                                        {"ranking", ranking()}};
      return j.dump();
    }
    std::string scores;
    for (int s = 0; s < setup_.players; ++s) scores += " seat " + std::to_string(s) + " " + std::to_string(score_[s]);
    char tail[128];
    std::snprintf(tail, sizeof tail, " after %.1f s (seat %d wins)", seconds, best);
    return "balloons:" + scores + tail;
  }

  void describe(core::StateSchema& schema) const override {
    schema = {.objects = kBalloons + ballCount(),
              .positionMin = {-8.0f, -2.0f, -12.0f}, .positionMax = {8.0f, 8.0f, 2.0f},  // pocket to far end; step pockets beyond
              .positionResolution = 0.002f,                                               // 2 mm, against a 5 cm ball
              .velocityMax = 40.0f, .velocityResolution = 0.01f};  // a 25 m/s throw plus what gravity adds in flight
    for (int i = 0; i < kScalarCount; ++i) schema.addScalar({kNames[i], 0, i < kPops ? 9999.0f : 65535.0f, 1, i == kPops});
  }
  void capture(core::StateFrame& out) const override {
    PAV_CHECK(world_ && static_cast<int>(out.objects.size()) == kBalloons + ballCount(), "balloons: capture before setup");
    out.tick = tick_;
    for (int i = 0; i < kBalloons; ++i) out.objects[i] = {balloonAt(i, tick_), kNoTurn, {}, {}};  // a path: no velocity needed
    for (int b = 0; b < ballCount(); ++b)
      out.objects[kBalloons + b] = {world_->state(balls_[b]).position, kNoTurn, world_->state(balls_[b]).linearVelocity, {}};
    for (int i = 0; i < kScalarCount; ++i)
      out.scalars[i] = i < kPops ? float(score_[i]) : i == kPops ? float(std::min(pops_, 65535ul)) : generation_[i - kGeneration0];
  }
  void apply(const core::StateFrame& in) override {
    PAV_CHECK(world_ && static_cast<int>(in.objects.size()) == kBalloons + ballCount(), "balloons: apply before setup, or a bad frame");
    const auto count = [&](int i) { return std::max(0L, std::lround(in.scalars[i])); };
    tick_ = in.tick;
    for (int s = 0; s < kMaxSeats; ++s) score_[s] = static_cast<int>(count(kScore0 + s));
    pops_ = static_cast<uint64_t>(count(kPops));
    for (int i = 0; i < kBalloons; ++i) generation_[i] = static_cast<uint16_t>(count(kGeneration0 + i));
    for (int i = 0; i < kBalloons; ++i) world_->setState(balloons_[i], {balloonAt(i, tick_), kNoTurn, {}, {}, 0, 0});
    for (int b = 0; b < ballCount(); ++b)  // a ball in the pocket, or in flight
      if (const core::ObjectState& o = in.objects[kBalloons + b]; o.position.y < -1.0f) pocket(b);
      else world_->setState(balls_[b], {o.position, kNoTurn, o.velocity, {}, ACTIVE_TAG, 0});
  }
 private:
  glm::vec3 balloonAt(int i, uint64_t tick) const {
    const auto r = [&](uint64_t k) { return rnd(setup_.seed, uint64_t(i) << 32 | generation_[i], k); };
    const float phase = 6.2831853f * r(3);
    const double t = static_cast<double>(tick) / kTickRateHz;
    const glm::vec3 base{-3.0f + 6.0f * r(0), 1.2f + 1.6f * r(1), -4.0f - 3.5f * r(2)};
    return base + glm::vec3(0.5f * float(std::sin(0.6 * t + phase)), 0.25f * float(std::sin(1.1 * t + 1.3 * phase)), 0);
  }
  void throwBall(int seat, const glm::vec3& from, glm::vec3 v) {  // each seat has one ball: none while it flies
    if (const float speed = glm::length(v); speed > kMaxThrow) v *= kMaxThrow / speed;
    if (!inPlay(seat)) world_->setState(balls_[seat], {from, kNoTurn, v, {}, ACTIVE_TAG, 0});
  }
  void pocket(int ball) { world_->setState(balls_[ball], {kPocket, kNoTurn, {}, {}, DISABLE_SIMULATION, 0}); }
  bool inPlay(int ball) const { return world_->state(balls_[ball]).position.y > -1.0f; }
  int ballCount() const { return setup_.players; }  // ball s is seat s's
  core::TitleSetup setup_;
  uint64_t tick_ = 0, endTick_ = 0, pops_ = 0;
  std::optional<physics::World> world_;
  std::array<physics::BodyId, kBalloons> balloons_{};
  std::array<physics::BodyId, kMaxSeats> balls_{};
  std::array<uint16_t, kBalloons> generation_{};
  std::array<int, kMaxSeats> score_{};
  std::array<bool, kMaxSeats> held_{};  // per seat, local to this copy (not networked): the trigger,
  std::array<std::array<glm::vec3, kTrail + 1>, kMaxSeats> trail_{};  // and the hand's last positions
};

}  // namespace

glm::vec3 restHand(int seat, int players) { return {1.2f * (float(seat) - 0.5f * float(players - 1)), 1.3f, 0.0f}; }
std::unique_ptr<core::Title> makeTitle() { return std::make_unique<BalloonsTitle>(); }
void registerTitle() { core::registerTitle(kInfo.id, makeTitle); }

}  // namespace pav::balloons
