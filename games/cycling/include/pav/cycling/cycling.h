// pav::cycling: immersive cycling. A visitor rides a real bike on a smart trainer along a road
// that turns and climbs (a 3-D route, often a loop), alone or with up to 7 others (people or
// bots) in lanes, drafting in a wheel, kept together as a group until the sprint 500 m out; the
// ride's length fits the session.
//
// How to use it:
//   pav::cycling::registerCyclingTitle();            // once at start-up: "cycling" in the registry
//   auto title = pav::core::createTitle("cycling");  // or makeCyclingTitle()
//   title->setup({.players = 4, .seed = 7});         // reads <dataDir>/cycling/route.txt
//   each tick: a person's Trainer::poll(inputs[p]), or title->botInput(p, inputs[p]);
//              title->step(inputs);
//              trainer.setSimulation(cyclingTitle.trainerParams(p))  // grade, wind, Crr, Cw
//   at the end: title->results(json)
// Tests and tools reach the model directly: steadySpeed, stepRider, draftCdaFactor, Route::parse,
// encodeFtmsSimulation, or construct a CyclingTitle and give it a Route of their own.
//
// The physics is the road-cycling power model of Martin et al. (J. Appl. Biomech. 1998), the
// one GoldenCheetah's trainer simulation uses: wheel power = pedal power * (1 - drivetrain loss)
// against gravity, rolling resistance and aerodynamic drag, with the wheels' rotational inertia
// added to the mass that must be accelerated. Units are SI throughout; a grade is rise / run
// (0.05 is 5 %).
//
// Index:
//   [Physics]  RiderParams, Environment, RiderMotion, resistingForce, steadySpeed, stepRider,
//              powerForSpeed, draftCdaFactor
//   [Route]    Route: parse / load a route file (a road on the map, or a straight profile),
//              elevation, grade and the road's frame (RoadFrame) at a distance, forRide
//   [Bots]     BotProfile, botProfileForSkill, botPower, botCadence
//   [Trainer]  FtmsSimulation, encodeFtmsSimulation / decodeFtmsSimulation, Trainer,
//              SimulatedTrainer
//   [Title]    RiderStats; lanes (laneCentreM, nearestLane); the group ride (kGroup*, kSprintM);
//              the ride's length (rideLengthFor); RiderPose / riderPoseAt / riderPose;
//              CyclingTitle, makeCyclingTitle, registerCyclingTitle
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
#include "pav/render/body.h"
#include "pav/render/camera.h"

namespace pav::render {
class Presenter;
}

