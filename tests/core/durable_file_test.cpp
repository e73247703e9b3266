// Durable files (pav/core/durable_file.h) on a real folder: the new content replaces the old
// whole, a refused replacement and a write that fails half-way (a file-size limit standing in
// for a full disk) leave the old file as it was and no temporary behind, and every error names
// the file and the system's reason.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "pav/core/durable_file.h"
#include "pav/core/error.h"

namespace pav::core {
namespace {

namespace fs = std::filesystem;

class DurableFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pav-durable-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string read(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  size_t filesInDir() const { return size_t(std::distance(fs::directory_iterator(dir_), fs::directory_iterator())); }
  template <typename F>
  static std::string errorOf(F&& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(DurableFileTest, ReplacesTheWholeFileAndLeavesNoTemporary) {
  const std::string p = path("recent.json");
  writeFileDurably(p, "[1,2,3]\n");
  EXPECT_EQ(read(p), "[1,2,3]\n");
  writeFileDurably(p, "[]\n");
  EXPECT_EQ(read(p), "[]\n");
  EXPECT_EQ(filesInDir(), 1u);
  EXPECT_EQ(fs::status(p).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

TEST_F(DurableFileTest, ReplaceNoRefusesAnExistingFileAndKeepsIt) {
  const std::string p = path("kept.replay");
  writeFileDurably(p, "the first");
  const std::string error = errorOf([&] { writeFileDurably(p, "the second", Replace::No); });
  EXPECT_NE(error.find(p + ": already exists (not overwritten)"), std::string::npos) << error;
  EXPECT_EQ(read(p), "the first");
  EXPECT_EQ(filesInDir(), 1u);
  writeFileDurably(path("other.replay"), "new", Replace::No);
  EXPECT_EQ(read(path("other.replay")), "new");
}

TEST_F(DurableFileTest, AFailedWriteIsReportedAndTheOldFileIsIntact) {
  const std::string p = path("s1.json");
  writeFileDurably(p, "old record\n");
  // A file-size limit makes write(2) fail with EFBIG half-way, as a full disk fails it with
  // ENOSPC (root ignores a read-only folder, so this is the failure a test can cause).
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &before), 0);
  rlimit limited = before;
  limited.rlim_cur = 4096;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limited), 0);
  const std::string error = errorOf([&] { writeFileDurably(p, std::string(100000, 'x')); });
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &before), 0);
  std::signal(SIGXFSZ, SIG_DFL);
  EXPECT_NE(error.find(p + ": cannot write: File too large"), std::string::npos) << error;
  EXPECT_EQ(read(p), "old record\n");
  EXPECT_EQ(filesInDir(), 1u) << "the temporary is removed";
}

TEST_F(DurableFileTest, AMissingFolderIsReportedWithTheSystemsReason) {
  const std::string p = path("no-such-folder/next-session");
  const std::string error = errorOf([&] { writeFileDurably(p, "2\n"); });
  EXPECT_NE(error.find(p + ": cannot create a temporary file beside it: No such file or directory"), std::string::npos) << error;
  const std::string copy = errorOf([&] { copyFileDurably(path("missing.replay"), path("kept.replay")); });
  EXPECT_NE(copy.find("missing.replay: cannot open: No such file or directory"), std::string::npos) << copy;
  EXPECT_FALSE(fs::exists(path("kept.replay")));
}

TEST_F(DurableFileTest, CopiesFilesOfAnySizeExactly) {
  std::string big(300000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = char(i * 7 + i / 1000);
  writeFileDurably(path("s3.replay"), big);
  copyFileDurably(path("s3.replay"), path("great.replay"));
  EXPECT_EQ(read(path("great.replay")), big);
  const std::string again = errorOf([&] { copyFileDurably(path("s3.replay"), path("great.replay")); });
  EXPECT_NE(again.find("already exists"), std::string::npos) << again;
  EXPECT_EQ(filesInDir(), 2u);
}

TEST_F(DurableFileTest, UniqueFdClosesWhatItOwns) {
  int raw = -1;
  {
    UniqueFd fd(::open(path(".").c_str(), O_RDONLY | O_DIRECTORY));
    ASSERT_TRUE(fd);
    raw = fd.get();
    UniqueFd moved = std::move(fd);
    EXPECT_FALSE(fd);
    EXPECT_EQ(moved.get(), raw);
    EXPECT_NE(::fcntl(raw, F_GETFD), -1);
  }
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
  EXPECT_EQ(errno, EBADF);
}

}  // namespace
}  // namespace pav::core
