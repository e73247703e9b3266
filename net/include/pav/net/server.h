// The authoritative session server: it runs one title for a session, takes the stations'
// inputs and streams the state back.
//
// Each tick it steps the title with every seat's input for that tick (a station's, repeated
// when one is late, or the title's own bot for a seat with no station); every
// tickRate / snapshotHz ticks it captures and quantizes the state once and sends each station
// a snapshot delta-encoded against the newest one that station acknowledged. Counter scalars
// (goals, laps) going up are announced on the reliable channel, and the end with the results.
// A station silent for `timeoutMs` is dropped; its seat waits for it (its Welcome token) while
// the title's bot plays it, so the others play on.
//
// Admission (net/PROTOCOL.md, "Admission"): a Hello takes a seat only with a connect token
// (token.h) sealed with this session's key for that seat, this session and this title, not
// expired; or with the seat's resume token (64 random bits from its Welcome) while the seat
// has no connected holder. A resume while the holder is still connected also needs the seat's
// connect token (a station whose link died before the server noticed); the newer connection
// then replaces the older. A connection holds one seat at most; one that has not sent a valid
// Hello within `handshakeMs` is dropped, and so is a seated one silent for `timeoutMs`.
// Inputs are taken only for ticks within a second of the server's, each checked by the
// title (Title::checkInput); the rest are refused and counted, never stored.
//
// The session's start (ServerDesc::holdSeconds: the lobby and the 3-2-1 start): the server's
// clock begins at its first update(), and for the first holdTicks() of its ticks the title is
// held at its set-up state: not stepped, no snapshots, stations' inputs ignored (not stored,
// not counted), seated stations not dropped for silence (they have nothing to send yet; ENet's
// own timeout still drops a dead link). The title's tick 1 is stepped at clock tick
// holdTicks() + 1, so the session's length counts from the start. Every Welcome says where the
// start is (Welcome::holdTicks, Welcome::clockTick), so a station that joins late knows it.
//
//   SessionServer server({.title = "hockey", .setup = {.players = 2}});
//   while (!server.ended()) {
//     server.update(clock.seconds());         // never blocks
//     server.wait(clock.seconds(), 0.02);     // sleeps until the next tick (20 ms at most)
//   }
//
// The caller owns the clock (steady seconds) and the title registry (titles registered).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pav/core/replay.h"
#include "pav/core/title.h"
#include "pav/net/link_budget.h"
#include "pav/net/protocol.h"
#include "pav/net/snapshot.h"
#include "pav/net/token.h"
#include "pav/net/transport.h"

namespace pav::net {

struct ServerDesc {
  std::string title;
  core::TitleSetup setup;
  uint16_t port = 0;  // 0: any free port (see port())
  std::string bind = "127.0.0.1";
  int maxStations = 8;
  double snapshotHz = 60;
  uint32_t timeoutMs = 3000;  // a station silent this long is dropped
  uint32_t handshakeMs = 2000;  // a connection without a valid Hello this long is dropped
  // The session's secret: connect tokens sealed with it admit stations. None: the server makes
  // a random one (key(): a standalone server issues its stations' tokens with it).
  std::optional<SessionKey> key;
  std::string replayPath;     // non-empty: record the session there (pav/core/replay.h)
  double holdSeconds = 0;     // the title held at its set-up state this long before it is stepped
  int dscp = kDscpGame;       // QoS mark of the session's datagrams (transport.h); kDscpOff: none
  double budgetKbps = 0;      // each station's downlink budget (link_budget.h); 0: estimated from its link
  double awaySeconds = 0;     // a seat without input this long is the bot's until inputs return; 0: the title's
};

struct SeatStats {
  bool connected = false;
  int seat = -1;
  uint32_t rttMs = 0, rttVarianceMs = 0;
  float loss = 0;                       // ENet's estimate, 0..1
  double upKbps = 0, downKbps = 0;      // payload, over the last second
  uint64_t upBytes = 0, downBytes = 0;  // payload, since the session began
  int inputLeadTicks = 0;               // newest input held minus the server's tick
  uint64_t inputsMissing = 0;           // ticks stepped with a repeated input
  // As the station reports them.
  uint32_t interpolationMs = 0, predictionErrorMm = 0, snapshotLossPermille = 0, snapshotAgeMs = 0;
  uint64_t snapshotsSent = 0, reconnects = 0;
  uint64_t inputsRefused = 0;  // inputs outside the tick window, refused by the title, or acks of unsent ticks
  // The link (link_budget.h).
  double budgetKbps = 0, estimatedKbps = 0;  // the budget in force, and the estimate
  double budgetUsedKbps = 0;                 // what was sent against it over the last second
  double snapshotHz = 0;                     // the snapshot rate in force for this station
  uint64_t snapshotsOverBudget = 0, congestions = 0;
  uint64_t snapshotsPartial = 0;             // cut to the budget: the objects that matter most (priority.h)
  uint64_t outages = 0;                      // the station silent kOutageSeconds or more, then back
  double longestOutageMs = 0;
  std::vector<OutageRecord> recentOutages;   // the newest few, oldest first
  bool botPlaying = false;                   // the bot plays the seat (away, or its inputs stopped past awaySeconds)
  uint64_t botHandovers = 0;                 // times the seat's inputs stopped past awaySeconds
  uint64_t botTicks = 0;                     // ticks the bot played while the station was connected
};

struct ServerStats {
  uint64_t tick = 0;
  double seconds = 0;
  uint64_t malformed = 0;        // packets that failed to decode (dropped)
  uint64_t refused = 0;          // stations turned away
  uint64_t datagrams = 0;        // everything that reached the socket
  uint64_t inputsRefused = 0;    // inputs refused, all seats (SeatStats::inputsRefused)
  uint64_t handshakeTimeouts = 0;  // connections dropped for no valid Hello in time
  uint64_t silentDropped = 0;    // seated connections dropped for silence
  uint64_t crowded = 0;          // connections reset because their machine had too many without a credential
  std::vector<SeatStats> stations;  // by seat
};

class SessionServer {
 public:
  // Throws pav::Error with the reason (unknown title, bad setup, port in use).
  explicit SessionServer(const ServerDesc& desc);
  ~SessionServer();
  SessionServer(const SessionServer&) = delete;
  SessionServer& operator=(const SessionServer&) = delete;

