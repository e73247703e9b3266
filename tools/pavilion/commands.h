// The `pavilion` command line: one function per subcommand, each returning the exit code.
// main.cpp wires them into CLI11; bad flags are CLI11's to report, start-up failures are
// pav::Error exceptions that main turns into one "pavilion: error: ..." line and exit 1.
#pragma once

#include <cstdint>
#include <string>

#include "pav/render/context.h"

namespace CLI {
class App;
}

namespace pav::tools {

// Options every rendering subcommand shares.
struct RenderOptions {
  bool validation = false;   // --validation: the Khronos layer on (PAV_VALIDATION=1 also)
  std::string shaderDir;     // --shader-dir: where lit.vert.spv / lit.frag.spv live
  std::string device;        // --device: prefer a device whose name contains this
  bool hotReload = false;    // shader hot reload in a window (`play` turns it on unless --no-hot-reload)
  std::string shaderSource;  // --shader-src: the GLSL it watches (empty: the source tree's shaders/)
};
void addRenderOptions(CLI::App& command, RenderOptions& options);
render::ContextDesc contextDesc(const RenderOptions& options);

struct DemoOptions {
  RenderOptions render;
  std::string out = "build/demo";
  unsigned width = 1280, height = 720;  // mono picture
  unsigned eyeSize = 960;               // stereo, per eye (square)
  bool window = false;                  // also show the scene in a window
  double seconds = 5.0;                 // how long the window stays up
  double pavilionSeconds = 20.0;        // then the local pavilion for this long (0: skip)
};
void addDemoCommand(CLI::App& app, DemoOptions& options);
int runDemo(const DemoOptions& options);

struct PlayOptions {
  RenderOptions render;
  std::string title;
  int bots = 0;          // 0: as many as the title seats
  double seconds = 0;    // 0: the title's own length
  uint64_t seed = 1;
  int skill = 1;
  std::string dataDir;
  bool headless = false;
  bool xr = false;       // --xr: the visitor plays seat 0 in a headset when a runtime is present
  bool noHotReload = false;  // --no-hot-reload: a window does not watch the shaders' GLSL
  std::string record;    // --record FILE: a replay of the run
  std::string pngDir;
  bool json = false;
  double countdown = -1; // --countdown (hidden): the time-up notice from the start, this many
                         // seconds left, counting down with the simulated time; < 0: none
};
void addPlayCommand(CLI::App& app, PlayOptions& options);
int runPlay(const PlayOptions& options);

struct ServerOptions {
  std::string title;
  uint16_t port = 7777;
  std::string bind = "127.0.0.1";
  int maxStations = 8;
  int players = 0;        // 0: as many as the title seats
  double seconds = 0;     // 0: the title's own length
  uint64_t seed = 1;
  int skill = 1;
  double snapshotHz = 60;
  std::string netsim;     // a network conditioner profile in front of the port
  std::string record;     // --record FILE: the session's replay
  std::string dataDir;
  std::string sessionKey;   // --session-key FILE: the director's key for this session (no tokens printed)
  double tokenMinutes = 60;  // standalone: the printed tokens admit stations this long after the session's length
  bool json = false;
};
void addServerCommand(CLI::App& app, ServerOptions& options);
int runServer(const ServerOptions& options);

struct StationOptions {
  RenderOptions render;
  std::string connect;    // HOST:PORT of a session server
  std::string director;   // HOST:PORT of the director: a station agent
  std::string name;       // the station's name on the floor (agent)
  std::string key;        // the pavilion's key file (agent)
  int sessions = 0;       // agent: leave after this many sessions (0: never)
  std::string title;      // empty: whatever the server plays
  bool bot = false;
  bool headless = false;
  std::string pngDir;
  double seconds = 0;     // 0: until the session ends
  bool json = false;
  uint64_t resume = 0;    // a seat token from an earlier run of this station
  std::string token;      // --token HEX: the seat's connect token (a server or director issued it)
  bool noPredict = false;
  bool noXr = false;      // --no-xr: never the headset, even when a runtime is present
  std::string dataDir;
  std::string netProfile; // --net-profile: the conditioner between this station and its session
                          // servers (servers on this machine only), as the soak's bad links
};
void addStationCommand(CLI::App& app, StationOptions& options);
int runStation(const StationOptions& options);

struct DirectorOptions {
  uint16_t port = 7700;
  uint16_t http = 7780;
  bool noHttp = false;
  std::string bind = "127.0.0.1";
  std::string key;        // default: ControlKey::defaultPath()
  std::string stateDir;   // default: $XDG_STATE_HOME/pavilion
  bool init = false;      // --init: write the key file and exit
  std::string password;   // with --init
  bool force = false;     // with --init: replace an existing key
  double seconds = 0;
  bool json = false;
  double keepDays = 14;   // retention of <stateDir>/sessions (0: no limit)
  double keepGiB = 20;
};
void addDirectorCommand(CLI::App& app, DirectorOptions& options);
int runDirector(const DirectorOptions& options);

struct CtlOptions {
  std::string director;   // HOST:PORT (default: $PAVILION_DIRECTOR or 127.0.0.1:7700)
  std::string key;
  bool json = false;
  std::string title;      // launch
  std::string stations;   // launch: "3,4" or names
  double minutes = 5;     // launch
  std::string difficulty = "medium";
  std::string target;     // stop: a session or a station; logs: a station; keep: a session
  std::string keepName;   // keep --name
  const CLI::App* command = nullptr;  // `ctl` itself, to see which of its commands was given
};
void addCtlCommand(CLI::App& app, CtlOptions& options);
int runCtl(const CtlOptions& options);

struct ReplayOptions {
  RenderOptions render;
  std::string file;
  std::string pngDir;
  double every = 1.0;     // seconds of session time between pictures
  std::string dataDir;
  bool json = false;
};
void addReplayCommand(CLI::App& app, ReplayOptions& options);
int runReplay(const ReplayOptions& options);

// `pavilion soak`: a director and 8 bot stations as processes, sessions back to back under faults
// (stations killed, the director restarted, links on `bad`); reports losses, replays, memory,
// descriptors and zombies. Exit 4 when a target is missed.
struct SoakOptions {
  double minutes = 30;    // of sessions under faults, after the warm-up
  bool json = false;
  std::string stateDir;   // --state: the soak's folder (default: a new temporary one)
  uint64_t seed = 1;
};
void addSoakCommand(CLI::App& app, SoakOptions& options);
int runSoak(const SoakOptions& options);

// `pavilion new-title <name>`: writes games/<name>/ and tests/<name>/ from built-in templates.
struct NewTitleOptions {
  std::string name;
  std::string root;  // the source tree (default: found from the current folder)
};
void addNewTitleCommand(CLI::App& app, NewTitleOptions& options);
int runNewTitle(const NewTitleOptions& options);

// The whole local pavilion: a server and two bot stations as separate processes over
// loopback, a picture per station and a summary in `outDir`. Returns the exit code.
int runLocalPavilion(const std::string& program, const std::string& outDir, double seconds);
void registerAllTitles();
// The title argument's help: "The title's id (balloons, ..., or one made with new-title)",
// from the titles this build found.
std::string titleArgumentHelp();

}  // namespace pav::tools
