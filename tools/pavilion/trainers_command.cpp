// `pavilion trainers`: the smart trainers (and power meters, heart rate straps) in range, as
// BlueZ discovers them; and the --trainer/--feel/--erg flags `play` and `station` share.
#include <CLI/CLI.hpp>

#include <cctype>
#include <cstdio>
#include <string>

#include "commands.h"
#include "pav/trainer/link.h"

namespace pav::tools {

void addTrainerOptions(CLI::App& command, TrainerOptions& o, const char* defaultTrainer) {
  o.trainer = defaultTrainer;
  command.add_option("--trainer", o.trainer,
                     std::string("The visitor's smart trainer (Bluetooth FTMS) when the title asks for one: auto (the first "
                                 "found), its address (pavilion trainers lists them) or none (default: ") +
                         defaultTrainer + ")")
      ->check([](const std::string& v) {
        if (v == "auto" || v == "none") return std::string();
        // AA:BB:CC:DD:EE:FF
        bool ok = v.size() == 17;
        for (size_t i = 0; ok && i < v.size(); ++i)
          ok = i % 3 == 2 ? v[i] == ':' : std::isxdigit(static_cast<unsigned char>(v[i])) != 0;
        return ok ? std::string() : "not auto, none or a Bluetooth address AA:BB:CC:DD:EE:FF: " + v;
      })
      ->each([&o](const std::string&) { o.given = true; });
  command.add_option("--feel", o.feel,
                     "How the route's grade reaches the legs: expo (half the climbs, a quarter of the descents, at most "
                     "8 %; expo:0.6 sends 60 % of the climbs) or real (default: expo)")
      ->check([](const std::string& v) {
        trainer::Feel f;
        return trainer::parseFeel(v, f) ? std::string() : "not expo, expo:SHARE (0..1] or real: " + v;
      });
  command.add_option("--erg", o.ergWatts, "ERG mode: the trainer holds this power whatever the road (default: off)")
      ->check(CLI::Range(0.0, 2000.0));
}

void addTrainersCommand(CLI::App& app, TrainersOptions& o) {
  CLI::App* c = app.add_subcommand("trainers", "List the smart trainers, power meters and heart rate straps in range");
  c->add_option("--seconds", o.seconds, "How long to listen (default: 5)")->check(CLI::Range(0.1, 120.0));
}

int runTrainers(const TrainersOptions& o) {
  std::string why;
  const std::vector<trainer::FoundDevice> found = trainer::scanTrainers(o.seconds, why);
  if (!why.empty()) {
    std::fprintf(stderr, "pavilion trainers: %s\n", why.c_str());
    return 1;
  }
  if (found.empty()) std::fprintf(stderr, "pavilion trainers: nothing in range after %.1f s\n", o.seconds);
  for (const trainer::FoundDevice& d : found) {
    std::string services;
    for (uint16_t s : d.services) {
      const char* name = s == trainer::kFitnessMachineService ? "fitness machine"
                         : s == trainer::kCyclingPowerService ? "cycling power"
                                                              : "heart rate";
      (services += services.empty() ? "" : ", ") += name;
    }
    char rssi[24] = "RSSI ?";
    if (d.hasRssi) std::snprintf(rssi, sizeof rssi, "RSSI %d dBm", d.rssi);
    std::printf("%-28s %s  %s  (%s)\n", d.name.empty() ? "(no name)" : d.name.c_str(), d.address.c_str(), rssi,
                services.c_str());
  }
  return 0;
}

}  // namespace pav::tools
