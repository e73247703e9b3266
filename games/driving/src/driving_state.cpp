// The driving title's networked state: what a station needs to draw the race and to predict
// its own car from the server's frames (describe, capture, apply, ownObject).
//
// Objects: one per car, seat p drives object p; the chassis' position, orientation and linear
// and angular velocity, which is all the dynamics a raycast vehicle has (its wheels are
// re-cast from the chassis every step; only the steering angle persists, and it travels as a
// scalar). Then one ghost per car, object players + p: the session's best lap at car p's lap
// clock (DrivingTitle::ghost), or parked at kGhostHiddenY below the ground when there is none.
// Ghosts are drawn, never applied: a station's copy keeps its own recordings.
//
// Scalars, seven per car (four cars take 28 of kMaxScalars), car p's at p * kCarScalars:
//   steer       front-wheel angle (rad): the steering is rate-limited, so a replayed step has
//               to start from the server's wheel angle, not from the input's
//   laps        completed laps; a counter, so the server announces each one reliably
//   checkpoint  0 before the first crossing of the line, else 1 + the next checkpoint's index
//               (lap counting needs both, and neither follows from the car's pose)
//   finish_gear the finishing order (0 while racing) times kGearSlots plus the gear: two
//               small whole numbers in one field (four cars' six scalars once filled the frame);
//               the gear travels because the gearbox's hysteresis makes it state (the same
//               speed may be in either of two gears)
//   lap_clock   seconds since the current lap began (the lap time at the next crossing)
//   off_road    seconds off the road so far (the car is put back after kOffTrackResetS)
//   align       the front tyres' self-aligning torque last step (N m): what a station's wheel
//               feels (wheelForce), derived from the server's tyres rather than guessed again
// Left out, kept as each side has them: the upside-down timer, resets, and lap times already
// recorded (a rewind past the line drops the laps it undid; laps a station never saw stay
// missing there). Derived after apply: track position (s, lateral, sample), race positions,
// the number of finishers, and kerb contact (from the wheels' re-cast contacts).
#include <algorithm>
#include <cmath>
#include <string_view>

#include "driving_local.h"
#include "pav/core/error.h"

