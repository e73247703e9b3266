// The pavilion floor: the director and what talks to it. One director per pavilion knows the
// stations, hosts the session servers and keeps the floor's state; station agents register
// with it, report their health once a second and launch or stop titles on its command;
// operators drive it with `pavilion ctl` or the dashboard. Every control message is sealed with
// the pavilion's key (pav/net/control.h).
//
//   Director director({.port = 7700, .stateDir = dir, .program = "/usr/bin/pavilion"}, key);
//   for (;;) director.update(clock.seconds(), 20);   // control traffic, sessions, timeouts
//
// Sessions are separate processes (`pavilion server`, started by the director in their own
// process session, their log in <stateDir>/sessions/): if the director stops, running
// sessions play on, and the stations keep playing them. A restarted director rebuilds the
// floor from the stations' reports and the session records in its state folder.
//
// The day book (day_book.h, <stateDir>/days/) records every session: launch, moves, end and
// results; `report` answers with the day's figures (day_report.h).
//
// Moving a visitor (`move`, issue 20): a playing station's seat goes to an idle one. The old
// station is stopped (back to its lobby) and the new one launched with a fresh connect token
// for the same seat once the old one has let go (it reported leaving, went offline, or
// kMoveWaitSeconds passed) and kMoveHandoverSeconds after the order, past the server's rule that
// a silent holder gives way; the server's bot holds the seat meanwhile, so the score and the
// progress stay where they always are, in the session server.
//
// Ended sessions leave the floor after DirectorDesc::endedSeconds but are remembered (the last
// Floor::kMaxRecent, across restarts in <stateDir>/recent.json) so that an operator can still
// keep a great match's replay; `keep` works for any session whose replay is in the state folder.
//
// Hostile networks: a connection that has not finished its handshake within kHandshakeSeconds
// (a station: greeting and Register; an operator: greeting) is dropped, and so is one with no
// accepted message for kSilentPeerSeconds, so idle connections cannot fill DirectorDesc::maxPeers.
// Every message is refused whole when any field is wrong (with a log line); nothing a peer
// sends, and no failure to start a session, ends update(). Log lines caused by unauthenticated
// traffic are rate-limited (kLogLinesPerWindow per kLogWindowSeconds, then a count).
//
// Processes: every server the director started is reaped (SessionHost::reap, each update());
// at most DirectorDesc::maxSessions run at once.
//
// Threads: update() runs on the caller's thread and owns the network. The FloorHandler calls
// (the dashboard's HTTP threads) read a copy of the floor made by update(), and hand launch,
// stop and keep requests to update() through a queue, waiting for its answer.
//
// Files: director.h (this), floor.h (the floor's records and their JSON), floor_states.h (the
// states, the phase rule and every timing rule of the floor), session_host.h (server
// processes), director_messages.cpp (the connections and the stations' messages), agent.h (the station side, StationAgent, and the operator's side, askDirector:
// one sealed request, what `pavilion ctl` sends), station_loop.h (a station's sessions between
// the agent and what plays them); the dashboard's HTTP server is tools/dashboard/dashboard.h.
#pragma once

#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dashboard.h"
#include "day_book.h"
#include "floor.h"
#include "live_desk.h"
#include "pav/core/strings.h"
#include "pav/net/control.h"
#include "pav/net/transport.h"
#include "retention.h"
#include "session_host.h"

namespace pav::director {

struct DirectorDesc {
  std::string bind = "127.0.0.1";  // "0.0.0.0" on a pavilion LAN
  uint16_t port = 7700;            // control port (0: any free port)
  std::string stateDir;            // session records and logs (required)
  std::string program;             // the pavilion binary that runs `server`
  double offlineSeconds = kOfflineSeconds;    // a station silent this long is offline
  double endedSeconds = kEndedListedSeconds;  // an ended session stays listed this long
  int maxPeers = 64;
  int maxSessions = kMaxSessions;             // sessions running at once; a launch beyond is refused
  double handshakeSeconds = kHandshakeSeconds;
  double silentSeconds = kSilentPeerSeconds;
  std::map<std::string, int> titles;  // every title the floor offers, with its seats
  RetentionDesc retention;            // how long <stateDir>/sessions keeps ended sessions' files
  core::Lang defaultLang = core::Lang::Zh;    // the visitors' language unless a station or a launch says
  double lobbySeconds = kDefaultLobbySeconds;  // a launch's lobby unless its request says ("lobby")
};

class Director : public dashboard::FloorHandler {
 public:
  // Throws pav::Error when the port is taken, the state folder cannot be made or `key` is a
  // station's key file (the director needs the operator key file, which holds both keys).
  Director(const DirectorDesc& desc, const net::ControlKey& key);
  ~Director() override;
  Director(const Director&) = delete;
  Director& operator=(const Director&) = delete;

  uint16_t port() const { return host_.port(); }
  // Handles control traffic (waiting up to waitMs for it), answers queued requests, watches
  // sessions and stations. `now`: steady seconds.
  void update(double now, uint32_t waitMs);
  // An operator request ({"command": "stations" | "status" | "launch" | "stop" | "logs" | "keep", ...})
  // answered at once; on the update() thread only.
  nlohmann::json handle(const nlohmann::json& request, double now);

  uint64_t refusedMessages() const { return refused_; }
  // Session servers this director started that have not exited (each is reaped when it does).
  size_t runningServers() const { return sessions_.running(); }
  // Connections open now, and those dropped for not finishing their handshake or for silence.
  size_t connections() const { return peers_.size(); }
  uint64_t droppedConnections() const { return dropped_; }
  // Log lines about unauthenticated traffic left out by the rate limit so far.
  uint64_t suppressedLogLines() const { return log_.suppressedTotal; }

