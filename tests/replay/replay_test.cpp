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

TEST_F(ReplayTest, ChangedAndForeignFilesAreRefusedWithTheirReasons) {
  const std::string path = record("cycling", 5, 2);
  const std::string good = bytes(path);
  ASSERT_EQ(loadError(path), "");
  const std::string bad = (dir_ / "bad.replay").string();

  std::string tampered = good;
  tampered[good.size() / 2] ^= 0x10;  // one bit of one input or hash
  write(bad, tampered);
  EXPECT_NE(loadError(bad).find("does not match its checksum: the file was changed or damaged"), std::string::npos) << loadError(bad);

  write(bad, "PK\x03\x04 a zip file, not a replay at all................................");
  EXPECT_NE(loadError(bad).find("does not start with PAVREPLAY2"), std::string::npos) << loadError(bad);
  // A file of the format before (FNV-1a, no chunks): refused, saying so.
  write(bad, "PAVREPLAY1\n" + std::string(200, '\0'));
  EXPECT_NE(loadError(bad).find("replay format 1 (an older build"), std::string::npos) << loadError(bad);

  EXPECT_NE(loadError((dir_ / "missing.replay").string()).find("missing.replay: cannot open the replay"), std::string::npos);
  EXPECT_NE(loadError(bad).find(bad), std::string::npos) << "the message names the file";
}

TEST_F(ReplayTest, OneChangedByteAnywhereIsDetected) {
  const std::string path = record("hockey", 3, 5);
  const std::string good = bytes(path);
  const std::string bad = (dir_ / "bad.replay").string();
  // Every 61st byte (header, its digest, chunk heads, inputs, hashes, digests, trailer), and
  // the last one: never loaded as if nothing had happened.
  int refused = 0, tried = 0;
  std::vector<size_t> places;
  for (size_t at = 0; at < good.size(); at += 61) places.push_back(at);
  places.push_back(good.size() - 1);
  for (const size_t at : places) {
    std::string changed = good;
    changed[at] ^= 0x01;
    write(bad, changed);
    ++tried;
    const std::string error = loadError(bad);
    if (!error.empty()) ++refused;
    else ADD_FAILURE() << "a flipped bit at byte " << at << " of " << good.size() << " was not detected";
  }
  EXPECT_EQ(refused, tried);
  EXPECT_GT(tried, 100);
  // In the header: the title named differently (the same length) is caught by its digest.
  std::string renamed = good;
  const size_t title = renamed.find("title=hockey");
  ASSERT_NE(title, std::string::npos);
  renamed.replace(title, 12, "title=hockez");
  write(bad, renamed);
  EXPECT_NE(loadError(bad).find("its header does not match its checksum"), std::string::npos) << loadError(bad);
}

TEST_F(ReplayTest, ACutFileLoadsUpToItsLastCompleteChunkAndSaysSo) {
  const std::string path = record("hockey", 4, 8);
  const std::string good = bytes(path);
  const Replay whole = Replay::load(path);
  EXPECT_FALSE(whole.truncated);
  const std::string cut = (dir_ / "cut.replay").string();
  uint64_t lastTicks = 0;
  int truncatedLoads = 0;
  // Cut anywhere after the header: it loads, truncated, with whole chunks only (hockey: 240
  // ticks a chunk), and never more ticks from a longer piece's shorter prefix.
  for (size_t keep = 200; keep < good.size(); keep += 997) {
    write(cut, good.substr(0, keep));
    const std::string error = loadError(cut);
    ASSERT_EQ(error, "") << "cut at " << keep;
    const Replay r = Replay::load(cut);
    EXPECT_TRUE(r.truncated);
    EXPECT_EQ(r.ticks() % 240, 0u) << "cut at " << keep;
    EXPECT_GE(r.ticks(), lastTicks);
    EXPECT_LT(r.ticks(), whole.ticks());
    lastTicks = r.ticks();
    ++truncatedLoads;
    // What is there re-makes the session's start exactly.
    const ReplayCheck check = verifyReplay(r, *createTitle("hockey"));
    EXPECT_TRUE(check.identical);
    EXPECT_EQ(check.ticks, r.ticks());
    for (uint64_t t = 0; t < r.ticks(); t += 97) EXPECT_EQ(r.hashes[t], whole.hashes[t]);
  }
  EXPECT_GT(truncatedLoads, 3);
  EXPECT_GT(lastTicks, whole.ticks() / 2);
  // Cut inside the trailer: every chunk is there.
  write(cut, good.substr(0, good.size() - 10));
  EXPECT_EQ(Replay::load(cut).ticks(), whole.ticks());
  EXPECT_TRUE(Replay::load(cut).truncated);
  // A crash's unwritten tail reads back as zeros: the end of what was written.
  write(cut, good.substr(0, good.size() / 2) + std::string(5000, '\0'));
  EXPECT_TRUE(Replay::load(cut).truncated);
  // Cut inside the header: refused, saying so.
  write(cut, good.substr(0, 40));
  EXPECT_NE(loadError(cut).find("truncated inside its header"), std::string::npos) << loadError(cut);
  // A cut file with a changed byte in a complete chunk is refused, not shortened.
  std::string changed = good.substr(0, good.size() / 2);
  changed[changed.size() / 2] ^= 0x40;
  write(cut, changed);
  EXPECT_NE(loadError(cut).find("does not match its checksum"), std::string::npos) << loadError(cut);
}

TEST_F(ReplayTest, AWriterThatNeverFinishesLeavesItsCompleteChunks) {
  // The writer's file as a killed process leaves it: every chunk written so far, no trailer.
  std::unique_ptr<Title> title = createTitle("driving");
  TitleSetup setup{.players = 2, .seed = 4, .skill = 1};
  title->setup(setup);
  const std::string path = (dir_ / "killed.replay").string();
  std::string snapshot;
  {
    ReplayWriter writer(path, title->info(), setup);
    std::vector<InputFrame> inputs(2);
    for (int t = 0; t < 1000; ++t) {
      for (int p = 0; p < 2; ++p) title->botInput(p, inputs[size_t(p)]);
      title->step(inputs);
      writer.tick(inputs, title->stateHash());
    }
    snapshot = bytes(path);  // before finish(): what a SIGKILL would leave
  }
  write((dir_ / "snapshot.replay").string(), snapshot);
  const Replay r = Replay::load((dir_ / "snapshot.replay").string());
  const uint64_t perChunk = uint64_t(title->info().tickRateHz / 2 + 0.5);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.ticks(), 1000 / perChunk * perChunk);
  EXPECT_TRUE(verifyReplay(r, *createTitle("driving")).identical);
  const Replay finished = Replay::load(path);  // the destructor finished it
  EXPECT_FALSE(finished.truncated);
  EXPECT_EQ(finished.ticks(), 1000u);
}

}  // namespace
}  // namespace pav::core
