// World: Bullet objects owned by unique_ptrs, fixed stepping, hashing, save / restore.
//
// [SECTION] allocation counting (btAlignedAllocSetCustom)
// [SECTION] world and parts
// [SECTION] shapes and bodies
// [SECTION] stepping, hashing, rollback
#include <btBulletDynamicsCommon.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "pav/core/error.h"
#include "pav/core/title.h"
#include "pav/physics/physics.h"

namespace pav::physics {
namespace {

// ---- [SECTION] allocation counting -----------------------------------------------------------

std::atomic<uint64_t> gBulletAllocations{0};

void* countedAlloc(size_t size) {
  gBulletAllocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size);
}
void countedFree(void* p) { std::free(p); }
void* countedAlignedAlloc(size_t size, int alignment) {
  gBulletAllocations.fetch_add(1, std::memory_order_relaxed);
  return std::aligned_alloc(static_cast<size_t>(alignment),
                            (size + static_cast<size_t>(alignment) - 1) / static_cast<size_t>(alignment) *
                                static_cast<size_t>(alignment));
}

// Installed once, before the first Bullet object exists.
void installAllocationCounter() {
  static const bool installed = [] {
    btAlignedAllocSetCustom(&countedAlloc, &countedFree);
    btAlignedAllocSetCustomAligned(&countedAlignedAlloc, &countedFree);
    return true;
  }();
  (void)installed;
}

btVector3 bt(const glm::vec3& v) { return {v.x, v.y, v.z}; }
btQuaternion bt(const glm::quat& q) { return {q.x, q.y, q.z, q.w}; }
glm::vec3 gl(const btVector3& v) { return {v.x(), v.y(), v.z()}; }
glm::quat gl(const btQuaternion& q) { return {q.w(), q.x(), q.y(), q.z()}; }

}  // namespace

// ---- [SECTION] world and parts ---------------------------------------------------------------

struct World::Parts {
  btDefaultCollisionConfiguration configuration;
  btCollisionDispatcher dispatcher{&configuration};
  btDbvtBroadphase broadphase;
  btSequentialImpulseConstraintSolver solver;
};

struct World::Body {
  btDefaultMotionState motion;
  btRigidBody rigid;
  BodyKind kind;
  int group = 0, mask = 0;
  Body(const btRigidBody::btRigidBodyConstructionInfo& info, const btTransform& t, BodyKind k)
      : motion(t), rigid(withMotion(info, &motion)), kind(k) {}
  static btRigidBody::btRigidBodyConstructionInfo withMotion(btRigidBody::btRigidBodyConstructionInfo info,
                                                             btMotionState* m) {
    info.m_motionState = m;
    return info;
  }
};

World::World(const WorldDesc& desc)
    : dt_(1.0 / (desc.tickRateHz > 0 ? desc.tickRateHz : 120.0)) {
  installAllocationCounter();
  parts_ = std::make_unique<Parts>();
  world_ = std::make_unique<btDiscreteDynamicsWorld>(&parts_->dispatcher, &parts_->broadphase,
                                                     &parts_->solver, &parts_->configuration);
  world_->setGravity(bt(desc.gravity));
  btContactSolverInfo& solver = world_->getSolverInfo();
  if (desc.solverIterations > 0) solver.m_numIterations = desc.solverIterations;
  if (desc.exactRestitution) {
    solver.m_splitImpulse = 1;
    solver.m_splitImpulsePenetrationThreshold = 0;  // split impulse for every penetration
  }
}

World::~World() {
  for (auto& b : bodies_) world_->removeRigidBody(&b->rigid);
}

// ---- [SECTION] shapes and bodies -------------------------------------------------------------

namespace {
// Bullet's default collision margin (4 cm) is carved out of box and cylinder extents; on a
// puck 5 mm thick it would leave a negative core and contacts that let the puck sink into a
// rail. Small shapes get a margin of a tenth of their smallest half extent instead.
void fitMargin(btCollisionShape& shape, float smallestHalfExtent) {
  shape.setMargin(std::min(shape.getMargin(), 0.1f * smallestHalfExtent));
}
}  // namespace

ShapeId World::addBox(const glm::vec3& h) {
  auto shape = std::make_unique<btBoxShape>(bt(h));
  fitMargin(*shape, std::min({h.x, h.y, h.z}));
  shapes_.push_back(std::move(shape));
  return {static_cast<uint32_t>(shapes_.size() - 1)};
}

ShapeId World::addSphere(float r) {
  shapes_.push_back(std::make_unique<btSphereShape>(r));
  return {static_cast<uint32_t>(shapes_.size() - 1)};
}

