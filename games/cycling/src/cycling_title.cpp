// The cycling title: up to 8 riders on one route. Each tick: who shelters behind whom (from
// positions at the start of the tick, so the order riders are stepped in does not matter),
// then every rider moves by the power model, then the bots' seeded noise wanders on.
//
// Index: PRNG, setup, step (and seeking the bots' noise to a tick, for apply), bots, queries
// (stats, trainer, hash), results, registry. The networked state is in cycling_state.cpp.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "pav/core/error.h"
#include "pav/cycling/cycling.h"

#ifndef PAV_ASSET_DIR
#define PAV_ASSET_DIR "assets"
#endif

namespace pav::cycling {
namespace {

constexpr pav::core::TitleInfo kInfo{"cycling", "Immersive cycling", 60.0, pav::core::kMaxPlayers,
                                     pav::core::kDeviceTrainer};
// Bots' power wanders as an AR(1) process: correlation time 1 / (1 - kNoiseKeep) ticks
// (about 8 s at 60 Hz), steady spread kNoiseSpread of their target.
constexpr double kNoiseKeep = 0.998;
constexpr double kNoiseSpread = 0.03;
// Each tick's uniform kick, scaled so the noise's steady spread is kNoiseSpread.
double noiseKick() { return kNoiseSpread * std::sqrt((1 - kNoiseKeep * kNoiseKeep) * 3.0); }
// Bots differ from one another by up to this share of FTP, drawn from the seed.
constexpr double kFtpSpread = 0.05;
// In the sprint a bot rides this share of its usual power.
constexpr double kBotSprintShare = 1.3;
// A bot looks for a wheel to follow this far ahead, rides this close behind it, and eases to
// this share of its power to drop back into it or not to touch it.
constexpr double kBotWheelSeekM = 8.0;
constexpr double kBotWheelGapM = 0.5;
constexpr double kBotEaseShare = 0.8;

// Setup draws two numbers for every seat, seated or not (FTP spread and starting noise).
constexpr uint64_t kSetupDraws = 2 * pav::core::kMaxPlayers;
// Forgetting the noise's past: after this many ticks kNoiseKeep^n is 4e-11, so what the noise
// was then changes a bot's power by under 1e-12 of it.
constexpr uint64_t kNoiseMemoryTicks = 12000;
// Stepping the noise backwards divides by kNoiseKeep each tick, growing rounding errors by
// 1.002 a tick: fine for a station's rewind of a few ticks, not for minutes.
constexpr uint64_t kMaxNoiseRewindTicks = 600;

// SplitMix64 (Steele, Lea and Flood 2014): one word of state, so it is hashed and copied as
// plain data, and the same seed gives the same stream on every platform. The state is a
// counter (each draw adds kGamma), so the n-th draw of a stream can be had directly.
constexpr uint64_t kGamma = 0x9e3779b97f4a7c15ull;
uint64_t nextRandom(uint64_t& state) {
  uint64_t z = (state += kGamma);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
// Uniform in [-1, 1).
double nextSigned(uint64_t& state) { return double(nextRandom(state) >> 11) * 0x1.0p-52 - 1.0; }
// The draw that follows `index` earlier ones from `seed`.
double signedDraw(uint64_t seed, uint64_t index) {
  uint64_t state = seed + index * kGamma;
  return nextSigned(state);
}

template <typename T>
uint64_t mix(uint64_t h, const T& value) {
  static_assert(std::is_arithmetic_v<T>, "hash plain fields one by one: no padding bytes");
  return pav::core::hashBytes(&value, sizeof value, h);
}

uint64_t mixParams(uint64_t h, const RiderParams& p) {
  h = mix(h, p.massKg);
  h = mix(h, p.cda);
  h = mix(h, p.crr);
  h = mix(h, p.drivetrainLoss);
  h = mix(h, p.wheelInertia);
  return mix(h, p.wheelRadius);
}

std::string routePathFor(const std::string& dataDir) {
  const std::string dir = dataDir.empty() ? std::string(PAV_ASSET_DIR) : dataDir;
  const std::string inCycling = dir + "/cycling/route.txt";
  std::error_code ec;
  if (std::filesystem::exists(inCycling, ec)) return inCycling;
  const std::string direct = dir + "/route.txt";
  if (std::filesystem::exists(direct, ec)) return direct;
  return inCycling;  // neither: let load() name the expected place in its error
}

}  // namespace

CyclingTitle::CyclingTitle() = default;

const pav::core::TitleInfo& CyclingTitle::info() const { return kInfo; }

// ---- setup -----------------------------------------------------------------------------------

void CyclingTitle::setup(const pav::core::TitleSetup& setup) {
  CyclingTitle::setup(setup, Route::load(routePathFor(setup.dataDir)));
}

void CyclingTitle::setup(const pav::core::TitleSetup& setup, Route route) {
  PAV_CHECK(setup.players >= 1 && setup.players <= kInfo.maxPlayers,
            "cycling: %d players asked for; the title takes 1 to %d", setup.players,
            kInfo.maxPlayers);
  PAV_CHECK(route.points().size() >= 2, "cycling: route '%s' has no road to ride",
            route.name().c_str());
  PAV_CHECK(std::isfinite(setup.durationSeconds) && setup.durationSeconds >= 0,
            "cycling: durationSeconds %.3f must be 0 (ride to the finish) or positive",
            setup.durationSeconds);
  setup_ = setup;
  course_ = std::move(route);
  const BotProfile base = botProfileForSkill(setup.skill);
  route_ = course_.forRide(rideLengthFor(course_, setup.durationSeconds, base));
  env_ = Environment{};
  players_ = setup.players;
  tick_ = 0;
  rng_ = setup.seed;
  maxSeconds_ = setup.durationSeconds > 0 ? setup.durationSeconds : kDefaultMaxSessionS;
  for (int p = 0; p < kInfo.maxPlayers; ++p) {
    Rider& r = riders_[size_t(p)];
    r = Rider{};
    r.bot = base;
    r.bot.ftpWatts = base.ftpWatts * (1 + kFtpSpread * nextSigned(rng_));
    r.noise = kNoiseSpread * nextSigned(rng_);
    r.elevationM = route_.elevationAt(0);
    r.lateralM = laneCentreM(p);
  }
}

void CyclingTitle::checkPlayer(int player) const {
  PAV_CHECK(player >= 0 && player < players_, "cycling: player %d is not seated (%d players)",
            player, players_);
}

void CyclingTitle::setRiderParams(int player, const RiderParams& params) {
  checkPlayer(player);
  PAV_CHECK(params.massKg > 0 && params.cda > 0 && params.crr >= 0 &&
                params.drivetrainLoss >= 0 && params.drivetrainLoss < 1 &&
                params.wheelInertia >= 0 && params.wheelRadius > 0,
            "cycling: rider %d parameters out of range (mass, CdA, radius > 0; 0 <= loss < 1)",
            player);
  riders_[size_t(player)].params = params;
}

void CyclingTitle::placeRider(int player, double distanceM, double speedMs, int lane) {
  checkPlayer(player);
  PAV_CHECK(lane >= -1 && lane < kLanes, "cycling: lane %d (0..%d, or -1 for the seat's own)", lane, kLanes - 1);
  Rider& r = riders_[size_t(player)];
  r.lateralM = laneCentreM(lane < 0 ? player : lane);
  r.motion.distanceM = std::clamp(distanceM, 0.0, route_.length());
  r.motion.speedMs = std::max(0.0, speedMs);
  r.segment = route_.segmentAt(r.motion.distanceM, r.segment);
  r.elevationM = route_.elevationAt(r.motion.distanceM, r.segment);
  r.timeS = 0;
  r.climbedM = 0;
  r.finished = false;
}

// ---- step ------------------------------------------------------------------------------------

void CyclingTitle::step(std::span<const pav::core::InputFrame> inputs) {
  PAV_CHECK(int(inputs.size()) == players_, "cycling: step got %zu inputs for %d players",
            inputs.size(), players_);
  const double dt = this->dt();
  // This tick's efforts first: the group's pull is measured against them.
  for (int p = 0; p < players_; ++p) {
    Rider& r = riders_[size_t(p)];
    if (r.finished) {
      r.powerW = r.cadenceRpm = 0;
      continue;
    }
    // A glitching power meter must not launch a rider: NaN reads as no power.
    const double raw = inputs[size_t(p)].pedalPowerWatts;
    r.powerW = static_cast<float>(std::isfinite(raw) ? std::clamp(raw, 0.0, kMaxPedalPowerW) : 0.0);
    const float cadence = inputs[size_t(p)].cadenceRpm;
    r.cadenceRpm = std::isfinite(cadence) ? std::clamp(cadence, 0.0f, pav::core::kMaxCadenceRpm) : 0.0f;
  }
  computeDrafting();
  computePull();
  for (int p = 0; p < players_; ++p) {
    Rider& r = riders_[size_t(p)];
    if (r.finished) continue;
    steerRider(r, inputs[size_t(p)].steer);
    const double power = r.powerW;
    // The road's grade, and the group's virtual draft felt as a gentler or steeper one.
    const double grade = route_.gradeOf(r.segment) + r.pullGrade;
    const double before = r.motion.distanceM;
    stepRider(r.params, env_, grade, power, r.cdaFactor, dt, r.motion);
    const double length = route_.length();
    if (r.motion.distanceM >= length) {
      // Time the finish inside the tick, so the result does not depend on the tick rate.
      const double moved = r.motion.distanceM - before;
      r.timeS += moved > 0 ? dt * (length - before) / moved : dt;
      r.motion.distanceM = length;
      r.motion.speedMs = 0;
      r.finished = true;
    } else {
      r.timeS += dt;
    }
    r.segment = route_.segmentAt(r.motion.distanceM, r.segment);
    const double elevation = route_.elevationAt(r.motion.distanceM, r.segment);
    r.climbedM += std::max(0.0, elevation - r.elevationM);
    r.elevationM = elevation;
  }
  // Every seat's noise moves every tick, seated bot or not, so the stream does not depend on
  // who is a bot.
  const double kick = noiseKick();
  for (int p = 0; p < players_; ++p) {
    Rider& r = riders_[size_t(p)];
    r.noise = kNoiseKeep * r.noise + kick * nextSigned(rng_);  // uniform: variance 1/3
  }
  ++tick_;
}

void CyclingTitle::seekNoise(uint64_t tick) {
  // Every tick draws one number per seat, in seat order, after setup's draws: the draw that
  // moved seat p's noise into tick t is known without replaying anything.
  const auto players = uint64_t(players_);
  const auto draw = [&](uint64_t t, int p) {
    return signedDraw(setup_.seed, kSetupDraws + (t - 1) * players + uint64_t(p));
  };
  const double kick = noiseKick();
  uint64_t from = tick_;
  if (tick < from && from - tick <= kMaxNoiseRewindTicks) {
    for (uint64_t t = from; t > tick; --t) {
      for (int p = 0; p < players_; ++p) {
        double& noise = riders_[size_t(p)].noise;
        noise = (noise - kick * draw(t, p)) / kNoiseKeep;
      }
    }
  } else {
    if (tick < from || tick - from > kNoiseMemoryTicks) {
      // Too far to walk from here: start where the past no longer shows, or from setup's.
      from = tick > kNoiseMemoryTicks ? tick - kNoiseMemoryTicks : 0;
      for (int p = 0; p < players_; ++p) {
        const double start = kNoiseSpread * signedDraw(setup_.seed, 2 * uint64_t(p) + 1);
        riders_[size_t(p)].noise = from == 0 ? start : 0.0;
      }
    }
    for (uint64_t t = from + 1; t <= tick; ++t) {
      for (int p = 0; p < players_; ++p) {
        double& noise = riders_[size_t(p)].noise;
        noise = kNoiseKeep * noise + kick * draw(t, p);
      }
    }
  }
  rng_ = setup_.seed + (kSetupDraws + tick * players) * kGamma;
}

bool CyclingTitle::finished() const {
  if (players_ == 0) return false;
  if (double(tick_) * dt() >= maxSeconds_ - 1e-9) return true;
  for (int p = 0; p < players_; ++p) {
    if (!riders_[size_t(p)].finished) return false;
  }
  return true;
}

// ---- bots ------------------------------------------------------------------------------------

void CyclingTitle::desktopInput(const pav::core::DesktopControls& c, int, pav::core::InputFrame& out) const {
  out = {};
  const bool pedal = c.up || c.space;
  out.pedalPowerWatts = pedal ? 250.0f : 0.0f;
  out.cadenceRpm = pedal ? 90.0f : 0.0f;
  out.steer = (c.right ? 1.0f : 0.0f) - (c.left ? 1.0f : 0.0f);
}

void CyclingTitle::headsetInput(const pav::core::HeadsetControls& c, int, pav::core::InputFrame& out) const {
  out = {};
  out.hands[0] = c.hands[0];
  out.hands[1] = c.hands[1];
  out.buttons = c.buttons;
  const float effort = std::clamp(std::max(c.hands[0].trigger, c.hands[1].trigger), 0.0f, 1.0f);
  out.pedalPowerWatts = kHeadsetFullEffortWatts * effort;
  out.cadenceRpm = effort > 0.05f ? 60.0f + 40.0f * effort : 0.0f;
  const float lx = c.thumbsticks[0].x, rx = c.thumbsticks[1].x;
  out.steer = std::abs(rx) >= std::abs(lx) ? rx : lx;
}

void CyclingTitle::botInput(int player, pav::core::InputFrame& out) const {
  checkPlayer(player);
  const Rider& r = riders_[size_t(player)];
  if (r.finished) {
    out.pedalPowerWatts = 0;
    out.cadenceRpm = 0;
    return;
  }
  const double grade = route_.gradeOf(r.segment);
  // The sprint: a bot within kSprintM of the line empties itself.
  const bool sprint = r.motion.distanceM >= route_.length() - kSprintM;
  double watts = botPower(r.bot, grade, r.motion.speedMs, r.noise) * (sprint ? kBotSprintShare : 1.0);
  // Into a wheel: the nearest rider in front within kBotWheelSeekM. In its lane, hold the wheel
  // (ease off when about to touch it); alongside it, drop back behind it; clear of it, steer
  // across into its lane (the lane's auto-steer does the rest). Not in the sprint.
  out.steer = 0;
  int wheel = -1;
  double nearest = kBotWheelSeekM;
  for (int l = 0; l < players_ && !sprint; ++l) {
    const Rider& other = riders_[size_t(l)];
    const double ahead = other.motion.distanceM - r.motion.distanceM;
    if (l == player || other.finished || ahead <= 0 || ahead >= nearest) continue;
    nearest = ahead, wheel = l;
  }
  if (wheel >= 0) {
    const double across = riders_[size_t(wheel)].lateralM - r.lateralM;
    const double gap = nearest - kBikeLengthM;
    if (std::abs(across) <= kDraftBandM) {
      if (gap < kBotWheelGapM) watts *= kBotEaseShare;
    } else if (gap < kBotWheelGapM) {
      watts *= kBotEaseShare;
    } else {
      out.steer = float(std::clamp(across * 2.0, -1.0, 1.0));
    }
  }
  out.pedalPowerWatts = float(watts);
  out.cadenceRpm = float(botCadence(r.bot, grade, watts));
}

// ---- queries ---------------------------------------------------------------------------------

RiderStats CyclingTitle::stats(int player) const {
  checkPlayer(player);
  const Rider& r = riders_[size_t(player)];
  RiderStats s;
  s.distanceM = r.motion.distanceM;
  s.timeS = r.timeS;
  s.speedMs = r.motion.speedMs;
  s.avgSpeedMs = r.timeS > 0 ? r.motion.distanceM / r.timeS : 0;
  s.climbedM = r.climbedM;
  s.cdaFactor = r.cdaFactor;
  s.pullGrade = r.pullGrade;
  s.lateralM = r.lateralM;
  s.powerW = r.powerW;
  s.cadenceRpm = r.cadenceRpm;
  s.finished = r.finished;
  return s;
}

FtmsSimulation CyclingTitle::trainerParams(int player) const {
  checkPlayer(player);
  const Rider& r = riders_[size_t(player)];
  FtmsSimulation sim;
  sim.windSpeedMs = env_.headwindMs;
  sim.grade = route_.gradeOf(r.segment);
  sim.crr = r.params.crr;
  // Drafting reaches the legs through the trainer's drag term.
  sim.windResistanceKgPerM = 0.5 * env_.airDensity * r.params.cda * r.cdaFactor;
  return sim;
}

bool CyclingTitle::trainerRoad(int player, pav::core::TrainerRoad& out) const {
  if (player < 0 || player >= players_) return false;
  const FtmsSimulation sim = trainerParams(player);
  out = {.grade = sim.grade, .windSpeedMs = sim.windSpeedMs, .crr = sim.crr, .windResistanceKgPerM = sim.windResistanceKgPerM};
  return true;
}

uint64_t CyclingTitle::stateHash() const {
  uint64_t h = pav::core::hashBytes(nullptr, 0);
  h = mix(h, tick_);
  h = mix(h, rng_);
  h = mix(h, players_);
  h = mix(h, env_.airDensity);
  h = mix(h, env_.headwindMs);
  h = mix(h, env_.gravity);
  h = mix(h, route_.length());
  h = mix(h, uint8_t(groupRide_));
  for (int p = 0; p < players_; ++p) {
    const Rider& r = riders_[size_t(p)];
    h = mixParams(h, r.params);
    h = mix(h, r.motion.distanceM);
    h = mix(h, r.motion.speedMs);
    h = mix(h, r.bot.ftpWatts);
    h = mix(h, r.timeS);
    h = mix(h, r.climbedM);
    h = mix(h, r.elevationM);
    h = mix(h, r.cdaFactor);
    h = mix(h, r.pullGrade);
    h = mix(h, r.lateralM);
    h = mix(h, r.noise);
    h = mix(h, r.segment);
    h = mix(h, uint8_t(r.finished));
  }
  return h;
}

// ---- results ---------------------------------------------------------------------------------

// Seats best first: finishers by their riding time, then the others by distance ridden (the
// visitor's rank on the results screen, and the HUD's finish ranking).
std::vector<int> CyclingTitle::ranking() const {
  std::vector<int> seats(static_cast<size_t>(players_));
  for (int p = 0; p < players_; ++p) seats[static_cast<size_t>(p)] = p;
  std::stable_sort(seats.begin(), seats.end(), [&](int a, int b) {
    const RiderStats sa = stats(a), sb = stats(b);
    if (sa.finished != sb.finished) return sa.finished;
    return sa.finished ? sa.timeS < sb.timeS : sa.distanceM > sb.distanceM;
  });
  return seats;
}

std::string CyclingTitle::results(bool json) const {
  std::string out;
  char buf[256];
  const double elapsed = double(tick_) * dt();
  if (json) {
    const auto round = [](double v, double scale) { return std::round(v * scale) / scale; };
    nlohmann::ordered_json riders = nlohmann::ordered_json::array();
    for (int p = 0; p < players_; ++p) {
      const RiderStats s = stats(p);
      riders.push_back({{"seat", p},
                        {"distanceM", round(s.distanceM, 10)},
                        {"timeS", round(s.timeS, 1000)},
                        {"avgSpeedMs", round(s.avgSpeedMs, 1000)},
                        {"avgSpeedKmh", round(s.avgSpeedMs * 3.6, 100)},
                        {"speedMs", round(s.speedMs, 1000)},
                        {"climbedM", round(s.climbedM, 10)},
                        {"finished", s.finished}});
    }
    const nlohmann::ordered_json j = {{"title", "cycling"},
                                      {"route", route_.name()},
                                      {"routeLengthM", round(route_.length(), 10)},
                                      {"seconds", round(elapsed, 1000)},
                                      {"finished", finished()},
                                      {"riders", std::move(riders)},
                                      {"ranking", ranking()}};
    // The route's name comes from a file: bytes that are not UTF-8 become U+FFFD, not a throw.
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  std::snprintf(buf, sizeof buf, "cycling: %s (%.2f km), %.1f s:", route_.name().c_str(),
                route_.length() / 1000, elapsed);
  out += buf;
  for (int p = 0; p < players_; ++p) {
    const RiderStats s = stats(p);
    std::snprintf(buf, sizeof buf, "%s rider %d %.2f km at %.1f km/h, %.0f m climbed%s",
                  p ? ";" : "", p, s.distanceM / 1000, s.avgSpeedMs * 3.6, s.climbedM,
                  s.finished ? " (finished)" : "");
    out += buf;
  }
  return out;
}

// ---- registry --------------------------------------------------------------------------------

std::unique_ptr<pav::core::Title> makeCyclingTitle() { return std::make_unique<CyclingTitle>(); }

void registerCyclingTitle() { pav::core::registerTitle(kInfo.id, makeCyclingTitle); }

}  // namespace pav::cycling
