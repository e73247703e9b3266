// The track: a text file of control points becomes a sampled closed centre line, checkpoints,
// a racing line, a speed profile and the road mesh.
//
// [SECTION] surfaces
// [SECTION] parsing (every error names file and line)
// [SECTION] centre line (closed Catmull-Rom, ~2 m samples)
// [SECTION] racing line and speed profile
// [SECTION] kerbs
// [SECTION] queries (nearest, project, surface points)
// [SECTION] road mesh
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "driving_local.h"
#include "pav/core/error.h"

namespace pav::driving {
namespace {

constexpr float kSampleSpacing = 2.0f;
constexpr float kApronWidth = 6.0f;
constexpr float kApronBottom = -0.3f;  // below the ground plane so the two meet without a lip
constexpr float kLineMargin = 2.2f;    // racing line keeps the car's centre this far inside
// Kerbs line the corners: wherever the racing line bends tighter than this radius within
// kKerbReachSamples (~20 m) either side, so they run from a corner's entry to its exit.
constexpr float kKerbRadiusM = 200.0f;
constexpr int kKerbReachSamples = 10;

glm::vec3 rightOf(const glm::vec3& fwd) { return {-fwd.z, 0.0f, fwd.x}; }

}  // namespace

// ---- [SECTION] surfaces ----------------------------------------------------------------------

const char* surfaceName(Surface s) {
  switch (s) {
    case Surface::Asphalt: return "asphalt";
    case Surface::Concrete: return "concrete";
    case Surface::Cobbles: return "cobbles";
    case Surface::Gravel: return "gravel";
    case Surface::Grass: return "grass";
  }
  return "?";
}

float surfaceGrip(Surface s) {
  switch (s) {
    case Surface::Asphalt: return 1.0f;
    case Surface::Concrete: return 0.95f;
    case Surface::Cobbles: return 0.8f;
    case Surface::Gravel: return 0.55f;
    case Surface::Grass: return 0.45f;
  }
  return 1.0f;
}

// ---- [SECTION] parsing -----------------------------------------------------------------------

namespace {

[[noreturn]] void bad(const std::string& file, int line, const std::string& what) {
  fail("%s:%d: %s", file.c_str(), line, what.c_str());
}

float number(const std::string& tok, const char* field, const std::string& file, int line) {
  errno = 0;
  char* end = nullptr;
  const float v = std::strtof(tok.c_str(), &end);
  if (end == tok.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    bad(file, line, std::string(field) + " '" + tok + "' is not a number");
  return v;
}

bool parseSurface(const std::string& tok, Surface& out) {
  for (Surface s : {Surface::Asphalt, Surface::Concrete, Surface::Cobbles, Surface::Gravel,
                    Surface::Grass}) {
    if (tok == surfaceName(s)) {
      out = s;
      return true;
    }
  }
  return false;
}

void buildCentreLine(Track& t);
void buildRacingLine(Track& t);
void buildKerbs(Track& t);

}  // namespace

Track Track::parse(std::string_view text, const std::string& fileName) {
  Track t;
  t.file = fileName;
  std::istringstream in{std::string(text)};
  std::string raw;
  int lineNo = 0;
  while (std::getline(in, raw)) {
    ++lineNo;
    if (const auto hash = raw.find('#'); hash != std::string::npos) raw.resize(hash);
    std::istringstream words(raw);
    std::vector<std::string> tok;
    for (std::string w; words >> w;) tok.push_back(w);
    if (tok.empty()) continue;
    if (tok[0] == "name") {
      if (tok.size() < 2) bad(fileName, lineNo, "'name' needs a value");
      const auto start = raw.find_first_not_of(" \t", raw.find("name") + 4);
      t.name = raw.substr(start, raw.find_last_not_of(" \t\r") + 1 - start);
    } else if (tok[0] == "laps") {
      if (tok.size() != 2) bad(fileName, lineNo, "'laps' needs one whole number");
      const float laps = number(tok[1], "laps", fileName, lineNo);
      if (laps != std::floor(laps) || laps < 1 || laps > 100)
        bad(fileName, lineNo, "laps must be a whole number from 1 to 100, got " + tok[1]);
      t.laps = static_cast<int>(laps);
    } else if (std::isdigit(static_cast<unsigned char>(tok[0][0])) || tok[0][0] == '-' ||
               tok[0][0] == '+' || tok[0][0] == '.') {
      if (tok.size() != 5)
        bad(fileName, lineNo,
            "a point needs 5 fields (x z width_m bank_deg surface), got " + std::to_string(tok.size()));
      TrackPoint p;
      p.x = number(tok[0], "x", fileName, lineNo);
      p.z = number(tok[1], "z", fileName, lineNo);
      p.widthM = number(tok[2], "width_m", fileName, lineNo);
      p.bankDeg = number(tok[3], "bank_deg", fileName, lineNo);
      if (p.widthM < 6 || p.widthM > 40) bad(fileName, lineNo, "width_m must be 6 to 40, got " + tok[2]);
      if (std::fabs(p.bankDeg) > 20) bad(fileName, lineNo, "bank_deg must be -20 to 20, got " + tok[3]);
      if (!parseSurface(tok[4], p.surface))
        bad(fileName, lineNo, "unknown surface '" + tok[4] + "' (asphalt, concrete, cobbles, gravel, grass)");
      if (!t.points.empty()) {
        const TrackPoint& q = t.points.back();
        if (std::hypot(p.x - q.x, p.z - q.z) < 1.0f)
          bad(fileName, lineNo, "point is within 1 m of the previous one (line " + std::to_string(q.line) + ")");
      }
      p.line = lineNo;
      t.points.push_back(p);
    } else {
      bad(fileName, lineNo, "unknown keyword '" + tok[0] + "' (expected name, laps or a point)");
    }
  }
  if (t.points.size() < 4)
    bad(fileName, lineNo, "a closed track needs at least 4 points, found " + std::to_string(t.points.size()));
  const TrackPoint& a = t.points.front();
  const TrackPoint& b = t.points.back();
  if (std::hypot(a.x - b.x, a.z - b.z) < 1.0f)
    bad(fileName, b.line, "the last point repeats the first; the track closes by itself");
  buildCentreLine(t);
  if (t.length < 200.0f)
    bad(fileName, lineNo, "the track is " + std::to_string(static_cast<int>(t.length)) +
                              " m long; at least 200 m is needed");
  buildRacingLine(t);
  buildKerbs(t);
  return t;
}

Track Track::load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail("%s: cannot open the track file (%s)", path.c_str(), std::strerror(errno));
  std::ostringstream text;
  text << f.rdbuf();
  return parse(text.str(), path);
}

// ---- [SECTION] centre line -------------------------------------------------------------------

namespace {

glm::vec2 catmullRom(glm::vec2 p0, glm::vec2 p1, glm::vec2 p2, glm::vec2 p3, float t) {
  const float t2 = t * t, t3 = t2 * t;
  return 0.5f * ((2.0f * p1) + (-p0 + p2) * t + (2.0f * p0 - 5.0f * p1 + 4.0f * p2 - p3) * t2 +
                 (-p0 + 3.0f * p1 - 3.0f * p2 + p3) * t3);
}

void buildCentreLine(Track& t) {
  const int n = static_cast<int>(t.points.size());
  auto at = [&](int i) { const TrackPoint& p = t.points[static_cast<size_t>((i % n + n) % n)]; return glm::vec2(p.x, p.z); };
  // Bank in the file raises the outside of the corner; the mesh wants "right edge up", so the
  // sign comes from which way the line turns at each point. Interpolating the signed value
  // lets an S-bend's banking pass smoothly through zero.
  std::vector<float> signedBank(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const glm::vec2 d1 = at(i) - at(i - 1), d2 = at(i + 1) - at(i);
    const float turn = d1.y * d2.x - d1.x * d2.y;  // < 0: turning right
    const float bank = glm::radians(t.points[static_cast<size_t>(i)].bankDeg);
    signedBank[static_cast<size_t>(i)] = turn < 0 ? -bank : bank;
  }
  t.samples.clear();
  for (int i = 0; i < n; ++i) {
    const glm::vec2 p0 = at(i - 1), p1 = at(i), p2 = at(i + 1), p3 = at(i + 2);
    const int steps = std::max(1, static_cast<int>(std::ceil(glm::length(p2 - p1) / kSampleSpacing)));
    const TrackPoint& a = t.points[static_cast<size_t>(i)];
    const TrackPoint& b = t.points[static_cast<size_t>((i + 1) % n)];
    for (int k = 0; k < steps; ++k) {
      const float u = static_cast<float>(k) / static_cast<float>(steps);
      const glm::vec2 q = catmullRom(p0, p1, p2, p3, u);
      TrackSample s;
      s.position = {q.x, 0.0f, q.y};
      s.halfWidth = 0.5f * glm::mix(a.widthM, b.widthM, u);
      s.bankRad = glm::mix(signedBank[static_cast<size_t>(i)], signedBank[static_cast<size_t>((i + 1) % n)], u);
      s.surface = a.surface;
      t.samples.push_back(s);
    }
  }
  const int m = static_cast<int>(t.samples.size());
  float s = 0, lift = 0;
  for (int i = 0; i < m; ++i) {
    TrackSample& c = t.samples[static_cast<size_t>(i)];
    const glm::vec3 next = t.samples[static_cast<size_t>((i + 1) % m)].position;
    const glm::vec3 prev = t.samples[static_cast<size_t>((i - 1 + m) % m)].position;
    c.forward = glm::normalize(next - prev);
    c.right = rightOf(c.forward);
    c.s = s;
    s += glm::length(next - c.position);
    lift = std::max(lift, c.halfWidth * std::fabs(std::sin(c.bankRad)));
  }
  t.length = s;
  // The road floats above the grass so that its low banked edge still clears it; the aprons
  // slope down to meet the ground.
  t.roadHeight = 0.3f + lift;
  for (TrackSample& c : t.samples) c.position.y = t.roadHeight;
  const int count = std::max(4, static_cast<int>(std::lround(t.length / 150.0f)));
  t.checkpoints.clear();
  for (int k = 0; k < count; ++k) t.checkpoints.push_back(t.length * static_cast<float>(k) / static_cast<float>(count));
}

// ---- [SECTION] racing line and speed profile -------------------------------------------------

// String-pulling with long strides first: each point moves toward the middle of its neighbours
// k samples away, within the road less a margin. Long strides straighten whole corners (a
// late-apex-ish, low-curvature line); short ones settle it locally. Done once at setup.
void buildRacingLine(Track& t) {
  const int m = static_cast<int>(t.samples.size());
  auto idx = [m](int i) { return static_cast<size_t>((i % m + m) % m); };
  auto point = [&](int i) {
    const TrackSample& c = t.samples[idx(i)];
    return c.position + c.right * c.racingOffset;
  };
  for (int stride : {48, 32, 24, 16, 12, 8, 6, 4}) {
    for (int iter = 0; iter < 60; ++iter) {
      for (int i = 0; i < m; ++i) {
        TrackSample& c = t.samples[idx(i)];
        const glm::vec3 mid = 0.5f * (point(i - stride) + point(i + stride));
        const float limit = std::max(0.0f, c.halfWidth - kLineMargin);
        c.racingOffset = std::clamp(glm::dot(mid - c.position, c.right), -limit, limit);
      }
    }
  }
  // Curvature of the racing line over ~6 m either side, then a little smoothing so a single
  // kink does not make the bot stab the brakes.
  std::vector<float> k(static_cast<size_t>(m));
  for (int i = 0; i < m; ++i) {
    const glm::vec3 a = point(i - 3), b = point(i), c = point(i + 3);
    const glm::vec3 ab = b - a, bc = c - b, ac = c - a;
    const float cross = std::fabs(ab.x * bc.z - ab.z * bc.x);
    const float denom = glm::length(ab) * glm::length(bc) * glm::length(ac);
    k[static_cast<size_t>(i)] = denom > 1e-6f ? 2.0f * cross / denom : 0.0f;
  }
  for (int i = 0; i < m; ++i) {
    float sum = 0;
    for (int j = -2; j <= 2; ++j) sum += k[idx(i + j)];
    t.samples[idx(i)].curvature = sum / 5.0f;
  }
  // Corner speeds, then a backward pass (twice round, the loop is closed) so that the speed
  // before every corner falls no faster than the car can brake.
  for (TrackSample& c : t.samples)
    c.targetSpeed = std::min(kProfileMaxSpeed, std::sqrt(kProfileLateralAccel / std::max(c.curvature, 1e-4f)));
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = m - 1; i >= 0; --i) {
      TrackSample& c = t.samples[idx(i)];
      const TrackSample& n = t.samples[idx(i + 1)];
      const float ds = glm::length(point(i + 1) - point(i));
      c.targetSpeed = std::min(c.targetSpeed, std::sqrt(n.targetSpeed * n.targetSpeed + 2.0f * kProfileBrakeAccel * ds));
    }
  }
}

