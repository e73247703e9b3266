// The director's side of live views and alerts (issue 20; the desk is live_desk.h): the
// stations' View and Alert messages, read whole before any of it is kept; the operators'
// view, alerts and ack requests; and the Watch orders that start and stop a station's pictures.
//
// Index
//   [Stations]   View and Alert from a station
//   [Requests]   view, alerts, ack
//   [Watches]    Watch {everySeconds} to each station whose wanted rate changed
#include <chrono>
#include <cmath>
#include <cstdio>

#include "director.h"

namespace pav::director {

using nlohmann::json;

namespace {

json failure(const std::string& error) { return {{"ok", false}, {"error", error}}; }

std::string shown(const json& j, size_t at = 64) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, at);
}

// A whole number in [lo, hi], or nothing.
std::optional<int64_t> wholeIn(const json& body, const char* key, int64_t lo, int64_t hi) {
  const auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  const int64_t v = it->get<int64_t>();
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

}  // namespace

double Director::wallClock() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// ---- [Stations] ------------------------------------------------------------------------------

std::string Director::onStationDesk(StationRecord& s, net::ControlType type, const json& body, double now) {
  if (type == net::ControlType::View) {
    const json jpeg = body.value("jpeg", json());
    const std::optional<int64_t> width = wholeIn(body, "width", 16, net::kMaxViewWidth);
    const std::optional<int64_t> height = wholeIn(body, "height", 16, net::kMaxViewHeight);
    if (!jpeg.is_string()) return "a view without its picture (\"jpeg\": base64 text)";
    if (!width || !height)
      return "a view of a bad size (width 16.." + std::to_string(net::kMaxViewWidth) + ", height 16.." +
             std::to_string(net::kMaxViewHeight) + "): " + shown(body.value("width", json())) + " x " +
             shown(body.value("height", json()));
    std::string bytes;
    if (!net::base64Decode(jpeg.get_ref<const std::string&>(), net::kMaxViewJpegBytes, bytes))
      return "a view whose picture is not base64 of at most " + std::to_string(net::kMaxViewJpegBytes) + " bytes (" +
             std::to_string(jpeg.get_ref<const std::string&>().size()) + " characters)";
    // A JPEG starts with SOI (FF D8) and ends with EOI (FF D9); a browser is shown nothing else.
    if (bytes.size() < 4 || uint8_t(bytes[0]) != 0xFF || uint8_t(bytes[1]) != 0xD8 ||
        uint8_t(bytes[bytes.size() - 2]) != 0xFF || uint8_t(bytes.back()) != 0xD9)
      return "a view whose picture is not a JPEG";
    return desk_.storeView(s.name, std::move(bytes), int(*width), int(*height), now);
  }
  // Alert
  const json kind = body.value("kind", json());
  const std::optional<AlertKind> parsed = kind.is_string() ? parseStationAlert(kind.get_ref<const std::string&>()) : std::nullopt;
  if (!parsed) return "an alert of an unknown kind " + shown(kind) + " (call, trainer, wheel)";
  const json detail = body.value("detail", json(""));
  if (!detail.is_string()) return "an alert whose detail is not text";
  const uint64_t id = desk_.raise(s.name, *parsed, detail.get<std::string>(), wallClock());
  if (id) std::fprintf(stderr, "pavilion director: alert %llu: %s: %s (%s)\n", static_cast<unsigned long long>(id),
                       s.name.c_str(), std::string(toString(*parsed)).c_str(), detail.get<std::string>().substr(0, 120).c_str());
  return {};
}

// ---- [Requests] ------------------------------------------------------------------------------

// {station, fast?}: the station's latest picture; asking watches it for kWatchLeaseSeconds.
json Director::doView(const json& request, double now) {
  const json target = request.value("station", json());
  if (!target.is_string()) return failure("which station? (\"station\": a name or number, as a string)");
  const StationRecord* s = floor_.target(target.get<std::string>());
  if (!s) return failure("unknown station '" + target.get<std::string>().substr(0, 64) + "'");
  const json fast = request.value("fast", json(false));
  if (!fast.is_boolean()) return failure("fast is true or false");
  desk_.watch(s->name, now, fast.get<bool>());
  json answer = {{"ok", true}, {"station", s->name}, {"online", s->online}, {"headset", s->health.headset},
                 {"every", desk_.wantedEvery(s->name, now)}, {"picture", json()}};
  if (const LiveView* v = desk_.view(s->name)) {
    answer["picture"] = {{"jpeg", net::base64Encode({reinterpret_cast<const uint8_t*>(v->jpeg.data()), v->jpeg.size()})},
                         {"width", v->width},
                         {"height", v->height},
                         {"bytes", v->jpeg.size()},
                         {"age", std::round((now - v->at) * 10) / 10},
                         {"serial", v->serial}};
  }
  return answer;
}

// {all?}: the open alerts (all: the acknowledged ones too), newest first.
json Director::doAlerts(const json& request) {
  const json all = request.value("all", json(false));
  if (!all.is_boolean()) return failure("all is true or false");
  return {{"ok", true}, {"open", desk_.openAlerts()}, {"alerts", desk_.alertsJson(all.get<bool>())}};
}

// {id}: a number, or its text ("7").
json Director::doAck(const json& request) {
  const json id = request.value("id", json());
  uint64_t n = 0;
  if (id.is_number_unsigned() || (id.is_number_integer() && id.get<int64_t>() > 0)) {
    n = id.get<uint64_t>();
  } else if (id.is_string() && !id.get_ref<const std::string&>().empty() && id.get_ref<const std::string&>().size() <= 18 &&
             id.get_ref<const std::string&>().find_first_not_of("0123456789") == std::string::npos) {
    n = std::stoull(id.get<std::string>());
  }
  if (n == 0) return failure("bad alert id " + shown(id) + ": alerts are numbered from 1 (pavilion ctl alerts lists them)");
  bool already = false;
  if (!desk_.ack(n, wallClock(), already)) {
    std::string open;
    for (const json& a : desk_.alertsJson(false)) open += (open.empty() ? "" : ", ") + std::to_string(a["id"].get<uint64_t>());
    return failure("no alert " + std::to_string(n) + " (open: " + (open.empty() ? "none" : open) + ")");
  }
  if (already) return failure("alert " + std::to_string(n) + " was acknowledged already");
  std::fprintf(stderr, "pavilion director: alert %llu acknowledged\n", static_cast<unsigned long long>(n));
  return {{"ok", true}, {"id", n}};
}

// ---- [Watches] -------------------------------------------------------------------------------

void Director::serveWatches(double now) {
  for (const StationRecord& s : floor_.stations) {
    if (!s.online) continue;
    Peer* p = stationPeer(s.name);
    if (!p) continue;
    const int every = desk_.wantedEvery(s.name, now);
    if (every == p->watchEvery) continue;
    p->watchEvery = every;
    send(*p, net::ControlType::Watch, {{"everySeconds", every}});
    std::fprintf(stderr, "pavilion director: %s: %s\n", s.name.c_str(),
                 every ? ("live view, a picture every " + std::to_string(every) + " s").c_str() : "live view off (nobody watches)");
  }
}

}  // namespace pav::director
