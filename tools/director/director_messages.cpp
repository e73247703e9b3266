// The director's connections and what stations send: greetings, sealed messages, refusals
// (rate-limited where no key was shown), the handshake and silence limits, and each station
// message read whole before any of it is applied. Operator requests are in director.cpp.
//
// Index
//   [Reports]      a Register's or Health's fields, checked
//   [Connections]  connect, receive, dispatch, refuse, drop; idle connections
//   [Decoded]      the test seam: decoded messages through the same dispatch
//   [Stations]     register, health, logs; rebuilding sessions from reports
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <optional>

#include "director.h"
#include "pav/core/error.h"
#include "pav/core/title.h"

namespace pav::director {

using nlohmann::json;

namespace {

std::string text(StationState s) { return std::string(toString(s)); }
json failure(const std::string& error) { return {{"ok", false}, {"error", error}}; }

// ---- [Reports] -------------------------------------------------------------------------------

// What a station's Register and Health carry, read whole before any of it is applied.
struct Report {
  StationState state = StationState::Idle;
  std::string title, session;
  double remaining = 0;
  int seat = -1;
  Health health;
};

// A number a station reports: absent keeps `out`; present, it must be a finite number within
// [lo, hi] (an integer where `integer`), or the report is refused: a float that does not fit
// an integer is undefined behaviour to convert, and a seat of -7 is nobody's.
bool readNumber(const json& body, const char* key, double lo, double hi, bool integer, double& out) {
  const auto it = body.find(key);
  if (it == body.end()) return true;
  if (!it->is_number() || (integer && !it->is_number_integer())) return false;
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < lo || v > hi) return false;
  out = v;
  return true;
}

// Reads a Register's or Health's report whole; "" when it is good, else what is wrong with it
// (a state that is not one a station reports, a number out of range). Throws json::exception
// for a text field of the wrong type, which the caller refuses the same way.
std::string readReport(const json& body, Report& r) {
  const json state = body.value("state", json("idle"));
  const std::optional<StationState> parsed = state.is_string() ? parseStationState(state.get_ref<const std::string&>()) : std::nullopt;
  if (!parsed || *parsed == StationState::Offline)
    return "a bad state " + state.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 64) +
           " (idle, loading, playing, warning or ended)";
  r.state = *parsed;
  r.title = body.value("title", std::string());
  r.session = body.value("session", std::string());
  // Names the floor shows and files are named by: the rules of a station's name.
  if (!r.title.empty() && !validName(r.title)) return "a bad title (1 to 32 letters, digits, - _ .)";
  if (!r.session.empty() && !validName(r.session)) return "a bad session id (1 to 32 letters, digits, - _ .)";
  double seat = -1, missed = 0, rtt = 0, outages = 0;
  const bool numbers = readNumber(body, "remaining", -1e7, 1e7, false, r.remaining) &&
                       readNumber(body, "seat", -1, core::kMaxPlayers - 1, true, seat) &&
                       readNumber(body, "fps", 0, 1e4, false, r.health.fps) &&
                       readNumber(body, "missedFrames", 0, 1e15, true, missed) &&
                       readNumber(body, "rttMs", 0, 4e9, true, rtt) &&
                       readNumber(body, "loss", 0, 1, false, r.health.loss) &&
                       readNumber(body, "uptime", 0, 1e10, false, r.health.uptime) &&
                       readNumber(body, "downKbps", 0, 1e7, false, r.health.downKbps) &&
                       readNumber(body, "outages", 0, 1e15, true, outages) &&
                       readNumber(body, "longestOutageMs", 0, 1e10, false, r.health.longestOutageMs) &&
                       readNumber(body, "correctionMm", 0, 1e10, false, r.health.correctionMm);
  if (!numbers) return "a number out of range or not a number (" + body.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 200) + ")";
  r.seat = static_cast<int>(seat);
  r.health.missedFrames = static_cast<uint64_t>(missed);
  r.health.rttMs = static_cast<uint32_t>(rtt);
  r.health.headset = body.value("headset", false);
  r.health.outages = static_cast<uint64_t>(outages);
  // The link's state: an older agent sends none (ok); anything else than its names is refused.
  if (body.contains("link")) {
    const json& link = body["link"];
    if (!link.is_string() || !net::parseLinkState(link.get<std::string>(), r.health.link))
      return "a bad link " + link.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 64) +
             " (ok, interrupted or bot)";
  }
  const json present = body.value("present", json());
  if (!present.is_null() && !present.is_boolean()) return "a presence that is not true or false";
  r.health.present = present.is_null() ? -1 : present.get<bool>() ? 1 : 0;
  // The trainer, when the station has one: a state in words (1 to 24 letters and spaces) and
  // its power and cadence within what a trainer reports.
  if (const auto t = body.find("trainer"); t != body.end()) {
    const auto bad = [&] { return "a bad trainer (" + t->dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 120) + ")"; };
    if (!t->is_object()) return bad();
    const auto s = t->find("state");
    if (s == t->end() || !s->is_string()) return bad();
    const std::string state = s->get<std::string>();
    const bool words = !state.empty() && state.size() <= 24 &&
                       std::all_of(state.begin(), state.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == ' '; });
    if (!words || !readNumber(*t, "watts", 0, 3000, false, r.health.trainerWatts) ||
        !readNumber(*t, "cadenceRpm", 0, 255, false, r.health.trainerCadenceRpm))
      return bad();
    r.health.trainer = state;
  }
  return {};
}

}  // namespace