  // For tests and the fuzzer: one decoded message from a connection with no network behind it
  // (`connection` names it: the same number is the same peer, with the role of its first
  // message), through the same handlers as a network message after its MAC was checked.
  // Returns the reply to an operator's Request, null for anything else.
  nlohmann::json receiveDecoded(int connection, net::Role role, net::ControlType type, const nlohmann::json& body, double now);
  const Floor& state() const { return floor_; }

  // dashboard::FloorHandler (any thread).
  nlohmann::json floor() override;
  uint64_t floorVersion() override;
  nlohmann::json launch(const nlohmann::json& request) override;
  nlohmann::json stop(const nlohmann::json& request) override;
  nlohmann::json logs(const std::string& station) override;
  nlohmann::json keep(const nlohmann::json& request) override;
  nlohmann::json volume(const nlohmann::json& request) override;
  nlohmann::json report(const nlohmann::json& request) override;
  nlohmann::json move(const nlohmann::json& request) override;
  nlohmann::json view(const nlohmann::json& request) override;
  nlohmann::json ack(const nlohmann::json& request) override;
  // What reached the control port so far: datagrams and their bytes (the measure of issue 20).
  uint64_t controlDatagrams() const { return host_.datagramsReceived(); }
  uint64_t controlBytes() const { return host_.bytesReceived(); }
  // The live views and alerts (live_desk.h), on the update() thread only.
  const LiveDesk& desk() const { return desk_; }

 private:
  struct Peer;
  // At most kLogLinesPerWindow lines per kLogWindowSeconds; the rest counted.
  struct LogLimit {
    double windowStart = -1e9;
    int lines = 0;
    uint64_t suppressed = 0, suppressedTotal = 0;
  };
  void logUnauthenticated(double now, const char* format, ...) __attribute__((format(printf, 3, 4)));
  void closeLogWindow(double now);
  void onConnect(_ENetPeer* peer, double now);
  void onReceive(_ENetPeer* peer, std::span<const uint8_t> data, double now);
  void onDisconnect(_ENetPeer* peer, double now);
  // What an opened message does, by the sender's role; `reply` gets an operator's answer.
  void dispatch(Peer& p, net::Role role, net::ControlType type, const nlohmann::json& body, double now, nlohmann::json* reply);
  void refuse(Peer& p, const std::string& why, double now);
  void drop(Peer& p, bool later);
  void dropIdle(double now);
  // Empty when accepted, else why it was refused (nothing of it applied).
  std::string onStationMessage(Peer& p, net::ControlType type, const nlohmann::json& body, double now);
  void send(Peer& p, net::ControlType type, const nlohmann::json& body);
  Peer* stationPeer(const std::string& name);
  nlohmann::json doLaunch(const nlohmann::json& request, double now);
  nlohmann::json doStop(const nlohmann::json& request, double now);
  nlohmann::json doKeep(const nlohmann::json& request);
  nlohmann::json doVolume(const nlohmann::json& request);
  nlohmann::json doReport(const nlohmann::json& request);
  nlohmann::json doMove(const nlohmann::json& request, double now);
  void handOver(double now);  // moves whose new station is due its Launch
  void sendLaunch(const Session& s, const std::string& station, int seat, double now);
  // director_live.cpp: live views and alerts.
  std::string onStationDesk(StationRecord& s, net::ControlType type, const nlohmann::json& body, double now);
  nlohmann::json doView(const nlohmann::json& request, double now);
  nlohmann::json doAlerts(const nlohmann::json& request);
  nlohmann::json doAck(const nlohmann::json& request);
  void serveWatches(double now);  // tells each station how often to send its picture
  static double wallClock();
  void remember(const Session& s, double now);
  void saveRecent();
  void retain(double now);  // the state folder's retention policy (retention.h), hourly
  void startSession(Session& s, double now);
  void endSession(Session& s, Ending ending, const std::string& reason, double now);
  void watch(double now);
  void publish(double now);
  nlohmann::json queued(const nlohmann::json& request);

  DirectorDesc desc_;
  net::ControlKey key_;
  net::EnetLibrary enet_;
  net::Host host_;
  SessionHost sessions_;
  std::map<_ENetPeer*, std::unique_ptr<Peer>> peers_;
  std::map<int, std::unique_ptr<Peer>> decodedPeers_;  // receiveDecoded's connections
  LogLimit log_;
  double lastWatchError_ = -1e9;
  uint64_t dropped_ = 0;
  Floor floor_;
  LiveDesk desk_;
  uint64_t publishedAlerts_ = 0;
  uint64_t refused_ = 0;
  double lastPublish_ = -1;
  double lastRetention_ = 0;
  bool changed_ = true;
  DayBook book_;
  // A move under way: the seat waits for `from` to let go, then `to` is launched into it.
  struct Handover {
    std::string session, from, to;
    int seat = 0;
    double since = 0;
  };
  std::vector<Handover> handovers_;

  // Shared with the dashboard's threads.
  std::mutex mutex_;
  nlohmann::json published_;
  uint64_t version_ = 0;
  struct Pending {
    nlohmann::json request;
    std::promise<nlohmann::json> answer;
  };
  std::deque<Pending> pending_;
};

// One connection (or one of receiveDecoded's).
struct Director::Peer {
  _ENetPeer* peer = nullptr;  // null for receiveDecoded's connections
  net::ControlLink link;
  std::string address;
  std::string station;        // its name once it registered
  uint64_t refusals = 0;
  double connectedAt = 0, lastHeard = 0;  // the director's clock
  bool authenticated = false;             // a message of it opened with the key
  int watchEvery = 0;                     // the pictures this station was told to send (Watch), seconds apart
  net::Role role = net::Role::Operator;   // receiveDecoded's connections: the role they were given
};

}  // namespace pav::director
