// pavilion-bench's support for everything that is not drawing (bench_world.h is the Vulkan
// side): heap allocation counts, the clocks the real-time benchmarks stamp with, Gaffer's cube
// scene, and the network report printed under the table.
//
// The network benchmarks:
//   snapshot_bench.cpp   bandwidth after each codec stage (cube scene) and per title
//   latency_bench.cpp    server tick done -> station applied it, against bare ENet, loopback
//   load_bench.cpp       server CPU and allocations for 64 stations
//   net_report.cpp       their lines and goals under the table (reportNetwork)
//
// Index
//   [SECTION] Heap allocation counting   bench_support.cpp
//   [SECTION] Clocks and samples
//   [SECTION] Sessions in a benchmark    bench_support.cpp
//   [SECTION] Gaffer's cube scene        cube_scene.cpp
//   [SECTION] The network report         net_report.cpp
#pragma once

#include <time.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "pav/core/log.h"
#include "pav/core/state.h"
#include "pav/net/snapshot.h"

namespace pav::bench {

// ---- [SECTION] Heap allocation counting ---------------------------------------------------------
// The process's one replaced operator new, and (glibc) malloc / calloc / realloc, which is where
// ENet, Bullet's default allocator and the driver get their memory. Kept per thread as well as
// for the process, so a benchmark with server and station threads charges each allocation to
// the side that made it:
//   const HeapCounts before = threadHeap();  server.update(now, 1);
//   const HeapCounts used = threadHeap() - before;
// operator new goes through malloc, so `mallocs` includes `news`. Sanitizer builds own both
// allocators: there nothing is counted (countingNews() and countingMallocs() say so).

struct HeapCounts {
  uint64_t news = 0;     // C++ operator new (and new[])
  uint64_t mallocs = 0;  // malloc, calloc and realloc, operator new's included

  HeapCounts operator-(const HeapCounts& o) const { return {news - o.news, mallocs - o.mallocs}; }
  HeapCounts& operator+=(const HeapCounts& o) {
    news += o.news;
    mallocs += o.mallocs;
    return *this;
  }
};

bool countingNews();
bool countingMallocs();
HeapCounts processHeap();  // every thread, since the process started
HeapCounts threadHeap();   // the calling thread, since it started

// ---- [SECTION] Clocks and samples ---------------------------------------------------------------

// The one steady clock every stamp is taken from (seconds).
inline double steadySeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// CPU time of the calling thread (seconds).
inline double threadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// The value below which `q` of the samples lie (nearest rank); 0 for no samples.
double percentile(std::vector<double> samples, double q);

// ---- [SECTION] Sessions in a benchmark ----------------------------------------------------------

// How long the real-time benchmarks measure: 2 s, or PAV_BENCH_NET_SECONDS for longer runs.
// Fixed rather than driven by --benchmark_min_time, so the smoke run stays short.
double netMeasureSeconds();

// hockey, driving and cycling in the title registry (once; later calls do nothing).
void registerTitlesOnce();

// Sessions log every join and leave at info; a benchmark of 64 stations keeps warnings only.
class QuietLog {
 public:
  QuietLog() : previous_(log::level()) { log::setLevel(previous_ > log::Level::Warn ? previous_ : log::Level::Warn); }
  ~QuietLog() { log::setLevel(previous_); }
  QuietLog(const QuietLog&) = delete;
  QuietLog& operator=(const QuietLog&) = delete;

 private:
  log::Level previous_;
};

// ---- [SECTION] Gaffer's cube scene ------------------------------------------------------------
// A large player cube drives through a pile of 900 small cubes on a ground plane (a real Bullet
// simulation), then everything settles and sleeps. Snapshots at 60 Hz, quantized with a schema
// like Gaffer's: positions in a box around the play area at 1/512 m, orientations smallest-three
// at 9 bits a component, no velocities. Frames are kept quantized: the benchmarks measure the
// codec, and quantizing is the same for every stage.
//   const CubeRun& run = cubeRun();   // simulated once per process (about a second)
//   for (size_t i = run.moving.first; i < run.moving.end; ++i) encode(run.frames[i], run.frames[i - 6]);

constexpr int kCubeGrid = 30;                          // 30 x 30 small cubes
constexpr int kCubeCount = kCubeGrid * kCubeGrid + 1;  // and the player's cube (object 0)
constexpr double kCubeSnapshotHz = 60.0;

struct CubeRun {
  // Frames [first, end) of one phase; the frames before `first` exist as baselines.
  struct Phase {
    size_t first = 0, end = 0;
    size_t size() const { return end - first; }
  };
  core::StateSchema schema;
  std::vector<net::QuantFrame> frames;  // one per snapshot, in order
  Phase moving;                         // the player's cube drives through the pile
  Phase rest;                           // every cube asleep
  double settleSeconds = 0;             // from the player's stop until the last cube slept
  int awakeAtRest = 0;                  // cubes still awake when the rest phase began (0 normally)
  int movedCubes = 0;                   // small cubes that ended more than 5 cm from their start
};

// Simulated and quantized on first use; later calls return the same run.
const CubeRun& cubeRun();

// ---- [SECTION] The network report ---------------------------------------------------------------
// The network benchmarks' lines under the table, each against its goal, from the counters of
// the same run.

// Per benchmark run name: its counters by name, plus "cpu_ns" and "real_ns" (per iteration).
using RunCounters = std::map<std::string, std::map<std::string, double>>;

// Prints nothing when none of the network benchmarks ran (filtered out).
void reportNetwork(std::ostream& out, const RunCounters& runs);

}  // namespace pav::bench
