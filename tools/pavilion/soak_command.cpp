// `pavilion soak --minutes M [--json] [--state DIR] [--seed S]`: the floor under faults for M
// minutes. A real director and 8 real station agents (headless bots; stations 7 and 8 with
// their session links on the conditioner's `bad` profile) play sessions of every title back to
// back, launched as an operator launches them, while the soak kills stations with -9 and
// restarts them, and kills and restarts the director on its state folder. Then it reports
// sessions (soak_ledger.h says what completed and lost mean), replays (loaded and re-made),
// the memory and descriptors of every long-lived process, and zombies; it exits 4 when a
// target is missed, naming it.
//
// [SECTION] Schedule   warm-up (every title on every station, one director restart), then M
//                      minutes: launches, station kills, director restarts; then the drain
// [SECTION] Measures   baselines after warm-up (or 60 s after the director's restart), ends after
//                      the drain, zombies in two looks 5 s apart
// [SECTION] Report     the JSON object (--json) or lines for people, and the targets
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <thread>

#include "commands.h"
#include "pav/core/error.h"
#include "pav/core/title.h"
#include "soak_floor.h"
#include "soak_ledger.h"
#include "soak_probe.h"

namespace pav::tools {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using soak::Outcome;

volatile std::sig_atomic_t gStop = 0;
void onSignal(int) { gStop = 1; }

constexpr int kStations = 8;
constexpr int kBadFrom = 7;                   // stations 7 and 8: session links on `bad`
constexpr int kKillableFrom = 3, kKillableTo = 6;  // killed in turn; 1, 2, 7, 8 run the whole soak
constexpr double kWarmSessionSeconds = 12;
constexpr double kMinSessionSeconds = 20, kMaxSessionSeconds = 40;
constexpr double kKillEverySeconds = 45, kRestartAfterSeconds = 3;
constexpr double kDirectorRestartAt = 150, kDirectorRestartEvery = 600;  // into the faulted phase
constexpr double kBaselineAfterRestart = 60;  // a restarted process is measured from then
constexpr size_t kSessionsAtOnce = 4;         // concurrent sessions (servers) at most
constexpr double kGraceSeconds = 90;          // past its length, a session not ended is lost
constexpr double kGrowthLimit = 0.10;
const char* const kBadProfile = "bad";
const char* const kDifficulties[] = {"easy", "medium", "hard"};

std::string selfProgram() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("cannot find this program's own path (/proc/self/exe) to start the floor");
  return path.string();
}

// A long-lived process of the floor: the director or a station.
struct Slot {
  std::string name;
  int pid = 0, restarts = 0;
  double startedAt = 0;
  int basePid = 0, endPid = 0;
  soak::ProcSample base, end;
  double baseAt = -1;
};

class Soak {
 public:
  Soak(const SoakOptions& o, std::string dir)
      : o_(o), dir_(std::move(dir)), floor_({.program = selfProgram(), .dir = dir_}), ledger_(kGraceSeconds), rng_(o.seed) {
    for (const std::string& id : core::titleIds()) titles_.push_back({id, core::createTitle(id)->info().maxPlayers});
    slots_.push_back({.name = "director"});
    for (int n = 1; n <= kStations; ++n) slots_.push_back({.name = soak::SoakFloor::stationName(n)});
  }

  int run();

 private:
  double now() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(); }
  void nap(double seconds) { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); }
  void tick();
  void startFloor();
  bool tryLaunch(const std::string& title, const std::vector<std::string>& stations, double seconds);
  std::vector<std::string> freeStations();
  void restartDirector();
  void killStation(int number);
  void warmUp();
  void faultedPhase();
  void drain();
  void measureEnd();
  int report();

  SoakOptions o_;
  std::string dir_;
  soak::SoakFloor floor_;
  soak::SessionLedger ledger_;
  soak::ZombieWatch zombies_;
  std::mt19937_64 rng_;
  std::vector<std::pair<std::string, int>> titles_;  // id, seats
  std::vector<Slot> slots_;                          // director, station-1..8
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  bool measuring_ = false;        // in the faulted phase: a restarted director gets a baseline of its own
  double nextZombieLook_ = 0;
  std::vector<std::pair<int, double>> restartStations_;  // station number, when
  // Counters for the report.
  uint32_t stationKills_ = 0, directorRestarts_ = 0, refusedLaunches_ = 0, unanswered_ = 0;
  uint32_t unexpectedExits_ = 0, orphansReaped_ = 0;
  std::vector<std::string> refusals_, exits_;
  double warmUpSeconds_ = 0, faultedSeconds_ = 0;
  soak::ReplayTally replays_;
};

