// Snapshots cut to a budget: the codec's stale marks on the wire, the priority accumulator
// choosing what fits (with the real codec measuring the real packets), and the station's
// interpolation buffer drawing objects a snapshot left out.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "pav/net/interpolation.h"
#include "pav/net/priority.h"
#include "pav/net/protocol.h"
#include "pav/net/snapshot.h"

namespace pav::net {
namespace {

// A 12 m x 4 m x 12 m box, 1 mm steps, velocities: a plausible venue of 12 moving objects.
core::StateSchema movingSchema(int objects) {
  core::StateSchema s;
  s.objects = objects;
  s.positionMin = glm::vec3(-6, 0, -6);
  s.positionMax = glm::vec3(6, 4, 6);
  s.positionResolution = 0.001f;
  s.orientationBits = 9;
  s.velocityMax = 20;
  s.velocityResolution = 0.01f;
  return s;
}

// Object i sits on a line away from object 0 (the seat's own), i metres out, and moves each
// tick at its own speed: the far ones slow, the near ones faster.
void world(core::StateFrame& f, uint64_t tick, int objects) {
  f.tick = tick;
  for (int i = 0; i < objects; ++i) {
    core::ObjectState& o = f.objects[size_t(i)];
    const float speed = i == 0 ? 1.0f : 6.0f / float(i);
    o.position = glm::vec3(-5.5f + 0.9f * float(i), 1.0f + 0.1f * std::sin(float(tick) * 0.05f * speed), 0.0f);
    o.velocity = glm::vec3(0, speed, 0);
    o.orientation = glm::angleAxis(float(tick) * 0.01f * speed, glm::vec3(0, 1, 0));
  }
}

TEST(SnapshotStale, StaleMarksRoundTripAndHoldTheBaseline) {
  const core::StateSchema schema = movingSchema(12);
  SnapshotCodec codec(schema);
  core::StateFrame f0, f1;
  f0.resize(schema);
  f1.resize(schema);
  world(f0, 10, 12);
  world(f1, 18, 12);
  QuantFrame base, cur, out;
  codec.resize(base);
  codec.resize(cur);
  codec.resize(out);
  codec.quantize(f0, base);
  codec.quantize(f1, cur);
  // Objects 3, 4 and 11 left out: they keep the baseline's value and are marked.
  for (int i : {3, 4, 11}) cur.objects[size_t(i)] = base.objects[size_t(i)], cur.stale[size_t(i)] = 1;
  std::array<uint8_t, kMaxPacketBytes> buf{};
  const size_t n = encodeSnapshot({18, 10, 0}, codec, cur, base, buf);
  ASSERT_GT(n, 0u);
  SnapshotHeader h;
  ASSERT_TRUE(decodeSnapshot(std::span<const uint8_t>(buf.data(), n), codec, base, h, out));
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(out.stale[size_t(i)], (i == 3 || i == 4 || i == 11) ? 1 : 0) << i;
    EXPECT_EQ(out.objects[size_t(i)], cur.objects[size_t(i)]) << i;
  }
  // A whole snapshot says so in one bit: decoding it clears marks left in the output frame.
  std::fill(cur.stale.begin(), cur.stale.end(), uint8_t(0));
  codec.quantize(f1, cur);
  const size_t whole = encodeSnapshot({18, 10, 0}, codec, cur, base, buf);
  ASSERT_TRUE(decodeSnapshot(std::span<const uint8_t>(buf.data(), whole), codec, base, h, out));
  EXPECT_EQ(std::count(out.stale.begin(), out.stale.end(), uint8_t(1)), 0);
  // The encoder refuses a stale object that differs from the baseline (it would be written).
  cur.stale[5] = 1;
  EXPECT_EQ(encodeSnapshot({18, 10, 0}, codec, cur, base, buf), 0u);
}

// The server's loop in small: every snapshot the station is due, the prioritizer accumulates,
// the whole snapshot is tried against the room, else cut to fit; the station decodes what was
// sent, and that becomes the next baseline (every snapshot acknowledged).
struct Sending {
  static constexpr int kObjects = 12;
  core::StateSchema schema = movingSchema(kObjects);
  SnapshotCodec codec{schema};
  SnapshotPrioritizer prio{schema};
  core::StateFrame frame;
  QuantFrame current, baseline, out, decoded;
  std::array<uint8_t, kMaxPacketBytes> buf{};
  std::vector<uint64_t> lastWritten = std::vector<uint64_t>(kObjects, 0);
  std::vector<uint64_t> writes = std::vector<uint64_t>(kObjects, 0), longestWait = std::vector<uint64_t>(kObjects, 0);
  uint64_t partial = 0, skipped = 0, maxBytes = 0;

