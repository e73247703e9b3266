// Latency over loopback, in real time: from the server finishing a tick to a station applying
// it, against a bare ENet packet from one host to another polled the same way.
//
// Session: a SessionServer playing hockey in one thread, two SessionStations (its two seats,
// bots playing) each in its own thread; every thread polls with a 1 ms wait, as the server's
// and station's own loops do. One steady clock stamps both ends: the server thread when
// lastSnapshot().tick changes after update() (the snapshot was sent and flushed inside it),
// a station thread when serverFrame().tick changes after its update() (the snapshot was
// decoded, reconciled and is what the station now shows). Stamps are matched by tick after the
// threads have joined, so no thread ever waits on another.
//
// Raw ENet: one host sends a packet of the hockey snapshot's size at 60 Hz to another, each
// thread polling enet_host_service with the same 1 ms wait; stamped after the flush and on
// receipt. The difference between the two is what the session adds on top of ENet.
//
// The benchmark's Time column is the p50 latency (manual time); the counters hold the rest.
#include <benchmark/benchmark.h>
#include <enet/enet.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pav/net/server.h"
#include "pav/net/station.h"
#include "pav/net/transport.h"

#include "bench_support.h"

namespace pav::bench {

namespace {

constexpr double kWarmUpSeconds = 1.0;  // connect, handshake, clock estimate, pools grown
constexpr uint32_t kWaitMs = 1;
constexpr size_t kRawPacketBytes = 30;  // about a hockey snapshot message (mean 30 B)

using Stamp = std::pair<uint64_t, double>;  // (tick or sequence number, steady seconds)

struct Latencies {
  std::vector<double> us;
  size_t sent = 0;  // stamped at the sender inside the measured window
};

// Matches each receive stamp to its send stamp; keeps those sent inside [from, to).
Latencies match(const std::vector<Stamp>& sent, const std::vector<std::vector<Stamp>>& received, double from,
                double to) {
  std::unordered_map<uint64_t, double> at;
  Latencies out;
  for (const auto& [tick, t] : sent) {
    at[tick] = t;
    if (t >= from && t < to) ++out.sent;
  }
  for (const auto& list : received)
    for (const auto& [tick, t] : list)
      if (const auto it = at.find(tick); it != at.end() && it->second >= from && it->second < to)
        out.us.push_back((t - it->second) * 1e6);
  return out;
}

void report(benchmark::State& state, const Latencies& l, double receivers) {
  const double p50 = percentile(l.us, 0.5), p99 = percentile(l.us, 0.99);
  state.SetIterationTime(p50 / 1e6);
  state.counters["p50_us"] = p50;
  state.counters["p99_us"] = p99;
  state.counters["max_us"] = percentile(l.us, 1.0);
  state.counters["samples"] = double(l.us.size());
  state.counters["over_1ms"] = double(std::count_if(l.us.begin(), l.us.end(), [](double us) { return us > 1000; }));
  // Snapshots a receiver never applied (lost, or overtaken within one update).
  state.counters["missed"] = double(l.sent) * receivers - double(l.us.size());
}

Latencies sessionLatency(double measureSeconds) {
  QuietLog quiet;
  net::SessionServer server({.title = "hockey", .setup = {.players = 2, .seed = 3, .skill = 1, .durationSeconds = 600}});
  std::vector<std::unique_ptr<net::SessionStation>> stations;
  for (int i = 0; i < 2; ++i)
    stations.push_back(std::make_unique<net::SessionStation>(net::StationDesc{
        .port = server.port(), .title = "hockey", .connectToken = net::issueToken(server.key(), i, "hockey", net::unixSeconds() + 3600)}));
  const double from = steadySeconds() + kWarmUpSeconds, until = from + measureSeconds;
  const double end = until + 0.1;  // the last snapshots in flight arrive

  std::vector<Stamp> sent;
  std::vector<std::vector<Stamp>> applied(stations.size());
  std::thread serverThread([&] {
    uint64_t last = server.lastSnapshot().tick;
    for (double now = steadySeconds(); now < end; now = steadySeconds()) {
      server.update(now, kWaitMs);
      if (const uint64_t tick = server.lastSnapshot().tick; tick != last) {
        sent.emplace_back(tick, steadySeconds());
        last = tick;
      }
    }
  });
  std::vector<std::thread> stationThreads;
  for (size_t i = 0; i < stations.size(); ++i)
    stationThreads.emplace_back([&, i] {
      net::SessionStation& st = *stations[i];
      uint64_t last = 0;
      for (double now = steadySeconds(); now < end; now = steadySeconds()) {
        st.update(now, nullptr, kWaitMs);
        if (const uint64_t tick = st.serverFrame().tick; tick != last) {
          applied[i].emplace_back(tick, steadySeconds());
          last = tick;
        }
      }
    });
  serverThread.join();
  for (std::thread& t : stationThreads) t.join();
  return match(sent, applied, from, until);
}

// ---- Bare ENet ---------------------------------------------------------------------------------

struct EnetHostOwner {
  ENetHost* host;
  explicit EnetHostOwner(ENetHost* h) : host(h) {}
  ~EnetHostOwner() {
    if (host) enet_host_destroy(host);
  }
  EnetHostOwner(const EnetHostOwner&) = delete;
  EnetHostOwner& operator=(const EnetHostOwner&) = delete;
};

Latencies rawEnetLatency(double measureSeconds) {
  net::EnetLibrary library;  // initialises ENet (with whatever allocator the project sets)
  ENetAddress address{};
  enet_address_set_host(&address, "127.0.0.1");
  address.port = 0;
  EnetHostOwner sender(enet_host_create(&address, 1, net::kChannels, 0, 0));
  EnetHostOwner receiver(enet_host_create(nullptr, 1, net::kChannels, 0, 0));
  if (!sender.host || !receiver.host) return {};
  enet_socket_get_address(sender.host->socket, &sender.host->address);
  ENetAddress to{};
  enet_address_set_host(&to, "127.0.0.1");
  to.port = sender.host->address.port;
  enet_host_connect(receiver.host, &to, net::kChannels, 0);

  const double from = steadySeconds() + kWarmUpSeconds, until = from + measureSeconds;
  const double end = until + 0.1;
  std::vector<Stamp> sent;
  std::vector<std::vector<Stamp>> received(1);
  std::thread senderThread([&] {
    ENetPeer* peer = nullptr;
    uint64_t sequence = 0;
    double next = steadySeconds();
    for (double now = steadySeconds(); now < end; now = steadySeconds()) {
      ENetEvent e;
      for (int r = enet_host_service(sender.host, &e, kWaitMs); r > 0; r = enet_host_check_events(sender.host, &e)) {
        if (e.type == ENET_EVENT_TYPE_CONNECT) peer = e.peer;
        if (e.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(e.packet);
      }
      now = steadySeconds();
      if (!peer || now < next || now >= until) continue;
      next += 1.0 / 60.0;
      uint8_t payload[kRawPacketBytes] = {};
      ++sequence;
      std::memcpy(payload, &sequence, sizeof sequence);
      enet_peer_send(peer, net::kChannelUnreliable,
                     enet_packet_create(payload, sizeof payload, ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT));
      enet_host_flush(sender.host);
      sent.emplace_back(sequence, steadySeconds());
    }
  });
  std::thread receiverThread([&] {
    for (double now = steadySeconds(); now < end; now = steadySeconds()) {
      ENetEvent e;
      for (int r = enet_host_service(receiver.host, &e, kWaitMs); r > 0;
           r = enet_host_check_events(receiver.host, &e)) {
        if (e.type != ENET_EVENT_TYPE_RECEIVE) continue;
        uint64_t sequence = 0;
        if (e.packet->dataLength >= sizeof sequence) std::memcpy(&sequence, e.packet->data, sizeof sequence);
        received[0].emplace_back(sequence, steadySeconds());
        enet_packet_destroy(e.packet);
      }
    }
  });
  senderThread.join();
  receiverThread.join();
  return match(sent, received, from, until);
}

void BM_SessionLatency(benchmark::State& state) {
  registerTitlesOnce();
  for (auto _ : state) {
    const Latencies l = sessionLatency(netMeasureSeconds());
    if (l.us.empty()) return state.SkipWithError("no snapshot reached a station");
    report(state, l, 2);
  }
}

void BM_RawEnetLatency(benchmark::State& state) {
  for (auto _ : state) {
    const Latencies l = rawEnetLatency(netMeasureSeconds());
    if (l.us.empty()) return state.SkipWithError("no packet arrived (could not create the ENet hosts?)");
    report(state, l, 1);
  }
}

BENCHMARK(BM_SessionLatency)->Iterations(1)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RawEnetLatency)->Iterations(1)->UseManualTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pav::bench