namespace pav::cycling {

// =============================================================================================
// [Physics] the rider-and-bike model along the road
// =============================================================================================

struct RiderParams {
  double massKg = 85;           // rider and bike together
  double cda = 0.32;            // drag area (m^2), riding on the hoods
  double crr = 0.004;           // rolling resistance coefficient, good tyres on smooth tarmac
  double drivetrainLoss = 0.02; // share of pedal power lost in chain and bearings
  double wheelInertia = 0.14;   // both wheels (kg m^2), Martin et al.'s measured value
  double wheelRadius = 0.311;   // 700c x 23 mm (m)
};

struct Environment {
  double airDensity = 1.225;  // kg/m^3, sea level at 15 C
  double headwindMs = 0;      // along the road; negative is a tailwind
  double gravity = 9.81;
};

struct RiderMotion {
  double distanceM = 0;  // along the route
  double speedMs = 0;    // never negative: a stopped rider puts a foot down (see stepRider)
};

// Below this speed the propulsive force is taken at this speed: P / v is unbounded at a
// standstill, while real wheel torque is not. Steady speeds above it are unaffected.
inline constexpr double kMinDriveSpeedMs = 1.0;
// Drafting reaches no further than this wheel gap (m).
inline constexpr double kMaxDraftGapM = 3.0;
// Front wheel to rear wheel of a road bike (m): a rider's distance is where the front wheel is.
inline constexpr double kBikeLengthM = 1.75;

// Mass to accelerate: m + I / r^2, the wheels' spin stores energy too.
double effectiveMass(const RiderParams& rider);

// Forces opposing forward motion at `speedMs` on `grade` (N): gravity m g sin(theta), rolling
// Crr m g cos(theta) and drag 1/2 rho CdA (v + wind)|v + wind|, the last signed so a tailwind
// faster than the rider pushes. cdaFactor scales CdA (drafting).
double resistingForce(const RiderParams& rider, const Environment& env, double grade,
                      double speedMs, double cdaFactor = 1);

// Pedal power needed to hold `speedMs` steadily (W); 0 where the road alone keeps that speed.
double powerForSpeed(const RiderParams& rider, const Environment& env, double grade,
                     double speedMs, double cdaFactor = 1);

// The speed at which wheel power balances the resisting forces: P (1 - loss) = F(v) v, solved
// by bisection (the balance has one root above the speed where F changes sign). With no power
// on a descent this is the coasting speed; with no power uphill it is 0.
double steadySpeed(const RiderParams& rider, const Environment& env, double grade,
                   double pedalPowerW, double cdaFactor = 1);

// One fixed step of dt seconds (Heun's method: two force evaluations, second order). Speed is
// clamped at 0: a rider stopped on a climb stays put rather than rolling back through the start.
void stepRider(const RiderParams& rider, const Environment& env, double grade, double pedalPowerW,
               double cdaFactor, double dt, RiderMotion& motion);

// The share of CdA left to a rider whose front wheel is `wheelGapM` behind the wheel ahead:
// 0.62 - 0.0104 g + 0.0452 g^2 (Olds 1998, fitted to Kyle's 1979 wind-tunnel and coast-down
// data), i.e. 38 % less drag at 0 m, 34 % at 1 m, 22 % at 2 m, fading to none at 3 m. A
// negative gap means the wheels overlap (riding alongside): no shelter.
double draftCdaFactor(double wheelGapM);

// =============================================================================================
// [Route] an elevation profile along the road
// =============================================================================================

// Text format (assets/cycling/route.txt is an example): '#' starts a comment, blank lines are
// ignored; an optional "name <text>" line and an optional "loop" line; then a header line and
// one point per line, in metres:
//   "east_m north_m elevation_m"  a road on the map: each point where the road is (east is +X
//                                 in the scene, north is -Z) and its elevation. Distance along
//                                 the road is the horizontal length of the polyline. Consecutive
//                                 points at least kMinRouteStepM apart, the road turning at most
//                                 kMaxRouteTurnDeg at a point (add points to round a bend), map
//                                 coordinates within +-kMaxRouteMapM. "loop": the road goes on
//                                 from the last point back to the first (that stretch is checked
//                                 too), and a ride may go round it more than once.
//   "distance_m elevation_m"      a straight road along +X (the format before turns): the first
//                                 distance is 0 and distances strictly increase; no loop.
// Either way: at least 2 points (3 for a loop), elevations within [-500, 9000] m and no stretch
// steeper than kMaxRouteGrade. Elevation is linear between points, so a stretch's grade is rise
// over run.
inline constexpr double kMaxRouteGrade = 0.30;
inline constexpr double kMinRouteStepM = 0.5;
inline constexpr double kMaxRouteTurnDeg = 60;
inline constexpr double kMaxRouteMapM = 200000;

struct RoutePoint {
  double distanceM = 0;   // along the road (horizontal)
  double elevationM = 0;
  double eastM = 0;       // on the map: the scene's +X
  double northM = 0;      // the scene's -Z
};

// Where the road is at a distance, in the scene's axes (y up): its middle, the way it runs
// (horizontal, unit; turning smoothly through the points) and its right-hand side.
struct RoadFrame {
  glm::dvec3 centre{0.0};
  glm::dvec3 forward{1.0, 0.0, 0.0};
  glm::dvec3 right{0.0, 0.0, 1.0};
  double yaw = 0;  // about +Y, from +X: atan2(-forward.z, forward.x)
};

class Route {
 public:
  // Throws pav::Error "<source>:<line>: <what is wrong>".
  static Route parse(std::string_view text, std::string_view sourceName);
  // Throws pav::Error naming the file when it cannot be read, or as parse() when it is bad.
  static Route load(const std::string& path);
  // A straight road of one grade, for tests and tools.
  static Route uniform(double lengthM, double grade, double startElevationM = 100);

