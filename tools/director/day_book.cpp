// The day book: entries, their JSON, and the day files (day_book.h).
#include "day_book.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "floor.h"
#include "pav/core/durable_file.h"
#include "pav/core/error.h"

namespace pav::director {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxResultBytes = 8 * 1024;  // a title's results are a few hundred bytes

bool number(const json& j, const char* key, double& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number() || !std::isfinite(it->get<double>())) return false;
  out = it->get<double>();
  return true;
}

bool text(const json& j, const char* key, std::string& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

}  // namespace

std::optional<Ending> parseEnding(std::string_view name) {
  for (size_t i = 0; i < kEndingNames.size(); ++i)
    if (kEndingNames[i] == name) return static_cast<Ending>(i);
  return std::nullopt;
}

// ---- Entries ---------------------------------------------------------------------------------

json DayEntry::json() const {
  nlohmann::json turnList = nlohmann::json::array();
  for (const SeatTurn& t : turns)
    turnList.push_back({{"station", t.station}, {"seat", t.seat}, {"from", t.from}, {"to", t.to}, {"rank", t.rank}});
  return {{"id", id}, {"title", title}, {"difficulty", difficulty}, {"start", start}, {"end", end},
          {"plannedEnd", plannedEnd}, {"ending", std::string(toString(ending))}, {"reason", reason},
          {"turns", std::move(turnList)}, {"results", results}, {"moves", moves}};
}

bool DayEntry::fromJson(const nlohmann::json& j, DayEntry& out) {
  if (!j.is_object()) return false;
  DayEntry e;
  std::string ending;
  double moves = 0;
  if (!text(j, "id", e.id) || !validName(e.id) || !text(j, "title", e.title) || !number(j, "start", e.start) ||
      !number(j, "end", e.end) || !number(j, "plannedEnd", e.plannedEnd) || !text(j, "ending", ending))
    return false;
  text(j, "difficulty", e.difficulty);
  text(j, "reason", e.reason);
  if (number(j, "moves", moves)) e.moves = int(std::clamp(moves, 0.0, 1e6));
  const std::optional<Ending> parsed = parseEnding(ending);
  if (!parsed) return false;
  e.ending = *parsed;
  const auto turns = j.find("turns");
  if (turns == j.end() || !turns->is_array()) return false;
  for (const nlohmann::json& t : *turns) {
    SeatTurn turn;
    double seat = 0, rank = 0;
    if (!t.is_object() || !text(t, "station", turn.station) || !number(t, "seat", seat) || !number(t, "from", turn.from) ||
        !number(t, "to", turn.to) || seat < 0 || seat > 255)
      return false;
    number(t, "rank", rank);
    turn.seat = int(seat);
    turn.rank = int(std::clamp(rank, 0.0, 255.0));
    e.turns.push_back(std::move(turn));
  }
  const auto results = j.find("results");
  if (results != j.end() && results->is_object()) e.results = *results;
  out = std::move(e);
  return true;
}

// ---- Dates -----------------------------------------------------------------------------------

std::string DayBook::dateOf(double wall) {
  const std::time_t t = static_cast<std::time_t>(std::floor(wall));
  std::tm local{};
  localtime_r(&t, &local);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
  return buf;
}

bool DayBook::validDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  std::tm tm{};
  tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(text.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(text.substr(8, 2));
  tm.tm_hour = 12;
  tm.tm_isdst = -1;
  const int year = tm.tm_year, month = tm.tm_mon, day = tm.tm_mday;
  // mktime normalises 02-30 to 03-02: a date that exists comes back as it went in.
  if (month < 0 || month > 11 || day < 1 || std::mktime(&tm) == std::time_t(-1)) return false;
  return tm.tm_year == year && tm.tm_mon == month && tm.tm_mday == day;
}

// ---- The book --------------------------------------------------------------------------------

DayBook::DayBook(std::string folder) : folder_(std::move(folder)) {
  std::error_code ec;
  fs::create_directories(folder_, ec);
  if (ec) throw Error(folder_ + ": cannot make the day book's folder: " + ec.message());
  const double now = double(std::time(nullptr));
  load(dateOf(now - 86400));
  load(dateOf(now));
}