// ---- [SECTION] Schedule ----------------------------------------------------------------------

// Every pass of every phase: the stations' end lines, outcomes, orphans, zombies, restarts due,
// processes that exited on their own (restarted and counted), baselines of restarted processes.
void Soak::tick() {
  const double t = now();
  for (int n = 1; n <= kStations; ++n)
    for (const std::string& path : floor_.stationOutputs(n)) ledger_.readStationOutput(soak::SoakFloor::stationName(n), path);
  ledger_.settle(t);
  std::vector<int> owned;
  for (const Slot& s : slots_) owned.push_back(s.pid);
  orphansReaped_ += static_cast<uint32_t>(soak::reapOrphans(owned));
  if (t >= nextZombieLook_) {
    zombies_.sample(getpid(), t);
    nextZombieLook_ = t + 2;
  }
  for (auto it = restartStations_.begin(); it != restartStations_.end();) {
    if (t < it->second) {
      ++it;
      continue;
    }
    floor_.startStation(it->first, it->first >= kBadFrom ? kBadProfile : "");
    it = restartStations_.erase(it);
  }
  if (!floor_.directorRunning()) {
    ++unexpectedExits_;
    exits_.push_back("director (pid " + std::to_string(slots_[0].pid) + ") exited at " + std::to_string(int(t)) + " s");
    floor_.startDirector();
  }
  for (int n = 1; n <= kStations; ++n) {
    const bool pending = std::any_of(restartStations_.begin(), restartStations_.end(), [&](auto& r) { return r.first == n; });
    if (pending || floor_.stationRunning(n)) continue;
    ++unexpectedExits_;
    exits_.push_back(soak::SoakFloor::stationName(n) + " (pid " + std::to_string(slots_[n].pid) + ") exited at " +
                     std::to_string(int(t)) + " s");
    ledger_.stationKilled(soak::SoakFloor::stationName(n));
    floor_.startStation(n, n >= kBadFrom ? kBadProfile : "");
  }
  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& s = slots_[i];
    const int pid = i == 0 ? floor_.directorPid() : floor_.stationPid(static_cast<int>(i));
    if (pid != s.pid && pid > 0) {
      if (s.pid > 0) ++s.restarts;
      s.pid = pid;
      s.startedAt = t;
    }
    // A restarted director is measured again from 60 s after its start; a restarted station is
    // not (it would be measured before it has played every title, so its heap still grows).
    if (measuring_ && i == 0 && s.basePid != s.pid && s.pid > 0 && t - s.startedAt >= kBaselineAfterRestart) {
      s.base = soak::sampleProcess(s.pid);
      s.basePid = s.base.valid ? s.pid : 0;
      s.baseAt = t;
    }
  }
}

void Soak::startFloor() {
  floor_.init();
  floor_.startDirector();
  for (int n = 1; n <= kStations; ++n) floor_.startStation(n, n >= kBadFrom ? kBadProfile : "");
  const double until = now() + 120;
  while (!gStop && now() < until) {
    tick();
    int online = 0;
    try {
      const json reply = floor_.ask({{"command", "stations"}});
      for (const json& s : reply.value("stations", json::array())) online += s.value("online", false) ? 1 : 0;
    } catch (const Error&) {
    }
    if (online == kStations) return;
    nap(0.5);
  }
  if (!gStop) throw Error("the 8 stations did not all register with the director within 120 s; see " + dir_ + "/logs");
}

