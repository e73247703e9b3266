// Robotic air hockey, the rules: the table in Bullet, mallets, goals, face-offs, the clock.
//
// The puck lives in a plane: its Y motion and X/Z rotation are locked, gravity is zero, so
// the air table's cushion is exact and nothing can make it jump a rail. Restitution 0.8 at
// the rails (Bullet multiplies the two bodies' values: puck 0.8, rails 1.0); a little linear
// damping stands in for air drag. The goal mouths are gaps in the short rails; a puck whose
// centre crosses the goal line inside a mouth is a goal, counted once, then a face-off.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "hockey_local.h"
#include "pav/core/config.h"
#include "pav/core/error.h"

namespace pav::hockey {
namespace {

constexpr float kPuckMass = 0.015f;       // kg, a competition puck
constexpr float kRailHeight = 0.1f;       // collision height; the puck is locked in its plane
constexpr float kHandBelowM = 0.2f, kHandAboveM = 0.6f;  // a hand over the table: around its surface

const core::TitleInfo kInfo{"hockey", "Robotic air hockey", kTickRateHz, 2, 0, /*showcase=*/true, /*adaptiveSkill=*/true};

}  // namespace

HockeyTitle::HockeyTitle() = default;

const core::TitleInfo& HockeyTitle::info() const { return kInfo; }

void HockeyTitle::setup(const core::TitleSetup& s) {
  PAV_CHECK(s.players >= 1 && s.players <= 2, "hockey: %d players; it takes 1 or 2", s.players);
  PAV_CHECK(s.skill >= core::kSkillEasy && s.skill <= core::kSkillFair, "hockey: skill %d; valid: 0 easy, 1 medium, 2 hard, 3 fair",
            s.skill);
  setup_ = s;
  matchSeconds_ = s.durationSeconds > 0 ? s.durationSeconds : kDefaultMatchSeconds;
  match_ = {};
  tick_ = 0;

  const std::string dir = s.dataDir.empty() ? std::string(PAV_ASSET_DIR) : s.dataDir;
  table_ = loadTable(dir + "/hockey/table.txt");
  const TableSpec& t = table_;
  // Exact restitution: Bullet's default positional correction would add speed to every bounce.
  world_.emplace(physics::WorldDesc{.gravity = {0, 0, 0}, .tickRateHz = kTickRateHz, .exactRestitution = true});
  physics::World& w = *world_;
  // Rails: two long ones, and two pieces beside each goal mouth.
  const float halfL = t.length * 0.5f, halfW = t.width * 0.5f, rw = t.railWidth;
  const physics::ShapeId longRail = w.addBox({halfL + rw, kRailHeight, rw * 0.5f});
  const float side = (t.width - t.goalWidth) * 0.5f;
  const physics::ShapeId shortRail = w.addBox({rw * 0.5f, kRailHeight, side * 0.5f});
  const auto rail = [&](physics::ShapeId shape, glm::vec3 at) {
    w.addBody({.shape = shape, .kind = physics::BodyKind::Static, .position = at, .friction = 0.0f,
               .restitution = 1.0f, .group = physics::group::kStatic});
  };
  for (float sz : {-1.0f, 1.0f}) rail(longRail, {0, 0, sz * (halfW + rw * 0.5f)});
  for (float sx : {-1.0f, 1.0f})
    for (float sz : {-1.0f, 1.0f})
      rail(shortRail, {sx * (halfL + rw * 0.5f), 0, sz * (t.goalWidth * 0.5f + side * 0.5f)});

  puck_ = w.addBody({.shape = w.addCylinder(t.puckRadius, t.puckHeight * 0.5f),
                     .mass = kPuckMass,
                     .friction = 0.0f,
                     .restitution = kPuckRestitution,
                     .linearDamping = kPuckDamping,
                     .linearFactor = {1, 0, 1},
                     .angularFactor = {0, 1, 0},
                     .ccdRadius = t.puckRadius,
                     .neverSleep = true});
  const physics::ShapeId malletShape = w.addCylinder(t.malletRadius, t.malletHeight * 0.5f);
  for (int seat = 0; seat < 2; ++seat) {
    malletPos_[seat] = {(seat == 0 ? -1.0f : 1.0f) * (halfL - 0.2f), 0.0f};
    mallets_[seat] = w.addBody({.shape = malletShape, .kind = physics::BodyKind::Kinematic,
                                .position = {malletPos_[seat].x, 0, malletPos_[seat].y},
                                .friction = 0.0f, .restitution = 1.0f});
  }
  for (int seat = 0; seat < 2; ++seat)
    robots_[seat].reset(s.seed, seat, t, s.skill == core::kSkillFair ? blendParams(fairStrength(0, 0)) : robotParams(s.skill));
  faceOff(static_cast<int>(s.seed % 2));
}

// Every seat's robot watches every tick (it may play the seat's next input); "fair" sets each
// robot's strength from the score as its seat sees it.
void HockeyTitle::updateRobots() {
  const PuckState p = puck();
  for (int seat = 0; seat < 2; ++seat) {
    if (setup_.skill == core::kSkillFair)
      robots_[seat].setParams(blendParams(fairStrength(match_.score[seat], match_.score[1 - seat])));
    robots_[seat].update(tick_, dt(), p, malletPos_[seat], malletPos_[1 - seat]);
  }
}

void HockeyTitle::faceOff(int seat) {
  // The puck rests on the receiving seat's side, a third of the way to the centre line.
  const float x = (seat == 0 ? -1.0f : 1.0f) * table_.length * 0.18f;
  world_->setState(puck_, {{x, 0, 0}, glm::quat(1, 0, 0, 0), glm::vec3(0), glm::vec3(0), 0, 0});
}

void HockeyTitle::placePuck(const PuckState& p) {
  world_->setState(puck_, {{p.position.x, 0, p.position.y}, glm::quat(1, 0, 0, 0),
                           {p.velocity.x, 0, p.velocity.y}, glm::vec3(0), 0, 0});
}

PuckState HockeyTitle::puck() const {
  const physics::BodyState s = world_->state(puck_);
  return {{s.position.x, s.position.z}, {s.linearVelocity.x, s.linearVelocity.z}};
}

glm::vec2 HockeyTitle::clampToHalf(int seat, glm::vec2 p) const {
  const TableSpec& t = table_;
  const float r = t.malletRadius;
  const float halfL = t.length * 0.5f, halfW = t.width * 0.5f;
  const float minX = seat == 0 ? -halfL + r : r;
  const float maxX = seat == 0 ? -r : halfL - r;
  return {std::clamp(p.x, minX, maxX), std::clamp(p.y, -halfW + r, halfW - r)};
}

// The window shows the table from behind the visitor's goal (hockey_present.cpp): the
// pointer's height is the distance from the own goal line (bottom) to the centre line (top),
// across the window is across the table as the visitor sees it.
void HockeyTitle::desktopInput(const core::DesktopControls& c, int seat, core::InputFrame& out) const {
  out = {};
  if (seat < 0 || seat > 1) return;
  const float side = seat == 0 ? -1.0f : 1.0f;  // the own goal is at x = side * length / 2
  const float x = side * table_.length * 0.5f * std::clamp(c.pointerY, 0.0f, 1.0f);
  const float z = -side * table_.width * (std::clamp(c.pointerX, 0.0f, 1.0f) - 0.5f);
  out.hands[1].tracked = true;
  out.hands[1].position = {x, 0.0f, z};  // the table frame: the surface at y = 0
}

// A station's hands stay over its own half of the table (where its mallet may go), a little
// above or below the surface; the mallet's speed is capped where it moves (moveMallet).
bool HockeyTitle::checkInput(int seat, core::InputFrame& in) const {
  if (!Title::checkInput(seat, in)) return false;
  if (seat < 0 || seat > 1) return false;
  for (core::HandInput& h : in.hands) {
    if (!h.tracked) continue;
    const glm::vec2 p = clampToHalf(seat, {h.position.x, h.position.z});
    h.position = {p.x, std::clamp(h.position.y, -kHandBelowM, kHandAboveM), p.y};
  }
  return true;
}

void HockeyTitle::moveMallet(int seat, const core::InputFrame& in) {
  const core::HandInput& hand = in.hands[1];
  if (!hand.tracked) return;  // an untracked hand leaves the mallet where it is
  const glm::vec2 target = clampToHalf(seat, {hand.position.x, hand.position.z});
  const glm::vec2 delta = target - malletPos_[seat];
  const float maxStep = kMalletSpeed[2] * static_cast<float>(dt());
  const float len = glm::length(delta);
  malletPos_[seat] += len > maxStep ? delta * (maxStep / len) : delta;
}

void HockeyTitle::checkGoal() {
  const TableSpec& t = table_;
  const PuckState p = puck();
  const float goalLine = t.length * 0.5f;
  if (std::abs(p.position.x) < goalLine || std::abs(p.position.y) > t.goalWidth * 0.5f) return;
  // Past the left goal line is the right seat's goal, and the other way round.
  const int scorer = p.position.x < 0 ? 1 : 0;
  ++match_.score[scorer];
  ++match_.goals;
  match_.lastScorer = scorer;
  if (match_.score[scorer] >= kWinningScore) match_.over = true;
  faceOff(1 - scorer);
}

void HockeyTitle::step(std::span<const core::InputFrame> inputs) {
  PAV_CHECK(world_.has_value(), "hockey: step before setup");
  if (match_.over) return;
  // Seats without a visitor's input are the robot's.
  for (int seat = 0; seat < 2; ++seat) {
    if (seat < static_cast<int>(inputs.size())) {
      moveMallet(seat, inputs[seat]);
    } else {
      core::InputFrame robot;
      botInput(seat, robot);
      moveMallet(seat, robot);
    }
  }
  for (int seat = 0; seat < 2; ++seat)
    world_->setKinematicTarget(mallets_[seat], {malletPos_[seat].x, 0, malletPos_[seat].y}, glm::quat(1, 0, 0, 0));
  world_->step();
  ++tick_;
  match_.seconds = static_cast<double>(tick_) * dt();
  checkGoal();
  if (match_.seconds >= matchSeconds_) match_.over = true;
  updateRobots();
}

uint64_t HockeyTitle::stateHash() const {
  uint64_t h = world_ ? world_->stateHash() : 0;
  h = core::hashBytes(malletPos_, sizeof malletPos_, h);
  h = core::hashBytes(match_.score, sizeof match_.score, h);
  h = core::hashBytes(&match_.goals, sizeof match_.goals, h);
  return core::hashBytes(&tick_, sizeof tick_, h);
}

std::string HockeyTitle::results(bool json) const {
  const char* winner = match_.score[0] == match_.score[1] ? "draw" : match_.score[0] > match_.score[1] ? "left" : "right";
  if (json) {
    nlohmann::ordered_json j = {{"title", "hockey"},
                                {"score", {match_.score[0], match_.score[1]}},
                                {"goals", match_.goals},
                                {"seconds", std::round(match_.seconds * 100) / 100},
                                {"winner", winner}};
    // The winner's seat first (the visitor's rank on the results screen); a draw ranks nobody.
    if (match_.score[0] != match_.score[1])
      j["ranking"] = match_.score[0] > match_.score[1] ? std::vector<int>{0, 1} : std::vector<int>{1, 0};
    return j.dump();
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "hockey: left %d - %d right after %.1f s (%s%s)", match_.score[0], match_.score[1],
                match_.seconds, winner, std::string_view(winner) == "draw" ? "" : " wins");
  return buf;
}

// ---- Public access --------------------------------------------------------------------------

std::unique_ptr<core::Title> makeHockeyTitle() { return std::make_unique<HockeyTitle>(); }

void registerHockeyTitle() { core::registerTitle("hockey", [] { return makeHockeyTitle(); }); }

TableSpec loadTable(const std::string& path) {
  const core::Config c = core::Config::load(path);
  TableSpec t;
  t.length = float(c.getDouble("length", t.length, 0.5, 5.0));
  t.width = float(c.getDouble("width", t.width, 0.3, 3.0));
  t.goalWidth = float(c.getDouble("goal_width", t.goalWidth, 0.05, 1.0));
  t.puckRadius = float(c.getDouble("puck_radius", t.puckRadius, 0.01, 0.2));
  t.puckHeight = float(c.getDouble("puck_height", t.puckHeight, 0.002, 0.05));
  t.malletRadius = float(c.getDouble("mallet_radius", t.malletRadius, 0.01, 0.2));
  t.malletHeight = float(c.getDouble("mallet_height", t.malletHeight, 0.01, 0.2));
  t.railWidth = float(c.getDouble("rail_width", t.railWidth, 0.01, 0.3));
  t.railHeight = float(c.getDouble("rail_height", t.railHeight, 0.005, 0.2));
  t.surfaceHeight = float(c.getDouble("surface_height", t.surfaceHeight, 0.3, 1.5));
  PAV_CHECK(t.goalWidth > 2 * t.puckRadius && t.goalWidth < t.width,
            "%s: goal_width %.3f must be wider than the puck and narrower than the table", path.c_str(), t.goalWidth);
  PAV_CHECK(t.width > 4 * t.malletRadius && t.length > 4 * t.malletRadius,
            "%s: the table is too small for its mallets", path.c_str());
  return t;
}

namespace {
const HockeyTitle& as(const core::Title& t) {
  const auto* h = dynamic_cast<const HockeyTitle*>(&t);
  PAV_CHECK(h, "not a hockey title");
  return *h;
}
}  // namespace

PuckState puckOf(const core::Title& t) { return as(t).puck(); }
glm::vec2 malletOf(const core::Title& t, int seat) { return as(t).mallet(seat); }
const MatchState& matchOf(const core::Title& t) { return as(t).match(); }
const TableSpec& tableOf(const core::Title& t) { return as(t).table(); }
const std::string& dataDirOf(const core::Title& t) { return as(t).dataDir(); }
void placePuck(core::Title& t, const PuckState& p) { const_cast<HockeyTitle&>(as(t)).placePuck(p); }

}  // namespace pav::hockey
