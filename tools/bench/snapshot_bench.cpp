// Snapshot bandwidth: the codec's stages on Gaffer's cube scene, and each title's snapshots as a
// station receives them. The bandwidth figures are counters computed once from a recorded run
// (net_report.cpp prints them as lines under the table); the timed part is the encoder, per
// snapshot.
//
// Baselines: a station acknowledges what it received, and the server encodes against the
// newest acknowledged snapshot, which at a 100 ms round trip is the one 6 snapshots (at 60 Hz)
// before the current one. Figures against the previous snapshot (a 0 ms round trip) come too.
// Every encoded snapshot is decoded again and compared with the quantized frame; a mismatch
// aborts the run, so no figure is ever reported for a codec that does not work.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pav/core/title.h"
#include "pav/cycling/cycling.h"
#include "pav/driving/driving.h"
#include "pav/hockey/hockey.h"
#include "pav/net/protocol.h"
#include "pav/net/snapshot.h"

#include "bench_support.h"

namespace pav::bench {
namespace {

constexpr size_t kBack100ms = 6;  // snapshots in 100 ms at 60 Hz
constexpr double kSnapshotHz = 60.0;
constexpr size_t kBufferBytes = 64 * 1024;

double kbps(double bytesPerSnapshot) { return bytesPerSnapshot * 8.0 * kSnapshotHz / 1000.0; }

bool sameFrame(const net::QuantFrame& a, const net::QuantFrame& b, int scalars) {
  if (a.objects != b.objects) return false;
  for (int i = 0; i < scalars; ++i)
    if (a.scalars[size_t(i)] != b.scalars[size_t(i)]) return false;
  return true;
}

[[noreturn]] void codecFailed(const char* what, size_t frame, size_t back) {
  std::fprintf(stderr, "pavilion-bench: %s: snapshot %zu against the one %zu before it does not decode to "
                       "the frame that was encoded; no bandwidth figure can be trusted\n", what, frame, back);
  std::abort();
}

// ---- The cube scene, one benchmark per codec stage -------------------------------------------

struct Stage {
  const char* name;
  net::CodecOptions options;
};
constexpr Stage kStages[] = {
    {"quantized", {.unchangedBit = false, .relativeIndex = false, .delta = false}},
    {"unchanged_bit", {.unchangedBit = true, .relativeIndex = false, .delta = false}},
    {"relative_index", {.unchangedBit = true, .relativeIndex = true, .delta = false}},
    {"delta", {.unchangedBit = true, .relativeIndex = true, .delta = true}},
};

struct PhaseBytes {
  double mean = 0;
  size_t max = 0;
  double changed = 0;  // objects that differ from the baseline, per snapshot
};

// Encodes every frame of `phase` against the frame `back` before it, decodes it again and
// checks it; the mean and largest body in bytes.
PhaseBytes measurePhase(const net::SnapshotCodec& codec, const CubeRun& run, CubeRun::Phase phase, size_t back,
                        const char* what) {
  std::vector<uint8_t> buffer(kBufferBytes);
  net::QuantFrame decoded;
  codec.resize(decoded);
  PhaseBytes out;
  size_t total = 0, changed = 0;
  for (size_t i = phase.first; i < phase.end; ++i) {
    const net::QuantFrame& cur = run.frames[i];
    const net::QuantFrame& base = run.frames[i - back];
    for (size_t k = 0; k < cur.objects.size(); ++k) changed += cur.objects[k] == base.objects[k] ? 0 : 1;
    net::BitWriter w(buffer);
    if (!codec.encode(cur, base, w)) codecFailed(what, i, back);
    w.flush();
    net::BitReader r(w.data());
    if (!codec.decode(r, base, decoded) || !sameFrame(decoded, cur, run.schema.scalarCount))
      codecFailed(what, i, back);
    total += w.bytes();
    out.max = std::max(out.max, w.bytes());
  }
  out.mean = phase.size() ? double(total) / double(phase.size()) : 0.0;
  out.changed = phase.size() ? double(changed) / double(phase.size()) : 0.0;
  return out;
}

struct CubeFigures {
  PhaseBytes moving, rest, movingPrev, restPrev;
};

// Measured once per stage and process: Google Benchmark calls a benchmark several times.
const CubeFigures& cubeFigures(const CubeRun& run, const net::SnapshotCodec& codec, const Stage& stage) {
  static std::map<std::string, CubeFigures> cache;
  if (const auto it = cache.find(stage.name); it != cache.end()) return it->second;
  CubeFigures f;
  f.moving = measurePhase(codec, run, run.moving, kBack100ms, stage.name);
  f.rest = measurePhase(codec, run, run.rest, kBack100ms, stage.name);
  f.movingPrev = measurePhase(codec, run, run.moving, 1, stage.name);
  f.restPrev = measurePhase(codec, run, run.rest, 1, stage.name);
  return cache.emplace(stage.name, f).first->second;
}

void BM_CubeSnapshot(benchmark::State& state, Stage stage) {
  const CubeRun& run = cubeRun();
  const net::SnapshotCodec codec(run.schema, stage.options);
  const CubeFigures& f = cubeFigures(run, codec, stage);

  // Timed: encoding the moving phase's snapshots, one per iteration, against 100 ms back.
  std::vector<uint8_t> buffer(kBufferBytes);
  size_t i = run.moving.first;
  for (auto _ : state) {
    net::BitWriter w(buffer);
    codec.encode(run.frames[i], run.frames[i - kBack100ms], w);
    w.flush();
    benchmark::DoNotOptimize(buffer.data());
    if (++i == run.moving.end) i = run.moving.first;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["kbps_moving"] = kbps(f.moving.mean);
  state.counters["kbps_rest"] = kbps(f.rest.mean);
  state.counters["kbps_moving_prev"] = kbps(f.movingPrev.mean);
  state.counters["kbps_rest_prev"] = kbps(f.restPrev.mean);
  state.counters["bytes_max"] = double(f.moving.max);
  state.counters["changed_moving"] = f.moving.changed;
  // Facts about the run, for the report's notes.
  state.counters["moved_cubes"] = run.movedCubes;
  state.counters["awake_at_rest"] = run.awakeAtRest;
  state.counters["settle_s"] = run.settleSeconds;
  state.counters["moving_s"] = double(run.moving.size()) / kSnapshotHz;
}

BENCHMARK_CAPTURE(BM_CubeSnapshot, quantized, kStages[0])->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_CubeSnapshot, unchanged_bit, kStages[1])->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_CubeSnapshot, relative_index, kStages[2])->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_CubeSnapshot, delta, kStages[3])->Unit(benchmark::kMicrosecond);

