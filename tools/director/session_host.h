// Session servers as processes: the director starts `pavilion server` for each session in its
// own process session (so a director that stops, even killed, leaves it playing), with its
// output in <stateDir>/sessions/<id>.log, and keeps a record of it in <stateDir>/sessions/<id>.json
// so that a restarted director can still show its clock and stop it; its replay goes to
// <stateDir>/sessions/<id>.replay.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "floor.h"
#include "pav/net/token.h"

namespace pav::director {

class SessionHost {
 public:
  // Makes <stateDir>/sessions (throws pav::Error naming the folder when it cannot).
  SessionHost(std::string program, std::string stateDir, std::string bind);

  // A session id not used before in this state folder ("s1", "s2", ...; the counter is kept in
  // <stateDir>/next-session). Throws pav::Error when the counter cannot be written.
  //
  // Every file written here (the counter, records, recent.json, kept replays and their notes)
  // is written atomically and durably (pav/core/durable_file.h); a write that fails throws
  // pav::Error naming the file and the reason, and the old file stays as it was.
  std::string nextId();
  // Starts the server for `s` (title, seconds, difficulty, stations); returns its pid. Throws
  // pav::Error when the program cannot be started.
  // The server gets the session's key (net/token.h) in <stateDir>/sessions/<id>.key, mode 0600,
  // made here: never on its command line, where any user could read it.
  int start(const Session& s);
  // The connect token for `seat` of session `s` (sealed with its key file), valid for the time
  // the session has left and a margin; none when the key cannot be read.
  std::optional<net::ConnectToken> token(const Session& s, int seat, double secondsLeft) const;
  std::string keyPath(const std::string& id) const;
  // The port the server announced in its log; 0 while it has not yet. `failed` is set when the
  // server exited before listening (its log's last line in `why`).
  uint16_t port(const Session& s, bool& failed, std::string& why);
  // Whether the server still runs (a child that exited is reaped here).
  bool alive(int pid);
  // alive(), and still a pavilion server (a pid from an old record may have been reused).
  bool serving(int pid);
  // Asks the server to end its session (SIGTERM: it sends the results and exits), only when
  // the pid is still a pavilion server.
  void stop(int pid);
  // The session's record, written at launch and read back by a restarted director. Throws
  // pav::Error when it cannot be written.
  void record(const Session& s, double now);
  struct Record {
    int pid = 0;
    uint16_t port = 0;
    double seconds = 0;
    double elapsed = 0;  // seconds since it was launched, by the wall clock
    std::string difficulty;
  };
  std::optional<Record> read(const std::string& id) const;
  std::string logPath(const std::string& id) const;
  // Every session is recorded (`pavilion replay FILE` re-makes it; keep the file to keep it).
  std::string replayPath(const std::string& id) const;
  bool hasReplay(const std::string& id) const;
  // Whether session `id`'s server still runs and so still writes its replay: `pid`, or the
  // pid in its record when 0, is alive and a server recording into replayPath(id).
  bool recording(const std::string& id, int pid);
  // Keeps a session's replay as <stateDir>/kept/<name>.replay (never overwriting one), notes
  // that in <stateDir>/sessions/<id>.kept and returns the path. Throws pav::Error with the
  // reason: a bad name, no such replay, the session already kept, a name already taken.
  // The caller makes sure the session's server has finished writing the replay.
  std::string keep(const std::string& id, const std::string& name);
  struct Kept {
    std::string name, path;
  };
  // Where the session's replay was kept, if it was.
  std::optional<Kept> kept(const std::string& id) const;
  // What is wrong with `name` for a kept replay ("" when nothing): 1 to 64 letters, digits,
  // '-', '_' or '.', not starting with '.', no "..".
  static std::string keepNameProblem(const std::string& name);
  // The recently ended sessions (Floor::recentJson each), kept across director restarts in
  // <stateDir>/recent.json; loadRecent() is an empty array when there is none. saveRecent
  // throws pav::Error when it cannot write.
  void saveRecent(const nlohmann::json& recent);
  nlohmann::json loadRecent() const;

 private:
  std::string program_, dir_, bind_;
};

}  // namespace pav::director
