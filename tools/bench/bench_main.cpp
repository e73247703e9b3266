// pavilion-bench: Google Benchmark's console table, then the ratios the issue sets goals for
// (engine/raw per draw <= 1.5x, stereo/mono <= 1.15x), computed from the same run so they are
// never compared across machines or sessions by hand; then the network's figures and goals
// (bench_support.h: snapshot bandwidth per codec stage and per title, latency, server load).
//
//   pavilion-bench [--benchmark_min_time=0.5] [--benchmark_filter=...]
//   pavilion-bench --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true
//
// The second form is the one to trust on a busy or CPU-only machine: interleaving puts the
// engine and raw repetitions side by side in time, and with repetitions the ratios use each
// benchmark's median. A --benchmark_out file gets the usual JSON or CSV; the ratio lines go to
// the console only.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <ostream>
#include <string>

#include "bench_support.h"
#include "bench_world.h"

namespace pav::bench {
namespace {

struct Timing {
  double cpuNs = 0, realNs = 0;
  bool fromMedian = false;
  double rateHz = 0;          // title ticks: the title's tick rate
  double allocsPerTick = -1;  // title ticks: heap allocations per tick
  std::map<std::string, double> counters;  // every counter, for the network report
};

// A console reporter that also remembers every benchmark's time and, once all have run,
// prints the ratio lines under the table.
class RatioReporter final : public benchmark::ConsoleReporter {
 public:
  explicit RatioReporter(OutputOptions options) : ConsoleReporter(options) {}

  bool ReportContext(const Context& context) override {
    const bool ok = ConsoleReporter::ReportContext(context);
    GetOutputStream() << "Times are per frame. CPU = this thread's CPU time (recording and\n"
                         "submitting); Time = wall clock, which also waits for lavapipe to\n"
                         "execute frames when it falls behind (two frames in flight).\n"
                         "Network: BM_*Snapshot times one encode; BM_*Latency's Time is the p50 latency;\n"
                         "BM_ServerLoad's Time is the server threads' CPU a snapshot tick, every session.\n";
    return ok;
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (run.run_type == Run::RT_Aggregate && !median) continue;
      Timing& t = timings_[run.run_name.str()];
      // A median beats single repetitions; among single runs the last one stands.
      if (t.fromMedian && !median) continue;
      const double toNs = 1e9 / benchmark::GetTimeUnitMultiplier(run.time_unit);
      t.cpuNs = run.GetAdjustedCPUTime() * toNs;
      t.realNs = run.GetAdjustedRealTime() * toNs;
      t.fromMedian = median;
      if (const auto rate = run.counters.find("rate_hz"); rate != run.counters.end()) t.rateHz = rate->second.value;
      if (const auto a = run.counters.find("allocs_per_tick"); a != run.counters.end()) t.allocsPerTick = a->second.value;
      for (const auto& [name, counter] : run.counters) t.counters[name] = counter.value;
    }
  }

  void Finalize() override {
    std::ostream& out = GetOutputStream();
    out << "\n" << BenchWorld::describe() << "\n";
    out << "Ratios (from this run; goals apply to CPU time, real time shown alongside):\n";
    drawRatio(out, 1000, "1,000");
    drawRatio(out, 10000, "10,000");
    ratioLine(out, "stereo/mono, demo scene", find("BM_StereoDemoScene"), find("BM_MonoDemoScene"),
              1.15);
    ratioLine(out, "physics wrapper/raw Bullet", find("BM_PhysicsWrapperStep"), find("BM_RawBulletStep"), 1.1);
    // A station's drawing work a frame (driving, four cars): from the state it receives, against
    // the old way through a second simulated title (station_bench.cpp).
    ratioLine(out, "station frame state/2nd sim", find("BM_StationFrameDriving"), find("BM_StationFrameDrivingSecondSim"),
              1.0);
    ratioLine(out, "demo scene + HUD/without", find("BM_DemoSceneWithHud"), find("BM_DemoSceneNoHud"), 1.5);
    for (const char* title : {"hockey", "driving", "cycling", "balloons"})
      ratioLine(out, std::string(title) + " + HUD/its scene", find(std::string("BM_TitleFrame/") + title + "_hud"),
                find(std::string("BM_TitleFrame/") + title + "_scene"), 1.5);
    if (const Timing* atlas = find("BM_AtlasBuildCommonGlyphs")) {
      char line[200];
      std::snprintf(line, sizeof line, "  atlas, common glyph set    %.1f ms for %.0f glyphs (%.1f us a glyph)\n",
                    atlas->realNs / 1e6, atlas->counters.count("glyphs") ? atlas->counters.at("glyphs") : 0.0,
                    atlas->counters.count("glyphs") && atlas->counters.at("glyphs") > 0
                        ? atlas->realNs / 1e3 / atlas->counters.at("glyphs")
                        : 0.0);
      out << line;
    }
    out << "Feature costs (each against the same scene without it, this run; real time, no goal):\n";
    costLine(out, "PBR with textures", find("BM_PbrTexturedScene"), find("BM_PbrUntexturedScene"));
    // feature_bench.cpp: both pairs' baseline (1x, no shadows) share a name; the later one stands.
    costLine(out, "MSAA 4x", find("BM_DemoFeature/4/0/real_time"), find("BM_DemoFeature/1/0/real_time"));
    costLine(out, "shadows, 3 cascades", find("BM_DemoFeature/1/3/real_time"), find("BM_DemoFeature/1/0/real_time"));
    out << "Titles (one tick with every seat a bot, at the title's rate):\n";
    for (const auto& [name, t] : timings_) {
      if (t.rateHz <= 0) continue;
      char line[200];
      std::snprintf(line, sizeof line,
                    "  %-26s %8.2f us CPU a tick x %4.0f Hz = %.4f %% of one core; %.3g allocations a tick (goal 0)\n",
                    name.c_str(), t.cpuNs / 1000.0, t.rateHz, t.cpuNs * t.rateHz / 1e9 * 100.0, t.allocsPerTick);
      out << line;
    }
    out << "Audio (a title's sounds and OpenAL Soft's mix of a 90 Hz frame, loopback, HRTF):\n";
    for (const auto& [name, t] : timings_) {
      const auto hz = t.counters.find("audio_frame_hz");
      if (hz == t.counters.end() || hz->second <= 0) continue;
      const double period = t.counters.count("period_frames") ? t.counters.at("period_frames") : 0;
      const double rate = t.counters.count("sample_rate") ? t.counters.at("sample_rate") : 48000;
      char line[240];
      std::snprintf(line, sizeof line,
                    "  %-26s %8.1f us CPU a frame = %.2f %% of a %.0f Hz frame (of one core), %.0f voices; "
                    "cue to output: one period, %.0f frames = %.1f ms\n",
                    name.c_str(), t.cpuNs / 1000.0, t.cpuNs * hz->second / 1e9 * 100.0, hz->second,
                    t.counters.count("voices") ? t.counters.at("voices") : 0.0, period, period / rate * 1000.0);
      out << line;
    }
    RunCounters network;
    for (const auto& [name, t] : timings_) {
      network[name] = t.counters;
      network[name]["cpu_ns"] = t.cpuNs;
      network[name]["real_ns"] = t.realNs;
    }
    reportNetwork(out, network);
    if (BenchWorld::onCpuDevice()) {
      // Seen on a 2-core VM: single runs of the same pair differ by 20% or more.
      out << "  note: on a CPU device the driver's rasteriser threads share the cores with this\n"
             "  thread, so CPU ratios move with their load; for decisions use\n"
             "  --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true (medians).\n";
    }
    out.flush();
  }

