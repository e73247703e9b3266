// Cars: a box chassis body in the engine's World, a btRaycastVehicle on it, and the driver's
// controls turned into engine force, brake impulses, steering and tyre grip every tick.
//
// The raycast vehicle's known problems and what answers them here:
// - jitter and creep at rest: side friction is solved as an impulse each step, so a car on a
//   bank slides a hair per tick; below walking pace with no throttle the brakes hold, and once
//   nearly still the chassis' horizontal motion is clamped to zero (the parking hold).
// - rays missing the ground at speed: each ray starts at the chassis centre, well above the
//   wheel, and reaches rest length + radius below it, so a chassis that dips still has its ray
//   start above the road; the suspension force limit is high enough never to clip on a bump;
//   the chassis has CCD; and the title steps at 240 Hz (a 200 km/h car moves 23 cm a step).
// - no gearbox of its own: engine force is set per wheel each step, so the gearbox
//   (gearbox.cpp) decides the gear first and the force through it.
// - twitchy cornering: steering turns at a limited rate towards a lock that shrinks with
//   speed; grip is frictionSlip (a tyre friction coefficient) times the surface's grip; side
//   forces act low on the chassis (rollInfluence) so it leans without flipping.
//
// [SECTION] wheel rays and the vehicle's place in the world
// [SECTION] building a car
// [SECTION] controls
// [SECTION] hashing
#include <algorithm>
#include <cmath>

#include <BulletDynamics/ConstraintSolver/btContactConstraint.h>

#include "driving_local.h"

