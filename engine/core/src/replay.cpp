// Replays: writing one tick at a time into chunks, and re-simulating. Loading: replay_load.cpp.
#include "pav/core/replay.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "pav/core/error.h"
#include "pav/core/log.h"
#include "replay_format.h"

namespace pav::core {
namespace {

using namespace replayfmt;

std::string headerText(const TitleInfo& info, const TitleSetup& setup) {
  char text[512];
  std::snprintf(text, sizeof text,
                "title=%.*s\nplayers=%d\nseed=%llu\nskill=%d\nduration=%.6f\ntick_hz=%.6f\ninput_bytes=%zu\nassists=%d\n",
                int(info.id.size()), info.id.data(), setup.players, static_cast<unsigned long long>(setup.seed),
                setup.skill, setup.durationSeconds, info.tickRateHz, sizeof(InputFrame), setup.assists);
  return text;
}

}  // namespace

// ---- Writing -----------------------------------------------------------------------------------

ReplayWriter::ReplayWriter(const std::string& path, const TitleInfo& info, const TitleSetup& setup)
    : path_(path), last_(size_t(std::max(setup.players, 1))) {
  if (sodium_init() < 0) fail("%s: libsodium could not start: the replay cannot be written", path.c_str());
  // Half a second of ticks per chunk: what a killed server loses at most.
  ticksPerChunk_ = uint32_t(std::clamp(std::lround(info.tickRateHz / 2), 1l, 100000l));
  chunk_.resize(kChunkHead + kChunkTarget + maxTickBytes(last_.size()) + kDigestBytes);
  used_ = kChunkHead;
  fd_.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd_) fail("%s: cannot write the replay: %s", path.c_str(), std::strerror(errno));
  const std::string header = headerText(info, setup);
  const uint32_t n = static_cast<uint32_t>(header.size());
  uint8_t head[kMagicBytes + 4];
  std::memcpy(head, kMagic, kMagicBytes);
  std::memcpy(head + kMagicBytes, &n, 4);
  digest_ = chain(nullptr, head, sizeof head, header.data(), header.size());
  writeOut(head, sizeof head);
  writeOut(reinterpret_cast<const uint8_t*>(header.data()), header.size());
  writeOut(digest_.data(), digest_.size());
  if (failed_) fail("%s: cannot write the replay: %s", path.c_str(), std::strerror(errno));
  // The new name itself survives a crash.
  syncFolder(folderOf(path));
}

ReplayWriter::~ReplayWriter() { finish(); }

void ReplayWriter::writeOut(const uint8_t* data, size_t n) {
  while (n > 0 && !failed_) {
    const ssize_t w = ::write(fd_.get(), data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      failed_ = true;
      log::write(log::Level::Error, "%s: the replay cannot be written on (%s): it ends at tick %llu", path_.c_str(),
                 std::strerror(errno), static_cast<unsigned long long>(chunkFirst_));
      return;
    }
    data += w;
    n -= size_t(w);
  }
}

void ReplayWriter::put(const void* data, size_t n) {
  std::memcpy(chunk_.data() + used_, data, n);
  used_ += n;
}

void ReplayWriter::tick(std::span<const InputFrame> inputs, uint64_t stateHash) {
  if (finished_) return;
  // Per seat: a mask of the input's 4-byte words that changed since its last tick, then those
  // words (a bot's car changes 3 of 26).
  for (size_t seat = 0; seat < last_.size(); ++seat) {
    const InputFrame& in = seat < inputs.size() ? inputs[seat] : InputFrame{};
    uint32_t words[kInputWords], before[kInputWords];
    std::memcpy(words, &in, sizeof in);
    std::memcpy(before, &last_[seat], sizeof in);
    uint32_t mask = 0;
    for (size_t w = 0; w < kInputWords; ++w)
      if (ticks_ == 0 || words[w] != before[w]) mask |= 1u << w;
    put(&mask, sizeof mask);
    for (size_t w = 0; w < kInputWords; ++w)
      if (mask & (1u << w)) put(&words[w], 4);
    last_[seat] = in;
  }
  put(&stateHash, sizeof stateHash);
  ++ticks_;
  ++chunkTicks_;
  if (chunkTicks_ >= ticksPerChunk_ || used_ - kChunkHead >= kChunkTarget) endChunk();
}

void ReplayWriter::endChunk() {
  if (chunkTicks_ == 0) return;
  const uint32_t payload = static_cast<uint32_t>(used_ - kChunkHead);
  uint8_t* head = chunk_.data();
  std::memcpy(head, kChunkTag, 4);
  std::memcpy(head + 4, &payload, 4);
  std::memcpy(head + 8, &chunkFirst_, 8);
  std::memcpy(head + 16, &chunkTicks_, 4);
  std::memcpy(head + kChunkFields, chain(&digest_, head, kChunkFields).data(), 8);
  digest_ = chain(&digest_, chunk_.data(), used_);
  put(digest_.data(), digest_.size());
  // One write per chunk: a killed process leaves whole chunks (the kernel has them). No sync
  // here: sync_file_range blocks while the disk's queue is congested (a build beside the
  // floor), and a session server stalled by it fell seconds behind; finish() fsyncs.
  writeOut(chunk_.data(), used_);
  chunkFirst_ += chunkTicks_;
  chunkTicks_ = 0;
  used_ = kChunkHead;
}

bool ReplayWriter::finish() {
  if (finished_) return !failed_;
  finished_ = true;
  endChunk();
  uint8_t trailer[kTrailerBytes];
  std::memcpy(trailer, kTrailerTag, 4);
  std::memcpy(trailer + 4, &ticks_, 8);
  digest_ = chain(&digest_, trailer, 12);
  std::memcpy(trailer + 12, digest_.data(), kDigestBytes);
  writeOut(trailer, sizeof trailer);
  if (!failed_ && ::fsync(fd_.get()) != 0) {
    failed_ = true;
    log::write(log::Level::Error, "%s: the replay cannot be synced to the disk: %s", path_.c_str(), std::strerror(errno));
  }
  if (::close(fd_.release()) != 0 && !failed_) {
    failed_ = true;
    log::write(log::Level::Error, "%s: the replay cannot be closed: %s", path_.c_str(), std::strerror(errno));
  }
  if (failed_) log::write(log::Level::Error, "%s: the replay could not be written completely (disk full?)", path_.c_str());
  return !failed_;
}

// ---- Re-simulating -----------------------------------------------------------------------------

ReplayCheck verifyReplay(const Replay& replay, Title& title, const std::function<void(const Title&, uint64_t)>& onTick) {
  title.setup(replay.setup);
  ReplayCheck check;
  for (uint64_t t = 0; t < replay.ticks(); ++t) {
    title.step(replay.inputsAt(t));
    ++check.ticks;
    const uint64_t hash = title.stateHash();
    if (onTick) onTick(title, t + 1);
    if (hash != replay.hashes[t]) {
      check.firstMismatch = t + 1;
      check.expected = replay.hashes[t];
      check.got = hash;
      break;
    }
  }
  check.identical = check.firstMismatch == 0;
  check.results = title.results(true);
  return check;
}

}  // namespace pav::core