ShapeId World::addCylinder(float r, float halfHeight) {
  auto shape = std::make_unique<btCylinderShape>(btVector3(r, halfHeight, r));
  fitMargin(*shape, std::min(r, halfHeight));
  shapes_.push_back(std::move(shape));
  return {static_cast<uint32_t>(shapes_.size() - 1)};
}

ShapeId World::addPlane(const glm::vec3& n, float offset) {
  shapes_.push_back(std::make_unique<btStaticPlaneShape>(bt(n), offset));
  return {static_cast<uint32_t>(shapes_.size() - 1)};
}

ShapeId World::addTriangleMesh(std::span<const glm::vec3> vertices, std::span<const uint32_t> indices) {
  PAV_CHECK(!vertices.empty() && indices.size() >= 3 && indices.size() % 3 == 0,
            "addTriangleMesh: %zu vertices and %zu indices is not a triangle mesh", vertices.size(),
            indices.size());
  auto data = std::make_unique<MeshData>();
  data->vertices.assign(vertices.begin(), vertices.end());
  for (uint32_t i : indices) {
    PAV_CHECK(i < vertices.size(), "addTriangleMesh: index %u out of range", i);
    data->indices.push_back(static_cast<int>(i));
  }
  btIndexedMesh mesh;
  mesh.m_numTriangles = static_cast<int>(data->indices.size() / 3);
  mesh.m_triangleIndexBase = reinterpret_cast<const unsigned char*>(data->indices.data());
  mesh.m_triangleIndexStride = 3 * sizeof(int);
  mesh.m_numVertices = static_cast<int>(data->vertices.size());
  mesh.m_vertexBase = reinterpret_cast<const unsigned char*>(data->vertices.data());
  mesh.m_vertexStride = sizeof(glm::vec3);
  mesh.m_vertexType = PHY_FLOAT;
  auto array = std::make_unique<btTriangleIndexVertexArray>();
  array->addIndexedMesh(mesh, PHY_INTEGER);
  shapes_.push_back(std::make_unique<btBvhTriangleMeshShape>(array.get(), true));
  meshData_.push_back(std::move(data));
  meshes_.push_back(std::move(array));
  return {static_cast<uint32_t>(shapes_.size() - 1)};
}

BodyId World::addBody(const BodyDesc& d) {
  PAV_CHECK(d.shape.index < shapes_.size(), "addBody: no such shape");
  btCollisionShape* shape = shapes_[d.shape.index].get();
  const float mass = d.kind == BodyKind::Dynamic ? d.mass : 0.0f;
  PAV_CHECK(d.kind != BodyKind::Dynamic || mass > 0, "addBody: a dynamic body needs mass > 0");
  btVector3 inertia(0, 0, 0);
  if (mass > 0) shape->calculateLocalInertia(mass, inertia);
  btRigidBody::btRigidBodyConstructionInfo info(mass, nullptr, shape, inertia);
  info.m_friction = d.friction;
  info.m_restitution = d.restitution;
  info.m_linearDamping = d.linearDamping;
  info.m_angularDamping = d.angularDamping;
  const btTransform t(bt(d.orientation), bt(d.position));
  info.m_startWorldTransform = t;
  auto body = std::make_unique<Body>(info, t, d.kind);
  btRigidBody& rb = body->rigid;
  rb.setLinearFactor(bt(d.linearFactor));
  rb.setAngularFactor(bt(d.angularFactor));
  rb.setLinearVelocity(bt(d.linearVelocity));
  if (d.kind == BodyKind::Kinematic) {
    rb.setCollisionFlags(rb.getCollisionFlags() | btCollisionObject::CF_KINEMATIC_OBJECT);
    rb.setActivationState(DISABLE_DEACTIVATION);
  }
  if (d.neverSleep) rb.setActivationState(DISABLE_DEACTIVATION);
  if (d.ccdRadius > 0) {
    // Sweep when the body moves more than its radius in a step: below that a discrete contact
    // cannot miss a face, and the sweep's own collision response (which loses some speed)
    // stays out of ordinary bounces.
    rb.setCcdMotionThreshold(d.ccdRadius);
    rb.setCcdSweptSphereRadius(d.ccdRadius * 0.9f);
  }
  body->group = static_cast<int>(d.group);
  body->mask = static_cast<int>(d.mask);
  world_->addRigidBody(&rb, body->group, body->mask);
  bodies_.push_back(std::move(body));
  return {static_cast<uint32_t>(bodies_.size() - 1)};
}

btRigidBody& World::rigidBody(BodyId id) {
  PAV_CHECK(id.index < bodies_.size(), "no such body %u", id.index);
  return bodies_[id.index]->rigid;
}

