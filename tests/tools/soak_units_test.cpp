// The soak's measures on real processes and real files: zombies under this process are found
// (and only those that stay), memory and descriptors are read from /proc, and the ledger
// decides completed, interrupted and lost from stations' end lines as the agents print them.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "soak_ledger.h"
#include "soak_probe.h"

namespace {

using namespace pav::tools::soak;

// A child that starts a grandchild, never reaps it, and waits: the grandchild, once it exits,
// is a zombie under this process that is not this process's to reap.
struct ZombieMaker {
  pid_t child = -1;
  ZombieMaker() {
    child = fork();
    if (child == 0) {
      if (fork() == 0) _exit(0);
      pause();
      _exit(0);
    }
  }
  ~ZombieMaker() {
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
  }
};

int zombiesUnder(int root) {
  int n = 0;
  for (const ProcInfo& p : descendants(root)) n += p.state == 'Z' ? 1 : 0;
  return n;
}

TEST(SoakProbe, FindsAZombieThatStaysAndNotOneThatIsReaped) {
  ZombieWatch watch(5);
  ZombieMaker maker;
  ASSERT_GT(maker.child, 0);
  for (int i = 0; i < 500 && zombiesUnder(getpid()) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(zombiesUnder(getpid()), 1);
  // Time is passed in: a first look, then one 4 s later (not yet counted), then 6 s later.
  watch.sample(getpid(), 100);
  EXPECT_EQ(watch.current(), 1u);
  EXPECT_EQ(watch.persistent(), 0u);
  watch.sample(getpid(), 104);
  EXPECT_EQ(watch.persistent(), 0u);
  watch.sample(getpid(), 106);
  EXPECT_EQ(watch.persistent(), 1u);
  ASSERT_EQ(watch.examples().size(), 1u);
  EXPECT_NE(watch.examples()[0].find("child of " + std::to_string(maker.child)), std::string::npos);
  watch.sample(getpid(), 120);  // the same zombie is counted once
  EXPECT_EQ(watch.persistent(), 1u);
}

TEST(SoakProbe, OwnChildrenZombiesAreLeftToTheCaller) {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  for (int i = 0; i < 500 && zombiesUnder(getpid()) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ZombieWatch watch(0);
  watch.sample(getpid(), 0);
  watch.sample(getpid(), 10);
  EXPECT_EQ(watch.persistent(), 0u);  // the soak reaps its own children itself
  waitpid(child, nullptr, 0);
}

TEST(SoakProbe, ReadsMemoryAndDescriptors) {
  const ProcSample before = sampleProcess(getpid());
  ASSERT_TRUE(before.valid);
  EXPECT_GT(before.rssKiB, 100u);
  int fds[8];
  for (int& fd : fds) fd = open("/dev/null", O_RDONLY);
  const ProcSample after = sampleProcess(getpid());
  for (int fd : fds) close(fd);
  EXPECT_EQ(after.fds, before.fds + 8);
  EXPECT_FALSE(sampleProcess(0).valid);
  EXPECT_FALSE(sampleProcess(999999999).valid);
}

class SoakLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("pav-soak-ledger-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  // Appends one line as a station agent prints it with --json.
  void endLine(const std::string& station, const std::string& line) {
    std::ofstream(dir / (station + ".out"), std::ios::app) << line << "\n";
  }
  void read(SessionLedger& ledger, const std::string& station) {
    ledger.readStationOutput(station, (dir / (station + ".out")).string());
  }
  std::filesystem::path dir;
};

TEST_F(SoakLedgerTest, CompletedInterruptedAndLost) {
  SessionLedger ledger(90);
  ledger.launched("s1", "hockey", {"station-1", "station-2"}, 30, 0);
  ledger.launched("s2", "cycling", {"station-3"}, 30, 0);
  ledger.launched("s3", "hockey", {"station-4", "station-5"}, 30, 0);
  ledger.launched("s4", "balloons", {"station-6"}, 30, 0);
  ledger.launched("s5", "driving", {"station-7"}, 30, 0);
  const std::string results = R"("results":{"title":"hockey","score":[1,2]})";
  endLine("station-1", R"({"session":"s1","station":{},)" + results + R"(,"picture":"","end":"ended"})");
  endLine("station-2", R"({"session":"s1","station":{},)" + results + R"(,"picture":"","end":"ended"})");
  // An end line cut short (the station killed while printing) is not read as one.
  std::ofstream(dir / "station-6.out", std::ios::app) << R"({"session":"s4","end":"ende)";
  endLine("station-4", R"x({"session":"s3","station":{},"results":null,"picture":"","end":"refused: session full (2 seats)"})x");
  endLine("station-7", R"({"session":"s5","station":{},)" + results + R"(,"picture":"","end":"ended"})");
  for (const char* s : {"station-1", "station-2", "station-4", "station-6", "station-7"}) read(ledger, s);
  ledger.stationKilled("station-3");  // s2: its only station killed
  ledger.stationKilled("station-5");  // s3: station-4 still had to end it, and was refused
  ledger.stationKilled("station-7");  // s5 had already ended on station-7: not excused, completed
  ledger.settle(10);
  EXPECT_EQ(ledger.count(Outcome::Completed), 2u);  // s1, s5
  EXPECT_EQ(ledger.count(Outcome::Interrupted), 1u);  // s2
  EXPECT_EQ(ledger.count(Outcome::Lost), 1u);  // s3
  EXPECT_EQ(ledger.running(), 1u);  // s4: station-6 has not finished its line
  EXPECT_EQ(ledger.busyStations(), std::set<std::string>{"station-6"});
  ASSERT_EQ(ledger.lostReasons().size(), 1u);
  EXPECT_NE(ledger.lostReasons()[0].find("s3 (hockey on station-4, station-5): station-4 ended it with \"refused: session full"),
            std::string::npos);
  // s4 past its length and the grace: lost, never ended.
  ledger.settle(30 + 90 + 1);
  EXPECT_EQ(ledger.count(Outcome::Lost), 2u);
  EXPECT_NE(ledger.lostReasons()[1].find("station-6 never ended it"), std::string::npos);
}

TEST_F(SoakLedgerTest, ReplaysOfTheSessionsNotLostAreChecked) {
  SessionLedger ledger(90);
  ledger.launched("s1", "hockey", {"station-1"}, 30, 0);
  ledger.launched("s2", "hockey", {"station-2"}, 30, 0);
  endLine("station-1", R"({"session":"s1","results":{"score":[0,0]},"end":"ended"})");
  read(ledger, "station-1");
  ledger.stationKilled("station-2");
  ledger.settle(1);
  std::filesystem::create_directories(dir / "state/sessions");
  std::ofstream(dir / "state/sessions/s1.replay") << "PAVREPLAY1\ngarbage";
  const ReplayTally t = ledger.checkReplays((dir / "state").string());
  EXPECT_EQ(t.expected, 2u);
  EXPECT_EQ(t.recorded, 1u);   // s2 has none
  EXPECT_EQ(t.loadable, 0u);   // s1's is damaged
  EXPECT_EQ(t.identical, 0u);
  ASSERT_EQ(t.problems.size(), 2u);
  EXPECT_NE(t.problems[1].find("s2: no replay"), std::string::npos);
}

}  // namespace