  Sending() {
    frame.resize(schema);
    for (QuantFrame* q : {&current, &baseline, &out, &decoded}) codec.resize(*q);
  }
  // `room` payload bytes per snapshot.
  void run(int snapshots, size_t room) {
    for (int k = 1; k <= snapshots; ++k) {
      const uint64_t tick = uint64_t(k) * 8;
      world(frame, tick, kObjects);
      codec.quantize(frame, current);
      const SnapshotHeader h{tick, k > 1 ? tick - 8 : 0, 0};
      const QuantFrame& base = k > 1 ? baseline : codec.defaults();
      prio.accumulate(frame, current, base, 0);
      size_t n = encodeSnapshot(h, codec, current, base, buf);
      const QuantFrame* sent = &current;
      if (n > room) {
        const int written = prio.fit(current, base, 0, out, [&](const QuantFrame& f) {
          const size_t m = encodeSnapshot(h, codec, f, base, buf);
          return m > 0 && m <= room;
        });
        if (written < 0) {
          ++skipped;
          continue;
        }
        ++partial;
        sent = &out;
        n = encodeSnapshot(h, codec, out, base, buf);
      } else {
        prio.wroteAll();
      }
      ASSERT_GT(n, 0u);
      ASSERT_LE(n, room);
      maxBytes = std::max<uint64_t>(maxBytes, n);
      SnapshotHeader got;
      ASSERT_TRUE(decodeSnapshot(std::span<const uint8_t>(buf.data(), n), codec, base, got, decoded));
      for (int i = 0; i < kObjects; ++i) {
        ASSERT_EQ(decoded.objects[size_t(i)], sent->objects[size_t(i)]);  // both sides hold the same
        if (decoded.stale[size_t(i)]) continue;
        ASSERT_EQ(decoded.objects[size_t(i)], current.objects[size_t(i)]) << "object " << i << " carried but not current";
        ++writes[size_t(i)];
        longestWait[size_t(i)] = std::max(longestWait[size_t(i)], uint64_t(k) - lastWritten[size_t(i)]);
        lastWritten[size_t(i)] = uint64_t(k);
      }
      baseline = decoded;
      baseline.tick = tick;
    }
  }
};

TEST(SnapshotPriority, UnderATightBudgetEveryObjectIsUpdatedWithinABoundAndTheNearOnesMoreOften) {
  Sending whole;
  whole.run(40, kMaxPacketBytes);  // what a snapshot of all 12 costs, every one written
  EXPECT_EQ(whole.partial, 0u);
  const uint64_t wholeBytes = whole.maxBytes;
  ASSERT_GT(wholeBytes, 40u);

  // A third of that: the own object and a few more fit each time.
  Sending cut;
  const size_t room = size_t(wholeBytes / 3);
  cut.run(600, room);
  EXPECT_EQ(cut.skipped, 0u);
  EXPECT_GT(cut.partial, 550u);
  EXPECT_EQ(cut.writes[0], 600u) << "the seat's own object goes in every snapshot";
  // Every object is updated, none waits longer than the bound of priority.h.
  const auto bound = uint64_t(2 * SnapshotPrioritizer::kMaxWeight * (Sending::kObjects - 2));
  for (int i = 1; i < Sending::kObjects; ++i) {
    EXPECT_GT(cut.writes[size_t(i)], 20u) << "object " << i;
    EXPECT_LE(cut.longestWait[size_t(i)], bound) << "object " << i;
    EXPECT_LE(cut.longestWait[size_t(i)], 12u) << "object " << i << ": measured 9 at most (deterministic)";
  }
  // The nearest and fastest (object 1) far more often than the farthest and slowest (11).
  EXPECT_GT(cut.writes[1], cut.writes[11] * 2) << cut.writes[1] << " vs " << cut.writes[11];
  for (int i = 2; i < Sending::kObjects; ++i) EXPECT_GE(cut.writes[1], cut.writes[size_t(i)]) << "object " << i;
  ::testing::Test::RecordProperty("writes_near", int(cut.writes[1]));
  ::testing::Test::RecordProperty("writes_far", int(cut.writes[11]));
  std::printf("room %zu of %llu bytes: writes near %llu far %llu, longest waits near %llu far %llu (bound %llu)\n",
              room, (unsigned long long)wholeBytes, (unsigned long long)cut.writes[1],
              (unsigned long long)cut.writes[11], (unsigned long long)cut.longestWait[1],
              (unsigned long long)cut.longestWait[11], (unsigned long long)bound);
}

TEST(SnapshotPriority, TooLittleRoomForTheOwnObjectSkipsAndKeepsThePriorities) {
  Sending s;
  s.run(10, 8);  // 8 bytes: not even the header and the own object
  EXPECT_EQ(s.skipped, 10u);
  EXPECT_EQ(s.partial, 0u);
  EXPECT_GE(s.prio.priority(5), 10.0f);  // ten snapshots of weight >= 1 each
}

// The station's side: an object a frame does not carry is drawn from the frames that did.
TEST(InterpolationStale, AStaleObjectIsDrawnFromTheFramesThatCarriedIt) {
  core::StateSchema schema = movingSchema(2);
  schema.velocityMax = 0;  // straight lines: positions easy to check
  const double rate = 100, interval = 0.1;  // a frame every 10 ticks
  InterpolationBuffer buffer(schema, rate, interval);
  core::StateFrame f, out;
  f.resize(schema);
  out.resize(schema);
  std::vector<uint8_t> stale(2, 0);
  // Object 0 moves 1 m per frame and is carried by every frame. Object 1 moves 1 m per frame
  // too, but frames 20 and 30 leave it out (they hold its older value, 1.0).
  for (uint64_t tick : {10u, 20u, 30u, 40u}) {
    f.tick = tick;
    f.objects[0].position = glm::vec3(float(tick) / 10.0f, 1, 0);
    const bool carried = tick == 10 || tick == 40;
    stale[1] = carried ? 0 : 1;
    f.objects[1].position = glm::vec3(carried ? float(tick) / 10.0f : 1.0f, 1, 0);
    buffer.push(f, 0, 0, &stale);
  }
  ASSERT_TRUE(buffer.sample(0.25, out));  // between frames 20 and 30
  EXPECT_NEAR(out.objects[0].position.x, 2.5f, 1e-4f);
  EXPECT_NEAR(out.objects[1].position.x, 2.5f, 1e-4f) << "between frames 10 and 40, not the stale 1.0";
  EXPECT_DOUBLE_EQ(buffer.lastExtrapolation(1), 0.0);

  // The newest frame leaves object 1 out: past frame 40 it moves on from frame 40 (without
  // velocities, it holds there), and its extrapolation counts from frame 40.
  f.tick = 50;
  f.objects[0].position = glm::vec3(5, 1, 0);
  f.objects[1].position = glm::vec3(4, 1, 0);
  stale[1] = 1;
  buffer.push(f, 0, 0, &stale);
  ASSERT_TRUE(buffer.sample(0.45, out));
  EXPECT_NEAR(out.objects[0].position.x, 4.5f, 1e-4f);
  EXPECT_NEAR(out.objects[1].position.x, 4.0f, 1e-4f);
  EXPECT_NEAR(buffer.lastExtrapolation(1), 0.05, 1e-9);
  EXPECT_DOUBLE_EQ(buffer.lastExtrapolation(0), 0.0);
  EXPECT_DOUBLE_EQ(buffer.lastExtrapolation(), 0.0);
}

TEST(InterpolationStale, AStaleObjectWithVelocitiesMovesOnForAtMost100msThenHolds) {
  const core::StateSchema schema = movingSchema(2);
  InterpolationBuffer buffer(schema, 100, 0.1);
  core::StateFrame f, out;
  f.resize(schema);
  out.resize(schema);
  std::vector<uint8_t> stale(2, 0);
  for (uint64_t tick : {10u, 20u, 30u, 40u, 50u}) {
    f.tick = tick;
    stale[1] = tick > 20 ? 1 : 0;  // object 1 last carried at tick 20, at x = 2 moving 10 m/s
    for (int i = 0; i < 2; ++i) {
      f.objects[size_t(i)].velocity = glm::vec3(10, 0, 0);
      f.objects[size_t(i)].position = glm::vec3(float(stale[size_t(i)] ? 2 : tick / 10), 1, 0);
    }
    buffer.push(f, 0, 0, &stale);
  }
  ASSERT_TRUE(buffer.sample(0.25, out));  // 50 ms past its newest carrying frame
  EXPECT_NEAR(out.objects[1].position.x, 2.5f, 1e-3f);
  ASSERT_TRUE(buffer.sample(0.45, out));  // 250 ms past: it held after 100 ms
  EXPECT_NEAR(out.objects[1].position.x, 3.0f, 1e-3f);
  EXPECT_NEAR(buffer.lastExtrapolation(1), 0.25, 1e-9);
  EXPECT_NEAR(out.objects[0].position.x, 4.5f, 1e-2f);  // object 0 interpolated as ever
}

}  // namespace
}  // namespace pav::net