void DayBook::load(const std::string& date) {
  if (days_.count(date)) return;
  std::vector<DayEntry>& entries = days_[date];
  const std::string path = (fs::path(folder_) / (date + ".json")).string();
  std::ifstream in(path);
  if (!in) return;  // no session that day
  std::stringstream bytes;
  bytes << in.rdbuf();
  const json j = json::parse(bytes.str(), nullptr, false);
  const json* list = j.is_object() && j.contains("sessions") && j["sessions"].is_array() ? &j["sessions"] : nullptr;
  if (!list) {
    // Not a day book: set aside, never overwritten by the next save.
    std::string aside;
    for (int n = 1; n < 1000; ++n) {
      aside = path + ".bad-" + std::to_string(n);
      if (!fs::exists(aside)) break;
    }
    std::error_code ec;
    fs::rename(path, aside, ec);
    std::fprintf(stderr, "pavilion director: %s is not a day book; %s\n", path.c_str(),
                 ec ? ("it could not be set aside: " + ec.message()).c_str() : ("set aside as " + aside).c_str());
    return;
  }
  size_t skipped = 0;
  for (const json& e : *list) {
    DayEntry entry;
    if (DayEntry::fromJson(e, entry)) entries.push_back(std::move(entry));
    else ++skipped;
  }
  if (skipped)
    std::fprintf(stderr, "pavilion director: %s: %zu malformed entr%s left out\n", path.c_str(), skipped, skipped == 1 ? "y" : "ies");
}

void DayBook::save(const std::string& date) {
  // One session a line: a person (or grep) reads the file as easily as a program.
  std::string text = "{\"day\":" + json(date).dump() + ",\"sessions\":[";
  const std::vector<DayEntry>& entries = days_[date];
  for (size_t i = 0; i < entries.size(); ++i)
    text += (i ? ",\n" : "\n") + entries[i].json().dump(-1, ' ', false, json::error_handler_t::replace);
  text += "\n]}\n";
  const std::string path = (fs::path(folder_) / (date + ".json")).string();
  try {
    core::writeFileDurably(path, text);
  } catch (const Error& e) {
    std::fprintf(stderr, "pavilion director: the day book is not saved (retried at the next change): %s\n", e.what());
  }
}

DayEntry* DayBook::find(const std::string& id, std::string* date) {
  for (auto& [day, entries] : days_)
    for (DayEntry& e : entries)
      if (e.id == id) {
        if (date) *date = day;
        return &e;
      }
  return nullptr;
}

void DayBook::begin(const Session& s, double wall) {
  const std::string date = dateOf(wall);
  load(date);
  DayEntry e;
  e.id = s.id;
  e.title = s.title;
  e.difficulty = s.difficulty;
  e.start = wall;
  e.plannedEnd = wall + holdSeconds(s.lobby) + s.seconds;
  for (size_t seat = 0; seat < s.stations.size(); ++seat) e.turns.push_back({s.stations[seat], int(seat), wall, -1, 0});
  std::erase_if(days_[date], [&](const DayEntry& old) { return old.id == e.id; });
  days_[date].push_back(std::move(e));
  save(date);
}

void DayBook::move(const std::string& id, const std::string& from, const std::string& to, int seat, double wall) {
  std::string date;
  DayEntry* e = find(id, &date);
  if (!e) return;
  for (SeatTurn& t : e->turns)
    if (t.station == from && t.to < 0) t.to = wall;
  e->turns.push_back({to, seat, wall, -1, 0});
  ++e->moves;
  save(date);
}

void DayBook::leave(const std::string& id, const std::string& station, double wall) {
  std::string date;
  DayEntry* e = find(id, &date);
  if (!e) return;
  for (SeatTurn& t : e->turns)
    if (t.station == station && t.to < 0) t.to = wall;
  save(date);
}

void DayBook::end(const std::string& id, Ending ending, const std::string& reason, double wall) {
  std::string date;
  DayEntry* e = find(id, &date);
  if (!e || e->ending != Ending::Open) return;
  e->end = wall;
  e->ending = ending;
  e->reason = reason.substr(0, 200);
  for (SeatTurn& t : e->turns)
    if (t.to < 0) t.to = wall;
  save(date);
}

void DayBook::results(const std::string& id, const nlohmann::json& results) {
  if (!results.is_object() || results.dump().size() > kMaxResultBytes) return;
  std::string date;
  DayEntry* e = find(id, &date);
  if (!e) return;
  e->results = results;
  const auto ranking = results.find("ranking");
  if (ranking != results.end() && ranking->is_array())
    for (size_t place = 0; place < ranking->size(); ++place) {
      const json& seat = (*ranking)[place];
      if (!seat.is_number_integer()) continue;
      // The seat's last holder (after a move) finished the session in it.
      SeatTurn* last = nullptr;
      for (SeatTurn& t : e->turns)
        if (t.seat == seat.get<int64_t>()) last = &t;
      if (last) last->rank = int(place) + 1;
    }
  save(date);
}

std::vector<DayEntry> DayBook::day(const std::string& date) {
  if (!validDate(date)) throw Error("bad day '" + date.substr(0, 32) + "': a date is YYYY-MM-DD, for example 2026-12-07");
  const bool loaded = days_.count(date) != 0;
  load(date);
  std::vector<DayEntry> entries = days_[date];
  // Past days are read for a report and not kept: the book holds the days it writes.
  if (!loaded && date != dateOf(double(std::time(nullptr)))) days_.erase(date);
  return entries;
}

}  // namespace pav::director