bool Soak::tryLaunch(const std::string& title, const std::vector<std::string>& stations, double seconds) {
  const char* difficulty = kDifficulties[rng_() % 3];
  const json request = {{"command", "launch"}, {"title", title},           {"stations", stations},
                        {"minutes", seconds / 60}, {"difficulty", difficulty},
                        {"lobby", 0}};  // no lobby: the ledger times sessions from their launch
  json reply;
  try {
    reply = floor_.ask(request);
  } catch (const Error& e) {
    ++unanswered_;
    return false;
  }
  if (!reply.value("ok", false) || !reply["session"].is_string()) {
    ++refusedLaunches_;
    if (refusals_.size() < 20) refusals_.push_back(reply.value("error", std::string("refused")));
    return false;
  }
  ledger_.launched(reply["session"].get<std::string>(), title, stations, seconds, now());
  return true;
}

// Online on the director, in no session there or in the soak's ledger, running here.
std::vector<std::string> Soak::freeStations() {
  std::vector<std::string> out;
  json reply;
  try {
    reply = floor_.ask({{"command", "stations"}});
  } catch (const Error&) {
    ++unanswered_;
    return out;
  }
  const std::set<std::string> busy = ledger_.busyStations();
  for (const json& s : reply.value("stations", json::array())) {
    const std::string name = s.value("name", std::string());
    if (!s.value("online", false) || !s.value("session", std::string()).empty() || busy.count(name)) continue;
    out.push_back(name);
  }
  return out;
}

void Soak::restartDirector() {
  floor_.killDirector();
  ++directorRestarts_;
  nap(1);
  floor_.startDirector();
}

void Soak::killStation(int number) {
  floor_.killStation(number);
  ++stationKills_;
  ledger_.stationKilled(soak::SoakFloor::stationName(number));
  restartStations_.push_back({number, now() + kRestartAfterSeconds});
}

// Every title on every station once (short sessions), the director restarted under the first.
void Soak::warmUp() {
  const double started = now();
  bool restarted = false;
  for (const auto& [title, seats] : titles_) {
    for (int first = 1; first <= kStations && !gStop; first += seats) {
      std::vector<std::string> group;
      for (int n = first; n < first + seats && n <= kStations; ++n) group.push_back(soak::SoakFloor::stationName(n));
      // Right after a session the director may still count a station busy for a moment.
      const double until = now() + 60;
      while (!gStop && now() < until && !tryLaunch(title, group, kWarmSessionSeconds)) {
        tick();
        nap(0.5);
      }
    }
    if (!restarted) {
      nap(3);
      restartDirector();
      restarted = true;
    }
    while (!gStop && ledger_.running() > 0) {
      tick();
      nap(0.2);
    }
  }
  // Every station idle on the director too, then the baselines.
  const double until = now() + 30;
  while (!gStop && now() < until && freeStations().size() < size_t(kStations)) {
    tick();
    nap(0.5);
  }
  tick();
  for (Slot& s : slots_) {
    s.base = soak::sampleProcess(s.pid);
    s.basePid = s.base.valid ? s.pid : 0;
    s.baseAt = now();
  }
  measuring_ = true;
  warmUpSeconds_ = now() - started;
}

