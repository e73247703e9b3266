// Internals shared by the driving title's source files: the Bullet pieces of a car, the wheel
// raycaster and the title's state. Not part of the public API.
#pragma once

#include <btBulletDynamicsCommon.h>
#include <BulletDynamics/Vehicle/btRaycastVehicle.h>

#include <algorithm>
#include <array>
#include <memory>
#include <span>
#include <vector>

#include "pav/driving/driving.h"
#include "pav/physics/physics.h"

namespace pav::driving {

constexpr int kMaxCars = 4;
constexpr double kTickRateHz = 240.0;
constexpr float kGravity = 9.81f;
constexpr float kAirDensity = 1.225f;
// Seconds a car may spend off the road, or on its roof, before it is put back.
constexpr float kOffTrackResetS = 2.0f;
constexpr float kTurnedOverResetS = 1.0f;
// A car that has not moved for this long while its driver asks for throttle is stuck (wedged
// against a barrier, beached on a kerb): it is put back too.
constexpr float kStuckResetS = 4.0f;
constexpr float kStuckSpeed = 0.5f;
// The speed profile is computed for these accelerations; a driver using a share f of them
// drives sqrt(f) times the profile (v^2 scales with acceleration).
constexpr float kProfileLateralAccel = 1.0f * kGravity;
constexpr float kProfileBrakeAccel = 0.8f * kGravity;
constexpr float kProfileMaxSpeed = 85.0f;

// The networked state's scalars, kCarScalars per car, car p's at p * kCarScalars
// (driving_state.cpp says what each is); finish_gear = finishOrder * kGearSlots + gear.
enum CarScalar { kSteer, kLaps, kCheckpoint, kFinishGear, kLapClock, kOffRoad, kAlign, kCarScalars };
constexpr int kGearSlots = 8;
// The align scalar's range on the wire (N m): over twice the default car's fullAlignNm.
constexpr float kMaxAlignNm = 1000.0f;

// ---- track building (track.cpp) ---------------------------------------------------------------

// The road as triangles: per centre-line sample a cross-section of grass apron, road edge,
// centre, road edge, apron, stitched to the next sample's.
void buildRoadMesh(const Track& track, std::vector<glm::vec3>& vertices, std::vector<uint32_t>& indices);

// ---- wheel rays (car.cpp) ---------------------------------------------------------------------

// Wheel rays see only static geometry (the track and the ground), never another car's chassis
// or the car's own: a wheel riding on a neighbour's roof is a famous raycast-vehicle launch.
class TrackRaycaster final : public btVehicleRaycaster {
 public:
  explicit TrackRaycaster(btDynamicsWorld& world) : world_(world) {}
  void* castRay(const btVector3& from, const btVector3& to, btVehicleRaycasterResult& result) override;

 private:
  btDynamicsWorld& world_;
};

// A btRaycastVehicle that also tells what its front tyres do sideways: Bullet keeps the side
// impulses it applies to itself, so updateFriction works out the front two as Bullet does
// (the same call on the same velocities, before Bullet applies them) and scales them by
// Bullet's own skid, as Bullet does. The physics is untouched.
class TyreVehicle final : public btRaycastVehicle {
 public:
  TyreVehicle(const btVehicleTuning& tuning, btRigidBody* chassis, btVehicleRaycaster* raycaster, float trailM)
      : btRaycastVehicle(tuning, chassis, raycaster), trailM_(trailM) {}
  void updateFriction(btScalar timeStep) override;
  // The last step's: the front tyres' lateral force (N, toward the chassis' +x, its left) and
  // the self-aligning torque about the steering axis (N m, positive turns the wheels to the
  // right): the force times a trail that shrinks as the tyres slide.
  float frontLateralN() const { return frontLateralN_; }
  float alignNm() const { return alignNm_; }

 private:
  float trailM_;
  float frontLateralN_ = 0, alignNm_ = 0;
};

// A TyreVehicle that is in the world exactly as long as it exists.
class VehicleInWorld {
 public:
  VehicleInWorld(btDynamicsWorld& world, std::unique_ptr<TyreVehicle> vehicle);
  ~VehicleInWorld();
  VehicleInWorld(const VehicleInWorld&) = delete;
  VehicleInWorld& operator=(const VehicleInWorld&) = delete;
  TyreVehicle& operator*() const { return *vehicle_; }
  TyreVehicle* operator->() const { return vehicle_.get(); }

