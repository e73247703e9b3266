// The soak's account of its sessions: what it launched, what each station said at each
// session's end (the agents' --json end lines), which stations it killed, and so which
// sessions completed and which were lost; then the sessions' replays, loaded and re-made.
//
// A launched session (the director answered the launch "ok") ends one of three ways:
//   completed    every station of it that the soak did not kill during it printed the session's
//                end line with "end":"ended" and results;
//   interrupted  the soak killed every station of it (nobody was left to see the end);
//   lost         anything else: a surviving station ended it otherwise (refused, replaced,
//                stopped, no results) or never ended it within its length plus `graceSeconds`.
// A station killed during a session is excused from it; the others must still end it.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pav::tools::soak {

enum class Outcome { Running, Completed, Interrupted, Lost };

struct LaunchedSession {
  std::string id, title;
  std::vector<std::string> stations;
  double seconds = 0, launchedAt = 0;
  std::set<std::string> killed;             // stations killed while it ran
  std::map<std::string, std::string> ends;  // station -> its end line's "end"
  std::set<std::string> withResults;        // stations whose end line had results
  Outcome outcome = Outcome::Running;
  std::string why;                          // for a lost session: what went wrong
};

struct ReplayTally {
  uint32_t expected = 0;    // sessions that completed or were interrupted
  uint32_t recorded = 0;    // their replay file exists
  uint32_t loadable = 0;    // core::Replay::load accepts it
  uint32_t identical = 0;   // re-made tick by tick with every state hash identical
  std::vector<std::string> problems;  // "s3: <why>", the first 20
};

class SessionLedger {
 public:
  explicit SessionLedger(double graceSeconds) : grace_(graceSeconds) {}

  void launched(const std::string& id, const std::string& title, const std::vector<std::string>& stations,
                double seconds, double now);
  // The soak killed `station`: it is excused from the sessions it had not yet ended.
  void stationKilled(const std::string& station);
  // Reads what is new in `path` (a station's stdout; its end lines) since the last call.
  void readStationOutput(const std::string& station, const std::string& path);
  // Decides the sessions that can be decided at `now`.
  void settle(double now);

  // Stations in sessions still running (the soak launches nothing more on them).
  std::set<std::string> busyStations() const;
  size_t running() const;
  // The latest deadline of the running sessions (0: none running).
  double lastDeadline() const;
  uint32_t count(Outcome o) const;
  uint32_t launchedCount() const { return static_cast<uint32_t>(sessions_.size()); }
  std::vector<std::string> lostReasons() const;  // "s4 (hockey on station-1, station-2): why"

  // Loads and re-makes the replays (<stateDir>/sessions/<id>.replay) of the sessions that were
  // not lost.
  ReplayTally checkReplays(const std::string& stateDir) const;

 private:
  LaunchedSession* find(const std::string& id);

  double grace_;
  std::vector<LaunchedSession> sessions_;
  std::map<std::string, std::streamoff> offsets_;  // per output file: bytes read
  std::map<std::string, std::string> partial_;     // per output file: a line not yet finished
};

const char* outcomeName(Outcome o);

}  // namespace pav::tools::soak
