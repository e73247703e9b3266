// Fuzz target: decodeSnapshotHeader and decodeSnapshot (the SnapshotCodec's body).
//
// Input: one selector byte (fuzz_common.h: schema, baseline, codec stages), then the packet.
// Properties of every packet that decodes:
//   - the header alone decodes the same; its ticks are in their ranges and consistent
//     (baseline before the tick and at most 65535 back, input tick within -4096..4095 of it);
//   - every quantized field is within [0, steps] of its schema field, `largest` is 0..3;
//   - dequantized, positions are inside the schema's box, velocities and scalars inside their
//     ranges, orientations unit quaternions, everything finite;
//   - re-encoding the decoded frame against the same baseline succeeds, measure() counts the
//     bits encode() writes, and decoding that gives the same header and QuantFrame (stable);
//   - the result does not depend on what the output frame held before decode;
//   - every object marked stale (a snapshot cut to the budget) holds the baseline's value, and
//     the marks survive the round trip.
// And of every packet: a body never decodes when its header does not.
#include <array>
#include <cstring>
#include <vector>

#include "fuzz_common.h"
#include "pav/net/protocol.h"

using namespace pav;
using namespace pav::net;

namespace {

struct Fixture {
  std::array<core::StateSchema, 2> schemas{fuzz::smallSchema(), fuzz::largeSchema()};
  std::vector<SnapshotCodec> codecs;       // one per selector (0..31), built once
  std::array<QuantFrame, 2> moving;        // the moving baseline of each schema
  std::array<std::array<int32_t, 3>, 2> positionSteps{};
  std::array<int32_t, 2> velocitySteps{}, angularSteps{};
  std::array<std::array<int32_t, core::kMaxScalars>, 2> scalarSteps{};

