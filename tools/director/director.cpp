// The director: control traffic, operator requests, sessions and the floor's clock.
//
// Index
//   [Connections]  greeting, sealed messages, refusals
//   [Stations]     register, health, logs; rebuilding sessions from reports
//   [Requests]     stations, status, launch, stop, logs, keep
//   [Watch]        server start-up, session states, time up, offline stations, recent sessions
//   [Dashboard]    the copy of the floor and the request queue for other threads
#include "director.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "pav/core/error.h"
#include "pav/core/title.h"

namespace pav::director {

using nlohmann::json;

struct Director::Peer {
  _ENetPeer* peer = nullptr;
  net::ControlLink link;
  std::string address;
  std::string station;  // its name once it registered
  uint64_t refusals = 0;
};

namespace {

bool validName(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

json failure(const std::string& error) { return {{"ok", false}, {"error", error}}; }

std::string text(StationState s) { return std::string(toString(s)); }

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
    return "a bad state " + state.dump() + " (idle, loading, playing, warning or ended)";
  r.state = *parsed;
  r.title = body.value("title", std::string());
  r.session = body.value("session", std::string());
  double seat = -1, missed = 0, rtt = 0;
  const bool numbers = readNumber(body, "remaining", -1e7, 1e7, false, r.remaining) &&
                       readNumber(body, "seat", -1, core::kMaxPlayers - 1, true, seat) &&
                       readNumber(body, "fps", 0, 1e4, false, r.health.fps) &&
                       readNumber(body, "missedFrames", 0, 1e15, true, missed) &&
                       readNumber(body, "rttMs", 0, 4e9, true, rtt) &&
                       readNumber(body, "loss", 0, 1, false, r.health.loss) &&
                       readNumber(body, "uptime", 0, 1e10, false, r.health.uptime);
  if (!numbers) return "a number out of range or not a number (" + body.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 200) + ")";
  r.seat = static_cast<int>(seat);
  r.health.missedFrames = static_cast<uint64_t>(missed);
  r.health.rttMs = static_cast<uint32_t>(rtt);
  r.health.headset = body.value("headset", false);
  return {};
}

double wallSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Director::Director(const DirectorDesc& desc, const net::ControlKey& key)
    : desc_(desc),
      key_(key),
      host_(net::Host::server(desc.port, desc.maxPeers, desc.bind)),
      sessions_(desc.program, desc.stateDir, desc.bind) {
  for (const auto& [title, seats] : desc_.titles) floor_.titles.push_back(title);
  // The recent sessions of the director before this one, as the state folder has them now.
  for (const json& j : sessions_.loadRecent()) {
    RecentSession r = Floor::recentFromJson(j);
    if (r.id.empty() || floor_.recentSession(r.id) || floor_.recent.size() >= Floor::kMaxRecent) continue;
    r.replay = sessions_.hasReplay(r.id);
    const std::optional<SessionHost::Kept> kept = sessions_.kept(r.id);
    r.keptName = kept ? kept->name : "";
    r.keptPath = kept ? kept->path : "";
    floor_.recent.push_back(std::move(r));
  }
  retain(0);
  published_ = floor_.json(0);
}

Director::~Director() {
  // Whoever waits on a request gets an answer.
  std::lock_guard lock(mutex_);
  for (Pending& p : pending_) p.answer.set_value(failure("the director is stopping"));
}

// ---- [Connections] ---------------------------------------------------------------------------

void Director::update(double now, uint32_t waitMs) {
  host_.poll(waitMs, [&](const net::HostEvent& e) {
    switch (e.kind) {
      case net::HostEvent::Kind::Connected: onConnect(e.peer); break;
      case net::HostEvent::Kind::Received: onReceive(e.peer, e.data, now); break;
      case net::HostEvent::Kind::Disconnected: onDisconnect(e.peer, now); break;
    }
  });
  std::deque<Pending> work;
  {
    std::lock_guard lock(mutex_);
    work.swap(pending_);
  }
  for (Pending& p : work) {
    // A field of the wrong type (a number for a title) must not stop the floor.
    try {
      p.answer.set_value(handle(p.request, now));
    } catch (const json::exception& e) {
      p.answer.set_value(failure(std::string("malformed request: ") + e.what()));
    }
  }
  watch(now);
  if (now - lastRetention_ >= kRetentionSeconds) retain(now);
  host_.flush();
  publish(now);
}

void Director::onConnect(_ENetPeer* peer) {
  auto p = std::make_unique<Peer>(Peer{peer, net::ControlLink(key_, net::Role::Director), net::Host::address(peer)});
  net::Host::setTimeouts(peer, kPeerTimeoutMs, kPeerPingMs);
  const std::vector<uint8_t> greeting = p->link.greeting();
  host_.send(peer, net::kChannelReliable, greeting, true);
  peers_[peer] = std::move(p);
}

void Director::onReceive(_ENetPeer* peer, std::span<const uint8_t> data, double now) {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  Peer& p = *it->second;
  const auto refuse = [&](const std::string& why) {
    ++refused_;
    // A flood of forgeries must not flood the log: the first few, then every hundredth.
    if (++p.refusals <= 5 || p.refusals % 100 == 0)
      std::fprintf(stderr, "pavilion director: refused a control message from %s (%llu so far): %s\n",
                   p.address.c_str(), static_cast<unsigned long long>(p.refusals), why.c_str());
  };
  if (!p.link.greeted()) {
    std::string error;
    if (!p.link.acceptGreeting(data, error)) {
      refuse(error);
      host_.disconnectLater(peer);
    }
    return;
  }
  net::ControlLink::Opened m = p.link.open(data);
  if (!m.ok) {
    refuse(m.error);
    // An operator's client asks once: tell it at once by closing (a station may just be out of step).
    if (p.link.peerRole() == net::Role::Operator) host_.disconnectLater(peer);
    return;
  }
  if (p.link.peerRole() == net::Role::Station) {
    // A report with a field of the wrong type or an unknown state is refused whole.
    std::string why;
    try {
      why = onStationMessage(p, m.type, m.body, now);
    } catch (const json::exception& e) {
      why = std::string("a malformed ") + net::messageName(m.type) + ": " + e.what();
    }
    if (!why.empty()) refuse(why);
  } else if (p.link.peerRole() == net::Role::Operator && m.type == net::ControlType::Request) {
    json reply;
    try {
      reply = handle(m.body, now);
    } catch (const json::exception& e) {
      reply = failure(std::string("malformed request: ") + e.what());
    }
    send(p, net::ControlType::Reply, reply);
  } else {
    refuse(std::string("a ") + net::messageName(m.type) + " message from a " + net::roleName(p.link.peerRole()));
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

void Director::send(Peer& p, net::ControlType type, const json& body) {
  const std::vector<uint8_t> bytes = p.link.seal(type, body);
  host_.send(p.peer, net::kChannelReliable, bytes, true);
}

Director::Peer* Director::stationPeer(const std::string& name) {
  // The newest connection that registered this name (a restarted station replaces its old one).
  Peer* found = nullptr;
  for (auto& [peer, p] : peers_)
    if (p->station == name) found = p.get();
  return found;
}

// ---- [Stations] ------------------------------------------------------------------------------

std::string Director::onStationMessage(Peer& p, net::ControlType type, const json& body, double now) {
  std::optional<Report> report;
  if (type == net::ControlType::Register || type == net::ControlType::Health) {
    const std::string bad = readReport(body, report.emplace());
    if (!bad.empty()) return std::string("a ") + net::messageName(type) + " with " + bad;
  }
  if (type == net::ControlType::Register) {
    const std::string name = body.value("name", std::string());
    const std::string version = body.value("version", std::string());
    if (!validName(name)) {
      ++refused_;
      std::fprintf(stderr, "pavilion director: refused a station from %s: bad name '%s'\n", p.address.c_str(), name.c_str());
      host_.disconnectLater(p.peer);
      return {};
    }
    for (auto& [peer, other] : peers_)
      if (other.get() != &p && other->station == name) other->station.clear();  // replaced
    p.station = name;
    StationRecord* s = floor_.station(name);
    if (!s) s = &floor_.add(name);
    s->address = p.address;
    s->version = version;
    std::fprintf(stderr, "pavilion director: %s registered from %s (%s%s)\n", name.c_str(), p.address.c_str(),
                 text(report->state).c_str(), report->session.empty() ? "" : (", session " + report->session).c_str());
  } else if (p.station.empty()) {
    return std::string("a ") + net::messageName(type) + " before it registered";
  }
  StationRecord* s = floor_.station(p.station);
  if (!s) return {};
  if (type == net::ControlType::Log) {
    for (const json& line : body.value("lines", json::array())) {
      if (!line.is_string()) continue;
      s->logs.push_back(line.get<std::string>().substr(0, 400));
      if (s->logs.size() > StationRecord::kMaxLogLines) s->logs.pop_front();
    }
    return {};
  }
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
  if (moved && type == net::ControlType::Health)
    std::fprintf(stderr, "pavilion director: %s is %s%s\n", s->name.c_str(), text(s->state).c_str(),
                 s->session.empty() ? "" : (" (" + s->session + ")").c_str());
  // A session the director does not know (it was restarted): rebuild it from the report and
  // the record its predecessor left.
  const std::optional<SessionState> reported = sessionStateOf(s->state);
  if (!s->session.empty() && reported && *reported != SessionState::Ended) {
    Session* session = floor_.session(s->session);
    if (!session) {
      Session rebuilt;
      rebuilt.id = s->session;
      rebuilt.title = s->title;
      rebuilt.state = *reported;
      rebuilt.seconds = s->remaining;
      rebuilt.startedAt = now;
      if (std::optional<SessionHost::Record> r = sessions_.read(rebuilt.id)) {
        rebuilt.pid = r->pid;
        rebuilt.port = r->port;
        rebuilt.difficulty = r->difficulty;
        rebuilt.seconds = r->seconds;
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

// ---- [Requests] ------------------------------------------------------------------------------

json Director::handle(const json& request, double now) {
  if (!request.is_object()) return failure("a request is a JSON object");
  const std::string command = request.value("command", std::string());
  if (command == "stations") return {{"ok", true}, {"stations", floor_.json(now)["stations"]}};
  if (command == "status") return {{"ok", true}, {"floor", floor_.json(now)}};
  if (command == "launch") return doLaunch(request, now);
  if (command == "stop") return doStop(request, now);
  if (command == "logs") {
    const StationRecord* s = floor_.target(request.value("station", std::string()));
    if (!s) return failure("unknown station '" + request.value("station", std::string()) + "'");
    return {{"ok", true}, {"station", s->name}, {"lines", s->logs}};
  }
  if (command == "keep") return doKeep(request);
  return failure("unknown command '" + command + "' (commands: stations, status, launch, stop, logs, keep)");
}

json Director::doLaunch(const json& request, double now) {
  const std::string title = request.value("title", std::string());
  const auto seats = desc_.titles.find(title);
  if (seats == desc_.titles.end()) return failure("unknown title '" + title + "' (titles: " + join(floor_.titles) + ")");
  const json minutes = request.value("minutes", json());
  if (!minutes.is_number() || !(minutes.get<double>() > 0) || minutes.get<double>() > 240)
    return failure("bad duration " + minutes.dump() + ": minutes must be a number above 0 and at most 240");
  const std::string difficulty = request.value("difficulty", std::string("medium"));
  if (skillOf(difficulty) < 0) return failure("bad difficulty '" + difficulty + "' (easy, medium or hard)");
  const json targets = request.value("stations", json());
  if (!targets.is_array() || targets.empty()) return failure("no stations given (for example --stations 1,2)");
  Session session;
  for (const json& t : targets) {
    const std::string text = t.is_string() ? t.get<std::string>() : t.dump();
    StationRecord* s = floor_.target(text);
    if (!s) {
      std::vector<std::string> known;
      for (const StationRecord& r : floor_.stations) known.push_back(std::to_string(r.number) + " " + r.name);
      return failure("unknown station '" + text + "' (stations: " + (known.empty() ? "none yet" : join(known)) + ")");
    }
    if (!s->online) return failure(s->name + " is offline");
    if (const Session* busy = floor_.sessionOf(s->name))
      return failure(s->name + " is busy with session " + busy->id + " (stop it first)");
    if (std::find(session.stations.begin(), session.stations.end(), s->name) != session.stations.end())
      return failure(s->name + " is named twice");
    session.stations.push_back(s->name);
  }
  if (static_cast<int>(session.stations.size()) > seats->second)
    return failure(title + " seats at most " + std::to_string(seats->second) + " station(s)");
  session.id = sessions_.nextId();
  session.title = title;
  session.difficulty = difficulty;
  session.seconds = minutes.get<double>() * 60.0;
  startSession(session, now);
  floor_.sessions.push_back(session);
  for (const std::string& name : session.stations) {
    StationRecord* s = floor_.station(name);
    s->state = StationState::Loading;
    s->session = session.id;
    s->title = title;
    s->remaining = session.seconds;
  }
  changed_ = true;
  std::fprintf(stderr, "pavilion director: session %s: %s for %.1f min (%s) on %s\n", session.id.c_str(), title.c_str(),
               session.seconds / 60, difficulty.c_str(), join(session.stations).c_str());
  return {{"ok", true}, {"session", session.id}, {"stations", session.stations}};
}

json Director::doKeep(const json& request) {
  // A replay worth keeping (a great match): copied out of the session records, under a name.
  // Any session whose replay is in the state folder: on the floor, recent, or from before a restart.
  const json session = request.value("session", json());
  if (!session.is_string() || session.get<std::string>().empty()) return failure("which session? (\"session\": \"s3\")");
  const std::string id = session.get<std::string>();
  if (!validName(id)) return failure("bad session '" + id + "'");
  const json given = request.value("name", json());
  if (!given.is_null() && !given.is_string()) return failure("the name of a kept replay is a string");
  const std::string name = given.is_string() ? given.get<std::string>() : id;
  if (const std::string problem = SessionHost::keepNameProblem(name); !problem.empty())
    return failure("bad name '" + name + "' for a kept replay: " + problem);
  const Session* s = floor_.session(id);
  if (s && s->state != SessionState::Ended) return failure("session " + id + " is still running; keep it when it has ended");
  // Its server finishes the replay file as it exits: never copy half a file.
  if (sessions_.recording(id, s ? s->pid : 0))
    return failure(s ? "session " + id + " has just ended and its server is still finishing the replay; try again in a moment"
                     : "session " + id + " is still running; keep it when it has ended");
  std::string path;
  try {
    path = sessions_.keep(id, name);
  } catch (const Error& e) {
    return failure(e.what());
  }
  if (RecentSession* r = floor_.recentSession(id)) {
    r->keptName = name;
    r->keptPath = path;
    saveRecent();
    changed_ = true;
  }
  std::fprintf(stderr, "pavilion director: kept the replay of session %s as %s\n", id.c_str(), path.c_str());
  return {{"ok", true}, {"session", id}, {"name", name}, {"path", path}};
}

void Director::startSession(Session& s, double now) {
  s.startedAt = now;
  s.state = SessionState::Starting;
  s.pid = sessions_.start(s);
  sessions_.record(s, now);
}

json Director::doStop(const json& request, double now) {
  const std::string target = request.value("target", std::string());
  if (Session* s = floor_.session(target)) {
    if (s->state == SessionState::Ended) return failure("session " + s->id + " has already ended");
    endSession(*s, "stopped by the operator", now);
    return {{"ok", true}, {"session", s->id}, {"stations", s->stations}};
  }
  StationRecord* station = floor_.target(target);
  if (!station) return failure("no session or station '" + target + "'");
  Session* s = floor_.sessionOf(station->name);
  if (!s) return failure(station->name + " is not running a session");
  if (s->stations.size() == 1) {
    endSession(*s, "stopped by the operator", now);
  } else {
    // The others play on; the server's bot takes this seat.
    if (Peer* p = stationPeer(station->name)) send(*p, net::ControlType::Stop, {{"session", s->id}, {"reason", "stopped by the operator"}});
    s->stations.erase(std::find(s->stations.begin(), s->stations.end(), station->name));
    station->state = StationState::Idle;
    station->session.clear();
    changed_ = true;
  }
  return {{"ok", true}, {"session", s->id}, {"stations", json::array({station->name})}};
}

void Director::endSession(Session& s, const std::string& reason, double now) {
  for (const std::string& name : s.stations) {
    if (Peer* p = stationPeer(name)) send(*p, net::ControlType::Stop, {{"session", s.id}, {"reason", reason}});
  }
  sessions_.stop(s.pid);
  s.state = SessionState::Ended;
  s.endReason = reason;
  s.endedAt = now;
  changed_ = true;
  std::fprintf(stderr, "pavilion director: session %s ended: %s\n", s.id.c_str(), reason.c_str());
}

// ---- [Watch] ---------------------------------------------------------------------------------

void Director::watch(double now) {
  for (StationRecord& s : floor_.stations) {
    if (s.online && now - s.lastSeen > desc_.offlineSeconds) {
      s.online = false;
      changed_ = true;
      std::fprintf(stderr, "pavilion director: %s is offline (silent for %.1f s)\n", s.name.c_str(), now - s.lastSeen);
    }
  }
  for (Session& s : floor_.sessions) {
    if (s.state == SessionState::Ended) continue;
    if (s.state == SessionState::Starting) {
      bool failed = false;
      std::string why;
      s.port = sessions_.port(s, failed, why);
      if (failed) {
        endSession(s, "the session server failed: " + why, now);
      } else if (s.port != 0) {
        s.state = SessionState::Loading;
        try {
          sessions_.record(s, now);
        } catch (const Error& e) {
          std::fprintf(stderr, "pavilion director: session %s: %s\n", s.id.c_str(), e.what());
        }
        // Station i of the launch takes seat i, with the connect token for it (net/token.h).
        for (size_t seat = 0; seat < s.stations.size(); ++seat)
          if (Peer* p = stationPeer(s.stations[seat])) {
            const std::optional<net::ConnectToken> token = sessions_.token(s, int(seat), s.remaining(now));
            send(*p, net::ControlType::Launch,
                 {{"session", s.id}, {"title", s.title}, {"port", s.port}, {"seconds", s.remaining(now)},
                  {"difficulty", s.difficulty}, {"token", token ? net::tokenHex(*token) : std::string()}});
          }
        changed_ = true;
      } else if (now - s.startedAt > kServerStartSeconds) {
        endSession(s, "the session server did not start within " + std::to_string(static_cast<int>(kServerStartSeconds)) + " s", now);
      }
      continue;
    }
    // Loading until a station plays (never back); over when its server is (sessionPhase).
    bool playing = false, anyone = false;
    for (const std::string& name : s.stations) {
      const StationRecord* r = floor_.station(name);
      if (!r || r->session != s.id) continue;
      anyone = anyone || r->online;
      playing = playing || showsSession(r->state);
    }
    const double left = s.remaining(now);
    // A rebuilt session has no server pid: it is over when none of its stations is left.
    const bool serverGone = s.pid > 0 ? !sessions_.alive(s.pid) : (!anyone && now - s.startedAt > kUnseenServerSeconds);
    const bool overran = left <= 0 && now - s.startedAt > s.seconds + kOverrunSeconds;
    const SessionPhase phase =
        sessionPhase({.over = serverGone || overran, .started = playing || s.state != SessionState::Loading, .remaining = left});
    if (phase == SessionPhase::Ended) {
      endSession(s, !serverGone ? "time up (server overran)" : left < kTimeUpMarginSeconds ? "time up" : "the session server ended", now);
    } else if (sessionState(phase) != s.state) {
      s.state = sessionState(phase);
      changed_ = true;
    }
  }
  // Ended sessions leave the list after a while (their stations are idle again by their
  // reports) and join the recent ones, whose replays can still be kept.
  const size_t before = floor_.sessions.size();
  std::erase_if(floor_.sessions, [&](const Session& s) {
    if (s.state != SessionState::Ended || now - s.endedAt <= desc_.endedSeconds) return false;
    remember(s, now);
    return true;
  });
  if (floor_.sessions.size() != before) {
    changed_ = true;
    saveRecent();
  }
}

void Director::remember(const Session& s, double now) {
  RecentSession r;
  r.id = s.id;
  r.title = s.title;
  r.stations = s.stations;
  r.endReason = s.endReason;
  r.endedWall = wallSeconds() - (now - s.endedAt);
  r.replay = sessions_.hasReplay(s.id);
  if (const std::optional<SessionHost::Kept> kept = sessions_.kept(s.id)) {
    r.keptName = kept->name;
    r.keptPath = kept->path;
  }
  floor_.remember(std::move(r));
}

void Director::saveRecent() {
  json recent = json::array();
  for (const RecentSession& r : floor_.recent) recent.push_back(Floor::recentJson(r));
  try {
    sessions_.saveRecent(recent);
  } catch (const Error& e) {
    std::fprintf(stderr, "pavilion director: the recent sessions are not saved: %s\n", e.what());
  }
}

void Director::retain(double now) {
  lastRetention_ = now;
  // A session on the floor that has not ended, or whose server still writes its replay (this
  // director's or one from before a restart), keeps its files.
  const auto inUse = [&](const std::string& id) {
    const Session* s = floor_.session(id);
    return (s && s->state != SessionState::Ended) || sessions_.recording(id, s ? s->pid : 0);
  };
  const RetentionReport r = applyRetention(desc_.stateDir, desc_.retention, inUse, wallSeconds());
  if (!r.removedSessions.empty())
    std::fprintf(stderr, "pavilion director: retention: removed the files of %zu old session(s) (%.1f MiB; %s .. %s)\n",
                 r.removedSessions.size(), double(r.removedBytes) / (1 << 20), r.removedSessions.front().c_str(),
                 r.removedSessions.back().c_str());
  for (size_t i = 0; i < r.errors.size() && i < 5; ++i)
    std::fprintf(stderr, "pavilion director: retention: %s\n", r.errors[i].c_str());
}

// ---- [Dashboard] -----------------------------------------------------------------------------

void Director::publish(double now) {
  // A fresh copy on every change, and twice a second for the clocks.
  if (!changed_ && now - lastPublish_ < kPublishSeconds) return;
  lastPublish_ = now;
  json copy = floor_.json(now);
  std::lock_guard lock(mutex_);
  if (changed_) ++version_;
  changed_ = false;
  published_ = std::move(copy);
}

json Director::floor() {
  std::lock_guard lock(mutex_);
  return published_;
}

uint64_t Director::floorVersion() {
  std::lock_guard lock(mutex_);
  return version_;
}

json Director::queued(const json& request) {
  std::future<json> answer;
  {
    std::lock_guard lock(mutex_);
    pending_.push_back({request, {}});
    answer = pending_.back().answer.get_future();
  }
  if (answer.wait_for(std::chrono::duration<double>(kQueuedAnswerSeconds)) != std::future_status::ready)
    return failure("the director did not answer in " + std::to_string(static_cast<int>(kQueuedAnswerSeconds)) + " s");
  return answer.get();
}

json Director::launch(const json& request) {
  if (!request.is_object()) return failure("a launch request is a JSON object");
  json r = request;
  r["command"] = "launch";
  return queued(r);
}

json Director::stop(const json& request) {
  if (!request.is_object()) return failure("a stop request is a JSON object");
  json r = request;
  r["command"] = "stop";
  return queued(r);
}

json Director::logs(const std::string& station) { return queued({{"command", "logs"}, {"station", station}}); }

json Director::keep(const json& request) {
  if (!request.is_object()) return failure("a keep request is a JSON object");
  json r = request;
  r["command"] = "keep";
  return queued(r);
}

}  // namespace pav::director
