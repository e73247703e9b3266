// `pavilion server --title <t>`: the authoritative host of one session. It steps the title at
// its rate, streams snapshots to the stations that join, prints a stats line each second (a
// JSON object per line with --json, on stdout) and, when the session ends, the results.
// --netsim PROFILE puts the network conditioner in front of the port, so every station's
// traffic crosses a simulated 5G or bad link; Ctrl-C ends the session early, cleanly.
//
// The session's start: the title is held at its set-up state for --lobby seconds (the lobby
// the stations show: welcome, the title, how to play) and the 3-2-1 start, then stepped; the
// session's length (--seconds) counts from the start. --lobby 0: neither, it plays at once.
//
// Admission (net/token.h): a director hands the session's key over in a 0600 file
// (--session-key) and issues the stations' tokens itself. Standalone, the server makes its own
// key and prints one `pavilion station --connect HOST:PORT --token ...` line per seat (and the
// tokens in --json's "listening" line): only those lines take a seat.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "floor_states.h"
#include "json_lines.h"
#include "pav/core/error.h"
#include "pav/core/fixed_step.h"
#include "pav/core/title.h"
#include "pav/net/conditioner.h"
#include "pav/net/server.h"
#include "pav/net/token.h"

namespace pav::tools {
namespace {


// The name stations reach a server bound to every interface by (the printed --connect lines).
std::string hostName() {
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 && name[0] ? name : "HOST";
}

volatile std::sig_atomic_t gStop = 0;
void onSignal(int) { gStop = 1; }

}  // namespace

void addServerCommand(CLI::App& app, ServerOptions& o) {
  CLI::App* c = app.add_subcommand("server", "Host a session: step a title and stream it to stations");
  c->add_option("--title", o.title, titleArgumentHelp())->required();
  c->add_option("--port", o.port, "UDP port to listen on (0: any free port)")->capture_default_str();
  c->add_option("--bind", o.bind, "Address to listen on (0.0.0.0: every interface)")->capture_default_str();
  c->add_option("--max-stations", o.maxStations, "Stations that may connect at once")->check(CLI::Range(1, 64))->capture_default_str();
  c->add_option("--players", o.players, "Seats in the session (default: as many as the title has)")->check(CLI::Range(1, 8));
  c->add_option("--seconds", o.seconds, "Session length (default: the title's own)")->check(CLI::Range(0.0, 86400.0));
  c->add_option("--seed", o.seed, "Seed for everything random in the title")->capture_default_str();
  c->add_option("--skill", o.skill, std::string("Bot skill for empty seats: ") + core::kSkillList + " (fair: medium where the title's bots do not adapt)")
      ->transform(skillValidator())->capture_default_str();
  c->add_option("--assists", o.assists, std::string("Driving aids for every seat: ") + core::kAssistList +
                                            " (expo, the default: steering toward the racing line, braking before "
                                            "corners, traction control)")
      ->transform(assistsValidator())
      ->default_str("expo");
  c->add_option("--snapshot-hz", o.snapshotHz, "Snapshots per second")->check(CLI::Range(1.0, 480.0))->capture_default_str();
  c->add_option("--dscp", o.dscp, "QoS mark (DSCP) of the session's datagrams: 46 EF (default), -1 none")
      ->check(CLI::Range(-1, 63));
  c->add_option("--budget-kbps", o.budgetKbps,
                 "Each station's downlink budget in kbps; snapshots are fitted to it (0: estimated from the link)")
      ->check(CLI::Range(0.0, 1000000.0));
  c->add_option("--netsim", o.netsim, "Condition the traffic: " + net::netProfileHelp());
  c->add_option("--data", o.dataDir, "Folder with the titles' data files (default: assets/)");
  c->add_option("--record", o.record, "Record the session's replay into this file (pavilion replay FILE plays it)");
  c->add_option("--session-key", o.sessionKey, "The session's key file (mode 0600; a director makes it). "
                 "Without: a new key, and the stations' --token lines printed");
  c->add_option("--token-minutes", o.tokenMinutes, "Standalone: the printed tokens admit stations this long after the session's length")
      ->check(CLI::Range(0.0, 10080.0))->capture_default_str();
  c->add_option("--lobby", o.lobby, "Seconds of lobby before the 3 s start, the title held at its set-up state "
                 "(0: no lobby and no start)")->check(CLI::Range(0.0, director::kMaxLobbySeconds))->capture_default_str();
  c->add_flag("--json", o.json, "Stats and results as JSON lines on stdout");
}

int runServer(const ServerOptions& o) {
  registerAllTitles();
  std::unique_ptr<core::Title> probe = core::createTitle(o.title);
  if (!probe) {
    std::string list;
    for (const std::string& id : core::titleIds()) list += (list.empty() ? "" : ", ") + id;
    std::fprintf(stderr, "pavilion server: unknown title '%s' (titles: %s)\n", o.title.c_str(), list.c_str());
    return 2;
  }
  const int seats = probe->info().maxPlayers;
  if (o.players > seats) {
    std::fprintf(stderr, "pavilion server: %s seats at most %d; --players %d is too many\n", o.title.c_str(), seats,
                 o.players);
    return 2;
  }
  net::NetProfile profile;
  std::string error;
  if (!o.netsim.empty() && !net::parseNetProfile(o.netsim, profile, error)) {
    std::fprintf(stderr, "pavilion server: --netsim: %s\n", error.c_str());
    return 2;
  }
  net::ServerDesc desc;
  desc.title = o.title;
  desc.setup = {.players = o.players ? o.players : seats, .seed = o.seed, .skill = core::skillFor(probe->info(), o.skill), .dataDir = o.dataDir,
                .durationSeconds = o.seconds, .assists = o.assists};
  // With a conditioner, it owns the public port and the server listens privately behind it.
  desc.port = o.netsim.empty() ? o.port : 0;
  desc.bind = o.netsim.empty() ? o.bind : "127.0.0.1";
  desc.maxStations = o.maxStations;
  desc.snapshotHz = o.snapshotHz;
  desc.dscp = o.dscp;
  desc.budgetKbps = o.budgetKbps;
  desc.replayPath = o.record;
  desc.holdSeconds = director::holdSeconds(o.lobby);
  if (!o.sessionKey.empty()) {
    try {
      desc.key = net::SessionKey::load(o.sessionKey);
    } catch (const Error& e) {
      std::fprintf(stderr, "pavilion server: --session-key: %s\n", e.what());
      return 2;
    }
  }
  net::SessionServer server(desc);
  std::optional<net::NetConditioner> wire;
  if (!o.netsim.empty()) wire.emplace(server.port(), profile, o.seed, o.port);
  const unsigned port = wire ? wire->port() : server.port();

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  // Standalone: a token per seat, and the line that uses it. With a director's key, none (the
  // director issues them; this log is not secret).
  std::vector<std::string> tokens;
  if (o.sessionKey.empty()) {
    const uint64_t expires = net::unixSeconds() + uint64_t(desc.holdSeconds + o.seconds + o.tokenMinutes * 60);
    for (int seat = 0; seat < desc.setup.players; ++seat)
      tokens.push_back(net::tokenHex(net::issueToken(server.key(), seat, o.title, expires)));
  }
  if (o.json) {
    JsonLine line = {{"event", "listening"}, {"title", o.title}, {"port", port}, {"seats", desc.setup.players}, {"netsim", o.netsim},
                     {"holdSeconds", desc.holdSeconds}, {"budgetKbps", desc.budgetKbps}};
    if (!tokens.empty()) line["tokens"] = tokens;
    printJsonLine(line);
    std::fflush(stdout);
  }
  std::fprintf(stderr, "pavilion server: %s on %s:%u for %d seat(s)%s%s; %s\n", o.title.c_str(), o.bind.c_str(), port,
               desc.setup.players, o.netsim.empty() ? "" : ", netsim ", o.netsim.c_str(),
               desc.holdSeconds > 0 ? ("play starts in " + std::to_string(int(std::lround(desc.holdSeconds))) +
                                       " s (lobby " + std::to_string(int(std::lround(o.lobby))) + " s, then the 3 s start)").c_str()
                                    : "play starts at once");
  const std::string host = o.bind == "0.0.0.0" || o.bind == "::" ? hostName() : o.bind;
  for (size_t seat = 0; seat < tokens.size(); ++seat)
    std::fprintf(stderr, "pavilion server: seat %zu: pavilion station --connect %s:%u --token %s\n", seat, host.c_str(), port,
                 tokens[seat].c_str());

  core::Stopwatch clock;
  double nextStats = 1.0, endedAt = -1;
  // After the end, a second more of service so every station receives the results.
  while (!gStop && (endedAt < 0 || clock.elapsed() < endedAt + 1.0)) {
    server.update(clock.elapsed());
    server.wait(clock.elapsed(), 0.02);
    if (server.ended() && endedAt < 0) endedAt = clock.elapsed();
    if (clock.elapsed() >= nextStats) {
      nextStats = std::floor(clock.elapsed()) + 1.0;  // after a stall: one line, not a burst
      if (o.json) printJsonLine({{"event", "stats"}, {"server", embeddedJson(server.statsJson())}});
      else std::fprintf(stderr, "%s\n", server.statsLine().c_str());
      std::fflush(stdout);
    }
  }
  if (o.json) {
    printJsonLine({{"event", "end"},
               {"results", embeddedJson(server.title().results(true))},
               {"server", embeddedJson(server.statsJson())}});
  } else {
    std::printf("%s\n", server.title().results(false).c_str());
  }
  // Whole before the stderr lines below: in the director's session log both streams share one
  // file, and a stdout buffer flushed at exit split the results line at 4096 bytes.
  std::fflush(stdout);
  if (const core::ReplayWriter* replay = server.replay())
    std::fprintf(stderr, "pavilion server: replay of %llu ticks in %s\n", static_cast<unsigned long long>(replay->ticks()),
                 replay->path().c_str());
  if (wire) {
    const net::NetConditionerStats s = wire->stats();
    std::fprintf(stderr, "pavilion server: netsim dropped %llu, duplicated %llu of %llu datagrams\n",
                 static_cast<unsigned long long>(s.toServer.dropped + s.toClient.dropped),
                 static_cast<unsigned long long>(s.toServer.duplicated + s.toClient.duplicated),
                 static_cast<unsigned long long>(s.toServer.received + s.toClient.received));
  }
  return 0;
}

}  // namespace pav::tools
