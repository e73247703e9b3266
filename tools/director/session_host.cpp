// Starting, watching and stopping the session server processes, and their records.
#include "session_host.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
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

// pidfd_open and pidfd_send_signal through syscall(): glibc 2.36 has the numbers, not the wrappers.
int pidfdOpen(int pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }
bool pidfdSignal(int pidfd, int signal) { return ::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) == 0; }

// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot; 0 when there
// is no such process. The name (field 2) may hold spaces and parentheses: fields are counted
// from the last ')'.
uint64_t processStart(int pid) {
  const std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int n = 3; n <= 22 && (fields >> field); ++n)
    if (n == 22) return std::strtoull(field.c_str(), nullptr, 10);
  return 0;
}

// /proc/PID/exe, without the " (deleted)" the kernel adds once the program file was replaced
// (a new build installed while the server plays).
std::string processExe(int pid) {
  std::error_code error;
  std::string exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", error).string();
  if (error) return {};
  constexpr std::string_view kDeleted = " (deleted)";
  if (exe.size() > kDeleted.size() && exe.compare(exe.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0)
    exe.resize(exe.size() - kDeleted.size());
  return exe;
}

}  // namespace

SessionHost::UniqueFd& SessionHost::UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

SessionHost::UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

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

SessionHost::ServerId SessionHost::start(const Session& s) {
  const std::string log = logPath(s.id);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", s.seconds);
  char lobby[32];
  std::snprintf(lobby, sizeof lobby, "%.3f", s.lobby);
  net::SessionKey::random().save(keyPath(s.id));
  std::vector<std::string> args = {program_, "server", "--title", s.title, "--port", "0", "--bind", bind_,
                                   "--session-key", keyPath(s.id),
                                   "--seconds", seconds, "--lobby", lobby, "--skill", std::to_string(skillOf(s.difficulty)), "--record", replayPath(s.id),
                                   "--max-stations", std::to_string(std::max<size_t>(1, s.stations.size())), "--json"};
  if (s.budgetKbps > 0) {
    char budget[32];
    std::snprintf(budget, sizeof budget, "%.1f", s.budgetKbps);
    args.insert(args.end(), {"--budget-kbps", budget});
  }
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
  // posix_spawn returns once the program runs, so /proc has the server's own start and exe; the
  // unreaped child keeps its pid, so nothing else can have it yet.
  children_.push_back({pid, UniqueFd(pidfdOpen(pid))});
  return {pid, processStart(pid), processExe(pid)};
}

std::string SessionHost::keyPath(const std::string& id) const { return (fs::path(dir_) / "sessions" / (id + ".key")).string(); }

void SessionHost::forgetKey(const std::string& id) const {
  std::error_code ignored;
  fs::remove(keyPath(id), ignored);
}

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

nlohmann::json SessionHost::results(const std::string& id) const {
  constexpr std::streamoff kTailBytes = 64 * 1024;
  std::ifstream in(logPath(id), std::ios::binary | std::ios::ate);
  if (!in) return nullptr;
  const std::streamoff size = in.tellg();
  in.seekg(std::max<std::streamoff>(0, size - kTailBytes));
  std::string line;
  nlohmann::json found;
  while (std::getline(in, line)) {
    if (line.find("\"event\":\"end\"") == std::string::npos) continue;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("results") && j["results"].is_object()) found = j["results"];
  }
  return found;
}

nlohmann::json SessionHost::linkFigures(const std::string& id) const {
  constexpr std::streamoff kTailBytes = 16 * 1024;  // a stats line of 8 seats is under 8 kB
  std::ifstream in(logPath(id), std::ios::binary | std::ios::ate);
  nlohmann::json figures = nlohmann::json::array();
  if (!in) return figures;
  const std::streamoff size = in.tellg();
  in.seekg(std::max<std::streamoff>(0, size - kTailBytes));
  // The newest whole line: the last one may be still being written.
  std::string line, last, before;
  while (std::getline(in, line))
    if (line.find("\"event\":\"stats\"") != std::string::npos) before = std::move(last), last = std::move(line);
  nlohmann::json j = nlohmann::json::parse(last, nullptr, false);
  if (!j.is_object()) j = nlohmann::json::parse(before, nullptr, false);
  if (!j.is_object() || !j.contains("server") || !j["server"].is_object()) return figures;
  const nlohmann::json stations = j["server"].value("stations", nlohmann::json::array());
  if (!stations.is_array()) return figures;
  // A number from the server's line, 0 where it is missing or not a number (a server of
  // another version): the dashboard shows what there is.
  const auto number = [](const nlohmann::json& o, const char* key) {
    const auto it = o.find(key);
    return it != o.end() && it->is_number() ? it->get<double>() : 0.0;
  };
  for (const nlohmann::json& s : stations) {
    if (!s.is_object() || !s.value("connected", false)) continue;
    figures.push_back({{"seat", int(number(s, "seat"))},
                       {"budgetKbps", number(s, "budget_kbps")},
                       {"estimatedKbps", number(s, "estimated_kbps")},
                       {"usedKbps", number(s, "budget_used_kbps")},
                       {"snapshotHz", number(s, "snapshot_hz")},
                       {"partial", number(s, "snapshots_partial")},
                       {"outages", number(s, "outages")},
                       {"longestOutageMs", number(s, "longest_outage_ms")}});
  }
  return figures;
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
  if (s.pid > 0 && !alive(idOf(s))) {
    failed = true;
    why = last.empty() ? "the session server exited before listening" : last;
  }
  return 0;
}

