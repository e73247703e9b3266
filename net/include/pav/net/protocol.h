// The pavilion protocol's messages (net/PROTOCOL.md is the prose version). Each message is
// one ENet packet that starts with its type; every read is range-checked, so a malformed or
// hostile packet decodes to false and is dropped and counted by the caller.
//
//   reliable (channel 1):   Hello (with a connect token, token.h) -> Welcome | Refused, Event, End
//   unreliable (channel 0): Inputs (station -> server), Snapshot (server -> station)
//
// Per-tick messages (Inputs, Snapshot) use caller-owned buffers and fixed-size structs: no
// heap allocation. The handshake and End carry strings and happen once per connection.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "pav/core/title.h"
#include "pav/net/bitstream.h"
#include "pav/net/snapshot.h"
#include "pav/net/token.h"

namespace pav::net {

// 2: Hello carries a connect token (token.h); resume tokens are 64 random bits.
// 3: Welcome carries the session's start (holdTicks, clockTick): the lobby and the 3-2-1 start.
// 4: a snapshot body opens with its stale objects (cut to the budget: priority.h).
// 5: Welcome carries the session's driving aids (assists).
constexpr uint32_t kProtocolVersion = 5;
// The most inputs one packet carries: the newest and the ones before it not yet acknowledged.
constexpr int kMaxInputsPerPacket = 32;
constexpr size_t kMaxPacketBytes = 1200;  // below a 1280-byte IPv6 MTU with ENet's headers
constexpr size_t kMaxTitleId = 31;
constexpr size_t kMaxReason = 200;
constexpr size_t kMaxResults = 1000;

enum class MessageType : uint8_t { Hello = 1, Welcome, Refused, Inputs, Snapshot, Event, End };
constexpr uint32_t kLastMessageType = 7;

// ---- Handshake -------------------------------------------------------------------------------

struct Hello {
  uint32_t protocol = kProtocolVersion;
  std::string title;         // [a-z0-9_-], at most 31 characters; empty: whatever the server plays
  uint64_t resumeToken = 0;  // from an earlier Welcome: take the same seat again (0: new)
  bool hasConnectToken = false;
  ConnectToken connectToken{};  // the seat's credential (token.h), sealed by whoever holds the session key
};

// What a station needs to run its own copy of the session's title (for prediction).
struct Welcome {
  std::string title;  // the session's title id
  uint32_t seat = 0;
  uint64_t token = 0;  // 64 random bits: give it back in Hello after a dropped connection
  uint32_t players = 1;
  uint64_t seed = 1;
  uint32_t skill = 1;
  uint32_t durationMs = 0;
  uint32_t snapshotHz = 60;
  uint64_t serverTick = 0;
  // The session's start. The server's clock counts ticks (at the title's rate) from when it
  // began; it holds the title at its set-up state (not stepped, inputs ignored) for the first
  // holdTicks of them (the lobby, then the 3-2-1 start), and steps the title's tick 1 at clock
  // tick holdTicks + 1. clockTick is the server's clock tick when it sent this Welcome, so a
  // station that joins late or comes back knows how far off the start is: (holdTicks -
  // clockTick) ticks, or none when clockTick >= holdTicks (the play is under way).
  uint64_t holdTicks = 0;
  uint64_t clockTick = 0;
  uint32_t assists = 0;  // core::kAssistsOff .. kAssistsExpo: part of the title's rules
};

struct Refused {
  std::string reason;  // at most 200 characters
};

// ---- Per tick ----------------------------------------------------------------------------------

// A station's inputs for ticks [newestTick - count + 1, newestTick], oldest first, with what
// it has received and how it sees the link (shown by the server's stats).
struct Inputs {
  uint64_t newestTick = 0;
  uint32_t count = 0;
  std::array<core::InputFrame, kMaxInputsPerPacket> frames{};
  uint64_t ackTick = 0;             // newest snapshot received (0: none yet)
  uint32_t interpolationMs = 0;     // the station's current interpolation delay
  uint32_t predictionErrorMm = 0;   // the last correction of its own object
  uint32_t snapshotLoss = 0;        // snapshots missed, per mille
  uint32_t snapshotAgeMs = 0;       // how old the newest snapshot is, by the station's clock
};

struct SnapshotHeader {
  uint64_t tick = 0;
  uint64_t baselineTick = 0;  // 0: against the schema's defaults
  uint64_t inputTick = 0;     // newest input tick the server holds for this station
};

// A counter scalar went up (a goal, a lap): sent reliably so a lost snapshot cannot hide it.
struct Event {
  uint64_t tick = 0;
  uint32_t scalar = 0;
  int32_t value = 0;  // the new count
};

struct End {
  std::string results;  // the title's results, JSON
};

// ---- Encoding: each returns the bytes written (0 when it does not fit or a value is outside its
// range; Refused and End cut an over-long text instead). Each pair wraps one templated
// serialize function in protocol.cpp, so writer and reader cannot disagree. --------------------

bool peekType(std::span<const uint8_t> in, MessageType& type);  // false: empty or unknown

size_t encodeHello(const Hello& m, std::span<uint8_t> out);
bool decodeHello(std::span<const uint8_t> in, Hello& m);
size_t encodeWelcome(const Welcome& m, std::span<uint8_t> out);
bool decodeWelcome(std::span<const uint8_t> in, Welcome& m);
size_t encodeRefused(const Refused& m, std::span<uint8_t> out);
bool decodeRefused(std::span<const uint8_t> in, Refused& m);
size_t encodeInputs(const Inputs& m, std::span<uint8_t> out);
bool decodeInputs(std::span<const uint8_t> in, Inputs& m);
size_t encodeEvent(const Event& m, std::span<uint8_t> out);
bool decodeEvent(std::span<const uint8_t> in, Event& m);
size_t encodeEnd(const End& m, std::span<uint8_t> out);
bool decodeEnd(std::span<const uint8_t> in, End& m);

// A snapshot: header, then the codec's body against `baseline` (whose tick must be
// header.baselineTick, or the codec's defaults when that is 0).
size_t encodeSnapshot(const SnapshotHeader& h, const SnapshotCodec& codec, const QuantFrame& current,
                      const QuantFrame& baseline, std::span<uint8_t> out);
// Reads the header only, so the caller can find the baseline it names.
bool decodeSnapshotHeader(std::span<const uint8_t> in, SnapshotHeader& h);
// Reads the whole snapshot into `out` (sized by the codec); false when malformed.
bool decodeSnapshot(std::span<const uint8_t> in, const SnapshotCodec& codec, const QuantFrame& baseline,
                    SnapshotHeader& h, QuantFrame& out);

}  // namespace pav::net
