// Gaffer's cube scene (bench_support.h): Bullet through pav::physics::World, one step per snapshot.
//
// The timeline: a pre-roll (not recorded) in which the grid of small cubes settles and falls
// asleep; the moving phase, in which the kinematic player cube drives an S-curve through the
// pile at 4 m/s, bulldozing cubes ahead and aside; the stop, after which the player is put to
// sleep (a kinematic body that is awake keeps every cube touching it awake) and the pushed
// cubes slide, topple and fall asleep; then the rest phase.
#include "bench_support.h"

#include <btBulletDynamicsCommon.h>

#include <algorithm>
#include <cmath>
#include <deque>

#include "pav/physics/physics.h"

namespace pav::bench {
namespace {

constexpr float kSmallHalf = 0.25f;  // 0.5 m cubes
constexpr float kSpacing = 0.75f;    // centre to centre: a 22 m square pile
constexpr float kPlayerHalf = 1.0f;  // a 2 m cube
constexpr float kPlayerSpeed = 4.0f;  // m/s along x
constexpr float kPathStartX = -14.0f, kPathEndX = 14.0f;
constexpr double kPreRollSeconds = 3.0;
constexpr double kMaxSettleSeconds = 20.0;
constexpr double kRestSeconds = 2.0;
constexpr size_t kLeadIn = 6;  // frames before a phase, kept as baselines (100 ms at 60 Hz)

// The player's path: an S through the pile, heading along its tangent.
glm::vec3 pathPoint(float x) { return {x, kPlayerHalf, 4.0f * std::sin(x * 3.14159265f / 14.0f)}; }

glm::quat pathHeading(float x) {
  const float slope = 4.0f * 3.14159265f / 14.0f * std::cos(x * 3.14159265f / 14.0f);
  return glm::angleAxis(-std::atan(slope), glm::vec3(0, 1, 0));
}

class CubeSim {
 public:
  CubeSim() : world_({.gravity = {0, -9.81f, 0}, .tickRateHz = kCubeSnapshotHz}) {
    world_.addBody({.shape = world_.addPlane({0, 1, 0}, 0), .kind = physics::BodyKind::Static, .friction = 0.8f});
    player_ = world_.addBody({.shape = world_.addBox(glm::vec3(kPlayerHalf)), .kind = physics::BodyKind::Kinematic,
                              .position = pathPoint(kPathStartX), .orientation = pathHeading(kPathStartX),
                              .friction = 0.5f});
    const physics::ShapeId small = world_.addBox(glm::vec3(kSmallHalf));
    for (int row = 0; row < kCubeGrid; ++row)
      for (int col = 0; col < kCubeGrid; ++col) {
        const glm::vec3 at{(float(col) - (kCubeGrid - 1) * 0.5f) * kSpacing, kSmallHalf,
                           (float(row) - (kCubeGrid - 1) * 0.5f) * kSpacing};
        cubes_.push_back(world_.addBody({.shape = small, .mass = 1.0f, .position = at, .friction = 0.6f}));
        start_.push_back(at);
      }
    frame_.resize(schema());
  }

  static core::StateSchema schema() {
    core::StateSchema s;
    s.objects = kCubeCount;
    s.positionMin = {-32.0f, 0.0f, -32.0f};
    s.positionMax = {32.0f, 16.0f, 32.0f};
    s.positionResolution = 1.0f / 512.0f;
    s.orientationBits = 9;
    return s;
  }

  void step() { world_.step(); }
  void drive(float x) { world_.setKinematicTarget(player_, pathPoint(x), pathHeading(x)); }
  // A kinematic body that is awake wakes whatever touches it, so the parked player sleeps.
  void parkPlayer() { world_.rigidBody(player_).forceActivationState(ISLAND_SLEEPING); }

  int awakeCubes() {
    int n = 0;
    for (physics::BodyId id : cubes_) n += world_.rigidBody(id).isActive() ? 1 : 0;
    return n;
  }
  int movedCubes() const {
    int n = 0;
    for (size_t i = 0; i < cubes_.size(); ++i)
      n += glm::length(world_.state(cubes_[i]).position - start_[i]) > 0.05f ? 1 : 0;
    return n;
  }

  void capture(const net::SnapshotCodec& codec, uint64_t tick, net::QuantFrame& out) {
    frame_.tick = tick;
    frame_.objects[0].position = world_.state(player_).position;
    frame_.objects[0].orientation = world_.state(player_).orientation;
    for (size_t i = 0; i < cubes_.size(); ++i) {
      const physics::BodyState s = world_.state(cubes_[i]);
      frame_.objects[i + 1].position = s.position;
      frame_.objects[i + 1].orientation = s.orientation;
    }
    codec.resize(out);
    codec.quantize(frame_, out);
  }

 private:
  physics::World world_;
  physics::BodyId player_;
  std::vector<physics::BodyId> cubes_;
  std::vector<glm::vec3> start_;
  core::StateFrame frame_;
};

CubeRun simulate() {
  CubeRun run;
  run.schema = CubeSim::schema();
  const net::SnapshotCodec codec(run.schema);
  CubeSim sim;
  const double dt = 1.0 / kCubeSnapshotHz;
  for (int i = 0; i < int(kPreRollSeconds * kCubeSnapshotHz); ++i) sim.step();
  uint64_t tick = 0;
  const auto record = [&] {
    run.frames.emplace_back();
    sim.capture(codec, ++tick, run.frames.back());
  };

  // Moving: every snapshot from the start, the first few only as baselines.
  const int movingSteps = int(std::lround((kPathEndX - kPathStartX) / kPlayerSpeed * kCubeSnapshotHz));
  for (int i = 1; i <= movingSteps; ++i) {
    sim.drive(kPathStartX + kPlayerSpeed * float(i * dt));
    sim.step();
    record();
  }
  run.moving = {kLeadIn, run.frames.size()};

  // Settling: hold the player still (its velocity goes to zero), park it, wait for sleep.
  std::deque<net::QuantFrame> recent;
  const auto settleStep = [&] {
    sim.step();
    recent.emplace_back();
    sim.capture(codec, ++tick, recent.back());
    if (recent.size() > kLeadIn) recent.pop_front();
  };
  for (int i = 0; i < 2; ++i) settleStep();
  sim.parkPlayer();
  int settleSteps = 2;
  while (sim.awakeCubes() > 0 && settleSteps < int(kMaxSettleSeconds * kCubeSnapshotHz)) {
    settleStep();
    ++settleSteps;
  }
  run.settleSeconds = settleSteps * dt;
  run.awakeAtRest = sim.awakeCubes();

  // Rest.
  for (net::QuantFrame& q : recent) run.frames.push_back(std::move(q));
  const size_t restFirst = run.frames.size();
  for (int i = 0; i < int(kRestSeconds * kCubeSnapshotHz); ++i) {
    sim.step();
    record();
  }
  run.rest = {restFirst, run.frames.size()};
  run.movedCubes = sim.movedCubes();
  return run;
}

}  // namespace

const CubeRun& cubeRun() {
  static const CubeRun run = simulate();
  return run;
}

}  // namespace pav::bench