namespace pav::driving {
namespace {

btVector3 bt(const glm::vec3& v) { return {v.x, v.y, v.z}; }
glm::vec3 gl(const btVector3& v) { return {v.x(), v.y(), v.z()}; }

// Below these the car counts as parked.
constexpr float kHoldSpeed = 0.6f;     // m/s: brakes on with no throttle
constexpr float kClampSpeed = 0.08f;   // m/s: motion zeroed

}  // namespace

// ---- [SECTION] wheel rays and the vehicle's place in the world -------------------------------

void* TrackRaycaster::castRay(const btVector3& from, const btVector3& to, btVehicleRaycasterResult& result) {
  btCollisionWorld::ClosestRayResultCallback hit(from, to);
  hit.m_collisionFilterGroup = physics::group::kDefault;
  hit.m_collisionFilterMask = physics::group::kStatic;
  world_.rayTest(from, to, hit);
  if (!hit.hasHit()) return nullptr;
  const btRigidBody* body = btRigidBody::upcast(hit.m_collisionObject);
  if (!body || !body->hasContactResponse()) return nullptr;
  result.m_hitPointInWorld = hit.m_hitPointWorld;
  result.m_hitNormalInWorld = hit.m_hitNormalWorld.normalized();
  result.m_distFraction = hit.m_closestHitFraction;
  return const_cast<btRigidBody*>(body);
}

void TyreVehicle::updateFriction(btScalar timeStep) {
  // The front wheels' side impulses as btRaycastVehicle::updateFriction computes them: along
  // the wheel's axle in the contact plane, resolveSingleBilateral against the ground (it only
  // reads velocities), before the base class applies anything.
  btScalar side[2] = {0, 0};
  btVector3 axle[2] = {btVector3(0, 0, 0), btVector3(0, 0, 0)};
  const int front = std::min(getNumWheels(), 2);
  for (int i = 0; i < front; ++i) {
    const btWheelInfo& w = m_wheelInfo[i];
    auto* ground = static_cast<btRigidBody*>(w.m_raycastInfo.m_groundObject);
    if (!ground) continue;
    const btMatrix3x3& basis = getWheelTransformWS(i).getBasis();
    const int r = getRightAxis();
    btVector3 a = -btVector3(basis[0][r], basis[1][r], basis[2][r]);
    const btVector3& n = w.m_raycastInfo.m_contactNormalWS;
    a -= n * a.dot(n);
    if (a.length2() < 1e-12f) continue;
    a.normalize();
    resolveSingleBilateral(*getRigidBody(), w.m_raycastInfo.m_contactPointWS, *ground, w.m_raycastInfo.m_contactPointWS,
                           btScalar(0), a, side[i], timeStep);
    axle[i] = a;
  }
  btRaycastVehicle::updateFriction(timeStep);
  // Bullet scales a sliding wheel's impulses by its skid (m_skidInfo < 1); the pneumatic trail
  // shrinks too as a tyre slides, so a car at the limit goes light in the driver's hands.
  const btVector3 left = getRigidBody()->getWorldTransform().getBasis().getColumn(0);
  frontLateralN_ = alignNm_ = 0;
  for (int i = 0; i < front; ++i) {
    const float skid = std::clamp(float(m_wheelInfo[i].m_skidInfo), 0.0f, 1.0f);
    const float lateral = float(side[i] * axle[i].dot(left)) * skid / float(timeStep);
    frontLateralN_ += lateral;
    alignNm_ += lateral * trailM_ * skid;
  }
}

VehicleInWorld::VehicleInWorld(btDynamicsWorld& world, std::unique_ptr<TyreVehicle> vehicle)
    : world_(world), vehicle_(std::move(vehicle)) {
  world_.addAction(vehicle_.get());
}

VehicleInWorld::~VehicleInWorld() { world_.removeAction(vehicle_.get()); }

// ---- [SECTION] building a car ----------------------------------------------------------------

float restHeight(const CarTuning& t) {
  // Four springs carry m g: stiffness (per unit mass) * compression * m * 4 = m g.
  const float compression = std::min(kGravity / (4.0f * t.suspensionStiffness), t.maxSuspensionTravelCm * 0.01f);
  return t.connectionHeight * -1.0f + (t.suspensionRest - compression) + t.wheelRadius;
}

float steerLock(const CarTuning& t, float speed) { return t.maxSteerRad / (1.0f + std::fabs(speed) / t.steerSpeedRef); }

Car makeCar(physics::World& world, TrackRaycaster& raycaster, const CarTuning& t) {
  Car car;
  const physics::ShapeId box = world.addBox(t.halfExtents);
  physics::BodyDesc body;
  body.shape = box;
  body.mass = t.massKg;
  body.position = {0.0f, -100.0f, 0.0f};  // placed on the grid by the caller
  body.friction = 0.6f;
  body.angularDamping = 0.05f;
  body.ccdRadius = 0.3f;
  body.neverSleep = true;  // the parking hold does what sleeping would, without waking quirks
  car.chassis = world.addBody(body);

  btRaycastVehicle::btVehicleTuning tuning;
  tuning.m_suspensionStiffness = t.suspensionStiffness;
  tuning.m_suspensionCompression = t.dampingCompression;
  tuning.m_suspensionDamping = t.dampingRelaxation;
  tuning.m_maxSuspensionTravelCm = t.maxSuspensionTravelCm;
  tuning.m_frictionSlip = t.frictionSlip;
  tuning.m_maxSuspensionForce = t.maxSuspensionForce;
  btRigidBody& chassis = world.rigidBody(car.chassis);
  auto vehicle = std::make_unique<TyreVehicle>(tuning, &chassis, &raycaster, t.tyreTrailM);
  vehicle->setCoordinateSystem(0, 1, 2);  // x left, y up, z forward
  const btVector3 down(0, -1, 0), axle(-1, 0, 0);
  const float y = t.connectionHeight, x = t.wheelHalfTrack, z = t.wheelBaseHalf;
  // Wheels 0, 1 front (left, right); 2, 3 rear.
  const btVector3 at[4] = {{x, y, z}, {-x, y, z}, {x, y, -z}, {-x, y, -z}};
  for (int i = 0; i < 4; ++i) {
    btWheelInfo& w = vehicle->addWheel(at[i], down, axle, t.suspensionRest, t.wheelRadius, tuning, i < 2);
    w.m_rollInfluence = t.rollInfluence;
    // Bullet leaves a new wheel's contact (and skid) unset until its first ray; driveCar reads
    // the contact point before the first step (the grip under the wheel). Unset, it was stack
    // garbage from addWheel: a replay under ASan differed from its recording at tick 1 and
    // valgrind named the read. A new wheel touches where its suspension at rest would.
    btWheelInfo::RaycastInfo& ray = w.m_raycastInfo;
    ray.m_contactPointWS = ray.m_hardPointWS + ray.m_wheelDirectionWS * t.suspensionRest;
    ray.m_contactNormalWS = -ray.m_wheelDirectionWS;
    ray.m_suspensionLength = t.suspensionRest;
    ray.m_isInContact = false;
    ray.m_groundObject = nullptr;
    w.m_skidInfo = 1;
    w.m_suspensionRelativeVelocity = 0;
    w.m_clippedInvContactDotSuspension = 1;
    w.m_wheelsSuspensionForce = 0;
  }
  car.vehicle = std::make_unique<VehicleInWorld>(world.bullet(), std::move(vehicle));
  return car;
}

// ---- [SECTION] controls ----------------------------------------------------------------------

void driveCar(Car& car, physics::World& world, const Track& track, const CarTuning& t, float trackGrip,
              const core::InputFrame& in, float dt) {
  btRaycastVehicle& v = **car.vehicle;
  btRigidBody& body = world.rigidBody(car.chassis);
  const btTransform& xf = body.getWorldTransform();
  const glm::vec3 forward = gl(xf.getBasis().getColumn(2));
  const glm::vec3 up = gl(xf.getBasis().getColumn(1));
  const glm::vec3 vel = gl(body.getLinearVelocity());
  const float speed = glm::length(vel);
  const float forwardSpeed = glm::dot(vel, forward);

  const float steerIn = std::clamp(in.steer, -1.0f, 1.0f);
  const float throttle = std::clamp(in.throttle, 0.0f, 1.0f);
  const float brake = std::clamp(in.brake, 0.0f, 1.0f);

  // Steering: a person's full lock at 200 km/h would spin the car; the lock shrinks with speed
  // and the wheels turn no faster than a driver's hands could.
  const float target = -steerIn * steerLock(t, speed);  // Bullet: positive steers left
  const float maxDelta = t.steerRateRadPerS * dt;
  car.race.steer += std::clamp(target - car.race.steer, -maxDelta, maxDelta);
  v.setSteeringValue(car.race.steer, 0);
  v.setSteeringValue(car.race.steer, 1);

  // The gearbox picks this tick's gear from the engine's speed, then the engine pulls through
  // it at the rear wheels.
  const int gear = shiftGear(t, car.race.gear, forwardSpeed, throttle);
  car.race.shifts += gear != car.race.gear ? 1u : 0u;
  car.race.gear = gear;
  const float drive = driveForce(t, car.race.gear, forwardSpeed, throttle);
  const bool parked = throttle < 0.02f && speed < kHoldSpeed;
  const float brakeIn = parked ? 1.0f : (brake > throttle ? brake : 0.0f);
  for (int w = 0; w < 4; ++w) {
    const bool front = w < 2;
    v.applyEngineForce(brakeIn > 0 || front ? 0.0f : 0.5f * drive, w);
    // btRaycastVehicle's brake is an impulse per step; front-biased like a road car.
    v.setBrake(brakeIn * t.maxBrakeForce * dt * (front ? 1.2f : 0.8f), w);
  }

  // Grip under each wheel: the road's surface, a kerb at its edge, or grass beyond.
  const TrackSample& here = track.samples[static_cast<size_t>(car.race.sample)];
  for (int w = 0; w < 4; ++w) {
    btWheelInfo& wheel = v.getWheelInfo(w);
    const glm::vec3 contact = gl(wheel.m_raycastInfo.m_contactPointWS);
    const float lateral = glm::dot(contact - here.position, here.right);
    const float grip = track.onKerb(car.race.sample, lateral)     ? kKerbGrip
                       : std::fabs(lateral) <= here.halfWidth ? surfaceGrip(here.surface)
                                                              : surfaceGrip(Surface::Grass);
    wheel.m_frictionSlip = t.frictionSlip * trackGrip * grip;
  }

  // Aerodynamics: drag sets the top speed, downforce adds grip where it is needed most.
  const float q = 0.5f * kAirDensity * speed;
  body.applyCentralForce(bt(-q * t.dragArea * vel));
  body.applyCentralForce(bt(-up * (0.5f * kAirDensity * forwardSpeed * forwardSpeed * t.downforceArea)));

  // The parking hold: with the brakes on and the car almost still, what remains is the
  // solver's residue, not motion; zero it so a parked car stays exactly where it is.
  if (parked && speed < kClampSpeed && wheelsInContact(car) == 4) {
    const btVector3 lv = body.getLinearVelocity();
    body.setLinearVelocity(btVector3(0, lv.y(), 0));
    const btVector3 av = body.getAngularVelocity();
    body.setAngularVelocity(btVector3(av.x(), 0, av.z()));
  }
}

int wheelsInContact(const Car& car) {
  const btRaycastVehicle& v = **car.vehicle;
  int n = 0;
  for (int w = 0; w < v.getNumWheels(); ++w) n += v.getWheelInfo(w).m_raycastInfo.m_isInContact ? 1 : 0;
  return n;
}

int wheelsOnKerb(const Car& car, const Track& track) {
  const btRaycastVehicle& v = **car.vehicle;
  const TrackSample& here = track.samples[static_cast<size_t>(car.race.sample)];
  int n = 0;
  for (int w = 0; w < v.getNumWheels(); ++w) {
    const btWheelInfo::RaycastInfo& ray = v.getWheelInfo(w).m_raycastInfo;
    if (!ray.m_isInContact) continue;
    n += track.onKerb(car.race.sample, glm::dot(gl(ray.m_contactPointWS) - here.position, here.right)) ? 1 : 0;
  }
  return n;
}

// ---- [SECTION] hashing -----------------------------------------------------------------------

namespace {
template <class T>
uint64_t mix(uint64_t h, const T& value) {
  return core::hashBytes(&value, sizeof value, h);
}
}  // namespace

uint64_t hashCar(const Car& car, uint64_t h) {
  const CarRace& r = car.race;
  // Field by field: the struct's padding bytes are not state.
  h = mix(h, r.steer), h = mix(h, r.s), h = mix(h, r.lateral), h = mix(h, r.sample);
  h = mix(h, r.nextCheckpoint), h = mix(h, r.lapsDone), h = mix(h, r.lapStarted);
  h = mix(h, r.lapStartTick), h = mix(h, r.finishTick), h = mix(h, r.finished);
  h = mix(h, r.finishOrder), h = mix(h, r.racePosition), h = mix(h, r.offTrackS);
  h = mix(h, r.turnedOverS), h = mix(h, r.resets), h = mix(h, r.bestLap), h = mix(h, r.speedFactor);
  h = mix(h, r.gear), h = mix(h, r.stuckS), h = mix(h, car.lap.hash);
  for (float lap : car.laps) h = mix(h, lap);
  const btRaycastVehicle& v = **car.vehicle;
  for (int w = 0; w < v.getNumWheels(); ++w) {
    const btWheelInfo& wheel = v.getWheelInfo(w);
    const btScalar values[7] = {wheel.m_rotation, wheel.m_deltaRotation, wheel.m_raycastInfo.m_suspensionLength,
                                wheel.m_steering, wheel.m_engineForce, wheel.m_brake, wheel.m_skidInfo};
    h = core::hashBytes(values, sizeof values, h);
  }
  return h;
}

}  // namespace pav::driving