  // The road a ride of `lengthM` follows: this one cut at lengthM, or for a loop as many laps
  // (and part of one) as it takes. Never longer than the road when it is not a loop.
  Route forRide(double lengthM) const;

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  // For a loop the last point is the first again, one lap along.
  std::span<const RoutePoint> points() const { return points_; }
  double length() const { return points_.empty() ? 0 : points_.back().distanceM; }
  bool loop() const { return loop_; }
  double lapLength() const { return lapLengthM_ > 0 ? lapLengthM_ : length(); }
  double totalClimbM() const;  // sum of the rises
  // The climbing a rider does from `fromM` to `toM`: the sum of the rises between them, or
  // minus that when `toM` is behind `fromM` (undoing a stretch undoes its climbing).
  double climbBetween(double fromM, double toM) const;

  // The stretch holding `distanceM` (clamped to the route). `hint` is where to start looking:
  // riders move a little each tick, so passing last tick's answer makes this O(1).
  uint32_t segmentAt(double distanceM, uint32_t hint = 0) const;
  double gradeOf(uint32_t segment) const;
  double elevationAt(double distanceM, uint32_t segment) const;
  double elevationAt(double distanceM) const { return elevationAt(distanceM, segmentAt(distanceM)); }
  double gradeAt(double distanceM) const { return gradeOf(segmentAt(distanceM)); }
  // The road at `distanceM` (clamped): no allocation, for the step and the presenter.
  RoadFrame frameAt(double distanceM, uint32_t segment) const;
  RoadFrame frameAt(double distanceM) const { return frameAt(distanceM, segmentAt(distanceM)); }
  // How sharply the road turns at point i (radians per metre, left positive): the presenter
  // banks the road's edges by it.
  double curvatureAt(uint32_t point) const;

 private:
  glm::dvec3 tangentAt(uint32_t point) const;  // horizontal unit, between the stretches
  std::string name_;
  std::string source_;
  std::vector<RoutePoint> points_;
  bool loop_ = false;
  double lapLengthM_ = 0;  // a ride's: the loop it goes round (0: not a lap ride)
};

// =============================================================================================
// [Bots] riders who pedal by a power profile
// =============================================================================================

struct BotProfile {
  double ftpWatts = 230;     // functional threshold power: what they hold for an hour
  double flatShare = 0.78;   // share of FTP on the flat
  double climbGain = 4.0;    // extra share per unit grade (5 % adds 0.2); negative grade eases
  double maxShare = 1.15;    // ceiling on climbs
  double coastSpeedMs = 16;  // above this they ease off and let the road do the work
  double cadenceRpm = 90;    // on the flat; lower on climbs
};

// skill 0 easy (a leisure rider), 1 medium (a club rider), 2 hard (a strong amateur).
BotProfile botProfileForSkill(int skill);
// The power a bot rides at on `grade` at `speedMs`; `variation` is a small relative wobble
// (from the title's seeded noise) so bots do not ride like metronomes.
double botPower(const BotProfile& bot, double grade, double speedMs, double variation = 0);
double botCadence(const BotProfile& bot, double grade, double powerW);

// =============================================================================================
// [Trainer] the hardware seam: a smart trainer speaks FTMS
// =============================================================================================

// The Bluetooth Fitness Machine Service control point procedure "Set Indoor Bike Simulation
// Parameters": the trainer resists as if on this road. In SI units here; the encoder scales.
struct FtmsSimulation {
  double windSpeedMs = 0;             // positive is a headwind
  double grade = 0;                   // rise / run
  double crr = 0.004;
  double windResistanceKgPerM = 0.196;  // Cw = 1/2 rho CdA
};

inline constexpr uint8_t kFtmsSetIndoorBikeSimulation = 0x11;
// Op code, then little-endian: wind sint16 (0.001 m/s), grade sint16 (0.01 %), Crr uint8
// (0.0001), Cw uint8 (0.01 kg/m). Out-of-range values clamp to the field's limits; NaN reads 0.
using FtmsPacket = std::array<uint8_t, 7>;
FtmsPacket encodeFtmsSimulation(const FtmsSimulation& sim);
FtmsSimulation decodeFtmsSimulation(const FtmsPacket& packet);

class Trainer {
 public:
  virtual ~Trainer() = default;
  // Latest power and cadence from the device into the rider's input (pedalPowerWatts,
  // cadenceRpm); other fields are left alone.
  virtual void poll(pav::core::InputFrame& out) = 0;
  // The road the rider is on now; a real trainer sends encodeFtmsSimulation(sim).
  virtual void setSimulation(const FtmsSimulation& sim) = 0;
};

// A trainer with a bot on it: pedals by a BotProfile on the grade it was last sent (as a real
// trainer sees it, after FTMS quantisation), or at a fixed power. Remembers what it was sent.
class SimulatedTrainer final : public Trainer {
 public:
  explicit SimulatedTrainer(const BotProfile& profile = {}) : profile_(profile) {}
  void setFixedPower(float watts, float cadenceRpm);  // overrides the profile
  void poll(pav::core::InputFrame& out) override;
  void setSimulation(const FtmsSimulation& sim) override;

