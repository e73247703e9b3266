// The operator's desk: watches and live views, alerts and their acknowledgement (live_desk.h).
#include "live_desk.h"

#include <algorithm>
#include <cmath>

namespace pav::director {

using nlohmann::json;

std::string_view toString(AlertKind k) {
  switch (k) {
    case AlertKind::Call: return "call";
    case AlertKind::Stalled: return "stalled";
    case AlertKind::Trainer: return "trainer";
    case AlertKind::Wheel: return "wheel";
    case AlertKind::Headset: return "headset";
  }
  return "?";
}

std::optional<AlertKind> parseStationAlert(std::string_view text) {
  if (text == "call") return AlertKind::Call;
  if (text == "trainer") return AlertKind::Trainer;
  if (text == "wheel") return AlertKind::Wheel;
  return std::nullopt;
}

// ---- Live views ------------------------------------------------------------------------------

void LiveDesk::watch(const std::string& station, double now, bool fast) {
  Watch& w = watches_[station];
  w.until = now + kWatchLeaseSeconds;
  if (fast) w.fastUntil = now + kWatchLeaseSeconds;
}

int LiveDesk::wantedEvery(const std::string& station, double now) const {
  const auto it = watches_.find(station);
  if (it == watches_.end() || now > it->second.until) return 0;
  return now <= it->second.fastUntil ? kViewFastSeconds : kViewEverySeconds;
}

size_t LiveDesk::watched(double now) const {
  return size_t(std::count_if(watches_.begin(), watches_.end(), [&](const auto& w) { return now <= w.second.until; }));
}

std::string LiveDesk::storeView(const std::string& station, std::string jpeg, int width, int height, double now) {
  LiveView& v = views_[station];
  if (v.at >= 0 && now - v.at < kMinViewGapSeconds)
    return "a view " + std::to_string(int(std::round((now - v.at) * 1000))) + " ms after the last (at most one per " +
           std::to_string(int(kMinViewGapSeconds * 1000)) + " ms)";
  viewBytes_ += jpeg.size();
  ++viewCount_;
  v.jpeg = std::move(jpeg);
  v.width = width;
  v.height = height;
  v.at = now;
  v.serial = ++serial_;
  return {};
}

const LiveView* LiveDesk::view(const std::string& station) const {
  const auto it = views_.find(station);
  return it == views_.end() || it->second.jpeg.empty() ? nullptr : &it->second;
}

// ---- Alerts ----------------------------------------------------------------------------------

uint64_t LiveDesk::raise(const std::string& station, AlertKind kind, const std::string& detail, double wall) {
  for (const Alert& a : alerts_)
    if (!a.acked && a.station == station && a.kind == kind) return 0;
  Alert a;
  a.id = nextId_++;
  a.station = station;
  a.kind = kind;
  a.detail = detail.substr(0, 200);
  a.raisedWall = wall;
  alerts_.push_back(std::move(a));
  // The oldest acknowledged go first; open ones only when there are more than kMaxAlerts open.
  while (alerts_.size() > kMaxAlerts) {
    const auto acked = std::find_if(alerts_.begin(), alerts_.end(), [](const Alert& x) { return x.acked; });
    alerts_.erase(acked != alerts_.end() ? acked : alerts_.begin());
  }
  ++alertsVersion_;
  return alerts_.back().id;
}

void LiveDesk::health(const std::string& station, uint64_t missedFrames, int present, bool playing, double wall) {
  Seen& s = seen_[station];
  // A counter that went back is a new run's (a station that restarted): counted from there.
  const uint64_t grew = s.any && missedFrames >= s.missed ? missedFrames - s.missed : 0;
  if (s.any && s.reports >= kStalledUsualReports && grew > kStalledMissedFrames && double(grew) > kStalledOverUsual * s.usual)
    raise(station, AlertKind::Stalled, std::to_string(grew) + " frames missed in a second", wall);
  if (s.any) {
    s.usual = s.reports == 0 ? double(grew) : 0.8 * s.usual + 0.2 * double(grew);
    ++s.reports;
  }
  if (s.any && playing && s.present == 1 && present == 0) raise(station, AlertKind::Headset, "the headset was taken off", wall);
  s.missed = missedFrames;
  s.present = present;
  s.any = true;
}

bool LiveDesk::ack(uint64_t id, double wall, bool& already) {
  already = false;
  for (Alert& a : alerts_) {
    if (a.id != id) continue;
    already = a.acked;
    if (!a.acked) {
      a.acked = true;
      a.ackedWall = wall;
      ++alertsVersion_;
    }
    return true;
  }
  return false;
}

size_t LiveDesk::openAlerts() const {
  return size_t(std::count_if(alerts_.begin(), alerts_.end(), [](const Alert& a) { return !a.acked; }));
}

json LiveDesk::alertsJson(bool all) const {
  json list = json::array();
  for (auto it = alerts_.rbegin(); it != alerts_.rend(); ++it) {
    if (it->acked && !all) continue;
    json a = {{"id", it->id},         {"station", it->station}, {"kind", std::string(toString(it->kind))},
              {"detail", it->detail}, {"raised", std::round(it->raisedWall)}, {"acked", it->acked}};
    if (it->acked) a["ackedAt"] = std::round(it->ackedWall);
    list.push_back(std::move(a));
  }
  return list;
}

}  // namespace pav::director
