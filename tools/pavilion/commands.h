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
  std::string pngDir;
  bool json = false;
};
void addPlayCommand(CLI::App& app, PlayOptions& options);
int runPlay(const PlayOptions& options);
void registerAllTitles();

}  // namespace pav::tools
