// The director's operator requests about the day and about moving a visitor (issue 20):
// `report` (the day book's figures, day_report.h) and `move` (a playing station's seat handed
// to an idle one), with the handover that follows a move, and the Launch order both a launch
// and a move send. (The rest of the requests: director.cpp.)
//
// Index
//   [Report]    the figures of a day
//   [Move]      checks, the order, the handover
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "day_report.h"
#include "director.h"
#include "pav/core/error.h"
#include "pav/core/strings.h"

namespace pav::director {

using nlohmann::json;

namespace {

json failure(const std::string& error) { return {{"ok", false}, {"error", error}}; }

double wallSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A station argument as a peer sent it, for a message (never more than 64 characters of it).
std::string shown(const json& j) {
  return j.is_string() ? j.get<std::string>().substr(0, 64) : j.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 64);
}

}  // namespace

// ---- [Report] --------------------------------------------------------------------------------

// {day?: "YYYY-MM-DD" (default today, the director's local date)} -> {ok, report: dayReport()}
json Director::doReport(const json& request) {
  const json day = request.value("day", json());
  if (!day.is_null() && !day.is_string()) return failure("the day is a date YYYY-MM-DD, as a string");
  const double now = wallSeconds();
  const std::string date = day.is_string() && !day.get<std::string>().empty() ? day.get<std::string>() : DayBook::dateOf(now);
  if (!DayBook::validDate(date))
    return failure("bad day '" + date.substr(0, 32) + "': a date is YYYY-MM-DD, for example " + DayBook::dateOf(now));
  return {{"ok", true}, {"report", dayReport(book_.day(date), date, now)}};
}

json Director::report(const json& request) {
  if (!request.is_object()) return failure("a report request is a JSON object");
  json r = request;
  r["command"] = "report";
  return queued(r);
}

// ---- [Move] ----------------------------------------------------------------------------------

void Director::sendLaunch(const Session& s, const std::string& station, int seat, double now) {
  Peer* p = stationPeer(station);
  if (!p) return;
  const std::optional<net::ConnectToken> token = sessions_.token(s, seat, s.startsIn(now) + s.remaining(now));
  send(*p, net::ControlType::Launch,
       {{"session", s.id}, {"title", s.title}, {"port", s.port}, {"seconds", s.remaining(now)},
        {"startsIn", s.startsIn(now)}, {"difficulty", s.difficulty},
        {"token", token ? net::tokenHex(*token) : std::string()},
        {"lang", s.lang}, {"defaultLang", std::string(core::toString(desc_.defaultLang))}});
}

// {station, to} -> {ok, session, from, to, seat}. The station must be playing (or in its
// time-up warning) a session whose server runs; the target must be online and idle.
json Director::doMove(const json& request, double now) {
  const json from = request.value("station", json()), to = request.value("to", json());
  if (!from.is_string() || from.get<std::string>().empty())
    return failure("which station? (\"station\": the one whose visitor moves, a name or number, as a string)");
  if (!to.is_string() || to.get<std::string>().empty())
    return failure("to which station? (\"to\": an idle station, a name or number, as a string)");
  StationRecord* a = floor_.target(from.get<std::string>());
  if (!a) return failure("unknown station '" + shown(from) + "'");
  StationRecord* b = floor_.target(to.get<std::string>());
  if (!b) return failure("unknown station '" + shown(to) + "'");
  if (a == b) return failure(a->name + " cannot move to itself");
  Session* s = floor_.sessionOf(a->name);
  if (!s || !showsSession(a->state) || (s->state != SessionState::Playing && s->state != SessionState::Warning) ||
      a->session != s->id)
    return failure(a->name + " is not playing (it is " + std::string(a->online ? toString(a->state) : "offline") +
                   "): only a visitor in play can move");
  if (!b->online) return failure(b->name + " is offline");
  const bool awaited = std::any_of(handovers_.begin(), handovers_.end(), [&](const Handover& h) { return h.to == b->name; });
  if (const Session* busy = floor_.sessionOf(b->name))
    return failure(b->name + " is busy with session " + busy->id + " (a visitor moves to an idle station)");
  if (awaited || b->state != StationState::Idle)
    return failure(b->name + " is busy (it is " + std::string(awaited ? "taking a moved seat" : toString(b->state)) +
                   "; a visitor moves to an idle station)");
  // The seat as the station reports it (its server's Welcome), else its place in the launch.
  const auto place = std::find(s->stations.begin(), s->stations.end(), a->name);
  const int seat = a->seat >= 0 ? a->seat : int(place - s->stations.begin());
  // The old station goes back to its lobby; the seat's holder is the server's bot until the
  // new station takes it (handOver).
  if (Peer* p = stationPeer(a->name)) send(*p, net::ControlType::Stop, {{"session", s->id}, {"reason", "moved to " + b->name}});
  *place = b->name;
  b->state = StationState::Loading;
  b->session = s->id;
  b->title = s->title;
  b->remaining = s->remaining(now);
  b->seat = seat;
  handovers_.push_back({s->id, a->name, b->name, seat, now});
  book_.move(s->id, a->name, b->name, seat, wallSeconds());
  changed_ = true;
  std::fprintf(stderr, "pavilion director: session %s: seat %d moves from %s to %s\n", s->id.c_str(), seat, a->name.c_str(),
               b->name.c_str());
  return {{"ok", true}, {"session", s->id}, {"from", a->name}, {"to", b->name}, {"seat", seat}};
}

void Director::handOver(double now) {
  std::erase_if(handovers_, [&](const Handover& h) {
    Session* s = floor_.session(h.session);
    if (!s || s->state == SessionState::Ended) return true;
    // A report from the old station sent before it heard its Stop puts it back in the session's
    // list (the rebuild rule): it is out of it.
    std::erase(s->stations, h.from);
    if (std::find(s->stations.begin(), s->stations.end(), h.to) == s->stations.end()) s->stations.push_back(h.to);
    const StationRecord* old = floor_.station(h.from);
    const bool letGo = !old || !old->online || old->session != h.session || !showsSession(old->state);
    const double waited = now - h.since;
    if (waited < kMoveHandoverSeconds || (!letGo && waited < kMoveWaitSeconds)) return false;
    if (!stationPeer(h.to)) {
      std::fprintf(stderr, "pavilion director: session %s: %s went away before it took seat %d; the bot keeps it\n",
                   h.session.c_str(), h.to.c_str(), h.seat);
      std::erase(s->stations, h.to);
      if (StationRecord* r = floor_.station(h.to); r && r->session == h.session) r->session.clear();
      book_.leave(h.session, h.to, wallSeconds());
      changed_ = true;
      return true;
    }
    sendLaunch(*s, h.to, h.seat, now);
    std::fprintf(stderr, "pavilion director: session %s: %s takes seat %d%s\n", h.session.c_str(), h.to.c_str(), h.seat,
                 letGo ? "" : " (the old station never said it let go)");
    return true;
  });
}

json Director::move(const json& request) {
  if (!request.is_object()) return failure("a move request is a JSON object");
  json r = request;
  r["command"] = "move";
  return queued(r);
}

}  // namespace pav::director
