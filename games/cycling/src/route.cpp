// Route profiles: parsing the text format described in cycling.h, and looking up elevation
// and grade along the road. A bad file stops start-up with "<file>:<line>: <what is wrong>",
// so whoever edits a route learns exactly which line to fix.
//
// Index: parsing helpers, the parser (both formats, a loop's closing stretch), Route::parse,
// Route::load, Route::uniform. Lookups along the road are in route_road.cpp.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numbers>
#include <sstream>

#include "pav/core/error.h"
#include "pav/cycling/cycling.h"

namespace pav::cycling {
namespace {

constexpr double kMinElevationM = -500;   // below the Dead Sea shore: a typo, not a road
constexpr double kMaxElevationM = 9000;   // above Everest
constexpr size_t kMaxPoints = 1000000;    // keeps a runaway file from eating the machine
constexpr std::string_view kHeader = "distance_m elevation_m";
constexpr std::string_view kMapHeader = "east_m north_m elevation_m";

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

namespace {

enum class Format { Straight, Map };

// A route as the parser gathers it.
struct Builder {
  std::string name;
  std::vector<RoutePoint> points;
  bool loop = false;
};

struct Parser {
  std::string_view source;
  Builder& out;
  int lineNo = 0;
  int lastPointLine = 0;

  // The point's distance from the one before, and the checks that need both.
  void addMapPoint(double east, double north, double elevation) {
    auto& pts = out.points;
    RoutePoint p{.distanceM = 0, .elevationM = elevation, .eastM = east, .northM = north};
    if (!pts.empty()) {
      const RoutePoint& prev = pts.back();
      const double run = std::hypot(east - prev.eastM, north - prev.northM);
      if (run < kMinRouteStepM) {
        char msg[200];
        std::snprintf(msg, sizeof msg, "this point is %.3f m from the one before (line %d): points must be %.1f m apart at least",
                      run, lastPointLine, kMinRouteStepM);
        bad(source, lineNo, msg);
      }
      p.distanceM = prev.distanceM + run;
      checkGrade(prev, p);
      if (pts.size() >= 2) checkTurn(pts[pts.size() - 2], prev, p, lastPointLine);
    }
    push(p);
  }

  void checkGrade(const RoutePoint& prev, const RoutePoint& p) const {
    const double grade = (p.elevationM - prev.elevationM) / (p.distanceM - prev.distanceM);
    if (std::abs(grade) > kMaxRouteGrade) {
      char msg[160];
      std::snprintf(msg, sizeof msg, "grade %.1f %% from the point before is absurd (a road is at most %.0f %%)",
                    grade * 100, kMaxRouteGrade * 100);
      bad(source, lineNo, msg);
    }
  }

  // The road turning at `b`, coming from `a`, going on to `c`.
  void checkTurn(const RoutePoint& a, const RoutePoint& b, const RoutePoint& c, int atLine) const {
    const double in = std::atan2(b.northM - a.northM, b.eastM - a.eastM);
    const double outDir = std::atan2(c.northM - b.northM, c.eastM - b.eastM);
    const double turn = std::abs(std::remainder(outDir - in, 2 * std::numbers::pi)) * 180 / std::numbers::pi;
    if (turn > kMaxRouteTurnDeg) {
      char msg[200];
      std::snprintf(msg, sizeof msg, "the road turns %.0f degrees at the point on line %d (at most %.0f at a point: add points to round the bend)",
                    turn, atLine, kMaxRouteTurnDeg);
      bad(source, lineNo, msg);
    }
  }

  void push(const RoutePoint& p) {
    if (out.points.size() >= kMaxPoints) bad(source, lineNo, "too many points (1,000,000 at most)");
    out.points.push_back(p);
    lastPointLine = lineNo;
  }
};

}  // namespace

Route Route::parse(std::string_view text, std::string_view sourceName) {
  Builder built;
  Parser parser{sourceName, built};
  bool sawHeader = false;
  Format format = Format::Straight;
  int loopLine = 0;
  int firstPointLine = 0;
  int& lineNo = parser.lineNo;
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
        built.name = std::string(trim(line.substr(4)));
        if (built.name.empty()) bad(sourceName, lineNo, "'name' needs a route name after it");
        continue;
      }
      if (line == "loop") {
        loopLine = lineNo;
        continue;
      }
      std::string_view rest = line;
      const std::string_view a = nextField(rest);
      const std::string_view b = nextField(rest);
      const std::string_view c = nextField(rest);
      if (a == "distance_m" && b == "elevation_m" && c.empty()) {
        sawHeader = true;
        format = Format::Straight;
        if (loopLine) bad(sourceName, loopLine, "'loop' needs a road on the map (the header '" + std::string(kMapHeader) + "'): a straight road cannot come back to its start");
        continue;
      }
      if (a == "east_m" && b == "north_m" && c == "elevation_m" && trim(rest).empty()) {
        sawHeader = true;
        format = Format::Map;
        continue;
      }
      bad(sourceName, lineNo,
          "expected the header line '" + std::string(kMapHeader) + "' or '" + std::string(kHeader) +
              "' (optionally after 'name' and 'loop' lines), got " + quoted(line));
    }

