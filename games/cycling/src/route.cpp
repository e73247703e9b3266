// Route profiles: parsing the text format described in cycling.h, and looking up elevation
// and grade along the road. A bad file stops start-up with "<file>:<line>: <what is wrong>",
// so whoever edits a route learns exactly which line to fix.
//
// Index: parsing helpers, Route::parse, Route::load, Route::uniform, lookups
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "pav/core/error.h"
#include "pav/cycling/cycling.h"

namespace pav::cycling {
namespace {

constexpr double kMinElevationM = -500;   // below the Dead Sea shore: a typo, not a road
constexpr double kMaxElevationM = 9000;   // above Everest
constexpr size_t kMaxPoints = 1000000;    // keeps a runaway file from eating the machine
constexpr std::string_view kHeader = "distance_m elevation_m";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::string_view nextField(std::string_view& rest) {
  rest = trim(rest);
  const auto end = rest.find_first_of(" \t");
  const std::string_view field = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  return field;
}

// strtod accepts "nan", "inf" and hex floats; a route wants plain finite decimals.
bool parseNumber(std::string_view field, double& out) {
  if (field.empty() || field.size() > 64) return false;
  for (const char c : field) {
    if (!std::strchr("0123456789+-.eE", c)) return false;
  }
  char buffer[65];
  std::memcpy(buffer, field.data(), field.size());
  buffer[field.size()] = '\0';
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(buffer, &end);
  if (end != buffer + field.size() || errno == ERANGE || !std::isfinite(v)) return false;
  out = v;
  return true;
}

[[noreturn]] void bad(std::string_view source, int line, const std::string& what) {
  pav::fail("%.*s:%d: %s", int(source.size()), source.data(), line, what.c_str());
}

// Built by appends: GCC 12 warns falsely (-Wrestrict, PR 105329) on "'" + string + "'".
std::string quoted(std::string_view s) {
  std::string q(1, '\'');
  q.append(s.substr(0, 40));
  q += '\'';
  return q;
}

}  // namespace

Route Route::parse(std::string_view text, std::string_view sourceName) {
  Route route;
  route.source_ = std::string(sourceName);
  bool sawHeader = false;
  int lineNo = 0;
  int lastPointLine = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++lineNo;
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;

    if (!sawHeader) {
      if (line.substr(0, 5) == "name " || line == "name") {
        route.name_ = std::string(trim(line.substr(4)));
        if (route.name_.empty()) bad(sourceName, lineNo, "'name' needs a route name after it");
        continue;
      }
      std::string_view rest = line;
      const std::string_view a = nextField(rest);
      const std::string_view b = nextField(rest);
      if (a == "distance_m" && b == "elevation_m" && trim(rest).empty()) {
        sawHeader = true;
        continue;
      }
      bad(sourceName, lineNo,
          "expected the header line '" + std::string(kHeader) + "' (optionally after a 'name' line), got " +
              quoted(line));
    }

    std::string_view rest = line;
    const std::string_view distanceText = nextField(rest);
    const std::string_view elevationText = nextField(rest);
    if (elevationText.empty() || !trim(rest).empty()) {
      bad(sourceName, lineNo,
          "expected two numbers '<distance_m> <elevation_m>', got " + quoted(line));
    }
    RoutePoint p;
    if (!parseNumber(distanceText, p.distanceM)) {
      bad(sourceName, lineNo, "distance " + quoted(distanceText) + " is not a number");
    }
    if (!parseNumber(elevationText, p.elevationM)) {
      bad(sourceName, lineNo, "elevation " + quoted(elevationText) + " is not a number");
    }
    if (p.elevationM < kMinElevationM || p.elevationM > kMaxElevationM) {
      bad(sourceName, lineNo,
          "elevation " + std::string(elevationText) + " m is outside [-500, 9000] m");
    }
    if (route.points_.empty()) {
      if (p.distanceM != 0) {
        bad(sourceName, lineNo,
            "the first point must be at distance 0, not " + std::string(distanceText));
      }
    } else {
      const RoutePoint& prev = route.points_.back();
      if (!(p.distanceM > prev.distanceM)) {
        char msg[160];
        std::snprintf(msg, sizeof msg,
                      "distance %.3f m does not increase (the point before, line %d, is at %.3f m)",
                      p.distanceM, lastPointLine, prev.distanceM);
        bad(sourceName, lineNo, msg);
      }
      const double grade = (p.elevationM - prev.elevationM) / (p.distanceM - prev.distanceM);
      if (std::abs(grade) > kMaxRouteGrade) {
        char msg[160];
        std::snprintf(msg, sizeof msg,
                      "grade %.1f %% from the point before is absurd (a road is at most %.0f %%)",
                      grade * 100, kMaxRouteGrade * 100);
        bad(sourceName, lineNo, msg);
      }
    }
    if (route.points_.size() >= kMaxPoints) bad(sourceName, lineNo, "too many points (1,000,000 at most)");
    route.points_.push_back(p);
    lastPointLine = lineNo;
  }
  if (!sawHeader) {
    bad(sourceName, lineNo, "no header line '" + std::string(kHeader) + "' and no points: is this a route file?");
  }
  if (route.points_.size() < 2) {
    bad(sourceName, lineNo,
        "too few points: a route needs at least 2, this one has " + std::to_string(route.points_.size()));
  }
  if (route.name_.empty()) route.name_ = std::string(sourceName);
  return route;
}

