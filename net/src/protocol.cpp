// The protocol's messages through the serialize streams: one templated serialize function per
// message is its write and read path (encodeX / decodeX only wrap it), every value
// range-checked on the way in.
#include "pav/net/protocol.h"

#include <cstring>

namespace pav::net {
namespace {

constexpr int64_t kMaxTick = (int64_t(1) << 40) - 1;  // 72 years at 480 Hz

template <typename Stream>
bool serializeType(Stream& s, MessageType& type) {
  uint32_t t = static_cast<uint32_t>(type);
  if (!serializeInt(s, t, 1, kLastMessageType)) return false;
  type = static_cast<MessageType>(t);
  return true;
}

template <typename Stream>
bool expectType(Stream& s, MessageType want) {
  MessageType t = want;
  if (!serializeType(s, t)) return false;
  return Stream::kWriting || t == want;
}

// A short string: its length, then its bytes; a read longer than `maxLength` fails.
template <typename Stream>
bool serializeString(Stream& s, std::string& text, size_t maxLength) {
  uint32_t n = static_cast<uint32_t>(text.size());
  if (!serializeInt(s, n, 0, static_cast<int64_t>(maxLength))) return false;
  if constexpr (Stream::kReading) text.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t c = static_cast<unsigned char>(text[i]);
    if (!serializeBits(s, c, 8)) return false;
    if constexpr (Stream::kReading) text[i] = static_cast<char>(c);
  }
  return true;
}

// 64 bits as two 32-bit halves, low first (serializeInt stops at 63 bits).
template <typename Stream>
bool serializeU64(Stream& s, uint64_t& v) {
  uint32_t lo = uint32_t(v), hi = uint32_t(v >> 32);
  if (!serializeBits(s, lo, 32) || !serializeBits(s, hi, 32)) return false;
  if constexpr (Stream::kReading) v = uint64_t(hi) << 32 | lo;
  return true;
}

bool validTitle(const std::string& t) {
  if (t.empty()) return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

template <typename Fn>
size_t encodeWith(std::span<uint8_t> out, Fn&& body) {
  BitWriter w(out);
  if (!body(w)) return 0;
  w.flush();
  return w.overflowed() ? 0 : w.bytes();
}

// ---- Inputs, quantized: the wire's view of an InputFrame ------------------------------------

struct QuantHand {
  bool tracked = false;
  int32_t position[3] = {0, 0, 0};  // [-4, 4] m at 0.5 mm
  uint32_t largest = 3;
  int32_t rotation[3] = {0, 0, 0};  // smallest three, 10 bits
  int32_t trigger = 0, grip = 0;    // 0..255
  bool operator==(const QuantHand&) const = default;
};

struct QuantInput {
  int32_t axes[5] = {0, 0, 0, 0, 0};  // steer, throttle, brake, power, cadence
  QuantHand hands[2];
  uint32_t buttons = 0;  // the low 16 bits travel
  bool operator==(const QuantInput&) const = default;
};

constexpr float kHandRange = 4.0f, kHandStep = 0.0005f;
constexpr int32_t kHandSteps = 16000;  // 8 m / 0.5 mm
constexpr int kHandRotationBits = 10;
// steer [-1, 1] / 1024, throttle and brake [0, 1] / 255, power [0, 3000] W / 1, cadence [0, 250] / 0.5
constexpr float kAxisMin[5] = {-1, 0, 0, 0, 0};
constexpr float kAxisStep[5] = {2.0f / 1024, 1.0f / 255, 1.0f / 255, 1.0f, 0.5f};
constexpr int32_t kAxisSteps[5] = {1024, 255, 255, 3000, 500};

int32_t quant(float v, float min, float step, int32_t steps) {
  if (!std::isfinite(v)) return 0;
  const long q = std::lround((v - min) / step);
  return static_cast<int32_t>(std::clamp<long>(q, 0, steps));
}

void quantizeInput(const core::InputFrame& f, QuantInput& q) {
  const float axes[5] = {f.steer, f.throttle, f.brake, f.pedalPowerWatts, f.cadenceRpm};
  for (int i = 0; i < 5; ++i) q.axes[i] = quant(axes[i], kAxisMin[i], kAxisStep[i], kAxisSteps[i]);
  for (int h = 0; h < 2; ++h) {
    const core::HandInput& in = f.hands[h];
    QuantHand& out = q.hands[h];
    out = {};
    out.tracked = in.tracked;
    if (!in.tracked) continue;
    for (int a = 0; a < 3; ++a) out.position[a] = quant(in.position[a], -kHandRange, kHandStep, kHandSteps);
    packQuat(in.orientation, kHandRotationBits, out.largest, out.rotation);
    out.trigger = quant(in.trigger, 0, 1.0f / 255, 255);
    out.grip = quant(in.grip, 0, 1.0f / 255, 255);
  }
  q.buttons = f.buttons & 0xffffu;
}

void dequantizeInput(const QuantInput& q, core::InputFrame& f) {
  float* axes[5] = {&f.steer, &f.throttle, &f.brake, &f.pedalPowerWatts, &f.cadenceRpm};
  for (int i = 0; i < 5; ++i) *axes[i] = kAxisMin[i] + float(q.axes[i]) * kAxisStep[i];
  for (int h = 0; h < 2; ++h) {
    const QuantHand& in = q.hands[h];
    core::HandInput& out = f.hands[h];
    out = {};
    out.tracked = in.tracked;
    if (!in.tracked) continue;
    for (int a = 0; a < 3; ++a) out.position[a] = -kHandRange + float(in.position[a]) * kHandStep;
    out.orientation = unpackQuat(in.largest, in.rotation, kHandRotationBits);
    out.trigger = float(in.trigger) / 255;
    out.grip = float(in.grip) / 255;
  }
  f.buttons = q.buttons;
}

// One input against the one before it in the packet: unchanged parts cost a bit.
template <typename Stream>
bool serializeInput(Stream& s, QuantInput& cur, const QuantInput& prev) {
  bool same = cur == prev;
  if (!serializeBool(s, same)) return false;
  if (same) {
    if constexpr (Stream::kReading) cur = prev;
    return true;
  }
  bool axes = !std::equal(cur.axes, cur.axes + 5, prev.axes);
  if (!serializeBool(s, axes)) return false;
  for (int i = 0; i < 5; ++i) {
    if (axes) {
      if (!serializeInt(s, cur.axes[i], 0, kAxisSteps[i])) return false;
    } else if constexpr (Stream::kReading) {
      cur.axes[i] = prev.axes[i];
    }
  }
  for (int h = 0; h < 2; ++h) {
    QuantHand& c = cur.hands[h];
    const QuantHand& p = prev.hands[h];
    bool changed = !(c == p);
    if (!serializeBool(s, changed)) return false;
    if (!changed) {
      if constexpr (Stream::kReading) c = p;
      continue;
    }
    if (!serializeBool(s, c.tracked)) return false;
    if (!c.tracked) {
      if constexpr (Stream::kReading) c = QuantHand{};
      continue;
    }
    const int32_t posSteps[3] = {kHandSteps, kHandSteps, kHandSteps};
    const int32_t rotSteps[3] = {1023, 1023, 1023};
    if (!serializeDeltaInts(s, c.position, p.position, posSteps, 3, p.tracked)) return false;
    bool turned = !p.tracked || c.largest != p.largest || !std::equal(c.rotation, c.rotation + 3, p.rotation);
    if (!serializeBool(s, turned)) return false;
    if (!turned) {
      if constexpr (Stream::kReading) c.largest = p.largest, std::copy_n(p.rotation, 3, c.rotation);
    } else {
      bool sameLargest = p.tracked && c.largest == p.largest;
      if (!serializeBool(s, sameLargest)) return false;
      if (sameLargest) {
        if constexpr (Stream::kReading) c.largest = p.largest;
      } else if (!serializeBits(s, c.largest, 2)) {
        return false;
      }
      if (!serializeDeltaInts(s, c.rotation, p.rotation, rotSteps, 3, sameLargest)) return false;
    }
    bool squeezed = !p.tracked || c.trigger != p.trigger || c.grip != p.grip;
    if (!serializeBool(s, squeezed)) return false;
    if (!squeezed) {
      if constexpr (Stream::kReading) c.trigger = p.trigger, c.grip = p.grip;
    } else if (!serializeInt(s, c.trigger, 0, 255) || !serializeInt(s, c.grip, 0, 255)) {
      return false;
    }
  }
  bool buttons = cur.buttons != prev.buttons;
  if (!serializeBool(s, buttons)) return false;
  if (buttons) return serializeBits(s, cur.buttons, 16);
  if constexpr (Stream::kReading) cur.buttons = prev.buttons;
  return true;
}

template <typename Stream>
bool serializeInputs(Stream& s, Inputs& m) {
  if (!expectType(s, MessageType::Inputs) || !serializeInt(s, m.newestTick, 0, kMaxTick) ||
      !serializeInt(s, m.count, 1, kMaxInputsPerPacket) || !serializeInt(s, m.ackTick, 0, kMaxTick) ||
      !serializeInt(s, m.interpolationMs, 0, 4095) || !serializeInt(s, m.predictionErrorMm, 0, 65535) ||
      !serializeInt(s, m.snapshotLoss, 0, 1000) || !serializeInt(s, m.snapshotAgeMs, 0, 4095))
    return false;
  if (m.count > m.newestTick + 1) return false;  // no inputs before tick 0
  QuantInput prev, cur;
  for (uint32_t i = 0; i < m.count; ++i) {
    if constexpr (!Stream::kReading) quantizeInput(m.frames[i], cur);
    if (!serializeInput(s, cur, prev)) return false;
    if constexpr (Stream::kReading) dequantizeInput(cur, m.frames[i]);
    prev = cur;
  }
  return true;
}

template <typename Stream>
bool serializeSnapshotHeader(Stream& s, SnapshotHeader& h) {
  if (!expectType(s, MessageType::Snapshot) || !serializeInt(s, h.tick, 1, kMaxTick)) return false;
  bool delta = h.baselineTick != 0;
  if (!serializeBool(s, delta)) return false;
  int64_t back = delta ? int64_t(h.tick) - int64_t(h.baselineTick) : 0;
  if (delta && !serializeInt(s, back, 1, 65535)) return false;
  // The newest input held, relative to the tick: ahead when inputs arrive in time.
  int64_t lead = int64_t(h.inputTick) - int64_t(h.tick);
  bool hasInput = h.inputTick != 0;
  if (!serializeBool(s, hasInput)) return false;
  if (hasInput && !serializeInt(s, lead, -4096, 4095)) return false;
  if constexpr (Stream::kReading) {
    if (back >= int64_t(h.tick)) return false;
    h.baselineTick = delta ? h.tick - uint64_t(back) : 0;
    if (hasInput && int64_t(h.tick) + lead < 1) return false;
    h.inputTick = hasInput ? uint64_t(int64_t(h.tick) + lead) : 0;
  }
  return true;
}

}  // namespace

bool peekType(std::span<const uint8_t> in, MessageType& type) {
  BitReader r(in);
  return serializeType(r, type);
}

// ---- Handshake ---------------------------------------------------------------------------------

// The version comes first and a reader stops after one it does not speak: a future version's
// Hello is still read far enough to refuse it in words, and its rest may mean anything.
template <typename Stream>
bool serializeHello(Stream& s, Hello& m) {
  if (!expectType(s, MessageType::Hello) || !serializeBits(s, m.protocol, 32)) return false;
  if (m.protocol != kProtocolVersion) return true;
  if (!serializeString(s, m.title, kMaxTitleId) || !(Stream::kWriting || m.title.empty() || validTitle(m.title)) ||
      !serializeU64(s, m.resumeToken))
    return false;
  bool credential = m.hasConnectToken;
  if (!serializeBool(s, credential)) return false;
  if constexpr (Stream::kReading) m.hasConnectToken = credential;
  if (!credential) return true;
  for (uint8_t& byte : m.connectToken) {
    uint32_t b = byte;
    if (!serializeBits(s, b, 8)) return false;
    if constexpr (Stream::kReading) byte = uint8_t(b);
  }
  return true;
}

size_t encodeHello(const Hello& m, std::span<uint8_t> out) {
  Hello c = m;
  return encodeWith(out, [&](BitWriter& w) { return serializeHello(w, c); });
}

bool decodeHello(std::span<const uint8_t> in, Hello& m) {
  BitReader r(in);
  return serializeHello(r, m);
}

template <typename Stream>
bool serializeWelcome(Stream& s, Welcome& m) {
  return expectType(s, MessageType::Welcome) && serializeString(s, m.title, kMaxTitleId) &&
         (Stream::kWriting || validTitle(m.title)) && serializeInt(s, m.seat, 0, core::kMaxPlayers - 1) &&
         serializeU64(s, m.token) && serializeInt(s, m.players, 1, core::kMaxPlayers) &&
         serializeInt(s, m.seed, 0, kMaxTick) && serializeInt(s, m.skill, 0, 3) &&
         serializeInt(s, m.durationMs, 0, 24 * 3600 * 1000) && serializeInt(s, m.snapshotHz, 1, 1000) &&
         serializeInt(s, m.serverTick, 0, kMaxTick) && serializeInt(s, m.holdTicks, 0, kMaxTick) &&
         serializeInt(s, m.clockTick, 0, kMaxTick) && serializeInt(s, m.assists, 0, 2) && m.seat < m.players;
}

size_t encodeWelcome(const Welcome& m, std::span<uint8_t> out) {
  Welcome c = m;
  return encodeWith(out, [&](BitWriter& w) { return serializeWelcome(w, c); });
}

bool decodeWelcome(std::span<const uint8_t> in, Welcome& m) {
  BitReader r(in);
  return serializeWelcome(r, m);
}

template <typename Stream>
bool serializeRefused(Stream& s, Refused& m) {
  return expectType(s, MessageType::Refused) && serializeString(s, m.reason, kMaxReason);
}

size_t encodeRefused(const Refused& m, std::span<uint8_t> out) {
  Refused c = m;
  if (c.reason.size() > kMaxReason) c.reason.resize(kMaxReason);  // a reason is for people: cut, still sent
  return encodeWith(out, [&](BitWriter& w) { return serializeRefused(w, c); });
}

bool decodeRefused(std::span<const uint8_t> in, Refused& m) {
  BitReader r(in);
  return serializeRefused(r, m);
}

// ---- Per tick ----------------------------------------------------------------------------------

size_t encodeInputs(const Inputs& m, std::span<uint8_t> out) {
  if (m.count < 1 || m.count > kMaxInputsPerPacket) return 0;
  return encodeWith(out, [&](BitWriter& w) { return serializeInputs(w, const_cast<Inputs&>(m)); });
}

bool decodeInputs(std::span<const uint8_t> in, Inputs& m) {
  BitReader r(in);
  return serializeInputs(r, m);
}

size_t encodeSnapshot(const SnapshotHeader& h, const SnapshotCodec& codec, const QuantFrame& current,
                      const QuantFrame& baseline, std::span<uint8_t> out) {
  return encodeWith(out, [&](BitWriter& w) {
    return serializeSnapshotHeader(w, const_cast<SnapshotHeader&>(h)) && codec.encode(current, baseline, w);
  });
}

bool decodeSnapshotHeader(std::span<const uint8_t> in, SnapshotHeader& h) {
  BitReader r(in);
  return serializeSnapshotHeader(r, h);
}

bool decodeSnapshot(std::span<const uint8_t> in, const SnapshotCodec& codec, const QuantFrame& baseline,
                    SnapshotHeader& h, QuantFrame& out) {
  BitReader r(in);
  if (!serializeSnapshotHeader(r, h) || !codec.decode(r, baseline, out)) return false;
  out.tick = h.tick;
  return true;
}

template <typename Stream>
bool serializeEvent(Stream& s, Event& m) {
  return expectType(s, MessageType::Event) && serializeInt(s, m.tick, 0, kMaxTick) &&
         serializeInt(s, m.scalar, 0, core::kMaxScalars - 1) && serializeInt(s, m.value, -(1 << 20), 1 << 20);
}

size_t encodeEvent(const Event& m, std::span<uint8_t> out) {
  Event c = m;
  return encodeWith(out, [&](BitWriter& w) { return serializeEvent(w, c); });
}

bool decodeEvent(std::span<const uint8_t> in, Event& m) {
  BitReader r(in);
  return serializeEvent(r, m);
}

template <typename Stream>
bool serializeEnd(Stream& s, End& m) {
  return expectType(s, MessageType::End) && serializeString(s, m.results, kMaxResults);
}

size_t encodeEnd(const End& m, std::span<uint8_t> out) {
  End c = m;
  if (c.results.size() > kMaxResults) c.results.resize(kMaxResults);
  return encodeWith(out, [&](BitWriter& w) { return serializeEnd(w, c); });
}

bool decodeEnd(std::span<const uint8_t> in, End& m) {
  BitReader r(in);
  return serializeEnd(r, m);
}

}  // namespace pav::net
