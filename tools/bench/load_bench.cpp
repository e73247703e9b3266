// Server load, in real time: what 64 stations cost the server, and what of it is the network.
//
// 64 stations means many sessions, each with its title's seats all taken by stations (bots
// playing through the network): 8 cycling sessions of 8 stations (cycling ticks at 60 Hz, so a
// tick is a snapshot), and 32 hockey sessions of 2 (hockey ticks at 480 Hz and sends every 8th
// tick). Driving (4 seats, 240 Hz) would need 16 sessions whose physics alone costs more than the
// goal's 10 % of a core, so it says nothing about the network and is left out.
//
// Two ways to drive the servers, both through SessionServer's public loop call:
//   wait        each server in its own thread, update(now) then wait(now, 20 ms), as server.h
//               shows: the thread wakes when its next tick is due
//   onethread   every server in one thread, update(now, 0) each, the thread asleep until the
//               next tick is due: one wake-up a tick for all sessions together
// The stations share two threads of their own. Measured on the server threads only, after a
// warm-up: thread CPU time (waits and wake-ups included), the part of it in update() calls that
// stepped a tick, the ticks stepped, and heap allocations inside update() (bench_support's
// per-thread counts: operator new and malloc, so ENet's packets count too). Then the same
// titles are stepped with the same inputs and no network at all (inputs recorded from bots
// first, so the timed loop is step() alone): the difference is the network's share.
//
// BM_IdlePoll1ms says what one idle 1 ms wait costs on this machine (the price of polling).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "pav/core/title.h"
#include "pav/net/server.h"
#include "pav/net/station.h"
#include "pav/net/transport.h"

#include "bench_support.h"

namespace pav::bench {
namespace {

constexpr double kMaxConnectSeconds = 10.0;
constexpr double kWarmUpSeconds = 1.0;  // after every station plays: pools and caches grown
constexpr int kStationThreads = 2;

struct ServerLoad {
  double wallSeconds = 0;
  double serverCpu = 0;           // the server threads' CPU time, waits and wake-ups included
  double tickUpdateCpu = 0;       // of which in update() calls that stepped a tick
  uint64_t ticks = 0;             // stepped, all sessions
  uint64_t snapshots = 0;         // snapshot ticks, all sessions
  uint64_t updates = 0, tickUpdates = 0;
  HeapCounts heap;                // inside update(), all server threads
  uint64_t updatesAllocating = 0;  // update() calls that allocated at all
  int stationsPlaying = 0;