namespace pav::driving {
namespace {

static_assert(kGears < kGearSlots, "a gear must fit in its slot");
static_assert(kCarScalars * kMaxCars <= core::kMaxScalars, "every car's scalars must fit in a frame");

constexpr std::string_view kScalarNames[kMaxCars][kCarScalars] = {
    {"car0_steer", "car0_laps", "car0_checkpoint", "car0_finish_gear", "car0_lap_clock", "car0_off_road", "car0_align"},
    {"car1_steer", "car1_laps", "car1_checkpoint", "car1_finish_gear", "car1_lap_clock", "car1_off_road", "car1_align"},
    {"car2_steer", "car2_laps", "car2_checkpoint", "car2_finish_gear", "car2_lap_clock", "car2_off_road", "car2_align"},
    {"car3_steer", "car3_laps", "car3_checkpoint", "car3_finish_gear", "car3_lap_clock", "car3_off_road", "car3_align"},
};

constexpr float kTickS = static_cast<float>(1.0 / kTickRateHz);
// A lap (or the wait before the first crossing) longer than an hour clamps on the wire; only
// the station's own guess of that lap's time suffers.
constexpr float kMaxLapClockS = 3600.0f;
// Above the highest point of the road: a car thrown higher than this clamps on the wire.
constexpr float kAirMarginM = 20.0f;
// Below the ground plane: a car that falls through is put back once below y = -5, within a
// tick even at top speed.
constexpr float kFallMarginM = 10.0f;
// The run-off apron either side of the road (track.cpp), and a little over for the car's
// last tick before it is put back.
constexpr float kApronM = 6.0f;
constexpr float kSpareM = 10.0f;

int toInt(float v) { return static_cast<int>(std::lround(v)); }

// The fastest a car goes on the level: where drag takes all the engine's power
// (1/2 rho CdA v^3 = P), with a tenth more for a tow or a shove from behind.
float maxCarSpeed(const CarTuning& t) { return 1.1f * std::cbrt(2.0f * t.maxPowerW / (kAirDensity * t.dragArea)); }

}  // namespace

void DrivingTitle::describe(core::StateSchema& schema) const {
  const Impl& m = *impl_;
  PAV_CHECK(m.world, "driving: describe before setup");
  schema = {};
  schema.objects = 2 * m.players;

  // The box: the centre line's extent, widened by the road, its apron and as far as a car at
  // top speed gets in the seconds it may spend off the road before it is put back.
  const float vMax = std::ceil(maxCarSpeed(m.tuning));
  glm::vec3 lo(1e9f), hi(-1e9f);
  float maxHalfWidth = 0;
  for (const TrackSample& smp : m.track.samples) {
    lo = glm::min(lo, smp.position);
    hi = glm::max(hi, smp.position);
    maxHalfWidth = std::max(maxHalfWidth, smp.halfWidth);
  }
  const float margin = maxHalfWidth + kApronM + kOffTrackResetS * vMax + kSpareM;
  schema.positionMin = {lo.x - margin, -kFallMarginM, lo.z - margin};
  // A banked edge rises at most a half-width above the centre line.
  schema.positionMax = {hi.x + margin, m.track.roadHeight + maxHalfWidth + kAirMarginM, hi.z + margin};
  schema.positionResolution = 0.001f;
  // 12 bits: under 0.05 degrees, so the nose of a 4 m car sits within a millimetre or two.
  schema.orientationBits = 12;
  schema.velocityMax = vMax;
  schema.velocityResolution = 0.01f;
  // No point of a spinning car moves faster than the car can: its nose, half a length from
  // the centre, at top speed.
  schema.angularMax = std::ceil(vMax / m.tuning.halfExtents.z);
  schema.angularResolution = 0.01f;

  const float checkpoints = static_cast<float>(m.track.checkpoints.size());
  for (int p = 0; p < m.players; ++p) {
    const auto& name = kScalarNames[p];
    schema.addScalar({name[kSteer], -m.tuning.maxSteerRad, m.tuning.maxSteerRad, 0.0005f});
    schema.addScalar({name[kLaps], 0, static_cast<float>(m.track.laps), 1, true});
    schema.addScalar({name[kCheckpoint], 0, checkpoints, 1});
    schema.addScalar({name[kFinishGear], 1, static_cast<float>(m.players * kGearSlots + kGears), 1});
    schema.addScalar({name[kLapClock], 0, kMaxLapClockS, kTickS});
    // The timer passes kOffTrackResetS by under a tick before the reset zeroes it.
    schema.addScalar({name[kOffRoad], 0, kOffTrackResetS + kTickS, kTickS});
    schema.addScalar({name[kAlign], -kMaxAlignNm, kMaxAlignNm, 0.5f});
  }
}

void DrivingTitle::capture(core::StateFrame& out) const {
  const Impl& m = *impl_;
  PAV_CHECK(m.world && static_cast<int>(out.objects.size()) == 2 * m.players,
            "driving: capture needs setup and a frame sized by the schema (%zu objects for %d cars)",
            out.objects.size(), m.players);
  out.tick = m.tick;
  for (int p = 0; p < m.players; ++p) {
    const Car& car = m.cars[static_cast<size_t>(p)];
    const physics::BodyState st = m.world->state(car.chassis);
    out.objects[static_cast<size_t>(p)] = {st.position, st.orientation, st.linearVelocity, st.angularVelocity};
    const CarRace& r = car.race;
    float* s = &out.scalars[static_cast<size_t>(p * kCarScalars)];
    s[kSteer] = r.steer;
    s[kLaps] = static_cast<float>(r.lapsDone);
    s[kCheckpoint] = r.lapStarted ? static_cast<float>(r.nextCheckpoint + 1) : 0.0f;
    s[kFinishGear] = static_cast<float>(r.finishOrder * kGearSlots + r.gear);
    s[kLapClock] = static_cast<float>(static_cast<double>(m.tick - std::min(r.lapStartTick, m.tick)) / kTickRateHz);
    s[kOffRoad] = r.offTrackS;
    s[kAlign] = std::clamp(r.alignNm, -kMaxAlignNm, kMaxAlignNm);
    core::ObjectState& g = out.objects[static_cast<size_t>(m.players + p)];
    g = {};
    if (!ghost(p, g.position, g.orientation)) g.position = {m.track.samples.front().position.x, kGhostHiddenY,
                                                            m.track.samples.front().position.z};
  }
}

void DrivingTitle::apply(const core::StateFrame& in) {
  Impl& m = *impl_;
  PAV_CHECK(m.world && static_cast<int>(in.objects.size()) == 2 * m.players,
            "driving: apply needs setup and a frame of this race (%zu objects for %d cars)", in.objects.size(),
            m.players);
  m.tick = in.tick;
  m.finishers = 0;
  const int checkpoints = static_cast<int>(m.track.checkpoints.size());
  for (int p = 0; p < m.players; ++p) {
    Car& car = m.cars[static_cast<size_t>(p)];
    CarRace& r = car.race;
    const core::ObjectState& o = in.objects[static_cast<size_t>(p)];
    const float* s = &in.scalars[static_cast<size_t>(p * kCarScalars)];

    // The chassis, woken (activation 0) like any teleport: cars never sleep anyway.
    const float len = glm::length(o.orientation);
    const glm::quat q = len > 0 && std::isfinite(len) ? o.orientation / len : glm::quat(1, 0, 0, 0);
    m.world->setState(car.chassis, {o.position, q, o.velocity, o.angularVelocity});

    // The wheels: the server's angle, and each ray cast again from the new pose. driveCar reads
    // last step's contacts (grip by surface, the parking hold) before the step re-casts them.
    // Unlike syncAfterTeleport, no rest-length suspension: the casts give the real one.
    btRaycastVehicle& v = **car.vehicle;
    r.steer = std::clamp(s[kSteer], -m.tuning.maxSteerRad, m.tuning.maxSteerRad);
    for (int w = 0; w < v.getNumWheels(); ++w) {
      if (w < 2) v.setSteeringValue(r.steer, w);
      v.updateWheelTransform(w, false);
      v.rayCast(v.getWheelInfo(w));
    }

    // Where the car is along the track, searched over the whole track: the frame may be far
    // from where this side last had the car.
    r.sample = m.track.nearest(o.position);
    m.track.project(o.position, r.sample, r.s, r.lateral);

    // Race progress. A rewind that undoes a crossing of the line drops that lap's time, so a
    // replay that crosses again does not record it twice.
    r.lapsDone = std::clamp(toInt(s[kLaps]), 0, m.track.laps);
    const int progress = std::clamp(toInt(s[kCheckpoint]), 0, checkpoints);
    r.lapStarted = progress > 0 ? 1 : 0;
    r.nextCheckpoint = progress > 0 ? progress - 1 : 0;
    if (car.laps.size() > static_cast<size_t>(r.lapsDone)) {
      car.laps.resize(static_cast<size_t>(r.lapsDone));  // shrinking: no allocation
      r.bestLap = 0;
      for (float lap : car.laps) r.bestLap = r.bestLap > 0 ? std::min(r.bestLap, lap) : lap;
    }
    const int finishGear = std::max(toInt(s[kFinishGear]), 0);
    const int gear = std::clamp(finishGear % kGearSlots, 1, kGears);
    r.shifts += gear != r.gear ? 1u : 0u;  // the server's box shifted: the driver feels it too
    r.gear = gear;
    const int order = std::clamp(finishGear / kGearSlots, 0, m.players);
    // The frame does not say when a car finished: a car this side did not see finish is
    // taken to have finished now, the latest it can have.
    if (order > 0 && !r.finished) r.finishTick = in.tick;
    if (order == 0) r.finishTick = 0;
    r.finished = order > 0 ? 1 : 0;
    r.finishOrder = order;
    m.finishers += r.finished;
    const auto lapTicks =
        static_cast<uint64_t>(std::max<long long>(0, std::llround(double(s[kLapClock]) * kTickRateHz)));
    r.lapStartTick = in.tick - std::min(lapTicks, in.tick);
    r.offTrackS = std::clamp(s[kOffRoad], 0.0f, kOffTrackResetS + kTickS);
    r.alignNm = std::isfinite(s[kAlign]) ? std::clamp(s[kAlign], -kMaxAlignNm, kMaxAlignNm) : 0.0f;
  }
  m.updatePositions();
}

int DrivingTitle::ownObject(int seat) const { return seat >= 0 && seat < impl_->players ? seat : -1; }

}  // namespace pav::driving
