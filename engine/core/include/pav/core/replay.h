// Replays: a session's title, setup (seed included) and every tick's inputs, with the state
// hash after each tick. Since a title's step is deterministic, re-running the inputs from the
// same setup re-makes the session exactly; the hashes prove it tick by tick, and name the
// first tick that differs when something (a changed build, a tampered file) breaks that.
//
//   ReplayWriter rec(path, title.info(), setup);     // file open, buffer made: nothing per tick
//   each tick: title.step(inputs); rec.tick(inputs, title.stateHash());
//   rec.finish();                                    // the trailer: tick count and checksum
//
//   Replay r = Replay::load(path);                   // throws pav::Error naming file and problem
//   ReplayCheck c = verifyReplay(r, *createTitle(r.title), [](const Title&, uint64_t tick) {...});
//
// The file (little endian; all of it covered by the trailer's checksum):
//   "PAVREPLAY1\n" | header length u32 | header (text: "title=hockey\nplayers=2\nseed=..\n...")
//   | per tick: for each seat a u32 mask of the InputFrame's 4-byte words that changed since
//     the seat's last tick (all of them on the first), then those words | state hash u64
//   | trailer: "END!" | ticks u64 | FNV-1a 64 of everything before the trailer
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <string>
#include <vector>

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
  // Writes the trailer and closes the file. False (with the reason logged) when a write failed
  // on the way (a full disk): the replay is then incomplete and says so when loaded.
  bool finish();
  uint64_t ticks() const { return ticks_; }
  const std::string& path() const { return path_; }

 private:
  void write(const void* data, size_t n);

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  std::vector<InputFrame> last_;
  uint64_t ticks_ = 0, checksum_;
  bool failed_ = false;
};

struct Replay {
  std::string path;
  std::string title;
  TitleSetup setup;
  double tickRateHz = 0;
  std::vector<InputFrame> inputs;  // ticks x players, tick-major
  std::vector<uint64_t> hashes;    // per tick, after it
  uint64_t ticks() const { return hashes.size(); }
  std::span<const InputFrame> inputsAt(uint64_t tick) const {
    return {inputs.data() + tick * size_t(setup.players), size_t(setup.players)};
  }
  // Throws pav::Error "<path>: <problem>" for a missing, truncated, tampered or foreign file.
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
