// The day book (day_book.h) on a real folder and the day's figures (day_report.h): entries
// written durably and read back by a new book (a restarted director), moves and results, a
// corrupt file set aside, dates checked; the report's counts, completion, utilisation and
// ranks on entries with known times; its text and CSV.
#include <gtest/gtest.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "day_book.h"
#include "day_report.h"
#include "floor.h"
#include "pav/core/error.h"

namespace pav::director {
namespace {

namespace fs = std::filesystem;

class DayBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pav-daybook-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    // Noon today, local time: the entries below stay within today.
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    tm.tm_hour = 12;
    tm.tm_min = 0;
    tm.tm_sec = 0;
    noon_ = double(std::mktime(&tm));
    today_ = DayBook::dateOf(noon_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static Session session(const std::string& id, const std::string& title, std::vector<std::string> stations, double seconds) {
    Session s;
    s.id = id;
    s.title = title;
    s.stations = std::move(stations);
    s.seconds = seconds;
    s.lobby = 0;
    return s;
  }
  std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream b;
    b << in.rdbuf();
    return b.str();
  }
  fs::path dir_;
  double noon_ = 0;
  std::string today_;
};

TEST_F(DayBookTest, DatesAreChecked) {
  EXPECT_TRUE(DayBook::validDate("2026-12-07"));
  EXPECT_TRUE(DayBook::validDate("2028-02-29"));
  EXPECT_FALSE(DayBook::validDate("2026-02-30"));
  EXPECT_FALSE(DayBook::validDate("2026-13-01"));
  EXPECT_FALSE(DayBook::validDate("2026-00-10"));
  EXPECT_FALSE(DayBook::validDate("2026-1-07"));
  EXPECT_FALSE(DayBook::validDate("yesterday"));
  EXPECT_FALSE(DayBook::validDate(""));
  DayBook book(dir_.string());
  EXPECT_THROW(book.day("2026-02-30"), Error);
}

TEST_F(DayBookTest, EntriesSurviveANewBook) {
  {
    DayBook book(dir_.string());
    book.begin(session("s1", "hockey", {"station-1", "station-2"}, 60), noon_);
    book.move("s1", "station-1", "station-3", 0, noon_ + 20);
    book.end("s1", Ending::TimeUp, "time up", noon_ + 60);
    book.results("s1", {{"title", "hockey"}, {"ranking", {1, 0}}});
    book.begin(session("s2", "cycling", {"station-1"}, 120), noon_ + 100);
  }
  ASSERT_TRUE(fs::exists(dir_ / (today_ + ".json")));
  DayBook again(dir_.string());  // a restarted director
  const std::vector<DayEntry> day = again.day(today_);
  ASSERT_EQ(day.size(), 2u);
  const DayEntry& s1 = day[0];
  EXPECT_EQ(s1.ending, Ending::TimeUp);
  EXPECT_EQ(s1.moves, 1);
  EXPECT_DOUBLE_EQ(s1.end, noon_ + 60);
  ASSERT_EQ(s1.turns.size(), 3u);
  EXPECT_EQ(s1.turns[0].station, "station-1");
  EXPECT_DOUBLE_EQ(s1.turns[0].to, noon_ + 20);
  EXPECT_EQ(s1.turns[0].rank, 0);  // seat 0's last holder finished it, not station-1
  EXPECT_EQ(s1.turns[1].rank, 1);  // station-2, seat 1, ranked first
  EXPECT_EQ(s1.turns[2].station, "station-3");
  EXPECT_EQ(s1.turns[2].rank, 2);
  EXPECT_DOUBLE_EQ(s1.turns[2].from, noon_ + 20);
  EXPECT_EQ(day[1].ending, Ending::Open);
  // The restarted director closes the session it rebuilt in the same entry.
  again.end("s2", Ending::Stopped, "stopped by the operator", noon_ + 130);
  EXPECT_EQ(DayBook(dir_.string()).day(today_)[1].ending, Ending::Stopped);
  // No temporary left beside the file.
  for (const auto& f : fs::directory_iterator(dir_)) EXPECT_EQ(f.path().extension(), ".json") << f.path();
}

TEST_F(DayBookTest, ACorruptFileIsSetAsideNotOverwritten) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / (today_ + ".json")) << "{\"day\": \"cut short";
  DayBook book(dir_.string());
  EXPECT_TRUE(book.day(today_).empty());
  EXPECT_EQ(read(dir_ / (today_ + ".json.bad-1")), "{\"day\": \"cut short");
  book.begin(session("s1", "hockey", {"station-1"}, 60), noon_);
  EXPECT_EQ(book.day(today_).size(), 1u);
  // A malformed entry is left out, the good ones kept.
  std::ofstream(dir_ / "2020-01-01.json") << "{\"day\":\"2020-01-01\",\"sessions\":[{\"id\":7},"
                                          << DayEntry{.id = "s9", .title = "balloons", .start = 1, .end = 2, .plannedEnd = 2,
                                                      .ending = Ending::Finished}.json().dump()
                                          << "]}";
  const std::vector<DayEntry> old = book.day("2020-01-01");
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].id, "s9");
  EXPECT_EQ(old[0].ending, Ending::Finished);
}

