// Replays of the three real titles: recorded with their bots, loaded back, re-simulated with the
// state hash checked every tick; damaged, tampered and foreign files refused with their reasons.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "pav/core/error.h"
#include "pav/core/replay.h"
#include "pav/cycling/cycling.h"
#include "pav/driving/driving.h"
#include "pav/hockey/hockey.h"

namespace pav::core {
namespace {

namespace fs = std::filesystem;

class ReplayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hockey::registerHockeyTitle();
    driving::registerDrivingTitle();
    cycling::registerCyclingTitle();
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pav-replay-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Plays `id` with its bots for `seconds`, recording; returns the file and the final hash.
  std::string record(const std::string& id, double seconds, uint64_t seed, uint64_t* finalHash = nullptr) {
    std::unique_ptr<Title> title = createTitle(id);
    TitleSetup setup{.players = std::min(title->info().maxPlayers, 4), .seed = seed, .skill = 2};
    title->setup(setup);
    const std::string path = (dir_ / (id + ".replay")).string();
    ReplayWriter writer(path, title->info(), setup);
    std::vector<InputFrame> inputs(size_t(setup.players));
    const auto ticks = uint64_t(seconds * title->info().tickRateHz);
    while (title->tick() < ticks && !title->finished()) {
      for (int p = 0; p < setup.players; ++p) title->botInput(p, inputs[size_t(p)]);
      title->step(inputs);
      writer.tick(inputs, title->stateHash());
    }
    EXPECT_TRUE(writer.finish());
    if (finalHash) *finalHash = title->stateHash();
    return path;
  }
  static std::string bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static void write(const std::string& path, const std::string& data) { std::ofstream(path, std::ios::binary) << data; }
  static std::string loadError(const std::string& path) {
    try {
      Replay::load(path);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(ReplayTest, EachTitleRecordedAndReplayedGivesIdenticalHashes) {
  for (const char* id : {"hockey", "driving", "cycling"}) {
    SCOPED_TRACE(id);
    uint64_t finalHash = 0;
    const std::string path = record(id, 20, 11, &finalHash);
    const Replay replay = Replay::load(path);
    EXPECT_EQ(replay.title, id);
    EXPECT_EQ(replay.setup.seed, 11u);
    ASSERT_GT(replay.ticks(), 100u);
    std::unique_ptr<Title> title = createTitle(id);
    uint64_t seen = 0;
    const ReplayCheck check = verifyReplay(replay, *title, [&](const Title&, uint64_t tick) { seen = tick; });
    EXPECT_TRUE(check.identical) << "first mismatch at tick " << check.firstMismatch;
    EXPECT_EQ(check.ticks, replay.ticks());
    EXPECT_EQ(seen, replay.ticks());
    EXPECT_EQ(title->stateHash(), finalHash);
    // The recording is compact: only the words of an input that changed are written.
    EXPECT_LT(fs::file_size(path), replay.ticks() * (8 + replay.setup.players * sizeof(InputFrame)) / 2);
    std::printf("%s: %llu ticks, %llu bytes\n", id, static_cast<unsigned long long>(replay.ticks()),
                static_cast<unsigned long long>(fs::file_size(path)));
  }
}

TEST_F(ReplayTest, ChangedInputsAreCaughtAtTheFirstTickTheyMatter) {
  const Replay original = Replay::load(record("hockey", 10, 3));
  Replay changed = original;
  // Another seed makes another match from the first tick on.
  changed.setup.seed = 4;
  std::unique_ptr<Title> title = createTitle("hockey");
  ReplayCheck check = verifyReplay(changed, *title);
  EXPECT_FALSE(check.identical);
  EXPECT_GE(check.firstMismatch, 1u);
  // A hand moved at tick 300 shows at tick 300 or soon after, never before.
  changed = original;
  for (size_t p = 0; p < size_t(changed.setup.players); ++p)
    changed.inputs[299 * size_t(changed.setup.players) + p].hands[1].position.x += 0.2f;
  check = verifyReplay(changed, *createTitle("hockey"));
  EXPECT_FALSE(check.identical);
  EXPECT_GE(check.firstMismatch, 300u);
  EXPECT_LE(check.firstMismatch, 420u);
  EXPECT_NE(check.got, check.expected);
}

TEST_F(ReplayTest, TamperedTruncatedAndForeignFilesAreRefusedWithTheirReasons) {
  const std::string path = record("cycling", 5, 2);
  const std::string good = bytes(path);
  ASSERT_EQ(loadError(path), "");
  const std::string bad = (dir_ / "bad.replay").string();

  std::string tampered = good;
  tampered[good.size() / 2] ^= 0x10;  // one bit of one input or hash
  write(bad, tampered);
  EXPECT_NE(loadError(bad).find("checksum does not match: the file was changed or damaged"), std::string::npos) << loadError(bad);

  write(bad, good.substr(0, good.size() - 30));
  EXPECT_NE(loadError(bad).find("truncated"), std::string::npos) << loadError(bad);

  write(bad, "PK\x03\x04 a zip file, not a replay at all................................");
  EXPECT_NE(loadError(bad).find("does not start with PAVREPLAY1"), std::string::npos) << loadError(bad);

  EXPECT_NE(loadError((dir_ / "missing.replay").string()).find("missing.replay: cannot open the replay"), std::string::npos);
  EXPECT_NE(loadError(bad).find(bad), std::string::npos) << "the message names the file";
}

}  // namespace
}  // namespace pav::core
