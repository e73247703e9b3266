// Results: one line at the end of a race, for a person (positions, race times, every lap and
// the best) or for a program (one JSON object through nlohmann-json, so the track's name is
// escaped whatever the file says).
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "driving_local.h"

namespace pav::driving {
namespace {

__attribute__((format(printf, 2, 3))) void append(std::string& out, const char* fmt, ...) {
  va_list args, again;
  va_start(args, fmt);
  va_copy(again, args);
  char buf[256];
  const int n = std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  if (n >= static_cast<int>(sizeof buf)) {  // a long track name: format again at full size
    const size_t at = out.size();
    out.resize(at + static_cast<size_t>(n) + 1);
    std::vsnprintf(out.data() + at, static_cast<size_t>(n) + 1, fmt, again);
    out.resize(at + static_cast<size_t>(n));
  } else if (n > 0) {
    out.append(buf, static_cast<size_t>(n));
  }
  va_end(again);
}

// "1:23.456", or "45.678" under a minute.
std::string clock(double seconds) {
  std::string s;
  const int minutes = static_cast<int>(seconds / 60.0);
  if (minutes > 0)
    append(s, "%d:%06.3f", minutes, seconds - 60.0 * minutes);
  else
    append(s, "%.3f", seconds);
  return s;
}

}  // namespace

std::string DrivingTitle::results(bool json) const {
  const Impl& m = *impl_;
  const double now = static_cast<double>(m.tick) / kTickRateHz;
  // Players in race order.
  std::array<int, kMaxCars> order{};
  for (int p = 0; p < m.players; ++p) order[static_cast<size_t>(m.cars[static_cast<size_t>(p)].race.racePosition - 1)] = p;
  std::string out;
  if (json) {
    const auto round3 = [](double v) { return std::round(v * 1000) / 1000; };
    nlohmann::ordered_json cars = nlohmann::ordered_json::array();
    for (int i = 0; i < m.players; ++i) {
      const int p = order[static_cast<size_t>(i)];
      const Car& car = m.cars[static_cast<size_t>(p)];
      const CarRace& r = car.race;
      const double time = r.finished ? static_cast<double>(r.finishTick) / kTickRateHz : now;
      nlohmann::ordered_json laps = nlohmann::ordered_json::array();
      for (const float lap : car.laps) laps.push_back(round3(lap));
      cars.push_back({{"seat", p},
                      {"position", r.racePosition},
                      {"laps", r.lapsDone},
                      {"finished", r.finished != 0},
                      {"timeS", round3(time)},
                      {"bestLapS", round3(r.bestLap)},
                      {"resets", r.resets},
                      {"lapTimesS", std::move(laps)}});
    }
    const nlohmann::ordered_json j = {{"title", "driving"},
                                      {"track", m.track.name},
                                      {"lengthM", std::round(static_cast<double>(m.track.length) * 10) / 10},
                                      {"laps", m.track.laps},
                                      {"seconds", round3(now)},
                                      {"finished", finished()},
                                      {"cars", std::move(cars)},
                                      // Seats in race order: the visitor's rank on the results screen.
                                      {"ranking", std::vector<int>(order.begin(), order.begin() + m.players)}};
    // The track's name comes from a file: bytes that are not UTF-8 become U+FFFD, not a throw.
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  append(out, "driving: %s, %.0f m, %d laps, %s:", m.track.name.c_str(), static_cast<double>(m.track.length), m.track.laps,
         finished() ? "finished" : "running");
  for (int i = 0; i < m.players; ++i) {
    const int p = order[static_cast<size_t>(i)];
    const Car& car = m.cars[static_cast<size_t>(p)];
    const CarRace& r = car.race;
    append(out, "%s %d. car %d ", i ? ";" : "", r.racePosition, p + 1);
    if (r.finished)
      out += clock(static_cast<double>(r.finishTick) / kTickRateHz);
    else
      append(out, "%d/%d laps", r.lapsDone, m.track.laps);
    if (r.bestLap > 0) {
      out += " best ";
      out += clock(r.bestLap);
    }
    if (!car.laps.empty()) {
      out += " (";
      for (size_t k = 0; k < car.laps.size(); ++k) {
        if (k) out += ' ';
        out += clock(car.laps[k]);
      }
      out += ")";
    }
    if (r.resets) append(out, " resets %d", r.resets);
  }
  return out;
}

}  // namespace pav::driving
