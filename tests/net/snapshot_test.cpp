// The snapshot codec: every stage round-trips exactly (in quantized units) against any
// baseline; dequantized values are within half a step of the truth; unchanged objects cost a
// bit or nothing; truncated and random packets fail cleanly or decode to in-range values.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "pav/core/error.h"
#include "pav/net/snapshot.h"

namespace pav::net {
namespace {

core::StateSchema testSchema(int objects) {
  core::StateSchema s;
  s.objects = objects;
  s.positionMin = {-20, 0, -20};
  s.positionMax = {20, 5, 20};
  s.positionResolution = 0.001f;
  s.orientationBits = 11;
  s.velocityMax = 30;
  s.velocityResolution = 0.01f;
  s.angularMax = 20;
  s.angularResolution = 0.02f;
  s.addScalar({"score", 0, 7, 1});
  s.addScalar({"clock", 0, 600, 0.01f});
  s.addScalar({"goals", 0, 20, 1, true});
  return s;
}

void randomFrame(std::mt19937_64& rng, const core::StateSchema& s, core::StateFrame& f) {
  std::uniform_real_distribution<float> unit(0, 1), sym(-1, 1);
  f.tick = rng() % 100000;
  for (core::ObjectState& o : f.objects) {
    for (int a = 0; a < 3; ++a) {
      o.position[a] = s.positionMin[a] + unit(rng) * (s.positionMax[a] - s.positionMin[a]);
      o.velocity[a] = sym(rng) * s.velocityMax;
      o.angularVelocity[a] = sym(rng) * s.angularMax;
    }
    o.orientation = glm::normalize(glm::quat(sym(rng), sym(rng), sym(rng), sym(rng)));
  }
  for (int i = 0; i < s.scalarCount; ++i)
    f.scalars[i] = s.scalars[i].min + std::round(unit(rng) * (s.scalars[i].max - s.scalars[i].min));
}

// Moves a few objects of `f` a little: what consecutive snapshots of a game look like.
void perturb(std::mt19937_64& rng, core::StateFrame& f, int moved) {
  std::uniform_real_distribution<float> small(-0.05f, 0.05f);
  for (int k = 0; k < moved; ++k) {
    core::ObjectState& o = f.objects[rng() % f.objects.size()];
    o.position += glm::vec3(small(rng), small(rng) * 0.1f, small(rng));
    o.orientation = glm::normalize(o.orientation * glm::quat(1, small(rng), small(rng), small(rng)));
    o.velocity.x += small(rng);
  }
}

struct Codecs {
  std::vector<CodecOptions> all;
  Codecs() {
    for (int bits = 0; bits < 8; ++bits) all.push_back({bool(bits & 1), bool(bits & 2), bool(bits & 4)});
  }
};

bool roundTrip(const SnapshotCodec& codec, const QuantFrame& cur, const QuantFrame& base, QuantFrame& out,
               size_t* bytes = nullptr) {
  std::vector<uint8_t> buffer(64 * 1024);
  BitWriter w(buffer);
  if (!codec.encode(cur, base, w)) return false;
  w.flush();
  MeasureStream m;
  codec.measure(cur, base, m);
  EXPECT_EQ(m.bits(), w.bitsWritten());
  if (bytes) *bytes = w.bytes();
  BitReader r(w.data());
  return codec.decode(r, base, out);
}

TEST(Snapshot, EveryStageRoundTripsExactlyAgainstAnyBaseline) {
  const core::StateSchema schema = testSchema(40);
  std::mt19937_64 rng(11);
  core::StateFrame truth, baseTruth;
  truth.resize(schema);
  baseTruth.resize(schema);
  for (CodecOptions options : Codecs().all) {
    SnapshotCodec codec(schema, options);
    QuantFrame cur, base, out;
    codec.resize(cur);
    codec.resize(base);
    codec.resize(out);
    for (int trial = 0; trial < 200; ++trial) {
      randomFrame(rng, schema, baseTruth);
      truth = baseTruth;
      perturb(rng, truth, trial % 7 == 0 ? 40 : int(trial % 5));
      if (trial % 3 == 0) randomFrame(rng, schema, truth);  // far from the baseline
      codec.quantize(truth, cur);
      codec.quantize(baseTruth, base);
      const QuantFrame& baseline = trial % 4 == 0 ? codec.defaults() : base;
      ASSERT_TRUE(roundTrip(codec, cur, baseline, out));
      ASSERT_TRUE(out.objects == cur.objects) << "trial " << trial;
      for (int i = 0; i < schema.scalarCount; ++i) ASSERT_EQ(out.scalars[i], cur.scalars[i]);
    }
  }
}

TEST(Snapshot, DequantizedValuesAreWithinHalfAStep) {
  const core::StateSchema schema = testSchema(64);
  SnapshotCodec codec(schema);
  std::mt19937_64 rng(5);
  core::StateFrame truth, back;
  truth.resize(schema);
  back.resize(schema);
  QuantFrame q;
  codec.resize(q);
  float worstPos = 0, worstVel = 0, worstAngle = 0;
  for (int trial = 0; trial < 100; ++trial) {
    randomFrame(rng, schema, truth);
    codec.quantize(truth, q);
    codec.dequantize(q, back);
    for (size_t i = 0; i < truth.objects.size(); ++i) {
      const core::ObjectState &a = truth.objects[i], &b = back.objects[i];
      for (int k = 0; k < 3; ++k) {
        worstPos = std::max(worstPos, std::abs(a.position[k] - b.position[k]));
        worstVel = std::max(worstVel, std::abs(a.velocity[k] - b.velocity[k]));
      }
      const float dot = std::min(1.0f, std::abs(glm::dot(a.orientation, b.orientation)));
      worstAngle = std::max(worstAngle, glm::degrees(2 * std::acos(dot)));
    }
    for (int i = 0; i < schema.scalarCount; ++i)
      ASSERT_NEAR(back.scalars[i], truth.scalars[i], schema.scalars[i].resolution * 0.5f + 1e-4f);
  }
  EXPECT_LE(worstPos, schema.positionResolution * 0.5f + 2e-6f);  // float rounding at 20 m
  EXPECT_LE(worstVel, schema.velocityResolution * 0.5f + 2e-6f);
  EXPECT_LT(worstAngle, 0.12f);  // 11 bits per smallest-three component
  EXPECT_GT(worstPos, schema.positionResolution * 0.3f);  // the test sees real rounding
}

TEST(Snapshot, UnchangedObjectsCostABitOrNothing) {
  const core::StateSchema schema = testSchema(900);
  std::mt19937_64 rng(3);
  core::StateFrame truth;
  truth.resize(schema);
  randomFrame(rng, schema, truth);
  QuantFrame q, out;
  size_t fullBytes = 0, sameBytes = 0, oneBytes = 0, bitBytes = 0;
  {
    SnapshotCodec codec(schema);
    codec.resize(q);
    codec.resize(out);
    codec.quantize(truth, q);
    ASSERT_TRUE(roundTrip(codec, q, codec.defaults(), out, &fullBytes));
    ASSERT_TRUE(roundTrip(codec, q, q, out, &sameBytes));
    QuantFrame moved = q;
    moved.objects[450].position[0] += 3;
    ASSERT_TRUE(roundTrip(codec, moved, q, out, &oneBytes));
    EXPECT_EQ(out.objects[450].position[0], q.objects[450].position[0] + 3);
  }
  {
    SnapshotCodec codec(schema, {.unchangedBit = true, .relativeIndex = false, .delta = true});
    ASSERT_TRUE(roundTrip(codec, q, q, out, &bitBytes));
  }
  EXPECT_GT(fullBytes, 900u * 20);  // every object absolute: position, rotation, velocities
  EXPECT_LE(sameBytes, 3u + 1u);    // a count of zero and three unchanged scalars
  EXPECT_LE(oneBytes, 8u);          // one index, one small position delta
  EXPECT_EQ(bitBytes, (900 + 3 + 7) / 8);
}

TEST(Snapshot, TruncatedPacketsFailAtEveryLength) {
  const core::StateSchema schema = testSchema(30);
  SnapshotCodec codec(schema);
  std::mt19937_64 rng(9);
  core::StateFrame truth;
  truth.resize(schema);
  randomFrame(rng, schema, truth);
  QuantFrame q, out;
  codec.resize(q);
  codec.resize(out);
  codec.quantize(truth, q);
  std::vector<uint8_t> buffer(8192);
  BitWriter w(buffer);
  ASSERT_TRUE(codec.encode(q, codec.defaults(), w));
  w.flush();
  for (size_t len = 0; len + 1 < w.bytes(); ++len) {
    BitReader r(std::span<const uint8_t>(buffer.data(), len));
    EXPECT_FALSE(codec.decode(r, codec.defaults(), out)) << "length " << len;
  }
  // A full writer is reported, never overrun.
  std::array<uint8_t, 16> tiny{};
  BitWriter small(tiny);
  EXPECT_FALSE(codec.encode(q, codec.defaults(), small));
}

TEST(Snapshot, RandomPacketsFailOrDecodeInsideTheSchema) {
  const core::StateSchema schema = testSchema(12);
  std::mt19937_64 rng(77);
  std::vector<uint8_t> junk(1024);
  core::StateFrame back;
  back.resize(schema);
  for (CodecOptions options : Codecs().all) {
    SnapshotCodec codec(schema, options);
    QuantFrame out, valid;
    codec.resize(out);
    codec.resize(valid);
    core::StateFrame truth;
    truth.resize(schema);
    randomFrame(rng, schema, truth);
    codec.quantize(truth, valid);
    BitWriter w(junk);
    ASSERT_TRUE(codec.encode(valid, codec.defaults(), w));
    w.flush();
    const size_t validBytes = w.bytes();
    int decoded = 0;
    for (int i = 0; i < 20000; ++i) {
      // Half pure noise, half a valid packet with a few bits flipped and maybe cut short.
      size_t len = rng() % junk.size();
      if (i % 2) {
        for (size_t k = 0; k < len; ++k) junk[k] = uint8_t(rng());
      } else {
        BitWriter again(junk);
        codec.encode(valid, codec.defaults(), again);
        again.flush();
        for (int flips = 1 + int(rng() % 4); flips > 0; --flips) junk[rng() % validBytes] ^= uint8_t(1u << (rng() % 8));
        len = validBytes - (rng() % 3 == 0 ? rng() % validBytes : 0);
      }
      BitReader r(std::span<const uint8_t>(junk.data(), len));
      if (!codec.decode(r, codec.defaults(), out)) continue;
      ++decoded;
      codec.dequantize(out, back);
      for (const core::ObjectState& o : back.objects) {
        for (int a = 0; a < 3; ++a) {
          ASSERT_GE(o.position[a], schema.positionMin[a]);
          ASSERT_LE(o.position[a], schema.positionMax[a]);
          ASSERT_LE(std::abs(o.velocity[a]), schema.velocityMax);
          ASSERT_LE(std::abs(o.angularVelocity[a]), schema.angularMax);
        }
        ASSERT_NEAR(glm::length(o.orientation), 1.0f, 1e-4f);
      }
      for (int k = 0; k < schema.scalarCount; ++k) {
        ASSERT_GE(back.scalars[k], schema.scalars[k].min);
        ASSERT_LE(back.scalars[k], schema.scalars[k].max);
      }
    }
    EXPECT_GT(decoded, 0);  // the loop really reached the range checks
  }
}

TEST(Snapshot, BadSchemasAreRefusedWithAReason) {
  core::StateSchema s = testSchema(4);
  s.positionResolution = 0;
  EXPECT_THROW(SnapshotCodec{s}, Error);
  s = testSchema(4);
  s.positionResolution = 1e-9f;
  EXPECT_THROW(SnapshotCodec{s}, Error);
  s = testSchema(core::kMaxObjects + 1);
  EXPECT_THROW(SnapshotCodec{s}, Error);
}

}  // namespace
}  // namespace pav::net