 private:
  btDynamicsWorld& world_;
  std::unique_ptr<TyreVehicle> vehicle_;
};

// Plain, hashable race and control state of one car (no pointers: it goes into stateHash).
struct CarRace {
  float steer = 0;           // current front-wheel angle, radians (Bullet sign: + is left)
  float s = 0;               // arc length along the track
  float lateral = 0;
  int sample = 0;            // nearest centre-line sample (the search hint)
  int nextCheckpoint = 0;    // index into track.checkpoints
  int lapsDone = 0;
  int lapStarted = 0;        // timing has begun (the first crossing of the line)
  uint64_t lapStartTick = 0;
  uint64_t finishTick = 0;
  int finished = 0;
  int finishOrder = 0;       // 1 for the winner
  int racePosition = 0;
  float offTrackS = 0;
  float turnedOverS = 0;
  int resets = 0;
  float bestLap = 0;
  float speedFactor = 1;     // this bot's own nerve, from the seed
  float minHeight = 1e9f;    // chassis centre above the road, lowest since last asked
  int gear = 1;              // the automatic gearbox's gear, 1 .. kGears
  uint32_t shifts = 0;       // gear changes so far (a report for the driver's feel, not hashed)
  float alignNm = 0;         // the front tyres' self-aligning torque last step (TyreVehicle; the
                             // wheel's feel, derived from the physics: not hashed)
  float stuckS = 0;          // seconds not moving while the driver asks for throttle
};

// The networked frame: the cars' objects first (seat p drives object p), then one ghost per car
// (object players + p: the session's best lap at car p's lap clock), a ghost with nothing to
// show parked below the ground at kGhostHiddenY.
constexpr float kGhostHiddenY = -9.0f;
inline int carsInFrame(const core::StateFrame& f) { return std::min(static_cast<int>(f.objects.size()) / 2, kMaxCars); }
inline bool ghostShown(const core::ObjectState& g) { return g.position.y > kGhostHiddenY + 1.0f; }

// ---- the ghost (ghost.cpp) --------------------------------------------------------------------

// A lap as driven: the chassis' pose every kGhostEveryTicks from the line. Storage is reserved
// at setup for kGhostMaxS of lap; a longer lap stops recording (and is no ghost).
constexpr int kGhostEveryTicks = 12;  // 20 Hz
constexpr float kGhostMaxS = 300.0f;
struct GhostPose {
  glm::vec3 position{0.0f};
  glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};
};
struct GhostLap {
  std::vector<GhostPose> poses;
  float lapS = 0;     // the lap's time (0: none)
  uint64_t hash = 0;  // of every pose recorded, so stateHash covers the ghost in O(1)
  bool overflow = false;
  void reserve();
  void clear();
  void record(const physics::BodyState& st);
  // Take `lap` (same reserved capacity): no allocation.
  void takeFrom(const GhostLap& lap);
  // The pose at `seconds` into the lap; false past its end or when empty.
  bool poseAt(float seconds, GhostPose& out) const;
};

struct Car {
  physics::BodyId chassis;
  std::unique_ptr<VehicleInWorld> vehicle;
  CarRace race;
  std::vector<float> laps;  // reserved for the race's laps at setup: no growth in step
  GhostLap lap;             // this lap so far
};

// ---- the title's state (driving_title.cpp) ----------------------------------------------------

struct DrivingTitle::Impl {
  core::TitleSetup setup;
  Track track;
  CarTuning tuning;
  BotSkill skill{};
  float trackGrip = 1;  // the day's grip, from the seed
  uint64_t tick = 0;
  uint64_t endTick = 0;  // durationSeconds as ticks; 0: race laps only
  int finishers = 0;
  Assists assists;
  GhostLap best;  // the session's best lap: every car's ghost
  // Destroyed in reverse: cars (each removes its vehicle from the world), the raycaster the
  // vehicles point at, then the world that owns the chassis bodies and the track.
  std::unique_ptr<physics::World> world;
  std::unique_ptr<TrackRaycaster> raycaster;
  std::array<Car, kMaxCars> cars;
  int players = 0;
  physics::BodyId road, ground;

  void build(const core::TitleSetup& s, Track t);
  void teardown();
  void applyControls(int p, const core::InputFrame& in);
  void afterStep(int p);
  void updatePositions();
  void place(int p, float s, float lateral, float speed);
  void syncAfterTeleport(int p);  // wheels, steering and track position after a teleport
  void resetToTrack(int p);
};

// ---- cars (car.cpp) ---------------------------------------------------------------------------

Car makeCar(physics::World& world, TrackRaycaster& raycaster, const CarTuning& tuning);
// Chassis centre height above the road when the suspension carries the car's weight at rest.
float restHeight(const CarTuning& tuning);
// Front-wheel lock allowed at a speed: full at rest, shrinking as speed rises.
float steerLock(const CarTuning& tuning, float speed);
// Engine, brakes, steering (rate-limited), grip per surface, aero and the parking hold.
void driveCar(Car& car, physics::World& world, const Track& track, const CarTuning& tuning,
              float trackGrip, const core::InputFrame& in, float dt);
int wheelsInContact(const Car& car);
// Wheels whose contact point is on a kerb (the contacts of the last cast: after a step or a
// teleport's re-cast).
int wheelsOnKerb(const Car& car, const Track& track);
uint64_t hashCar(const Car& car, uint64_t h);

// ---- assists (assists.cpp) --------------------------------------------------------------------

// The input after the session's assists, for a car in this state (the Bullet wheels' skid from
// the last step). Pure: the same state and input give the same result.
void applyAssists(const Track& track, const CarTuning& tuning, const Assists& a, float trackGrip,
                  const physics::BodyState& body, const CarRace& race, const btRaycastVehicle& vehicle,
                  core::InputFrame& io);
// The steering (-1..1) that takes a car at this state toward a point on the racing line ahead
// (pure pursuit: the bots' rule).
float lineSteer(const Track& track, const CarTuning& tuning, const physics::BodyState& body, float s,
                float lookAheadM, float lookAheadS, float lineBlend);

// ---- the gearbox (gearbox.cpp) ----------------------------------------------------------------

// Throws pav::Error when the ratios and shift points would let the gearbox hunt.
void checkShiftPoints(const CarTuning& tuning);

// ---- bots (bot.cpp) ---------------------------------------------------------------------------

// What the bot sees of the other cars: a speed not to exceed (the car ahead's, closing only
// while the gap is larger than it likes).
struct BotTraffic {
  float capSpeed = 1e9f;
};
BotTraffic botTraffic(const Track& track, const CarRace& me, float mySpeed, std::span<const CarRace> others,
                      std::span<const float> otherSpeeds);
void botDrive(const Track& track, const CarTuning& tuning, const BotSkill& skill, float nerve,
              const physics::BodyState& body, const CarRace& race, const BotTraffic& traffic, core::InputFrame& out);

}  // namespace pav::driving