// ---- [Connections] ---------------------------------------------------------------------------

void Director::closeLogWindow(double now) {
  if (now - log_.windowStart < kLogWindowSeconds) return;
  if (log_.suppressed > 0)
    std::fprintf(stderr, "pavilion director: %llu more lines about refused or dropped connections left out in %.0f s\n",
                 static_cast<unsigned long long>(log_.suppressed), kLogWindowSeconds);
  log_.windowStart = now;
  log_.lines = 0;
  log_.suppressed = 0;
}

void Director::logUnauthenticated(double now, const char* format, ...) {
  closeLogWindow(now);
  if (log_.lines >= kLogLinesPerWindow) {
    ++log_.suppressed;
    ++log_.suppressedTotal;
    return;
  }
  ++log_.lines;
  std::va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
}

void Director::onConnect(_ENetPeer* peer, double now) {
  auto p = std::make_unique<Peer>(Peer{peer, net::ControlLink(key_, net::Role::Director), net::Host::address(peer)});
  p->connectedAt = now;
  p->lastHeard = now;
  net::Host::setTimeouts(peer, kPeerTimeoutMs, kPeerPingMs);
  const std::vector<uint8_t> greeting = p->link.greeting();
  host_.send(peer, net::kChannelReliable, greeting, true);
  peers_[peer] = std::move(p);
}

void Director::refuse(Peer& p, const std::string& why, double now) {
  ++refused_;
  ++p.refusals;
  // Anyone can send bytes: however many connections send garbage, the log gets at most
  // kLogLinesPerWindow lines of it per window.
  logUnauthenticated(now, "pavilion director: refused a control message from %s (%llu so far on it): %s\n",
                     p.address.c_str(), static_cast<unsigned long long>(p.refusals), why.c_str());
}

void Director::drop(Peer& p, bool later) {
  if (!p.peer) return;  // a decoded connection (receiveDecoded): nothing to close
  if (later) {
    host_.disconnectLater(p.peer);  // once its refusal's reason is sent
  } else {
    host_.reset(p.peer);
  }
}

void Director::onReceive(_ENetPeer* peer, std::span<const uint8_t> data, double now) {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  Peer& p = *it->second;
  if (!p.link.greeted()) {
    std::string error;
    if (!p.link.acceptGreeting(data, error)) {
      refuse(p, error, now);
      drop(p, true);
    }
    return;
  }
  net::ControlLink::Opened m = p.link.open(data);
  if (!m.ok) {
    refuse(p, m.error, now);
    // An operator's client asks once: tell it at once by closing (a station may just be out of step).
    if (p.link.peerRole() == net::Role::Operator) drop(p, true);
    return;
  }
  // Only a message that opened with the key counts as hearing from the peer.
  p.authenticated = true;
  p.lastHeard = now;
  dispatch(p, p.link.peerRole(), m.type, m.body, now, nullptr);
}

void Director::dispatch(Peer& p, net::Role role, net::ControlType type, const json& body, double now, json* reply) {
  // Nothing a peer sends ends update(): a field of the wrong type, a number out of range, a
  // file the message touches that cannot be read: the message is refused, with the reason.
  if (role == net::Role::Station) {
    std::string why;
    try {
      why = onStationMessage(p, type, body, now);
    } catch (const json::exception& e) {
      why = std::string("a malformed ") + net::messageName(type) + ": " + e.what();
    } catch (const std::exception& e) {
      why = std::string("a ") + net::messageName(type) + " that could not be handled: " + e.what();
    }
    if (!why.empty()) refuse(p, why, now);
  } else if (role == net::Role::Operator && type == net::ControlType::Request) {
    json answer;
    try {
      answer = handle(body, now);
    } catch (const json::exception& e) {
      answer = failure(std::string("malformed request: ") + e.what());
    } catch (const std::exception& e) {
      answer = failure(std::string("the request could not be handled: ") + e.what());
    }
    if (!answer.value("ok", false))
      std::fprintf(stderr, "pavilion director: refused a request from %s: %s\n", p.address.c_str(),
                   answer.value("error", std::string()).c_str());
    send(p, net::ControlType::Reply, answer);
    if (reply) *reply = std::move(answer);
  } else {
    refuse(p, std::string("a ") + net::messageName(type) + " message from a " + net::roleName(role), now);
  }
}

