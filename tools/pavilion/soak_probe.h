// What the soak measures from /proc: a process's resident memory (VmRSS) and open descriptors,
// the process tree under the soak, and the zombies in it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pav::tools::soak {

struct ProcSample {
  bool valid = false;     // false: the process was gone or /proc unreadable
  uint64_t rssKiB = 0;    // /proc/PID/status VmRSS
  uint32_t fds = 0;       // entries of /proc/PID/fd
};
ProcSample sampleProcess(int pid);

struct ProcInfo {
  int pid = 0, ppid = 0;
  char state = '?';       // /proc/PID/stat's state letter ('Z': a zombie)
  uint64_t startTicks = 0;  // start time, so a reused pid is a different process
  std::string comm;
};
// Every process whose chain of parents reaches `root` (root itself not included).
std::vector<ProcInfo> descendants(int root);

// Zombies that stay: a zombie is counted once it is seen in two samples at least
// `persistSeconds` apart (a child between its exit and its parent's waitpid is a zombie for a
// moment on a loaded machine; one still there seconds later was never reaped).
class ZombieWatch {
 public:
  explicit ZombieWatch(double persistSeconds = 5) : persist_(persistSeconds) {}
  // One look at the tree under `root` at time `now` (seconds). Zombies whose parent is `root`
  // itself are the soak's own to reap and are left out.
  void sample(int root, double now);
  // Zombies seen to stay, over the whole run (each process once).
  uint32_t persistent() const { return persistent_; }
  // Zombies in the last sample.
  uint32_t current() const { return current_; }
  // "pid (comm, child of PPID)" of each persistent zombie, the first 20.
  const std::vector<std::string>& examples() const { return examples_; }

 private:
  struct Seen {
    int pid;
    uint64_t startTicks;
    double since;
    bool counted;
  };
  double persist_;
  std::vector<Seen> seen_;
  uint32_t persistent_ = 0, current_ = 0;
  std::vector<std::string> examples_;
};

}  // namespace pav::tools::soak