  const FtmsSimulation& lastSimulation() const { return last_; }  // decoded from lastPacket()
  const FtmsPacket& lastPacket() const { return packet_; }
  int simulationsReceived() const { return received_; }

 private:
  BotProfile profile_;
  bool fixed_ = false;
  float fixedWatts_ = 0;
  float fixedCadence_ = 0;
  FtmsSimulation last_;
  FtmsPacket packet_{};
  int received_ = 0;
};

// =============================================================================================
// [Title] up to 8 riders on one route
// =============================================================================================

struct RiderStats {
  double distanceM = 0;
  double timeS = 0;         // riding time: stops at the finish line
  double speedMs = 0;
  double avgSpeedMs = 0;    // distance / time
  double climbedM = 0;      // sum of elevation gained
  double cdaFactor = 1;     // drafting now: 1 in the wind, about 0.66 a wheel behind
  double pullGrade = 0;     // the group's virtual draft now, as a grade: < 0 pulled on, > 0 held
  double lateralM = 0;      // across the road from its middle, right positive
  double powerW = 0;        // at the pedals, as last stepped (0 once finished)
  double cadenceRpm = 0;    // as last stepped
  bool finished = false;
};

// Without a durationSeconds, a session still ends after this long (a visitor may walk away).
inline constexpr double kDefaultMaxSessionS = 2 * 3600;
// A sprinter peaks near 2000 W; anything beyond is a sensor glitch, not a person.
inline constexpr double kMaxPedalPowerW = 2500;
// The road as drawn is this wide either side of its middle; each seat has its own lane on it.
inline constexpr float kRoadHalfWidthM = 3.0f;

// [Title: lanes] Eight lanes across the road, seat p starting in lane p (lane 0 on the left).
// With no steering a rider auto-steers to the middle of the nearest lane; steering moves them
// across at kSteerSpeedMs at full lock. A wheel ahead shelters only a rider within
// kDraftBandM of it across the road: in its lane, not the next one.
inline constexpr int kLanes = 8;
inline constexpr double kFirstLaneM = -2.2;
inline constexpr double kLaneSpacingM = 0.63;
inline constexpr double kDraftBandM = 0.4;
inline constexpr double kSteerSpeedMs = 1.5;
inline constexpr double kSteerDeadZone = 0.15;
inline constexpr double kAutoSteerMs = 0.8;
double laneCentreM(int lane);
int nearestLane(double lateralM);
// A rider's place across the road is kept on a grid of kLateralGridM (2 mm): a station reads it
// back exactly from a frame's position (float, then the codec's millimetre), so apply then
// capture gives the same frame.
inline constexpr double kLateralGridM = 1.0 / 512;
double snapLateral(double lateralM);

// [Title: the group ride] Riders stay together through a virtual draft: a rider who drifts
// off the group's middle (the median distance of the riders still in it) beyond the slack
// (kGroupSlackM, and kGroupSlackPerRiderM for each rider beyond two) is pulled on (behind) or held back (ahead), as if the road were gentler or
// steeper by a grade that grows with the gap and the gap's closing speed. It works on climbs,
// where a real draft does little. The group is the riders pedalling (kGroupMinPowerW or more:
// one who stops, or coasts, neither holds the others nor is towed); the pull at most doubles
// what a rider's own legs give, the hold is at most kGroupHoldMax, and a rider kGroupDroppedM
// off the middle has left the group. Within kSprintM of the finish, counted
// from the first rider there, the group lets go: the finish sprint, announced on the HUD.
// Nobody is moved: only forces.
inline constexpr double kGroupSlackM = 1.0;            // two riders; more for each one more
inline constexpr double kGroupSlackPerRiderM = 1.2;    // (a line of eight is 16 m long)
inline constexpr double kGroupPullPerM = 0.03;    // grade per metre beyond the slack
inline constexpr double kGroupPullPerMs = 0.10;   // grade per m/s of drift off the group's speed
inline constexpr double kGroupPullMax = 0.06;
inline constexpr double kGroupHoldMax = 0.03;
inline constexpr double kGroupDroppedM = 200;
inline constexpr double kGroupMinPowerW = 30;
inline constexpr double kSprintM = 500;

// [Title: the ride's length] A session of `sessionSeconds` rides this much of `course`: what a
// rider of `bot` (solo, at their steady speed stretch by stretch) covers in kRideShareOfSession
// of the session, so visitors reach the line with time to spare, going round a loop as often
// as that takes; the whole road when the course is shorter and not a loop. An open-ended
// session (0 s): a loop is ridden for kDefaultMaxSessionS, a point-to-point road to its end.
inline constexpr double kRideShareOfSession = 0.8;
double rideLengthFor(const Route& course, double sessionSeconds, const BotProfile& bot, const RiderParams& rider = {});

// Where a rider is in the picture: on the road at `distanceM` (RoadFrame: x east, y the
// elevation, z south), `lateralM` to the right of its middle, heading along it and pitched by
// the grade, moving along the road. The presenter draws it; the networked state sends it
// (cycling_state.cpp), and a station reads the rider's place across the road back from it.
struct RiderPose {
  glm::vec3 position{0.0f};
  glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};
  glm::vec3 velocity{0.0f};
};
RiderPose riderPoseAt(const Route& route, double distanceM, double lateralM, double speedMs);
// The same in seat's own lane.
RiderPose riderPose(const Route& route, int seat, double distanceM, double speedMs);
// The rider's eye on the bike the presenter draws at `pose`: above the handlebars, looking
// along the road (the bike's heading) with a level horizon (heading only, as a recentered
// headset keeps it). Where a seated visitor's head goes, moving with their bike.
render::Pose riderEye(const RiderPose& pose);
// What a rider's seat shows of its visitor (Presenter::body): the bike's handlebars from the
// rider's eye, the hands on the hoods.
render::Body handlebarsBody(const RiderPose& pose);

