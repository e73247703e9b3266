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
  std::string pngDir;
  bool json = false;
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
  std::string dataDir;
  bool json = false;
};
void addServerCommand(CLI::App& app, ServerOptions& options);
int runServer(const ServerOptions& options);

struct StationOptions {
  RenderOptions render;
  std::string connect;    // HOST:PORT
  std::string title;      // empty: whatever the server plays
  bool bot = false;
  bool headless = false;
  std::string pngDir;
  double seconds = 0;     // 0: until the session ends
  bool json = false;
  uint32_t resume = 0;    // a seat token from an earlier run of this station
  bool noPredict = false;
  bool noXr = false;      // --no-xr: never the headset, even when a runtime is present
  std::string dataDir;
};
void addStationCommand(CLI::App& app, StationOptions& options);
int runStation(const StationOptions& options);

// The whole local pavilion: a server and two bot stations as separate processes over
// loopback, a picture per station and a summary in `outDir`. Returns the exit code.
int runLocalPavilion(const std::string& program, const std::string& outDir, double seconds);
void registerAllTitles();

}  // namespace pav::tools
