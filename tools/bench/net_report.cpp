// The network report (bench_support.h). Goals, from the networking issue:
//   cube scene, every stage on: at most 256 kbps while the cubes move, under 16 kbps at rest
//   latency, server tick done to station applied: p99 under 1 ms over loopback
//   server: 64 stations at 60 Hz within 10 % of one core, and no heap allocation per tick
#include "bench_support.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "pav/net/protocol.h"

namespace pav::bench {
namespace {

constexpr double kMovingGoalKbps = 256, kRestGoalKbps = 16;
constexpr double kLatencyGoalUs = 1000;
constexpr double kLoadGoalPct = 10;
constexpr double kGafferRawMbps = 17.37;

using Counters = std::map<std::string, double>;

const Counters* find(const RunCounters& runs, const std::string& name) {
  const auto it = runs.find(name);
  return it == runs.end() ? nullptr : &it->second;
}

double get(const Counters* c, const char* name) {
  if (!c) return 0;
  const auto it = c->find(name);
  return it == c->end() ? 0 : it->second;
}

std::string rate(double kbps) {
  char buf[32];
  if (kbps >= 1000) std::snprintf(buf, sizeof buf, "%.2f Mbps", kbps / 1000);
  else if (kbps >= 10) std::snprintf(buf, sizeof buf, "%.0f kbps", kbps);
  else std::snprintf(buf, sizeof buf, "%.2f kbps", kbps);
  return buf;
}

const char* verdict(bool met) { return met ? "met" : "MISSED"; }

// Uncompressed: every cube's position (3 floats) and orientation (4 floats), 32 bits each.
double rawCubeKbps() { return double(kCubeCount) * 7 * 32 * kCubeSnapshotHz / 1000.0; }

constexpr const char* kStageRuns[] = {"BM_CubeSnapshot/quantized", "BM_CubeSnapshot/unchanged_bit",
                                      "BM_CubeSnapshot/relative_index", "BM_CubeSnapshot/delta"};
constexpr const char* kStageLabels[] = {"quantized", "+ unchanged bit", "+ relative indices", "+ delta"};

// One phase's figures after each stage; the goal (0: none) applies to the last stage.
void cubeLine(std::ostream& out, const RunCounters& runs, const char* label, const char* counter, double goal,
              bool goalInclusive) {
  std::string line = std::string("    ") + label + ": raw " + rate(rawCubeKbps());
  double last = -1;
  for (int s = 0; s < 4; ++s) {
    const Counters* c = find(runs, kStageRuns[s]);
    line += std::string(", ") + kStageLabels[s] + " " + (c ? rate(get(c, counter)) : std::string("n/a"));
    if (c && s == 3) last = get(c, counter);
  }
  if (goal > 0) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "   goal %s %s  %s", goalInclusive ? "<=" : "<", rate(goal).c_str(),
                  last < 0 ? "n/a" : verdict(goalInclusive ? last <= goal : last < goal));
    line += buf;
  }
  out << line << "\n";
}

void cubes(std::ostream& out, const RunCounters& runs) {
  const Counters* delta = find(runs, kStageRuns[3]);
  const Counters* any = delta;
  for (const char* name : kStageRuns) any = any ? any : find(runs, name);
  if (!any) return;
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "  Gaffer's cube scene: %d cubes (Bullet), 60 snapshots a second, a station's bandwidth (codec "
                "body, whole bytes a snapshot);\n  moving = %.1f s of the player's cube driving through the pile "
                "(%.0f of %d small cubes moved), rest = everything asleep (%.1f s after the stop):\n",
                kCubeCount, get(any, "moving_s"), get(any, "moved_cubes"), kCubeCount - 1, get(any, "settle_s"));
  out << buf;
  cubeLine(out, runs, "moving, baseline 100 ms back ", "kbps_moving", kMovingGoalKbps, true);
  cubeLine(out, runs, "moving, baseline previous    ", "kbps_moving_prev", 0, true);
  cubeLine(out, runs, "at rest, baseline 100 ms back", "kbps_rest", kRestGoalKbps, false);
  cubeLine(out, runs, "at rest, baseline previous   ", "kbps_rest_prev", 0, false);
  std::snprintf(buf, sizeof buf,
                "    (raw = %d x 7 floats x 32 bits x 60 Hz; Gaffer's published raw figure is %.2f Mbps, 321 bits "
                "a cube: his state carries more than position and orientation)\n",
                kCubeCount, kGafferRawMbps);
  out << buf;
  if (get(any, "awake_at_rest") > 0) {
    std::snprintf(buf, sizeof buf, "    note: %.0f cubes never fell asleep; 'at rest' includes them\n",
                  get(any, "awake_at_rest"));
    out << buf;
  }
  if (delta) {
    std::snprintf(buf, sizeof buf,
                  "    moving: %.0f cubes differ from the baseline 100 ms back in an average snapshot, about %.0f "
                  "bits each with every stage on;\n    largest moving snapshot, every stage on: %.0f bytes (%s the "
                  "protocol's %zu-byte packet budget); encoding one: %.1f us CPU\n",
                  get(delta, "changed_moving"),
                  get(delta, "kbps_moving") * 1000 / kCubeSnapshotHz / std::max(1.0, get(delta, "changed_moving")),
                  get(delta, "bytes_max"), get(delta, "bytes_max") > double(net::kMaxPacketBytes) ? "over" : "within",
                  net::kMaxPacketBytes, get(delta, "cpu_ns") / 1000);
    out << buf;
  }
}

