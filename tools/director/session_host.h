// Session servers as processes: the director starts `pavilion server` for each session in its
// own process session (so a director that stops, even killed, leaves it playing), with its
// output in <stateDir>/sessions/<id>.log, and keeps a record of it in <stateDir>/sessions/<id>.json
// so that a restarted director can still show its clock and stop it; its replay goes to
// <stateDir>/sessions/<id>.replay.
//
// A server is known by more than its pid: a server this director started by a pidfd (signals
// go through it, so never to a process that reused the pid) until it is reaped; one from an
// earlier director's record by its start time (/proc/PID/stat, field 22) and executable
// (/proc/PID/exe), both kept in the record. reap() collects every child that exited, so no
// zombie is left however many sessions ran.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "floor.h"
#include "pav/net/token.h"

namespace pav::director {

class SessionHost {
 public:
  // Makes <stateDir>/sessions (throws pav::Error naming the folder when it cannot).
  SessionHost(std::string program, std::string stateDir, std::string bind);
  // Its pidfds close with it; running servers play on (they are in their own process sessions).
  SessionHost(const SessionHost&) = delete;
  SessionHost& operator=(const SessionHost&) = delete;

  // A session id not used before in this state folder ("s1", "s2", ...; the counter is kept in
  // <stateDir>/next-session). Throws pav::Error when the counter cannot be written.
  //
  // Every file written here (the counter, records, recent.json, kept replays and their notes)
  // is written atomically and durably (pav/core/durable_file.h); a write that fails throws
  // pav::Error naming the file and the reason, and the old file stays as it was.
  std::string nextId();
  // Who a server process is (see the top of this file).
  struct ServerId {
    int pid = 0;
    uint64_t start = 0;  // start time, clock ticks since boot (0: unknown)
    std::string exe;     // its executable ("" : unknown)
  };
  static ServerId idOf(const Session& s) { return {s.pid, s.serverStart, s.serverExe}; }

  // Starts the server for `s` (title, seconds, difficulty, stations); returns who it is. Throws
  // pav::Error when the program cannot be started.
  // The server gets the session's key (net/token.h) in <stateDir>/sessions/<id>.key, mode 0600,
  // made here: never on its command line, where any user could read it.
  ServerId start(const Session& s);
  // The connect token for `seat` of session `s` (sealed with its key file), valid for the time
  // the session has left and a margin; none when the key cannot be read.
  std::optional<net::ConnectToken> token(const Session& s, int seat, double secondsLeft) const;
  std::string keyPath(const std::string& id) const;
  // Deletes the session's key file: once the session is over nobody may be admitted with it,
  // and a copy of the state folder taken later holds no live secret. Quiet when it is gone.
  void forgetKey(const std::string& id) const;
  // The port the server announced in its log; 0 while it has not yet. `failed` is set when the
  // server exited before listening (its log's last line in `why`).
  uint16_t port(const Session& s, bool& failed, std::string& why);
  // Collects every child that exited (no zombies); the director calls it on each update.
  void reap();
  // Servers this director started that have not exited.
  size_t running() const { return children_.size(); }
  // Whether that very process still runs: a child not yet exited (reaped here when it has), or
  // a process from an earlier director whose start time and executable match.
  bool alive(const ServerId& server);
  // Asks the server to end its session (SIGTERM: it sends the results and exits), only when it
  // is still that process: through its pidfd, never a pid that may have been reused.
  void stop(const ServerId& server);
  // The session's record, written at launch and read back by a restarted director. Throws
  // pav::Error when it cannot be written.
  void record(const Session& s, double now);
  struct Record {
    int pid = 0;
    uint64_t start = 0;  // ServerId's
    std::string exe;
    uint16_t port = 0;
    double seconds = 0;
    double lobby = 0;    // the lobby before the 3 s start (Session::lobby)
    double elapsed = 0;  // seconds since it was launched, by the wall clock
    std::string difficulty;
  };
  std::optional<Record> read(const std::string& id) const;
  // The results its server printed as it ended (the last {"event":"end"} line of its log, read
  // from the log's last 64 kB); null when there are none (not ended yet, a server that died).
  nlohmann::json results(const std::string& id) const;
  // Its server's newest link figures, a line a second in its log (issue 19): per seat the budget
  // in force, the estimate, what was sent against the budget, the snapshot rate, the snapshots
  // cut to the budget, the outages and the longest one. [{seat, budgetKbps, estimatedKbps,
  // usedKbps, snapshotHz, partial, outages, longestOutageMs}]; empty before the first line.
  nlohmann::json linkFigures(const std::string& id) const;
  std::string logPath(const std::string& id) const;
  // Every session is recorded (`pavilion replay FILE` re-makes it; keep the file to keep it).
  std::string replayPath(const std::string& id) const;
  bool hasReplay(const std::string& id) const;
  // Whether session `id`'s server still runs and so still writes its replay: `server`, or the
  // one in its record when its pid is 0, is alive and recording into replayPath(id).
  bool recording(const std::string& id, const ServerId& server);
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
  // A descriptor, closed when its owner goes.
  class UniqueFd {
   public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    UniqueFd& operator=(UniqueFd&& o) noexcept;
    ~UniqueFd();
    int get() const { return fd_; }

   private:
    int fd_ = -1;
  };
  struct Child {
    int pid = 0;
    UniqueFd pidfd;  // -1 where the kernel has no pidfd_open (before Linux 5.3): the pid is
                     // still safe to signal, since an unreaped child's pid is never reused
  };
  std::string program_, dir_, bind_;
  std::vector<Child> children_;
};

}  // namespace pav::director
