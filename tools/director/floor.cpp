// The floor's records: lookups, numbering, JSON and the operator's text views.
#include "floor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "pav/core/title.h"

namespace pav::director {
namespace {

// "station-12" -> 12; 0 when the name does not end in digits.
int trailingNumber(const std::string& name) {
  size_t i = name.size();
  while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') --i;
  if (i == name.size() || name.size() - i > 6) return 0;
  return std::stoi(name.substr(i));
}

std::string clockText(double seconds) {
  if (seconds < 0) seconds = 0;
  const int s = static_cast<int>(std::ceil(seconds));
  char text[32];
  std::snprintf(text, sizeof text, "%d:%02d", s / 60, s % 60);
  return text;
}

}  // namespace

double Session::startsIn(double now) const {
  if (state == SessionState::Ended) return 0;
  return std::max(0.0, startedAt + holdSeconds(lobby) - now);
}

double Session::remaining(double now) const {
  if (state == SessionState::Ended) return 0;
  return std::max(0.0, seconds - std::max(0.0, now - startedAt - holdSeconds(lobby)));
}

StationRecord* Floor::station(const std::string& name) {
  for (StationRecord& s : stations)
    if (s.name == name) return &s;
  return nullptr;
}

StationRecord* Floor::target(const std::string& text) {
  if (StationRecord* s = station(text)) return s;
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return nullptr;
  const int number = std::stoi(text);
  for (StationRecord& s : stations)
    if (s.number == number) return &s;
  return nullptr;
}

Session* Floor::session(const std::string& id) {
  for (Session& s : sessions)
    if (s.id == id) return &s;
  return nullptr;
}

void Floor::remember(RecentSession r) {
  std::erase_if(recent, [&](const RecentSession& old) { return old.id == r.id; });
  recent.push_front(std::move(r));
  while (recent.size() > kMaxRecent) recent.pop_back();
}

RecentSession* Floor::recentSession(const std::string& id) {
  for (RecentSession& r : recent)
    if (r.id == id) return &r;
  return nullptr;
}

StationRecord& Floor::add(const std::string& name) {
  StationRecord record;
  record.name = name;
  const auto taken = [&](int n) {
    return std::any_of(stations.begin(), stations.end(), [&](const StationRecord& s) { return s.number == n; });
  };
  int number = trailingNumber(name);
  if (number <= 0 || taken(number)) {
    number = 1;
    while (taken(number)) ++number;
  }
  record.number = number;
  stations.push_back(std::move(record));
  std::sort(stations.begin(), stations.end(),
            [](const StationRecord& a, const StationRecord& b) { return a.number < b.number; });
  return *station(name);
}

Session* Floor::sessionOf(const std::string& name) {
  for (Session& s : sessions)
    if (s.state != SessionState::Ended && std::find(s.stations.begin(), s.stations.end(), name) != s.stations.end()) return &s;
  return nullptr;
}

nlohmann::json Floor::stationJson(const StationRecord& s, double now) const {
  return {{"name", s.name},
          {"number", s.number},
          {"online", s.online},
          {"state", toString(s.online ? s.state : StationState::Offline)},
          {"title", s.title},
          {"session", s.session},
          {"remaining", std::round(s.remaining * 10) / 10},
          {"seat", s.seat},
          {"volume", s.volume},
          {"muted", s.muted},
          {"address", s.address},
          {"health",
           {{"fps", std::round(s.health.fps * 10) / 10},
            {"missedFrames", s.health.missedFrames},
            {"rttMs", s.health.rttMs},
            {"loss", s.health.loss},
            {"uptime", std::round(s.health.uptime)},
            {"headset", s.health.headset},
            {"link", net::linkName(s.health.link)},
            {"downKbps", std::round(s.health.downKbps * 10) / 10},
            {"outages", s.health.outages},
            {"longestOutageMs", std::round(s.health.longestOutageMs)},
            {"correctionMm", std::round(s.health.correctionMm * 10) / 10},
            {"present", s.health.present < 0 ? nlohmann::json() : nlohmann::json(s.health.present == 1)},
            {"trainer", s.health.trainer.empty() ? nlohmann::json(nullptr)
                                                  : nlohmann::json{{"state", s.health.trainer},
                                                                   {"watts", std::round(s.health.trainerWatts)},
                                                                   {"cadenceRpm", std::round(s.health.trainerCadenceRpm)}}}}},
          {"lastSeen", std::round((now - s.lastSeen) * 10) / 10}};
}

nlohmann::json Floor::sessionJson(const Session& s, double now) const {
  return {{"id", s.id},
          {"title", s.title},
          {"stations", s.stations},
          {"state", toString(s.state)},
          {"seconds", s.seconds},
          {"remaining", std::round(s.remaining(now) * 10) / 10},
          {"lobby", s.lobby},
          {"startsIn", std::round(s.startsIn(now) * 10) / 10},
          {"lang", s.lang},
          {"difficulty", s.difficulty},
          {"budgetKbps", s.budgetKbps},
          {"link", s.link},
          {"port", s.port},
          {"endReason", s.endReason}};
}

nlohmann::json Floor::recentJson(const RecentSession& r) {
  return {{"id", r.id},
          {"title", r.title},
          {"stations", r.stations},
          {"endReason", r.endReason},
          {"endedAt", std::round(r.endedWall)},
          {"replay", r.replay},
          {"kept", r.keptName},
          {"keptPath", r.keptPath}};
}

RecentSession Floor::recentFromJson(const nlohmann::json& j) {
  RecentSession r;
  if (!j.is_object()) return r;
  const auto text = [&](const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  r.id = text("id");
  r.title = text("title");
  r.endReason = text("endReason");
  r.keptName = text("kept");
  r.keptPath = text("keptPath");
  if (const auto it = j.find("endedAt"); it != j.end() && it->is_number()) r.endedWall = it->get<double>();
  if (const auto it = j.find("replay"); it != j.end() && it->is_boolean()) r.replay = it->get<bool>();
  if (const auto it = j.find("stations"); it != j.end() && it->is_array())
    for (const nlohmann::json& n : *it)
      if (n.is_string()) r.stations.push_back(n.get<std::string>());
  return r;
}

nlohmann::json Floor::json(double now) const {
  nlohmann::json out = {{"titles", titles},
                        {"stations", nlohmann::json::array()},
                        {"sessions", nlohmann::json::array()},
                        {"recent", nlohmann::json::array()},
                        {"defaultLang", defaultLang},
                        {"defaultLobby", defaultLobby}};
  for (const StationRecord& s : stations) out["stations"].push_back(stationJson(s, now));
  for (const Session& s : sessions) out["sessions"].push_back(sessionJson(s, now));
  for (const RecentSession& r : recent) out["recent"].push_back(recentJson(r));
  return out;
}

bool validName(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

int skillOf(const std::string& difficulty) {
  if (difficulty.size() == 1 && difficulty[0] >= '0' && difficulty[0] <= '9') return -1;  // names only
  return core::parseSkill(difficulty);
}

std::string stationsText(const nlohmann::json& floor) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-3s %-16s %-8s %-8s %-6s %6s %6s %6s %5s\n", "#", "STATION", "STATE", "TITLE",
                "LEFT", "FPS", "RTT", "LOSS", "SEAT");
  out += line;
  for (const nlohmann::json& s : floor.value("stations", nlohmann::json::array())) {
    const bool busy = !s.value("session", std::string()).empty();
    const nlohmann::json& h = s["health"];
    std::snprintf(line, sizeof line, "%-3d %-16s %-8s %-8s %-6s %6.1f %4ums %5.1f%% %5s\n", s.value("number", 0),
                  s.value("name", std::string()).c_str(), s.value("state", std::string()).c_str(),
                  busy ? s.value("title", std::string()).c_str() : "-",
                  busy ? clockText(s.value("remaining", 0.0)).c_str() : "-", h.value("fps", 0.0),
                  h.value("rttMs", 0u), 100.0 * h.value("loss", 0.0),
                  s.value("seat", -1) >= 0 ? std::to_string(s.value("seat", -1)).c_str() : "-");
    out += line;
  }
  if (floor.value("stations", nlohmann::json::array()).empty()) out += "(no stations have registered)\n";
  return out;
}

std::string statusText(const nlohmann::json& floor) {
  std::string out;
  const nlohmann::json sessions = floor.value("sessions", nlohmann::json::array());
  out += "sessions: " + std::to_string(sessions.size()) + "\n";
  for (const nlohmann::json& s : sessions) {
    std::string stations;
    for (const nlohmann::json& n : s["stations"]) stations += (stations.empty() ? "" : ",") + n.get<std::string>();
    char line[256];
    std::snprintf(line, sizeof line, "  %-5s %-8s %-8s %-6s %-7s on %s%s%s\n", s.value("id", std::string()).c_str(),
                  s.value("title", std::string()).c_str(), s.value("state", std::string()).c_str(),
                  clockText(s.value("remaining", 0.0)).c_str(), s.value("difficulty", std::string()).c_str(),
                  stations.c_str(), s.value("endReason", std::string()).empty() ? "" : " - ",
                  s.value("endReason", std::string()).c_str());
    out += line;
  }
  size_t online = 0;
  for (const nlohmann::json& s : floor.value("stations", nlohmann::json::array())) online += s.value("online", false);
  out += "stations: " + std::to_string(online) + " online of " +
         std::to_string(floor.value("stations", nlohmann::json::array()).size()) + "\n";
  out += stationsText(floor);
  // The newest few ended sessions, whose replays can be kept.
  const nlohmann::json recent = floor.value("recent", nlohmann::json::array());
  if (!recent.empty()) out += "recent: " + std::to_string(recent.size()) + " ended (keep one: pavilion ctl keep SESSION --name NAME)\n";
  for (size_t i = 0; i < recent.size() && i < 5; ++i) {
    const nlohmann::json& r = recent[i];
    std::string stations;
    for (const nlohmann::json& n : r.value("stations", nlohmann::json::array()))
      if (n.is_string()) stations += (stations.empty() ? "" : ",") + n.get<std::string>();
    const std::string kept = r.value("kept", std::string());
    const std::string how = !kept.empty() ? "kept as " + kept : r.value("replay", false) ? "replay not kept" : "no replay";
    char line[384];
    std::snprintf(line, sizeof line, "  %-5s %-8s on %s - %s, %s\n", r.value("id", std::string()).c_str(),
                  r.value("title", std::string()).c_str(), stations.c_str(), r.value("endReason", std::string()).c_str(),
                  how.c_str());
    out += line;
  }
  return out;
}

}  // namespace pav::director