 private:
  const Timing* find(const std::string& name) const {
    const auto it = timings_.find(name);
    return it == timings_.end() ? nullptr : &it->second;
  }

  void drawRatio(std::ostream& out, int draws, const char* label) {
    // Appended rather than "/" + to_string(...), which trips GCC 12's false -Wrestrict.
    std::string suffix = "/";
    suffix += std::to_string(draws);
    const Timing* engine = find("BM_EngineDraws" + suffix);
    const Timing* raw = find("BM_RawVulkanDraws" + suffix);
    ratioLine(out, std::string("engine/raw, ") + label + " draws", engine, raw, 1.5);
    if (engine && raw) {
      char line[160];
      std::snprintf(line, sizeof line, "      per draw: engine %.1f ns CPU, raw %.1f ns CPU\n",
                    engine->cpuNs / draws, raw->cpuNs / draws);
      out << line;
    }
  }

  // A feature's cost: its scene's time over the same scene's without it.
  void costLine(std::ostream& out, const std::string& what, const Timing* with, const Timing* without) {
    char line[200];
    if (!with || !without || without->realNs <= 0 || without->cpuNs <= 0)
      std::snprintf(line, sizeof line, "  %-26s n/a (a benchmark was filtered out or failed)\n", what.c_str());
    else
      std::snprintf(line, sizeof line, "  %-26s real %5.2fx   CPU %5.2fx   (%.0f vs %.0f us a frame)\n", what.c_str(),
                    with->realNs / without->realNs, with->cpuNs / without->cpuNs, with->realNs / 1e3,
                    without->realNs / 1e3);
    out << line;
  }

  void ratioLine(std::ostream& out, const std::string& what, const Timing* a, const Timing* b,
                 double goal) {
    char line[200];
    if (!a || !b || b->cpuNs <= 0 || b->realNs <= 0) {
      std::snprintf(line, sizeof line, "  %-26s n/a (a benchmark was filtered out or failed)   goal <= %.2fx\n",
                    what.c_str(), goal);
      out << line;
      return;
    }
    const double cpu = a->cpuNs / b->cpuNs, real = a->realNs / b->realNs;
    const bool met = cpu <= goal;
    std::snprintf(line, sizeof line, "  %-26s CPU %5.2fx   real %5.2fx   goal <= %.2fx  %s\n",
                  what.c_str(), cpu, real, goal, met ? "met" : "MISSED");
    out << line;
  }

  std::map<std::string, Timing> timings_;
};

}  // namespace
}  // namespace pav::bench

int main(int argc, char** argv) {
  using pav::bench::BenchWorld;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // Colour only on a terminal, so redirected output and CI logs stay plain text.
  auto options = benchmark::ConsoleReporter::OO_Tabular;
  if (isatty(STDOUT_FILENO))
    options = benchmark::ConsoleReporter::OutputOptions(options | benchmark::ConsoleReporter::OO_Color);
  pav::bench::RatioReporter reporter(options);
  int status = 0;
  try {
    benchmark::RunSpecifiedBenchmarks(&reporter);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pavilion-bench: %s\n", e.what());
    status = 2;
  }
  benchmark::Shutdown();
  // Before static destructors run: targets, renderer, then context, while the loader is loaded.
  BenchWorld::destroy();
  // Missing a goal is a finding, not a failure of the program: exit 0 so scripts can keep
  // the output; the summary says MISSED.
  return status;
}
