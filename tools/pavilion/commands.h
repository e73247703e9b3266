// The `pavilion` command line: one function per subcommand, each returning the exit code.
// main.cpp wires them into CLI11; bad flags are CLI11's to report, start-up failures are
// pav::Error exceptions that main turns into one "pavilion: error: ..." line and exit 1.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pav/render/context.h"

namespace CLI {
class App;
class Validator;
}

namespace pav::net {
class ControlKey;
}

namespace pav::tools {

// Options every rendering subcommand shares.
struct RenderOptions {
  bool validation = false;   // --validation: the Khronos layer on (PAV_VALIDATION=1 also)
  std::string shaderDir;     // --shader-dir: where lit.vert.spv / lit.frag.spv live
  std::string device;        // --device: prefer a device whose name contains this
  bool hotReload = false;    // shader hot reload in a window (`play` turns it on unless --no-hot-reload)
  std::string shaderSource;  // --shader-src: the GLSL it watches (empty: the source tree's shaders/)
  std::vector<std::string> fonts;  // --font: the visitor's text in these files, in order (empty: fontconfig)
  uint32_t msaa = 4;  // --msaa: samples per pixel on every target (1: off); a device without them gets its largest
};
void addRenderOptions(CLI::App& command, RenderOptions& options);
// --skill's check: a name (core::kSkillList) or its number, turned into the number; anything
// else is refused with the list of valid ones.
CLI::Validator skillValidator();
// --assists's check: a preset's name (core::kAssistList) or its number, turned into the number;
// anything else is refused with the list of valid ones.
CLI::Validator assistsValidator();
render::ContextDesc contextDesc(const RenderOptions& options);

// What the visitor hears (station_sound.h): --audio-wav FILE (play, replay), --audio-device NAME
// (play, station).
struct AudioOptions {
  std::string wav;     // the mix into a 48 kHz stereo WAV through the loopback device (no device opened)
  std::string device;  // an OpenAL output device (empty: the system's default)
};

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

// The smart trainer a visitor rides (a title that asks for one, core::kDeviceTrainer):
// --trainer auto|ADDRESS|none, --feel expo[:SHARE]|real, --erg WATTS (trainers_command.cpp).
struct TrainerOptions {
  std::string trainer = "none";  // "auto": the first found; an address; "none"
  std::string feel = "expo";     // pav::trainer::parseFeel
  double ergWatts = 0;           // > 0: ERG mode at this power (an operator's choice)
  bool given = false;            // --trainer was on the command line
};
void addTrainerOptions(CLI::App& command, TrainerOptions& options, const char* defaultTrainer);

// `pavilion trainers`: what is in range (name, address, services, signal).
struct TrainersOptions {
  double seconds = 5;
};
void addTrainersCommand(CLI::App& app, TrainersOptions& options);
int runTrainers(const TrainersOptions& options);

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
  std::string lang;      // --lang zh|en: the visitor's language ("": zh)
  bool noStart = false;  // --no-start: no 3-2-1 start before the first tick (a window or pictures have one)
  int ffbStrength = 100;  // --ffb-strength 0..100: the wheel's force feedback
  int vignette = 100;     // --vignette 0..100: the comfort vignette's strength
  int assists = 2;        // --assists: the driving aids (core::kAssistsExpo: a station's default)
  std::string motionOut;  // --motion-out HOST:PORT: seat 0's motion as OutSim packets
  AudioOptions audio;    // heard where a visitor watches (a window, a headset) or into --audio-wav
  TrainerOptions trainer; // --trainer ...: seat 0 rides it (default none)
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
  int assists = 2;        // --assists: the driving aids (core::kAssistsExpo: what stations get)
  double snapshotHz = 60;
  std::string netsim;     // a network conditioner profile in front of the port
  int dscp = 46;          // --dscp: the QoS mark of the session's datagrams (-1: none)
  double budgetKbps = 0;  // --budget-kbps: each station's downlink budget (0: estimated from its link)
  std::string record;     // --record FILE: the session's replay
  std::string dataDir;
  std::string sessionKey;   // --session-key FILE: the director's key for this session (no tokens printed)
  double tokenMinutes = 60;  // standalone: the printed tokens admit stations this long after the session's length
  double lobby = 5;       // --lobby: seconds of lobby, then the 3 s start (0: neither, play at once)
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
  int dscp = 46;          // --dscp: the QoS mark of the station's datagrams (-1: none)
  std::string lang;       // --lang zh|en: this station's visitors' language ("": the director's default, else zh)
  int ffbStrength = 100;  // --ffb-strength 0..100: the wheel's force feedback at this station
  int vignette = 100;     // --vignette 0..100: the comfort vignette's strength at this station
  std::string motionOut;  // --motion-out HOST:PORT: the seat's motion as OutSim packets (a motion seat)
  AudioOptions audio;     // --audio-device; heard where a visitor watches (a window, a headset)
  TrainerOptions trainer; // --trainer ...: a visitor's trainer (default auto, when the title asks for one)
  double headsetOffSeconds = 30;  // --headset-off-seconds: a headset off this long leaves the session (the bot keeps the seat)
};

