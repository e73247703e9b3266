// The day's figures (day_report.h).
#include "day_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

namespace pav::director {

using nlohmann::json;

namespace {

int localHour(double wall) {
  const std::time_t t = static_cast<std::time_t>(std::floor(wall));
  std::tm local{};
  localtime_r(&t, &local);
  return local.tm_hour;
}

std::string timeOfDay(double wall) {
  const std::time_t t = static_cast<std::time_t>(std::floor(wall));
  std::tm local{};
  localtime_r(&t, &local);
  char buf[8];
  std::strftime(buf, sizeof buf, "%H:%M", &local);
  return buf;
}

std::string percent(const json& share) {
  if (!share.is_number()) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f %%", share.get<double>() * 100);
  return buf;
}

std::string fixed(const json& v, const char* format) {
  if (!v.is_number()) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v.get<double>());
  return buf;
}

// A CSV field: quoted when it holds a comma, a quote or a line break (names are validName()s,
// but a report is read from files).
std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

struct TitleSums {
  int sessions = 0, completed = 0, ended = 0, visitors = 0, ranked = 0, wins = 0;
  double rankSum = 0;
  std::array<int, 24> hours{};
};
struct StationSums {
  int sessions = 0;
  double busy = 0;
};

}  // namespace

json dayReport(const std::vector<DayEntry>& entries, const std::string& day, double wallNow) {
  std::map<std::string, TitleSums> titles;
  std::map<std::string, StationSums> stations;
  std::array<int, 24> hours{};
  int completedAll = 0, endedAll = 0, firstHour = -1, lastHour = -1;
  double openFrom = 0, openTo = 0;
  bool any = false;
  for (const DayEntry& e : entries) {
    // An open session ends at its planned end, or now if that is sooner.
    const double end = e.ending != Ending::Open ? e.end : std::max(e.start, std::min(e.plannedEnd, wallNow));
    const int hour = localHour(e.start);
    TitleSums& t = titles[e.title];
    ++t.sessions;
    ++t.hours[size_t(hour)];
    ++hours[size_t(hour)];
    firstHour = firstHour < 0 ? hour : std::min(firstHour, hour);
    lastHour = std::max(lastHour, hour);
    if (e.ending != Ending::Open) {
      ++t.ended;
      ++endedAll;
      if (completed(e.ending)) {
        ++t.completed;
        ++completedAll;
      }
    }
    openFrom = any ? std::min(openFrom, e.start) : e.start;
    openTo = any ? std::max(openTo, end) : end;
    any = true;
    std::map<std::string, bool> seen;
    std::map<int, bool> seats;  // a visitor is a seat (one who moves stays one visitor)
    for (const SeatTurn& turn : e.turns) {
      seats[turn.seat] = true;
      const double to = turn.to >= 0 ? turn.to : end;
      StationSums& s = stations[turn.station];
      s.busy += std::max(0.0, to - turn.from);
      if (!seen[turn.station]) ++s.sessions;
      seen[turn.station] = true;
      if (turn.rank > 0) {
        ++t.ranked;
        t.rankSum += turn.rank;
        if (turn.rank == 1) ++t.wins;
      }
    }
    t.visitors += int(seats.size());
  }
  const double span = any ? std::max(0.0, openTo - openFrom) : 0.0;
  const auto rate = [](int done, int ended) { return ended > 0 ? json(double(done) / ended) : json(nullptr); };
  json titleList = json::array();
  for (const auto& [name, t] : titles)
    titleList.push_back({{"title", name}, {"sessions", t.sessions}, {"completed", t.completed}, {"ended", t.ended},
                         {"completionRate", rate(t.completed, t.ended)}, {"visitors", t.visitors},
                         {"averageRank", t.ranked > 0 ? json(t.rankSum / t.ranked) : json(nullptr)}, {"wins", t.wins},
                         {"hours", t.hours}});
  json stationList = json::array();
  for (const auto& [name, s] : stations)
    stationList.push_back({{"station", name}, {"sessions", s.sessions}, {"busySeconds", std::round(s.busy * 10) / 10},
                           {"utilisation", span > 0 ? std::min(1.0, s.busy / span) : 0.0}});
  return {{"day", day},
          {"sessions", int(entries.size())},
          {"completed", completedAll},
          {"ended", endedAll},
          {"completionRate", rate(completedAll, endedAll)},
          {"openFrom", any ? json(openFrom) : json(nullptr)},
          {"openTo", any ? json(openTo) : json(nullptr)},
          {"openSeconds", std::round(span * 10) / 10},
          {"titles", std::move(titleList)},
          {"stations", std::move(stationList)},
          {"hours", hours},
          {"firstHour", firstHour},
          {"lastHour", lastHour}};
}

