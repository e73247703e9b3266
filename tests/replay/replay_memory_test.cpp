// The replay loader's memory is bounded by the file's size, whatever the file claims: crafted
// files (counts in chunk heads far beyond the bytes behind them, and the densest file a writer
// could make) are loaded or refused while this program's global operator new measures the peak
// of live heap bytes; and the writer's ticks, chunk ends included, allocate nothing. (Replaces
// operator new: not in sanitizer builds.)
#include <gtest/gtest.h>
#include <malloc.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>

#include "pav/core/error.h"
#include "pav/core/replay.h"

namespace {
std::atomic<bool> gTracking{false};
std::atomic<int64_t> gLive{0}, gPeak{0}, gCalls{0};
}  // namespace

void* operator new(std::size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  if (gTracking.load(std::memory_order_relaxed)) {
    gCalls.fetch_add(1);
    const int64_t live = gLive.fetch_add(int64_t(malloc_usable_size(p))) + int64_t(malloc_usable_size(p));
    int64_t peak = gPeak.load();
    while (live > peak && !gPeak.compare_exchange_weak(peak, live)) {
    }
  }
  return p;
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept {
  if (p && gTracking.load(std::memory_order_relaxed)) gLive.fetch_sub(int64_t(malloc_usable_size(p)));
  std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }

namespace pav::core {
namespace {

namespace fs = std::filesystem;
using Digest = std::array<uint8_t, 32>;

// Writes format-2 files by hand (pav/core/replay.h draws the layout), digests and all: what an
// attacker who knows the format can make.
struct Crafted {
  std::string bytes;
  Digest digest{};

  static Digest hash(const Digest* previous, const std::string& data) {
    crypto_generichash_state s;
    crypto_generichash_init(&s, nullptr, 0, 32);
    if (previous) crypto_generichash_update(&s, previous->data(), 32);
    crypto_generichash_update(&s, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    Digest d;
    crypto_generichash_final(&s, d.data(), 32);
    return d;
  }
  template <typename T>
  static std::string le(T v) {
    return std::string(reinterpret_cast<const char*>(&v), sizeof v);
  }
  explicit Crafted(int players) {
    const std::string header = "title=hockey\nplayers=" + std::to_string(players) + "\nseed=1\nskill=1\nduration=0\ntick_hz=480\ninput_bytes=" +
                               std::to_string(sizeof(InputFrame)) + "\n";
    bytes = "PAVREPLAY2\n" + le(uint32_t(header.size())) + header;
    digest = hash(nullptr, bytes);
    bytes.append(reinterpret_cast<const char*>(digest.data()), 32);
  }
  // A chunk head as given (its head check right), then `payload`; its digest only when `whole`.
  void chunk(uint32_t payloadBytes, uint64_t first, uint32_t ticks, const std::string& payload, bool whole) {
    const std::string fields = "CHNK" + le(payloadBytes) + le(first) + le(ticks);
    const Digest check = hash(&digest, fields);
    const std::string head = fields + std::string(reinterpret_cast<const char*>(check.data()), 8);
    bytes += head + payload;
    if (whole) {
      digest = hash(&digest, head + payload);
      bytes.append(reinterpret_cast<const char*>(digest.data()), 32);
    }
  }
  void trailer(uint64_t ticks) {
    const std::string t = "END!" + le(ticks);
    digest = hash(&digest, t);
    bytes += t + std::string(reinterpret_cast<const char*>(digest.data()), 32);
  }
};

class ReplayMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    path_ = (fs::temp_directory_path() / ("pav-replay-mem-" + std::to_string(::getpid()) + ".replay")).string();
  }
  void TearDown() override { fs::remove(path_); }
  // Loads the file with the heap measured; the peak of live bytes during the load.
  int64_t peakOfLoad(const std::string& bytes, std::string& error, uint64_t* ticks = nullptr) {
    std::ofstream(path_, std::ios::binary) << bytes;
    gLive = 0;
    gPeak = 0;
    gTracking = true;
    try {
      const Replay r = Replay::load(path_);
      if (ticks) *ticks = r.ticks();
    } catch (const Error& e) {
      gTracking = false;
      error = e.what();
    }
    gTracking = false;
    return gPeak.load();
  }
  std::string path_;
};

constexpr size_t kFourMiB = size_t(4) << 20;

TEST_F(ReplayMemoryTest, CountsBeyondTheFilesBytesAreNeverAllocated) {
  // A chunk head claiming 4 G ticks in 4 GiB of payload, with 4 MiB behind it: a cut chunk, so
  // nothing of it is loaded (0 ticks, truncated), and nothing is allocated for its counts.
  Crafted cut(8);
  cut.chunk(0xFFFFFF00u, 0, 0xFFFFFFFFu, std::string(kFourMiB, '\x5a'), false);
  std::string error;
  uint64_t ticks = 99;
  const int64_t peak = peakOfLoad(cut.bytes, error, &ticks);
  EXPECT_EQ(error, "");
  EXPECT_EQ(ticks, 0u);
  EXPECT_LE(peak, int64_t(2 * cut.bytes.size())) << "peak " << peak << " for a file of " << cut.bytes.size();

  // The same claim in a chunk that is all there (digest right): 4 G ticks cannot fit in its
  // payload; refused before anything is allocated for them.
  Crafted claims(8);
  claims.chunk(uint32_t(kFourMiB), 0, 0xFFFFFFFFu, std::string(kFourMiB, '\0'), true);
  claims.trailer(0xFFFFFFFFu);
  error.clear();
  const int64_t claimsPeak = peakOfLoad(claims.bytes, error);
  EXPECT_NE(error.find("cannot be 4294967295 ticks"), std::string::npos) << error;
  EXPECT_LE(claimsPeak, int64_t(2 * claims.bytes.size())) << "peak " << claimsPeak;
  // A trailer claiming more ticks than its chunks hold.
  Crafted trailer(1);
  trailer.trailer(uint64_t(1) << 40);
  error.clear();
  peakOfLoad(trailer.bytes, error);
  EXPECT_NE(error.find("tick count differs"), std::string::npos) << error;
}

TEST_F(ReplayMemoryTest, TheDensestFileAWriterCouldMakeStaysWithinTheDocumentedBound) {
  // Eight seats, every input unchanged after the first tick: 4 bytes a seat and 8 a tick, the
  // fewest bytes a tick can take, so the most ticks a 4 MiB file can hold.
  constexpr int kPlayers = 8;
  const size_t minTick = kPlayers * 4 + 8;
  Crafted dense(kPlayers);
  uint64_t ticks = 0;
  const uint32_t perChunk = 1600;
  while (dense.bytes.size() < kFourMiB) {
    std::string payload;
    for (uint32_t t = 0; t < perChunk; ++t) {
      for (int p = 0; p < kPlayers; ++p) {
        if (ticks + t == 0) {
          const uint32_t all = sizeof(InputFrame) / 4 == 32 ? ~0u : (1u << (sizeof(InputFrame) / 4)) - 1;
          payload += Crafted::le(all) + std::string(sizeof(InputFrame), '\0');
        } else {
          payload += Crafted::le(uint32_t(0));
        }
      }
      payload += Crafted::le(uint64_t(ticks + t));
    }
    dense.chunk(uint32_t(payload.size()), ticks, perChunk, payload, true);
    ticks += perChunk;
  }
  dense.trailer(ticks);
  std::string error;
  uint64_t loaded = 0;
  const int64_t peak = peakOfLoad(dense.bytes, error, &loaded);
  ASSERT_EQ(error, "");
  EXPECT_EQ(loaded, ticks);
  // The bound pav/core/replay.h states: the file, plus the decoded ticks, each at most
  // (players * sizeof(InputFrame) + 8) bytes for every minTick bytes of file.
  const double perFileByte = double(kPlayers * sizeof(InputFrame) + 8) / double(minTick);
  const auto bound = int64_t(double(dense.bytes.size()) * (1 + perFileByte) + (1 << 20));
  EXPECT_LE(peak, bound);
  std::printf("a %zu-byte file of %llu ticks: peak %.1f MiB (%.1fx the file; bound %.1fx)\n", dense.bytes.size(),
              static_cast<unsigned long long>(ticks), double(peak) / (1 << 20), double(peak) / double(dense.bytes.size()),
              1 + perFileByte);
}

TEST_F(ReplayMemoryTest, TheWritersTicksAllocateNothingChunkEndsIncluded) {
  const TitleInfo info{.id = "hockey", .name = "test", .tickRateHz = 480, .maxPlayers = 2};
  const TitleSetup setup{.players = 2, .seed = 3};
  std::vector<InputFrame> inputs(2);
  {
    ReplayWriter writer(path_, info, setup);
    gCalls = 0;
    gTracking = true;
    for (int t = 0; t < 3000; ++t) {  // 12 chunks and a half
      inputs[size_t(t % 2)].hands[0].position.x = float(t) * 0.001f;
      inputs[1].buttons = uint32_t(t / 100);
      writer.tick(inputs, uint64_t(t) * 0x9E3779B97F4A7C15ull);
    }
    gTracking = false;
    EXPECT_EQ(gCalls.load(), 0) << "operator new calls during 3000 ticks";
    EXPECT_TRUE(writer.finish());
  }
  const Replay r = Replay::load(path_);
  EXPECT_EQ(r.ticks(), 3000u);
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.hashes[2999], uint64_t(2999) * 0x9E3779B97F4A7C15ull);
  EXPECT_EQ(r.inputsAt(2999)[1].buttons, 29u);
}

}  // namespace
}  // namespace pav::core