Route Route::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    pav::fail("%s: cannot open the cycling route file (%s)", path.c_str(), std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) pav::fail("%s: error while reading the cycling route file", path.c_str());
  return parse(text.str(), path);
}

Route Route::uniform(double lengthM, double grade, double startElevationM) {
  PAV_CHECK(lengthM > 0 && std::abs(grade) <= kMaxRouteGrade,
            "Route::uniform: length %.1f m must be positive and grade %.3f within +-%.2f", lengthM,
            grade, kMaxRouteGrade);
  Route route;
  route.name_ = "uniform";
  route.source_ = "uniform";
  route.points_ = {{0, startElevationM}, {lengthM, startElevationM + grade * lengthM}};
  return route;
}

double Route::totalClimbM() const {
  double climb = 0;
  for (size_t i = 1; i < points_.size(); ++i) {
    climb += std::max(0.0, points_[i].elevationM - points_[i - 1].elevationM);
  }
  return climb;
}

double Route::climbBetween(double fromM, double toM) const {
  if (toM < fromM) return -climbBetween(toM, fromM);
  // Each stretch's rise, for the part of it between the two distances (elevation is linear).
  double climb = 0;
  for (uint32_t i = segmentAt(fromM); i + 1 < points_.size() && points_[i].distanceM < toM; ++i) {
    const RoutePoint& a = points_[i];
    const RoutePoint& b = points_[i + 1];
    const double run = std::min(toM, b.distanceM) - std::max(fromM, a.distanceM);
    if (run > 0) climb += std::max(0.0, gradeOf(i)) * run;
  }
  return climb;
}

uint32_t Route::segmentAt(double distanceM, uint32_t hint) const {
  if (points_.size() < 2) return 0;
  const auto last = uint32_t(points_.size() - 2);  // index of the last stretch
  uint32_t i = std::min(hint, last);
  // Walk from the hint: riders cross at most a stretch or two per tick.
  for (int steps = 0; steps < 8; ++steps) {
    if (distanceM < points_[i].distanceM && i > 0) {
      --i;
    } else if (distanceM >= points_[i + 1].distanceM && i < last) {
      ++i;
    } else {
      return i;
    }
  }
  // A far jump (a rider placed elsewhere): binary search.
  const auto it = std::upper_bound(points_.begin(), points_.end(), distanceM,
                                   [](double d, const RoutePoint& p) { return d < p.distanceM; });
  const auto after = uint32_t(it - points_.begin());
  return after == 0 ? 0 : std::min(after - 1, last);
}

double Route::gradeOf(uint32_t segment) const {
  if (points_.size() < 2) return 0;
  const RoutePoint& a = points_[segment];
  const RoutePoint& b = points_[segment + 1];
  return (b.elevationM - a.elevationM) / (b.distanceM - a.distanceM);
}

double Route::elevationAt(double distanceM, uint32_t segment) const {
  if (points_.empty()) return 0;
  if (points_.size() < 2) return points_[0].elevationM;
  const RoutePoint& a = points_[segment];
  const RoutePoint& b = points_[segment + 1];
  const double t = std::clamp((distanceM - a.distanceM) / (b.distanceM - a.distanceM), 0.0, 1.0);
  return a.elevationM + t * (b.elevationM - a.elevationM);
}

}  // namespace pav::cycling