// Sessions back to back on the free stations, every title in turn; a station of 3..6 killed
// every 45 s (one in a session when there is one) and restarted 3 s later; the director killed
// and restarted 150 s in and every 10 minutes after, while time is left to measure it after.
void Soak::faultedPhase() {
  const double started = now(), end = started + o_.minutes * 60;
  double nextKill = started + kKillEverySeconds, nextDirector = started + kDirectorRestartAt, nextLaunch = started;
  int nextVictim = kKillableFrom;
  size_t nextTitle = 0;
  while (!gStop && now() < end) {
    tick();
    const double t = now();
    if (t >= nextKill) {
      const std::set<std::string> busy = ledger_.busyStations();
      int victim = nextVictim;
      for (int k = 0; k <= kKillableTo - kKillableFrom; ++k) {
        const int n = kKillableFrom + (nextVictim - kKillableFrom + k) % (kKillableTo - kKillableFrom + 1);
        if (busy.count(soak::SoakFloor::stationName(n)) && floor_.stationRunning(n)) {
          victim = n;
          break;
        }
      }
      if (floor_.stationRunning(victim)) killStation(victim);
      nextVictim = kKillableFrom + (victim - kKillableFrom + 1) % (kKillableTo - kKillableFrom + 1);
      nextKill = t + kKillEverySeconds;
    }
    if (t >= nextDirector) {
      if (end - t >= kBaselineAfterRestart + 30) restartDirector();
      nextDirector = t + kDirectorRestartEvery;
    }
    if (t >= nextLaunch && ledger_.running() < kSessionsAtOnce) {
      nextLaunch = t + 1;
      std::vector<std::string> free = freeStations();
      if (!free.empty()) {
        const auto& [title, seats] = titles_[nextTitle++ % titles_.size()];
        std::shuffle(free.begin(), free.end(), rng_);
        const size_t most = std::min<size_t>(free.size(), size_t(std::max(1, seats)));
        free.resize(1 + rng_() % most);
        const double seconds = kMinSessionSeconds + double(rng_() % 1000) / 1000 * (kMaxSessionSeconds - kMinSessionSeconds);
        tryLaunch(title, free, std::round(seconds));
      }
    }
    nap(0.2);
  }
  faultedSeconds_ = now() - started;
  measuring_ = false;
}

// No more launches: every session ends (or is found lost), the servers finish their replays.
void Soak::drain() {
  while (!gStop && ledger_.running() > 0) {
    tick();
    nap(0.2);
  }
  const double until = now() + 60;
  while (!gStop && now() < until) {
    tick();
    std::vector<int> longLived;
    for (const Slot& s : slots_) longLived.push_back(s.pid);
    bool serverLeft = false;
    for (const soak::ProcInfo& p : soak::descendants(getpid()))
      if (p.state != 'Z' && std::find(longLived.begin(), longLived.end(), p.pid) == longLived.end()) serverLeft = true;
    if (!serverLeft && restartStations_.empty()) break;
    nap(0.5);
  }
}

// ---- [SECTION] Measures ----------------------------------------------------------------------

void Soak::measureEnd() {
  tick();
  for (Slot& s : slots_) {
    s.end = soak::sampleProcess(s.pid);
    s.endPid = s.end.valid ? s.pid : 0;
  }
  // Zombies: a look now, and one 5 s later (those in both stayed).
  zombies_.sample(getpid(), now());
  const double until = now() + 5.5;
  while (!gStop && now() < until) {
    std::vector<int> owned;
    for (const Slot& s : slots_) owned.push_back(s.pid);
    orphansReaped_ += static_cast<uint32_t>(soak::reapOrphans(owned));
    nap(0.25);
  }
  zombies_.sample(getpid(), now());
  replays_ = ledger_.checkReplays(floor_.stateDir());
}

// ---- [SECTION] Report ------------------------------------------------------------------------

double growth(uint64_t from, uint64_t to) { return from == 0 ? 0 : (double(to) - double(from)) / double(from); }

