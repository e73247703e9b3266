// Fuzz target: the reliable-channel messages: decodeHello, decodeWelcome, decodeRefused,
// decodeEvent and decodeEnd, all tried on every input (each checks its own type).
//
// Properties:
//   - at most one of them accepts a packet, and peekType names that one;
//   - Hello of this protocol version: a title of at most 31 characters of [a-z0-9_-] (or none),
//     a 64-bit resume token, and a connect token of exactly kConnectTokenBytes or none;
//     of another version: accepted with nothing read past the version (a server can refuse it);
//   - Welcome: a non-empty valid title, seat < players <= kMaxPlayers, skill 0..3, duration at
//     most a day, 1..1000 snapshots per second, seed and server tick at most 2^40 - 1;
//   - Refused: at most 200 characters; End: at most 1000; Event: tick at most 2^40 - 1,
//     scalar < kMaxScalars, value within +/- 2^20;
//   - each accepted message re-encodes (non-zero bytes) and decodes to the same message.
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "pav/net/protocol.h"

using namespace pav;
using namespace pav::net;

namespace {

std::vector<uint8_t>& buffer() {
  static std::vector<uint8_t> b(1 << 14);
  return b;
}

std::span<const uint8_t> written(size_t bytes) { return std::span<const uint8_t>(buffer().data(), bytes); }

bool validTitle(const std::string& t, bool allowEmpty) {
  if (t.empty()) return allowEmpty;
  if (t.size() > kMaxTitleId) return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

void checkHello(const Hello& m) {
  if (m.protocol != kProtocolVersion) {
    // Read no further than the version: the rest of a future Hello may mean anything.
    FUZZ_CHECK(m.title.empty() && m.resumeToken == 0 && !m.hasConnectToken, "Hello of version %u read past its version",
               m.protocol);
    return;
  }
  FUZZ_CHECK(validTitle(m.title, true), "Hello title '%s' (%zu chars)", m.title.c_str(), m.title.size());
  const size_t bytes = encodeHello(m, buffer());
  FUZZ_CHECK(bytes > 0, "a decoded Hello does not encode");
  Hello again;
  FUZZ_CHECK(decodeHello(written(bytes), again) && again.protocol == m.protocol && again.title == m.title &&
                 again.resumeToken == m.resumeToken && again.hasConnectToken == m.hasConnectToken &&
                 (!m.hasConnectToken || again.connectToken == m.connectToken),
             "Hello changed in the round trip");
}

void checkWelcome(const Welcome& m) {
  FUZZ_CHECK(validTitle(m.title, false), "Welcome title '%s' (%zu chars)", m.title.c_str(), m.title.size());
  FUZZ_CHECK(m.players >= 1 && m.players <= uint32_t(core::kMaxPlayers) && m.seat < m.players, "seat %u of %u players",
             m.seat, m.players);
  FUZZ_CHECK(m.skill <= 3 && m.durationMs <= 24u * 3600 * 1000 && m.snapshotHz >= 1 && m.snapshotHz <= 1000,
             "skill %u, %u ms, %u Hz", m.skill, m.durationMs, m.snapshotHz);
  FUZZ_CHECK(m.seed <= fuzz::kMaxTick && m.serverTick <= fuzz::kMaxTick && m.holdTicks <= fuzz::kMaxTick &&
                 m.clockTick <= fuzz::kMaxTick,
             "seed %llu, server tick %llu", (unsigned long long)m.seed, (unsigned long long)m.serverTick);
  const size_t bytes = encodeWelcome(m, buffer());
  FUZZ_CHECK(bytes > 0, "a decoded Welcome does not encode");
  Welcome a;
  FUZZ_CHECK(decodeWelcome(written(bytes), a), "a re-encoded Welcome does not decode");
  FUZZ_CHECK(a.title == m.title && a.seat == m.seat && a.token == m.token && a.players == m.players &&
                 a.seed == m.seed && a.skill == m.skill && a.durationMs == m.durationMs &&
                 a.snapshotHz == m.snapshotHz && a.serverTick == m.serverTick && a.holdTicks == m.holdTicks &&
                 a.clockTick == m.clockTick,
             "Welcome changed in the round trip");
}

void checkRefused(const Refused& m) {
  FUZZ_CHECK(m.reason.size() <= kMaxReason, "reason of %zu chars", m.reason.size());
  const size_t bytes = encodeRefused(m, buffer());
  FUZZ_CHECK(bytes > 0, "a decoded Refused does not encode");
  Refused a;
  FUZZ_CHECK(decodeRefused(written(bytes), a) && a.reason == m.reason, "Refused changed in the round trip");
}

void checkEvent(const Event& m) {
  FUZZ_CHECK(m.tick <= fuzz::kMaxTick && m.scalar < uint32_t(core::kMaxScalars) && m.value >= -(1 << 20) &&
                 m.value <= (1 << 20),
             "Event tick %llu scalar %u value %d", (unsigned long long)m.tick, m.scalar, m.value);
  const size_t bytes = encodeEvent(m, buffer());
  FUZZ_CHECK(bytes > 0, "a decoded Event does not encode");
  Event a;
  FUZZ_CHECK(decodeEvent(written(bytes), a) && a.tick == m.tick && a.scalar == m.scalar && a.value == m.value,
             "Event changed in the round trip");
}

void checkEnd(const End& m) {
  FUZZ_CHECK(m.results.size() <= kMaxResults, "results of %zu chars", m.results.size());
  const size_t bytes = encodeEnd(m, buffer());
  FUZZ_CHECK(bytes > 0, "a decoded End does not encode");
  End a;
  FUZZ_CHECK(decodeEnd(written(bytes), a) && a.results == m.results, "End changed in the round trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> packet(data, size);
  Hello hello;
  Welcome welcome;
  Refused refused;
  Event event;
  End end;
  const bool accepted[] = {decodeHello(packet, hello), decodeWelcome(packet, welcome), decodeRefused(packet, refused),
                           decodeEvent(packet, event), decodeEnd(packet, end)};
  constexpr MessageType kTypes[] = {MessageType::Hello, MessageType::Welcome, MessageType::Refused, MessageType::Event,
                                    MessageType::End};
  int count = 0;
  for (int i = 0; i < 5; ++i) {
    if (!accepted[i]) continue;
    ++count;
    MessageType type{};
    FUZZ_CHECK(peekType(packet, type) && type == kTypes[i], "accepted as type %d, peekType says %d", int(kTypes[i]),
               int(type));
  }
  FUZZ_CHECK(count <= 1, "%d decoders accepted the same packet", count);
  if (accepted[0]) checkHello(hello);
  if (accepted[1]) checkWelcome(welcome);
  if (accepted[2]) checkRefused(refused);
  if (accepted[3]) checkEvent(event);
  if (accepted[4]) checkEnd(end);
  return 0;
}
