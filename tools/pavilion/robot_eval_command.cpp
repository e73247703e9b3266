// `pavilion robot-eval [--episodes N] [--skill S] [--seed N] [--json]`: the hockey robot
// measured in the manner of the Air Hockey Challenge (pav/hockey/robot_eval.h): defend rates
// on straight and bank shots up to 10 m/s (and up to 8 m/s, the goal's range), the hit rate
// from a resting puck, the prepare rate from a corner, matches against the visitor model at
// each difficulty (or only --skill's when it is given), and the robot's compute per step
// (p99). Everything but the compute is simulated from fixed seeds: the same numbers every run.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "pav/core/title.h"
#include "pav/hockey/robot_eval.h"

namespace pav::tools {

CLI::Validator skillValidator() {
  return CLI::Validator(
      [](std::string& v) {
        const int skill = core::parseSkill(v);
        if (skill < 0) return "unknown skill '" + v + "' (valid: " + core::kSkillList + ")";
        v = std::to_string(skill);
        return std::string();
      },
      "SKILL");
}

CLI::Validator assistsValidator() {
  return CLI::Validator(
      [](std::string& v) {
        const int assists = core::parseAssists(v);
        if (assists < 0) return "unknown assists '" + v + "' (valid: " + core::kAssistList + ")";
        v = std::to_string(assists);
        return std::string();
      },
      "PRESET");
}

void addRobotEvalCommand(CLI::App& app, RobotEvalOptions& o) {
  CLI::App* c = app.add_subcommand("robot-eval", "Measure the hockey robot: defend, hit, prepare, matches, compute");
  c->add_option("--episodes", o.episodes, "Tries per task, and matches per difficulty")
      ->check(CLI::Validator([](std::string& v) {
        try {
          if (std::stoll(v) >= 1) return std::string();
        } catch (...) {
        }
        return "must be a whole number of at least 1, not '" + v + "'";
      }, "N"))
      ->capture_default_str();
  c->add_option("--skill", o.skill, std::string("The robot's skill: ") + core::kSkillList + " (matches: only this one)")
      ->transform(skillValidator());
  c->add_option("--seed", o.seed, "Seed of the shots and matches")->capture_default_str();
  c->add_flag("--json", o.json, "The results as one JSON object");
}

int runRobotEval(const RobotEvalOptions& o) {
  const int skill = o.skill.empty() ? core::kSkillHard : core::parseSkill(o.skill);
  const hockey::EvalOptions eval{.episodes = o.episodes, .skill = skill, .seed = o.seed};
  const hockey::DefendResult d10 = hockey::evalDefend(eval, 10.0f);
  const hockey::DefendResult d8 = hockey::evalDefend(eval, 8.0f);
  const hockey::Rate hit = hockey::evalHit(eval);
  const hockey::Rate prepare = hockey::evalPrepare(eval);
  const double p99 = hockey::robotComputeP99Ms(eval, 480 * 60);
  nlohmann::ordered_json matches = nlohmann::ordered_json::object();
  std::string matchText;
  for (int s = core::kSkillEasy; s <= core::kSkillFair; ++s) {
    if (!o.skill.empty() && s != skill) continue;
    const hockey::MatchResult m = hockey::evalMatches({.episodes = o.episodes, .skill = s, .seed = o.seed});
    matches[core::skillName(s)] = {{"matches", m.matches},     {"visitor_wins", m.visitorWins},
                                   {"robot_wins", m.robotWins}, {"draws", m.draws},
                                   {"visitor_win_rate", m.visitorWinRate()}, {"goals_per_match", m.goals},
                                   {"seconds_per_match", m.seconds}};
    char line[200];
    std::snprintf(line, sizeof line, "  %-7s visitor wins %d of %d (%.0f %%), robot %d, draws %d; %.1f goals, %.0f s a match\n",
                  core::skillName(s), m.visitorWins, m.matches, 100.0 * m.visitorWinRate(), m.robotWins, m.draws, m.goals,
                  m.seconds);
    matchText += line;
  }
  if (o.json) {
    const auto rate = [](const hockey::Rate& r) {
      return nlohmann::ordered_json{{"tries", r.tries}, {"successes", r.successes}, {"rate", r.rate()}};
    };
    const nlohmann::ordered_json j = {
        {"skill", core::skillName(skill)},
        {"episodes", o.episodes},
        {"seed", o.seed},
        {"defend_10", {{"straight", rate(d10.straight)}, {"bank", rate(d10.bank)}}},
        {"defend_8", {{"straight", rate(d8.straight)}, {"bank", rate(d8.bank)}}},
        {"hit", rate(hit)},
        {"prepare", rate(prepare)},
        {"matches", matches},
        {"compute_p99_ms", p99}};
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  std::printf("robot-eval: the %s robot, %d episodes a task, seed %llu\n", core::skillName(skill), o.episodes,
              static_cast<unsigned long long>(o.seed));
  std::printf("  defend up to 10 m/s: straight %.1f %% (%d/%d), bank %.1f %% (%d/%d)\n", 100 * d10.straight.rate(),
              d10.straight.successes, d10.straight.tries, 100 * d10.bank.rate(), d10.bank.successes, d10.bank.tries);
  std::printf("  defend up to 8 m/s:  straight %.1f %% (%d/%d), bank %.1f %% (%d/%d)\n", 100 * d8.straight.rate(),
              d8.straight.successes, d8.straight.tries, 100 * d8.bank.rate(), d8.bank.successes, d8.bank.tries);
  std::printf("  hit (scores from a resting puck): %.1f %% (%d/%d)\n", 100 * hit.rate(), hit.successes, hit.tries);
  std::printf("  prepare (out of a corner): %.1f %% (%d/%d)\n", 100 * prepare.rate(), prepare.successes, prepare.tries);
  std::printf("  matches against the visitor model:\n%s", matchText.c_str());
  std::printf("  compute per step: p99 %.4f ms\n", p99);
  return 0;
}

}  // namespace pav::tools
