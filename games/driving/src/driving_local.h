// Internals shared by the driving title's source files: the Bullet pieces of a car, the wheel
// raycaster and the title's state. Not part of the public API.
#pragma once

#include <btBulletDynamicsCommon.h>
#include <BulletDynamics/Vehicle/btRaycastVehicle.h>

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
// The speed profile is computed for these accelerations; a driver using a share f of them
// drives sqrt(f) times the profile (v^2 scales with acceleration).
constexpr float kProfileLateralAccel = 1.0f * kGravity;
constexpr float kProfileBrakeAccel = 0.8f * kGravity;
constexpr float kProfileMaxSpeed = 85.0f;

// The networked state's scalars, kCarScalars per car, car p's at p * kCarScalars
// (driving_state.cpp says what each is); finish_gear = finishOrder * kGearSlots + gear.
enum CarScalar { kSteer, kLaps, kCheckpoint, kFinishGear, kLapClock, kOffRoad, kCarScalars };
constexpr int kGearSlots = 8;

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

// A btRaycastVehicle that is in the world exactly as long as it exists.
class VehicleInWorld {
 public:
  VehicleInWorld(btDynamicsWorld& world, std::unique_ptr<btRaycastVehicle> vehicle);
  ~VehicleInWorld();
  VehicleInWorld(const VehicleInWorld&) = delete;
  VehicleInWorld& operator=(const VehicleInWorld&) = delete;
  btRaycastVehicle& operator*() const { return *vehicle_; }
  btRaycastVehicle* operator->() const { return vehicle_.get(); }

 private:
  btDynamicsWorld& world_;
  std::unique_ptr<btRaycastVehicle> vehicle_;
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
};

struct Car {
  physics::BodyId chassis;
  std::unique_ptr<VehicleInWorld> vehicle;
  CarRace race;
  std::vector<float> laps;  // reserved for the race's laps at setup: no growth in step
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
