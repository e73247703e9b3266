// `pavilion play <title>`: runs a title on this machine with bot visitors and prints one line
// of results (a JSON object with --json). Simulation runs at the title's fixed rate as fast
// as the machine allows; --png DIR writes a picture of every simulated second for titles that
// have a presenter (hockey today). An unknown title lists the titles; a bad data file names
// the file and the problem.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "commands.h"
#include "demo_scene.h"
#include "pav/core/error.h"
#include "pav/core/title.h"
#include "pav/cycling/cycling.h"
#include "pav/driving/driving.h"
#include "pav/hockey/hockey.h"
#include "pav/render/render.h"

namespace pav::tools {

void registerAllTitles() {
  static const bool done = [] {
    cycling::registerCyclingTitle();
    driving::registerDrivingTitle();
    hockey::registerHockeyTitle();
    return true;
  }();
  (void)done;
}

void addPlayCommand(CLI::App& app, PlayOptions& o) {
  CLI::App* play = app.add_subcommand("play", "Run a title with bot visitors and print its results");
  play->add_option("title", o.title, "The title: cycling, driving, hockey")->required();
  play->add_option("--bots", o.bots, "Bot visitors (default: as many as the title seats)")->check(CLI::Range(1, 64));
  play->add_option("--seconds", o.seconds, "Simulated seconds at most (default: the title's own length)")
      ->check(CLI::Range(0.0, 86400.0));
  play->add_option("--seed", o.seed, "Seed for everything random in the title")->capture_default_str();
  play->add_option("--skill", o.skill, "Bot skill: 0 easy, 1 medium, 2 hard")->check(CLI::Range(0, 2))->capture_default_str();
  play->add_option("--data", o.dataDir, "Folder with the titles' data files (default: assets/)");
  play->add_flag("--headless", o.headless, "No window (the only mode until stations have presenters)");
  play->add_option("--png", o.pngDir, "Write a picture every simulated second into this folder");
  play->add_flag("--json", o.json, "Print the results line as a JSON object");
  addRenderOptions(*play, o.render);
}

namespace {

// Pictures of a hockey match: the demo room with the pieces where the match has them.
class HockeyPictures {
 public:
  HockeyPictures(const RenderOptions& options, std::string dir)
      : context_(contextDesc(options)), renderer_(context_, {0, options.shaderDir}),
        target_(context_, {960, 540, 1}), meshes_(demo::loadDemoMeshes(renderer_)), dir_(std::move(dir)) {}

  void shoot(const core::Title& title, int second) {
    const hockey::PuckState puck = hockey::puckOf(title);
    demo::TablePieces pieces;
    pieces.puck = puck.position;
    for (int seat = 0; seat < 2; ++seat) pieces.mallets[seat] = hockey::malletOf(title, seat);
    demo::buildTableScene(meshes_, pieces, scene_);
    const render::View view = demo::demoMonoView(960.0f / 540.0f);
    const auto pictures = renderer_.capture(target_, scene_, {&view, 1});
    char name[64];
    std::snprintf(name, sizeof name, "hockey-%04d.png", second);
    render::writePng((std::filesystem::path(dir_) / name).string(), pictures.at(0));
    ++written_;
  }
  int written() const { return written_; }

 private:
  render::Context context_;
  render::Renderer renderer_;
  render::OffscreenTarget target_;
  demo::DemoMeshes meshes_;
  render::Scene scene_;
  std::string dir_;
  int written_ = 0;
};

}  // namespace

int runPlay(const PlayOptions& o) {
  registerAllTitles();
  std::unique_ptr<core::Title> title = core::createTitle(o.title);
  if (!title) {
    std::string list;
    for (const std::string& id : core::titleIds()) list += (list.empty() ? "" : ", ") + id;
    std::fprintf(stderr, "pavilion play: unknown title '%s' (titles: %s)\n", o.title.c_str(), list.c_str());
    return 2;
  }
  const core::TitleInfo& info = title->info();
  const int players = o.bots > 0 ? o.bots : info.maxPlayers;
  if (players > info.maxPlayers) {
    std::fprintf(stderr, "pavilion play: %.*s seats at most %d visitors; --bots %d is too many\n",
                 static_cast<int>(info.id.size()), info.id.data(), info.maxPlayers, players);
    return 2;
  }
  if (!o.pngDir.empty() && info.id != "hockey") {
    std::fprintf(stderr, "pavilion play: --png draws hockey only for now; %.*s has no presenter yet\n",
                 static_cast<int>(info.id.size()), info.id.data());
    return 2;
  }
  title->setup({.players = players, .seed = o.seed, .skill = o.skill, .dataDir = o.dataDir,
                .durationSeconds = o.seconds});

  std::unique_ptr<HockeyPictures> pictures;
  if (!o.pngDir.empty()) pictures = std::make_unique<HockeyPictures>(o.render, o.pngDir);
  std::fprintf(stderr, "pavilion play: %.*s, %d bot(s), seed %llu, headless%s\n",
               static_cast<int>(info.name.size()), info.name.data(), players,
               static_cast<unsigned long long>(o.seed), pictures ? ", pictures every second" : "");

  std::vector<core::InputFrame> inputs(static_cast<size_t>(players));
  const auto ticksPerSecond = static_cast<uint64_t>(std::llround(info.tickRateHz));
  // The title's own end (race finished, match won) or the time limit, whichever comes first;
  // titles without a natural end stop at --seconds, or after two hours.
  const double limit = o.seconds > 0 ? o.seconds : 7200.0;
  const auto maxTicks = static_cast<uint64_t>(limit * info.tickRateHz);
  while (!title->finished() && title->tick() < maxTicks) {
    for (int p = 0; p < players; ++p) title->botInput(p, inputs[static_cast<size_t>(p)]);
    title->step(inputs);
    if (pictures && title->tick() % ticksPerSecond == 0)
      pictures->shoot(*title, static_cast<int>(title->tick() / ticksPerSecond));
  }
  std::printf("%s\n", title->results(o.json).c_str());
  if (pictures)
    std::fprintf(stderr, "pavilion play: %d picture(s) in %s\n", pictures->written(),
                 std::filesystem::absolute(o.pngDir).c_str());
  return 0;
}

}  // namespace pav::tools
