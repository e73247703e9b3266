// Replays: a session's title, setup (seed included) and every tick's inputs, with the state
// hash after each tick. Since a title's step is deterministic, re-running the inputs from the
// same setup re-makes the session exactly; the hashes prove it tick by tick, and name the
// first tick that differs when something (a changed build, other data files) breaks that.
//
//   ReplayWriter rec(path, title.info(), setup);     // file open, buffer made: nothing per tick
//   each tick: title.step(inputs); rec.tick(inputs, title.stateHash());
//   rec.finish();                                    // the trailer, then fsync
//
//   Replay r = Replay::load(path);                   // throws pav::Error naming file and problem
//   if (r.truncated) ...                             // its writer was killed: r.ticks() ticks
//   ReplayCheck c = verifyReplay(r, *createTitle(r.title), [](const Title&, uint64_t tick) {...});
//
// The file (format 2; little endian). Every piece carries a BLAKE2b-256 digest (libsodium's
// crypto_generichash) of the digest before it and its own bytes, so one changed byte anywhere
// is detected, and a file cut short is told apart from a changed one:
//   "PAVREPLAY2\n" | header length u32 | header (text: "title=hockey\nplayers=2\nseed=..\n...")
//   | digest[32] of what precedes it
//   | chunks, each of about half a second of ticks, written out (one write, no sync: the tick never waits on the disk)
//     as soon as it is full, so a server killed with SIGKILL leaves every chunk before the last:
//       "CHNK" | payload bytes u32 | first tick u64 | ticks u32 | head check[8] | payload
//       | digest[32]   (head check: the first 8 bytes of the digest of the four fields before it)
//     the payload: per tick, for each seat a u32 mask of the InputFrame's 4-byte words that
//     changed since the seat's last tick (all of them on the first), then those words
//     | state hash u64
//   | trailer: "END!" | ticks u64 | digest[32]
// A file without its trailer loads up to its last complete chunk, with `truncated` set; a
// chunk whose bytes are all there but whose digest differs is a changed file, refused. Format 1
// files (FNV-1a checksum, no chunks) are refused with a message saying so.
//
// The loader's memory is bounded by the file's size: the file itself, then one allocation of
// the inputs and hashes of the ticks its verified chunks really hold (each tick takes at least
// 4 bytes per seat + 8, so at most (sizeof(InputFrame) + 8/players) / 4 bytes per file byte);
// no count from the file is trusted before the bytes behind it are there and verified.
#pragma once

#include <cstdint>
#include <array>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "pav/core/durable_file.h"
#include "pav/core/title.h"

namespace pav::core {

class ReplayWriter {
 public:
  // Creates (truncates) the file; throws pav::Error naming it when it cannot.
  ReplayWriter(const std::string& path, const TitleInfo& info, const TitleSetup& setup);
  ~ReplayWriter();  // finish()es if not yet done
  ReplayWriter(const ReplayWriter&) = delete;
  ReplayWriter& operator=(const ReplayWriter&) = delete;

  // One tick: the inputs it was stepped with and the title's stateHash() after it. No heap
  // allocation: the file's buffer is made up front.
  void tick(std::span<const InputFrame> inputs, uint64_t stateHash);
  // Writes the last chunk and the trailer, fsyncs and closes the file. False (with the reason
  // logged) when a write failed on the way (a full disk): the replay then loads as truncated.
  bool finish();
  uint64_t ticks() const { return ticks_; }
  const std::string& path() const { return path_; }
  bool failed() const { return failed_; }

 private:
  void endChunk();
  void put(const void* data, size_t n);  // into the chunk
  void writeOut(const uint8_t* data, size_t n);

  std::string path_;
  UniqueFd fd_;
  std::vector<uint8_t> chunk_;  // head, payload, digest: made once, big enough for a chunk
  size_t used_ = 0;             // bytes of chunk_ in use (head included)
  uint32_t chunkTicks_ = 0, ticksPerChunk_ = 1;
  uint64_t chunkFirst_ = 0;
  std::vector<InputFrame> last_;
  std::array<uint8_t, 32> digest_{};  // of everything written so far
  uint64_t ticks_ = 0;
  bool failed_ = false, finished_ = false;
};

struct Replay {
  std::string path;
  std::string title;
  TitleSetup setup;
  double tickRateHz = 0;
  std::vector<InputFrame> inputs;  // ticks x players, tick-major
  std::vector<uint64_t> hashes;    // per tick, after it
  // No trailer: its writer stopped (killed, or the disk full) after ticks() ticks; what is
  // here is every complete, verified chunk.
  bool truncated = false;
  uint64_t ticks() const { return hashes.size(); }
  std::span<const InputFrame> inputsAt(uint64_t tick) const {
    return {inputs.data() + tick * size_t(setup.players), size_t(setup.players)};
  }
  // Throws pav::Error "<path>: <problem>" for a missing, changed, damaged or foreign file (a
  // truncated one loads, see `truncated`).
  static Replay load(const std::string& path);
};

struct ReplayCheck {
  bool identical = false;
  uint64_t ticks = 0;            // ticks re-simulated
  uint64_t firstMismatch = 0;    // 1-based tick of the first differing hash (0: none)
  uint64_t expected = 0, got = 0;
  std::string results;           // the title's results line at the end (JSON)
};

// Sets `title` up from the replay and steps it through every tick, comparing hashes; stops at
// the first mismatch. `onTick(title, tick)` (optional) runs after each tick, e.g. to draw it.
ReplayCheck verifyReplay(const Replay& replay, Title& title,
                         const std::function<void(const Title&, uint64_t)>& onTick = nullptr);

}  // namespace pav::core
