// The director: control traffic, operator requests, sessions and the floor's clock.
//
// (Connections and the stations' messages: director_messages.cpp.)
//
// Index
//   [Update]       one turn of the floor
//   [Requests]     stations, status, launch, stop, logs, keep, volume, report, move
//   [Watch]        server start-up, session states, time up, offline stations, recent sessions
//   [Dashboard]    the copy of the floor and the request queue for other threads
#include "director.h"
#include "day_report.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "pav/core/error.h"
#include "pav/core/title.h"

namespace pav::director {

using nlohmann::json;

namespace {

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

json failure(const std::string& error) { return {{"ok", false}, {"error", error}}; }

double wallSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Director::Director(const DirectorDesc& desc, const net::ControlKey& key)
    : desc_(desc),
      key_(key),
      host_(net::Host::server(desc.port, desc.maxPeers, desc.bind)),
      sessions_(desc.program, desc.stateDir, desc.bind),
      book_(desc.stateDir + "/days") {
  host_.markDscp(net::kDscpControl);  // below the sessions' game traffic
  if (!key.holdsOperatorKey())
    throw Error(key.path() + ": is a station's key file; the director needs the operator key file (it holds the station "
                "key too), the one `pavilion director --init` wrote first");
  if (key.bytes() == key.stationBytes())
    std::fprintf(stderr, "pavilion director: %s has one key for stations and operators (a key file from before they were "
                         "split), so a station's copy can launch and stop sessions; `pavilion director --init --force` makes "
                         "separate ones\n", key.path().empty() ? "the key" : key.path().c_str());
  for (const auto& [title, seats] : desc_.titles) floor_.titles.push_back(title);
  floor_.defaultLang = std::string(core::toString(desc_.defaultLang));
  floor_.defaultLobby = desc_.lobbySeconds;
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

// ---- [Update] --------------------------------------------------------------------------------

void Director::update(double now, uint32_t waitMs) {
  host_.poll(waitMs, [&](const net::HostEvent& e) {
    switch (e.kind) {
      case net::HostEvent::Kind::Connected: onConnect(e.peer, now); break;
      case net::HostEvent::Kind::Received: onReceive(e.peer, e.data, now); break;
      case net::HostEvent::Kind::Disconnected: onDisconnect(e.peer, now); break;
    }
  });
  dropIdle(now);
  serveWatches(now);
  std::deque<Pending> work;
  {
    std::lock_guard lock(mutex_);
    work.swap(pending_);
  }
  for (Pending& p : work) {
    // A field of the wrong type (a number for a title) must not stop the floor.
    json answer;
    try {
      answer = handle(p.request, now);
    } catch (const json::exception& e) {
      answer = failure(std::string("malformed request: ") + e.what());
    } catch (const std::exception& e) {
      answer = failure(std::string("the request could not be handled: ") + e.what());
    }
    if (!answer.value("ok", false)) std::fprintf(stderr, "pavilion director: refused a dashboard request: %s\n", answer.value("error", std::string()).c_str());
    p.answer.set_value(std::move(answer));
  }
  // Sessions are processes and files: a failure there (a full disk, a folder made unreadable)
  // is logged and tried again on the next turn, never the end of the floor.
  sessions_.reap();
  try {
    watch(now);
  } catch (const std::exception& e) {
    if (now - lastWatchError_ > kLogWindowSeconds) {
      lastWatchError_ = now;
      std::fprintf(stderr, "pavilion director: watching the sessions failed (retrying): %s\n", e.what());
    }
  }
  if (now - lastRetention_ >= kRetentionSeconds) {
    try {
      retain(now);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "pavilion director: retention failed (retrying in an hour): %s\n", e.what());
    }
  }
  closeLogWindow(now);  // the count of lines left out, once their window is over
  host_.flush();
  publish(now);
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
  if (command == "volume") return doVolume(request);
  if (command == "report") return doReport(request);
  if (command == "move") return doMove(request, now);
  if (command == "view") return doView(request, now);
  if (command == "alerts") return doAlerts(request);
  if (command == "ack") return doAck(request);
  return failure("unknown command '" + command + "' (commands: stations, status, launch, stop, logs, keep, volume, report, move, view, "
                 "alerts, ack)");
}

// {station, volume?: 0..100, muted?: bool}: what the station's visitor hears. Kept on the floor
// (a station that reconnects gets it again at its Register) and sent to the station now.
json Director::doVolume(const json& request) {
  const json target = request.value("station", json());
  StationRecord* s = target.is_string() ? floor_.target(target.get<std::string>()) : nullptr;
  if (!target.is_string()) return failure("which station? (\"station\": a name or number, as a string)");
  if (!s) return failure("unknown station '" + target.get<std::string>().substr(0, 64) + "'");
  const json volume = request.value("volume", json()), muted = request.value("muted", json());
  if (volume.is_null() && muted.is_null()) return failure("a volume request sets the volume (0..100) or muted (true, false)");
  if (!volume.is_null() && (!volume.is_number_integer() || volume.get<int64_t>() < 0 || volume.get<int64_t>() > 100))
    return failure("the volume is a whole number from 0 to 100, not " + volume.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 32));
  if (!muted.is_null() && !muted.is_boolean()) return failure("muted is true or false");
  if (!volume.is_null()) s->volume = int(volume.get<int64_t>());
  if (!muted.is_null()) s->muted = muted.get<bool>();
  changed_ = true;
  Peer* p = stationPeer(s->name);
  if (p) send(*p, net::ControlType::Volume, {{"volume", s->volume}, {"muted", s->muted}});
  return {{"ok", true}, {"station", s->name}, {"volume", s->volume}, {"muted", s->muted}, {"sent", p != nullptr}};
}

json Director::doLaunch(const json& request, double now) {
  // Servers still running count too: a stopped session's server may still be finishing.
  const size_t running = std::max<size_t>(sessions_.running(), std::count_if(floor_.sessions.begin(), floor_.sessions.end(),
                                                                            [](const Session& s) { return s.state != SessionState::Ended; }));
  if (running >= static_cast<size_t>(std::max(desc_.maxSessions, 1)))
    return failure("the floor is full: " + std::to_string(running) + " session(s) running, at most " +
                   std::to_string(desc_.maxSessions) + " (director --max-sessions); stop one or wait for one to end");
  const std::string title = request.value("title", std::string());
  const auto seats = desc_.titles.find(title);
  if (seats == desc_.titles.end()) return failure("unknown title '" + title + "' (titles: " + join(floor_.titles) + ")");
  const json minutes = request.value("minutes", json());
  if (!minutes.is_number() || !(minutes.get<double>() > 0) || minutes.get<double>() > 240)
    return failure("bad duration " + minutes.dump() + ": minutes must be a number above 0 and at most 240");
  const std::string difficulty = request.value("difficulty", std::string("medium"));
  if (skillOf(difficulty) < 0) return failure("bad difficulty '" + difficulty + "' (valid: " + core::kSkillList + ")");
  // The visitors' language for this launch (else the station's, else the director's default),
  // and the lobby before the start.
  const json lang = request.value("lang", json());
  if (!lang.is_null() && !(lang.is_string() && (lang.get<std::string>().empty() || core::parseLang(lang.get<std::string>()))))
    return failure("bad language " + lang.dump() + " (zh or en; none: the station's, else the director's default)");
  const json lobby = request.value("lobby", json(desc_.lobbySeconds));
  if (!lobby.is_number() || !(lobby.get<double>() >= 0) || lobby.get<double>() > kMaxLobbySeconds)
    return failure("bad lobby " + lobby.dump() + ": seconds before the start, 0 to " +
                   std::to_string(int(kMaxLobbySeconds)));
  // The link's budget per station: the operator's, for a cell whose capacity is known (a 5G
  // slice); none, the server estimates it from each link (net/link_budget.h).
  const json budget = request.value("budget_kbps", json(0));
  if (!budget.is_number() || !(budget.get<double>() == 0 || (budget.get<double>() >= kMinBudgetKbps &&
                                                             budget.get<double>() <= kMaxBudgetKbps)))
    return failure("bad budget " + budget.dump() + ": kbps per station, " + std::to_string(int(kMinBudgetKbps)) + " to " +
                   std::to_string(int(kMaxBudgetKbps)) + ", or 0 (estimated from each link)");
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
  session.title = title;
  session.difficulty = difficulty;
  session.seconds = minutes.get<double>() * 60.0;
  session.lobby = lobby.get<double>();
  session.budgetKbps = budget.get<double>();
  if (lang.is_string() && !lang.get<std::string>().empty())
    session.lang = std::string(core::toString(*core::parseLang(lang.get<std::string>())));
  // A server that cannot start or a state folder that cannot be written is a refused launch.
  try {
    session.id = sessions_.nextId();
    startSession(session, now);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pavilion director: refused to launch %s on %s: %s\n", title.c_str(), join(session.stations).c_str(), e.what());
    return failure(std::string("cannot start the session: ") + e.what());
  }
  floor_.sessions.push_back(session);
  book_.begin(session, wallSeconds());
  for (const std::string& name : session.stations) {
    StationRecord* s = floor_.station(name);
    s->state = StationState::Loading;
    s->session = session.id;
    s->title = title;
    s->remaining = session.seconds;
  }
  changed_ = true;
  std::fprintf(stderr, "pavilion director: session %s: %s for %.1f min (%s) on %s, lobby %.0f s, language %s, %s\n",
               session.id.c_str(), title.c_str(), session.seconds / 60, difficulty.c_str(), join(session.stations).c_str(),
               session.lobby, session.lang.empty() ? "the stations'" : session.lang.c_str(),
               session.budgetKbps > 0 ? ("budget " + std::to_string(int(session.budgetKbps)) + " kbps per station").c_str()
                                      : "budget estimated from each link");
  return {{"ok", true}, {"session", session.id}, {"stations", session.stations}, {"lobby", session.lobby},
          {"lang", session.lang}, {"budgetKbps", session.budgetKbps}};
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
  if (sessions_.recording(id, s ? SessionHost::idOf(*s) : SessionHost::ServerId{}))
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
  const SessionHost::ServerId server = sessions_.start(s);
  s.pid = server.pid;
  s.serverStart = server.start;
  s.serverExe = server.exe;
  try {
    sessions_.record(s, now);
  } catch (...) {
    sessions_.stop(server);  // no server the floor does not know about
    throw;
  }
}

json Director::doStop(const json& request, double now) {
  const std::string target = request.value("target", std::string());
  if (Session* s = floor_.session(target)) {
    if (s->state == SessionState::Ended) return failure("session " + s->id + " has already ended");
    endSession(*s, Ending::Stopped, "stopped by the operator", now);
    return {{"ok", true}, {"session", s->id}, {"stations", s->stations}};
  }
  StationRecord* station = floor_.target(target);
  if (!station) return failure("no session or station '" + target + "'");
  Session* s = floor_.sessionOf(station->name);
  if (!s) return failure(station->name + " is not running a session");
  if (s->stations.size() == 1) {
    endSession(*s, Ending::Stopped, "stopped by the operator", now);
  } else {
    // The others play on; the server's bot takes this seat.
    if (Peer* p = stationPeer(station->name)) send(*p, net::ControlType::Stop, {{"session", s->id}, {"reason", "stopped by the operator"}});
    s->stations.erase(std::find(s->stations.begin(), s->stations.end(), station->name));
    book_.leave(s->id, station->name, wallSeconds());
    station->state = StationState::Idle;
    station->session.clear();
    changed_ = true;
  }
  return {{"ok", true}, {"session", s->id}, {"stations", json::array({station->name})}};
}

void Director::endSession(Session& s, Ending ending, const std::string& reason, double now) {
  for (const std::string& name : s.stations) {
    if (Peer* p = stationPeer(name)) send(*p, net::ControlType::Stop, {{"session", s.id}, {"reason", reason}});
  }
  sessions_.stop(SessionHost::idOf(s));
  sessions_.forgetKey(s.id);
  s.state = SessionState::Ended;
  s.endReason = reason;
  s.endedAt = now;
  changed_ = true;
  std::erase_if(handovers_, [&](const Handover& h) { return h.session == s.id; });
  book_.end(s.id, ending, reason, wallSeconds());
  std::fprintf(stderr, "pavilion director: session %s ended: %s\n", s.id.c_str(), reason.c_str());
}

// ---- [Watch] ---------------------------------------------------------------------------------

void Director::watch(double now) {
  handOver(now);
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
        endSession(s, Ending::Failed, "the session server failed: " + why, now);
      } else if (s.port != 0) {
        s.state = SessionState::Loading;
        try {
          sessions_.record(s, now);
        } catch (const Error& e) {
          std::fprintf(stderr, "pavilion director: session %s: %s\n", s.id.c_str(), e.what());
        }
        // Station i of the launch takes seat i, with the connect token for it (net/token.h).
        for (size_t seat = 0; seat < s.stations.size(); ++seat) sendLaunch(s, s.stations[seat], int(seat), now);
        changed_ = true;
      } else if (now - s.startedAt > kServerStartSeconds) {
        endSession(s, Ending::Failed, "the session server did not start within " + std::to_string(static_cast<int>(kServerStartSeconds)) + " s", now);
      }
      continue;
    }
    // Its server's link figures, read from its log once a second (the dashboard's session row).
    if (now - s.linkReadAt >= 1.0) {
      s.link = sessions_.linkFigures(s.id);
      s.linkReadAt = now;
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
    const bool serverGone = s.pid > 0 ? !sessions_.alive(SessionHost::idOf(s)) : (!anyone && now - s.startedAt > kUnseenServerSeconds);
    const bool overran = left <= 0 && now - s.startedAt > holdSeconds(s.lobby) + s.seconds + kOverrunSeconds;
    const SessionPhase phase =
        sessionPhase({.over = serverGone || overran, .started = playing || s.state != SessionState::Loading, .remaining = left});
    if (phase == SessionPhase::Ended) {
      if (!serverGone) endSession(s, Ending::TimeUp, "time up (server overran)", now);
      else if (left < kTimeUpMarginSeconds) endSession(s, Ending::TimeUp, "time up", now);
      // Early, with its results: the title finished (a race won); without: the server failed.
      else if (sessions_.results(s.id).is_object()) endSession(s, Ending::Finished, "the session server ended", now);
      else endSession(s, Ending::Failed, "the session server ended without results", now);
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
  book_.results(s.id, sessions_.results(s.id));  // its server has exited by now, results written
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
    return (s && s->state != SessionState::Ended) || sessions_.recording(id, s ? SessionHost::idOf(*s) : SessionHost::ServerId{});
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
  if (desk_.alertsVersion() != publishedAlerts_) changed_ = true;
  if (!changed_ && now - lastPublish_ < kPublishSeconds) return;
  lastPublish_ = now;
  publishedAlerts_ = desk_.alertsVersion();
  json copy = floor_.json(now);
  copy["alerts"] = desk_.alertsJson(false);
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

json Director::volume(const json& request) {
  if (!request.is_object()) return failure("a volume request is a JSON object");
  json r = request;
  r["command"] = "volume";
  return queued(r);
}

json Director::view(const json& request) {
  if (!request.is_object()) return failure("a view request is a JSON object");
  json r = request;
  r["command"] = "view";
  return queued(r);
}

json Director::ack(const json& request) {
  if (!request.is_object()) return failure("an ack request is a JSON object");
  json r = request;
  r["command"] = "ack";
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
