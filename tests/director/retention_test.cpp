// The state folder's retention policy (retention.h) on real files with set modification times:
// old sessions go, by age and then oldest first by size; running sessions, kept replays and
// fresh temporaries stay; a director applies it when it starts.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include "director.h"
#include "retention.h"

namespace pav::director {
namespace {

namespace fs = std::filesystem;
constexpr double kDay = 86400;

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pav-retention-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sessions");
    fs::create_directories(dir_ / "kept");
    now_ = double(std::time(nullptr));
  }
  void TearDown() override { fs::remove_all(dir_); }
  // A file of `bytes` bytes last written `age` seconds ago.
  void file(const fs::path& path, double age, size_t bytes = 100) {
    std::ofstream(path, std::ios::binary) << std::string(bytes, 'x');
    const timespec t{time_t(now_ - age), 0};
    const timespec times[2] = {t, t};
    ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  }
  // A session's four files.
  void session(const std::string& id, double age, size_t replayBytes = 100) {
    for (const char* ext : {".log", ".json", ".kept"}) file(dir_ / "sessions" / (id + ext), age);
    file(dir_ / "sessions" / (id + ".replay"), age, replayBytes);
  }
  bool has(const std::string& name) const { return fs::exists(dir_ / "sessions" / name); }

  fs::path dir_;
  double now_ = 0;
};

TEST_F(RetentionTest, OldSessionsGoRunningOnesAndKeptReplaysStay) {
  session("s1", 20 * kDay);
  session("s2", 15 * kDay);
  session("s3", 13 * kDay);
  session("s4", 30 * kDay);  // still running (a long-lived record): never touched
  file(dir_ / "kept" / "great.replay", 400 * kDay);
  file(dir_ / "sessions" / ".recent.json.tmp-Ab12Cd", 2 * 3600);   // a crash's leftover
  file(dir_ / "sessions" / ".s3.json.tmp-Zz99Yy", 10);              // being written now
  std::set<std::string> asked;
  const RetentionReport r = applyRetention(dir_.string(), {.keepDays = 14, .keepGiB = 20},
                                           [&](const std::string& id) {
                                             asked.insert(id);
                                             return id == "s4";
                                           },
                                           now_);
  EXPECT_EQ(r.removedSessions, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(r.removedFiles, 9u);  // 2 sessions x 4, and the stale temporary
  EXPECT_TRUE(r.errors.empty());
  for (const char* gone : {"s1.log", "s1.json", "s1.replay", "s1.kept", "s2.replay", ".recent.json.tmp-Ab12Cd"})
    EXPECT_FALSE(has(gone)) << gone;
  for (const char* kept : {"s3.log", "s3.replay", "s4.json", "s4.replay", ".s3.json.tmp-Zz99Yy"}) EXPECT_TRUE(has(kept)) << kept;
  EXPECT_TRUE(fs::exists(dir_ / "kept" / "great.replay"));
  EXPECT_EQ(asked.count("s3"), 0u) << "only sessions the policy would remove are asked about";
}

TEST_F(RetentionTest, OverTheSizeLimitTheOldestGoFirstUntilItFits) {
  // Five sessions of 1 MiB replays (one a day); a limit of 2.5 MiB keeps the newest two.
  for (int i = 1; i <= 5; ++i) session("s" + std::to_string(i), (6 - i) * kDay, size_t(1) << 20);
  const RetentionReport r = applyRetention(dir_.string(), {.keepDays = 14, .keepGiB = 2.5 / 1024}, nullptr, now_);
  EXPECT_EQ(r.removedSessions, (std::vector<std::string>{"s1", "s2", "s3"}));
  EXPECT_TRUE(has("s4.replay") && has("s5.replay"));
  EXPECT_LE(r.keptBytes, uint64_t(2.5 * (1 << 20)));
  EXPECT_GT(r.keptBytes, uint64_t(2 << 20));
  // A running session counts, and is skipped: the next oldest goes in its place.
  session("s6", 0.5 * kDay, size_t(1) << 20);
  const RetentionReport again = applyRetention(dir_.string(), {.keepDays = 14, .keepGiB = 2.5 / 1024},
                                               [](const std::string& id) { return id == "s4"; }, now_);
  EXPECT_EQ(again.removedSessions, (std::vector<std::string>{"s5"}));
  EXPECT_TRUE(has("s4.replay") && has("s6.replay"));
}

TEST_F(RetentionTest, ZeroLimitsKeepEverything) {
  session("s1", 3000 * kDay, size_t(1) << 20);
  const RetentionReport r = applyRetention(dir_.string(), {.keepDays = 0, .keepGiB = 0}, nullptr, now_);
  EXPECT_TRUE(r.removedSessions.empty());
  EXPECT_TRUE(has("s1.replay"));
  // A state folder without sessions/ yet: nothing to do, no error thrown.
  fs::remove_all(dir_ / "sessions");
  EXPECT_NO_THROW(applyRetention(dir_.string(), {}, nullptr, now_));
}

TEST_F(RetentionTest, ADirectorAppliesItWhenItStartsAndHourlyAfter) {
  session("s1", 40 * kDay);
  session("s2", 1 * kDay);
  std::array<uint8_t, net::ControlKey::kBytes> key;
  key.fill(7);
  DirectorDesc desc;
  desc.port = 0;
  desc.stateDir = dir_.string();
  desc.program = "/nonexistent/pavilion";
  desc.retention = {.keepDays = 30, .keepGiB = 20};
  Director director(desc, net::ControlKey::fromBytes(key));
  EXPECT_FALSE(has("s1.replay"));
  EXPECT_TRUE(has("s2.replay"));
  EXPECT_TRUE(fs::exists(dir_ / "kept"));
  // Then once an hour of its own clock, from update(), not on every call.
  session("s3", 40 * kDay);
  director.update(kRetentionSeconds - 1, 0);
  EXPECT_TRUE(has("s3.replay")) << "applied before the hour";
  director.update(kRetentionSeconds + 1, 0);
  EXPECT_FALSE(has("s3.replay"));
  session("s4", 40 * kDay);
  director.update(kRetentionSeconds + 2, 0);
  EXPECT_TRUE(has("s4.replay")) << "applied twice in the same hour";
  director.update(2 * kRetentionSeconds + 2, 0);
  EXPECT_FALSE(has("s4.replay"));
}

}  // namespace
}  // namespace pav::director
