// The venue models (venues.h), part by part.
#include "venues.h"

#include <cmath>
#include <string>

#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include "pav/hockey/table.h"

namespace pav::assetgen {
namespace {

using render::MeshData;

MeshData transformed(MeshData m, const glm::mat4& t) {
  const glm::mat3 n = glm::transpose(glm::inverse(glm::mat3(t)));
  for (render::Vertex& v : m.vertices) {
    v.position = glm::vec3(t * glm::vec4(v.position, 1.0f));
    v.normal = glm::normalize(n * v.normal);
  }
  return m;
}

MeshData box(const glm::vec3& centre, const glm::vec3& size) {
  return transformed(render::makeBox(size), glm::translate(glm::mat4(1.0f), centre));
}

// A box turned about X by `degrees` (a roof's pitch, an awning's slope).
MeshData tilted(const glm::vec3& centre, const glm::vec3& size, float degrees) {
  return transformed(render::makeBox(size),
                     glm::rotate(glm::translate(glm::mat4(1.0f), centre), glm::radians(degrees), glm::vec3(1, 0, 0)));
}

MeshData post(const glm::vec3& base, float radius, float height, uint32_t segments = 12) {
  return transformed(render::makeCylinder(radius, height, segments),
                     glm::translate(glm::mat4(1.0f), base + glm::vec3(0, height * 0.5f, 0)));
}

constexpr glm::vec4 kGlass{0.50f, 0.66f, 0.80f, 1};
constexpr glm::vec4 kTeal{0.04f, 0.48f, 0.50f, 1};
constexpr glm::vec4 kOrange{0.92f, 0.45f, 0.08f, 1};

}  // namespace

// ---- the hall round the hockey table ------------------------------------------------------------

Model makePavilionHall() {
  constexpr float kL = 18.0f, kW = 14.0f, kH = 6.0f, kWall = 0.3f;
  Model m{.name = "pavilion_hall"};
  const int wood = m.addMaterial("floor_wood", {0.52f, 0.34f, 0.19f, 1}, 0.55f);
  const int carpet = m.addMaterial("carpet", {0.10f, 0.20f, 0.40f, 1}, 0.95f);
  const int wall = m.addMaterial("wall", {0.86f, 0.84f, 0.80f, 1}, 0.85f);
  const int glass = m.addMaterial("glass", kGlass, 0.08f);
  const int steel = m.addMaterial("steel", {0.45f, 0.47f, 0.50f, 1}, 0.35f, 1.0f);
  const int ceiling = m.addMaterial("ceiling", {0.70f, 0.70f, 0.72f, 1}, 0.9f);
  const int lamp = m.addMaterial("lamp", {1.0f, 0.98f, 0.92f, 1}, 0.2f);
  const int teal = m.addMaterial("banner_teal", kTeal, 0.7f);
  const int orange = m.addMaterial("banner_orange", kOrange, 0.7f);
  const int rope = m.addMaterial("rope", {0.62f, 0.06f, 0.08f, 1}, 0.8f);
  const int chrome = m.addMaterial("chrome", {0.80f, 0.80f, 0.82f, 1}, 0.15f, 1.0f);

  m.add("floor", box({0, -0.05f, 0}, {kL, 0.1f, kW}), wood);
  m.add("carpet", box({0, 0.004f, 0}, {5.6f, 0.008f, 4.4f}), carpet);
  // Walls: the long ones (along X) with a window band, the short ones with a door each.
  MeshData walls, panes, bannersT, bannersO;
  for (float sz : {-1.0f, 1.0f}) {
    const float z = sz * (kW + kWall) * 0.5f;
    walls.append(box({0, 1.1f, z}, {kL + 2 * kWall, 2.2f, kWall}));       // below the windows
    walls.append(box({0, 5.25f, z}, {kL + 2 * kWall, 1.5f, kWall}));      // above them
    for (int i = 0; i <= 6; ++i) walls.append(box({-kL * 0.5f + 3.0f * float(i), 3.35f, z}, {0.5f, 2.3f, kWall}));
    panes.append(box({0, 3.35f, z}, {kL, 2.3f, kWall * 0.4f}));
    (sz < 0 ? bannersT : bannersO).append(box({0, 5.2f, z - sz * 0.17f}, {8.0f, 0.7f, 0.04f}));
  }
  for (float sx : {-1.0f, 1.0f}) {
    const float x = sx * (kL + kWall) * 0.5f;
    walls.append(box({x, 3.9f, 0}, {kWall, 4.2f, kW}));                        // over the door
    walls.append(box({x, 0.9f, -4.0f}, {kWall, 1.8f + 0.0f, kW * 0.5f - 1.0f}));
    walls.append(box({x, 0.9f, 4.0f}, {kWall, 1.8f, kW * 0.5f - 1.0f}));
    walls.append(box({x, 0.9f, -0.0f - 0.0f}, {kWall * 0.5f, 1.8f, 2.0f}));  // the door, shut
    (sx < 0 ? bannersO : bannersT).append(box({x - sx * 0.17f, 3.4f, 0}, {0.04f, 1.2f, 6.0f}));
  }
  m.add("walls", std::move(walls), wall);
  m.add("windows", std::move(panes), glass);
  m.add("banners.teal", std::move(bannersT), teal);
  m.add("banners.orange", std::move(bannersO), orange);
  m.add("ceiling", box({0, kH + 0.1f, 0}, {kL + 2 * kWall, 0.2f, kW + 2 * kWall}), ceiling);
  // A column and a roof truss every 4.5 m along the hall; lamps hang between them.
  MeshData frame, lamps;
  for (int i = 0; i < 5; ++i) {
    const float x = -9.0f + 4.5f * float(i);
    for (float sz : {-1.0f, 1.0f}) frame.append(box({x, kH * 0.5f, sz * (kW * 0.5f - 0.2f)}, {0.35f, kH, 0.35f}));
    frame.append(box({x, kH - 0.25f, 0}, {0.25f, 0.35f, kW}));
    if (i < 4) {
      for (float z : {-3.0f, 0.0f, 3.0f}) {
        lamps.append(box({x + 2.25f, 4.9f, z}, {1.2f, 0.08f, 0.3f}));
        frame.append(box({x + 2.25f, 5.4f, z}, {0.02f, 1.0f, 0.02f}));
      }
    }
  }
  m.add("frame", std::move(frame), steel);
  m.add("lamps", std::move(lamps), lamp);
  // A rope line round the table, clear of the players' places at its ends.
  const hockey::TableSpec& t = hockey::kTable;
  const float rx = t.length * 0.5f + 1.3f, rz = t.width * 0.5f + 1.2f;
  MeshData stands, ropes;
  for (float sx : {-1.0f, 1.0f})
    for (float sz : {-1.0f, 1.0f}) stands.append(post({sx * rx, 0, sz * rz}, 0.03f, 0.95f));
  for (float sz : {-1.0f, 1.0f}) ropes.append(box({0, 0.88f, sz * rz}, {2 * rx, 0.04f, 0.04f}));
  for (float sx : {-1.0f, 1.0f}) ropes.append(box({sx * rx, 0.88f, 0}, {0.04f, 0.04f, 2 * rz}));
  m.add("rope.posts", std::move(stands), chrome);
  m.add("rope", std::move(ropes), rope);
  return m;
}

// ---- along the road and the track ---------------------------------------------------------------

Model makeSmallStand() {
  constexpr float kLen = 10.0f, kTier = 0.8f, kRise = 0.45f;
  Model m{.name = "stand_small"};
  const int timber = m.addMaterial("timber", {0.45f, 0.30f, 0.18f, 1}, 0.85f);
  const int bench = m.addMaterial("benches", {0.85f, 0.85f, 0.80f, 1}, 0.7f);
  const int steel = m.addMaterial("steel", {0.50f, 0.52f, 0.55f, 1}, 0.35f, 1.0f);
  const int stripeA = m.addMaterial("awning_teal", kTeal, 0.7f);
  const int stripeB = m.addMaterial("awning_white", {0.92f, 0.92f, 0.90f, 1}, 0.7f);
  MeshData tiers, benches;
  for (int i = 0; i < 4; ++i) {
    const float z = 1.2f - kTier * float(i), top = 0.3f + kRise * float(i);
    tiers.append(box({0, top * 0.5f, z}, {kLen, top, kTier}));
    benches.append(box({0, top + 0.2f, z - 0.2f}, {kLen - 0.4f, 0.06f, 0.35f}));
  }
  m.add("tiers", std::move(tiers), timber);
  m.add("benches", std::move(benches), bench);
  MeshData posts;
  for (float x : {-4.8f, 0.0f, 4.8f}) {
    posts.append(box({x, 2.0f, 1.5f}, {0.1f, 4.0f, 0.1f}));
    posts.append(box({x, 2.6f, -1.8f}, {0.1f, 5.2f, 0.1f}));
  }
  m.add("posts", std::move(posts), steel);
  // The awning: strips across the stand, alternating colours, sloping down to the front.
  MeshData a, b;
  for (int i = 0; i < 10; ++i)
    (i % 2 == 0 ? a : b).append(tilted({-4.5f + float(i), 4.6f, -0.15f}, {1.0f, 0.06f, 3.8f}, 20.0f));
  m.add("awning.teal", std::move(a), stripeA);
  m.add("awning.white", std::move(b), stripeB);
  return m;
}

Model makeClubhouse() {
  constexpr float kL = 16.0f, kD = 9.0f;
  Model m{.name = "clubhouse"};
  const int render = m.addMaterial("render", {0.90f, 0.88f, 0.83f, 1}, 0.85f);
  const int glass = m.addMaterial("glass", kGlass, 0.08f);
  const int roof = m.addMaterial("roof", {0.22f, 0.23f, 0.25f, 1}, 0.6f);
  const int sign = m.addMaterial("sign", kTeal, 0.5f);
  const int frames = m.addMaterial("frames", {0.15f, 0.15f, 0.17f, 1}, 0.4f, 1.0f);
  const int base = m.addMaterial("plinth", {0.45f, 0.45f, 0.46f, 1}, 0.9f);
  const float front = kD * 0.5f;
  m.add("plinth", box({0, 0.15f, 0}, {kL + 0.4f, 0.3f, kD + 0.4f}), base);
  MeshData body = box({0, 3.6f, -0.3f}, {kL, 6.6f, kD - 0.6f});  // the front is glazed
  m.add("body", std::move(body), render);
  MeshData panes, mullions;
  panes.append(box({0, 1.75f, front - 0.35f}, {kL - 0.4f, 2.9f, 0.1f}));  // the ground floor's glass front
  for (int i = 0; i < 6; ++i) panes.append(box({-6.25f + 2.5f * float(i), 5.0f, front - 0.55f}, {1.6f, 1.5f, 0.1f}));
  for (int i = 0; i <= 8; ++i) mullions.append(box({-kL * 0.5f + 0.2f + (kL - 0.4f) * float(i) / 8.0f, 1.75f, front - 0.28f}, {0.08f, 2.9f, 0.08f}));
  mullions.append(box({0, 3.25f, front - 0.28f}, {kL - 0.3f, 0.12f, 0.1f}));
  m.add("windows", std::move(panes), glass);
  m.add("mullions", std::move(mullions), frames);
  m.add("roof", box({0, 7.0f, 0.4f}, {kL + 1.2f, 0.3f, kD + 1.6f}), roof);
  m.add("sign", box({0, 6.55f, front + 0.35f}, {7.0f, 0.6f, 0.1f}), sign);
  return m;
}

Model makeHouse() {
  constexpr float kL = 8.0f, kD = 7.0f, kWallH = 3.0f;
  Model m{.name = "house"};
  const int walls = m.addMaterial("walls", {0.84f, 0.76f, 0.62f, 1}, 0.9f);
  const int tiles = m.addMaterial("roof_tiles", {0.55f, 0.20f, 0.12f, 1}, 0.8f);
  const int glass = m.addMaterial("glass", kGlass, 0.08f);
  const int door = m.addMaterial("door", {0.30f, 0.18f, 0.10f, 1}, 0.7f);
  MeshData body = box({0, kWallH * 0.5f, 0}, {kL, kWallH, kD});
  // The gables: stacked slabs narrowing to the ridge at each end.
  for (int i = 0; i < 6; ++i) {
    const float h = 0.3f * float(i), w = kD * (1.0f - float(i) / 6.0f);
    body.append(box({0, kWallH + h + 0.15f, 0}, {kL - 0.1f, 0.3f, w}));
  }
  body.append(box({2.4f, kWallH + 2.0f, -1.0f}, {0.6f, 1.6f, 0.6f}));  // chimney
  m.add("walls", std::move(body), walls);
  // Two roof planes pitched at ~31 degrees, meeting over the middle.
  const float pitch = glm::degrees(std::atan2(1.8f, kD * 0.5f));
  const float slope = std::hypot(1.8f, kD * 0.5f) + 0.5f;
  MeshData roof = tilted({0, kWallH + 0.95f, kD * 0.25f}, {kL + 0.6f, 0.15f, slope}, pitch);
  roof.append(tilted({0, kWallH + 0.95f, -kD * 0.25f}, {kL + 0.6f, 0.15f, slope}, -pitch));
  m.add("roof", std::move(roof), tiles);
  MeshData panes;
  for (float x : {-2.5f, 2.5f}) panes.append(box({x, 1.6f, kD * 0.5f + 0.03f}, {1.4f, 1.2f, 0.08f}));
  for (float z : {-1.5f, 1.5f})
    for (float sx : {-1.0f, 1.0f}) panes.append(box({sx * (kL * 0.5f + 0.03f), 1.6f, z}, {0.08f, 1.2f, 1.2f}));
  m.add("windows", std::move(panes), glass);
  m.add("door", box({0, 1.05f, kD * 0.5f + 0.03f}, {1.0f, 2.1f, 0.08f}), door);
  return m;
}

void appendVenues(std::vector<Model>& all) {
  all.push_back(makePavilionHall());
  all.push_back(makeSmallStand());
  all.push_back(makeClubhouse());
  all.push_back(makeHouse());
}

}  // namespace pav::assetgen