  uint16_t port() const;
  // Receives, steps every tick due by `now` (at most a quarter second's worth: a stalled
  // server skips ahead rather than racing), sends snapshots. Waits up to `waitMs` for traffic.
  void update(double now, uint32_t waitMs = 0);
  // Sleeps until the next tick is due, or `maxSeconds` pass: one wake-up a tick, instead of
  // polling; packets wait in the socket for the tick that uses them.
  void wait(double now, double maxSeconds);
  // The title finished and every station was sent the results.
  bool ended() const { return ended_; }
  const core::Title& title() const { return *title_; }
  // The ticks of the hold (ServerDesc::holdSeconds at the title's rate), and the server's clock
  // in ticks since its first update() (0 before it).
  uint64_t holdTicks() const { return holdTicks_; }
  uint64_t clockTick(double now) const;
  // Still before the start (the title not stepped yet) at `now`.
  bool holding(double now) const { return clockTick(now) < holdTicks_ || start_ < 0; }
  const core::StateSchema& schema() const { return schema_; }
  int connectedStations() const;
  // The newest snapshot sent, quantized: what every station's view of the server converges to.
  const QuantFrame& lastSnapshot() const { return *lastSnapshot_; }
  const SnapshotCodec& codec() const { return codec_; }
  const ServerStats& stats() const { return stats_; }
  // The session's key (ServerDesc::key, or the one the server made): issue tokens with it.
  const SessionKey& key() const { return key_; }
  // Connections that are not (or not yet) seated.
  int pendingConnections() const { return int(pending_.size()); }
  // The recording, when ServerDesc::replayPath was given (finished when the session ends).
  const core::ReplayWriter* replay() const { return replay_ ? &*replay_ : nullptr; }
  // One line for people, or one JSON object (nlohmann-json: keys in a fixed order, strings
  // escaped; the keys are those of SeatStats in snake_case).
  std::string statsLine() const;
  std::string statsJson() const;

 private:
  struct Station;
  void onReceive(_ENetPeer* peer, std::span<const uint8_t> data, uint8_t channel);
  void onHello(_ENetPeer* peer, std::span<const uint8_t> data);
  void onDisconnect(_ENetPeer* peer);
  std::string admit(_ENetPeer* peer, const Hello& hello, Station*& seat, bool& resumed);
  void dropIdle(double now);
  void unpend(_ENetPeer* peer);
  bool logAllowed();
  void stepTick();
  void sendSnapshots();
  void sendReliable(_ENetPeer* peer, std::span<const uint8_t> data);
  void updateRates(double now);

  ServerDesc desc_;
  EnetLibrary enet_;
  Host host_;
  std::unique_ptr<core::Title> title_;
  std::optional<core::ReplayWriter> replay_;
  core::StateSchema schema_;
  SnapshotCodec codec_;
  core::StateFrame frame_;
  std::vector<QuantFrame> history_;  // the last snapshots, by (tick / ticksPerSnapshot) % size
  std::vector<std::unique_ptr<Station>> stations_;  // one per seat
  std::vector<core::InputFrame> stepInputs_;
  std::vector<uint8_t> buffer_;
  Inputs incoming_;  // the packet being read (3 KB: kept here, not on the stack)
  std::array<int32_t, core::kMaxScalars> counters_{};
  const QuantFrame* lastSnapshot_ = nullptr;
  uint64_t ticksPerSnapshot_ = 1;
  uint64_t holdTicks_ = 0;
  uint64_t awayTicks_ = 1;  // the title's awaySeconds in ticks
  double start_ = -1, lastRate_ = 0;  // start_: when the title's tick 0 is, on the caller's clock
  bool ended_ = false;
  SessionKey key_;
  struct Pending {
    _ENetPeer* peer;
    double since;
    uint32_t machine;  // Host::machine: connections not through their handshake are counted per machine
  };
  std::vector<Pending> pending_;  // connected, not seated (reserved for every peer slot)
  uint64_t inputWindow_ = 0;      // ticks either side of the server's an input may name
  double now_ = 0;
  int strangerLines_ = 0;  // log lines about refused or dropped connections (rate-limited)
  double lastStrangerLine_ = -1e9;
  ServerStats stats_;
};

}  // namespace pav::net
