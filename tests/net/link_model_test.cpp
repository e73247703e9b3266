// The link model on its own clock (statistics asserted exactly or with wide margins, nothing
// timed), the profiles that use it, and the conditioner carrying real datagrams through a
// bandwidth limit and a handover (real time there: only lower bounds on delays, generous waits).
#include <gtest/gtest.h>

#include <enet/enet.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "pav/net/conditioner.h"
#include "pav/net/link_model.h"
#include "pav/net/transport.h"

namespace pav::net {
namespace {

// ---- The model on its own clock --------------------------------------------------------------

TEST(LinkModel, GilbertElliottLosesInBurstsOfTheConfiguredLength) {
  // Good loses nothing, Bad everything: losses are exactly the Bad runs.
  LinkModel link({}, {.enter = 0.02, .leave = 0.25, .goodLoss = 0, .badLoss = 1}, {}, 11);
  constexpr int kSent = 200000;
  int lost = 0, bursts = 0;
  bool previousLost = false;
  for (int i = 0; i < kSent; ++i) {
    const bool l = link.admit(i * 5.0, 100).kind == LinkFate::Kind::BurstLost;
    lost += l;
    bursts += l && !previousLost;
    previousLost = l;
  }
  const double share = double(lost) / kSent;    // 0.02 / 0.27 = 7.4 %
  const double meanBurst = double(lost) / bursts;  // 1 / 0.25 = 4
  EXPECT_GT(share, 0.060);
  EXPECT_LT(share, 0.090);
  EXPECT_GT(meanBurst, 3.4);
  EXPECT_LT(meanBurst, 4.6);

  // Independent loss of the same share has bursts near 1 / (1 - 0.074): the model is what bunches them.
  LinkModel flat({}, {.goodLoss = 0.074}, {}, 11);
  int flatLost = 0, flatBursts = 0;
  previousLost = false;
  for (int i = 0; i < kSent; ++i) {
    const bool l = flat.admit(i * 5.0, 100).kind == LinkFate::Kind::BurstLost;
    flatLost += l;
    flatBursts += l && !previousLost;
    previousLost = l;
  }
  EXPECT_LT(double(flatLost) / flatBursts, 1.2);
}

TEST(LinkModel, TheBucketHoldsTheRateInEverySecondAndQueueingBecomesDelay) {
  // 1000 kbps = 125 bytes per ms; offered: 1000 bytes every 4 ms, twice that.
  LinkModel link({.kbps = 1000, .queueMs = 100}, {}, {}, 3);
  std::vector<double> departures;
  int queueFull = 0;
  double maxDelay = 0;
  for (int i = 0; i < 2500; ++i) {  // 10 s
    const double now = i * 4.0;
    const LinkFate f = link.admit(now, 1000);
    if (f.kind == LinkFate::Kind::QueueFull) {
      ++queueFull;
      continue;
    }
    ASSERT_EQ(f.kind, LinkFate::Kind::Sent);
    ASSERT_GE(f.departMs, now) << "never leaves before it arrived";
    maxDelay = std::max(maxDelay, f.departMs - now);
    departures.push_back(f.departMs);
  }
  EXPECT_GT(maxDelay, 80) << "the queue fills to near its limit";
  EXPECT_LE(maxDelay, 100) << "and never past it";
  EXPECT_GT(queueFull, 1100) << "about half the offered load cannot be carried";
  EXPECT_LT(queueFull, 1400);
  // Every 1 s window (sliding by 10 ms) carries at most the rate plus the bucket.
  for (double start = 0; start < 10000; start += 10) {
    const auto lo = std::lower_bound(departures.begin(), departures.end(), start);
    const auto hi = std::lower_bound(departures.begin(), departures.end(), start + 1000);
    EXPECT_LE((hi - lo) * 1000.0, 125000 + LinkModel::kBucketBytes) << "window at " << start << " ms";
  }
  // Once the sender stops, the queue drains at the rate.
  EXPECT_NEAR(link.queueDelayMs(10000), departures.back() - 10000, 1e-9);
  EXPECT_EQ(link.admit(20000, 1000).departMs, 20000) << "an idle link sends at once";
}

TEST(LinkModel, OutagesCutExactlyTheirScheduledWindows) {
  LinkModel link({}, {}, {.lengthMs = 300, .periodMs = 20000}, 5);
  int lost = 0;
  for (int i = 0; i < 6000; ++i) {  // every 10 ms for 60 s
    const double now = i * 10.0;
    const bool cut = link.admit(now, 200).kind == LinkFate::Kind::Outage;
    const bool scheduled = (now >= 20000 && now < 20300) || (now >= 40000 && now < 40300);
    EXPECT_EQ(cut, scheduled) << now;
    lost += cut;
  }
  EXPECT_EQ(lost, 60);
  EXPECT_FALSE(link.inOutage(0)) << "the link starts up";
}

TEST(LinkModel, TheSameSeedGivesTheSameFates) {
  NetProfile edge;
  std::string error;
  ASSERT_TRUE(parseNetProfile("5g-edge", edge, error)) << error;
  const auto fates = [&](uint64_t seed) {
    LinkModel link = makeLinkModel(edge, true, seed);
    std::vector<int> out;
    for (int i = 0; i < 5000; ++i) out.push_back(int(link.admit(i * 3.0, 400).kind));
    return out;
  };
  EXPECT_EQ(fates(1), fates(1));
  EXPECT_NE(fates(1), fates(2));
}

// ---- Profiles --------------------------------------------------------------------------------

TEST(NetProfile, CellularProfilesHaveTheirNumbers) {
  NetProfile p;
  std::string error;
  ASSERT_TRUE(parseNetProfile("5g-edge", p, error)) << error;
  EXPECT_EQ(p.downKbps, 2000);
  EXPECT_EQ(p.upKbps, 500);
  EXPECT_EQ(p.latencyMs, 30);
  EXPECT_EQ(p.jitterMs, 15);
  EXPECT_EQ(p.outageMs, 300);
  EXPECT_EQ(p.outagePeriodMs, 20000);
  EXPECT_GT(p.burstEnter, 0);
  ASSERT_TRUE(parseNetProfile("5g-good", p, error)) << error;
  EXPECT_GT(p.downKbps, 2000);
  ASSERT_TRUE(parseNetProfile("wifi-busy", p, error)) << error;
  EXPECT_EQ(p.outageMs, 0);
  EXPECT_GT(p.burstEnter, 0);
  ASSERT_TRUE(parseNetProfile("5g-edge,outage=0,period=0,down=500kbps,burst_leave=10%", p, error)) << error;
  EXPECT_EQ(p.outageMs, 0);
  EXPECT_EQ(p.downKbps, 500);
  EXPECT_DOUBLE_EQ(p.burstLeave, 0.1);
  EXPECT_EQ(p.latencyMs, 30) << "the rest of the name's values stay";
  const std::string help = netProfileHelp();
  for (const char* key : {"5g-edge", "5g-good", "wifi-busy", "down=", "outage=", "burst_enter="})
    EXPECT_NE(help.find(key), std::string::npos) << key;
}

TEST(NetProfile, ImpossibleValuesAreRefusedWithTheListOfKeys) {
  const std::pair<const char*, const char*> cases[] = {
      {"down=-5", "down must be 0.."},
      {"loss=101", "loss must be 0..100 percent"},
      {"burst_loss=200", "burst_loss must be 0..100"},
      {"bandwidth=100", "unknown key \"bandwidth\""},
      {"outage=300", "an outage needs a period longer than itself"},
      {"outage=300,period=300", "an outage needs a period longer than itself"},
      {"period=1000", "a period needs an outage length"},
      {"burst_enter=5,burst_leave=0", "bursts entered but never left"},
      {"down=100,queue=0", "a bandwidth limit needs a queue"},
      {"down=10000,queue=.75ms", "a bandwidth limit needs a queue of 1 ms or more"},  // fuzz.net_profile found it
      {"up=1mbps", "up needs a number of kbps"},
      {"5g-edge,period=100", "an outage needs a period longer than itself"},
  };
  for (const auto& [text, why] : cases) {
    NetProfile p{1, 2, 0.3, 0.4, 0.5};
    std::string error;
    EXPECT_FALSE(parseNetProfile(text, p, error)) << text;
    EXPECT_NE(error.find(why), std::string::npos) << text << " -> " << error;
    for (const char* key : {"latency", "jitter", "queue", "outage", "period", "loss", "dup", "reorder",
                            "burst_enter", "burst_leave", "burst_loss", "down", "up"})
      EXPECT_NE(error.find(key), std::string::npos) << "the message lists " << key << ": " << error;
    EXPECT_EQ(p.latencyMs, 1) << "a refused profile leaves the old one";
    EXPECT_EQ(p.downKbps, 0);
  }
}

// ---- The conditioner carrying real datagrams -------------------------------------------------

using Clock = std::chrono::steady_clock;

struct Socket {
  ENetSocket socket = enet_socket_create(ENET_SOCKET_TYPE_DATAGRAM);
  Socket() {
    ENetAddress a{};
    a.host = ENET_HOST_TO_NET_32(0x7F000001u);
    EXPECT_EQ(enet_socket_bind(socket, &a), 0);
    enet_socket_set_option(socket, ENET_SOCKOPT_NONBLOCK, 1);
    enet_socket_set_option(socket, ENET_SOCKOPT_RCVBUF, 1 << 21);
  }
  ~Socket() { enet_socket_destroy(socket); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  uint16_t port() const {
    ENetAddress a{};
    enet_socket_get_address(socket, &a);
    return a.port;
  }
  void send(uint16_t port, uint32_t n, size_t bytes) {
    std::vector<uint8_t> b(bytes, 0);
    std::memcpy(b.data(), &n, 4);
    ENetBuffer buffer{b.data(), b.size()};
    ENetAddress to{ENET_HOST_TO_NET_32(0x7F000001u), port};
    enet_socket_send(socket, &to, &buffer, 1);
  }
  int drain() {
    int n = 0;
    for (;;) {
      uint8_t b[1500];
      ENetBuffer buffer{b, sizeof b};
      ENetAddress from{};
      if (enet_socket_receive(socket, &from, &buffer, 1) <= 0) return n;
      ++n;
    }
  }
};

TEST(NetConditioner, ABandwidthLimitSpreadsABurstOverItsTime) {
  EnetLibrary enet;
  Socket sink, station;
  NetProfile p;
  std::string error;
  ASSERT_TRUE(parseNetProfile("up=800,queue=5000", p, error)) << error;
  NetConditioner wire(sink.port(), p, 9);
  constexpr int kSent = 100;  // 100 KB at 800 kbps: a second
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < kSent; ++i) station.send(wire.port(), uint32_t(i), 1000);
  int arrived = 0;
  while (arrived < kSent && Clock::now() - start < std::chrono::seconds(20)) {
    arrived += sink.drain();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_EQ(arrived, kSent) << "nothing lost with a deep enough queue";
  EXPECT_GE(seconds, 0.85) << "100 KB cannot cross 800 kbps faster";
  const NetConditionerStats st = wire.stats();
  EXPECT_GT(st.toServer.maxQueueMs, 800) << "the last one queued for most of the second";
  EXPECT_EQ(st.toServer.bytesForwarded, uint64_t(kSent) * 1000);
  EXPECT_EQ(st.toServer.queueLost, 0u);
}

TEST(NetConditioner, AHandoverDropsWhatArrivesDuringIt) {
  EnetLibrary enet;
  Socket sink, station;
  NetProfile p;
  std::string error;
  ASSERT_TRUE(parseNetProfile("outage=200,period=300", p, error)) << error;
  NetConditioner wire(sink.port(), p, 10);
  const Clock::time_point start = Clock::now();
  uint32_t sent = 0;
  while (Clock::now() - start < std::chrono::milliseconds(1500)) {
    station.send(wire.port(), sent++, 100);
    sink.drain();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  NetConditionerStats st;
  for (int i = 0; i < 2000 && (st = wire.stats()).toServer.received + 5 < sent; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_GT(st.toServer.outageLost, 0u) << "some arrived in the 200 ms out of every 300";
  EXPECT_GT(st.toServer.forwarded, 0u) << "and some between";
  EXPECT_EQ(st.toServer.outageLost + st.toServer.forwarded, st.toServer.received - st.inFlight);
  EXPECT_EQ(st.toServer.dropped, st.toServer.outageLost);
}

}  // namespace
}  // namespace pav::net
