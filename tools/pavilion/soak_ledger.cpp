// The soak's sessions: launches, the stations' end lines, outcomes, and the replays.
#include "soak_ledger.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include "pav/core/error.h"
#include "pav/core/replay.h"
#include "pav/core/title.h"

namespace pav::tools::soak {

const char* outcomeName(Outcome o) {
  switch (o) {
    case Outcome::Running: return "running";
    case Outcome::Completed: return "completed";
    case Outcome::Interrupted: return "interrupted";
    case Outcome::Lost: return "lost";
  }
  return "?";
}

void SessionLedger::launched(const std::string& id, const std::string& title, const std::vector<std::string>& stations,
                             double seconds, double now) {
  LaunchedSession s;
  s.id = id;
  s.title = title;
  s.stations = stations;
  s.seconds = seconds;
  s.launchedAt = now;
  sessions_.push_back(std::move(s));
}

LaunchedSession* SessionLedger::find(const std::string& id) {
  for (LaunchedSession& s : sessions_)
    if (s.id == id) return &s;
  return nullptr;
}

void SessionLedger::stationKilled(const std::string& station) {
  for (LaunchedSession& s : sessions_) {
    if (s.outcome != Outcome::Running || s.ends.count(station)) continue;
    if (std::find(s.stations.begin(), s.stations.end(), station) != s.stations.end()) s.killed.insert(station);
  }
}

void SessionLedger::readStationOutput(const std::string& station, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  std::streamoff& offset = offsets_[path];
  in.seekg(offset);
  std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  offset += static_cast<std::streamoff>(chunk.size());
  std::string& text = partial_[path];
  text += chunk;
  size_t from = 0;
  for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
    const nlohmann::json line = nlohmann::json::parse(text.substr(from, nl - from), nullptr, false);
    from = nl + 1;
    if (!line.is_object() || !line.contains("end") || !line["session"].is_string() || !line["end"].is_string()) continue;
    LaunchedSession* s = find(line["session"].get<std::string>());
    if (!s || s->ends.count(station)) continue;
    s->ends[station] = line["end"].get<std::string>();
    if (line.contains("results") && !line["results"].is_null()) s->withResults.insert(station);
  }
  text.erase(0, from);
}

void SessionLedger::settle(double now) {
  for (LaunchedSession& s : sessions_) {
    if (s.outcome != Outcome::Running) continue;
    std::vector<std::string> survivors, waiting;
    for (const std::string& st : s.stations) {
      if (s.killed.count(st)) continue;
      survivors.push_back(st);
      if (!s.ends.count(st)) waiting.push_back(st);
    }
    if (survivors.empty()) {
      s.outcome = Outcome::Interrupted;
      continue;
    }
    if (!waiting.empty()) {
      if (now > s.launchedAt + s.seconds + grace_) {
        s.outcome = Outcome::Lost;
        s.why = waiting.front() + " never ended it (" + std::to_string(int(now - s.launchedAt)) + " s after launch)";
      }
      continue;
    }
    s.outcome = Outcome::Completed;
    for (const std::string& st : survivors) {
      const std::string& end = s.ends[st];
      if (end != "ended" || !s.withResults.count(st)) {
        s.outcome = Outcome::Lost;
        s.why = st + " ended it with \"" + end + "\"" + (s.withResults.count(st) ? "" : " and no results");
        break;
      }
    }
  }
}

std::set<std::string> SessionLedger::busyStations() const {
  std::set<std::string> busy;
  for (const LaunchedSession& s : sessions_)
    if (s.outcome == Outcome::Running)
      for (const std::string& st : s.stations)
        if (!s.killed.count(st) && !s.ends.count(st)) busy.insert(st);
  return busy;
}

size_t SessionLedger::running() const {
  return static_cast<size_t>(std::count_if(sessions_.begin(), sessions_.end(),
                                           [](const LaunchedSession& s) { return s.outcome == Outcome::Running; }));
}

double SessionLedger::lastDeadline() const {
  double last = 0;
  for (const LaunchedSession& s : sessions_)
    if (s.outcome == Outcome::Running) last = std::max(last, s.launchedAt + s.seconds + grace_);
  return last;
}

uint32_t SessionLedger::count(Outcome o) const {
  return static_cast<uint32_t>(
      std::count_if(sessions_.begin(), sessions_.end(), [&](const LaunchedSession& s) { return s.outcome == o; }));
}

std::vector<std::string> SessionLedger::lostReasons() const {
  std::vector<std::string> out;
  for (const LaunchedSession& s : sessions_) {
    if (s.outcome != Outcome::Lost) continue;
    std::string on;
    for (const std::string& st : s.stations) on += (on.empty() ? "" : ", ") + st;
    out.push_back(s.id + " (" + s.title + " on " + on + "): " + s.why);
  }
  return out;
}

ReplayTally SessionLedger::checkReplays(const std::string& stateDir) const {
  ReplayTally t;
  const auto problem = [&](const std::string& text) {
    if (t.problems.size() < 20) t.problems.push_back(text);
  };
  for (const LaunchedSession& s : sessions_) {
    if (s.outcome != Outcome::Completed && s.outcome != Outcome::Interrupted) continue;
    ++t.expected;
    const std::string path = stateDir + "/sessions/" + s.id + ".replay";
    if (!std::filesystem::exists(path)) {
      problem(s.id + ": no replay at " + path);
      continue;
    }
    ++t.recorded;
    try {
      core::Replay replay = core::Replay::load(path);
      ++t.loadable;
      std::unique_ptr<core::Title> title = core::createTitle(replay.title);
      if (!title) {
        problem(s.id + ": title '" + replay.title + "' unknown to this build");
        continue;
      }
      const core::ReplayCheck check = core::verifyReplay(replay, *title);
      if (check.identical)
        ++t.identical;
      else
        problem(s.id + ": re-made, the state differs from tick " + std::to_string(check.firstMismatch));
    } catch (const std::exception& e) {
      problem(s.id + ": " + e.what());
    }
  }
  return t;
}

}  // namespace pav::tools::soak