// A headset visitor's full trigger pedals this hard (no trainer at the station).
constexpr float kHeadsetFullEffortWatts = 400.0f;

class CyclingTitle final : public pav::core::Title {
 public:
  CyclingTitle();

  const pav::core::TitleInfo& info() const override;
  // Loads the route from setup.dataDir (or the built-in assets): <dir>/cycling/route.txt, or
  // <dir>/route.txt when dataDir names the cycling folder itself.
  void setup(const pav::core::TitleSetup& setup) override;
  // The same with a route given directly (tests, tools, a route chosen by the operator).
  void setup(const pav::core::TitleSetup& setup, Route route);
  void step(std::span<const pav::core::InputFrame> inputs) override;
  void botInput(int player, pav::core::InputFrame& out) const override;
  // Up or Space pedals (250 W at 90 rpm); left and right steer.
  void desktopInput(const pav::core::DesktopControls& c, int player, pav::core::InputFrame& out) const override;
  // In a headset without a trainer: either trigger is the effort at the pedals (full: 400 W,
  // from 60 rpm turning to 100 rpm as the effort grows), the thumbstick steers. A smart
  // trainer (TitleInfo::devices asks for one) gives the real power and cadence instead.
  void headsetInput(const pav::core::HeadsetControls& c, int player, pav::core::InputFrame& out) const override;
  uint64_t tick() const override { return tick_; }
  bool finished() const override;
  uint64_t stateHash() const override;
  std::string results(bool json) const override;
  // Seats best first: finishers by riding time, then the rest by distance.
  std::vector<int> ranking() const;
  // One object per rider (seat p rides object p); per rider the scalars distance, speed,
  // riding time and effort (power and cadence, for the HUD; cycling_state.cpp).
  void describe(pav::core::StateSchema& schema) const override;
  void capture(pav::core::StateFrame& out) const override;
  void apply(const pav::core::StateFrame& in) override;
  int ownObject(int seat) const override;