// `pavilion wheels`: the driving devices plugged in and their saved calibrations;
// --calibrate walks a person through calibrating one and saves it.
struct WheelsOptions {
  bool calibrate = false;
  double wait = 10;        // seconds to wait for a device
  std::string file;        // default: platform::calibrationPath()
};
void addWheelsCommand(CLI::App& app, WheelsOptions& options);
int runWheels(const WheelsOptions& options);

// --ffb-strength and --motion-out, shared by `station` and `play`.
void addSeatOptions(CLI::App& command, int& ffbStrength, std::string& motionOut, int& vignette);
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
  std::string stationKey; // with --init: the station key file (default: ControlKey::stationPathFor(key))
  int maxSessions = 16;   // sessions running at once (DirectorDesc::maxSessions)
  double seconds = 0;
  bool json = false;
  double keepDays = 14;   // retention of <stateDir>/sessions (0: no limit)
  double keepGiB = 20;
  std::string lang = "zh";  // --lang: the visitors' language on every station unless a station or a launch says
  double lobby = 10;        // --lobby: a launch's lobby unless it says (ctl launch --lobby)
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
  std::string lang;       // launch --lang zh|en ("": the station's, else the director's default)
  double lobby = -1;      // launch --lobby SECONDS (< 0: the director's --lobby)
  double budgetKbps = 0;  // launch --budget-kbps: each station's downlink budget (0: estimated from its link)
  std::string target;     // stop: a session or a station; logs: a station; keep: a session
  std::string keepName;   // keep --name
  int volume = -1;        // volume STATION LEVEL (0..100; < 0: not given)
  bool mute = false, unmute = false;  // volume --mute / --unmute
  std::string day;        // report --day YYYY-MM-DD ("": today)
  bool csv = false;       // report --csv
  std::string moveTo;     // move STATION --to STATION
  std::string viewOut;    // view --out FILE.jpg
  double viewWait = 15;   // view --wait SECONDS for a picture
  bool viewFast = false;  // view --fast: a picture a second while watched
  bool alertsAll = false; // alerts --all: the acknowledged ones too
  const CLI::App* command = nullptr;  // `ctl` itself, to see which of its commands was given
};
void addCtlCommand(CLI::App& app, CtlOptions& options);
int runCtl(const CtlOptions& options);
// ctl_ops.cpp: `ctl view`, `ctl alerts`, `ctl ack` (issue 20).
void addCtlOpsCommands(CLI::App& ctl, CtlOptions& options);
bool isCtlOpsCommand(const std::string& command);
int runCtlOps(const CtlOptions& options, const std::string& command, const std::string& host, uint16_t port,
              const net::ControlKey& key);

struct ReplayOptions {
  RenderOptions render;
  std::string file;
  std::string pngDir;
  double every = 1.0;     // seconds of session time between pictures
  std::string dataDir;
  bool json = false;
  AudioOptions audio;     // --audio-wav OUT: the session heard from seat 0
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

// `pavilion robot-eval`: the hockey robot measured (defend, hit, prepare, matches against the
// visitor model, compute per step); see robot_eval_command.cpp.
struct RobotEvalOptions {
  int episodes = 100;
  std::string skill;  // "": hard for the tasks, every difficulty for the matches
  uint64_t seed = 1;
  bool json = false;
};
void addRobotEvalCommand(CLI::App& app, RobotEvalOptions& options);
int runRobotEval(const RobotEvalOptions& options);

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