  Fixture() {
    codecs.reserve(32);
    for (int selector = 0; selector < 32; ++selector) {
      const fuzz::SnapshotCase c = fuzz::snapshotCase(uint8_t(selector));
      codecs.emplace_back(schemas[c.schema], c.options);
    }
    for (int s = 0; s < 2; ++s) {
      const SnapshotCodec& codec = codecs[s];
      codec.resize(moving[s]);
      codec.quantize(fuzz::movingFrame(schemas[s], fuzz::kBaselineTick), moving[s]);
      // The codec's steps, computed independently (snapshot.cpp keeps its own private).
      const core::StateSchema& sc = schemas[s];
      const auto steps = [](float min, float max, float resolution) {
        return int32_t(std::ceil((double(max) - double(min)) / double(resolution)));
      };
      for (int a = 0; a < 3; ++a) positionSteps[s][a] = steps(sc.positionMin[a], sc.positionMax[a], sc.positionResolution);
      velocitySteps[s] = sc.velocityMax > 0 ? steps(-sc.velocityMax, sc.velocityMax, sc.velocityResolution) : 0;
      angularSteps[s] = sc.angularMax > 0 ? steps(-sc.angularMax, sc.angularMax, sc.angularResolution) : 0;
      for (int i = 0; i < sc.scalarCount; ++i)
        scalarSteps[s][i] = steps(sc.scalars[i].min, sc.scalars[i].max, sc.scalars[i].resolution);
    }
  }
};

bool sameHeader(const SnapshotHeader& a, const SnapshotHeader& b) {
  return a.tick == b.tick && a.baselineTick == b.baselineTick && a.inputTick == b.inputTick;
}

// The fields this schema carries (the codec leaves the others alone when it lists every object).
bool sameCarried(const core::StateSchema& sc, const QuantFrame& a, const QuantFrame& b) {
  if (a.tick != b.tick || a.objects.size() != b.objects.size() || a.stale != b.stale) return false;
  for (size_t i = 0; i < a.objects.size(); ++i) {
    const QuantObject& x = a.objects[i];
    const QuantObject& y = b.objects[i];
    if (!std::equal(x.position, x.position + 3, y.position)) return false;
    if (sc.orientationBits && (x.largest != y.largest || !std::equal(x.rotation, x.rotation + 3, y.rotation)))
      return false;
    if (sc.velocityMax > 0 && !std::equal(x.velocity, x.velocity + 3, y.velocity)) return false;
    if (sc.angularMax > 0 && !std::equal(x.angular, x.angular + 3, y.angular)) return false;
  }
  return std::equal(a.scalars.begin(), a.scalars.begin() + sc.scalarCount, b.scalars.begin());
}

void checkHeader(const SnapshotHeader& h) {
  FUZZ_CHECK(h.tick >= 1 && h.tick <= fuzz::kMaxTick, "tick %llu", (unsigned long long)h.tick);
  FUZZ_CHECK(h.baselineTick == 0 || (h.baselineTick < h.tick && h.tick - h.baselineTick <= 65535),
             "baseline %llu for tick %llu", (unsigned long long)h.baselineTick, (unsigned long long)h.tick);
  const int64_t lead = int64_t(h.inputTick) - int64_t(h.tick);
  FUZZ_CHECK(h.inputTick == 0 || (lead >= -4096 && lead <= 4095), "input tick %llu for tick %llu",
             (unsigned long long)h.inputTick, (unsigned long long)h.tick);
}

void checkRanges(const Fixture& fx, int s, const QuantFrame& q) {
  const core::StateSchema& sc = fx.schemas[s];
  const int32_t rotationSteps = sc.orientationBits ? (1 << sc.orientationBits) - 1 : 0;
  FUZZ_CHECK(int(q.objects.size()) == sc.objects, "%zu objects", q.objects.size());
  for (size_t i = 0; i < q.objects.size(); ++i) {
    const QuantObject& o = q.objects[i];
    for (int a = 0; a < 3; ++a) {
      FUZZ_CHECK(o.position[a] >= 0 && o.position[a] <= fx.positionSteps[s][a], "object %zu position[%d] = %d",
                 i, a, o.position[a]);
      if (sc.orientationBits)
        FUZZ_CHECK(o.rotation[a] >= 0 && o.rotation[a] <= rotationSteps, "object %zu rotation[%d] = %d", i, a,
                   o.rotation[a]);
      if (fx.velocitySteps[s])
        FUZZ_CHECK(o.velocity[a] >= 0 && o.velocity[a] <= fx.velocitySteps[s], "object %zu velocity[%d] = %d", i,
                   a, o.velocity[a]);
      if (fx.angularSteps[s])
        FUZZ_CHECK(o.angular[a] >= 0 && o.angular[a] <= fx.angularSteps[s], "object %zu angular[%d] = %d", i, a,
                   o.angular[a]);
    }
    FUZZ_CHECK(o.largest <= 3, "object %zu largest = %u", i, o.largest);
  }
  for (int i = 0; i < sc.scalarCount; ++i)
    FUZZ_CHECK(q.scalars[i] >= 0 && q.scalars[i] <= fx.scalarSteps[s][i], "scalar %d = %d", i, q.scalars[i]);
}

void checkDequantized(const core::StateSchema& sc, const SnapshotCodec& codec, const QuantFrame& q) {
  core::StateFrame f;
  f.resize(sc);
  codec.dequantize(q, f);
  for (size_t i = 0; i < f.objects.size(); ++i) {
    const core::ObjectState& o = f.objects[i];
    for (int a = 0; a < 3; ++a) {
      FUZZ_CHECK(std::isfinite(o.position[a]) && o.position[a] >= sc.positionMin[a] && o.position[a] <= sc.positionMax[a],
                 "object %zu position[%d] = %.9g outside [%.9g, %.9g]", i, a, o.position[a], sc.positionMin[a],
                 sc.positionMax[a]);
      FUZZ_CHECK(std::isfinite(o.velocity[a]) && std::fabs(o.velocity[a]) <= sc.velocityMax,
                 "object %zu velocity[%d] = %.9g (max %.9g)", i, a, o.velocity[a], sc.velocityMax);
      FUZZ_CHECK(std::isfinite(o.angularVelocity[a]) && std::fabs(o.angularVelocity[a]) <= sc.angularMax,
                 "object %zu angular[%d] = %.9g (max %.9g)", i, a, o.angularVelocity[a], sc.angularMax);
    }
    FUZZ_CHECK(fuzz::unitQuat(o.orientation), "object %zu orientation (%g %g %g %g) is not a unit quaternion", i,
               o.orientation.w, o.orientation.x, o.orientation.y, o.orientation.z);
  }
  for (int i = 0; i < sc.scalarCount; ++i)
    FUZZ_CHECK(std::isfinite(f.scalars[i]) && f.scalars[i] >= sc.scalars[i].min && f.scalars[i] <= sc.scalars[i].max,
               "scalar %d = %.9g outside [%.9g, %.9g]", i, f.scalars[i], sc.scalars[i].min, sc.scalars[i].max);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture fx;
  if (size < 1) return 0;
  const uint8_t selector = data[0] & 31;
  const fuzz::SnapshotCase c = fuzz::snapshotCase(selector);
  const SnapshotCodec& codec = fx.codecs[selector];
  const core::StateSchema& sc = fx.schemas[c.schema];
  const QuantFrame& baseline = c.movingBaseline ? fx.moving[c.schema] : codec.defaults();
  const std::span<const uint8_t> packet(data + 1, size - 1);

  SnapshotHeader header;
  const bool headerOk = decodeSnapshotHeader(packet, header);
  if (headerOk) checkHeader(header);

  SnapshotHeader h1;
  QuantFrame q1;
  codec.resize(q1);
  const bool ok = decodeSnapshot(packet, codec, baseline, h1, q1);
  if (!ok) return 0;

  FUZZ_CHECK(headerOk && sameHeader(header, h1), "decodeSnapshot accepted a packet whose header alone %s",
             headerOk ? "decodes differently" : "does not decode");
  FUZZ_CHECK(q1.tick == h1.tick, "frame tick %llu, header tick %llu", (unsigned long long)q1.tick,
             (unsigned long long)h1.tick);
  checkRanges(fx, c.schema, q1);
  checkDequantized(sc, codec, q1);
  FUZZ_CHECK(q1.stale.size() == q1.objects.size(), "%zu stale marks for %zu objects", q1.stale.size(), q1.objects.size());
  for (size_t i = 0; i < q1.objects.size(); ++i)
    FUZZ_CHECK(!q1.stale[i] || q1.objects[i] == baseline.objects[i], "object %zu is stale but not the baseline's", i);

  // The same packet into a frame that held something else: the same frame comes out.
  {
    SnapshotHeader h;
    QuantFrame stale = fx.moving[c.schema];
    for (QuantObject& o : stale.objects) o.position[0] = o.position[0] / 2 + 1;
    const bool again = decodeSnapshot(packet, codec, baseline, h, stale);
    FUZZ_CHECK(again && sameCarried(sc, stale, q1), "decode depends on the output frame's previous contents");
  }

  // Round trip: encode what was decoded, against the same baseline; decode it again.
  static std::vector<uint8_t> buffer(1 << 16), body(1 << 16);
  const size_t bytes = encodeSnapshot(h1, codec, q1, baseline, buffer);
  FUZZ_CHECK(bytes > 0, "a decoded snapshot does not encode (%zu bytes in)", packet.size());
  {
    BitWriter w(body);
    MeasureStream m;
    FUZZ_CHECK(codec.encode(q1, baseline, w), "the body does not encode");
    codec.measure(q1, baseline, m);
    FUZZ_CHECK(m.bits() == w.bitsWritten(), "measure() says %zu bits, encode() wrote %zu", m.bits(),
               w.bitsWritten());
  }
  SnapshotHeader h2;
  QuantFrame q2;
  codec.resize(q2);
  const bool ok2 = decodeSnapshot(std::span<const uint8_t>(buffer.data(), bytes), codec, baseline, h2, q2);
  FUZZ_CHECK(ok2, "a re-encoded snapshot (%zu bytes) does not decode", bytes);
  FUZZ_CHECK(sameHeader(h1, h2), "header changed in the round trip: tick %llu/%llu baseline %llu/%llu input %llu/%llu",
             (unsigned long long)h1.tick, (unsigned long long)h2.tick, (unsigned long long)h1.baselineTick,
             (unsigned long long)h2.baselineTick, (unsigned long long)h1.inputTick, (unsigned long long)h2.inputTick);
  FUZZ_CHECK(sameCarried(sc, q1, q2), "the QuantFrame changed in the round trip");
  return 0;
}