  void add(const ServerLoad& o) {
    serverCpu += o.serverCpu;
    tickUpdateCpu += o.tickUpdateCpu;
    ticks += o.ticks;
    snapshots += o.snapshots;
    updates += o.updates;
    tickUpdates += o.tickUpdates;
    heap += o.heap;
    updatesAllocating += o.updatesAllocating;
  }
};

enum class Phase { WarmUp, Measure, Stop };

// How the servers are driven.
enum class Drive {
  ThreadPerSession,  // each server in its own thread, update(now) then wait(): server.h's loop
  OneThreadPerTick,  // every server in one thread, update(now, 0), the thread asleep between ticks
};

// One update() of one server, measured when `measuring`.
void measuredUpdate(net::SessionServer& server, uint32_t waitMs, bool measuring, ServerLoad& load) {
  const uint64_t perSnapshot = uint64_t(server.title().info().tickRateHz / 60.0 + 0.5);
  const uint64_t tick0 = server.title().tick();
  const HeapCounts heap0 = threadHeap();
  const double cpu0 = threadCpuSeconds();
  server.update(steadySeconds(), waitMs);
  const double cpu = threadCpuSeconds() - cpu0;
  const HeapCounts heap = threadHeap() - heap0;
  if (!measuring) return;
  const uint64_t tick1 = server.title().tick();
  load.heap += heap;
  load.updatesAllocating += heap.mallocs > 0 ? 1 : 0;
  ++load.updates;
  if (tick1 > tick0) {
    load.tickUpdateCpu += cpu;
    ++load.tickUpdates;
  }
  for (uint64_t t = tick0 + 1; t <= tick1; ++t) {
    ++load.ticks;
    load.snapshots += t % perSnapshot == 0 ? 1 : 0;
  }
}

ServerLoad runSessions(const std::string& title, int sessions, int seats, Drive drive, double measureSeconds) {
  QuietLog quiet;
  const core::TitleSetup setup{.players = seats, .seed = 5, .skill = 1, .durationSeconds = 3600};
  std::vector<std::unique_ptr<net::SessionServer>> servers;
  std::vector<std::unique_ptr<net::SessionStation>> stations;
  for (int s = 0; s < sessions; ++s) {
    servers.push_back(std::make_unique<net::SessionServer>(net::ServerDesc{.title = title, .setup = setup, .maxStations = seats}));
    for (int i = 0; i < seats; ++i)
      stations.push_back(
          std::make_unique<net::SessionStation>(net::StationDesc{
              .port = servers.back()->port(), .title = title,
              .connectToken = net::issueToken(servers.back()->key(), i, title, net::unixSeconds() + 7200)}));
  }
  std::atomic<Phase> phase{Phase::WarmUp};
  std::atomic<int> playing{0};
  const size_t serverThreads = drive == Drive::ThreadPerSession ? servers.size() : 1;
  std::vector<ServerLoad> perThread(serverThreads);

  std::vector<std::thread> threads;
  for (size_t k = 0; k < serverThreads; ++k)
    threads.emplace_back([&, k] {
      ServerLoad& load = perThread[k];
      const double tickSeconds = servers[0]->title().dt();
      double next = steadySeconds();
      double cpuFrom = 0;
      Phase was = Phase::WarmUp;
      for (Phase ph = phase.load(); ph != Phase::Stop; ph = phase.load()) {
        if (ph == Phase::Measure && was != Phase::Measure) cpuFrom = threadCpuSeconds();
        was = ph;
        if (drive == Drive::ThreadPerSession) {
          measuredUpdate(*servers[k], 0, ph == Phase::Measure, load);
          servers[k]->wait(steadySeconds(), 0.02);
          continue;
        }
        for (auto& server : servers) measuredUpdate(*server, 0, ph == Phase::Measure, load);
        next = std::max(next + tickSeconds, steadySeconds());
        std::this_thread::sleep_until(std::chrono::steady_clock::time_point(
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(next))));
      }
      if (was == Phase::Measure) load.serverCpu = threadCpuSeconds() - cpuFrom;
    });
  // The stations: bots, each station predicting with its own copy of the title.
  for (int k = 0; k < kStationThreads; ++k)
    threads.emplace_back([&, k] {
      int wasPlaying = 0;
      while (phase.load() != Phase::Stop) {
        int playingNow = 0;
        for (size_t i = size_t(k); i < stations.size(); i += kStationThreads) {
          stations[i]->update(steadySeconds(), nullptr, 0);
          playingNow += stations[i]->state() == net::StationState::Playing && stations[i]->stats().snapshots > 0;
        }
        playing += playingNow - wasPlaying;
        wasPlaying = playingNow;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
    });

  const int total = sessions * seats;
  const double deadline = steadySeconds() + kMaxConnectSeconds;
  while (playing.load() < total && steadySeconds() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::duration<double>(kWarmUpSeconds));
  const double from = steadySeconds();
  phase = Phase::Measure;
  std::this_thread::sleep_for(std::chrono::duration<double>(measureSeconds));
  const int playingAtEnd = playing.load();
  phase = Phase::Stop;
  const double to = steadySeconds();
  for (std::thread& t : threads) t.join();
  ServerLoad sum;
  sum.wallSeconds = to - from;
  sum.stationsPlaying = playingAtEnd;
  for (const ServerLoad& l : perThread) sum.add(l);
  return sum;
}

// CPU per tick of stepping `sessions` copies of the title with no network: the same setup, the
// inputs recorded from bots beforehand so the timed loop is step() alone.
double titleOnlyCpuPerTick(const std::string& title, int sessions, int seats, double seconds) {
  const core::TitleSetup setup{.players = seats, .seed = 5, .skill = 1, .durationSeconds = 3600};
  std::unique_ptr<core::Title> recorder = core::createTitle(title);
  recorder->setup(setup);
  const auto ticks = size_t(seconds * recorder->info().tickRateHz);
  std::vector<core::InputFrame> inputs(ticks * size_t(seats));
  for (size_t t = 0; t < ticks && !recorder->finished(); ++t) {
    for (int p = 0; p < seats; ++p) recorder->botInput(p, inputs[t * size_t(seats) + size_t(p)]);
    recorder->step(std::span<const core::InputFrame>(&inputs[t * size_t(seats)], size_t(seats)));
  }
  std::vector<std::unique_ptr<core::Title>> titles;
  for (int s = 0; s < sessions; ++s) {
    titles.push_back(core::createTitle(title));
    titles.back()->setup(setup);
  }
  const double cpu0 = threadCpuSeconds();
  for (size_t t = 0; t < ticks; ++t)
    for (auto& tt : titles) tt->step(std::span<const core::InputFrame>(&inputs[t * size_t(seats)], size_t(seats)));
  return (threadCpuSeconds() - cpu0) / double(ticks * size_t(sessions));
}

void BM_ServerLoad(benchmark::State& state, const char* title, int sessions, int seats, Drive drive) {
  registerTitlesOnce();
  for (auto _ : state) {
    const ServerLoad load = runSessions(title, sessions, seats, drive, netMeasureSeconds());
    const double titleTick = titleOnlyCpuPerTick(title, sessions, seats, 2.0);
    if (load.ticks == 0 || load.snapshots == 0) return state.SkipWithError("the servers stepped no ticks");
    const double stationSnapshots = double(load.snapshots) * seats;
    const double titleCpu = titleTick * double(load.ticks);
    // Manual time: the server threads' CPU per snapshot tick, every session together.
    state.SetIterationTime(load.serverCpu / (double(load.snapshots) / sessions));
    state.counters["stations"] = sessions * seats;
    state.counters["playing"] = load.stationsPlaying;
    state.counters["core_pct"] = load.serverCpu / load.wallSeconds * 100.0;
    state.counters["title_core_pct"] = titleCpu / load.wallSeconds * 100.0;
    // The network's share (everything but stepping the titles), per station per snapshot; and
    // the part of it spent in the updates that stepped (capture, encode, send, inputs read).
    state.counters["net_us"] = (load.serverCpu - titleCpu) / stationSnapshots * 1e6;
    state.counters["tick_net_us"] = (load.tickUpdateCpu - titleCpu) / stationSnapshots * 1e6;
    state.counters["snapshot_hz"] = double(load.snapshots) / double(sessions) / load.wallSeconds;
    state.counters["wakeups_hz"] = double(load.updates) / double(sessions) / load.wallSeconds;
    state.counters["allocs_tick"] = double(load.heap.mallocs) / double(load.ticks);
    state.counters["news_tick"] = double(load.heap.news) / double(load.ticks);
    state.counters["alloc_updates"] = double(load.updatesAllocating);
    state.counters["updates"] = double(load.updates);
  }
}

// What one idle wait of server.h's loop costs: a host with nobody connected, polled with a 1 ms
// wait that always times out. CPU column: this thread's CPU per wait (the kernel's timer,
// wake-up and scheduling work, which a virtual machine makes dear).
void BM_IdlePoll1ms(benchmark::State& state) {
  net::EnetLibrary library;
  net::Host host = net::Host::server(0, 1);
  for (auto _ : state) host.poll(1, [](const net::HostEvent&) {});
}

BENCHMARK(BM_IdlePoll1ms)->Iterations(200)->Unit(benchmark::kMicrosecond);

BENCHMARK_CAPTURE(BM_ServerLoad, cycling_8x8_wait, "cycling", 8, 8, Drive::ThreadPerSession)
    ->Iterations(1)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ServerLoad, cycling_8x8_onethread, "cycling", 8, 8, Drive::OneThreadPerTick)
    ->Iterations(1)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ServerLoad, hockey_32x2_wait, "hockey", 32, 2, Drive::ThreadPerSession)
    ->Iterations(1)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ServerLoad, hockey_32x2_onethread, "hockey", 32, 2, Drive::OneThreadPerTick)
    ->Iterations(1)->UseManualTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pav::bench
