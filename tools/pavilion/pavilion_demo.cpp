// The local pavilion, the second half of `make demo`: this same program started three more
// times, as a hockey server and two bot stations, talking over loopback like machines on the
// pavilion floor. Each station draws its view at the end; the server's and stations' JSON
// lines make the summary (score, bandwidth, latency), printed and written to the out folder.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "commands.h"
#include "pav/core/error.h"

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

}  // namespace

int runLocalPavilion(const std::string& program, const std::string& outDir, double seconds) {
  namespace fs = std::filesystem;
  fs::create_directories(outDir);
  const fs::path out = fs::absolute(outDir);
  char len[32];
  std::snprintf(len, sizeof len, "%g", seconds);
  const std::string serverCmd = "exec " + quoted(program) + " server --title hockey --port 0 --skill 2 --seconds " +
                                len + " --json 2>" + quoted((out / "server.log").string());
  FILE* server = popen(serverCmd.c_str(), "r");
  PAV_CHECK(server, "cannot start the server (%s)", program.c_str());
  char line[4096];
  unsigned port = 0;
  if (std::fgets(line, sizeof line, server)) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.value("event", "") == "listening") port = j.value("port", 0u);
  }
  if (!port) {
    pclose(server);
    fail("the server did not start; see %s", (out / "server.log").c_str());
  }
  std::printf("pavilion demo: the local pavilion: hockey server on 127.0.0.1:%u, two bot stations, %g s\n", port,
              seconds);
  std::fflush(stdout);
  std::snprintf(len, sizeof len, "%g", seconds + 20);
  FILE* stations[2];
  for (int i = 0; i < 2; ++i) {
    const std::string cmd = "exec " + quoted(program) + " station --connect 127.0.0.1:" + std::to_string(port) +
                            " --title hockey --bot --headless --png " + quoted(out.string()) + " --seconds " + len +
                            " --json 2>" + quoted((out / ("station-log-" + std::to_string(i) + ".txt")).string());
    stations[i] = popen(cmd.c_str(), "r");
    PAV_CHECK(stations[i], "cannot start station %d", i);
  }
  std::vector<nlohmann::json> stationLines[2];
  int failures = 0;
  for (int i = 0; i < 2; ++i) {
    stationLines[i] = readJsonLines(stations[i]);
    failures += pclose(stations[i]) != 0;
  }
  const std::vector<nlohmann::json> serverLines = readJsonLines(server);
  failures += pclose(server) != 0;

  nlohmann::json summary{{"seconds", seconds}, {"port", port}, {"stations", nlohmann::json::array()}};
  const nlohmann::json* end = nullptr;
  for (const auto& j : serverLines)
    if (j.value("event", "") == "end") end = &j;
  if (end) {
    summary["results"] = (*end)["results"];
    summary["server"] = (*end)["server"];
  }
  std::printf("pavilion demo: %s\n", end ? (*end)["results"].dump().c_str() : "the server did not finish");
  for (int i = 0; i < 2; ++i) {
    if (stationLines[i].empty()) {
      std::printf("  station %d: no summary (see station-log-%d.txt)\n", i, i);
      ++failures;
      continue;
    }
    const nlohmann::json& s = stationLines[i].back();
    summary["stations"].push_back(s);
    const nlohmann::json& st = s["station"];
    const int seat = st.value("seat", -1);
    double up = 0, down = 0;
    if (end)
      for (const auto& seatStats : (*end)["server"]["stations"])
        if (seatStats.value("seat", -2) == seat) {
          const double span = std::max(1e-3, number((*end)["server"], "seconds"));
          up = number(seatStats, "up_bytes") * 8 / 1000 / span;
          down = number(seatStats, "down_bytes") * 8 / 1000 / span;
        }
    std::printf("  station seat %d: %s; down %.1f kbps, up %.1f kbps; round trip %.0f ms, interpolation %.1f ms, "
                "prediction correction max %.1f mm; %.0f snapshots; picture %s\n",
                seat, st.value("state", "?").c_str(), down, up, number(st, "rtt_ms"), number(st, "interpolation_ms"),
                number(st, "max_prediction_error_mm"), number(st, "snapshots"), s.value("picture", "").c_str());
  }
  const fs::path summaryPath = out / "pavilion-summary.json";
  std::ofstream(summaryPath) << summary.dump(2) << "\n";
  std::printf("  summary %s\n", summaryPath.c_str());
  if (failures) std::printf("pavilion demo: %d process(es) failed; logs are in %s\n", failures, out.c_str());
  return failures ? 1 : 0;
}

}  // namespace pav::tools