// ---- Each title's snapshots, header included ---------------------------------------------------

using MakeTitle = std::unique_ptr<core::Title> (*)();

// A title played by bots for a while, its snapshots at 60 Hz, quantized.
struct TitleRun {
  core::StateSchema schema;
  std::vector<net::QuantFrame> frames;
  uint64_t ticksPerSnapshot = 1;
  int players = 0;
};

TitleRun recordTitle(MakeTitle make, double seconds) {
  std::unique_ptr<core::Title> title = make();
  const core::TitleInfo& info = title->info();
  TitleRun run;
  run.players = info.maxPlayers;
  title->setup({.players = run.players, .seed = 1, .skill = 1, .durationSeconds = 3600});
  title->describe(run.schema);
  const net::SnapshotCodec codec(run.schema);
  run.ticksPerSnapshot = std::max<uint64_t>(1, uint64_t(std::lround(info.tickRateHz / kSnapshotHz)));
  std::vector<core::InputFrame> inputs(size_t(run.players));
  core::StateFrame frame;
  frame.resize(run.schema);
  const auto warmUpTicks = uint64_t(2.0 * info.tickRateHz);  // past the start line and face-off
  const auto endTick = warmUpTicks + uint64_t(seconds * info.tickRateHz);
  while (title->tick() < endTick && !title->finished()) {
    for (int p = 0; p < run.players; ++p) title->botInput(p, inputs[size_t(p)]);
    title->step(inputs);
    if (title->tick() < warmUpTicks || title->tick() % run.ticksPerSnapshot != 0) continue;
    title->capture(frame);
    run.frames.emplace_back();
    codec.resize(run.frames.back());
    codec.quantize(frame, run.frames.back());
  }
  return run;
}

