// `pavilion ctl`: the operator's command line. Each command is one sealed request to the
// director and its answer, as text for people or JSON for scripts (--json):
//   stations                 every station: number, name, state, title, time left, health
//   status                   the sessions, then the stations
//   launch TITLE --stations 3,4 --minutes 5 [--difficulty easy|medium|hard|fair] [--lang zh|en] [--lobby S]
//   stop SESSION|STATION     end a session (a station alone leaves its session; the bot takes over)
//   logs STATION             the station's recent log lines
//   keep SESSION [--name N]  keep an ended session's replay (on the director, in its state folder)
//   volume STATION [0..100] [--mute|--unmute]  what the station's visitors hear (kept by the director)
//   report [--day YYYY-MM-DD] [--csv]  the day's sessions per title per hour, utilisation, completion, results
//   move STATION --to STATION  a playing visitor's seat, score and progress to an idle station
//   view STATION --out F.jpg, alerts [--all], ack ID: live views and alerts (ctl_ops.cpp)
// Exit codes: 0 done, 1 the director refused (with its reason) or could not be reached, 2 bad
// command line.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "agent.h"
#include "commands.h"
#include "day_book.h"
#include "day_report.h"
#include "floor.h"
#include "pav/core/error.h"
#include "pav/core/title.h"
#include "pav/net/transport.h"
#include "visitor_text.h"

namespace pav::tools {

void addCtlCommand(CLI::App& app, CtlOptions& o) {
  CLI::App* c = app.add_subcommand("ctl", "The operator's control of the pavilion floor, through the director");
  o.command = c;
  c->add_option("--director", o.director, "The director, HOST:PORT (default: $PAVILION_DIRECTOR or 127.0.0.1:7700)");
  c->add_option("--key", o.key, "The pavilion's operator key file (default: $XDG_CONFIG_HOME/pavilion/pavilion.key)");
  c->add_flag("--json", o.json, "The director's answer as JSON");
  c->require_subcommand(1, 1);
  c->add_subcommand("stations", "Every station: state, title, time left, health");
  c->add_subcommand("status", "The sessions, then the stations");
  CLI::App* launch = c->add_subcommand("launch", "Launch a timed session on one or more stations");
  launch->add_option("title", o.title, titleArgumentHelp())->required();
  launch->add_option("--stations", o.stations, "Stations by number or name, comma-separated (3,4)")->required();
  launch->add_option("--minutes", o.minutes, "Session length in minutes (above 0, at most 240)")->capture_default_str();
  launch->add_option("--difficulty", o.difficulty, "Bots' difficulty: easy, medium, hard, fair")->capture_default_str();
  addLangOption(*launch, o.lang, "The visitors' language for this session: zh or en (default: each station's, else the director's)");
  launch->add_option("--lobby", o.lobby, "Seconds of lobby before the 3 s start (default: the director's --lobby, 10; 0: "
                     "neither, the play starts at once)")->check(CLI::Range(0.0, director::kMaxLobbySeconds));
  launch->add_option("--budget-kbps", o.budgetKbps,
                     "Each station's downlink budget in kbps, for a link whose capacity is known (a 5G slice); "
                     "snapshots are fitted to it (default 0: estimated from each link)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (text.empty() || *end != '\0' || !std::isfinite(v)) return "'" + text + "' is not a number of kbps";
            if (v == 0 || (v >= director::kMinBudgetKbps && v <= director::kMaxBudgetKbps)) return "";
            return text + " kbps: give 16 to 1000000 kbps per station, or 0 (estimated from each link)";
          },
          "KBPS"));
  CLI::App* stop = c->add_subcommand("stop", "End a session, or take one station out of its session");
  stop->add_option("target", o.target, "A session (s3) or a station (number or name)")->required();
  CLI::App* logs = c->add_subcommand("logs", "A station's recent log lines");
  logs->add_option("station", o.target, "The station (number or name)")->required();
  CLI::App* keep = c->add_subcommand("keep", "Keep an ended session's replay (pavilion replay FILE re-makes it)");
  keep->add_option("session", o.target, "The session (s3)")->required();
  keep->add_option("--name", o.keepName, "The name to keep it under (default: the session's id)");
  CLI::App* volume = c->add_subcommand("volume", "Set what a station's visitors hear: the volume, muted or not");
  volume->add_option("station", o.target, "The station (number or name)")->required();
  volume->add_option("level", o.volume, "The volume, 0 (silent) to 100 (full)")->check(CLI::Range(0, 100));
  CLI::Option* mute = volume->add_flag("--mute", o.mute, "Mute it (the volume is kept for --unmute)");
  volume->add_flag("--unmute", o.unmute, "Unmute it")->excludes(mute);
  CLI::App* report = c->add_subcommand("report", "The day: sessions per title per hour, each station's utilisation, the "
                                                 "completion rate and the average results");
  report->add_option("--day", o.day, "The day, YYYY-MM-DD (default: today on the director)");
  report->add_flag("--csv", o.csv, "As one CSV table (kind,name,hour,...) for a spreadsheet");
  CLI::App* move = c->add_subcommand("move", "Move a playing visitor's seat (score and progress) to an idle station");
  move->add_option("station", o.target, "The station the visitor plays on now (number or name)")->required();
  move->add_option("--to", o.moveTo, "The idle station to move to (number or name)")->required();
  addCtlOpsCommands(*c, o);
  for (CLI::App* sub : c->get_subcommands({})) {
    // Shared flags also after the command word: `ctl launch hockey ... --json`.
    sub->add_flag("--json", o.json, "The director's answer as JSON");
  }
}

