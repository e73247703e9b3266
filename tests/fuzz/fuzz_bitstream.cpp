// Fuzz target: the serialize primitives of bitstream.h read from arbitrary bytes, driven by a
// small program in the input itself, so every primitive meets every bit alignment.
//
// Input: [n - 1][n op bytes][packet]. An op byte b is a primitive (b % 6) and its argument
// (b / 6): raw bits of a width, a bool, an integer range, a float range, three delta-coded
// integers against a baseline, or a smallest-three quaternion of 2..16 bits.
// Properties:
//   - the reader never claims more bits than the packet has (bitsRead + bitsLeft == 8 * size);
//   - every value read is inside its declared range (floats finite, on the range's grid, and
//     inside it; quaternions unit length);
//   - writing the values read back, with the same ops, succeeds; MeasureStream counts the bits
//     the writer writes; without delta ops that is exactly the bits read; and reading the
//     written bits gives the same values (quaternions: the same rotation).
#include <array>
#include <vector>

#include "fuzz_common.h"
#include "pav/net/bitstream.h"

using namespace pav;
using namespace pav::net;

namespace {

struct IntRange {
  int64_t min, max;
};
constexpr IntRange kIntRanges[] = {
    {0, 0},           {1, 7},         {-4096, 4095},     {0, (int64_t(1) << 40) - 1}, {-(1 << 20), 1 << 20},
    {0, 0xffffffffll}, {INT32_MIN, INT32_MAX}, {-(int64_t(1) << 62), (int64_t(1) << 62) - 1}, {5, 1005}, {0, 65535},
};
struct FloatRange {
  float min, max, resolution;
};
// The header's own example, the input axes' ranges, and two ranges that are not whole steps.
constexpr FloatRange kFloatRanges[] = {
    {-10, 10, 0.001f}, {0, 1, 1.0f / 255}, {-1, 1, 2.0f / 1024}, {0, 3000, 1},
    {-4, 4, 0.0005f},  {0, 250, 0.5f},     {0, 1, 0.3f},         {-15, 15, 0.07f},
};
constexpr std::array<int32_t, 3> kDeltaSteps[] = {{1023, 1023, 1023}, {16000, 16000, 16000}, {0, 5, 2000}, {1, 1, 1}};

enum Kind { kBits, kBool, kInt, kFloat, kDelta, kQuat, kKinds };

struct Op {
  Kind kind;
  int arg;
};

struct Value {
  uint32_t bits = 0;
  bool flag = false;
  int64_t integer = 0;
  float real = 0;
  std::array<int32_t, 3> ints{};
  glm::quat quat{1, 0, 0, 0};
};

std::array<int32_t, 3> deltaBase(const std::array<int32_t, 3>& steps) {
  return {steps[0] / 3, steps[1] / 2, steps[2]};
}

// One op on any stream; `v` is read into or written from.
template <typename Stream>
bool apply(Stream& s, const Op& op, Value& v) {
  switch (op.kind) {
    case kBits: return serializeBits(s, v.bits, 1 + op.arg % 32);
    case kBool: return serializeBool(s, v.flag);
    case kInt: {
      const IntRange& r = kIntRanges[op.arg % std::size(kIntRanges)];
      return serializeInt(s, v.integer, r.min, r.max);
    }
    case kFloat: {
      const FloatRange& r = kFloatRanges[op.arg % std::size(kFloatRanges)];
      return serializeFloat(s, v.real, r.min, r.max, r.resolution);
    }
    case kDelta: {
      const auto& steps = kDeltaSteps[op.arg % std::size(kDeltaSteps)];
      const auto base = deltaBase(steps);
      const bool delta = (op.arg / std::size(kDeltaSteps)) & 1;
      return serializeDeltaInts(s, v.ints.data(), base.data(), steps.data(), 3, delta);
    }
    case kQuat: return serializeQuat(s, v.quat, 2 + op.arg % 15);
    default: return false;
  }
}

bool isDelta(const Op& op) { return op.kind == kDelta && ((op.arg / std::size(kDeltaSteps)) & 1); }

void checkValue(const Op& op, const Value& v, int index) {
  switch (op.kind) {
    case kBits: {
      const int width = 1 + op.arg % 32;
      FUZZ_CHECK(width == 32 || v.bits < (1u << width), "op %d: %u in %d bits", index, v.bits, width);
      break;
    }
    case kBool: break;
    case kInt: {
      const IntRange& r = kIntRanges[op.arg % std::size(kIntRanges)];
      FUZZ_CHECK(v.integer >= r.min && v.integer <= r.max, "op %d: %lld outside [%lld, %lld]", index,
                 (long long)v.integer, (long long)r.min, (long long)r.max);
      break;
    }
    case kFloat: {
      const FloatRange& r = kFloatRanges[op.arg % std::size(kFloatRanges)];
      FUZZ_CHECK(std::isfinite(v.real) && v.real >= r.min && v.real <= r.max, "op %d: %.9g outside [%g, %g]", index,
                 v.real, r.min, r.max);
      break;
    }
    case kDelta: {
      const auto& steps = kDeltaSteps[op.arg % std::size(kDeltaSteps)];
      for (int i = 0; i < 3; ++i)
        FUZZ_CHECK(v.ints[i] >= 0 && v.ints[i] <= steps[i], "op %d: component %d = %d outside [0, %d]", index, i,
                   v.ints[i], steps[i]);
      break;
    }
    case kQuat:
      FUZZ_CHECK(fuzz::unitQuat(v.quat), "op %d: quaternion (%g %g %g %g) of %d bits not unit length", index, v.quat.w,
                 v.quat.x, v.quat.y, v.quat.z, 2 + op.arg % 15);
      break;
    default: break;
  }
}

bool sameValue(const Op& op, const Value& a, const Value& b) {
  switch (op.kind) {
    case kBits: return a.bits == b.bits;
    case kBool: return a.flag == b.flag;
    case kInt: return a.integer == b.integer;
    // Exact: a range that is not a whole number of steps has max itself as its last step,
    // and every value read writes back to the step it came from.
    case kFloat: return a.real == b.real;
    case kDelta: return a.ints == b.ints;
    // The 2-bit quaternion is coarse: +/- 0.7 per component. Any width keeps it a rotation
    // near the one read; 8 bits and up keep it within a degree or so.
    case kQuat: return fuzz::sameRotation(a.quat, b.quat, 2 + op.arg % 15 >= 8 ? 1e-3f : 0.5f);
    default: return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t n = 1 + data[0] % 24;
  if (size < 1 + n) return 0;
  std::array<Op, 24> ops;
  for (size_t i = 0; i < n; ++i) ops[i] = {Kind(data[1 + i] % kKinds), data[1 + i] / kKinds};
  const std::span<const uint8_t> packet(data + 1 + n, size - 1 - n);

  // Read until an op fails (a short or out-of-range packet).
  std::array<Value, 24> values{};
  BitReader r(packet);
  size_t done = 0;
  bool anyDelta = false;
  for (; done < n; ++done) {
    const size_t before = r.bitsRead();
    const bool ok = apply(r, ops[done], values[done]);
    FUZZ_CHECK(r.bitsRead() + r.bitsLeft() == packet.size() * 8, "reader at %zu + %zu bits of %zu", r.bitsRead(),
               r.bitsLeft(), packet.size() * 8);
    FUZZ_CHECK(r.bitsRead() >= before, "the reader went backwards");
    if (!ok) break;
    checkValue(ops[done], values[done], int(done));
    anyDelta = anyDelta || isDelta(ops[done]);
  }
  const size_t bitsRead = r.bitsRead();  // only meaningful with every op read
  if (done == 0) return 0;

  // Write what was read; measure it; read it back.
  std::array<uint8_t, 2048> out{};
  BitWriter w(out);
  MeasureStream m;
  for (size_t i = 0; i < done; ++i) {
    Value v = values[i];
    FUZZ_CHECK(apply(w, ops[i], v), "op %zu: a value read does not write back", i);
    Value mv = values[i];
    apply(m, ops[i], mv);
  }
  w.flush();
  FUZZ_CHECK(!w.overflowed() && m.bits() == w.bitsWritten(), "measured %zu bits, wrote %zu", m.bits(),
             w.bitsWritten());
  if (done == n && !anyDelta)
    FUZZ_CHECK(w.bitsWritten() == bitsRead, "read %zu bits, wrote %zu for the same values", bitsRead,
               w.bitsWritten());
  BitReader again(w.data());
  for (size_t i = 0; i < done; ++i) {
    Value v;
    FUZZ_CHECK(apply(again, ops[i], v), "op %zu: what was written does not read back", i);
    FUZZ_CHECK(sameValue(ops[i], values[i], v), "op %zu (kind %d, arg %d): the value changed in the round trip", i,
               int(ops[i].kind), ops[i].arg);
  }
  return 0;
}