int Soak::report() {
  std::vector<std::string> missed;
  const uint32_t lost = ledger_.count(Outcome::Lost);
  if (lost > 0) missed.push_back(std::to_string(lost) + " session(s) lost");
  if (zombies_.persistent() > 0 || zombies_.current() > 0)
    missed.push_back(std::to_string(std::max(zombies_.persistent(), zombies_.current())) + " zombie(s)");
  if (unexpectedExits_ > 0) missed.push_back(std::to_string(unexpectedExits_) + " process(es) exited on their own");
  if (replays_.loadable < replays_.expected || replays_.identical < replays_.expected)
    missed.push_back(std::to_string(replays_.expected - std::min(replays_.expected, replays_.identical)) +
                     " replay(s) missing, unloadable or not re-made");
  if (ledger_.count(Outcome::Completed) == 0) missed.push_back("no session completed");
  ordered_json processes = ordered_json::array();
  for (const Slot& s : slots_) {
    const bool measured = s.basePid > 0 && s.basePid == s.endPid;
    ordered_json p = {{"name", s.name}, {"pid", s.endPid}, {"restarts", s.restarts}, {"measured", measured}};
    if (s.basePid > 0) p["start"] = {{"pid", s.basePid}, {"atSeconds", std::round(s.baseAt)}, {"rssKiB", s.base.rssKiB}, {"fds", s.base.fds}};
    if (s.endPid > 0) p["end"] = {{"pid", s.endPid}, {"rssKiB", s.end.rssKiB}, {"fds", s.end.fds}};
    if (measured) {
      const double rss = growth(s.base.rssKiB, s.end.rssKiB), fds = growth(s.base.fds, s.end.fds);
      p["rssGrowth"] = std::round(rss * 1000) / 1000;
      p["fdsGrowth"] = std::round(fds * 1000) / 1000;
      if (rss > kGrowthLimit)
        missed.push_back(s.name + " RSS grew " + std::to_string(int(std::round(rss * 100))) + " % (" +
                         std::to_string(s.base.rssKiB) + " -> " + std::to_string(s.end.rssKiB) + " KiB)");
      if (fds > kGrowthLimit)
        missed.push_back(s.name + " descriptors grew from " + std::to_string(s.base.fds) + " to " + std::to_string(s.end.fds));
    }
    processes.push_back(p);
  }
  const bool ok = missed.empty();
  ordered_json out = {
      {"minutes", o_.minutes},
      {"seed", o_.seed},
      {"stateDir", dir_},
      {"seconds", {{"warmUp", std::round(warmUpSeconds_)}, {"faulted", std::round(faultedSeconds_)}, {"total", std::round(now())}}},
      {"sessions",
       {{"launched", ledger_.launchedCount()},
        {"completed", ledger_.count(Outcome::Completed)},
        {"interrupted", ledger_.count(Outcome::Interrupted)},
        {"lost", lost},
        {"lostWhy", ledger_.lostReasons()},
        {"refusedLaunches", refusedLaunches_},
        {"refusals", refusals_},
        {"unansweredRequests", unanswered_}}},
      {"faults",
       {{"stationKills", stationKills_}, {"directorRestarts", directorRestarts_}, {"badProfileStations", {"station-7", "station-8"}}}},
      {"replays",
       {{"expected", replays_.expected}, {"recorded", replays_.recorded}, {"loadable", replays_.loadable},
        {"identical", replays_.identical}, {"problems", replays_.problems}}},
      {"processes", processes},
      {"zombies", {{"persistent", zombies_.persistent()}, {"atEnd", zombies_.current()}, {"examples", zombies_.examples()},
                   {"orphansReapedBySoak", orphansReaped_}}},
      {"unexpectedExits", exits_},
      {"targets", {{"ok", ok}, {"missed", missed}}}};
  if (o_.json) {
    std::printf("%s\n", out.dump(-1, ' ', false, ordered_json::error_handler_t::replace).c_str());
  } else {
    std::printf("pavilion soak: %.1f min faulted (+%.0f s warm-up), state in %s\n", o_.minutes, warmUpSeconds_, dir_.c_str());
    std::printf("sessions: %u launched, %u completed, %u interrupted (all their stations killed), %u lost; %u launch(es) refused\n",
                ledger_.launchedCount(), ledger_.count(Outcome::Completed), ledger_.count(Outcome::Interrupted), lost,
                refusedLaunches_);
    for (const std::string& why : ledger_.lostReasons()) std::printf("  lost %s\n", why.c_str());
    std::printf("faults: %u station kill(s), %u director restart(s), station-7 and station-8 on `bad`\n", stationKills_,
                directorRestarts_);
    std::printf("replays: %u expected, %u recorded, %u loadable, %u re-made identical\n", replays_.expected, replays_.recorded,
                replays_.loadable, replays_.identical);
    for (const std::string& p : replays_.problems) std::printf("  replay %s\n", p.c_str());
    for (const ordered_json& p : processes) {
      if (!p.contains("start") || !p.contains("end")) {
        std::printf("%-10s not measured (restarted %d time(s))\n", p["name"].get<std::string>().c_str(), p["restarts"].get<int>());
        continue;
      }
      std::printf("%-10s RSS %llu -> %llu KiB, fds %u -> %u%s\n", p["name"].get<std::string>().c_str(),
                  p["start"]["rssKiB"].get<unsigned long long>(), p["end"]["rssKiB"].get<unsigned long long>(),
                  p["start"]["fds"].get<unsigned>(), p["end"]["fds"].get<unsigned>(),
                  p["measured"].get<bool>() ? "" : " (different processes: not compared)");
    }
    std::printf("zombies: %u that stayed, %u at the end; %u orphaned server(s) reaped by the soak\n", zombies_.persistent(),
                zombies_.current(), orphansReaped_);
    for (const std::string& m : missed) std::printf("MISSED: %s\n", m.c_str());
    std::printf("%s\n", ok ? "pavilion soak: every target met" : "pavilion soak: targets missed");
  }
  std::fflush(stdout);
  return ok ? 0 : 4;
}