TEST_F(DayBookTest, TheReportCountsTheDay) {
  std::vector<DayEntry> day;
  // hockey 12:00-12:10 on two seats, station-1 moved to station-3 at 12:04; finished by time.
  day.push_back({.id = "s1", .title = "hockey", .start = noon_, .end = noon_ + 600, .plannedEnd = noon_ + 600,
                 .ending = Ending::TimeUp,
                 .turns = {{"station-1", 0, noon_, noon_ + 240, 0}, {"station-2", 1, noon_, noon_ + 600, 2},
                           {"station-3", 0, noon_ + 240, noon_ + 600, 1}}});
  // cycling 13:00-13:05 stopped; balloons 13:10, open (planned to 13:20, but now is 13:15).
  day.push_back({.id = "s2", .title = "cycling", .start = noon_ + 3600, .end = noon_ + 3900, .plannedEnd = noon_ + 4200,
                 .ending = Ending::Stopped, .turns = {{"station-1", 0, noon_ + 3600, noon_ + 3900, 0}}});
  day.push_back({.id = "s3", .title = "balloons", .start = noon_ + 4200, .plannedEnd = noon_ + 4800,
                 .turns = {{"station-2", 0, noon_ + 4200, -1, 0}}});
  const nlohmann::json r = dayReport(day, today_, noon_ + 4500);
  EXPECT_EQ(r["sessions"], 3);
  EXPECT_EQ(r["ended"], 2);
  EXPECT_EQ(r["completed"], 1);
  EXPECT_DOUBLE_EQ(r["completionRate"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(r["openSeconds"].get<double>(), 4500);  // 12:00 to now (13:15)
  EXPECT_EQ(r["firstHour"], 12);
  EXPECT_EQ(r["lastHour"], 13);
  EXPECT_EQ(r["hours"][12], 1);
  EXPECT_EQ(r["hours"][13], 2);
  ASSERT_EQ(r["titles"].size(), 3u);  // alphabetical: balloons, cycling, hockey
  const nlohmann::json& hockey = r["titles"][2];
  EXPECT_EQ(hockey["title"], "hockey");
  EXPECT_EQ(hockey["visitors"], 2);  // two seats: the moved visitor is one
  EXPECT_DOUBLE_EQ(hockey["averageRank"].get<double>(), 1.5);
  EXPECT_EQ(hockey["wins"], 1);
  EXPECT_DOUBLE_EQ(hockey["completionRate"].get<double>(), 1.0);
  EXPECT_TRUE(r["titles"][0]["completionRate"].is_null());  // balloons: none ended yet
  EXPECT_EQ(r["titles"][1]["completionRate"], 0.0);
  const nlohmann::json& stations = r["stations"];
  ASSERT_EQ(stations.size(), 3u);
  EXPECT_DOUBLE_EQ(stations[0]["busySeconds"].get<double>(), 240 + 300);        // station-1
  EXPECT_DOUBLE_EQ(stations[1]["busySeconds"].get<double>(), 600 + 300);        // station-2 (open: to now)
  EXPECT_DOUBLE_EQ(stations[2]["busySeconds"].get<double>(), 360);              // station-3
  EXPECT_DOUBLE_EQ(stations[1]["utilisation"].get<double>(), 900.0 / 4500.0);
  EXPECT_EQ(stations[0]["sessions"], 2);

  const std::string text = reportText(r);
  EXPECT_NE(text.find("3 session(s), 1 completed of 2 ended (50 %)"), std::string::npos) << text;
  EXPECT_NE(text.find("  12:00           0          0          1          1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  13:00           1          1          0          2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  hockey       1 session(s), 2 visitor(s), completed 1 of 1 (100 %), average rank 1.50, wins 1"),
            std::string::npos) << text;
  EXPECT_NE(text.find("  station-2      2 session(s), busy 15.0 min, utilisation 20 %"), std::string::npos) << text;
  const std::string csv = reportCsv(r);
  EXPECT_NE(csv.find("\nday," + today_ + ",,3,1,0.5000,4500.0,,,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\ntitle,hockey,,1,1,1.0000,,,1.5000,1\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nhour,cycling,13,1,,,,,,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nstation,station-2,,2,,,900.0,0.2000,,\n"), std::string::npos) << csv;
}

TEST_F(DayBookTest, AnEmptyOrMalformedReportIsSaidPlainly) {
  const nlohmann::json empty = dayReport({}, "2026-12-07", noon_);
  EXPECT_EQ(reportText(empty), "Day 2026-12-07: no sessions recorded.\n");
  EXPECT_EQ(reportCsv(empty), "kind,name,hour,sessions,completed,completion_rate,busy_seconds,utilisation,average_rank,wins\n"
                              "day,2026-12-07,,0,0,,0.0,,,\n");
  // What a director of another version might send: never a crash.
  EXPECT_EQ(reportText(nlohmann::json::array()), "Day : no sessions recorded.\n");
  EXPECT_EQ(reportText({{"day", "x"}, {"sessions", 2}}), "Day x: no sessions recorded.\n");
  EXPECT_THROW(reportText({{"day", "x"}, {"sessions", 2}, {"openFrom", 0}, {"openTo", 1}, {"titles", {{{"title", "a"}}}},
                           {"stations", nlohmann::json::array()}, {"firstHour", 0}, {"lastHour", 0}}),
               nlohmann::json::exception);
}

}  // namespace
}  // namespace pav::director
