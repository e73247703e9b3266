// Fuzz target: decodeInputs, the one message a station sends every tick.
//
// Input: the packet. Properties of every packet that decodes:
//   - peekType says Inputs;
//   - count is 1..kMaxInputsPerPacket and no input is before tick 0; the ticks and the link
//     stats are inside the ranges protocol.cpp writes them with;
//   - each of the `count` frames has every axis inside its quantized range (steer -1..1,
//     throttle and brake 0..1, power 0..3000 W, cadence 0..250 rpm), buttons in 16 bits, and
//     each hand either untracked and all defaults, or tracked with a position inside +/-4 m,
//     a unit orientation and trigger and grip in 0..1; everything finite;
//   - the result does not depend on what the message held before decode;
//   - re-encoding the decoded message succeeds and decodes to the same values (orientations to
//     the same rotation within the 10-bit precision: smallest-three values a hostile packet
//     picks need not be the ones packQuat would pick).
#include <cstring>
#include <vector>

#include "fuzz_common.h"
#include "pav/net/protocol.h"

using namespace pav;
using namespace pav::net;

namespace {

void checkRange(float v, float lo, float hi, const char* what, uint32_t frame) {
  FUZZ_CHECK(std::isfinite(v) && v >= lo && v <= hi, "frame %u %s = %.9g outside [%g, %g]", frame, what, v, lo, hi);
}

void checkFrame(const core::InputFrame& f, uint32_t i) {
  checkRange(f.steer, -1, 1, "steer", i);
  checkRange(f.throttle, 0, 1, "throttle", i);
  checkRange(f.brake, 0, 1, "brake", i);
  checkRange(f.pedalPowerWatts, 0, 3000, "power", i);
  checkRange(f.cadenceRpm, 0, 250, "cadence", i);
  FUZZ_CHECK(f.buttons <= 0xffffu, "frame %u buttons 0x%x beyond 16 bits", i, f.buttons);
  for (int h = 0; h < 2; ++h) {
    const core::HandInput& hand = f.hands[h];
    if (!hand.tracked) {
      const core::HandInput none{};
      FUZZ_CHECK(hand.position == none.position && hand.orientation == none.orientation && hand.trigger == 0 &&
                     hand.grip == 0,
                 "frame %u hand %d is untracked but not at its defaults", i, h);
      continue;
    }
    for (int a = 0; a < 3; ++a) checkRange(hand.position[a], -4, 4, "hand position", i);
    checkRange(hand.trigger, 0, 1, "trigger", i);
    checkRange(hand.grip, 0, 1, "grip", i);
    FUZZ_CHECK(fuzz::unitQuat(hand.orientation), "frame %u hand %d orientation (%g %g %g %g) not a unit quaternion",
               i, h, hand.orientation.w, hand.orientation.x, hand.orientation.y, hand.orientation.z);
  }
}

// Every field exactly, except orientations: the same rotation within `tolerance` (0: exact).
bool sameFrame(const core::InputFrame& a, const core::InputFrame& b, float tolerance) {
  if (a.steer != b.steer || a.throttle != b.throttle || a.brake != b.brake || a.pedalPowerWatts != b.pedalPowerWatts ||
      a.cadenceRpm != b.cadenceRpm || a.buttons != b.buttons)
    return false;
  for (int h = 0; h < 2; ++h) {
    const core::HandInput& x = a.hands[h];
    const core::HandInput& y = b.hands[h];
    if (x.tracked != y.tracked || x.position != y.position || x.trigger != y.trigger || x.grip != y.grip) return false;
    if (tolerance == 0 ? !(x.orientation == y.orientation) : !fuzz::sameRotation(x.orientation, y.orientation, tolerance))
      return false;
  }
  return true;
}

bool sameHeader(const Inputs& a, const Inputs& b) {
  return a.newestTick == b.newestTick && a.count == b.count && a.ackTick == b.ackTick &&
         a.interpolationMs == b.interpolationMs && a.predictionErrorMm == b.predictionErrorMm &&
         a.snapshotLoss == b.snapshotLoss;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> packet(data, size);
  Inputs m;
  if (!decodeInputs(packet, m)) return 0;

  MessageType type{};
  FUZZ_CHECK(peekType(packet, type) && type == MessageType::Inputs, "decoded as Inputs, peekType says %d", int(type));
  FUZZ_CHECK(m.count >= 1 && m.count <= uint32_t(kMaxInputsPerPacket), "count %u", m.count);
  FUZZ_CHECK(m.newestTick <= fuzz::kMaxTick && m.count <= m.newestTick + 1, "count %u at newest tick %llu", m.count,
             (unsigned long long)m.newestTick);
  FUZZ_CHECK(m.ackTick <= fuzz::kMaxTick, "ack tick %llu", (unsigned long long)m.ackTick);
  FUZZ_CHECK(m.interpolationMs <= 4095 && m.predictionErrorMm <= 65535 && m.snapshotLoss <= 1000,
             "stats %u ms, %u mm, %u per mille", m.interpolationMs, m.predictionErrorMm, m.snapshotLoss);
  for (uint32_t i = 0; i < m.count; ++i) checkFrame(m.frames[i], i);

  // Decoding into a message that held other values gives the same message.
  {
    Inputs stale;
    stale.newestTick = stale.ackTick = 77;
    stale.count = stale.interpolationMs = stale.predictionErrorMm = stale.snapshotLoss = 5;
    for (core::InputFrame& f : stale.frames) {
      f.steer = f.throttle = f.brake = f.pedalPowerWatts = f.cadenceRpm = 0.25f;
      f.buttons = 0xdead;
      for (core::HandInput& h : f.hands) h = {glm::vec3(0.5f), glm::quat(0.5f, 0.5f, 0.5f, 0.5f), 0.5f, 0.5f, true};
    }
    FUZZ_CHECK(decodeInputs(packet, stale) && sameHeader(m, stale), "decode depends on the message's previous contents");
    for (uint32_t i = 0; i < m.count; ++i)
      FUZZ_CHECK(sameFrame(m.frames[i], stale.frames[i], 0), "frame %u depends on the message's previous contents", i);
  }

  // Round trip through encodeInputs (a big buffer: the fuzzer's packet may be longer than an MTU).
  static std::vector<uint8_t> buffer(1 << 16);
  const size_t bytes = encodeInputs(m, buffer);
  FUZZ_CHECK(bytes > 0, "a decoded Inputs (count %u) does not encode", m.count);
  Inputs m2;
  FUZZ_CHECK(decodeInputs(std::span<const uint8_t>(buffer.data(), bytes), m2), "a re-encoded Inputs does not decode");
  FUZZ_CHECK(sameHeader(m, m2), "the header changed in the round trip");
  for (uint32_t i = 0; i < m.count; ++i)
    FUZZ_CHECK(sameFrame(m.frames[i], m2.frames[i], 1e-4f), "frame %u changed in the round trip", i);
  return 0;
}