int runCtl(const CtlOptions& o) {
  const CLI::App* sub = o.command->get_subcommands().at(0);
  const std::string command = sub->get_name();
  std::string address = o.director;
  if (address.empty()) {
    const char* env = std::getenv("PAVILION_DIRECTOR");
    address = env && *env ? env : "127.0.0.1:7700";
  }
  std::string host;
  uint16_t port = 0;
  if (!net::parseHostPort(address, host, port)) {
    std::fprintf(stderr, "pavilion ctl: director '%s' is not HOST:PORT (for example 127.0.0.1:7700)\n", address.c_str());
    return 2;
  }
  nlohmann::json request = {{"command", command}};
  if (command == "launch") {
    if (!(o.minutes > 0) || o.minutes > 240) {
      std::fprintf(stderr, "pavilion ctl: bad duration --minutes %g: a session lasts more than 0 and at most 240 minutes\n", o.minutes);
      return 2;
    }
    if (director::skillOf(o.difficulty) < 0) {
      std::fprintf(stderr, "pavilion ctl: bad difficulty '%s' (valid: %s)\n", o.difficulty.c_str(), core::kSkillList);
      return 2;
    }
    nlohmann::json stations = nlohmann::json::array();
    size_t from = 0;
    while (from <= o.stations.size()) {
      const size_t comma = o.stations.find(',', from);
      const std::string word = o.stations.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
      if (word.empty()) {
        std::fprintf(stderr, "pavilion ctl: --stations '%s' has an empty entry (write 3,4 or station-3,station-4)\n", o.stations.c_str());
        return 2;
      }
      stations.push_back(word);
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    request.update({{"title", o.title}, {"stations", stations}, {"minutes", o.minutes}, {"difficulty", o.difficulty}});
    if (!o.lang.empty()) request["lang"] = std::string(core::toString(*langOption(o.lang)));
    if (o.lobby >= 0) request["lobby"] = o.lobby;
    if (o.budgetKbps > 0) request["budget_kbps"] = o.budgetKbps;
  } else if (command == "stop") {
    request["target"] = o.target;
  } else if (command == "logs") {
    request["station"] = o.target;
  } else if (command == "keep") {
    request["session"] = o.target;
    if (!o.keepName.empty()) request["name"] = o.keepName;
  } else if (command == "volume") {
    if (o.volume < 0 && !o.mute && !o.unmute) {
      std::fprintf(stderr, "pavilion ctl: volume %s: give a level from 0 to 100, or --mute or --unmute\n", o.target.c_str());
      return 2;
    }
    request["station"] = o.target;
    if (o.volume >= 0) request["volume"] = o.volume;
    if (o.mute || o.unmute) request["muted"] = o.mute;
  } else if (command == "report") {
    if (!o.day.empty() && !director::DayBook::validDate(o.day)) {
      std::fprintf(stderr, "pavilion ctl: bad day '%s': a date is YYYY-MM-DD, for example 2026-12-07\n", o.day.c_str());
      return 2;
    }
    if (!o.day.empty()) request["day"] = o.day;
  } else if (command == "move") {
    request["station"] = o.target;
    request["to"] = o.moveTo;
  }
  const net::ControlKey key = net::ControlKey::load(o.key.empty() ? net::ControlKey::defaultPath() : o.key);
  if (!key.holdsOperatorKey()) {
    std::fprintf(stderr, "pavilion ctl: %s is a station's key file: it cannot launch, stop or ask anything; use the "
                         "operator key file (`pavilion director --init` wrote both)\n", key.path().c_str());
    return 1;
  }
  if (isCtlOpsCommand(command)) return runCtlOps(o, command, host, port, key);
  const nlohmann::json reply = director::askDirector(host, port, key, request);
  const bool ok = reply.value("ok", false);
  if (o.json) {
    std::printf("%s\n", reply.dump().c_str());
  } else if (!ok) {
    std::fprintf(stderr, "pavilion ctl: %s: %s\n", command.c_str(), reply.value("error", std::string("refused")).c_str());
  } else if (command == "stations") {
    std::fputs(director::stationsText({{"stations", reply["stations"]}}).c_str(), stdout);
  } else if (command == "status") {
    std::fputs(director::statusText(reply["floor"]).c_str(), stdout);
  } else if (command == "launch") {
    std::string names;
    for (const auto& n : reply["stations"]) names += (names.empty() ? "" : ", ") + n.get<std::string>();
    std::printf("launched %s: %s for %g min (%s) on %s\n", reply.value("session", std::string()).c_str(), o.title.c_str(),
                o.minutes, o.difficulty.c_str(), names.c_str());
  } else if (command == "stop") {
    std::printf("stopped %s\n", o.target.c_str());
  } else if (command == "keep") {
    std::printf("kept the replay of %s in %s (on the director's machine)\n", o.target.c_str(),
                reply.value("path", std::string()).c_str());
  } else if (command == "volume") {
    std::printf("%s: volume %d%s%s\n", reply.value("station", std::string()).c_str(), reply.value("volume", 0),
                reply.value("muted", false) ? ", muted" : "", reply.value("sent", false) ? "" : " (offline: it hears it when it connects)");
  } else if (command == "logs") {
    for (const auto& line : reply["lines"]) std::printf("%s\n", line.get<std::string>().c_str());
  } else if (command == "report") {
    const nlohmann::json report = reply.value("report", nlohmann::json::object());
    try {
      std::fputs((o.csv ? director::reportCsv(report) : director::reportText(report)).c_str(), stdout);
    } catch (const nlohmann::json::exception& e) {
      std::fprintf(stderr, "pavilion ctl: report: the director's report is malformed: %s\n", e.what());
      return 1;
    }
  } else if (command == "move") {
    std::printf("moved seat %d of %s from %s to %s\n", reply.value("seat", -1) + 1, reply.value("session", std::string()).c_str(),
                reply.value("from", std::string()).c_str(), reply.value("to", std::string()).c_str());
  }
  return ok ? 0 : 1;
}

}  // namespace pav::tools