void Director::onDisconnect(_ENetPeer* peer, double now) {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  if (StationRecord* s = floor_.station(it->second->station)) {
    if (stationPeer(s->name) == it->second.get() && s->online) {
      s->online = false;
      changed_ = true;
      std::fprintf(stderr, "pavilion director: %s disconnected (seen %.1f s ago)\n", s->name.c_str(), now - s->lastSeen);
    }
  }
  peers_.erase(it);
}

void Director::dropIdle(double now) {
  // A slot of DirectorDesc::maxPeers is held only by a peer that shows the key: a station that
  // registered, an operator whose request opened, within handshakeSeconds; and only while it
  // keeps talking (a station reports every second).
  std::vector<_ENetPeer*> idle;
  for (auto& [peer, p] : peers_) {
    const bool handshaken = p->authenticated && (p->link.peerRole() != net::Role::Station || !p->station.empty());
    if (!handshaken && now - p->connectedAt > desc_.handshakeSeconds) {
      logUnauthenticated(now, "pavilion director: dropped a connection from %s: no handshake within %.0f s\n",
                         p->address.c_str(), desc_.handshakeSeconds);
      idle.push_back(peer);
    } else if (handshaken && now - p->lastHeard > desc_.silentSeconds) {
      std::fprintf(stderr, "pavilion director: dropped the connection of %s (%s): silent for %.1f s\n",
                   p->station.empty() ? "an operator" : p->station.c_str(), p->address.c_str(), now - p->lastHeard);
      idle.push_back(peer);
    }
  }
  for (_ENetPeer* peer : idle) {
    // Reset frees the slot at once (no goodbye to wait for); no Disconnected event follows.
    host_.reset(peer);
    onDisconnect(peer, now);
    ++dropped_;
  }
}

void Director::send(Peer& p, net::ControlType type, const json& body) {
  if (!p.peer) return;  // a decoded connection: nobody to send to
  std::vector<uint8_t> bytes;
  try {
    bytes = p.link.seal(type, body);
  } catch (const Error& e) {
    // Too big to seal (a body over kMaxBodyBytes): the peer hears why instead.
    std::fprintf(stderr, "pavilion director: cannot send a %s to %s: %s\n", net::messageName(type), p.address.c_str(), e.what());
    if (type != net::ControlType::Reply) return;
    bytes = p.link.seal(type, failure("the answer is too big to send; ask for less"));
  }
  host_.send(p.peer, net::kChannelReliable, bytes, true);
}

Director::Peer* Director::stationPeer(const std::string& name) {
  // The newest connection that registered this name (a restarted station replaces its old one).
  Peer* found = nullptr;
  for (auto& [peer, p] : peers_)
    if (p->station == name) found = p.get();
  return found;
}

// ---- [Decoded] -------------------------------------------------------------------------------

json Director::receiveDecoded(int connection, net::Role role, net::ControlType type, const json& body, double now) {
  std::unique_ptr<Peer>& slot = decodedPeers_[connection];
  if (!slot) {
    slot = std::make_unique<Peer>(Peer{nullptr, net::ControlLink(key_, net::Role::Director), "decoded-" + std::to_string(connection)});
    slot->connectedAt = now;
    slot->role = role;
  }
  slot->authenticated = true;
  slot->lastHeard = now;
  json reply;
  dispatch(*slot, slot->role, type, body, now, &reply);
  return reply;
}

// ---- [Stations] ------------------------------------------------------------------------------