// ---- [SECTION] kerbs -------------------------------------------------------------------------

void buildKerbs(Track& t) {
  const int m = static_cast<int>(t.samples.size());
  for (int i = 0; i < m; ++i) {
    bool corner = false;
    for (int j = -kKerbReachSamples; j <= kKerbReachSamples && !corner; ++j)
      corner = t.samples[static_cast<size_t>(((i + j) % m + m) % m)].curvature >= 1.0f / kKerbRadiusM;
    t.samples[static_cast<size_t>(i)].kerb = corner;
  }
}

}  // namespace

// ---- [SECTION] queries -----------------------------------------------------------------------

float Track::wrap(float s) const {
  s = std::fmod(s, length);
  return s < 0 ? s + length : s;
}

int Track::nearest(const glm::vec3& p, int hint, int window) const {
  const int m = static_cast<int>(samples.size());
  int from = 0, count = m;
  if (hint >= 0 && 2 * window + 1 < m) {
    from = hint - window;
    count = 2 * window + 1;
  }
  int best = 0;
  float bestD = 1e30f;
  for (int k = 0; k < count; ++k) {
    const int i = ((from + k) % m + m) % m;
    const glm::vec3 d = p - samples[static_cast<size_t>(i)].position;
    const float d2 = d.x * d.x + d.z * d.z;
    if (d2 < bestD) {
      bestD = d2;
      best = i;
    }
  }
  return best;
}