void SessionHost::reap() {
  std::erase_if(children_, [](const Child& c) {
    int status = 0;
    const pid_t r = waitpid(c.pid, &status, WNOHANG);
    // Reaped now, or not ours to wait for any more (ECHILD: someone else reaped it).
    return r == c.pid || (r < 0 && errno == ECHILD);
  });
}

bool SessionHost::alive(const ServerId& server) {
  if (server.pid <= 0) return false;
  reap();
  for (const Child& c : children_)
    if (c.pid == server.pid) return true;  // ours and not exited: the pid is still its own
  // Not a running child: an earlier director's server, known by its start time and program.
  if (server.start == 0 || processStart(server.pid) != server.start) return false;
  return server.exe.empty() || processExe(server.pid) == server.exe;
}

bool SessionHost::recording(const std::string& id, const ServerId& given) {
  ServerId server = given;
  if (server.pid <= 0) {
    const std::optional<Record> r = read(id);
    if (!r) return false;
    server = {r->pid, r->start, r->exe};
  }
  if (!alive(server)) return false;
  const std::string cmdline = readFile("/proc/" + std::to_string(server.pid) + "/cmdline");
  return cmdline.find('\0' + replayPath(id) + '\0') != std::string::npos;
}

void SessionHost::stop(const ServerId& server) {
  if (server.pid <= 0) return;
  reap();
  for (const Child& c : children_) {
    if (c.pid != server.pid) continue;
    if (c.pidfd.get() < 0 || !pidfdSignal(c.pidfd.get(), SIGTERM)) kill(c.pid, SIGTERM);  // unreaped: still ours
    return;
  }
  // An earlier director's server: a pidfd taken first, then the identity checked, so the signal
  // reaches the process that was checked even if the pid is reused in between.
  if (server.start == 0) return;  // an old record with no identity: never signal a bare pid
  const UniqueFd pidfd(pidfdOpen(server.pid));
  if (pidfd.get() < 0 || !alive(server)) return;
  pidfdSignal(pidfd.get(), SIGTERM);
}

void SessionHost::record(const Session& s, double now) {
  const nlohmann::json j = {{"id", s.id},       {"title", s.title},           {"pid", s.pid},
                            {"pidStart", s.serverStart}, {"exe", s.serverExe},
                            {"port", s.port},   {"seconds", s.seconds},        {"difficulty", s.difficulty}, {"lobby", s.lobby},
                            {"stations", s.stations}, {"startedWall", wallSeconds() - (now - s.startedAt)}};
  core::writeFileDurably((fs::path(dir_) / "sessions" / (s.id + ".json")).string(), j.dump() + "\n");
}

std::optional<SessionHost::Record> SessionHost::read(const std::string& id) const {
  if (id.empty() || id.find('/') != std::string::npos || id.find("..") != std::string::npos) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(readFile((fs::path(dir_) / "sessions" / (id + ".json")).string()), nullptr, false);
  if (!j.is_object()) return std::nullopt;
  // A record is the director's own file, but read defensively: a field of the wrong type
  // (an edited or damaged file) reads as absent, never as an exception.
  const auto number = [&](const char* key, double fallback, double lo, double hi) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return fallback;
    const double v = it->get<double>();
    return std::isfinite(v) && v >= lo && v <= hi ? v : fallback;
  };
  const auto text = [&](const char* key, const std::string& fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
  };
  Record r;
  r.pid = static_cast<int>(number("pid", 0, 0, 4194304));
  const auto start = j.find("pidStart");
  r.start = start != j.end() && start->is_number_unsigned() ? start->get<uint64_t>() : 0;
  r.exe = text("exe", "");
  r.port = static_cast<uint16_t>(number("port", 0, 0, 65535));
  r.seconds = number("seconds", 0, 0, 1e7);
  r.lobby = number("lobby", 0, 0, kMaxLobbySeconds);
  const double now = wallSeconds();
  r.elapsed = now - number("startedWall", now, 0, 1e11);
  r.difficulty = text("difficulty", "medium");
  return r;
}

}  // namespace pav::director
