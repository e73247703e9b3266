// What the director writes about sessions (session_host.h), on a real state folder: the session
// counter, records, recent.json and kept replays are whole after every write, a write that
// fails is reported naming the file while the old file stays, and no temporary is left.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "pav/core/error.h"
#include "session_host.h"

namespace pav::director {
namespace {

namespace fs = std::filesystem;

class SessionFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pav-session-files-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  // Names of temporaries (".name.tmp-XXXXXX") anywhere in the state folder.
  size_t temporaries() const {
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_))
      n += e.path().filename().string().find(".tmp-") != std::string::npos;
    return n;
  }
  fs::path dir_;
};

TEST_F(SessionFilesTest, CounterRecordsAndRecentAreWrittenWhole) {
  {
    SessionHost host("/nonexistent/pavilion", dir_.string(), "127.0.0.1");
    EXPECT_EQ(host.nextId(), "s1");
    EXPECT_EQ(host.nextId(), "s2");
    Session s;
    s.id = "s2";
    s.title = "hockey";
    s.pid = 4242;
    s.port = 7001;
    s.seconds = 90;
    host.record(s, 0);
    host.saveRecent(nlohmann::json::array({{{"id", "s1"}}}));
  }
  // A new director on the same folder (a restart) goes on from there.
  SessionHost again("/nonexistent/pavilion", dir_.string(), "127.0.0.1");
  EXPECT_EQ(again.nextId(), "s3");
  EXPECT_EQ(read(dir_ / "next-session"), "4\n");
  const std::optional<SessionHost::Record> r = again.read("s2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pid, 4242);
  EXPECT_EQ(r->port, 7001);
  EXPECT_EQ(again.loadRecent(), nlohmann::json::array({{{"id", "s1"}}}));
  EXPECT_EQ(temporaries(), 0u);
}

TEST_F(SessionFilesTest, AFailedWriteIsReportedAndTheOldFileStays) {
  SessionHost host("/nonexistent/pavilion", dir_.string(), "127.0.0.1");
  host.saveRecent(nlohmann::json::array({"before"}));
  // A file-size limit fails write(2) half-way (EFBIG), as a full disk does (ENOSPC).
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &before), 0);
  rlimit limited = before;
  limited.rlim_cur = 1024;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limited), 0);
  std::string error;
  try {
    host.saveRecent(nlohmann::json::array({std::string(5000, 'x')}));
  } catch (const Error& e) {
    error = e.what();
  }
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &before), 0);
  std::signal(SIGXFSZ, SIG_DFL);
  EXPECT_NE(error.find("recent.json: cannot write: File too large"), std::string::npos) << error;
  EXPECT_EQ(host.loadRecent(), nlohmann::json::array({"before"}));
  EXPECT_EQ(temporaries(), 0u);
  // The counter cannot be written (its name taken by a folder): no id is handed out.
  fs::create_directories(dir_ / "next-session");
  error.clear();
  try {
    host.nextId();
  } catch (const Error& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("next-session: cannot put the new file in place: Is a directory"), std::string::npos) << error;
}

TEST_F(SessionFilesTest, AKeptReplayIsAWholeCopyNeverOverwritten) {
  SessionHost host("/nonexistent/pavilion", dir_.string(), "127.0.0.1");
  std::string replay(200000, '\0');
  for (size_t i = 0; i < replay.size(); ++i) replay[i] = char(i % 251);
  std::ofstream(host.replayPath("s1"), std::ios::binary) << replay;
  std::ofstream(host.replayPath("s2"), std::ios::binary) << "another";
  const std::string path = host.keep("s1", "great-match");
  EXPECT_EQ(path, (dir_ / "kept" / "great-match.replay").string());
  EXPECT_EQ(read(path), replay);
  ASSERT_TRUE(host.kept("s1"));
  EXPECT_EQ(host.kept("s1")->name, "great-match");
  std::string error;
  try {
    host.keep("s2", "great-match");
  } catch (const Error& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("already kept"), std::string::npos) << error;
  EXPECT_EQ(read(path), replay);
  EXPECT_FALSE(host.kept("s2"));
  EXPECT_EQ(temporaries(), 0u);
}

}  // namespace
}  // namespace pav::director
