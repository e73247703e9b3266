// The day's figures from the day book (day_book.h): sessions per title per hour, each station's
// utilisation, the completion rate and the average results. The director answers `report` with
// dayReport(); `pavilion ctl report` prints reportText() or reportCsv() of it, and the dashboard
// draws its chart from the same JSON, so the three always agree.
//
//   json r = dayReport(book.day("2026-12-07"), "2026-12-07", wallNow);
//   std::fputs(reportText(r).c_str(), stdout);
//
// The rules, named once:
//   - a session counts in the hour (local time) it was launched;
//   - completed: it ended by time up or its title finished (not stopped, not failed); the
//     completion rate is completed / ended sessions (open ones are not counted yet);
//   - a station's busy time is the sum of its turns at a seat; its utilisation is that over the
//     floor's open span, from the day's first launch to its last end (an open session ends at
//     its planned end, or now if that is sooner);
//   - the average result is the visitors' average rank (1 = first; seats with no rank, a draw,
//     are left out), and wins are the turns ranked first.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "day_book.h"

namespace pav::director {

// {"day", "sessions", "completed", "ended", "completionRate" (0..1, null with none ended),
//  "openFrom", "openTo" (Unix s; null with no session), "openSeconds",
//  "titles": [{"title", "sessions", "completed", "ended", "completionRate", "visitors",
//              "averageRank" (null: none ranked), "wins", "hours": [24 counts]}],
//  "stations": [{"station", "sessions", "busySeconds", "utilisation" (0..1)}],
//  "hours": [24 counts, every title], "firstHour", "lastHour" (-1 with no session)}
nlohmann::json dayReport(const std::vector<DayEntry>& entries, const std::string& day, double wallNow);
// For people: a few lines per section; a day with no session says so in one line.
std::string reportText(const nlohmann::json& report);
// One table for spreadsheets: kind,name,hour,sessions,completed,completion_rate,busy_seconds,utilisation,average_rank,wins
// (kind: day, title, hour (one row per title per hour with sessions), station).
std::string reportCsv(const nlohmann::json& report);

}  // namespace pav::director
