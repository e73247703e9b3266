// The floor as the director sees it: every station with its state and health, every session
// with its stations and clock, and the sessions that ended recently (whose replays can still be
// kept). Plain data; the director owns one and changes it on its own thread. json() is what
// `ctl status --json`, the dashboard and its event stream show.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "floor_states.h"
#include "pav/net/link_state.h"

namespace pav::director {

// What a station reports once a second.
struct Health {
  double fps = 0;              // frames drawn (or session updates, headless) per second
  uint64_t missedFrames = 0;   // frames the headset's runtime saw missed, or late updates
  uint32_t rttMs = 0;          // round trip to its session server
  double loss = 0;             // 0..1
  double uptime = 0;           // seconds since the station program started
  bool headset = false;
  // The session's link (net/PROTOCOL.md, "Outages"): what its visitor is told now, snapshots
  // received per second, the outages seen, the longest, the largest correction after the newest.
  net::LinkState link = net::LinkState::Ok;
  double downKbps = 0;
  uint64_t outages = 0;
  double longestOutageMs = 0, correctionMm = 0;
  int present = -1;            // the visitor wears the headset: 1 on, 0 off, -1 not known (no headset, no XR_EXT_user_presence)
  // The visitor's smart trainer: its link's state as pav/trainer/link.h says it ("riding",
  // "trainer lost", "searching", ...; "" without one), and its latest power and cadence.
  std::string trainer;
  double trainerWatts = 0, trainerCadenceRpm = 0;
};

struct StationRecord {
  std::string name;
  int number = 0;              // from the name's trailing digits ("station-3" is 3), else the next free one
  std::string address;         // where it connected from
  std::string version;
  bool online = false;
  StationState state = StationState::Idle;  // as it last reported (the JSON says offline when !online)
  std::string title, session;
  double remaining = 0;        // seconds of the session left, as the station counts them
  int seat = -1;
  Health health;
  double lastSeen = 0;         // director's clock
  std::deque<std::string> logs;  // the newest kMaxLogLines lines it sent
  int volume = 100;            // what its visitor hears, 0..100 (ctl volume, the dashboard); kept across its reconnects
  bool muted = false;
  static constexpr size_t kMaxLogLines = 200;
};

struct Session {
  std::string id;              // "s12"
  std::string title, difficulty = "medium";
  std::vector<std::string> stations;
  SessionState state = SessionState::Starting;
  double seconds = 0;          // its length, from the start of play
  double lobby = 0;            // seconds of lobby before the 3 s start (holdSeconds(lobby): the server's hold)
  std::string lang;            // the launch's language ("zh", "en"; "": the station's, else the director's default)
  double budgetKbps = 0;       // each station's downlink budget (server --budget-kbps); 0: estimated from its link
  nlohmann::json link = nlohmann::json::array();  // its server's link figures per seat (SessionHost::linkFigures)
  double linkReadAt = -1;      // director's clock when they were last read
  double startedAt = 0;        // director's clock when it was launched (or rebuilt)
  double endedAt = -1;
  uint16_t port = 0;           // its server's port (0 until the server listens)
  int pid = 0;                 // its server's process (0: not known, e.g. rebuilt from reports)
  uint64_t serverStart = 0;    // ...and who that process is: its start time (/proc/PID/stat, clock ticks
  std::string serverExe;       // since boot) and executable, so a reused pid is never taken for it
  std::string endReason;
  // Seconds of play left: the whole length until the start (startedAt + holdSeconds(lobby)).
  double remaining(double now) const;
  // Seconds until the start of play (the lobby and the 3 s start), 0 once it started.
  double startsIn(double now) const;
};

// A session that has left the floor: what the operator needs to decide to keep its replay.
struct RecentSession {
  std::string id, title;
  std::vector<std::string> stations;
  std::string endReason;       // "time up", "stopped by the operator", ...
  double endedWall = 0;        // when it ended, Unix seconds (shown as a time of day)
  bool replay = false;         // its replay file exists in the state folder
  std::string keptName, keptPath;  // once kept (<stateDir>/kept/<name>.replay)
};

struct Floor {
  std::vector<StationRecord> stations;
  std::vector<Session> sessions;
  std::vector<std::string> titles;
  std::string defaultLang = "zh";    // the director's default language for visitors (--lang)
  double defaultLobby = kDefaultLobbySeconds;  // a launch's lobby unless it says
  std::deque<RecentSession> recent;  // newest first, at most kMaxRecent
  static constexpr size_t kMaxRecent = 20;

  StationRecord* station(const std::string& name);
  // A station by name or number ("3" is station number 3).
  StationRecord* target(const std::string& nameOrNumber);
  Session* session(const std::string& id);
  // A new record for a station seen for the first time.
  StationRecord& add(const std::string& name);
  // The session this station is in, if any (not ended).
  Session* sessionOf(const std::string& station);
  // Adds `r` as the newest recent session (replacing an older entry with its id), dropping the
  // oldest beyond kMaxRecent.
  void remember(RecentSession r);
  RecentSession* recentSession(const std::string& id);

  nlohmann::json stationJson(const StationRecord& s, double now) const;
  nlohmann::json sessionJson(const Session& s, double now) const;
  // {"id","title","stations","endReason","endedAt" (Unix s),"replay","kept","keptPath"}
  static nlohmann::json recentJson(const RecentSession& r);
  // recentJson read back (a restarted director's list); missing fields stay default.
  static RecentSession recentFromJson(const nlohmann::json& j);
  // {"titles", "stations", "sessions", "recent"}
  nlohmann::json json(double now) const;
};

// Difficulty words (core::kSkillList) and the server's bot skill (core::kSkillEasy ..
// kSkillFair); -1 for anything else, numbers included.
int skillOf(const std::string& difficulty);
// A station's name, a session's id or a title as a peer may state it: 1 to 32 letters, digits,
// '-', '_' or '.'.
bool validName(const std::string& name);

// One line per station for people (`pavilion ctl stations`).
std::string stationsText(const nlohmann::json& floor);
// The floor: sessions then stations (`pavilion ctl status`).
std::string statusText(const nlohmann::json& floor);

}  // namespace pav::director
