// Measuring the robot (pav/hockey/robot_eval.h): the visitor model and the tasks.
// The robot always plays seat 1 (the right goal, +x); shots and shooters come from seat 0.
#include "pav/hockey/robot_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <vector>

#include "hockey_local.h"
#include "pav/core/error.h"

namespace pav::hockey {

// ---- The visitor model ----------------------------------------------------------------------

struct VisitorModel::Impl {
  RobotBrain brain;
  bool started = false;
  uint64_t seed = 0;
};

VisitorModel::VisitorModel(uint64_t seed, int seat) : impl_(std::make_unique<Impl>()), seat_(seat) {
  PAV_CHECK(seat == 0 || seat == 1, "visitor model: seat %d; 0 or 1", seat);
  impl_->seed = seed ^ 0x5A17C0DEull;
}
VisitorModel::~VisitorModel() = default;
VisitorModel::VisitorModel(VisitorModel&&) noexcept = default;
VisitorModel& VisitorModel::operator=(VisitorModel&&) noexcept = default;

void VisitorModel::input(const core::Title& t, core::InputFrame& out) {
  const auto* h = dynamic_cast<const HockeyTitle*>(&t);
  PAV_CHECK(h, "visitor model: not a hockey title");
  if (!impl_->started) {
    impl_->brain.reset(impl_->seed, seat_, h->table(), visitorParams());
    impl_->started = true;
  }
  RobotBrain& b = impl_->brain;
  const glm::vec2 m = h->mallet(seat_);
  b.update(h->tick(), h->dt(), h->puck(), m, h->mallet(1 - seat_));
  const glm::vec2 delta = b.target() - m;
  const float maxStep = kHandSpeed * b.speedShare() * float(h->dt());
  const float len = glm::length(delta);
  const glm::vec2 next = m + (len > maxStep ? delta * (maxStep / len) : delta);
  out = {};
  out.hands[1].position = {next.x, 0.0f, next.y};
  out.hands[1].tracked = true;
}

// ---- The tasks ------------------------------------------------------------------------------

namespace {

constexpr int kRobot = 1;

std::unique_ptr<core::Title> freshTitle(const EvalOptions& o, uint64_t seed) {
  auto t = makeHockeyTitle();
  t->setup({.players = 2, .seed = seed, .skill = o.skill, .durationSeconds = 1e6});
  return t;
}

// One tick: seat 0 as given, the robot its own.
void stepWith(core::Title& t, const core::InputFrame& seat0) {
  core::InputFrame in[2]{seat0, {}};
  t.botInput(kRobot, in[1]);
  t.step(in);
}

// Seat 0's mallet out of the way, by the centre line at the +z rail.
core::InputFrame parked(const TableSpec& t) {
  core::InputFrame in;
  in.hands[1] = {{-t.malletRadius, 0.0f, t.width * 0.5f - t.malletRadius}, glm::quat(1, 0, 0, 0), 0, 0, true};
  return in;
}

// The puck at rest in the shooter's half for `seconds`: the robot settles back on guard.
void settle(core::Title& t, double seconds, const core::InputFrame& seat0 = {}) {
  placePuck(t, {{-0.6f, 0.0f}, {0.0f, 0.0f}});
  for (int i = 0; i < int(seconds * kTickRateHz); ++i) stepWith(t, seat0);
}

}  // namespace

DefendResult evalDefend(const EvalOptions& o, float maxSpeed) {
  PAV_CHECK(o.episodes > 0, "robot-eval: episodes must be positive, not %d", o.episodes);
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<float> fromX(-0.7f, -0.2f), fromZ(-0.35f, 0.35f), unit(0.0f, 1.0f);
  std::uniform_real_distribution<float> speed(1.0f, std::max(1.0f, maxSpeed));
  DefendResult out;
  auto title = freshTitle(o, o.seed);
  const TableSpec t = tableOf(*title);  // a copy: the title is replaced when its match is over
  const float band = t.width * 0.5f - t.puckRadius;
  const float mouth = t.goalWidth * 0.5f - t.puckRadius;
  for (int shot = 0; shot < 2 * o.episodes; ++shot) {
    const bool bank = shot % 2 == 1;
    if (matchOf(*title).over) title = freshTitle(o, o.seed + uint64_t(shot));
    PuckState s;
    for (int attempt = 0; attempt < 64; ++attempt) {  // a shot that would score undefended
      const glm::vec2 from{fromX(rng), fromZ(rng)};
      const float toZ = (unit(rng) * 2.0f - 1.0f) * mouth * 0.9f;
      const float v = speed(rng);
      glm::vec2 dir;
      if (bank) {
        const float side = from.y > 0 ? -1.0f : 1.0f;  // off the far rail
        const float dz = std::abs(side * band - from.y) + std::abs(side * band - toZ) / kPuckRestitution;
        dir = glm::normalize(glm::vec2(t.length * 0.5f - from.x, side * dz));
      } else {
        dir = glm::normalize(glm::vec2(t.length * 0.5f, toZ) - from);
      }
      s = {from, dir * v};
      int goal = 0;
      predictPuck(s, 4.0f, t, &goal);
      if (goal == 1) break;
    }
    settle(*title, 0.5);
    placePuck(*title, s);
    const uint64_t before = matchOf(*title).goals;
    bool conceded = false;
    for (int tick = 0; tick < int(2 * kTickRateHz); ++tick) {
      stepWith(*title, {});
      if (matchOf(*title).goals != before) {
        conceded = matchOf(*title).lastScorer == 0;
        break;
      }
    }
    Rate& r = bank ? out.bank : out.straight;
    ++r.tries;
    r.successes += conceded ? 0 : 1;
  }
  return out;
}

Rate evalHit(const EvalOptions& o) {
  PAV_CHECK(o.episodes > 0, "robot-eval: episodes must be positive, not %d", o.episodes);
  std::mt19937_64 rng(o.seed + 17);
  std::uniform_real_distribution<float> atX(0.2f, 0.7f), atZ(-0.35f, 0.35f);
  Rate out;
  auto title = freshTitle(o, o.seed);
  const core::InputFrame away = parked(tableOf(*title));
  for (int i = 0; i < o.episodes; ++i) {
    if (matchOf(*title).over) title = freshTitle(o, o.seed + uint64_t(i));
    settle(*title, 0.5, away);
    placePuck(*title, {{atX(rng), atZ(rng)}, {0.0f, 0.0f}});
    const uint64_t before = matchOf(*title).goals;
    bool scored = false;
    for (int tick = 0; tick < int(3 * kTickRateHz); ++tick) {
      stepWith(*title, away);
      if (matchOf(*title).goals != before) {
        scored = matchOf(*title).lastScorer == kRobot;
        break;
      }
    }
    ++out.tries;
    out.successes += scored ? 1 : 0;
  }
  return out;
}

Rate evalPrepare(const EvalOptions& o) {
  PAV_CHECK(o.episodes > 0, "robot-eval: episodes must be positive, not %d", o.episodes);
  std::mt19937_64 rng(o.seed + 29);
  std::uniform_real_distribution<float> jitter(0.0f, 0.04f), unit(0.0f, 1.0f);
  Rate out;
  auto title = freshTitle(o, o.seed);
  const TableSpec t = tableOf(*title);  // a copy: the title is replaced when its match is over
  const core::InputFrame away = parked(t);
  const float halfL = t.length * 0.5f, band = t.width * 0.5f - t.puckRadius;
  for (int i = 0; i < o.episodes; ++i) {
    if (matchOf(*title).over) title = freshTitle(o, o.seed + uint64_t(i));
    settle(*title, 0.5, away);
    // A corner, or along the end rail beside the goal: where no straight line-up reaches.
    const float side = unit(rng) < 0.5f ? -1.0f : 1.0f;
    const glm::vec2 at = unit(rng) < 0.7f ? glm::vec2(halfL - t.puckRadius - jitter(rng), side * (band - jitter(rng)))
                                          : glm::vec2(halfL - t.puckRadius, side * (t.goalWidth * 0.5f + 0.06f + 2 * jitter(rng)));
    placePuck(*title, {at, {0.0f, 0.0f}});
    const uint64_t before = matchOf(*title).goals;
    bool ok = false;
    for (int tick = 0; tick < int(4 * kTickRateHz); ++tick) {
      stepWith(*title, away);
      if (matchOf(*title).goals != before) {
        ok = matchOf(*title).lastScorer == kRobot;
        break;
      }
      const PuckState p = puckOf(*title);
      if (p.position.x < halfL - 0.3f && std::abs(p.position.y) < band - 0.1f) {
        ok = true;
        break;
      }
    }
    ++out.tries;
    out.successes += ok ? 1 : 0;
  }
  return out;
}

MatchResult evalMatches(const EvalOptions& o, double matchSeconds) {
  PAV_CHECK(o.episodes > 0, "robot-eval: episodes must be positive, not %d", o.episodes);
  MatchResult out;
  uint64_t goals = 0;
  double seconds = 0;
  for (int m = 0; m < o.episodes; ++m) {
    const uint64_t seed = o.seed * 1000 + uint64_t(m);
    auto title = makeHockeyTitle();
    title->setup({.players = 2, .seed = seed, .skill = o.skill, .durationSeconds = matchSeconds});
    VisitorModel visitor(seed, 0);
    core::InputFrame in[2];
    while (!title->finished()) {
      visitor.input(*title, in[0]);
      title->botInput(kRobot, in[1]);
      title->step(in);
    }
    const MatchState& s = matchOf(*title);
    ++out.matches;
    out.visitorWins += s.score[0] > s.score[1];
    out.robotWins += s.score[1] > s.score[0];
    out.draws += s.score[0] == s.score[1];
    goals += s.goals;
    seconds += s.seconds;
  }
  out.goals = double(goals) / out.matches;
  out.seconds = seconds / out.matches;
  return out;
}

RobotVsRobot evalRobotVsRobot(const EvalOptions& o, double seconds) {
  PAV_CHECK(o.episodes > 0, "robot-eval: episodes must be positive, not %d", o.episodes);
  RobotVsRobot out;
  for (int i = 0; i < o.episodes; ++i) {
    auto title = makeHockeyTitle();
    title->setup({.players = 2, .seed = o.seed + uint64_t(i), .skill = o.skill, .durationSeconds = 1e6});
    const int ticks = int(seconds * kTickRateHz);
    core::InputFrame in[2];
    for (int k = 0; k < ticks; ++k) {
      if (title->finished()) {  // seven goals: play on in a fresh match, as a pavilion would
        out.goals += matchOf(*title).goals;
        title->setup({.players = 2, .seed = o.seed + uint64_t(i) + 7919u * uint64_t(k), .skill = o.skill, .durationSeconds = 1e6});
      }
      title->botInput(0, in[0]);
      title->botInput(1, in[1]);
      title->step(in);
    }
    out.goals += matchOf(*title).goals;
    out.seconds += seconds;
    ++out.seeds;
  }
  return out;
}

double robotComputeP99Ms(const EvalOptions& o, int ticks) {
  PAV_CHECK(ticks > 0, "robot-eval: ticks must be positive, not %d", ticks);
  auto title = makeHockeyTitle();
  title->setup({.players = 2, .seed = o.seed, .skill = o.skill, .durationSeconds = 1e6});
  const auto& h = dynamic_cast<const HockeyTitle&>(*title);
  // A shadow of the robot, fed what the title's robot is fed, timed alone.
  RobotBrain shadow;
  const int skill = o.skill == core::kSkillFair ? core::kSkillHard : o.skill;
  shadow.reset(o.seed, kRobot, h.table(), robotParams(skill));
  VisitorModel visitor(o.seed, 0);
  std::vector<double> ms;
  ms.reserve(size_t(ticks));
  core::InputFrame in[2];
  for (int k = 0; k < ticks; ++k) {
    if (title->finished()) title->setup({.players = 2, .seed = o.seed + uint64_t(k), .skill = o.skill, .durationSeconds = 1e6});
    visitor.input(*title, in[0]);
    const auto start = std::chrono::steady_clock::now();
    shadow.update(h.tick(), h.dt(), h.puck(), h.mallet(kRobot), h.mallet(0));
    title->botInput(kRobot, in[1]);
    const auto end = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    title->step(in);
  }
  std::sort(ms.begin(), ms.end());
  return ms[std::min(ms.size() - 1, size_t(double(ms.size()) * 0.99))];
}

}  // namespace pav::hockey
