// The driving title: setup (world, track, cars on the grid), the fixed step, race rules
// (checkpoints, laps, positions, resets) and the queries tests use.
//
// [SECTION] setup and teardown
// [SECTION] placing cars
// [SECTION] the step and race rules
// [SECTION] Title interface and queries
#include <algorithm>
#include <cmath>

#include "driving_local.h"
#include "pav/core/error.h"

namespace pav::driving {
namespace {

// splitmix64: a tiny, well-mixed generator; all of the title's randomness comes from it.
uint64_t nextRandom(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
float uniform(uint64_t& state) { return static_cast<float>(nextRandom(state) >> 40) / static_cast<float>(1ull << 24); }

glm::quat facing(const glm::vec3& forward, const glm::vec3& up) {
  const glm::vec3 f = glm::normalize(forward - up * glm::dot(forward, up));
  const glm::vec3 left = glm::cross(up, f);  // chassis x
  return glm::quat_cast(glm::mat3(left, up, f));
}

}  // namespace

// ---- [SECTION] setup and teardown ------------------------------------------------------------

void DrivingTitle::Impl::teardown() {
  // Vehicles leave the world before the raycaster they point at and the world go.
  for (int p = kMaxCars - 1; p >= 0; --p) cars[static_cast<size_t>(p)] = Car{};
  raycaster.reset();
  world.reset();
  players = 0;
}

void DrivingTitle::Impl::build(const core::TitleSetup& s, Track t) {
  PAV_CHECK(s.players >= 1 && s.players <= kMaxCars, "driving: %d players; the title takes 1 to %d",
            s.players, kMaxCars);
  PAV_CHECK(s.durationSeconds >= 0, "driving: durationSeconds %g is negative", s.durationSeconds);
  PAV_CHECK(s.assists >= core::kAssistsOff && s.assists <= core::kAssistsExpo,
            "driving: assists %d; valid: %s (0..2)", s.assists, core::kAssistList);
  checkShiftPoints(tuning);
  teardown();
  setup = s;
  track = std::move(t);
  skill = botSkillFor(s.skill);
  assists = assistsFor(s.assists);
  best.reserve();
  best.clear();
  tick = 0;
  finishers = 0;
  endTick = static_cast<uint64_t>(std::llround(s.durationSeconds * kTickRateHz));

  world = std::make_unique<physics::World>(physics::WorldDesc{.gravity = {0.0f, -kGravity, 0.0f},
                                                              .tickRateHz = kTickRateHz,
                                                              .solverIterations = 0});
  raycaster = std::make_unique<TrackRaycaster>(world->bullet());

  std::vector<glm::vec3> vertices;
  std::vector<uint32_t> indices;
  buildRoadMesh(track, vertices, indices);
  physics::BodyDesc roadDesc;
  roadDesc.shape = world->addTriangleMesh(vertices, indices);
  roadDesc.kind = physics::BodyKind::Static;
  roadDesc.friction = 0.9f;
  roadDesc.group = physics::group::kStatic;
  road = world->addBody(roadDesc);
  physics::BodyDesc groundDesc = roadDesc;
  groundDesc.shape = world->addPlane({0.0f, 1.0f, 0.0f}, 0.0f);
  groundDesc.friction = 0.5f;
  ground = world->addBody(groundDesc);

  uint64_t rng = s.seed ^ 0x5eed0d21f1e1d5ull;
  trackGrip = 0.97f + 0.06f * uniform(rng);  // the day's track temperature and rubber
  players = s.players;
  for (int p = 0; p < players; ++p) {
    Car& car = cars[static_cast<size_t>(p)];
    car = makeCar(*world, *raycaster, tuning);
    car.laps.reserve(static_cast<size_t>(track.laps));
    car.lap.reserve();
    car.race.speedFactor = 0.97f + 0.05f * uniform(rng);
    // A staggered grid behind the line, pole on the left.
    place(p, -10.0f - 7.0f * static_cast<float>(p), (p % 2 == 0 ? -0.25f : 0.25f) * track.samples.back().halfWidth, 0.0f);
    car.race.minHeight = 1e9f;
  }
  updatePositions();
}

// ---- [SECTION] placing cars ------------------------------------------------------------------

void DrivingTitle::Impl::place(int p, float s, float lateral, float speed) {
  Car& car = cars[static_cast<size_t>(p)];
  glm::vec3 normal;
  const glm::vec3 at = track.surfacePoint(s, lateral, &normal);
  const int i = std::max(0, track.sampleAt(s));
  const glm::vec3 forward = track.samples[static_cast<size_t>(i)].forward;
  const glm::quat q = facing(forward, normal);
  const glm::vec3 f = q * glm::vec3(0.0f, 0.0f, 1.0f);
  world->setState(car.chassis, {at + normal * restHeight(tuning), q, f * speed, glm::vec3(0.0f)});
  syncAfterTeleport(p);
}

void DrivingTitle::Impl::syncAfterTeleport(int p) {
  Car& car = cars[static_cast<size_t>(p)];
  btRaycastVehicle& v = **car.vehicle;
  v.resetSuspension();
  for (int w = 0; w < v.getNumWheels(); ++w) {
    btWheelInfo& wheel = v.getWheelInfo(w);
    wheel.m_steering = 0;
    wheel.m_deltaRotation = 0;
    // At rest length minus the weight's compression, so the first step pushes no harder than
    // the car weighs (resetSuspension's full rest length would bounce the car).
    wheel.m_raycastInfo.m_suspensionLength = restHeight(tuning) - tuning.wheelRadius + tuning.connectionHeight;
    v.updateWheelTransform(w, false);
  }
  car.race.steer = 0;
  const physics::BodyState st = world->state(car.chassis);
  // The gearbox starts in the gear it would hold at the car's speed.
  car.race.gear = gearFor(tuning, glm::dot(st.linearVelocity, st.orientation * glm::vec3(0.0f, 0.0f, 1.0f)));
  car.race.sample = track.nearest(st.position);
  track.project(st.position, car.race.sample, car.race.s, car.race.lateral);
  car.race.offTrackS = 0;
  car.race.turnedOverS = 0;
  car.race.stuckS = 0;
}

void DrivingTitle::Impl::resetToTrack(int p) {
  Car& car = cars[static_cast<size_t>(p)];
  const float s = track.samples[static_cast<size_t>(car.race.sample)].s;
  const CarRace keep = car.race;
  place(p, s, 0.0f, 0.0f);
  // Progress is kept: the car goes back where it left, so no checkpoint is gained or lost.
  car.race.nextCheckpoint = keep.nextCheckpoint;
  car.race.resets = keep.resets + 1;
}

// ---- [SECTION] the step and race rules -------------------------------------------------------

void DrivingTitle::Impl::afterStep(int p) {
  Car& car = cars[static_cast<size_t>(p)];
  CarRace& r = car.race;
  const float dt = static_cast<float>(1.0 / kTickRateHz);
  const physics::BodyState st = world->state(car.chassis);
  r.alignNm = (**car.vehicle).alignNm();
  const float prevS = r.s;
  r.sample = track.nearest(st.position, r.sample);
  track.project(st.position, r.sample, r.s, r.lateral);
  const TrackSample& here = track.samples[static_cast<size_t>(r.sample)];

  // Checkpoints in order; the line (checkpoint 0) starts timing on the first crossing and ends
  // a lap on every later one, provided every other checkpoint was passed since.
  float moved = r.s - prevS;
  if (moved < -0.5f * track.length) moved += track.length;
  if (moved > 0.5f * track.length) moved -= track.length;
  if (moved > 0) {
    const float cp = track.checkpoints[static_cast<size_t>(r.nextCheckpoint)];
    const float ahead = track.wrap(cp - prevS);
    if (ahead > 0 && ahead <= moved) {
      if (r.nextCheckpoint == 0) {
        if (!r.lapStarted) {
          r.lapStarted = 1;
        } else if (!r.finished) {
          const float lap = static_cast<float>(static_cast<double>(tick - r.lapStartTick) / kTickRateHz);
          if (car.laps.size() < car.laps.capacity()) car.laps.push_back(lap);
          r.bestLap = r.bestLap > 0 ? std::min(r.bestLap, lap) : lap;
          // The session's best lap becomes every car's ghost (a whole recording only).
          if (!car.lap.overflow && (best.lapS <= 0 || lap < best.lapS)) {
            car.lap.lapS = lap;
            best.takeFrom(car.lap);
          }
          ++r.lapsDone;
          if (r.lapsDone >= track.laps) {
            r.finished = 1;
            r.finishTick = tick;
            r.finishOrder = ++finishers;
          }
        }
        r.lapStartTick = tick;
        car.lap.clear();
      }
      r.nextCheckpoint = (r.nextCheckpoint + 1) % static_cast<int>(track.checkpoints.size());
    }
  }

  // The lap so far, for the ghost.
  if (r.lapStarted && !r.finished && (tick - r.lapStartTick) % kGhostEveryTicks == 0) car.lap.record(st);

  // Off the road, on the roof, stuck or fallen off the world: back to the track after a while.
  const bool onTrack = std::fabs(r.lateral) <= here.halfWidth;
  r.offTrackS = onTrack ? 0.0f : r.offTrackS + dt;
  const glm::vec3 up = st.orientation * glm::vec3(0.0f, 1.0f, 0.0f);
  r.turnedOverS = up.y < 0.3f ? r.turnedOverS + dt : 0.0f;
  if (onTrack) {
    glm::vec3 normal;
    const glm::vec3 surface = track.surfacePoint(r.s, r.lateral, &normal);
    r.minHeight = std::min(r.minHeight, glm::dot(st.position - surface, normal));
  }
  if (r.offTrackS > kOffTrackResetS || r.turnedOverS > kTurnedOverResetS || r.stuckS > kStuckResetS ||
      st.position.y < -5.0f)
    resetToTrack(p);
}

void DrivingTitle::Impl::updatePositions() {
  // Finishers by finishing order, then everyone else by distance covered; a fixed array and
  // an insertion sort keep this allocation-free.
  std::array<int, kMaxCars> order{};
  std::array<double, kMaxCars> score{};
  for (int p = 0; p < players; ++p) {
    const CarRace& r = cars[static_cast<size_t>(p)].race;
    const double along = r.lapStarted ? r.s : r.s - track.length;
    score[static_cast<size_t>(p)] =
        r.finished ? 1e12 - r.finishOrder : static_cast<double>(r.lapsDone) * track.length + along;
    order[static_cast<size_t>(p)] = p;
  }
  for (int i = 1; i < players; ++i) {
    for (int j = i; j > 0 && score[static_cast<size_t>(order[static_cast<size_t>(j)])] >
                                 score[static_cast<size_t>(order[static_cast<size_t>(j - 1)])];
         --j)
      std::swap(order[static_cast<size_t>(j)], order[static_cast<size_t>(j - 1)]);
  }
  for (int i = 0; i < players; ++i) cars[static_cast<size_t>(order[static_cast<size_t>(i)])].race.racePosition = i + 1;
}

// ---- [SECTION] Title interface and queries ---------------------------------------------------

DrivingTitle::DrivingTitle() : impl_(std::make_unique<Impl>()) {}
DrivingTitle::~DrivingTitle() { impl_->teardown(); }

const core::TitleInfo& DrivingTitle::info() const {
  static const core::TitleInfo kInfo{"driving", "VR virtual driving", kTickRateHz, kMaxCars, core::kDeviceWheel};
  return kInfo;
}

void DrivingTitle::headsetInput(const core::HeadsetControls& c, int, core::InputFrame& out) const {
  const core::HandInput& l = c.hands[0];
  const core::HandInput& r = c.hands[1];
  out = {};
  out.hands[0] = l;
  out.hands[1] = r;
  out.buttons = c.buttons;
  out.throttle = std::max(l.trigger, r.trigger);
  out.brake = std::max(l.grip, r.grip);
  const float lx = c.thumbsticks[0].x, rx = c.thumbsticks[1].x;
  out.steer = std::abs(rx) >= std::abs(lx) ? rx : lx;
  if (std::abs(out.steer) < kStickDeadZone && l.tracked && r.tracked) {
    // Both hands on a wheel in front of the chest: it turns right when the left hand rises
    // over the right; a quarter turn is full lock. Heights and the distance across are the
    // same in the title's coordinates as in the play space (a seat turns about +Y only).
    const glm::vec3 across = r.position - l.position;
    const float angle = std::atan2(l.position.y - r.position.y, std::max(0.05f, std::hypot(across.x, across.z)));
    out.steer = std::clamp(angle / 1.5707964f, -1.0f, 1.0f);
  }
}

void DrivingTitle::setup(const core::TitleSetup& s) {
  const std::string dir = s.dataDir.empty() ? std::string(PAV_ASSET_DIR) : s.dataDir;
  impl_->build(s, Track::load(dir + "/driving/track.txt"));
}

void DrivingTitle::setup(const core::TitleSetup& s, Track track) { impl_->build(s, std::move(track)); }

void DrivingTitle::step(std::span<const core::InputFrame> inputs) {
  Impl& m = *impl_;
  PAV_CHECK(m.world, "driving: step before setup");
  PAV_CHECK(static_cast<int>(inputs.size()) == m.players, "driving: %zu inputs for %d players", inputs.size(),
            m.players);
  const float dt = static_cast<float>(1.0 / kTickRateHz);
  for (int p = 0; p < m.players; ++p) {
    Car& car = m.cars[static_cast<size_t>(p)];
    core::InputFrame in = inputs[static_cast<size_t>(p)];
    const physics::BodyState st = m.world->state(car.chassis);
    applyAssists(m.track, m.tuning, m.assists, m.trackGrip, st, car.race, **car.vehicle, in);
    // Stuck: the driver asks to go and the car does not.
    const bool trying = in.throttle > 0.3f && !car.race.finished;
    car.race.stuckS = trying && glm::length(st.linearVelocity) < kStuckSpeed ? car.race.stuckS + dt : 0.0f;
    driveCar(car, *m.world, m.track, m.tuning, m.trackGrip, in, dt);
  }
  m.world->step();
  ++m.tick;
  for (int p = 0; p < m.players; ++p) m.afterStep(p);
  m.updatePositions();
}

uint64_t DrivingTitle::tick() const { return impl_->tick; }

bool DrivingTitle::finished() const {
  const Impl& m = *impl_;
  if (m.players == 0) return false;
  return m.finishers == m.players || (m.endTick > 0 && m.tick >= m.endTick);
}

uint64_t DrivingTitle::stateHash() const {
  const Impl& m = *impl_;
  uint64_t h = m.world ? m.world->stateHash() : 0;
  h = core::hashBytes(&m.tick, sizeof m.tick, h);
  h = core::hashBytes(&m.trackGrip, sizeof m.trackGrip, h);
  h = core::hashBytes(&m.finishers, sizeof m.finishers, h);
  h = core::hashBytes(&m.best.hash, sizeof m.best.hash, h);
  h = core::hashBytes(&m.best.lapS, sizeof m.best.lapS, h);
  for (int p = 0; p < m.players; ++p) h = hashCar(m.cars[static_cast<size_t>(p)], h);
  return h;
}

const Track& DrivingTitle::track() const { return impl_->track; }
const CarTuning& DrivingTitle::tuning() const { return impl_->tuning; }
const std::string& DrivingTitle::dataDir() const { return impl_->setup.dataDir; }
int DrivingTitle::players() const { return impl_->players; }

CarStatus DrivingTitle::car(int player) const {
  const Impl& m = *impl_;
  PAV_CHECK(player >= 0 && player < m.players, "driving: no player %d", player);
  const Car& car = m.cars[static_cast<size_t>(player)];
  const physics::BodyState st = m.world->state(car.chassis);
  CarStatus c;
  c.position = st.position;
  c.orientation = st.orientation;
  c.velocity = st.linearVelocity;
  c.speed = glm::length(st.linearVelocity);
  c.s = car.race.s;
  c.lateral = car.race.lateral;
  c.halfWidth = m.track.samples[static_cast<size_t>(car.race.sample)].halfWidth;
  c.onTrack = std::fabs(c.lateral) <= c.halfWidth;
  c.wheelsInContact = wheelsInContact(car);
  c.lapsDone = car.race.lapsDone;
  c.racePosition = car.race.racePosition;
  c.bestLap = car.race.bestLap;
  c.finished = car.race.finished != 0;
  c.resets = car.race.resets;
  c.gear = car.race.gear;
  c.shifts = car.race.shifts;
  c.engineRpm = engineRpm(m.tuning, car.race.gear, glm::dot(st.linearVelocity, st.orientation * glm::vec3(0, 0, 1)));
  c.wheelsOnKerb = wheelsOnKerb(car, m.track);
  c.alignNm = car.race.alignNm;
  c.frontLateralN = (**car.vehicle).frontLateralN();
  return c;
}

std::span<const float> DrivingTitle::lapTimes(int player) const {
  PAV_CHECK(player >= 0 && player < impl_->players, "driving: no player %d", player);
  return impl_->cars[static_cast<size_t>(player)].laps;
}

void DrivingTitle::placeCar(int player, float s, float lateral, float speed) {
  PAV_CHECK(player >= 0 && player < impl_->players, "driving: no player %d", player);
  impl_->place(player, s, lateral, speed);
}

void DrivingTitle::poseCar(int player, const glm::vec3& position, const glm::quat& orientation,
                           const glm::vec3& velocity) {
  PAV_CHECK(player >= 0 && player < impl_->players, "driving: no player %d", player);
  impl_->world->setState(impl_->cars[static_cast<size_t>(player)].chassis, {position, orientation, velocity, glm::vec3(0.0f)});
  impl_->syncAfterTeleport(player);
}

float DrivingTitle::takeMinHeightAboveRoad(int player) {
  PAV_CHECK(player >= 0 && player < impl_->players, "driving: no player %d", player);
  CarRace& r = impl_->cars[static_cast<size_t>(player)].race;
  const float h = r.minHeight;
  r.minHeight = 1e9f;
  return h;
}

render::Pose DrivingTitle::driverEye(int player) const {
  const Impl& m = *impl_;
  PAV_CHECK(player >= 0 && player < m.players, "driving: no player %d", player);
  const physics::BodyState st = m.world->state(m.cars[static_cast<size_t>(player)].chassis);
  return driving::driverEye(m.tuning, st.position, st.orientation);
}

std::unique_ptr<core::Title> makeDrivingTitle() { return std::make_unique<DrivingTitle>(); }

void registerDrivingTitle() { core::registerTitle("driving", [] { return makeDrivingTitle(); }); }

}  // namespace pav::driving