void titles(std::ostream& out, const RunCounters& runs) {
  bool header = false;
  for (const char* title : {"hockey", "driving", "cycling"}) {
    const Counters* c = find(runs, std::string("BM_TitleSnapshot/") + title);
    if (!c) continue;
    if (!header) {
      out << "  Titles: snapshot bandwidth a station at 60 Hz, baseline 100 ms back, message header included:\n";
      header = true;
    }
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "    %-8s %2.0f objects: %s (previous-snapshot baseline %s; %s with ENet/UDP/IPv4 headers); "
                  "mean %.1f B, max %.0f B; encode %.2f us\n",
                  title, get(c, "objects"), rate(get(c, "kbps")).c_str(), rate(get(c, "kbps_prev")).c_str(),
                  rate(get(c, "kbps_wire")).c_str(), get(c, "bytes_mean"), get(c, "bytes_max"), get(c, "cpu_ns") / 1000);
    out << buf;
  }
}

void latency(std::ostream& out, const RunCounters& runs) {
  const Counters* session = find(runs, "BM_SessionLatency");
  const Counters* raw = find(runs, "BM_RawEnetLatency");
  if (!session && !raw) return;
  out << "  Latency over loopback, server tick done -> station applied it (1 ms polls, real time):\n";
  char buf[320];
  const double p99 = get(session, "p99_us");
  std::snprintf(buf, sizeof buf,
                "    session p50 %.0f us, p99 %.0f us (%.0f samples, %.0f over 1 ms, %.0f missed); bare ENet p50 %.0f "
                "us, p99 %.0f us (%.0f samples, %.0f over 1 ms)\n",
                get(session, "p50_us"), p99, get(session, "samples"), get(session, "over_1ms"), get(session, "missed"),
                get(raw, "p50_us"), get(raw, "p99_us"), get(raw, "samples"), get(raw, "over_1ms"));
  out << buf;
  if (session && raw && get(raw, "p50_us") > 0 && get(raw, "p99_us") > 0) {
    std::snprintf(buf, sizeof buf, "    session/ENet: p50 %.2fx, p99 %.2fx   goal session p99 < %.0f us  %s\n",
                  get(session, "p50_us") / get(raw, "p50_us"), p99 / get(raw, "p99_us"), kLatencyGoalUs,
                  verdict(p99 < kLatencyGoalUs));
  } else {
    std::snprintf(buf, sizeof buf, "    session/ENet: n/a   goal session p99 < %.0f us  %s\n", kLatencyGoalUs,
                  session ? verdict(p99 < kLatencyGoalUs) : "n/a");
  }
  out << buf;
}

void load(std::ostream& out, const RunCounters& runs) {
  bool header = false;
  for (const auto& [name, label] :
       {std::pair{"BM_ServerLoad/cycling_8x8_wait", "cycling 8 x 8, a thread a session, asleep until its next tick"},
        std::pair{"BM_ServerLoad/cycling_8x8_onethread", "cycling 8 x 8, one thread woken each tick"},
        std::pair{"BM_ServerLoad/hockey_32x2_wait", "hockey 32 x 2, a thread a session, asleep until its next tick"},
        std::pair{"BM_ServerLoad/hockey_32x2_onethread", "hockey 32 x 2, one thread woken each tick"}}) {
    const Counters* c = find(runs, name);
    if (!c) continue;
    if (!header) {
      out << "  Server load, 64 stations as sessions x seats (server threads' CPU; the titles' share measured by "
             "stepping them alone):\n";
      header = true;
    }
    const double pct = get(c, "core_pct"), allocs = get(c, "allocs_tick");
    char buf[600];
    std::snprintf(buf, sizeof buf,
                  "    %-46s %2.0f playing: %.2f %% of one core (titles %.2f %%, network %.2f %%)   goal <= %.0f %%  "
                  "%s\n"
                  "      network a station a snapshot: %.2f us (of which %.2f us in the updates that stepped); "
                  "%.0f update() calls/s a session, %.0f snapshots/s\n"
                  "      allocations in update(): %.3g a tick (operator new %.3g; %.0f of %.0f updates allocated)"
                  "   goal 0  %s\n",
                  label, get(c, "playing"), pct, get(c, "title_core_pct"), pct - get(c, "title_core_pct"),
                  kLoadGoalPct, verdict(pct <= kLoadGoalPct), get(c, "net_us"), get(c, "tick_net_us"),
                  get(c, "wakeups_hz"), get(c, "snapshot_hz"), allocs, get(c, "news_tick"), get(c, "alloc_updates"),
                  get(c, "updates"), verdict(allocs == 0));
    out << buf;
  }
  if (const Counters* idle = find(runs, "BM_IdlePoll1ms"); header && idle) {
    char buf[240];
    std::snprintf(buf, sizeof buf,
                  "    (an idle 1 ms poll that times out costs %.1f us CPU here: a thread a session pays that about "
                  "1,000 times a second)\n",
                  get(idle, "cpu_ns") / 1000);
    out << buf;
  }
}

}  // namespace

void reportNetwork(std::ostream& out, const RunCounters& named) {
  // Names as registered: Google Benchmark appends the options ("/iterations:1/manual_time").
  RunCounters runs;
  for (const auto& [name, counters] : named) {
    std::string base = name;
    for (const char* option : {"/iterations:", "/manual_time", "/real_time", "/min_time:", "/repeats:"})
      if (const size_t at = base.find(option); at != std::string::npos) base.resize(at);
    runs[base] = counters;
  }
  bool any = false;
  for (const auto& [name, counters] : runs)
    any = any || name.starts_with("BM_CubeSnapshot") || name.starts_with("BM_TitleSnapshot") ||
          name.ends_with("Latency") || name.starts_with("BM_ServerLoad");
  if (!any) return;
  out << "Network (from this run):\n";
  cubes(out, runs);
  titles(out, runs);
  latency(out, runs);
  load(out, runs);
}

}  // namespace pav::bench
