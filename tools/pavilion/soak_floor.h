// The soak's floor: a real director and real station agents as separate `pavilion` processes,
// started and ended the way an operator does it, and the operator's requests (the request
// `pavilion ctl` sends, through askDirector). Everything about how those programs are started
// (their command lines, the key file, the ports) is in this pair of files, so a change to the
// floor's commands changes only here.
//
//   SoakFloor floor({.program = selfPath(), .dir = "soak-state"});
//   floor.init();                  // director --init: the key file
//   floor.startDirector();         // on any free port; later restarts keep that port
//   floor.startStation(1, "");     // station-1, a headless bot; "bad": its links on that profile
//   json reply = floor.ask({{"command", "status"}});
//   floor.killStation(1);          // kill -9, reaped
//
// Processes: each child is a ChildProcess, which owns it: its destructor kills (SIGKILL) and
// reaps it, so nothing outlives the soak, on any path out of it. The soak is a child subreaper
// (prctl), so the session servers a killed director leaves behind stay in its process tree:
// reapOrphans() reaps those that exit, endDescendants() ends those still running at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pav::tools::soak {

// A child process of the soak: stdout and stderr into files, its own process group (a Ctrl-C
// at the terminal reaches the soak, which ends its children itself).
class ChildProcess {
 public:
  // Starts argv[0] with argv; throws pav::Error when it cannot be started.
  ChildProcess(const std::vector<std::string>& argv, const std::string& outPath, const std::string& errPath);
  ~ChildProcess();  // SIGKILL and waitpid, when still running
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  int pid() const { return pid_; }
  // Whether it still runs (reaps it when it has exited, keeping the status).
  bool running();
  // The exit status as waitpid gave it (valid once !running()).
  int status() const { return status_; }
  // Waits up to `seconds` for it to exit; true when it has (and is reaped).
  bool wait(double seconds);
  // kill -9 and reap.
  void kill9();
  // SIGTERM, then SIGKILL after `graceSeconds`; reaped either way.
  void terminate(double graceSeconds);

 private:
  int pid_ = -1;
  int status_ = 0;
};

struct SoakFloorDesc {
  std::string program;   // the `pavilion` binary (this one)
  std::string dir;       // the soak's folder: key, the director's state folder, every log
};

class SoakFloor {
 public:
  explicit SoakFloor(SoakFloorDesc desc);
  ~SoakFloor();  // kills (SIGKILL) and reaps whatever still runs, session servers included
  SoakFloor(const SoakFloor&) = delete;
  SoakFloor& operator=(const SoakFloor&) = delete;

  // `pavilion director --init`: the key file for the director, the stations and the operator.
  void init();
  // Starts the director on its state folder (kill-free restart: startDirector() again after
  // killDirector()); the first start picks a free port, later ones reuse it. Throws
  // pav::Error when it does not say its port within `waitSeconds`.
  void startDirector(double waitSeconds = 60);
  void killDirector();
  bool directorRunning();
  int directorPid() const { return director_ ? director_->pid() : 0; }
  uint16_t port() const { return port_; }
  const std::string& stateDir() const { return stateDir_; }

  // Station `number` (named station-N) as a headless bot agent of the director, its links on
  // `netProfile` when not empty. Its --json lines go to stationOutput(number, run).
  void startStation(int number, const std::string& netProfile);
  void killStation(int number);
  bool stationRunning(int number);
  int stationPid(int number);
  // Every output file of station `number`, oldest run first (one per start).
  std::vector<std::string> stationOutputs(int number) const;
  static std::string stationName(int number) { return "station-" + std::to_string(number); }

  // One operator request, as `pavilion ctl` sends it. Throws pav::Error when the director
  // cannot be reached or does not answer.
  nlohmann::json ask(const nlohmann::json& request, uint32_t timeoutMs = 5000) const;

  // Ends everything: stations, director (SIGTERM, then SIGKILL), then any process still under
  // the soak (session servers), reaped.
  void shutdown();

 private:
  struct Station {
    int number = 0;
    std::optional<ChildProcess> process;
    std::vector<std::string> outputs;
  };
  Station& station(int number);

  SoakFloorDesc desc_;
  std::string key_, stationKey_, stateDir_, logDir_;  // the operator's file, the stations' file
  std::optional<ChildProcess> director_;
  std::string directorOut_;
  uint16_t port_ = 0;
  int directorRuns_ = 0;
  std::vector<Station> stations_;
};

// prctl(PR_SET_CHILD_SUBREAPER) for this process; false when refused.
bool becomeSubreaper();
// Reaps the children of this process that have exited and are not in `owned` (session servers
// a killed director left to the soak). Returns how many it reaped.
int reapOrphans(const std::vector<int>& owned);
// SIGKILL to every process under this one that is not in `owned`, then reaps those that are its
// children. Returns how many it signalled.
int endDescendants(const std::vector<int>& owned);

}  // namespace pav::tools::soak
