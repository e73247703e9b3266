// pav::driving: VR virtual driving. Up to four cars (people or bots) race laps of a closed
// circuit read from a text file; cars are Bullet raycast vehicles stepped at 240 Hz.
//
// How to use it:
//   pav::driving::registerDrivingTitle();            // once at start-up: "driving" in the registry
//   auto title = pav::core::createTitle("driving");  // or makeDrivingTitle()
//   title->setup({.players = 4, .seed = 7, .skill = 1});  // reads <dataDir>/driving/track.txt
//   each tick: a person's wheel fills inputs[p] (steer, throttle, brake),
//              or title->botInput(p, inputs[p]);
//              title->step(inputs);
//   at the end (finished()): title->results(json)
// Tests and tools reach more through DrivingTitle (car state, placing a car, the track) and
// Track::parse / Track::load.
//
// The track file ("x z width_m bank_deg surface" per control point, documented in
// assets/driving/track.txt) becomes a closed Catmull-Rom centre line sampled every ~2 m, a
// static triangle mesh for the road and its run-off aprons, a grass ground plane, checkpoints,
// a racing line for bots and a speed profile that brakes before corners. Through the corners
// red-and-white kerbs line both edges of the road (kKerbWidthM wide, flat: painted concrete
// whose ridges a driver feels rather than a bump the suspension takes).
//
// Each car has an automatic gearbox (gearbox.cpp): six ratios and a final drive turn the
// engine's torque curve into drive force at the rear wheels; it shifts up and down by engine
// speed, with the shift points apart far enough that a shift never calls for the opposite one.
//
// Index:
//   [Track]    Surface, TrackPoint, TrackSample, Track (parse, load, nearest, frame queries, kerbs)
//   [Cars]     CarTuning, CarStatus
//   [Gearbox]  engineRpm, engineTorqueNm, driveForce, shiftGear, gearFor
//   [Wheel feel] wheelForce, knockAmplitude: force feedback in a real wheel
//   [Bots]   BotSkill, botSkillFor, VisitorDriver (a first-timer, for measurement)
//   [Assists] Assists, assistsFor: steering toward the line, braking, traction control
//   [Ghost]  the session's best lap, replayed beside each car
//   [Comfort] vignetteStrength: the tunnelling vignette a seat's HUD draws
//   [Title]  DrivingTitle, makeDrivingTitle, registerDrivingTitle
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "pav/core/title.h"
#include "pav/render/camera.h"
#include "pav/render/presenter.h"

namespace pav::render {
class Presenter;
}

namespace pav::driving {

// ---- [Track] ----------------------------------------------------------------------------------

enum class Surface : uint8_t { Asphalt, Concrete, Cobbles, Gravel, Grass };
const char* surfaceName(Surface s);
// Tyre grip on a surface, as a multiple of asphalt's.
float surfaceGrip(Surface s);

// One control point as written in the file.
struct TrackPoint {
  float x = 0, z = 0;
  float widthM = 12;
  float bankDeg = 0;  // positive raises the outside of the corner at this point
  Surface surface = Surface::Asphalt;
  int line = 0;  // in the file, for messages
};

// One point of the sampled centre line (every ~2 m).
struct TrackSample {
  glm::vec3 position{0.0f};  // on the road surface at the centre line
  glm::vec3 forward{0.0f, 0.0f, 1.0f};  // horizontal unit tangent
  glm::vec3 right{-1.0f, 0.0f, 0.0f};   // horizontal unit, forward x up
  float s = 0;                 // arc length from the start line, metres
  float halfWidth = 6;
  float bankRad = 0;           // signed: positive raises the right-hand edge
  Surface surface = Surface::Asphalt;
  float racingOffset = 0;      // racing line: metres to the right of the centre line
  float curvature = 0;         // of the racing line, 1/m (unsigned)
  float targetSpeed = 0;       // speed profile at grip 1, m/s: corners and braking zones
  bool kerb = false;           // kerbs line both edges here (the corners, entry to exit)
};

// Kerbs take the outermost kKerbWidthM of the road on either side, where TrackSample::kerb.
constexpr float kKerbWidthM = 1.2f;
// Their painted concrete grips a little less than asphalt.
constexpr float kKerbGrip = 0.9f;

struct Track {
  std::string name = "track";
  std::string file;  // where it came from ("<text>" when parsed from memory)
  int laps = 3;
  std::vector<TrackPoint> points;
  std::vector<TrackSample> samples;
  std::vector<float> checkpoints;  // arc lengths; checkpoints[0] == 0 is the start/finish line
  float length = 0;
  float roadHeight = 0;  // y of the centre line above the ground plane (y = 0)

