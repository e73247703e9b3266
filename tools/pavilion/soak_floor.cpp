// The soak's floor: child processes (ChildProcess), the director and station command lines
// (SoakFloor), the operator's requests, and the soak's orphans.
#include "soak_floor.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "agent.h"
#include "pav/core/error.h"
#include "pav/net/control.h"
#include "soak_probe.h"

extern char** environ;

namespace pav::tools::soak {
namespace {

void napMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// Waits for `pid` up to `seconds`; true when it was reaped.
bool waitFor(int pid, int& status, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    const pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) return true;
    if (w < 0 && errno == ECHILD) {
      status = 0;
      return true;
    }
    if (std::chrono::steady_clock::now() >= until) return false;
    napMs(20);
  }
}

}  // namespace

// ---- ChildProcess --------------------------------------------------------------------------

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& outPath, const std::string& errPath) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // Its own process group; default signal handling and mask, whatever the soak has set.
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<std::string> copy = argv;
  std::vector<char*> args;
  for (std::string& a : copy) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, copy.at(0).c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw Error("cannot start " + copy[0] + ": " + std::strerror(rc));
  pid_ = pid;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) kill9();
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_), status_(other.status_) { other.pid_ = -1; }

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t w = waitpid(pid_, &status, WNOHANG);
  if (w == 0) return true;
  if (w == pid_) status_ = status;
  pid_ = -1;
  return false;
}

void ChildProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  if (waitpid(pid_, &status, 0) == pid_) status_ = status;
  pid_ = -1;
}

bool ChildProcess::wait(double seconds) {
  if (pid_ <= 0) return true;
  int status = 0;
  if (!waitFor(pid_, status, seconds)) return false;
  status_ = status;
  pid_ = -1;
  return true;
}

void ChildProcess::terminate(double graceSeconds) {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!wait(graceSeconds)) kill9();
}

// ---- SoakFloor: the only place that knows the floor's command lines -------------------------

SoakFloor::SoakFloor(SoakFloorDesc desc)
    : desc_(std::move(desc)),
      key_(desc_.dir + "/pavilion.key"),
      stationKey_(net::ControlKey::stationPathFor(key_)),
      stateDir_(desc_.dir + "/state"),
      logDir_(desc_.dir + "/logs") {
  std::error_code ec;
  std::filesystem::create_directories(logDir_, ec);
  if (ec) throw Error("cannot make the soak's folder " + logDir_ + ": " + ec.message());
}

SoakFloor::~SoakFloor() {
  stations_.clear();
  director_.reset();
  endDescendants({});
}

void SoakFloor::init() {
  std::error_code ec;
  std::filesystem::remove(key_, ec);
  std::filesystem::remove(stationKey_, ec);
  ChildProcess init({desc_.program, "director", "--init", "--key", key_, "--password", "soak-operator-pass"},
                    logDir_ + "/init.out", logDir_ + "/init.err");
  if (!init.wait(60) || !WIFEXITED(init.status()) || WEXITSTATUS(init.status()) != 0)
    throw Error("`pavilion director --init` failed; see " + logDir_ + "/init.err");
}

void SoakFloor::startDirector(double waitSeconds) {
  ++directorRuns_;
  const std::string base = logDir_ + "/director-" + std::to_string(directorRuns_);
  directorOut_ = base + ".out";
  director_.emplace(std::vector<std::string>{desc_.program, "director", "--key", key_, "--port", std::to_string(port_),
                                             "--http", "0", "--state-dir", stateDir_, "--json"},
                    directorOut_, base + ".err");
  // Its first line on stdout: {"event":"listening","control":PORT,...}.
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(waitSeconds);
  while (std::chrono::steady_clock::now() < until) {
    std::ifstream in(directorOut_);
    std::string line;
    if (in && std::getline(in, line) && !line.empty()) {
      const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.value("control", 0) > 0) {
        port_ = static_cast<uint16_t>(j.value("control", 0));
        return;
      }
    }
    if (!director_->running()) throw Error("the director exited at start; see " + base + ".err");
    napMs(100);
  }
  throw Error("the director did not say its port within the time; see " + base + ".err");
}

void SoakFloor::killDirector() {
  if (director_) director_->kill9();
  director_.reset();
}

bool SoakFloor::directorRunning() { return director_ && director_->running(); }

SoakFloor::Station& SoakFloor::station(int number) {
  for (Station& s : stations_)
    if (s.number == number) return s;
  stations_.push_back(Station{number, std::nullopt, {}});
  return stations_.back();
}

void SoakFloor::startStation(int number, const std::string& netProfile) {
  Station& s = station(number);
  const std::string name = stationName(number);
  const std::string base = logDir_ + "/" + name + "-" + std::to_string(s.outputs.size() + 1);
  std::vector<std::string> argv = {desc_.program, "station", "--director", "127.0.0.1:" + std::to_string(port_), "--name", name,
                                   "--key", stationKey_, "--bot", "--headless", "--json"};
  if (!netProfile.empty()) {
    argv.push_back("--net-profile");
    argv.push_back(netProfile);
  }
  s.outputs.push_back(base + ".out");
  s.process.emplace(argv, base + ".out", base + ".err");
}

void SoakFloor::killStation(int number) {
  Station& s = station(number);
  if (s.process) s.process->kill9();
  s.process.reset();
}

bool SoakFloor::stationRunning(int number) {
  Station& s = station(number);
  return s.process && s.process->running();
}

int SoakFloor::stationPid(int number) {
  Station& s = station(number);
  return s.process ? s.process->pid() : 0;
}

std::vector<std::string> SoakFloor::stationOutputs(int number) const {
  for (const Station& s : stations_)
    if (s.number == number) return s.outputs;
  return {};
}

nlohmann::json SoakFloor::ask(const nlohmann::json& request, uint32_t timeoutMs) const {
  const net::ControlKey key = net::ControlKey::load(key_);
  return director::askDirector("127.0.0.1", port_, key, request, timeoutMs);
}

void SoakFloor::shutdown() {
  for (Station& s : stations_)
    if (s.process) s.process->terminate(5);
  if (director_) director_->terminate(5);
  stations_.clear();
  director_.reset();
  endDescendants({});
}

// ---- Orphans ---------------------------------------------------------------------------------

bool becomeSubreaper() { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; }

int reapOrphans(const std::vector<int>& owned) {
  int reaped = 0;
  const int self = getpid();
  for (const ProcInfo& p : descendants(self)) {
    if (p.ppid != self || p.state != 'Z') continue;
    if (std::find(owned.begin(), owned.end(), p.pid) != owned.end()) continue;
    int status = 0;
    if (waitpid(p.pid, &status, WNOHANG) == p.pid) ++reaped;
  }
  return reaped;
}

int endDescendants(const std::vector<int>& owned) {
  int signalled = 0;
  const int self = getpid();
  for (const ProcInfo& p : descendants(self)) {
    if (std::find(owned.begin(), owned.end(), p.pid) != owned.end()) continue;
    if (p.state != 'Z' && ::kill(p.pid, SIGKILL) == 0) ++signalled;
  }
  // Those reparented to the soak are its to reap; give the kernel a moment to deliver.
  for (int i = 0; i < 50; ++i) {
    bool left = false;
    for (const ProcInfo& p : descendants(self)) {
      if (p.ppid != self || std::find(owned.begin(), owned.end(), p.pid) != owned.end()) continue;
      int status = 0;
      if (waitpid(p.pid, &status, WNOHANG) == 0) left = true;
    }
    if (!left) break;
    napMs(20);
  }
  return signalled;
}

}  // namespace pav::tools::soak
