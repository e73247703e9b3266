// The director's clients: the station agent (inside `pavilion station --director`) and the
// operator's one-shot request (`pavilion ctl`).
//
// A StationAgent keeps a sealed control connection to the director: it registers with the
// station's name and state, sends its health once a second (and at once when its state
// changes), forwards log lines, and hands the director's Launch and Stop orders to the
// station's loop. When the director goes away it retries every second and, back, registers
// again with what it is running, so a restarted director sees the floor as it is. It never
// blocks longer than the wait it is given: the station's render loop never waits on it.
//
//   StationAgent agent({.host = "10.0.0.2", .port = 7700, .name = "station-3"}, key);
//   loop: agent.update(now);  if (auto order = agent.takeLaunch()) start(*order);
//         agent.setStatus(status);
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <utility>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "floor.h"
#include "pav/core/strings.h"
#include "pav/net/control.h"
#include "pav/net/token.h"
#include "pav/net/transport.h"

namespace pav::director {

struct AgentDesc {
  std::string host = "127.0.0.1";
  uint16_t port = 7700;
  std::string name;
  std::string version = "pavilion 0.1.0";
  double reconnectSeconds = kReconnectSeconds;
  double healthSeconds = kHealthSeconds;
  std::optional<core::Lang> lang;  // this station's language (station --lang); none: the director's default
};

// What the station is doing, as its loop tells the agent.
struct StationStatus {
  StationState state = StationState::Idle;  // never Offline
  std::string title, session;
  double remaining = 0;
  int seat = -1;
  Health health;
};

struct LaunchOrder {
  std::string session, title, difficulty;
  uint16_t port = 0;     // the session server, on the director's host
  double seconds = 0;    // the session's time of play left when the order was sent
  double startsIn = 0;   // seconds from the order to the start of play (the lobby and the 3 s start)
  std::optional<net::ConnectToken> token;  // this station's seat in the session (net/token.h)
  // The visitor's language: the launch's own ("lang"), else this station's (AgentDesc::lang),
  // else the director's default ("defaultLang"), else zh.
  core::Lang lang = core::Lang::Zh;
};

// That rule, on the Launch's fields as they came ("" or absent: not given). False, with
// `error`, when a given one is not a language (zh, en).
bool resolveLang(const nlohmann::json& launch, std::optional<core::Lang> station, core::Lang& out, std::string& error);

class StationAgent {
 public:
  StationAgent(const AgentDesc& desc, const net::ControlKey& key);
  ~StationAgent();
  StationAgent(const StationAgent&) = delete;
  StationAgent& operator=(const StationAgent&) = delete;

  void update(double now, uint32_t waitMs = 0);
  bool registered() const { return registered_; }
  void setStatus(const StationStatus& status);
  void log(const std::string& line);
  std::optional<LaunchOrder> takeLaunch();
  // The session the director asked to stop, if it did.
  std::optional<std::string> takeStop();
  // The volume the director last set (0..100, muted), once per Volume message.
  struct Volume {
    int volume = 100;
    bool muted = false;
  };
  std::optional<Volume> takeVolume() { return std::exchange(volume_, std::nullopt); }
  // Live views (issue 20): the director asks for a picture every viewEvery() seconds while someone
  // watches (0: nobody). viewDue() says one is wanted now; sendView() sends it (a JPEG of at
  // most net::kMaxViewJpegBytes; bigger ones are dropped) and counts the wait from now.
  int viewEvery() const { return viewEvery_; }
  bool viewDue(double now) const;
  void sendView(std::span<const uint8_t> jpeg, int width, int height, double now);
  uint64_t viewsSent() const { return viewsSent_; }
  // An alert for the operators: kind "call" (a visitor asks for staff), "trainer" (lost), "wheel"
  // (unplugged), with a line of detail. Sent now when registered, else only logged.
  void alert(const std::string& kind, const std::string& detail);
  const std::string& directorHost() const { return desc_.host; }
  uint64_t refused() const { return refused_; }
  uint64_t registrations() const { return registrations_; }

 private:
  void onReceive(std::span<const uint8_t> data);
  void onLaunch(const nlohmann::json& body);
  nlohmann::json report() const;
  void sendSealed(net::ControlType type, const nlohmann::json& body);

  AgentDesc desc_;
  net::ControlKey key_;
  net::EnetLibrary enet_;
  net::Host host_;
  _ENetPeer* peer_ = nullptr;
  std::optional<net::ControlLink> link_;
  bool registered_ = false;
  double nextAttempt_ = 0, nextHealth_ = 0, started_ = -1;
  StationStatus status_;
  bool statusChanged_ = false;
  std::deque<std::string> logLines_;
  std::optional<Volume> volume_;
  std::deque<LaunchOrder> launches_;
  std::deque<std::string> stops_;
  uint64_t refused_ = 0, registrations_ = 0;
  int viewEvery_ = 0;
  double nextView_ = 0;
  uint64_t viewsSent_ = 0;
};

// One operator request: connects, greets, sends `request`, waits for the reply. Throws
// pav::Error with what went wrong (no director at host:port, the director refused us, no
// reply within the time).
nlohmann::json askDirector(const std::string& host, uint16_t port, const net::ControlKey& key,
                           const nlohmann::json& request, uint32_t timeoutMs = 5000);

}  // namespace pav::director