  // Throws pav::Error "<file>:<line>: <problem>" for a malformed file, or naming the file when
  // it cannot be read.
  static Track parse(std::string_view text, const std::string& fileName);
  static Track load(const std::string& path);

  // The sample index nearest to p, searching `window` samples either side of `hint`
  // (hint < 0: the whole track). Cheap and allocation-free.
  int nearest(const glm::vec3& p, int hint = -1, int window = 24) const;
  // Arc length and signed lateral offset (metres, positive right) of p near sample i.
  void project(const glm::vec3& p, int i, float& s, float& lateral) const;
  // The sample at (or just before) arc length s, wrapping.
  int sampleAt(float s) const;
  // A point on the road surface at arc length s and lateral offset, and the surface normal.
  glm::vec3 surfacePoint(float s, float lateral, glm::vec3* normal = nullptr) const;
  // A point on the racing line (blend 0: centre line, 1: racing line) at arc length s.
  glm::vec3 linePoint(float s, float blend) const;
  float wrap(float s) const;
  // Whether a point at `lateral` metres from the centre line near sample i is on a kerb.
  bool onKerb(int i, float lateral) const;
};

// ---- [Cars] -----------------------------------------------------------------------------------

// A small rear-drive race car. Bullet's suspension stiffness and damping are per unit of
// chassis mass; the figures below give about 1.5 Hz ride, damped at 0.5 (bump) to 0.7
// (rebound) of critical.
struct CarTuning {
  float massKg = 1150;
  glm::vec3 halfExtents{0.9f, 0.35f, 2.1f};
  float wheelRadius = 0.33f;
  float wheelHalfTrack = 0.82f;
  float wheelBaseHalf = 1.35f;
  float connectionHeight = 0.0f;  // chassis-local y of the suspension top: rays start inside it
  float suspensionRest = 0.35f;
  float suspensionStiffness = 22.0f;
  float dampingCompression = 2.4f;
  float dampingRelaxation = 3.4f;
  float maxSuspensionTravelCm = 25.0f;
  float maxSuspensionForce = 60000.0f;
  float frictionSlip = 1.45f;     // tyre grip coefficient on asphalt
  float rollInfluence = 0.12f;    // anti-roll: side forces act this far up the chassis
  float maxEngineForce = 9000.0f; // N at the rear wheels: traction control's cap, at launch
  float maxPowerW = 260000.0f;    // the most the engine puts through to the wheels
  // The engine (gearbox.cpp): torque at the crank is peakTorqueNm times a curve of engine
  // speed that peaks at 6000 rpm; peak power at the wheels is about maxPowerW.
  float peakTorqueNm = 395.0f;
  float launchRpm = 4000.0f;      // the clutch slips below it: the engine's speed pulling away
  float redlineRpm = 8000.0f;     // full-throttle upshift
  float limiterRpm = 8400.0f;     // fuel cut
  float lightUpshiftRpm = 6500.0f;  // upshift with the throttle closed (mixed by throttle)
  float downshiftRpm = 4200.0f;     // downshift with the throttle closed
  float kickdownRpm = 5400.0f;      // downshift at full throttle
  // Six forward ratios, a final drive and the driveline's efficiency. Steps of at most 1.41
  // keep every shift clear of the opposite shift point (gearbox.cpp checks it).
  std::array<float, 6> gearRatios{3.10f, 2.20f, 1.70f, 1.38f, 1.15f, 0.98f};
  float finalDrive = 3.40f;
  float drivelineEfficiency = 0.92f;
  float maxBrakeForce = 7000.0f;  // N per wheel
  float dragArea = 0.75f;         // Cd * A, m^2
  float downforceArea = 1.1f;     // Cl * A, m^2
  float maxSteerRad = 0.55f;      // lock at walking pace
  float steerSpeedRef = 18.0f;    // m/s where the lock has fallen to half
  float steerRateRadPerS = 1.8f;  // how fast the front wheels turn
  float tyreTrailM = 0.05f;       // pneumatic and caster trail of the front tyres, when gripping
};

struct CarStatus {
  glm::vec3 position{0.0f};
  glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};
  glm::vec3 velocity{0.0f};
  float speed = 0;         // m/s
  float s = 0;             // arc length along the track, metres
  float lateral = 0;       // signed offset from the centre line, metres (positive right)
  float halfWidth = 0;     // the road's at this point
  bool onTrack = true;     // the car's centre is over the road
  int wheelsInContact = 0;
  int lapsDone = 0;        // completed laps (timing starts at the first line crossing)
  int racePosition = 0;   // 1 = leading
  float bestLap = 0;       // seconds, 0 until a lap is done
  bool finished = false;
  int resets = 0;
  int gear = 1;            // 1 .. gearRatios.size()
  uint32_t shifts = 0;     // gear changes since setup: a host that remembers it sees each shift
  float engineRpm = 0;
  int wheelsOnKerb = 0;    // wheels touching a kerb now
  float frontLateralN = 0; // the front tyres' lateral force last step, toward the car's left
  float alignNm = 0;       // their self-aligning torque (positive turns the wheels right)
};

