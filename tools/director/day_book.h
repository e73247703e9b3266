// The floor's day book: a durable record of every session the director launched, by day, so
// that an operator can see at the end of the day how many visitors each title served
// (`pavilion ctl report`, the dashboard's day chart; the figures are day_report.h's).
//
// One file per day, <stateDir>/days/YYYY-MM-DD.json (the local date of each session's start),
// rewritten whole, atomically and durably (pav/core/durable_file.h), at every change: a launch
// opens an entry, a station leaving or joining (a move) closes or opens a turn at a seat, the
// end closes the entry with how it ended, and the server's results (when it has exited) add
// each seat's rank. A restarted director reads today's and yesterday's files back, so the
// sessions it rebuilds from the stations' reports are closed in the same entries. A session that
// ended while no director ran stays "open" in its file; the report counts it up to its planned end.
//
//   DayBook book(stateDir + "/days");
//   book.begin(session, wallNow);                       // at launch
//   book.move("s3", "station-2", "station-5", 1, wallNow);
//   book.end("s3", Ending::TimeUp, "time up", wallNow);
//   book.results("s3", resultsJson);                    // {"ranking":[seat, ...], ...}
//   std::vector<DayEntry> day = book.day("2026-12-07");
//
// A file that is not a day book (hand-edited, cut short by a full disk before the durable writes)
// is set aside as <day>.json.bad-N with a log line, never read as an empty day and overwritten.
// Every write failure is logged and retried at the next change: the floor plays on.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pav::director {

struct Session;

// How a session ended. Open: not yet (or never seen to: its director was down).
enum class Ending : uint8_t { Open, TimeUp, Finished, Stopped, Failed };
inline constexpr std::array<std::string_view, 5> kEndingNames = {"open", "time up", "finished", "stopped", "failed"};
constexpr std::string_view toString(Ending e) { return kEndingNames[static_cast<size_t>(e)]; }
std::optional<Ending> parseEnding(std::string_view text);
// A session played to its end: time up, or its title finished (a race won, every balloon popped).
constexpr bool completed(Ending e) { return e == Ending::TimeUp || e == Ending::Finished; }

// One station's time at one seat of a session (a move ends one turn and starts another).
struct SeatTurn {
  std::string station;
  int seat = 0;
  double from = 0, to = -1;  // Unix seconds; to < 0: still there
  int rank = 0;              // 1 = first, from the server's results' "ranking"; 0: none (a draw, no results)
};

struct DayEntry {
  std::string id, title, difficulty;
  double start = 0;           // Unix seconds of the launch
  double end = -1;            // Unix seconds of the end; < 0 while open
  double plannedEnd = 0;      // the launch's lobby, start and length after `start`
  Ending ending = Ending::Open;
  std::string reason;         // the director's words ("time up", "stopped by the operator", ...)
  std::vector<SeatTurn> turns;
  nlohmann::json results;     // the server's results (the title's JSON), null until known
  int moves = 0;

  nlohmann::json json() const;
  // json() read back; false (nothing of it taken) when a field is missing or of the wrong type.
  static bool fromJson(const nlohmann::json& j, DayEntry& out);
};

class DayBook {
 public:
  // Makes the folder when it cannot be found (throws pav::Error naming it when it cannot be
  // made), then reads today's and yesterday's files.
  explicit DayBook(std::string folder);

  void begin(const Session& s, double wall);
  // A station hands its seat to another (ctl move): its turn ends, the other's begins.
  void move(const std::string& id, const std::string& from, const std::string& to, int seat, double wall);
  // A station leaves its session (ctl stop STATION in a session of several): its turn ends.
  void leave(const std::string& id, const std::string& station, double wall);
  void end(const std::string& id, Ending ending, const std::string& reason, double wall);
  // The server's results: each turn at a seat in its "ranking" gets that rank. Ignored unless
  // an object (a server that died before its results).
  void results(const std::string& id, const nlohmann::json& results);

  // Every entry of a day ("YYYY-MM-DD"), read from its file unless it is loaded; empty when
  // there is none. Throws pav::Error for a date that is not one.
  std::vector<DayEntry> day(const std::string& date);
  const std::string& folder() const { return folder_; }

  // The local date of a Unix time, "YYYY-MM-DD".
  static std::string dateOf(double wall);
  // Whether `text` is a date YYYY-MM-DD that exists (2026-02-30 does not).
  static bool validDate(const std::string& text);

 private:
  DayEntry* find(const std::string& id, std::string* date);
  void load(const std::string& date);
  void save(const std::string& date);

  std::string folder_;
  std::map<std::string, std::vector<DayEntry>> days_;  // loaded days, by date
};

}  // namespace pav::director