int Soak::run() {
  startFloor();
  if (!gStop) warmUp();
  if (!gStop) faultedPhase();
  if (!gStop) drain();
  if (gStop) {
    std::fprintf(stderr, "pavilion soak: interrupted; ending the floor (logs in %s/logs)\n", dir_.c_str());
    floor_.shutdown();
    return 130;
  }
  measureEnd();
  floor_.shutdown();
  return report();
}

}  // namespace

void addSoakCommand(CLI::App& app, SoakOptions& o) {
  CLI::App* c = app.add_subcommand("soak", "Run a director and 8 bot stations under faults; report losses, leaks, zombies");
  c->add_option("--minutes", o.minutes, "Minutes of sessions under faults, after a warm-up of about 2 minutes")
      ->check(CLI::Range(0.05, 1440.0))
      ->capture_default_str();
  c->add_flag("--json", o.json, "The report as one JSON object");
  c->add_option("--state", o.stateDir, "The soak's folder: key, the director's state, every log (default: a new temporary folder; a folder with other files is refused)");
  c->add_option("--seed", o.seed, "Seed for the choices of stations, titles and lengths")->capture_default_str();
}

int runSoak(const SoakOptions& o) {
  registerAllTitles();
  std::string dir = o.stateDir;
  if (dir.empty()) dir = (std::filesystem::temp_directory_path() / ("pavilion-soak-" + std::to_string(getpid()))).string();
  // An earlier soak's folder is reused (its state, logs and key replaced); any other folder with
  // files in it is refused, so a director's real state folder is never touched.
  const std::filesystem::path marker = std::filesystem::path(dir) / ".pavilion-soak";
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec) && !std::filesystem::exists(marker, ec)) {
    std::fprintf(stderr, "pavilion soak: --state %s has files and is not a soak's folder (no .pavilion-soak): give a new or empty folder\n",
                 dir.c_str());
    return 2;
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("cannot make the soak's folder " + dir + ": " + ec.message());
  for (const char* own : {"state", "logs", "pavilion.key"}) std::filesystem::remove_all(std::filesystem::path(dir) / own, ec);
  if (!std::ofstream(marker)) throw Error("cannot write " + marker.string());
  dir = std::filesystem::absolute(dir).string();
  struct sigaction action = {};
  action.sa_handler = onSignal;
  sigemptyset(&action.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaction(s, &action, nullptr);
  if (!soak::becomeSubreaper())
    std::fprintf(stderr, "pavilion soak: cannot become the child subreaper; servers of a killed director leave the soak's tree\n");
  std::fprintf(stderr, "pavilion soak: %g minute(s) under faults, folder %s\n", o.minutes, dir.c_str());
  Soak soak(o, dir);
  return soak.run();
}

}  // namespace pav::tools
