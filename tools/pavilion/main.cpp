// pavilion: the engine's one program. Subcommands grow with the issues: `demo`, `play`,
// `server`, `station`, `director`, `ctl`, `replay`, `soak`, `robot-eval`, `wheels` and `trainers`. Exit codes: 0 ok, 1 start-up error, 2 bad command line,
// 3 the run worked but the validation layer reported problems,
// 4 a soak missed a target.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "commands.h"
#include "pav/core/error.h"
#include "pav/core/log.h"

int main(int argc, char** argv) {
  pav::log::initFromEnvironment();
  CLI::App app{"pavilion: the Pavilion engine (render, titles, networked stations)", "pavilion"};
  app.require_subcommand(1, 1);
  app.set_version_flag("--version", "pavilion 0.1.0");
  std::string logLevel;
  app.add_option("--log", logLevel, "Log level: trace, debug, info, warn, error, off")
      ->check([](const std::string& v) {
        pav::log::Level l;
        return pav::log::parseLevel(v, l) ? std::string() : "not a log level: " + v;
      });

  pav::tools::DemoOptions demo;
  pav::tools::addDemoCommand(app, demo);
  pav::tools::PlayOptions play;
  pav::tools::addPlayCommand(app, play);
  pav::tools::ServerOptions server;
  pav::tools::addServerCommand(app, server);
  pav::tools::StationOptions station;
  pav::tools::addStationCommand(app, station);
  pav::tools::DirectorOptions director;
  pav::tools::addDirectorCommand(app, director);
  pav::tools::CtlOptions ctl;
  pav::tools::addCtlCommand(app, ctl);
  pav::tools::ReplayOptions replay;
  pav::tools::addReplayCommand(app, replay);
  pav::tools::NewTitleOptions newTitle;
  pav::tools::addNewTitleCommand(app, newTitle);
  pav::tools::SoakOptions soak;
  pav::tools::addSoakCommand(app, soak);
  pav::tools::RobotEvalOptions robotEval;
  pav::tools::addRobotEvalCommand(app, robotEval);
  pav::tools::WheelsOptions wheels;
  pav::tools::addWheelsCommand(app, wheels);
  pav::tools::TrainersOptions trainers;
  pav::tools::addTrainersCommand(app, trainers);

  // CLI11 reports an unknown command word only as "a subcommand is required"; name it.
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--log") {
      ++i;  // skip its value
      continue;
    }
    if (word.empty() || word[0] == '-') continue;
    const auto commands = app.get_subcommands([&](const CLI::App* c) { return c->check_name(word); });
    if (commands.empty()) {
      std::fprintf(stderr, "pavilion: unknown command '%s' (commands: demo, play, server, station, director, ctl, replay, new-title, soak, robot-eval, wheels, trainers)\nRun with --help for more information.\n",
                   word.c_str());
      return 2;
    }
    break;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  pav::log::Level level;
  if (!logLevel.empty() && pav::log::parseLevel(logLevel, level)) pav::log::setLevel(level);

  try {
    if (app.got_subcommand("demo")) return pav::tools::runDemo(demo);
    if (app.got_subcommand("play")) return pav::tools::runPlay(play);
    if (app.got_subcommand("server")) return pav::tools::runServer(server);
    if (app.got_subcommand("station")) return pav::tools::runStation(station);
    if (app.got_subcommand("director")) return pav::tools::runDirector(director);
    if (app.got_subcommand("ctl")) return pav::tools::runCtl(ctl);
    if (app.got_subcommand("replay")) return pav::tools::runReplay(replay);
    if (app.got_subcommand("new-title")) return pav::tools::runNewTitle(newTitle);
    if (app.got_subcommand("soak")) return pav::tools::runSoak(soak);
    if (app.got_subcommand("robot-eval")) return pav::tools::runRobotEval(robotEval);
    if (app.got_subcommand("wheels")) return pav::tools::runWheels(wheels);
    if (app.got_subcommand("trainers")) return pav::tools::runTrainers(trainers);
  } catch (const pav::Error& e) {
    std::fprintf(stderr, "pavilion: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pavilion: unexpected error: %s\n", e.what());
    return 1;
  }
  return 0;
}
