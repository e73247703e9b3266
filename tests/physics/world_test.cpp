// The physics core on real Bullet worlds: resting contact, CCD against tunnelling, collision
// groups, kinematic pushers, determinism, rollback, and no Bullet allocation per step.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "pav/core/error.h"
#include "pav/physics/physics.h"

#include <BulletCollision/CollisionDispatch/btCollisionObject.h>

namespace pav::physics {
namespace {

TEST(PhysicsWorld, ABoxComesToRestOnTheGround) {
  World world({{0, -9.81f, 0}, 240});
  const BodyId ground = world.addBody({world.addPlane({0, 1, 0}, 0), BodyKind::Static});
  const BodyId box = world.addBody({.shape = world.addBox({0.5f, 0.25f, 0.5f}), .mass = 2.0f,
                                    .position = {0, 3, 0}});
  for (int i = 0; i < 240 * 4; ++i) world.step();
  const BodyState s = world.state(box);
  EXPECT_NEAR(s.position.y, 0.25f, 0.01f);
  EXPECT_LT(glm::length(s.linearVelocity), 0.01f);
  EXPECT_EQ(world.state(ground).position.y, 0.0f);
  EXPECT_EQ(world.tick(), 960u);
}

// A 2 cm ball at 60 m/s against a 1 cm wall, 120 Hz: 50 cm per step, far more than both.
float flyAtWall(bool ccd) {
  World world({{0, 0, 0}, 120});
  world.addBody({.shape = world.addBox({0.005f, 1, 1}), .kind = BodyKind::Static, .position = {1.0f, 0, 0}});
  // Starting at 0.23 m, the discrete positions are 0.73 and 1.23: never inside the wall.
  const BodyId ball = world.addBody({.shape = world.addSphere(0.01f), .mass = 0.01f, .position = {0.23f, 0, 0},
                                     .linearVelocity = {60, 0, 0}, .restitution = 0.5f,
                                     .ccdRadius = ccd ? 0.01f : 0.0f});
  for (int i = 0; i < 12; ++i) world.step();
  return world.state(ball).position.x;
}

TEST(PhysicsWorld, ContinuousCollisionStopsTunnelling) {
  EXPECT_GT(flyAtWall(false), 1.0f) << "without CCD the ball should pass (the test needs it to)";
  EXPECT_LT(flyAtWall(true), 1.0f) << "with CCD the ball must not pass through the wall";
}

TEST(PhysicsWorld, CollisionGroupsFilterContacts) {
  constexpr uint16_t kGhost = 1u << 5;
  World world({{0, -9.81f, 0}, 120});
  world.addBody({.shape = world.addPlane({0, 1, 0}, 0), .kind = BodyKind::Static, .group = group::kStatic});
  const ShapeId ballShape = world.addSphere(0.1f);
  const BodyId solid = world.addBody({.shape = ballShape, .mass = 1, .position = {0, 1, 0}});
  const BodyId ghost = world.addBody({.shape = ballShape, .mass = 1, .position = {1, 1, 0},
                                      .group = kGhost, .mask = uint16_t(group::kAll & ~group::kStatic)});
  for (int i = 0; i < 240; ++i) world.step();
  EXPECT_NEAR(world.state(solid).position.y, 0.1f, 0.01f);
  EXPECT_LT(world.state(ghost).position.y, -1.0f) << "the ghost's mask excludes the ground";
}

TEST(PhysicsWorld, KinematicBodiesPushDynamicOnes) {
  World world({{0, 0, 0}, 240});
  const BodyId pusher = world.addBody({world.addBox({0.1f, 0.1f, 0.1f}), BodyKind::Kinematic});
  const BodyId ball = world.addBody({.shape = world.addSphere(0.1f), .mass = 0.1f,
                                     .position = {0.5f, 0, 0}, .neverSleep = true});
  for (int i = 0; i < 240; ++i) {
    world.setKinematicTarget(pusher, {0.005f * float(i + 1), 0, 0}, glm::quat(1, 0, 0, 0));
    world.step();
  }
  EXPECT_NEAR(world.state(pusher).position.x, 1.2f, 1e-4f);
  EXPECT_GT(world.state(ball).position.x, 1.3f);  // pushed ahead of the pusher's face
  EXPECT_GT(world.state(ball).linearVelocity.x, 0.5f);
}

// A small pile of boxes and balls, the same every time it is built.
std::unique_ptr<World> makePile(float nudge = 0) {
  auto world = std::make_unique<World>(WorldDesc{{0, -9.81f, 0}, 120});
  world->addBody({world->addPlane({0, 1, 0}, 0), BodyKind::Static});
  const ShapeId box = world->addBox({0.2f, 0.2f, 0.2f});
  const ShapeId ball = world->addSphere(0.15f);
  for (int i = 0; i < 20; ++i) {
    const float x = 0.13f * float(i % 5) + (i == 7 ? nudge : 0.0f);
    world->addBody({.shape = i % 2 ? ball : box, .mass = 1.0f + 0.1f * float(i),
                    .position = {x, 0.5f + 0.45f * float(i), 0.07f * float(i % 3)},
                    .friction = 0.6f, .restitution = 0.2f});
  }
  return world;
}

TEST(PhysicsWorld, SameWorldSameStepsSameHash) {
  auto a = makePile(), b = makePile(), c = makePile(0.001f);
  for (int i = 0; i < 600; ++i) {
    a->step();
    b->step();
    c->step();
  }
  EXPECT_EQ(a->stateHash(), b->stateHash());
  EXPECT_NE(a->stateHash(), c->stateHash()) << "a 1 mm nudge must change the hash";
}

TEST(PhysicsWorld, ReplaysFromOneSnapshotAreIdentical) {
  auto world = makePile();
  for (int i = 0; i < 120; ++i) world->step();  // mid-fall, full of contacts
  Snapshot snap;
  world->save(snap);
  EXPECT_EQ(snap.tick, 120u);
  world->restore(snap);
  for (int i = 0; i < 240; ++i) world->step();
  const uint64_t first = world->stateHash();
  world->restore(snap);
  EXPECT_EQ(world->tick(), 120u);
  for (int i = 0; i < 240; ++i) world->step();
  EXPECT_EQ(world->stateHash(), first);
}

TEST(PhysicsWorld, RestoreKeepsSleepingBodiesAsleep) {
  World world({{0, -9.81f, 0}, 120});
  world.addBody({.shape = world.addPlane({0, 1, 0}, 0), .kind = BodyKind::Static});
  const BodyId box = world.addBody({.shape = world.addBox({0.2f, 0.2f, 0.2f}), .mass = 1, .position = {0, 0.5f, 0}});
  for (int i = 0; i < 120 * 10; ++i) world.step();  // lands and falls asleep
  Snapshot snap;
  world.save(snap);
  EXPECT_EQ(snap.bodies[box.index].activation, ISLAND_SLEEPING);
  world.restore(snap);
  EXPECT_EQ(world.state(box).activation, ISLAND_SLEEPING);
  const uint64_t before = world.stateHash();
  world.step();
  EXPECT_EQ(world.state(box).position, snap.bodies[box.index].position);
  EXPECT_NE(world.stateHash(), before);  // the tick moved on, nothing else did
}

TEST(PhysicsWorld, RestoreRejectsASnapshotOfAnotherWorld) {
  auto world = makePile();
  Snapshot snap;
  snap.bodies.resize(3);
  EXPECT_THROW(world->restore(snap), pav::Error);
  EXPECT_THROW(world->addBody({.shape = world->addBox({1, 1, 1}), .mass = 0.0f}), pav::Error);
}

TEST(PhysicsWorld, SteppingASettledWorldAllocatesNothing) {
  auto world = makePile();
  for (int i = 0; i < 600; ++i) world->step();  // contacts made, pools grown
  const uint64_t before = World::allocationCount();
  for (int i = 0; i < 600; ++i) world->step();
  EXPECT_EQ(World::allocationCount() - before, 0u);
  // And the counter does count: a new body allocates.
  world->addBody({.shape = world->addSphere(0.1f), .mass = 1, .position = {5, 1, 5}});
  EXPECT_GT(World::allocationCount(), before);
}

TEST(PhysicsWorld, TriangleMeshesCollide) {
  World world({{0, -9.81f, 0}, 240});
  const glm::vec3 v[] = {{-5, 0, -5}, {5, 0, -5}, {5, 0, 5}, {-5, 0, 5}};
  const uint32_t idx[] = {0, 2, 1, 0, 3, 2};
  world.addBody({world.addTriangleMesh(v, idx), BodyKind::Static});
  const BodyId ball = world.addBody({.shape = world.addSphere(0.2f), .mass = 1, .position = {0, 2, 0}});
  for (int i = 0; i < 480; ++i) world.step();
  EXPECT_NEAR(world.state(ball).position.y, 0.2f, 0.02f);
}

}  // namespace
}  // namespace pav::physics
