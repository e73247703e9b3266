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

namespace pav::director {

class SessionHost {
 public:
  // Makes <stateDir>/sessions (throws pav::Error naming the folder when it cannot).
  SessionHost(std::string program, std::string stateDir, std::string bind);

  // A session id not used before in this state folder ("s1", "s2", ...; the counter is kept in
  // <stateDir>/next-session).
  std::string nextId();
  // Starts the server for `s` (title, seconds, difficulty, stations); returns its pid. Throws
  // pav::Error when the program cannot be started.
  int start(const Session& s);
  // The port the server announced in its log; 0 while it has not yet. `failed` is set when the
  // server exited before listening (its log's last line in `why`).
  uint16_t port(const Session& s, bool& failed, std::string& why);
  // Whether the server still runs (a child that exited is reaped here).
  bool alive(int pid);
  // Asks the server to end its session (SIGTERM: it sends the results and exits), only when
  // the pid is still a pavilion server.
  void stop(int pid);
  // The session's record, written at launch and read back by a restarted director.
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
  // Keeps a session's replay as <stateDir>/kept/<name>.replay (never overwriting one); returns
  // that path. Throws pav::Error with the reason (no such replay, a name already kept).
  std::string keep(const std::string& id, const std::string& name);

 private:
  std::string program_, dir_, bind_;
};

}  // namespace pav::director