void Track::project(const glm::vec3& p, int i, float& s, float& lateral) const {
  const TrackSample& c = samples[static_cast<size_t>(i)];
  glm::vec3 d = p - c.position;
  d.y = 0;
  s = wrap(c.s + glm::dot(d, c.forward));
  lateral = glm::dot(d, c.right);
}

int Track::sampleAt(float s) const {
  s = wrap(s);
  const auto it = std::upper_bound(samples.begin(), samples.end(), s,
                                   [](float v, const TrackSample& c) { return v < c.s; });
  return static_cast<int>(it - samples.begin()) - 1;
}

glm::vec3 Track::surfacePoint(float s, float lateral, glm::vec3* normal) const {
  const int i = std::max(0, sampleAt(s));
  const TrackSample& a = samples[static_cast<size_t>(i)];
  const TrackSample& b = samples[(static_cast<size_t>(i) + 1) % samples.size()];
  const float span = (b.s > a.s ? b.s : length) - a.s;
  const float u = span > 0 ? std::clamp((wrap(s) - a.s) / span, 0.0f, 1.0f) : 0.0f;
  const glm::vec3 c = glm::mix(a.position, b.position, u);
  const glm::vec3 right = glm::normalize(glm::mix(a.right, b.right, u));
  const float bank = glm::mix(a.bankRad, b.bankRad, u);
  const glm::vec3 up{0.0f, 1.0f, 0.0f};
  if (normal) *normal = up * std::cos(bank) - right * std::sin(bank);
  return c + right * (lateral * std::cos(bank)) + up * (lateral * std::sin(bank));
}

