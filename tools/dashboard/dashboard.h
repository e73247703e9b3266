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
//   POST /api/login  {"password"} 200 {"ok":true} + cookie pav_session | 401 | 429 (too many)
//   POST /api/logout              200 {"ok":true}, the session is forgotten
//   -- the rest needs the pav_session cookie, else 401 {"ok":false,"error":"not logged in"} --
//   GET  /api/floor               handler.floor()
//   GET  /api/events              Server-Sent Events: `event: floor` with the floor at once and
//                                 whenever floorVersion() changes; `: keepalive` every 15 s
//   POST /api/launch {...}        handler.launch(body)     (the handler's reply, status 200)
//   POST /api/stop {"target"}     handler.stop(body)
//   POST /api/keep {"session","name"?}  handler.keep(body): keep an ended session's replay
//                                 (400 when "session" is not a non-empty string or "name" not a string)
//   GET  /api/logs?station=NAME   handler.logs(NAME)
// Malformed requests get 400 {"ok":false,"error":"<what is wrong>"}; a handler that throws
// gets 500 with the exception's text. Nothing a client sends can crash the server.
//
// The constructor ignores SIGPIPE for the whole process (a browser that goes away mid-reply
// must not kill the director).
#pragma once

#include <cstdint>
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
  // {"title","stations":[...],"minutes","difficulty"} -> {"ok":true,"session":"s3"} | {"ok":false,"error"}
  virtual nlohmann::json launch(const nlohmann::json& request) = 0;
  // {"target":"s3"|"station-2"} -> {"ok":..., "error"?}
  virtual nlohmann::json stop(const nlohmann::json& request) = 0;
  // {"ok":true,"lines":[...]} | {"ok":false,"error"}
  virtual nlohmann::json logs(const std::string& station) = 0;
  // {"session":"s3","name"?:"final"} -> {"ok":true,"path":".../kept/final.replay"} | {"ok":false,"error"}
  virtual nlohmann::json keep(const nlohmann::json& request) = 0;
};

// ---- The server -------------------------------------------------------------------------------

// Zero fields mean "default".
struct DashboardDesc {
  std::string bind = "127.0.0.1";  // the address to listen on ("0.0.0.0": every interface)
  uint16_t port = 0;               // 0: any free port (see Dashboard::port())
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
  // Logins refused so far (wrong password, or too many tries from one address).
  uint64_t refusedLogins() const;

  struct Impl;  // dashboard.cpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pav::dashboard