// ---- [Gearbox] --------------------------------------------------------------------------------

constexpr int kGears = 6;
// The engine's speed in `gear` at a forward speed (the raycast vehicle's wheels roll without
// longitudinal slip, so the car's speed is the wheels'); at least launchRpm in first, where
// the clutch slips, and at least an idle of 1000 rpm in the others.
float engineRpm(const CarTuning& t, int gear, float forwardSpeed);
// Torque at the crank at full throttle, N m: zero above the limiter.
float engineTorqueNm(const CarTuning& t, float rpm);
// Drive force at the rear wheels (both together), N: torque through the gear's ratio, the
// final drive and the driveline, capped by traction control.
float driveForce(const CarTuning& t, int gear, float forwardSpeed, float throttle);
// The gear after this tick's decision: one up past the upshift point (redline at full
// throttle, earlier with less), one down below the downshift point (later with more throttle:
// kickdown), else the same.
int shiftGear(const CarTuning& t, int gear, float forwardSpeed, float throttle);
// The gear a car placed at `speed` starts in: the highest whose engine speed is above the
// closed-throttle downshift point.
int gearFor(const CarTuning& t, float speed);

// ---- [Wheel feel] -----------------------------------------------------------------------------

// What the driver's wheel feels (a real wheel with force feedback, render::WheelForce): the
// front tyres' self-aligning torque (CarStatus::alignNm, from btRaycastVehicle's side impulses;
// the networked state carries it) as a constant force that pulls the rim back towards the way
// the car goes, a centring spring that fades out as the car gets going (at walking pace the
// tyres barely align), and a light damper. Kerbs rumble in the wheel, knocks (a car, a wall)
// jolt it.
constexpr float kWheelSpringAtRest = 0.5f;   // of the wheel's strongest spring
constexpr float kWheelSpringFadeMps = 10.0f;  // gone by this speed
constexpr float kWheelDamper = 0.2f;
constexpr float kKerbRumblePerWheel = 0.25f;  // per wheel on a kerb, two at most
constexpr float kKnockAccel = 4.0f * 9.81f;   // horizontal: more than tyres can give
constexpr float kKnockSeconds = 0.12f;
// The aligning torque felt as the wheel's strongest: the front axle's at the grip limit with
// the car's weight spread evenly (half of m g, times the tyres' grip, times the trail).
float fullAlignNm(const CarTuning& t);
// The wheel's forces for a car at `speed` (m/s) whose front tyres align with `alignNm`.
render::WheelForce wheelForce(const CarTuning& t, float speed, float alignNm);
// A knock between two frames `seconds` apart: the jolt's amplitude (0: none).
float knockAmplitude(const glm::vec3& velocityBefore, const glm::vec3& velocityNow, float seconds);

