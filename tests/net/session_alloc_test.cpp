// The per-tick claim for sessions: once a server and its stations have warmed up, running
// the session (stepping, snapshots, inputs, prediction with replay, interpolation) allocates
// nothing: no operator new in the engine's code, and no block from the system heap on ENet's
// behalf (its packets come from EnetLibrary's pool).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "alloc_counter.h"
#include "pav/hockey/hockey.h"
#include "pav/net/server.h"
#include "pav/net/station.h"

namespace pav::net {
namespace {

// The session runs on the test's own clock (the server and the stations are given the time;
// neither reads a clock): each pass over the loop is 1 ms of session time, whatever the
// machine's load. So the warm-up and the measured window hold the same ticks, snapshots and
// inputs on a loaded machine as on an idle one; with the wall clock, a starved warm-up of 2 s
// was sometimes not warm yet, and a stall made the server catch up in bursts. ENet still runs
// over real loopback sockets, and each pass waits up to 1 ms for its traffic.
constexpr double kPass = 0.001;

TEST(SessionAllocations, AWarmSessionAllocatesNothingPerTick) {
  hockey::registerHockeyTitle();
  SessionServer server({.title = "hockey", .setup = {.players = 2, .seed = 5, .skill = 2, .durationSeconds = 60}});
  std::vector<std::unique_ptr<SessionStation>> stations;
  for (int i = 0; i < 2; ++i)
    stations.push_back(std::make_unique<SessionStation>(StationDesc{
        .port = server.port(), .title = "hockey", .connectToken = issueToken(server.key(), i, "hockey", unixSeconds() + 600)}));
  double now = 100.0;
  const auto run = [&](double s) {
    for (long pass = std::lround(s / kPass); pass > 0; --pass) {
      now += kPass;
      server.update(now, 1);
      for (auto& st : stations) st->update(now, nullptr, 0);
    }
  };
  run(2.0);  // join, first snapshots, every ENet pool size class in use
  ASSERT_EQ(server.connectedStations(), 2);
  const uint64_t tick0 = server.title().tick();
  const uint64_t snapshots0 = stations[0]->stats().snapshots;
  const uint64_t enet0 = EnetLibrary::heapAllocations();
  EXPECT_GT(enet0, 0u) << "ENet allocates through the pool, which counts its system blocks";
  uint64_t allocations = 0;
  {
    test::CountAllocations count;
    run(2.0);
    allocations = count.count();
  }
  EXPECT_GT(server.title().tick(), tick0 + 480);
  EXPECT_GT(stations[0]->stats().snapshots, snapshots0 + 60);
  EXPECT_EQ(allocations, 0u) << "operator new during " << server.title().tick() - tick0 << " ticks";
  EXPECT_EQ(EnetLibrary::heapAllocations(), enet0) << "ENet reached the system heap";
}

}  // namespace
}  // namespace pav::net