std::string reportText(const json& report) {
  json r = report.is_object() ? report : json::object();  // missing keys read as null, never a crash
  const std::string day = r.value("day", std::string());
  const int sessions = r.value("sessions", 0);
  if (sessions == 0 || !r["openFrom"].is_number() || !r["openTo"].is_number() || !r["titles"].is_array() || !r["stations"].is_array())
    return "Day " + day + ": no sessions recorded.\n";
  char line[512];
  std::string out;
  std::snprintf(line, sizeof line, "Day %s: %d session(s), %d completed of %d ended (%s), floor open %s-%s (%.0f min)\n",
                day.c_str(), sessions, r.value("completed", 0), r.value("ended", 0), percent(r["completionRate"]).c_str(),
                timeOfDay(r["openFrom"].get<double>()).c_str(), timeOfDay(r["openTo"].get<double>()).c_str(),
                r.value("openSeconds", 0.0) / 60);
  out += line;
  out += "\nSessions per hour\n  hour  ";
  for (const json& t : r["titles"]) {
    std::snprintf(line, sizeof line, " %10s", t.value("title", std::string()).c_str());
    out += line;
  }
  out += "        all\n";
  for (int h = std::max(0, r.value("firstHour", 0)); h <= std::min(23, r.value("lastHour", -1)); ++h) {
    std::snprintf(line, sizeof line, "  %02d:00 ", h);
    out += line;
    for (const json& t : r["titles"]) {
      std::snprintf(line, sizeof line, " %10d", t.at("hours").at(size_t(h)).get<int>());
      out += line;
    }
    std::snprintf(line, sizeof line, " %10d\n", r.at("hours").at(size_t(h)).get<int>());
    out += line;
  }
  out += "\nTitles\n";
  for (const json& t : r["titles"]) {
    const std::string rank = fixed(t.value("averageRank", json()), "%.2f");
    std::snprintf(line, sizeof line, "  %-10s %3d session(s), %d visitor(s), completed %d of %d (%s), average rank %s, wins %d\n",
                  t.value("title", std::string()).c_str(), t.value("sessions", 0), t.value("visitors", 0), t.value("completed", 0),
                  t.value("ended", 0), percent(t.value("completionRate", json())).c_str(), rank.empty() ? "-" : rank.c_str(), t.value("wins", 0));
    out += line;
  }
  out += "\nStations\n";
  for (const json& s : r["stations"]) {
    std::snprintf(line, sizeof line, "  %-12s %3d session(s), busy %.1f min, utilisation %s\n", s.value("station", std::string()).c_str(),
                  s.value("sessions", 0), s.value("busySeconds", 0.0) / 60, percent(s.value("utilisation", json())).c_str());
    out += line;
  }
  return out;
}

std::string reportCsv(const json& report) {
  json r = report.is_object() ? report : json::object();
  std::string out = "kind,name,hour,sessions,completed,completion_rate,busy_seconds,utilisation,average_rank,wins\n";
  const auto row = [&](const std::string& kind, const std::string& name, const std::string& hour, const std::string& sessions,
                       const std::string& completed, const std::string& rate, const std::string& busy, const std::string& util,
                       const std::string& rank, const std::string& wins) {
    out += kind + "," + csvField(name) + "," + hour + "," + sessions + "," + completed + "," + rate + "," + busy + "," + util + "," +
           rank + "," + wins + "\n";
  };
  row("day", r.value("day", std::string()), "", std::to_string(r.value("sessions", 0)), std::to_string(r.value("completed", 0)),
      fixed(r["completionRate"], "%.4f"), fixed(r["openSeconds"], "%.1f"), "", "", "");
  for (const json& t : r["titles"]) {
    const std::string name = t.value("title", std::string());
    row("title", name, "", std::to_string(t.value("sessions", 0)), std::to_string(t.value("completed", 0)),
        fixed(t.value("completionRate", json()), "%.4f"), "", "", fixed(t.value("averageRank", json()), "%.4f"), std::to_string(t.value("wins", 0)));
    for (int h = 0; h < 24; ++h) {
      const int n = t.at("hours").at(size_t(h)).get<int>();
      if (n == 0) continue;
      char hour[8];
      std::snprintf(hour, sizeof hour, "%02d", h);
      row("hour", name, hour, std::to_string(n), "", "", "", "", "", "");
    }
  }
  for (const json& s : r["stations"])
    row("station", s.value("station", std::string()), "", std::to_string(s.value("sessions", 0)), "", "",
        fixed(s.value("busySeconds", json()), "%.1f"), fixed(s.value("utilisation", json()), "%.4f"), "", "");
  return out;
}

}  // namespace pav::director