    std::string_view rest = line;
    const int wanted = format == Format::Map ? 3 : 2;
    std::string_view fields[3];
    int count = 0;
    while (count < 4) {
      const std::string_view f = nextField(rest);
      if (f.empty()) break;
      if (count < 3) fields[count] = f;
      ++count;
    }
    if (count != wanted) {
      bad(sourceName, lineNo,
          format == Format::Map ? "expected three numbers '<east_m> <north_m> <elevation_m>', got " + quoted(line)
                                : "expected two numbers '<distance_m> <elevation_m>', got " + quoted(line));
    }
    double values[3] = {};
    static constexpr const char* kStraightNames[] = {"distance", "elevation"};
    static constexpr const char* kMapNames[] = {"east", "north", "elevation"};
    for (int i = 0; i < wanted; ++i) {
      if (!parseNumber(fields[i], values[i])) {
        bad(sourceName, lineNo, std::string(format == Format::Map ? kMapNames[i] : kStraightNames[i]) + " " + quoted(fields[i]) + " is not a number");
      }
    }
    const double elevation = values[wanted - 1];
    if (elevation < kMinElevationM || elevation > kMaxElevationM) {
      bad(sourceName, lineNo, "elevation " + std::string(fields[wanted - 1]) + " m is outside [-500, 9000] m");
    }
    if (!firstPointLine) firstPointLine = lineNo;
    if (format == Format::Map) {
      for (int i = 0; i < 2; ++i) {
        if (std::abs(values[i]) > kMaxRouteMapM) {
          bad(sourceName, lineNo, std::string(kMapNames[i]) + " " + std::string(fields[i]) + " m is off the map (within +-200 km of its origin)");
        }
      }
      parser.addMapPoint(values[0], values[1], elevation);
      continue;
    }
    RoutePoint p{.distanceM = values[0], .elevationM = elevation, .eastM = values[0], .northM = 0};
    if (built.points.empty()) {
      if (p.distanceM != 0) {
        bad(sourceName, lineNo, "the first point must be at distance 0, not " + std::string(fields[0]));
      }
    } else {
      const RoutePoint& prev = built.points.back();
      if (!(p.distanceM > prev.distanceM)) {
        char msg[160];
        std::snprintf(msg, sizeof msg, "distance %.3f m does not increase (the point before, line %d, is at %.3f m)",
                      p.distanceM, parser.lastPointLine, prev.distanceM);
        bad(sourceName, lineNo, msg);
      }
      parser.checkGrade(prev, p);
    }
    parser.push(p);
  }
  if (!sawHeader) {
    bad(sourceName, lineNo, "no header line '" + std::string(kMapHeader) + "' and no points: is this a route file?");
  }
  const size_t fewest = loopLine ? 3 : 2;
  if (built.points.size() < fewest) {
    bad(sourceName, lineNo,
        "too few points: a " + std::string(loopLine ? "loop" : "route") + " needs at least " + std::to_string(fewest) +
            ", this one has " + std::to_string(built.points.size()));
  }
  if (loopLine) {
    // The stretch from the last point back to the first, checked as any other.
    const RoutePoint first = built.points.front();
    const int lastLine = parser.lastPointLine;
    lineNo = lastLine;
    const RoutePoint& last = built.points.back();
    if (std::hypot(first.eastM - last.eastM, first.northM - last.northM) < kMinRouteStepM) {
      bad(sourceName, lastLine, "the loop's last point repeats its first: leave it out, 'loop' joins them");
    }
    parser.addMapPoint(first.eastM, first.northM, first.elevationM);
    const auto& pts = built.points;
    parser.checkTurn(pts[pts.size() - 2], pts.back(), pts[1], firstPointLine);
    built.loop = true;
  }
  if (built.name.empty()) built.name = std::string(sourceName);
  Route route;
  route.name_ = std::move(built.name);
  route.source_ = std::string(sourceName);
  route.points_ = std::move(built.points);
  route.loop_ = built.loop;
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
  route.points_ = {{.distanceM = 0, .elevationM = startElevationM, .eastM = 0},
                   {.distanceM = lengthM, .elevationM = startElevationM + grade * lengthM, .eastM = lengthM}};
  return route;
}

}  // namespace pav::cycling
