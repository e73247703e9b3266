// `pavilion director`: one per pavilion. It knows the stations, hosts the session servers,
// keeps the floor's state and serves the operators' dashboard (--http). `--init` makes the
// pavilion's key files first: the operator key file (operator key, station key, the dashboard
// password's hash: for the director and operator machines) and the station key file (the
// station key alone: for the stations, which then can report but never launch or stop).
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "commands.h"
#include "director.h"
#include "pav/core/error.h"
#include "pav/core/fixed_step.h"
#include "pav/core/title.h"
#include "tls.h"
#include "visitor_text.h"

namespace pav::tools {
namespace {

volatile std::sig_atomic_t gStop = 0;
void onSignal(int) { gStop = 1; }

std::string defaultStateDir() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) return std::string(state) + "/pavilion";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/state/pavilion";
  return "pavilion-state";
}

std::string selfPath() {
  char path[PATH_MAX] = {};
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) throw Error("cannot find this program's own path (/proc/self/exe) to start session servers");
  return std::string(path, static_cast<size_t>(n));
}

// The dashboard's HTTPS certificate lives next to the key file (tools/dashboard/tls.h).
dashboard::CertificateFiles certificateFor(const std::string& keyPath) {
  return dashboard::certificateFiles(std::filesystem::path(keyPath).parent_path().string());
}

void makeCertificate(const std::string& keyPath) {
  const auto files = dashboard::makeCertificate(std::filesystem::path(keyPath).parent_path().string());
  std::printf("pavilion director: wrote the dashboard's HTTPS certificate to %s (its key %s, mode 0600)\n",
              files.certificate.c_str(), files.privateKey.c_str());
  std::printf("pavilion director: the dashboard's certificate fingerprint (SHA-256) is %s\n",
              dashboard::fingerprint(files.certificate).c_str());
}

int initKey(const DirectorOptions& o) {
  const std::string path = o.key.empty() ? net::ControlKey::defaultPath() : o.key;
  if (!o.force && o.password.empty() && std::filesystem::exists(path) &&
      !std::filesystem::exists(certificateFor(path).certificate)) {
    makeCertificate(path);  // a key from before HTTPS: add the certificate, keep the key
    return 0;
  }
  const std::string stationPath = o.stationKey.empty() ? net::ControlKey::stationPathFor(path) : o.stationKey;
  if (stationPath == path) {
    std::fprintf(stderr, "pavilion director: --station-key must be another file than --key (%s)\n", path.c_str());
    return 2;
  }
  const bool chosen = !o.password.empty();
  const std::string password = chosen ? o.password : net::ControlKey::randomPassword();
  const net::ControlKey key = net::ControlKey::create(path, password, o.force);
  key.writeStationFile(stationPath, o.force);
  std::printf("pavilion director: wrote the operator key file %s (mode 0600): for this director and the operators' machines (pavilion ctl --key)\n", path.c_str());
  std::printf("pavilion director: wrote the station key file %s (mode 0600): copy it to every station as ~/.config/pavilion/pavilion.key (or pavilion station --key FILE); it cannot launch or stop sessions\n", stationPath.c_str());
  makeCertificate(path);
  if (!chosen) std::printf("pavilion director: the operator's dashboard password is %s (shown once; --init --force makes new keys)\n", password.c_str());
  return 0;
}

}  // namespace

