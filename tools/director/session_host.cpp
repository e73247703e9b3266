// Starting, watching and stopping the session server processes, and their records.
#include "session_host.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "pav/core/durable_file.h"
#include "pav/core/error.h"

extern char** environ;

namespace pav::director {
namespace fs = std::filesystem;

namespace {

double wallSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

SessionHost::SessionHost(std::string program, std::string stateDir, std::string bind)
    : program_(std::move(program)), dir_(std::move(stateDir)), bind_(std::move(bind)) {
  std::error_code error;
  fs::create_directories(fs::path(dir_) / "sessions", error);
  if (error) throw Error("cannot make the state folder " + (fs::path(dir_) / "sessions").string() + ": " + error.message());
}

std::string SessionHost::logPath(const std::string& id) const { return (fs::path(dir_) / "sessions" / (id + ".log")).string(); }
std::string SessionHost::replayPath(const std::string& id) const {
  return (fs::path(dir_) / "sessions" / (id + ".replay")).string();
}

std::string SessionHost::nextId() {
  const std::string counter = (fs::path(dir_) / "next-session").string();
  long next = std::atol(readFile(counter).c_str());
  if (next < 1) next = 1;
  // Skip ids whose record exists (a counter file lost or edited).
  while (fs::exists(fs::path(dir_) / "sessions" / ("s" + std::to_string(next) + ".json"))) ++next;
  // Durable before the id is used: a crash never hands the same id out twice.
  core::writeFileDurably(counter, std::to_string(next + 1) + "\n");
  return "s" + std::to_string(next);
}

bool SessionHost::hasReplay(const std::string& id) const { return fs::is_regular_file(replayPath(id)); }

std::string SessionHost::keepNameProblem(const std::string& name) {
  constexpr size_t kMaxName = 64;
  if (name.empty()) return "a kept replay needs a name";
  if (name.size() > kMaxName) return "the name is longer than " + std::to_string(kMaxName) + " characters";
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
  if (!plain) return "use letters, digits, - _ . only (no path separators or spaces)";
  if (name[0] == '.' || name.find("..") != std::string::npos) return "the name may not start with '.' or hold '..'";
  return "";
}

std::optional<SessionHost::Kept> SessionHost::kept(const std::string& id) const {
  if (id.empty() || id.find('/') != std::string::npos || id.find("..") != std::string::npos) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(readFile((fs::path(dir_) / "sessions" / (id + ".kept")).string()), nullptr, false);
  if (!j.is_object() || !j.contains("path") || !j["path"].is_string()) return std::nullopt;
  return Kept{j.value("name", std::string()), j["path"].get<std::string>()};
}

std::string SessionHost::keep(const std::string& id, const std::string& name) {
  if (const std::string problem = keepNameProblem(name); !problem.empty())
    throw Error("bad name '" + name + "' for a kept replay: " + problem);
  if (id.empty() || id.find('/') != std::string::npos || id.find("..") != std::string::npos)
    throw Error("bad session '" + id + "'");
  if (const std::optional<Kept> k = kept(id))
    throw Error("session " + id + " is already kept as '" + k->name + "' (" + k->path + ")");
  const fs::path from = replayPath(id);
  if (!fs::is_regular_file(from))
    throw Error("unknown session '" + id + "': no replay of it in " + (fs::path(dir_) / "sessions").string());
  const fs::path to = fs::path(dir_) / "kept" / (name + ".replay");
  std::error_code error;
  fs::create_directories(to.parent_path(), error);
  if (error) throw Error("cannot make the folder " + to.parent_path().string() + ": " + error.message());
  if (fs::exists(to)) throw Error("a replay named '" + name + "' is already kept (" + to.string() + "); choose another name");
  // Copied whole and durably, then put in place without replacing: two keeps can never
  // overwrite each other, and a crash leaves the kept file whole or absent.
  try {
    core::syncFolder(fs::path(dir_).string());  // the kept folder's own entry
    core::copyFileDurably(from.string(), to.string(), core::Replace::No);
  } catch (const Error& e) {
    throw Error("cannot keep " + from.string() + ": " + e.what());
  }
  core::writeFileDurably((fs::path(dir_) / "sessions" / (id + ".kept")).string(),
                         nlohmann::json{{"name", name}, {"path", to.string()}}.dump() + "\n");
  return to.string();
}

void SessionHost::saveRecent(const nlohmann::json& recent) {
  core::writeFileDurably((fs::path(dir_) / "recent.json").string(), recent.dump() + "\n");
}

nlohmann::json SessionHost::loadRecent() const {
  const nlohmann::json j = nlohmann::json::parse(readFile((fs::path(dir_) / "recent.json").string()), nullptr, false);
  return j.is_array() ? j : nlohmann::json::array();
}

int SessionHost::start(const Session& s) {
  const std::string log = logPath(s.id);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", s.seconds);
  net::SessionKey::random().save(keyPath(s.id));
  std::vector<std::string> args = {program_, "server", "--title", s.title, "--port", "0", "--bind", bind_,
                                   "--session-key", keyPath(s.id),
                                   "--seconds", seconds, "--skill", std::to_string(skillOf(s.difficulty)), "--record", replayPath(s.id),
                                   "--max-stations", std::to_string(std::max<size_t>(1, s.stations.size())), "--json"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  // Nothing else of the director's: its control and dashboard sockets stay its own, so a
  // restarted director can listen on its port while this server plays on.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own session: no signal meant for the director (Ctrl-C, a closed terminal) reaches it.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program_.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw Error("cannot start the session server " + program_ + ": " + std::strerror(rc));
  return pid;
}

std::string SessionHost::keyPath(const std::string& id) const { return (fs::path(dir_) / "sessions" / (id + ".key")).string(); }

std::optional<net::ConnectToken> SessionHost::token(const Session& s, int seat, double secondsLeft) const {
  constexpr double kMarginSeconds = 600;  // a station late to its seat, a clock a little off
  try {
    const net::SessionKey key = net::SessionKey::load(keyPath(s.id));
    return net::issueToken(key, seat, s.title, net::unixSeconds() + uint64_t(std::max(0.0, secondsLeft) + kMarginSeconds));
  } catch (const Error& e) {
    std::fprintf(stderr, "pavilion director: session %s: no connect token: %s\n", s.id.c_str(), e.what());
    return std::nullopt;
  }
}

uint16_t SessionHost::port(const Session& s, bool& failed, std::string& why) {
  failed = false;
  std::ifstream in(logPath(s.id));
  std::string line, last;
  while (std::getline(in, line)) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.value("event", std::string()) == "listening") return j.value("port", uint16_t(0));
    if (!line.empty()) last = line;
  }
  if (s.pid > 0 && !alive(s.pid)) {
    failed = true;
    why = last.empty() ? "the session server exited before listening" : last;
  }
  return 0;
}

bool SessionHost::alive(int pid) {
  if (pid <= 0) return false;
  int status = 0;
  const pid_t r = waitpid(pid, &status, WNOHANG);
  if (r == pid) return false;                    // our child, now reaped
  if (r == 0) return true;                       // our child, running
  return kill(pid, 0) == 0 || errno == EPERM;    // not our child (a restarted director)
}

bool SessionHost::serving(int pid) {
  if (!alive(pid)) return false;
  const std::string cmdline = readFile("/proc/" + std::to_string(pid) + "/cmdline");
  return cmdline.find(std::string("server") + '\0') != std::string::npos;
}

bool SessionHost::recording(const std::string& id, int pid) {
  if (pid <= 0) {
    const std::optional<Record> r = read(id);
    if (!r) return false;
    pid = r->pid;
  }
  if (!serving(pid)) return false;
  const std::string cmdline = readFile("/proc/" + std::to_string(pid) + "/cmdline");
  return cmdline.find('\0' + replayPath(id) + '\0') != std::string::npos;
}

void SessionHost::stop(int pid) {
  // Only a pavilion server: a pid from an old record may have been reused by now.
  if (serving(pid)) kill(pid, SIGTERM);
}

void SessionHost::record(const Session& s, double now) {
  const nlohmann::json j = {{"id", s.id},       {"title", s.title},           {"pid", s.pid},
                            {"port", s.port},   {"seconds", s.seconds},        {"difficulty", s.difficulty},
                            {"stations", s.stations}, {"startedWall", wallSeconds() - (now - s.startedAt)}};
  core::writeFileDurably((fs::path(dir_) / "sessions" / (s.id + ".json")).string(), j.dump() + "\n");
}

std::optional<SessionHost::Record> SessionHost::read(const std::string& id) const {
  if (id.empty() || id.find('/') != std::string::npos || id.find("..") != std::string::npos) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(readFile((fs::path(dir_) / "sessions" / (id + ".json")).string()), nullptr, false);
  if (!j.is_object()) return std::nullopt;
  Record r;
  r.pid = j.value("pid", 0);
  r.port = j.value("port", uint16_t(0));
  r.seconds = j.value("seconds", 0.0);
  r.elapsed = wallSeconds() - j.value("startedWall", wallSeconds());
  r.difficulty = j.value("difficulty", std::string("medium"));
  return r;
}

}  // namespace pav::director
