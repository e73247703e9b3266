// The cycling title's networked state: the schema fits the ride, capture and apply agree, a
// station that takes a server's frame (quantized as the network does) keeps riding the same
// ride, every value of a whole ride fits the schema's ranges, and a rewind and replay counts
// each rise once and leaves the bots pedalling as they would have.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "pav/core/state.h"
#include "pav/cycling/cycling.h"
#include "pav/net/snapshot.h"

namespace pav::cycling {
namespace {

// ---- helpers -----------------------------------------------------------------------------------

struct Ride {
  CyclingTitle title;
  std::vector<pav::core::InputFrame> inputs;
  pav::core::StateSchema schema;
  pav::core::StateFrame frame;
  explicit Ride(int players = 8, uint64_t seed = 5) {
    pav::core::TitleSetup setup;
    setup.players = players;
    setup.seed = seed;
    setup.skill = 1;
    setup.durationSeconds = 900;  // a quarter of an hour: the ride is cut to fit it
    setup.dataDir = PAV_TEST_ASSET_DIR;
    title.setup(setup);
    inputs.resize(size_t(players));
    title.describe(schema);
    frame.resize(schema);
  }
  void bots() {
    for (int p = 0; p < title.players(); ++p) title.botInput(p, inputs[size_t(p)]);
  }
  void botTicks(int n) {
    for (int i = 0; i < n; ++i) bots(), title.step(inputs);
  }
  const pav::core::StateFrame& capture() {
    title.capture(frame);
    return frame;
  }
};

// A frame as a station receives it: through the real snapshot codec's quantization.
pav::core::StateFrame quantized(const pav::core::StateFrame& in, const pav::core::StateSchema& s) {
  const pav::net::SnapshotCodec codec(s);
  pav::net::QuantFrame q;
  codec.resize(q);
  codec.quantize(in, q);
  pav::core::StateFrame out = in;
  codec.dequantize(q, out);
  return out;
}

void expectSameFrame(const pav::core::StateFrame& a, const pav::core::StateFrame& b, int scalars) {
  EXPECT_EQ(a.tick, b.tick);
  ASSERT_EQ(a.objects.size(), b.objects.size());
  for (size_t i = 0; i < a.objects.size(); ++i) {
    const pav::core::ObjectState &x = a.objects[i], &y = b.objects[i];
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(x.position[k], y.position[k], 1e-5f) << "rider " << i;
      EXPECT_NEAR(x.velocity[k], y.velocity[k], 1e-5f) << "rider " << i;
    }
    for (int k = 0; k < 4; ++k)
      EXPECT_NEAR(x.orientation[k], y.orientation[k], 1e-5f) << "rider " << i;
  }
  for (int i = 0; i < scalars; ++i)
    EXPECT_EQ(a.scalars[size_t(i)], b.scalars[size_t(i)]) << "scalar " << i;
}

void expectInside(const pav::core::StateFrame& f, const pav::core::StateSchema& s) {
  for (size_t i = 0; i < f.objects.size(); ++i) {
    const pav::core::ObjectState& o = f.objects[i];
    for (int k = 0; k < 3; ++k) {
      ASSERT_GE(o.position[k], s.positionMin[k]) << "rider " << i << " tick " << f.tick;
      ASSERT_LE(o.position[k], s.positionMax[k]) << "rider " << i << " tick " << f.tick;
      ASSERT_LE(std::fabs(o.velocity[k]), s.velocityMax) << "rider " << i << " tick " << f.tick;
    }
  }
  for (int i = 0; i < s.scalarCount; ++i) {
    const pav::core::ScalarField& field = s.scalars[size_t(i)];
    ASSERT_GE(f.scalars[size_t(i)], field.min) << field.name << " tick " << f.tick;
    ASSERT_LE(f.scalars[size_t(i)], field.max) << field.name << " tick " << f.tick;
  }
}

// The schema in a few lines, for the log (what a snapshot is made of).
void printSchema(const pav::core::StateSchema& s, int scalarsEach) {
  std::printf(
      "schema: %d objects in [%.1f %.1f %.1f] .. [%.1f %.1f %.1f] m to %.4f m; orientation %d "
      "bits; "
      "velocity +/-%.0f m/s to %.3f; spin +/-%.0f rad/s to %.3f; %d scalars, the first object's:\n",
      s.objects, s.positionMin.x, s.positionMin.y, s.positionMin.z, s.positionMax.x,
      s.positionMax.y, s.positionMax.z, s.positionResolution, s.orientationBits, s.velocityMax,
      s.velocityResolution, s.angularMax, s.angularResolution, s.scalarCount);
  for (size_t i = 0; i < size_t(scalarsEach); ++i) {
    const pav::core::ScalarField& f = s.scalars[i];
    std::printf("  %s: %.4f .. %.4f to %.6f%s\n", std::string(f.name).c_str(), f.min, f.max,
                f.resolution, f.counter ? " (counter)" : "");
  }
}

// ---- the schema --------------------------------------------------------------------------------

TEST(CyclingState, TheSchemaHasARiderPerSeatAndFourScalarsEach) {
  for (int players : {1, 3, 8}) {
    Ride ride(players);
    const pav::core::StateSchema& s = ride.schema;
    const Route& route = ride.title.route();
    if (players == 8) printSchema(s, 4);
    EXPECT_EQ(s.objects, players);
    EXPECT_EQ(s.scalarCount, 4 * players);  // distance, speed, time, effort
    EXPECT_LE(s.positionResolution, 0.002f);
    EXPECT_LE(s.velocityResolution, 0.05f);
    EXPECT_GT(s.orientationBits, 0) << "riders pitch with the road";
    EXPECT_EQ(s.angularMax, 0.0f);
    // Faster than a flat-out sprint down the steepest descent, slower than a falling stone.
    double steepest = 0;
    for (uint32_t i = 0; i + 1 < route.points().size(); ++i)
      steepest = std::min(steepest, route.gradeOf(i));
    EXPECT_GT(s.velocityMax, steadySpeed(RiderParams{}, Environment{}, steepest, 1500));
    EXPECT_LT(s.velocityMax, 40.0f);
    // The whole road, both edges, in the box: x east, y the elevation, z south.
    for (const RoutePoint& point : route.points()) {
      const RoadFrame f = route.frameAt(point.distanceM);
      for (double across : {-double(kRoadHalfWidthM), double(kRoadHalfWidthM)}) {
        const glm::vec3 at(f.centre + across * f.right);
        for (int a = 0; a < 3; ++a) {
          EXPECT_GT(at[a], s.positionMin[a]) << "axis " << a << " at " << point.distanceM << " m";
          EXPECT_LT(at[a], s.positionMax[a]) << "axis " << a << " at " << point.distanceM << " m";
        }
      }
    }
    for (int i = 0; i < s.scalarCount; ++i) {
      const pav::core::ScalarField& f = s.scalars[size_t(i)];
      EXPECT_FALSE(f.name.empty());
      EXPECT_LT(f.min, f.max) << f.name;
      EXPECT_LT((f.max - f.min) / f.resolution, float(1 << 30))
          << f.name << ": too fine for the codec";
    }
    for (int a = 0; a < 3; ++a)
      EXPECT_LT((s.positionMax[a] - s.positionMin[a]) / s.positionResolution, float(1 << 30));
    for (int seat = 0; seat < players; ++seat) EXPECT_EQ(ride.title.ownObject(seat), seat);
    EXPECT_EQ(ride.title.ownObject(players), -1);
    EXPECT_EQ(ride.title.ownObject(-1), -1);
  }
}

TEST(CyclingState, ObjectsAreTheRidersAsDrawn) {
  Ride ride(2);
  ride.title.placeRider(1, 2000, 6);  // on the climb
  const pav::core::StateFrame& f = ride.capture();
  const Route& route = ride.title.route();
  const RoadFrame road = route.frameAt(2000);
  // On the road in the scene, in seat 1's lane: that far right of the road's middle.
  const glm::vec3 lane1(road.centre + laneCentreM(1) * road.right);
  EXPECT_NEAR(glm::distance(f.objects[1].position, lane1), 0.0f, 2e-3f);
  EXPECT_NEAR(f.objects[1].position.y, route.elevationAt(2000), 1e-3);
  const glm::vec3 along = f.objects[1].orientation * glm::vec3(1, 0, 0);
  const double flat = std::hypot(along.x, along.z);
  EXPECT_NEAR(along.y / flat, route.gradeAt(2000), 1e-5) << "pitched with the road";
  EXPECT_NEAR(glm::dot(glm::dvec3(along.x, 0, along.z) / flat, road.forward), 1.0, 1e-6) << "heading along it";
  EXPECT_NEAR(glm::length(f.objects[1].velocity), 6.0f, 1e-5f);
  const glm::vec3 v = f.objects[1].velocity;
  EXPECT_NEAR(v.y / std::hypot(v.x, v.z), route.gradeAt(2000), 1e-5);
}

// ---- capture and apply -------------------------------------------------------------------------

TEST(CyclingState, ApplyThenCaptureGivesBackTheFrame) {
  Ride a;
  a.botTicks(3 * 60);
  const pav::core::StateFrame sent = a.capture();
  // Set up the same, ridden differently: seat 0 stays put, the others sprint.
  Ride b;
  for (pav::core::InputFrame& in : b.inputs) in.pedalPowerWatts = 600;
  b.inputs[0].pedalPowerWatts = 0;
  for (int t = 0; t < 60; ++t) b.title.step(b.inputs);
  b.title.apply(sent);
  EXPECT_EQ(b.title.tick(), a.title.tick());
  expectSameFrame(sent, b.capture(), a.schema.scalarCount);
  for (int p = 0; p < 8; ++p) {
    const RiderStats x = a.title.stats(p), y = b.title.stats(p);
    EXPECT_NEAR(x.distanceM, y.distanceM, 1e-4) << "rider " << p;
    EXPECT_NEAR(x.climbedM, y.climbedM, 0.01) << "rider " << p;
    EXPECT_DOUBLE_EQ(x.cdaFactor, y.cdaFactor) << "rider " << p << ": the same shelter";
    EXPECT_EQ(x.finished, y.finished) << "rider " << p;
    EXPECT_DOUBLE_EQ(a.title.trainerParams(p).grade, b.title.trainerParams(p).grade)
        << "rider " << p;
    // The bots' noise follows the seed and the tick: they pedal as the server's do.
    pav::core::InputFrame ia, ib;
    a.title.botInput(p, ia);
    b.title.botInput(p, ib);
    EXPECT_NEAR(ia.pedalPowerWatts, ib.pedalPowerWatts, 1e-3f) << "rider " << p;
  }
}

// Title A rides `ticks`; title B (set up the same) takes A's frame, rounded as the network
// rounds it when `quantize`; both ride 120 ticks (2 s) more with the inputs A's bots choose.
// Returns the largest distance between a rider in A and the same rider in B over those ticks.
double continuationError(int ticks, bool quantize) {
  Ride a;
  a.botTicks(ticks);
  Ride b;
  b.title.apply(quantize ? quantized(a.capture(), a.schema) : a.capture());
  for (int p = 0; p < 8 && !quantize; ++p) {
    pav::core::InputFrame ia, ib;
    a.title.botInput(p, ia);
    b.title.botInput(p, ib);
    EXPECT_NEAR(ia.pedalPowerWatts, ib.pedalPowerWatts, 1e-3f)
        << "rider " << p << ": the bots' noise at tick " << ticks;
  }
  double worst = 0;
  for (int t = 0; t < 120; ++t) {
    a.bots();
    a.title.step(a.inputs);
    b.title.step(a.inputs);
    for (int p = 0; p < 8; ++p)
      worst = std::max(worst, std::abs(a.title.stats(p).distanceM - b.title.stats(p).distanceM));
  }
  return worst;
}

// Measured (seed 5, eight medium bots): exact frames 0.000 / 0.030 / 0.114 mm (a float holds
// 3 km to a quarter of a millimetre), quantized 0.76 / 1.13 / 0.96 mm: half a millimetre of
// distance plus half a millimetre per second of speed for 2 s. Without the speed a rider ends
// 4-15 m off; speed rounded to 0.01 m/s instead of 0.001 puts riders 7-8 mm off, to 0.05 m/s
// 40-43 mm: the bound is what the chosen resolution allows, with room to spare.
TEST(CyclingState, AStationContinuesTheServersRideFromAQuantizedFrame) {
  // Off the start (3 s), in the bunch on the valley road (2 min), on the climb (6 min, past the
  // noise's memory, so a fresh station rebuilds it from the seed).
  for (int seconds : {3, 120, 360}) {
    const double exact = continuationError(seconds * 60, false);
    const double rounded = continuationError(seconds * 60, true);
    std::printf(
        "continuation from %3d s: largest rider distance error over 2 s %.3f mm (exact frame), "
        "%.3f mm (quantized)\n",
        seconds, exact * 1000, rounded * 1000);
    EXPECT_LT(exact, 0.001) << "from " << seconds << " s";
    EXPECT_LT(rounded, 0.005) << "from " << seconds << " s";
  }
}

// ---- a whole ride against the schema -----------------------------------------------------------

TEST(CyclingState, AWholeRideStaysInsideTheSchemaAndEveryFrameRoundTrips) {
  Ride a;
  Ride b;  // a station's copy, taking a frame every second
  double fastest = 0;
  while (!a.title.finished()) {
    a.botTicks(1);
    const pav::core::StateFrame& f = a.capture();
    expectInside(f, a.schema);
    if (HasFatalFailure()) return;
    for (int p = 0; p < 8; ++p) fastest = std::max(fastest, a.title.stats(p).speedMs);
    if (f.tick % 60 == 0) {
      b.title.apply(f);
      expectSameFrame(f, b.capture(), a.schema.scalarCount);
      if (HasFailure()) FAIL() << "round trip at tick " << f.tick;
    }
  }
  std::printf("whole ride (%llu ticks): fastest rider %.2f m/s (schema %.0f)\n",
              (unsigned long long)a.title.tick(), fastest, a.schema.velocityMax);
  // The last frame has everyone over the line; a station that takes it shows the same results.
  b.title.apply(a.capture());
  EXPECT_TRUE(b.title.finished());
  for (int p = 0; p < 8; ++p) {
    const RiderStats x = a.title.stats(p), y = b.title.stats(p);
    EXPECT_TRUE(y.finished) << "rider " << p;
    EXPECT_NEAR(x.timeS, y.timeS, 1e-3) << "rider " << p;
    EXPECT_NEAR(x.climbedM, y.climbedM, 0.5) << "rider " << p;
  }
}

// ---- rewinds -----------------------------------------------------------------------------------

// A station rewinds to the server's frame and replays its inputs: the climbing is counted once,
// the riding time is the same, and the bots' noise is where it would have been.
TEST(CyclingState, ARewindAndReplayCountsEachRiseOnce) {
  Ride a, twin;
  constexpr int kBack = 30;
  const int start = 330 * 60;  // on the climb
  a.botTicks(start);
  twin.botTicks(start);
  a.capture();
  const pav::core::StateFrame back = a.frame;
  std::vector<std::vector<pav::core::InputFrame>> inputs;
  for (int t = 0; t < kBack; ++t) {
    a.bots();
    inputs.push_back(a.inputs);
    a.title.step(a.inputs);
    twin.title.step(a.inputs);
  }
  a.title.apply(back);
  for (const auto& in : inputs) a.title.step(in);
  ASSERT_EQ(a.title.tick(), twin.title.tick());
  for (int p = 0; p < 8; ++p) {
    const RiderStats x = a.title.stats(p), y = twin.title.stats(p);
    EXPECT_NEAR(x.distanceM, y.distanceM, 1e-3) << "rider " << p;
    EXPECT_NEAR(x.climbedM, y.climbedM, 1e-3) << "rider " << p << ": each rise counted once";
    EXPECT_NEAR(x.timeS, y.timeS, 1e-3) << "rider " << p;
    pav::core::InputFrame ia, ib;
    a.title.botInput(p, ia);
    twin.title.botInput(p, ib);
    EXPECT_NEAR(ia.pedalPowerWatts, ib.pedalPowerWatts, 1e-3f) << "rider " << p;
  }
  // A rewind of minutes (further than the noise is walked back): rebuilt from the seed.
  Ride early;
  early.botTicks(100 * 60);
  early.capture();
  twin.title.apply(early.frame);
  for (int p = 0; p < 8; ++p) {
    pav::core::InputFrame ia, ib;
    early.title.botInput(p, ia);
    twin.title.botInput(p, ib);
    EXPECT_NEAR(ia.pedalPowerWatts, ib.pedalPowerWatts, 1e-3f) << "rider " << p;
    EXPECT_NEAR(early.title.stats(p).climbedM, twin.title.stats(p).climbedM, 0.05) << "rider " << p;
  }
}

}  // namespace
}  // namespace pav::cycling