BodyState World::state(BodyId id) const {
  PAV_CHECK(id.index < bodies_.size(), "no such body %u", id.index);
  const btRigidBody& rb = bodies_[id.index]->rigid;
  const btTransform& t = rb.getWorldTransform();
  return {gl(t.getOrigin()), gl(t.getRotation()), gl(rb.getLinearVelocity()), gl(rb.getAngularVelocity()),
          rb.getActivationState(), rb.getDeactivationTime()};
}

void World::setState(BodyId id, const BodyState& s) {
  PAV_CHECK(id.index < bodies_.size(), "no such body %u", id.index);
  Body& b = *bodies_[id.index];
  const btTransform t(bt(s.orientation), bt(s.position));
  // setCenterOfMassTransform also refreshes the world inertia tensor, which a bare
  // setWorldTransform would leave at the old orientation's.
  b.rigid.setCenterOfMassTransform(t);
  b.motion.setWorldTransform(t);
  b.rigid.setLinearVelocity(bt(s.linearVelocity));
  b.rigid.setAngularVelocity(bt(s.angularVelocity));
  b.rigid.setInterpolationLinearVelocity(bt(s.linearVelocity));
  b.rigid.setInterpolationAngularVelocity(bt(s.angularVelocity));
  b.rigid.clearForces();
  if (b.kind != BodyKind::Dynamic) return;
  if (s.activation != 0) {
    // A saved state: put its sleep state back exactly (forceActivationState keeps
    // DISABLE_DEACTIVATION and sleeping bodies as they were).
    b.rigid.forceActivationState(s.activation);
    b.rigid.setDeactivationTime(s.deactivationTime);
  } else {
    b.rigid.activate(true);  // a teleport: wake it
  }
}

void World::setKinematicTarget(BodyId id, const glm::vec3& p, const glm::quat& q) {
  PAV_CHECK(id.index < bodies_.size() && bodies_[id.index]->kind == BodyKind::Kinematic,
            "setKinematicTarget: body %u is not kinematic", id.index);
  bodies_[id.index]->motion.setWorldTransform(btTransform(bt(q), bt(p)));
}

void World::applyCentralImpulse(BodyId id, const glm::vec3& impulse) {
  btRigidBody& rb = rigidBody(id);
  rb.activate(true);
  rb.applyCentralImpulse(bt(impulse));
}

// ---- [SECTION] stepping, hashing, rollback ---------------------------------------------------

void World::step() {
  // maxSubSteps 0: exactly one internal step of dt. (With substeps Bullet accumulates a
  // floating-point "local time" across calls, and a remainder a hair under dt would skip or
  // double a step: not deterministic across a rollback.)
  world_->stepSimulation(static_cast<btScalar>(dt_), 0);
  ++tick_;
}

uint64_t World::stateHash() const {
  uint64_t h = core::hashBytes(&tick_, sizeof tick_);
  for (const auto& b : bodies_) {
    const btTransform& t = b->rigid.getWorldTransform();
    const btScalar values[13] = {t.getOrigin().x(), t.getOrigin().y(), t.getOrigin().z(),
                                 t.getRotation().x(), t.getRotation().y(), t.getRotation().z(),
                                 t.getRotation().w(), b->rigid.getLinearVelocity().x(),
                                 b->rigid.getLinearVelocity().y(), b->rigid.getLinearVelocity().z(),
                                 b->rigid.getAngularVelocity().x(), b->rigid.getAngularVelocity().y(),
                                 b->rigid.getAngularVelocity().z()};
    h = core::hashBytes(values, sizeof values, h);
  }
  return h;
}

void World::save(Snapshot& out) const {
  out.bodies.resize(bodies_.size());
  for (size_t i = 0; i < bodies_.size(); ++i) out.bodies[i] = state({static_cast<uint32_t>(i)});
  out.tick = tick_;
}

void World::restore(const Snapshot& in) {
  PAV_CHECK(in.bodies.size() == bodies_.size(), "restore: snapshot has %zu bodies, world has %zu",
            in.bodies.size(), bodies_.size());
  // Contact manifolds, the broadphase tree and pair order, and the solver's warm-starting
  // caches would otherwise carry the abandoned future into the replay. Taking every body out
  // and putting it back in id order rebuilds all of them the same way each time.
  for (auto& b : bodies_) world_->removeRigidBody(&b->rigid);
  world_->getBroadphase()->resetPool(&parts_->dispatcher);
  parts_->solver.reset();
  for (size_t i = 0; i < bodies_.size(); ++i) {
    setState({static_cast<uint32_t>(i)}, in.bodies[i]);
    world_->addRigidBody(&bodies_[i]->rigid, bodies_[i]->group, bodies_[i]->mask);
  }
  tick_ = in.tick;
}

uint64_t World::allocationCount() { return gBulletAllocations.load(); }

}  // namespace pav::physics