bool Track::onKerb(int i, float lateral) const {
  const TrackSample& c = samples[static_cast<size_t>(i)];
  const float out = std::fabs(lateral);
  return c.kerb && out <= c.halfWidth && out >= c.halfWidth - kKerbWidthM;
}

glm::vec3 Track::linePoint(float s, float blend) const {
  const int i = std::max(0, sampleAt(s));
  const TrackSample& a = samples[static_cast<size_t>(i)];
  const TrackSample& b = samples[(static_cast<size_t>(i) + 1) % samples.size()];
  const float span = (b.s > a.s ? b.s : length) - a.s;
  const float u = span > 0 ? std::clamp((wrap(s) - a.s) / span, 0.0f, 1.0f) : 0.0f;
  const glm::vec3 pa = a.position + a.right * (a.racingOffset * blend);
  const glm::vec3 pb = b.position + b.right * (b.racingOffset * blend);
  return glm::mix(pa, pb, u);
}

// ---- [SECTION] road mesh ---------------------------------------------------------------------

void buildRoadMesh(const Track& track, std::vector<glm::vec3>& vertices, std::vector<uint32_t>& indices) {
  constexpr uint32_t kRow = 5;  // apron, edge, centre, edge, apron
  const uint32_t m = static_cast<uint32_t>(track.samples.size());
  vertices.clear();
  indices.clear();
  vertices.reserve(m * kRow);
  indices.reserve(m * (kRow - 1) * 6);
  const glm::vec3 up{0.0f, 1.0f, 0.0f};
  for (const TrackSample& c : track.samples) {
    const glm::vec3 across = c.right * std::cos(c.bankRad) + up * std::sin(c.bankRad);
    const glm::vec3 left = c.position - across * c.halfWidth;
    const glm::vec3 right = c.position + across * c.halfWidth;
    glm::vec3 apronL = left - c.right * kApronWidth;
    glm::vec3 apronR = right + c.right * kApronWidth;
    apronL.y = apronR.y = kApronBottom;
    vertices.insert(vertices.end(), {apronL, left, c.position, right, apronR});
  }
  for (uint32_t i = 0; i < m; ++i) {
    const uint32_t a = i * kRow, b = ((i + 1) % m) * kRow;
    for (uint32_t k = 0; k + 1 < kRow; ++k) {
      indices.insert(indices.end(), {a + k, b + k, a + k + 1, a + k + 1, b + k, b + k + 1});
    }
  }
}

}  // namespace pav::driving