// Mean and largest whole snapshot message (header and body) against `back` snapshots before.
PhaseBytes measureMessages(const net::SnapshotCodec& codec, const TitleRun& run, size_t back, const char* what) {
  std::vector<uint8_t> buffer(kBufferBytes);
  net::QuantFrame decoded;
  codec.resize(decoded);
  PhaseBytes out;
  size_t total = 0, count = 0;
  for (size_t i = kBack100ms; i < run.frames.size(); ++i) {
    const net::QuantFrame& cur = run.frames[i];
    const net::QuantFrame& base = run.frames[i - back];
    const net::SnapshotHeader h{cur.tick, base.tick, cur.tick + run.ticksPerSnapshot};
    const size_t n = net::encodeSnapshot(h, codec, cur, base, buffer);
    net::SnapshotHeader got;
    if (!n || !net::decodeSnapshot(std::span<const uint8_t>(buffer.data(), n), codec, base, got, decoded) ||
        got.tick != h.tick || got.baselineTick != h.baselineTick || !sameFrame(decoded, cur, run.schema.scalarCount))
      codecFailed(what, i, back);
    total += n;
    out.max = std::max(out.max, n);
    ++count;
  }
  out.mean = count ? double(total) / double(count) : 0.0;
  return out;
}

// ENet's header for a datagram holding one unreliable command (peer id 2 B, command 8 B), UDP's
// 8 B and IPv4's 20 B: what each snapshot costs on the wire beyond its own bytes.
constexpr double kDatagramOverhead = 10 + 8 + 20;

struct TitleFigures {
  TitleRun run;
  PhaseBytes back100, prev;
};

const TitleFigures& titleFigures(MakeTitle make, const char* what) {
  static std::map<std::string, TitleFigures> cache;
  if (const auto it = cache.find(what); it != cache.end()) return it->second;
  TitleFigures f;
  f.run = recordTitle(make, 20.0);
  if (f.run.frames.size() > kBack100ms) {
    const net::SnapshotCodec codec(f.run.schema);
    f.back100 = measureMessages(codec, f.run, kBack100ms, what);
    f.prev = measureMessages(codec, f.run, 1, what);
  }
  return cache.emplace(what, std::move(f)).first->second;
}

void BM_TitleSnapshot(benchmark::State& state, MakeTitle make, const char* what) {
  const TitleFigures& f = titleFigures(make, what);
  const TitleRun& run = f.run;
  if (run.frames.size() <= kBack100ms) return state.SkipWithError("the title finished before any snapshot");
  const net::SnapshotCodec codec(run.schema);

  // Timed: one station's snapshot message, header and body.
  std::vector<uint8_t> buffer(kBufferBytes);
  size_t i = kBack100ms;
  for (auto _ : state) {
    const net::QuantFrame& cur = run.frames[i];
    const net::QuantFrame& base = run.frames[i - kBack100ms];
    const net::SnapshotHeader h{cur.tick, base.tick, cur.tick + run.ticksPerSnapshot};
    benchmark::DoNotOptimize(net::encodeSnapshot(h, codec, cur, base, buffer));
    if (++i == run.frames.size()) i = kBack100ms;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["kbps"] = kbps(f.back100.mean);
  state.counters["kbps_prev"] = kbps(f.prev.mean);
  state.counters["kbps_wire"] = kbps(f.back100.mean + kDatagramOverhead);
  state.counters["bytes_mean"] = f.back100.mean;
  state.counters["bytes_max"] = double(f.back100.max);
  state.counters["objects"] = run.schema.objects;
  state.counters["stations"] = run.players;
}

BENCHMARK_CAPTURE(BM_TitleSnapshot, hockey, &hockey::makeHockeyTitle, "hockey")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_TitleSnapshot, driving, &driving::makeDrivingTitle, "driving")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_TitleSnapshot, cycling, &cycling::makeCyclingTitle, "cycling")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pav::bench
