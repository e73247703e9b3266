// The replay file's layout (format 2), shared by the writer (replay.cpp) and the loader
// (replay_load.cpp). The layout itself is drawn in pav/core/replay.h.
#pragma once

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "pav/core/title.h"

namespace pav::core::replayfmt {

constexpr char kMagic[] = "PAVREPLAY2\n";
constexpr char kMagicV1[] = "PAVREPLAY1\n";
constexpr size_t kMagicBytes = sizeof kMagic - 1;
constexpr char kChunkTag[] = "CHNK";
constexpr char kTrailerTag[] = "END!";
constexpr size_t kDigestBytes = 32;
// tag, payload bytes, first tick, ticks, and the first 8 bytes of the head's own digest (so
// that a changed head is told apart from a cut chunk).
constexpr size_t kChunkFields = 4 + 4 + 8 + 4;
constexpr size_t kChunkHead = kChunkFields + 8;
constexpr size_t kTrailerBytes = 4 + 8 + kDigestBytes;  // tag, ticks, digest
constexpr uint32_t kMaxHeader = 4096;
constexpr size_t kChunkTarget = size_t(64) << 10;       // a chunk ends at this much payload
constexpr size_t kInputWords = sizeof(InputFrame) / 4;
static_assert(sizeof(InputFrame) % 4 == 0 && kInputWords <= 32, "an input is at most 32 words (one mask bit each)");
constexpr uint32_t kAllWords = kInputWords == 32 ? ~0u : (1u << kInputWords) - 1;

// The fewest and most payload bytes one tick takes with `players` seats.
constexpr size_t minTickBytes(size_t players) { return players * 4 + 8; }
constexpr size_t maxTickBytes(size_t players) { return players * (4 + sizeof(InputFrame)) + 8; }

using Digest = std::array<uint8_t, kDigestBytes>;

// BLAKE2b-256 of `previous` (none when null) followed by up to two byte ranges.
inline Digest chain(const Digest* previous, const void* a, size_t an, const void* b = nullptr, size_t bn = 0) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kDigestBytes);
  if (previous) crypto_generichash_update(&state, previous->data(), previous->size());
  crypto_generichash_update(&state, static_cast<const unsigned char*>(a), an);
  if (bn > 0) crypto_generichash_update(&state, static_cast<const unsigned char*>(b), bn);
  Digest out;
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

}  // namespace pav::core::replayfmt