  int players() const { return players_; }
  // The road this ride follows (cut to its length, a loop's laps unrolled: rideLengthFor) and
  // the road as the file has it (what the presenter draws).
  const Route& route() const { return route_; }
  const Route& course() const { return course_; }
  // The group ride (on by default): off, riders race from the start.
  void setGroupRide(bool on) { groupRide_ = on; }
  // TitleSetup::dataDir as given to setup (empty: the built-in assets/); the presenter loads
  // its models from <dataDir>/models (beside it when dataDir is the cycling folder itself).
  const std::string& dataDir() const { return setup_.dataDir; }
  RiderStats stats(int player) const;
  // What player's smart trainer should simulate now: the grade under them, the wind, their
  // Crr and their drag (less when drafting).
  FtmsSimulation trainerParams(int player) const;
  // The same for a station's trainer (core::Title's hook; the station applies its feel).
  bool trainerRoad(int player, pav::core::TrainerRoad& out) const override;

  // Between setup and the first step: a heavier visitor, a time-trial position, a windy day,
  // a rider placed somewhere on the road (in a lane: -1 the seat's own). Each resets that
  // rider's stats.
  void setRiderParams(int player, const RiderParams& params);
  void setEnvironment(const Environment& env) { env_ = env; }
  void placeRider(int player, double distanceM, double speedMs, int lane = -1);

 private:
  struct Rider {
    RiderParams params;
    RiderMotion motion;
    BotProfile bot;
    double timeS = 0;
    double climbedM = 0;
    double elevationM = 0;  // at motion.distanceM, to count climbing
    double cdaFactor = 1;
    double pullGrade = 0;   // the group's virtual draft (computePull)
    double lateralM = 0;    // across the road
    double noise = 0;       // the bot's slowly wandering share of power, from the seeded PRNG
    uint32_t segment = 0;   // route stretch under the rider (lookup hint)
    float powerW = 0;       // the last step's pedal power and cadence, as the input gave them
    float cadenceRpm = 0;   // (clamped): networked for the HUD, not used by the step
    bool finished = false;
  };

  void computeDrafting();
  void computePull();
  // Auto-steer to the nearest lane, or steering across: the rider's new lateralM.
  void steerRider(Rider& r, float steer) const;
  void checkPlayer(int player) const;
  // The bots' power noise as it is after `tick` steps from setup (apply: the frame's tick).
  void seekNoise(uint64_t tick);

  pav::core::TitleSetup setup_;
  Route course_;
  Route route_;
  bool groupRide_ = true;
  Environment env_;
  std::array<Rider, pav::core::kMaxPlayers> riders_{};
  int players_ = 0;
  uint64_t tick_ = 0;
  uint64_t rng_ = 0;  // SplitMix64 state
  double maxSeconds_ = kDefaultMaxSessionS;
};

std::unique_ptr<pav::core::Title> makeCyclingTitle();
// Adds "cycling" to the engine's title registry.
void registerCyclingTitle();

// What a ride looks like (road on the real profile, riders, a camera behind the leader);
// nullptr for another title.
std::unique_ptr<render::Presenter> makeCyclingPresenter(const pav::core::Title& title, int seat = -1);

}  // namespace pav::cycling