// ---- [Bots] -----------------------------------------------------------------------------------

struct BotSkill {
  float speedFactor;      // share of the car's grip the bot dares to use in corners
  float lookAheadM;       // steering target distance at rest
  float lookAheadS;       // plus this many seconds of travel
  float reactionS;        // how late the bot sees the road: it brakes for what is this far ahead
  float lineBlend;        // 0 centre line .. 1 racing line
};
BotSkill botSkillFor(int skill);  // 0 easy, 1 medium, 2 hard (clamped)

class DrivingTitle;

// A first-time visitor at the wheel, for measuring the assists: a driver who means what a bot
// means (the racing line, the speed profile) but sees the road kReactionS late, whose hands
// wander (steering noise: a slow random drift plus a tremor) and who trusts the car a little
// too much into corners. Deterministic: all of it comes from the seed, and the state is here.
class VisitorDriver {
 public:
  static constexpr float kReactionS = 0.2f;
  // noise scales the wander and the tremor (1: a first-timer's).
  explicit VisitorDriver(uint64_t seed, float noise = 1.0f);
  // This tick's input for `player`: call once per tick, before the step.
  void drive(const DrivingTitle& title, int player, core::InputFrame& out);

 private:
  static constexpr int kDelayTicks = 48;  // kReactionS at 240 Hz
  uint64_t rng_;
  float noise_;
  float wander_ = 0;
  std::array<core::InputFrame, kDelayTicks> seen_{};
  int next_ = 0;
  int filled_ = 0;
};

// ---- [Assists] --------------------------------------------------------------------------------

// The driving aids of a preset (core::kAssistsOff .. kAssistsExpo). They act on a seat's input
// inside the step, from the car's state only, so the server, a station's prediction and a
// replay assist alike.
struct Assists {
  // Steering: the wheel is drawn toward what keeps the car on the racing line, by this share
  // in the middle of the road, more toward the edge (all of it at kAssistEdgeM from the edge).
  float steer = 0;
  // Braking: 0 none; else the share of the grip the speed profile may use before a corner is
  // reached: above that speed the throttle closes and the brakes come on.
  float brakeShare = 0;
  // Traction control: the throttle eases while the rear slides or the car is sideways.
  bool traction = false;
};
constexpr float kAssistEdgeM = 1.0f;
Assists assistsFor(int preset);

// ---- [Comfort] --------------------------------------------------------------------------------

// The tunnelling vignette a seated visitor sees in a headset (the driving HUD draws it, in both
// eyes): 0 none .. 1 the darkest, from how fast the car turns (rad/s about any axis) and how
// hard it accelerates sideways or along (m/s^2), times the visitor's comfort setting (0 off ..
// 1 full). Below kVignetteCalmRadS and kVignetteCalmAccel nothing is drawn.
constexpr float kVignetteCalmRadS = 0.15f, kVignetteFullRadS = 1.2f;
constexpr float kVignetteCalmAccel = 4.0f, kVignetteFullAccel = 14.0f;
float vignetteStrength(float angularSpeedRadS, float accelMs2, float setting);

// The racing line as drawn on the track (the presenter's ribbon), coloured by what a car does
// there, per sample: Brake where a car at full throttle from the corner before would be over
// the speed profile (at `gripShare` of the grip) and the profile falls toward a corner (red),
// Corner where the profile holds it back through a bend (amber), Accelerate elsewhere (green).
enum class LineZone : uint8_t { Accelerate, Corner, Brake };
std::vector<LineZone> lineZones(const Track& track, const CarTuning& tuning, float gripShare);

// ---- [Title] ----------------------------------------------------------------------------------

// Below this the thumbsticks rest; the hands' virtual wheel steers instead.
constexpr float kStickDeadZone = 0.15f;

