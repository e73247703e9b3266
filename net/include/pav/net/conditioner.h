// A network conditioner for tests and demos: an in-process UDP proxy on 127.0.0.1 that gives
// loopback traffic the latency, jitter, loss, duplication and reordering of a real network, in
// both directions. Stations connect to the conditioner's port instead of the server's; each
// station address gets its own socket towards the server, so the server still sees one address
// per station and the game code under test is unchanged.
//
//   NetProfile profile;
//   std::string error;
//   if (!parseNetProfile(cli.netProfile, profile, error)) fail("%s", error.c_str());  // "bad"
//   NetConditioner wire(server.port(), profile, /*seed*/ 7);  // starts its thread
//   station.connect("127.0.0.1", wire.port());                // instead of server.port()
//   ...
//   const NetConditionerStats s = wire.stats();               // s.toServer.dropped, ...
//   // ~NetConditioner stops and joins the thread
//
// Each datagram goes through its direction's LinkModel (link_model.h: outages, Gilbert-Elliott
// loss whose Good state loses `loss`, the bandwidth queue); what survives leaves the queue and is
// delivered after latency + uniform(-jitter, +jitter) (never below zero), held back a little
// longer with probability `reorder`, and copied with probability `duplicate` (the copy has its
// own delay). The models' clock is milliseconds since the conditioner started.
// Deliveries go out in due-time order, so jitter alone reorders datagrams, as on a real network.
// Decisions come from a seeded std::mt19937_64: the same seed and the same traffic give the same
// drops and copies. Delays are honoured to about a millisecond.
//
// The conditioner models a wire, so it reads std::chrono::steady_clock, on its own thread only.
// Once running it does no heap allocation per datagram: a fixed pool of packet slots and a
// fixed-capacity queue are made in the constructor; a datagram that finds them full is dropped
// and counted as overflow, as a full router queue would drop it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "pav/net/link_model.h"

