// Titles and the physics core: the cost of one tick of each title at its rate with every
// seat taken by a bot, as a share of one core; allocations per tick (Bullet's, counted through
// btAlignedAllocSetCustom, plus C++ operator new where this build lets us count it); and the
// engine's Bullet wrapper against raw Bullet stepping the same world.
#include <benchmark/benchmark.h>
#include <btBulletDynamicsCommon.h>

#include <memory>
#include <vector>

#include "pav/core/title.h"
#include "pav/cycling/cycling.h"
#include "pav/driving/driving.h"
#include "pav/hockey/hockey.h"
#include "pav/physics/physics.h"

#include "bench_support.h"

// C++ heap allocations in the process, through bench_support's replaced operator new (0 in
// sanitizer builds, which keep their own).
static uint64_t newCount() { return pav::bench::processHeap().news; }

namespace pav::bench {
namespace {

using MakeTitle = std::unique_ptr<core::Title> (*)();

void runTitle(benchmark::State& state, MakeTitle make) {
  std::unique_ptr<core::Title> title = make();
  const core::TitleInfo& info = title->info();
  const core::TitleSetup setup{.players = info.maxPlayers, .seed = 1, .skill = 1, .durationSeconds = 1e9};
  title->setup(setup);
  std::vector<core::InputFrame> inputs(static_cast<size_t>(info.maxPlayers));
  const auto tick = [&] {
    for (int p = 0; p < info.maxPlayers; ++p) title->botInput(p, inputs[static_cast<size_t>(p)]);
    title->step(inputs);
  };
  // Ten simulated seconds first: every kind of contact made, every pool grown.
  const auto warmUp = [&] {
    for (int i = 0; i < static_cast<int>(10 * info.tickRateHz); ++i) tick();
  };
  warmUp();
  uint64_t allocations = 0, bulletAllocations = 0, restarts = 0;
  for (auto _ : state) {
    const uint64_t bullet = physics::World::allocationCount(), news = newCount();
    tick();
    bulletAllocations += physics::World::allocationCount() - bullet;
    allocations += physics::World::allocationCount() - bullet + newCount() - news;
    if (title->finished()) {  // a won match or a finished race: start another, untimed
      state.PauseTiming();
      title->setup(setup);  // a new world: warm it up again before counting
      warmUp();
      ++restarts;
      state.ResumeTiming();
    }
  }
  const double iterations = static_cast<double>(state.iterations());
  state.counters["allocs_per_tick"] = double(allocations) / iterations;
  state.counters["bullet_allocs"] = double(bulletAllocations);
  state.counters["allocs"] = double(allocations);
  state.counters["players"] = info.maxPlayers;
  state.counters["rate_hz"] = info.tickRateHz;
  if (restarts) state.counters["restarts"] = double(restarts);
}

void BM_HockeyTick(benchmark::State& state) { runTitle(state, &hockey::makeHockeyTitle); }
void BM_CyclingTick(benchmark::State& state) { runTitle(state, &cycling::makeCyclingTitle); }
void BM_DrivingTick(benchmark::State& state) { runTitle(state, &driving::makeDrivingTitle); }

// ---- The physics wrapper against raw Bullet, same world ---------------------------------------
// A plane and 40 boxes and balls in a loose pile, kept awake so every step does full work.
constexpr int kBodies = 40;
constexpr double kRate = 240.0;

glm::vec3 pileAt(int i) { return {0.13f * float(i % 5), 0.3f + 0.45f * float(i), 0.07f * float(i % 3)}; }

void BM_PhysicsWrapperStep(benchmark::State& state) {
  physics::World world({{0, -9.81f, 0}, kRate});
  world.addBody({.shape = world.addPlane({0, 1, 0}, 0), .kind = physics::BodyKind::Static});
  const physics::ShapeId box = world.addBox({0.2f, 0.2f, 0.2f}), ball = world.addSphere(0.15f);
  for (int i = 0; i < kBodies; ++i)
    world.addBody({.shape = i % 2 ? ball : box, .mass = 1.0f, .position = pileAt(i), .friction = 0.6f,
                   .restitution = 0.2f, .neverSleep = true});
  for (int i = 0; i < 600; ++i) world.step();
  for (auto _ : state) world.step();
  state.counters["bodies"] = kBodies;
}

void BM_RawBulletStep(benchmark::State& state) {
  btDefaultCollisionConfiguration configuration;
  btCollisionDispatcher dispatcher(&configuration);
  btDbvtBroadphase broadphase;
  btSequentialImpulseConstraintSolver solver;
  btDiscreteDynamicsWorld world(&dispatcher, &broadphase, &solver, &configuration);
  world.setGravity({0, -9.81f, 0});
  btStaticPlaneShape plane({0, 1, 0}, 0);
  btBoxShape box({0.2f, 0.2f, 0.2f});
  box.setMargin(0.02f);  // the wrapper's margin for small shapes (a tenth of the half extent)
  btSphereShape ball(0.15f);
  std::vector<std::unique_ptr<btDefaultMotionState>> motions;
  std::vector<std::unique_ptr<btRigidBody>> bodies;
  const auto add = [&](btCollisionShape* shape, float mass, const btVector3& at, float friction, float restitution) {
    btVector3 inertia(0, 0, 0);
    if (mass > 0) shape->calculateLocalInertia(mass, inertia);
    motions.push_back(std::make_unique<btDefaultMotionState>(btTransform(btQuaternion::getIdentity(), at)));
    btRigidBody::btRigidBodyConstructionInfo info(mass, motions.back().get(), shape, inertia);
    info.m_friction = friction;
    info.m_restitution = restitution;
    bodies.push_back(std::make_unique<btRigidBody>(info));
    if (mass > 0) bodies.back()->setActivationState(DISABLE_DEACTIVATION);
    world.addRigidBody(bodies.back().get());
  };
  add(&plane, 0, {0, 0, 0}, 0.5f, 0);
  for (int i = 0; i < kBodies; ++i) {
    const glm::vec3 p = pileAt(i);
    add(i % 2 ? static_cast<btCollisionShape*>(&ball) : &box, 1.0f, {p.x, p.y, p.z}, 0.6f, 0.2f);
  }
  const btScalar dt = static_cast<btScalar>(1.0 / kRate);
  for (int i = 0; i < 600; ++i) world.stepSimulation(dt, 0);
  for (auto _ : state) world.stepSimulation(dt, 0);
  state.counters["bodies"] = kBodies;
  for (auto& b : bodies) world.removeRigidBody(b.get());
}

BENCHMARK(BM_HockeyTick)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CyclingTick)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DrivingTick)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PhysicsWrapperStep)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RawBulletStep)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pav::bench
