// pav::physics: the engine's Bullet core, a thin owner around btDiscreteDynamicsWorld.
//
// What it is for: titles build their bodies here and step them at their own fixed rate. The
// World owns every Bullet object it makes (shapes, motion states, bodies, the world and its
// parts) and destroys them in reverse order; callers hold small typed ids, not pointers.
//
//   World world({.gravity = {0, -9.81f, 0}, .tickRateHz = 240});
//   ShapeId box = world.addBox({0.5f, 0.5f, 0.5f});
//   BodyId crate = world.addBody({.shape = box, .mass = 1, .position = {0, 2, 0}});
//   for (...) world.step();                   // exactly one fixed step of 1 / tickRateHz
//   uint64_t h = world.stateHash();           // determinism checks
//   world.save(snapshot); ... world.restore(snapshot);   // rollback for prediction
//
// Deterministic: the same bodies, made in the same order, stepped with the same inputs give
// the same hash. restore() also clears Bullet's contact caches so that two replays from one
// snapshot are identical; a replay is not bit-identical to the run that was never rewound,
// whose contact caches were warm. Heap use per step: none once contacts have been seen (Bullet keeps
// its pools); allocationCount() counts Bullet's own allocations to prove it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

class btCollisionShape;
class btRigidBody;
class btDiscreteDynamicsWorld;
struct btDefaultMotionState;
class btTriangleIndexVertexArray;

namespace pav::physics {

struct ShapeId {
  uint32_t index = UINT32_MAX;
  bool valid() const { return index != UINT32_MAX; }
};
struct BodyId {
  uint32_t index = UINT32_MAX;
  bool valid() const { return index != UINT32_MAX; }
  bool operator==(const BodyId&) const = default;
};

enum class BodyKind { Static, Dynamic, Kinematic };

// Collision groups: a body collides with another when each one's group is in the other's mask.
namespace group {
constexpr uint16_t kDefault = 1u << 0;
constexpr uint16_t kStatic = 1u << 1;
constexpr uint16_t kAll = 0xffff;
}  // namespace group

struct BodyDesc {
  ShapeId shape;
  BodyKind kind = BodyKind::Dynamic;
  float mass = 1.0f;  // ignored for static and kinematic bodies
  glm::vec3 position{0.0f};
  glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};
  glm::vec3 linearVelocity{0.0f};
  float friction = 0.5f;
  float restitution = 0.0f;
  float linearDamping = 0.0f;
  float angularDamping = 0.0f;
  glm::vec3 linearFactor{1.0f};   // 0 on an axis locks motion along it
  glm::vec3 angularFactor{1.0f};  // 0 on an axis locks rotation about it
  uint16_t group = group::kDefault;
  uint16_t mask = group::kAll;
  // Continuous collision detection for fast, small bodies: the swept-sphere radius (0: off).
  float ccdRadius = 0.0f;
  bool neverSleep = false;
};

struct WorldDesc {
  glm::vec3 gravity{0.0f, -9.81f, 0.0f};
  double tickRateHz = 0;  // 0 means 120
  int solverIterations = 0;  // 0 means Bullet's default (10)
  // Resolve every penetration with split impulses, so positional correction never adds
  // velocity and a bounce keeps exactly its restitution (air-hockey pucks, billiards).
  bool exactRestitution = false;
};

struct BodyState {
  glm::vec3 position;
  glm::quat orientation;
  glm::vec3 linearVelocity;
  glm::vec3 angularVelocity;
  int activation = 0;          // Bullet's activation state (0: leave as is / wake)
  float deactivationTime = 0;  // how long it has been still (sleep timer)
};

// Everything needed to put the world back: one BodyState per body, in id order.
struct Snapshot {
  std::vector<BodyState> bodies;
  uint64_t tick = 0;
};

class World {
 public:
  explicit World(const WorldDesc& desc = {});
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // ---- Shapes (shared by any number of bodies) ---------------------------------------------
  ShapeId addBox(const glm::vec3& halfExtents);
  ShapeId addSphere(float radius);
  ShapeId addCylinder(float radius, float halfHeight);  // axis Y
  ShapeId addPlane(const glm::vec3& normal, float offset);
  // Static triangle geometry (tracks, terrain). The arrays are copied and kept by the world.
  ShapeId addTriangleMesh(std::span<const glm::vec3> vertices, std::span<const uint32_t> indices);

  // ---- Bodies -------------------------------------------------------------------------------
  BodyId addBody(const BodyDesc& desc);
  BodyState state(BodyId id) const;
  void setState(BodyId id, const BodyState& s);  // teleport, with velocities
  // Kinematic bodies: where the body should be at the end of the next step; Bullet derives
  // its velocity from the move, so collisions push dynamic bodies correctly.
  void setKinematicTarget(BodyId id, const glm::vec3& position, const glm::quat& orientation);
  void applyCentralImpulse(BodyId id, const glm::vec3& impulse);
  size_t bodyCount() const { return bodies_.size(); }

  // ---- Stepping -----------------------------------------------------------------------------
  void step();  // exactly one fixed step
  double dt() const { return dt_; }
  uint64_t tick() const { return tick_; }

  // ---- Determinism and rollback -------------------------------------------------------------
  uint64_t stateHash() const;
  void save(Snapshot& out) const;  // reuses out's storage
  void restore(const Snapshot& in);

  // Bullet's own heap allocations since the process started (all worlds), through
  // btAlignedAllocSetCustom. For zero-allocation checks in tests and benchmarks.
  static uint64_t allocationCount();

  // The underlying Bullet objects, for title code that needs more (raycast vehicles).
  btDiscreteDynamicsWorld& bullet() { return *world_; }
  btRigidBody& rigidBody(BodyId id);

 private:
  struct Parts;  // collision configuration, dispatcher, broadphase, solver (world_local)
  struct Body;
  struct MeshData {
    std::vector<glm::vec3> vertices;
    std::vector<int> indices;
  };
  // Declared in creation order, so destroyed in reverse: bodies, shapes, triangle arrays and
  // their data, the world, then its parts. ~World removes bodies from the world first.
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<btDiscreteDynamicsWorld> world_;
  std::vector<std::unique_ptr<MeshData>> meshData_;
  std::vector<std::unique_ptr<btTriangleIndexVertexArray>> meshes_;
  std::vector<std::unique_ptr<btCollisionShape>> shapes_;
  std::vector<std::unique_ptr<Body>> bodies_;
  double dt_;
  uint64_t tick_ = 0;
};

}  // namespace pav::physics