void addDirectorCommand(CLI::App& app, DirectorOptions& o) {
  CLI::App* c = app.add_subcommand("director", "Run the pavilion floor: stations, sessions, the operators' dashboard");
  c->add_option("--port", o.port, "Control port for stations and `pavilion ctl` (0: any free port)")->capture_default_str();
  c->add_option("--http", o.http, "Dashboard port (0: any free port)")->capture_default_str();
  c->add_flag("--no-http", o.noHttp, "No dashboard");
  c->add_option("--bind", o.bind, "Address to listen on (0.0.0.0 on the pavilion's network)")->capture_default_str();
  c->add_option("--key", o.key, "The pavilion's key file (default: $XDG_CONFIG_HOME/pavilion/pavilion.key)");
  c->add_option("--state-dir", o.stateDir, "Session records and logs (default: $XDG_STATE_HOME/pavilion)");
  c->add_flag("--init", o.init, "Create the key file (and the operator's password) and exit");
  c->add_option("--password", o.password, "With --init: the operator's dashboard password (default: a random one, printed)");
  c->add_flag("--force", o.force, "With --init: replace existing key files");
  c->add_option("--station-key", o.stationKey, "With --init: where the station key file goes (default: next to --key, <name>.station.key)");
  c->add_option("--max-sessions", o.maxSessions, "Sessions running at once; a launch beyond it is refused")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  c->add_option("--seconds", o.seconds, "Stop after this long (default: until Ctrl-C)")->check(CLI::Range(0.0, 1e7));
  c->add_flag("--json", o.json, "Print the listening ports as one JSON line on stdout");
  c->add_option("--keep-days", o.keepDays, "Remove session logs, records and replays older than this (0: keep; kept replays stay)")
      ->check(CLI::Range(0.0, 36500.0))->capture_default_str();
  c->add_option("--keep-gib", o.keepGiB, "Remove the oldest sessions' files while they hold more than this (0: no limit)")
      ->check(CLI::Range(0.0, 1e6))->capture_default_str();
  addLangOption(*c, o.lang, "The visitors' language on every station unless a station (station --lang) or a launch "
                "(ctl launch --lang) says: zh or en (default: zh)");
  c->add_option("--lobby", o.lobby, "A launch's lobby in seconds before the 3 s start, unless it says (0: neither)")
      ->check(CLI::Range(0.0, director::kMaxLobbySeconds))->capture_default_str();
}

int runDirector(const DirectorOptions& o) {
  if (o.init) return initKey(o);
  if (!o.password.empty() || o.force || !o.stationKey.empty()) {
    std::fprintf(stderr, "pavilion director: --password, --force and --station-key go with --init\n");
    return 2;
  }
  const std::string keyPath = o.key.empty() ? net::ControlKey::defaultPath() : o.key;
  const net::ControlKey key = net::ControlKey::load(keyPath);
  registerAllTitles();
  director::DirectorDesc desc;
  desc.bind = o.bind;
  desc.port = o.port;
  desc.stateDir = o.stateDir.empty() ? defaultStateDir() : o.stateDir;
  desc.program = selfPath();
  desc.maxSessions = o.maxSessions;
  desc.retention = {.keepDays = o.keepDays, .keepGiB = o.keepGiB};
  desc.defaultLang = langOption(o.lang).value_or(core::Lang::Zh);
  desc.lobbySeconds = o.lobby;
  for (const std::string& id : core::titleIds()) desc.titles[id] = core::createTitle(id)->info().maxPlayers;
  director::Director floor(desc, key);
  std::optional<dashboard::Dashboard> web;
  const dashboard::CertificateFiles tls = certificateFor(keyPath);
  if (!o.noHttp)
    web.emplace(floor, key, dashboard::DashboardDesc{.bind = o.bind, .port = o.http, .certificate = tls.certificate,
                                                     .privateKey = tls.privateKey});
  if (web && web->https())
    std::fprintf(stderr, "pavilion director: the dashboard serves HTTPS; its certificate fingerprint (SHA-256) is %s\n",
                 dashboard::fingerprint(tls.certificate).c_str());
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::fprintf(stderr, "pavilion director: control on %s:%u, dashboard %s, state in %s\n", o.bind.c_str(),
               unsigned(floor.port()),
               web ? ("on " + std::string(web->https() ? "https" : "http") + "://" + o.bind + ":" + std::to_string(web->port()) + "/").c_str() : "off",
               desc.stateDir.c_str());
  if (o.json) {
    const nlohmann::ordered_json listening = {
        {"event", "listening"}, {"control", floor.port()}, {"http", web ? web->port() : 0}, {"pid", getpid()}};
    std::printf("%s\n", listening.dump().c_str());
    std::fflush(stdout);
  }
  core::Stopwatch clock;
  while (!gStop && (o.seconds <= 0 || clock.elapsed() < o.seconds)) floor.update(clock.elapsed(), 20);
  std::fprintf(stderr, "pavilion director: stopping; running sessions play on\n");
  return 0;
}

}  // namespace pav::tools
