// The floor's records: lookups, numbering, JSON and the operator's text views.
#include "floor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

double Session::remaining(double now) const {
  if (state == "ended") return 0;
  return std::max(0.0, seconds - (now - startedAt));
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
    if (s.state != "ended" && std::find(s.stations.begin(), s.stations.end(), name) != s.stations.end()) return &s;
  return nullptr;
}

nlohmann::json Floor::stationJson(const StationRecord& s, double now) const {
  return {{"name", s.name},
          {"number", s.number},
          {"online", s.online},
          {"state", s.online ? s.state : "offline"},
          {"title", s.title},
          {"session", s.session},
          {"remaining", std::round(s.remaining * 10) / 10},
          {"seat", s.seat},
          {"address", s.address},
          {"health",
           {{"fps", std::round(s.health.fps * 10) / 10},
            {"missedFrames", s.health.missedFrames},
            {"rttMs", s.health.rttMs},
            {"loss", s.health.loss},
            {"uptime", std::round(s.health.uptime)},
            {"headset", s.health.headset}}},
          {"lastSeen", std::round((now - s.lastSeen) * 10) / 10}};
}

nlohmann::json Floor::sessionJson(const Session& s, double now) const {
  return {{"id", s.id},
          {"title", s.title},
          {"stations", s.stations},
          {"state", s.state},
          {"seconds", s.seconds},
          {"remaining", std::round(s.remaining(now) * 10) / 10},
          {"difficulty", s.difficulty},
          {"port", s.port},
          {"endReason", s.endReason}};
}

nlohmann::json Floor::json(double now) const {
  nlohmann::json out = {{"titles", titles}, {"stations", nlohmann::json::array()}, {"sessions", nlohmann::json::array()}};
  for (const StationRecord& s : stations) out["stations"].push_back(stationJson(s, now));
  for (const Session& s : sessions) out["sessions"].push_back(sessionJson(s, now));
  return out;
}

int skillOf(const std::string& difficulty) {
  if (difficulty == "easy") return 0;
  if (difficulty == "medium") return 1;
  if (difficulty == "hard") return 2;
  return -1;
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
  return out;
}

}  // namespace pav::director
