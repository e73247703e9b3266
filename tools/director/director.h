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
// Ended sessions leave the floor after DirectorDesc::endedSeconds but are remembered (the last
// Floor::kMaxRecent, across restarts in <stateDir>/recent.json) so that an operator can still
// keep a great match's replay; `keep` works for any session whose replay is in the state folder.
//
// Threads: update() runs on the caller's thread and owns the network. The FloorHandler calls
// (the dashboard's HTTP threads) read a copy of the floor made by update(), and hand launch,
// stop and keep requests to update() through a queue, waiting for its answer.
//
// Files: director.h (this), floor.h (the floor's records and their JSON), floor_states.h (the
// states, the phase rule and every timing rule of the floor), session_host.h (server
// processes), agent.h (the station side, StationAgent, and the operator's side, askDirector:
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
#include "floor.h"
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
  std::map<std::string, int> titles;  // every title the floor offers, with its seats
  RetentionDesc retention;            // how long <stateDir>/sessions keeps ended sessions' files
};

class Director : public dashboard::FloorHandler {
 public:
  // Throws pav::Error when the port is taken or the state folder cannot be made.
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
  const Floor& state() const { return floor_; }

  // dashboard::FloorHandler (any thread).
  nlohmann::json floor() override;
  uint64_t floorVersion() override;
  nlohmann::json launch(const nlohmann::json& request) override;
  nlohmann::json stop(const nlohmann::json& request) override;
  nlohmann::json logs(const std::string& station) override;
  nlohmann::json keep(const nlohmann::json& request) override;

 private:
  struct Peer;
  void onConnect(_ENetPeer* peer);
  void onReceive(_ENetPeer* peer, std::span<const uint8_t> data, double now);
  void onDisconnect(_ENetPeer* peer, double now);
  // Empty when accepted, else why it was refused (nothing of it applied).
  std::string onStationMessage(Peer& p, net::ControlType type, const nlohmann::json& body, double now);
  void send(Peer& p, net::ControlType type, const nlohmann::json& body);
  Peer* stationPeer(const std::string& name);
  nlohmann::json doLaunch(const nlohmann::json& request, double now);
  nlohmann::json doStop(const nlohmann::json& request, double now);
  nlohmann::json doKeep(const nlohmann::json& request);
  void remember(const Session& s, double now);
  void saveRecent();
  void retain(double now);  // the state folder's retention policy (retention.h), hourly
  void startSession(Session& s, double now);
  void endSession(Session& s, const std::string& reason, double now);
  void watch(double now);
  void publish(double now);
  nlohmann::json queued(const nlohmann::json& request);

  DirectorDesc desc_;
  net::ControlKey key_;
  net::EnetLibrary enet_;
  net::Host host_;
  SessionHost sessions_;
  std::map<_ENetPeer*, std::unique_ptr<Peer>> peers_;
  Floor floor_;
  uint64_t refused_ = 0;
  double lastPublish_ = -1;
  double lastRetention_ = 0;
  bool changed_ = true;

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

}  // namespace pav::director