namespace pav::net {

// ---- Profiles --------------------------------------------------------------------------------

// What the conditioner does to each datagram. Zero everywhere is a plain proxy.
struct NetProfile {
  double latencyMs = 0;  // one-way delay, per direction
  double jitterMs = 0;   // the delay varies uniformly by +/- this much
  double loss = 0;       // fraction 0..1 of datagrams dropped
  double duplicate = 0;  // fraction 0..1 of datagrams delivered twice
  double reorder = 0;    // fraction 0..1 held back an extra 2 x jitter + 10 ms
  // The cellular / Wi-Fi effects (link_model.h); zero: none.
  double downKbps = 0;     // server -> station bandwidth, kilobits per second (0: unlimited)
  double upKbps = 0;       // station -> server
  double queueMs = 200;    // a datagram that would queue longer than this is dropped
  double burstEnter = 0;   // Gilbert-Elliott, per datagram: Good -> Bad, 0..1
  double burstLeave = 1;   // Bad -> Good, 0..1 (the mean burst is 1 / burstLeave datagrams)
  double burstLoss = 0;    // loss in the Bad state, 0..1 (`loss` is the Good state's)
  double outageMs = 0;     // a handover: both directions dead this long ...
  double outagePeriodMs = 0;  // ... once every this long, the first one period after the start
};

// Parses a named profile or a custom one. Names (the numbers and their sources: the
// "Network conditioner" table in net/PROTOCOL.md):
//   none  nothing applied          lan  0.5 ms +/- 0.2 ms
//   5g    10 ms +/- 5 ms, 1 % loss bad  50 ms +/- 25 ms, 5 % loss, 5 % duplicates
//   5g-good    50 / 10 Mbps, 12 +/- 4 ms, light bursts, a 50 ms handover every 60 s
//   5g-edge    2 / 0.5 Mbps, 30 +/- 15 ms, burst loss, a 300 ms handover every 20 s
//   wifi-busy  8 / 8 Mbps, 15 +/- 10 ms, 1 % loss and contention bursts, no handover
// (bad reorders through its jitter alone.) Custom: comma-separated key=value pairs, each at
// most once: latency, jitter, queue, outage and period in milliseconds; loss, dup, reorder,
// burst_enter, burst_leave and burst_loss in percent; down and up in kbps:
// "latency=20,jitter=5,loss=2,dup=1,down=2000,outage=300,period=20000". A name may come first
// and the pairs then change it: "bad,loss=0". Units may be written ("20ms", "2%", "500kbps").
// Impossible combinations are refused too: an outage without a longer period, bursts entered
// but never left. On bad text returns false with a message naming the bad part and every key,
// and leaves `out` unchanged; never throws.
bool parseNetProfile(std::string_view text, NetProfile& out, std::string& error);
// The profile names, for --help text and completion.
std::span<const std::string_view> netProfileNames();
// One line describing every accepted form, for --help text.
std::string netProfileHelp();
// The link model of one direction of `p` (towardsStation: server -> station), as the
// conditioner runs it; a simulation on its own clock runs the same.
LinkModel makeLinkModel(const NetProfile& p, bool towardsStation, uint64_t seed);

// ---- The conditioner -------------------------------------------------------------------------

// Datagrams in one direction. After the traffic settles (nothing in flight):
// received + duplicated == forwarded + dropped + overflow.
struct ConditionerStats {
  uint64_t received = 0;    // read from the sending side
  uint64_t forwarded = 0;   // sent on to the other side, copies included
  uint64_t dropped = 0;     // lost on purpose (the profile's loss)
  uint64_t duplicated = 0;  // extra copies made (the profile's duplicate)
  uint64_t overflow = 0;    // lost for want of room: pool full, too many clients, send refused
  // Parts of `dropped`, by cause (the rest is the independent loss):
  uint64_t outageLost = 0;  // arrived during a handover
  uint64_t burstLost = 0;   // lost by the Gilbert-Elliott model (either state)
  uint64_t queueLost = 0;   // the bandwidth queue was full (would have waited past queueMs)
  uint64_t bytesForwarded = 0;  // payload bytes sent on, copies included
  double maxQueueMs = 0;        // the longest a forwarded datagram waited for bandwidth
};

struct NetConditionerStats {
  ConditionerStats toServer;  // station -> server
  ConditionerStats toClient;  // server -> station
  uint32_t clients = 0;       // station addresses with their own socket towards the server
  uint32_t inFlight = 0;      // datagrams waiting for their due time
};

class NetConditioner {
 public:
  static constexpr int kMaxClients = 64;
  static constexpr int kPoolSlots = 4096;        // datagrams in flight, both directions together
  static constexpr int kMaxDatagram = 1500;      // bytes; longer datagrams are not carried
  static constexpr int kClientIdleSeconds = 60;  // a silent station's socket is then reused

  // Listens on 127.0.0.1:`frontPort` (0: any free port) and forwards to 127.0.0.1:`targetPort`,
  // starting its thread. Profile values outside their ranges are clamped. Throws pav::Error
  // with the reason when a socket cannot be made or bound.
  NetConditioner(uint16_t targetPort, const NetProfile& profile, uint64_t seed, uint16_t frontPort = 0);
  ~NetConditioner();  // stops and joins the thread; datagrams still in flight are lost
  NetConditioner(NetConditioner&& other) noexcept;
  NetConditioner& operator=(NetConditioner&&) = delete;
  NetConditioner(const NetConditioner&) = delete;
  NetConditioner& operator=(const NetConditioner&) = delete;

  // The port stations connect to.
  uint16_t port() const;
  // A consistent snapshot, taken between two passes of the conditioner's loop.
  NetConditionerStats stats() const;
  // Changes the conditions from the next datagram on (datagrams in flight keep their delays),
  // as a demo switches from a good network to a bad one. The links' queues and burst states
  // start afresh; the outage schedule keeps counting from the start.
  void setProfile(const NetProfile& profile);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace pav::net