class DrivingTitle final : public core::Title {
 public:
  DrivingTitle();
  ~DrivingTitle() override;
  DrivingTitle(const DrivingTitle&) = delete;
  DrivingTitle& operator=(const DrivingTitle&) = delete;

  const core::TitleInfo& info() const override;
  void setup(const core::TitleSetup& setup) override;
  void step(std::span<const core::InputFrame> inputs) override;
  void botInput(int player, core::InputFrame& out) const override;
  // In a headset: either trigger is the throttle, either grip the brake, the thumbstick
  // steers; with the stick at rest and both hands tracked, the hands hold a virtual wheel
  // (the left hand above the right turns right; a quarter turn is full lock). A real wheel
  // (TitleInfo::devices asks for one) takes over once touched.
  void headsetInput(const core::HeadsetControls& c, int player, core::InputFrame& out) const override;
  uint64_t tick() const override;
  bool finished() const override;
  uint64_t stateHash() const override;
  std::string results(bool json) const override;
  // One object per car (seat p drives object p); per car the scalars steer, laps (a counter),
  // checkpoint progress, finish order, lap clock and off-road timer (driving_state.cpp).
  void describe(core::StateSchema& schema) const override;
  void capture(core::StateFrame& out) const override;
  void apply(const core::StateFrame& in) override;
  int ownObject(int seat) const override;

  // Setup from a track already in memory (tests); TitleSetup::dataDir is ignored.
  void setup(const core::TitleSetup& setup, Track track);

  const Track& track() const;
  const CarTuning& tuning() const;
  // TitleSetup::dataDir as given to setup (empty: the built-in assets/); the presenter loads
  // its models from <dataDir>/models.
  const std::string& dataDir() const;
  int players() const;
  CarStatus car(int player) const;
  // Lap times of a player in seconds, in order.
  std::span<const float> lapTimes(int player) const;
  // Teleport a car onto the track at arc length s and lateral offset, facing along the track,
  // moving forward at `speed` m/s (tests: parked cars, 200 km/h runs).
  void placeCar(int player, float s, float lateral, float speed);
  // Teleport a car to any pose (tests: off the track, upside down).
  void poseCar(int player, const glm::vec3& position, const glm::quat& orientation,
               const glm::vec3& velocity);
  // Lowest height of the chassis centre above the road surface seen since the last call
  // (resets it); the test for "never falls through the road".
  float takeMinHeightAboveRoad(int player);
  // The driver's eye in car p (world coordinates, looking out of the windscreen along -Z of
  // the pose): where a seated visitor's head goes, moving with the car. The orientation is
  // the car's heading only; the horizon stays level (comfort in a headset).
  render::Pose driverEye(int player) const;
  // The session's driving aids (TitleSetup::assists).
  const Assists& assists() const;
  // The ghost beside car p: the session's best lap so far, at car p's lap clock. False when
  // there is none to show (no lap done yet, the car's lap not begun, or longer than the best).
  bool ghost(int player, glm::vec3& position, glm::quat& orientation) const;
  float ghostLapTime() const;  // seconds; 0 until a lap is done

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

std::unique_ptr<core::Title> makeDrivingTitle();
void registerDrivingTitle();  // "driving" in the title registry

// What a race looks like (road, cars, a camera chasing the leader), and for a seat: the
// driver's eye, and shifts and kerbs felt in the hands. nullptr for another title.
std::unique_ptr<render::Presenter> makeDrivingPresenter(const core::Title& title, int seat = -1);
// The driver's eye in a car whose chassis is at this pose (DrivingTitle::driverEye's rule).
render::Pose driverEye(const CarTuning& tuning, const glm::vec3& position, const glm::quat& orientation);
// What the driver's seat shows of its visitor (Presenter::body): the cockpit and the steering
// wheel in front of the driver's eye, turned by the car's steering angle (full lock a quarter
// turn, kWheelQuarterTurn, as the headset's virtual wheel reads the hands), the hands on it.
inline constexpr float kWheelQuarterTurn = 1.5707964f;
render::Body steeringBody(const CarTuning& tuning, const glm::vec3& position, const glm::quat& orientation,
                          float steerRad);

}  // namespace pav::driving
