// The protocol's messages: each round-trips, each refuses truncated and out-of-range input.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <vector>

#include "pav/net/protocol.h"

namespace pav::net {
namespace {

core::InputFrame handInput(float x, float z) {
  core::InputFrame f;
  f.hands[1].tracked = true;
  f.hands[1].position = {x, 0.02f, z};
  f.hands[1].trigger = 0.5f;
  f.steer = -0.25f;
  f.throttle = 0.8f;
  f.pedalPowerWatts = 250;
  f.cadenceRpm = 90;
  return f;
}

TEST(Protocol, InputsRoundTripWithinTheirStepsAndCostLittleWhenSmooth) {
  Inputs m;
  m.newestTick = 1000;
  m.count = kMaxInputsPerPacket;
  m.ackTick = 992;
  m.interpolationMs = 25;
  for (uint32_t i = 0; i < m.count; ++i) m.frames[i] = handInput(-0.5f + 0.01f * float(i), 0.1f);
  std::array<uint8_t, kMaxPacketBytes> buf{};
  const size_t n = encodeInputs(m, buf);
  ASSERT_GT(n, 0u);
  EXPECT_LT(n, 250u) << "32 inputs of a hand moving 1 cm a tick";
  Inputs back;
  ASSERT_TRUE(decodeInputs(std::span<const uint8_t>(buf.data(), n), back));
  EXPECT_EQ(back.newestTick, 1000u);
  EXPECT_EQ(back.count, m.count);
  EXPECT_EQ(back.ackTick, 992u);
  for (uint32_t i = 0; i < m.count; ++i) {
    EXPECT_NEAR(back.frames[i].hands[1].position.x, m.frames[i].hands[1].position.x, 0.00026f);
    EXPECT_TRUE(back.frames[i].hands[1].tracked);
    EXPECT_FALSE(back.frames[i].hands[0].tracked);
    EXPECT_NEAR(back.frames[i].steer, -0.25f, 1.0f / 1024);
    EXPECT_NEAR(back.frames[i].pedalPowerWatts, 250, 0.5f);
  }
  for (size_t cut = 0; cut + 1 < n; ++cut)
    EXPECT_FALSE(decodeInputs(std::span<const uint8_t>(buf.data(), cut), back)) << cut;
}

TEST(Protocol, HandshakeAndEventsRoundTrip) {
  std::array<uint8_t, 2048> buf{};
  Welcome w{.title = "hockey", .seat = 1, .token = 77, .players = 2, .seed = 9, .skill = 2, .durationMs = 20000, .snapshotHz = 60, .serverTick = 5,
            .holdTicks = 1560, .clockTick = 1565, .assists = 2};
  size_t n = encodeWelcome(w, buf);
  Welcome wb;
  ASSERT_TRUE(decodeWelcome(std::span<const uint8_t>(buf.data(), n), wb));
  EXPECT_EQ(wb.seat, 1u);
  EXPECT_EQ(wb.token, 77u);
  EXPECT_EQ(wb.title, "hockey");
  EXPECT_EQ(wb.durationMs, 20000u);
  EXPECT_EQ(wb.holdTicks, 1560u);
  EXPECT_EQ(wb.clockTick, 1565u);
  EXPECT_EQ(wb.assists, 2u);
  w.assists = 3;  // no such preset
  n = encodeWelcome(w, buf);
  EXPECT_FALSE(n && decodeWelcome(std::span<const uint8_t>(buf.data(), n), wb));
  w.assists = 2;
  w.seat = 2;  // a seat the session does not have
  n = encodeWelcome(w, buf);
  EXPECT_FALSE(n && decodeWelcome(std::span<const uint8_t>(buf.data(), n), wb));
  Hello h{kProtocolVersion, "hockey", 42};
  n = encodeHello(h, buf);
  Hello hb;
  ASSERT_TRUE(decodeHello(std::span<const uint8_t>(buf.data(), n), hb));
  EXPECT_EQ(hb.resumeToken, 42u);
  n = encodeEvent({480, 2, 3}, buf);
  Event e;
  ASSERT_TRUE(decodeEvent(std::span<const uint8_t>(buf.data(), n), e));
  EXPECT_EQ(e.scalar, 2u);
  EXPECT_EQ(e.value, 3);
  n = encodeEnd({std::string(5000, 'x')}, buf);
  End end;
  ASSERT_TRUE(decodeEnd(std::span<const uint8_t>(buf.data(), n), end));
  EXPECT_EQ(end.results.size(), kMaxResults) << "long results are cut, not refused";
  MessageType t{};
  EXPECT_FALSE(peekType({}, t));
  const uint8_t unknown[] = {0xff};
  EXPECT_FALSE(peekType(unknown, t));
}

// Hello, Refused and End go through one serialize function each, like the per-tick messages:
// what the writer refuses, the reader refuses too, and a future Hello stops after its version.
TEST(Protocol, HandshakeMessagesShareOneSerializePath) {
  std::array<uint8_t, kMaxPacketBytes> buf{};
  const auto sent = [&](size_t n) { return std::span<const uint8_t>(buf.data(), n); };

  size_t n = encodeHello({kProtocolVersion + 1, "hockey", 42}, buf);
  ASSERT_GT(n, 0u);
  EXPECT_EQ(n, 5u) << "type (3 bits) and version (32 bits) only: the rest is the new version's";
  Hello future;
  ASSERT_TRUE(decodeHello(sent(n), future));
  EXPECT_EQ(future.protocol, kProtocolVersion + 1);
  EXPECT_TRUE(future.title.empty());
  EXPECT_EQ(future.resumeToken, 0u);

  // (A too-long or non-id title: tests/net/transport_test.cpp, Handshake.)
  n = encodeHello({kProtocolVersion, "", 7}, buf);
  Hello any;
  ASSERT_TRUE(decodeHello(sent(n), any));
  EXPECT_TRUE(any.title.empty());
  EXPECT_EQ(any.resumeToken, 7u);
  EXPECT_FALSE(decodeHello(sent(n - 1), any)) << "a Hello cut short";

  n = encodeRefused({std::string(500, 'r')}, buf);
  Refused refused;
  ASSERT_TRUE(decodeRefused(sent(n), refused));
  EXPECT_EQ(refused.reason, std::string(kMaxReason, 'r')) << "a long reason is cut, still sent";
  EXPECT_FALSE(decodeRefused(sent(n - 1), refused));
  End end;
  EXPECT_FALSE(decodeEnd(sent(n), end)) << "a Refused is not an End";

  n = encodeEnd({R"({"title":"hockey","score":[1,0]})"}, buf);
  ASSERT_TRUE(decodeEnd(sent(n), end));
  EXPECT_EQ(end.results, R"({"title":"hockey","score":[1,0]})");
  EXPECT_FALSE(decodeRefused(sent(n), refused)) << "an End is not a Refused";
}

TEST(Protocol, SnapshotHeadersKeepBaselinesBehindTheirTick) {
  core::StateSchema schema;
  schema.objects = 2;
  SnapshotCodec codec(schema);
  QuantFrame cur, out;
  codec.resize(cur);
  codec.resize(out);
  std::array<uint8_t, 256> buf{};
  const size_t n = encodeSnapshot({100, 92, 104}, codec, cur, codec.defaults(), buf);
  ASSERT_GT(n, 0u);
  SnapshotHeader h;
  ASSERT_TRUE(decodeSnapshot(std::span<const uint8_t>(buf.data(), n), codec, codec.defaults(), h, out));
  EXPECT_EQ(h.tick, 100u);
  EXPECT_EQ(h.baselineTick, 92u);
  EXPECT_EQ(h.inputTick, 104u);
  EXPECT_EQ(encodeSnapshot({100, 100, 0}, codec, cur, codec.defaults(), buf), 0u) << "a baseline is older";
}

TEST(Protocol, RandomBytesNeverDecodeToOutOfRangeMessages) {
  std::mt19937_64 rng(21);
  std::vector<uint8_t> junk(600);
  Inputs in;
  Welcome w;
  Event e;
  SnapshotHeader h;
  int accepted = 0;
  for (int i = 0; i < 50000; ++i) {
    const size_t len = rng() % junk.size();
    for (size_t k = 0; k < len; ++k) junk[k] = uint8_t(rng());
    junk[0] = uint8_t((junk[0] & 0xf8) | (1 + rng() % kLastMessageType));  // a plausible type
    const std::span<const uint8_t> p(junk.data(), len);
    if (decodeInputs(p, in)) {
      ++accepted;
      ASSERT_GE(in.count, 1u);
      ASSERT_LE(in.count, uint32_t(kMaxInputsPerPacket));
      for (uint32_t k = 0; k < in.count; ++k) {
        ASSERT_LE(std::abs(in.frames[k].steer), 1.0f);
        ASSERT_LE(std::abs(in.frames[k].hands[1].position.x), 4.0f);
      }
    }
    if (decodeWelcome(p, w)) {
      ASSERT_LT(w.seat, w.players);
    }
    if (decodeEvent(p, e)) {
      ASSERT_LT(e.scalar, uint32_t(core::kMaxScalars));
    }
    if (decodeSnapshotHeader(p, h)) {
      ASSERT_TRUE(h.baselineTick == 0 || h.baselineTick < h.tick);
    }
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace pav::net
