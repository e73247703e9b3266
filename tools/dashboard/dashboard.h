// The director's web dashboard: a small HTTP server (cpp-httplib) that serves the operators'
// page and a JSON API over the floor, behind the operator password of the pavilion's key.
//
//   class MyFloor : public pav::dashboard::FloorHandler { ... };   // the director implements it
//   pav::dashboard::Dashboard web(floor, key, {.bind = "0.0.0.0", .port = 8080});
//   printf("dashboard on port %u\n", web.port());
//   ...                                      // serves on its own threads until destroyed
//
// Routes (every /api/ reply is JSON; every POST needs Content-Type: application/json):
//   GET  /  /style.css  /app.js   the page (embedded in the library at build time)
//   POST /api/login  {"password"} 200 {"ok":true} + cookie pav_session | 401 | 429 (more than 5
//                                 tries a minute from one address, counted before the check) |
//                                 503 (2 password checks already running: each holds 64 MiB)
//   POST /api/logout              200 {"ok":true}, the session is forgotten
//   -- the rest needs the pav_session cookie, else 401 {"ok":false,"error":"not logged in"} --
//   GET  /api/floor               handler.floor()
//   GET  /api/events              Server-Sent Events: `event: floor` with the floor at once and
//                                 whenever floorVersion() changes; `: keepalive` every 15 s
//   POST /api/launch {...}        handler.launch(body)     (the handler's reply, status 200)
//   POST /api/stop {"target"}     handler.stop(body)
//   POST /api/keep {"session","name"?}  handler.keep(body): keep an ended session's replay
//   POST /api/volume {"station","volume"?,"muted"?}  handler.volume(body): what its visitors hear
//                                 (400 when "session" is not a non-empty string or "name" not a string)
//   GET  /api/logs?station=NAME   handler.logs(NAME)
//   GET  /api/report?day=YYYY-MM-DD  handler.report({"day"}): the day's figures (no day: today)
//   POST /api/move {"station","to"}  handler.move(body): a playing visitor's seat to an idle station
// Malformed requests get 400 {"ok":false,"error":"<what is wrong>"}; a handler that throws
// gets 500 with the exception's text. Nothing a client sends can crash the server.
//
// Bound beyond loopback it serves HTTPS only (DashboardDesc::certificate, made by `pavilion
// director --init`, tls.h); plain HTTP is for 127.0.0.1 and ::1. Every request must arrive
// whole (headers and body) within DashboardDesc::requestSeconds of a worker taking it up, or its
// connection is cut (watchdog.h): slow clients cannot hold the workers.
//
// The constructor ignores SIGPIPE for the whole process (a browser that goes away mid-reply
// must not kill the director).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "pav/net/control.h"

namespace pav::dashboard {

// ---- What the dashboard shows and does: implemented by the director ---------------------------

// Called from the HTTP server's threads, several at once: every method must be thread-safe.
class FloorHandler {
 public:
  virtual ~FloorHandler() = default;
  // The whole floor: {"titles":[...], "stations":[...], "sessions":[...], "recent":[...]} (see web/app.js).
  virtual nlohmann::json floor() = 0;
  // Grows whenever floor() would change; the event streams poll it every 200 ms.
  virtual uint64_t floorVersion() = 0;
  // {"title","stations":[...],"minutes","difficulty","lobby"?,"lang"?,"budget_kbps"?} -> {"ok":true,"session":"s3"} | {"ok":false,"error"}
  // (lobby: seconds before the 3 s start, default the director's; lang: "zh" | "en", default the
  // station's, else the director's)
  virtual nlohmann::json launch(const nlohmann::json& request) = 0;
  // {"target":"s3"|"station-2"} -> {"ok":..., "error"?}
  virtual nlohmann::json stop(const nlohmann::json& request) = 0;
  // {"ok":true,"lines":[...]} | {"ok":false,"error"}
  virtual nlohmann::json logs(const std::string& station) = 0;
  // {"session":"s3","name"?:"final"} -> {"ok":true,"path":".../kept/final.replay"} | {"ok":false,"error"}
  virtual nlohmann::json keep(const nlohmann::json& request) = 0;
  // {"station","volume"?:0..100,"muted"?:bool} -> {"ok":true,"volume","muted"} | {"ok":false,"error"}
  virtual nlohmann::json volume(const nlohmann::json& request) {
    (void)request;
    return {{"ok", false}, {"error", "this floor has no volume control"}};
  }
  // {"day"?:"YYYY-MM-DD"} -> {"ok":true,"report":{...}} (the director's day_report.h) | {"ok":false,"error"}
  virtual nlohmann::json report(const nlohmann::json& request) {
    (void)request;
    return {{"ok", false}, {"error", "this floor keeps no day book"}};
  }
  // {"station","to"} -> {"ok":true,"session","from","to","seat"} | {"ok":false,"error"}: a playing
  // visitor's seat handed to an idle station
  virtual nlohmann::json move(const nlohmann::json& request) {
    (void)request;
    return {{"ok", false}, {"error", "this floor cannot move visitors"}};
  }
  // {"station","fast"?:bool} -> {"ok":true,"station","picture":null|{"jpeg":base64,"width","height","age","serial"}}:
  // the station's latest live view; asking watches it (the station sends pictures while watched).
  virtual nlohmann::json view(const nlohmann::json& request) {
    (void)request;
    return {{"ok", false}, {"error", "this floor has no live views"}};
  }
  // {"id":7} -> {"ok":true,"id"} | {"ok":false,"error"}: an operator acknowledges an alert.
  virtual nlohmann::json ack(const nlohmann::json& request) {
    (void)request;
    return {{"ok", false}, {"error", "this floor has no alerts"}};
  }
};

// ---- The server -------------------------------------------------------------------------------

// Zero fields mean "default".
struct DashboardDesc {
  std::string bind = "127.0.0.1";  // the address to listen on ("0.0.0.0": every interface)
  uint16_t port = 0;               // 0: any free port (see Dashboard::port())
  // HTTPS: the PEM files `pavilion director --init` makes (tls.h). Bound beyond loopback the
  // dashboard serves HTTPS only, and refuses to start without them; on loopback it serves plain
  // HTTP unless `https` asks for HTTPS there too.
  std::string certificate;
  std::string privateKey;
  bool https = false;
  double requestSeconds = 0;  // time to send a whole request, headers and body (0: 10 s)
  // The login throttle's clock (tests move it; empty: std::chrono::steady_clock::now).
  std::function<std::chrono::steady_clock::time_point()> clock;
};

class Dashboard {
 public:
  // Starts serving on its own threads; throws pav::Error when it cannot listen. Keeps a copy of
  // `key`; `handler` must outlive the Dashboard.
  Dashboard(FloorHandler& handler, const net::ControlKey& key, const DashboardDesc& desc);
  // Stops the server and joins its threads; open event streams end within ~200 ms.
  ~Dashboard();
  Dashboard(const Dashboard&) = delete;
  Dashboard& operator=(const Dashboard&) = delete;

  uint16_t port() const;
  // Logins refused so far (wrong password, too many tries from one address, checks busy).
  uint64_t refusedLogins() const;
  bool https() const;                // serving HTTPS (see DashboardDesc)
  uint64_t passwordChecks() const;   // argon2 checks run so far
  int peakConcurrentChecks() const;  // the most that ever ran at once (at most 2)
  uint64_t cutConnections() const;   // connections cut for sending a request too slowly
  size_t connectionsServed() const;  // connections a worker is serving now (at most 48)

  struct Impl;  // dashboard.cpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pav::dashboard
