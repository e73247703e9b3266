// The local pavilion, the second half of `make demo`: this same program started three more
// times, as a director and two station agents (headless bots), talking over loopback like
// machines on the pavilion floor. The demo is the operator: it makes a key for this pavilion,
// waits for both stations to register, and launches a timed hockey match on them through the
// director, which starts the session server. Each station draws its view at the match's end;
// the stations' JSON lines and the session server's log make the summary (score, bandwidth,
// latency), printed and written to the out folder.
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "agent.h"
#include "commands.h"
#include "pav/core/error.h"
#include "pav/net/control.h"

namespace pav::tools {
namespace {

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// The JSON lines a child printed on stdout (other lines are kept out of the summary).
std::vector<nlohmann::json> readJsonLines(FILE* f) {
  std::vector<nlohmann::json> lines;
  char buf[16384];
  while (std::fgets(buf, sizeof buf, f)) {
    auto j = nlohmann::json::parse(buf, nullptr, false);
    if (!j.is_discarded()) lines.push_back(std::move(j));
  }
  return lines;
}

double number(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0;
}

// Asks the director until `done(reply)` or `seconds` pass.
template <typename F>
bool waitFor(uint16_t port, const net::ControlKey& key, const nlohmann::json& request, double seconds, F&& done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (done(director::askDirector("127.0.0.1", port, key, request))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

}  // namespace

int runLocalPavilion(const std::string& program, const std::string& outDir, double seconds) {
  namespace fs = std::filesystem;
  fs::create_directories(outDir);
  const fs::path out = fs::absolute(outDir);
  const std::string keyPath = (out / "pavilion.key").string();
  const net::ControlKey key = net::ControlKey::create(keyPath, net::ControlKey::randomPassword(), true);
  const std::string stationKeyPath = net::ControlKey::stationPathFor(keyPath);  // what the stations hold
  key.writeStationFile(stationKeyPath, true);

  const std::string directorCmd = "exec " + quoted(program) + " director --key " + quoted(keyPath) +
                                  " --port 0 --http 0 --state-dir " + quoted((out / "floor").string()) + " --json 2>" +
                                  quoted((out / "director.log").string());
  FILE* director = popen(directorCmd.c_str(), "r");
  PAV_CHECK(director, "cannot start the director (%s)", program.c_str());
  char line[4096];
  nlohmann::json listening;
  if (std::fgets(line, sizeof line, director)) listening = nlohmann::json::parse(line, nullptr, false);
  const uint16_t port = listening.is_object() ? listening.value("control", uint16_t(0)) : 0;
  const int directorPid = listening.is_object() ? listening.value("pid", 0) : 0;
  if (!port || directorPid <= 0) {
    pclose(director);
    fail("the director did not start; see %s", (out / "director.log").c_str());
  }
  std::printf("pavilion demo: the local pavilion: a director on 127.0.0.1:%u (dashboard on http://127.0.0.1:%u/), two "
              "station agents; a %g s hockey match launched through the director\n",
              unsigned(port), listening.value("http", 0u), seconds);
  std::fflush(stdout);
  FILE* stations[2];
  for (int i = 0; i < 2; ++i) {
    const std::string cmd = "exec " + quoted(program) + " station --director 127.0.0.1:" + std::to_string(port) +
                            " --name station-" + std::to_string(i + 1) + " --key " + quoted(stationKeyPath) +
                            " --bot --headless --sessions 1 --seconds " + std::to_string(static_cast<int>(seconds) + 60) +
                            " --png " + quoted(out.string()) + " --json 2>" +
                            quoted((out / ("station-log-" + std::to_string(i) + ".txt")).string());
    stations[i] = popen(cmd.c_str(), "r");
    PAV_CHECK(stations[i], "cannot start station %d", i);
  }
  int failures = 0;
  const nlohmann::json stationsRequest = {{"command", "stations"}};
  const bool registered = waitFor(port, key, stationsRequest, 15, [](const nlohmann::json& r) {
    size_t online = 0;
    for (const auto& s : r.value("stations", nlohmann::json::array())) online += s.value("online", false);
    return online == 2;
  });
  nlohmann::json launch;
  if (registered) {
    launch = director::askDirector("127.0.0.1", port, key,
                                   {{"command", "launch"}, {"title", "hockey"}, {"stations", {"1", "2"}},
                                    {"minutes", seconds / 60.0}, {"difficulty", "hard"}, {"lobby", 0}});
    std::printf("pavilion demo: %s\n", launch.value("ok", false)
                                           ? ("the director launched session " + launch.value("session", std::string()) +
                                              " on station-1 and station-2").c_str()
                                           : ("the director refused the launch: " + launch.value("error", std::string())).c_str());
    std::fflush(stdout);
  }
  if (!registered || !launch.value("ok", false)) {
    std::printf("pavilion demo: the stations did not register or the launch failed; logs are in %s\n", out.c_str());
    // The stations leave by themselves (--seconds); waiting for them would only delay this.
    kill(directorPid, SIGTERM);
    pclose(director);
    return 1;
  }
  std::vector<nlohmann::json> stationLines[2];
  for (int i = 0; i < 2; ++i) {
    stationLines[i] = readJsonLines(stations[i]);
    failures += pclose(stations[i]) != 0;
  }
  // The floor after the match, then the director goes (its session server has ended by now).
  nlohmann::json floor;
  waitFor(port, key, {{"command", "status"}}, 5, [&](const nlohmann::json& r) {
    floor = r.value("floor", nlohmann::json());
    return true;
  });
  kill(directorPid, SIGTERM);
  pclose(director);

  // The session server's own JSON lines (its log in the director's state folder); it writes
  // its end line a second after the match, once every station has the results.
  const std::string session = launch.value("session", std::string());
  nlohmann::json end;
  for (int attempt = 0; attempt < 50 && !end.is_object(); ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream serverLog(out / "floor" / "sessions" / (session + ".log"));
    for (std::string l; std::getline(serverLog, l);) {
      const auto j = nlohmann::json::parse(l, nullptr, false);
      if (j.is_object() && j.value("event", "") == "end") end = j;
    }
  }
  nlohmann::json summary{{"seconds", seconds}, {"director", port}, {"session", session}, {"stations", nlohmann::json::array()}};
  if (end.is_object()) {
    summary["results"] = end["results"];
    summary["server"] = end["server"];
  }
  summary["floor"] = floor;
  std::printf("pavilion demo: %s\n", end.is_object() ? end["results"].dump().c_str() : "the session server did not finish");
  if (!end.is_object()) ++failures;
  for (int i = 0; i < 2; ++i) {
    if (stationLines[i].empty()) {
      std::printf("  station-%d: no summary (see station-log-%d.txt)\n", i + 1, i);
      ++failures;
      continue;
    }
    const nlohmann::json& s = stationLines[i].back();
    summary["stations"].push_back(s);
    const nlohmann::json& st = s["station"];
    const int seat = st.value("seat", -1);
    double up = 0, down = 0;
    if (end.is_object())
      for (const auto& seatStats : end["server"]["stations"])
        if (seatStats.value("seat", -2) == seat) {
          const double span = std::max(1e-3, number(end["server"], "seconds"));
          up = number(seatStats, "up_bytes") * 8 / 1000 / span;
          down = number(seatStats, "down_bytes") * 8 / 1000 / span;
        }
    std::printf("  station-%d, seat %d: %s; down %.1f kbps, up %.1f kbps; round trip %.0f ms, interpolation %.1f ms, "
                "prediction correction max %.1f mm; %.0f snapshots; picture %s\n",
                i + 1, seat, st.value("state", "?").c_str(), down, up, number(st, "rtt_ms"), number(st, "interpolation_ms"),
                number(st, "max_prediction_error_mm"), number(st, "snapshots"), s.value("picture", "").c_str());
  }
  const fs::path summaryPath = out / "pavilion-summary.json";
  std::ofstream(summaryPath) << summary.dump(2) << "\n";
  std::printf("  summary %s\n", summaryPath.c_str());
  if (failures) std::printf("pavilion demo: %d process(es) failed; logs are in %s\n", failures, out.c_str());
  return failures ? 1 : 0;
}

}  // namespace pav::tools