std::string Director::onStationMessage(Peer& p, net::ControlType type, const json& body, double now) {
  std::optional<Report> report;
  if (type == net::ControlType::Register || type == net::ControlType::Health) {
    const std::string bad = readReport(body, report.emplace());
    if (!bad.empty()) return std::string("a ") + net::messageName(type) + " with " + bad;
  }
  if (type == net::ControlType::Register) {
    const json name = body.value("name", json());
    const json version = body.value("version", json(""));
    if (!name.is_string() || !validName(name.get<std::string>())) {
      drop(p, true);
      return "a bad station name " + name.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 64) +
             " (1 to 32 letters, digits, - _ .)";
    }
    if (!version.is_string()) return "a version that is not a string";
    const std::string& named = name.get_ref<const std::string&>();
    for (auto& [peer, other] : peers_)
      if (other.get() != &p && other->station == named) other->station.clear();  // replaced
    p.station = named;
    StationRecord* s = floor_.station(p.station);
    if (!s) s = &floor_.add(p.station);
    s->address = p.address;
    s->version = version.get<std::string>().substr(0, 64);
    std::fprintf(stderr, "pavilion director: %s registered from %s (%s%s)\n", p.station.c_str(), p.address.c_str(),
                 text(report->state).c_str(), report->session.empty() ? "" : (", session " + report->session).c_str());
    // Its volume, if the operator set one: a restarted station hears as it was set.
    if (s->volume != 100 || s->muted) send(p, net::ControlType::Volume, {{"volume", s->volume}, {"muted", s->muted}});
  } else if (p.station.empty()) {
    return std::string("a ") + net::messageName(type) + " before it registered";
  }
  StationRecord* s = floor_.station(p.station);
  if (!s) return {};
  if (type == net::ControlType::Log) {
    const json lines = body.value("lines", json::array());
    if (!lines.is_array()) return "a log whose lines are not an array";
    for (const json& line : lines) {
      if (!line.is_string()) continue;
      s->logs.push_back(line.get<std::string>().substr(0, 400));
      if (s->logs.size() > StationRecord::kMaxLogLines) s->logs.pop_front();
    }
    return {};
  }
  if (type == net::ControlType::View || type == net::ControlType::Alert) return onStationDesk(*s, type, body, now);
  if (!report) return std::string("a ") + net::messageName(type) + " from a station";
  // Register and Health carry the same report.
  const bool moved = report->state != s->state || report->session != s->session;
  s->online = true;
  s->lastSeen = now;
  s->state = report->state;
  s->title = std::move(report->title);
  s->session = std::move(report->session);
  s->remaining = report->remaining;
  s->seat = report->seat;
  s->health = report->health;
  changed_ = true;
  desk_.health(s->name, s->health.missedFrames, s->health.present,
               s->state == StationState::Loading || s->state == StationState::Playing || s->state == StationState::Warning,
               wallClock());
  if (moved && type == net::ControlType::Health)
    std::fprintf(stderr, "pavilion director: %s is %s%s\n", s->name.c_str(), text(s->state).c_str(),
                 s->session.empty() ? "" : (" (" + s->session + ")").c_str());
  // A session the director does not know (it was restarted): rebuild it from the report and
  // the record its predecessor left.
  const std::optional<SessionState> reported = sessionStateOf(s->state);
  if (!s->session.empty() && reported && *reported != SessionState::Ended) {
    Session* session = floor_.session(s->session);
    // Only a session this floor launched has a record (written before its Launch went out): a
    // station's word alone, key or not, does not put a session on the floor, so a report of
    // made-up sessions neither grows the list nor shows the operator a match that is not there.
    std::optional<SessionHost::Record> record;
    if (!session) {
      record = sessions_.read(s->session);
      if (!record)
        return "a report of session \"" + s->session + "\", which this floor has no record of";
    }
    if (!session) {
      Session rebuilt;
      rebuilt.id = s->session;
      rebuilt.title = s->title;
      rebuilt.state = *reported;
      rebuilt.seconds = s->remaining;
      rebuilt.startedAt = now;
      {
        const SessionHost::Record* r = &*record;
        // Its server only where the record says who it is (start time): never a bare pid.
        if (r->start != 0) {
          rebuilt.pid = r->pid;
          rebuilt.serverStart = r->start;
          rebuilt.serverExe = r->exe;
        }
        rebuilt.port = r->port;
        rebuilt.difficulty = r->difficulty;
        rebuilt.seconds = r->seconds;
        rebuilt.lobby = r->lobby;
        rebuilt.startedAt = now - r->elapsed;
      }
      std::fprintf(stderr, "pavilion director: session %s (%s) rebuilt from %s's report\n", rebuilt.id.c_str(),
                   rebuilt.title.c_str(), s->name.c_str());
      floor_.sessions.push_back(std::move(rebuilt));
      session = &floor_.sessions.back();
    }
    if (std::find(session->stations.begin(), session->stations.end(), s->name) == session->stations.end())
      session->stations.push_back(s->name);
  }
  return {};
}

}  // namespace pav::director
