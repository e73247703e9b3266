// The models, part by part. Figures that must agree with a title's physics are taken from it
// (the car's wheel positions from games/driving's CarTuning defaults, the table from
// pav::hockey::kTable) or noted where they are copied.
#include "models.h"

#include <cmath>

#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include "pav/hockey/table.h"
#include "venues.h"

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

MeshData moved(MeshData m, const glm::vec3& by) { return transformed(std::move(m), glm::translate(glm::mat4(1.0f), by)); }

MeshData box(const glm::vec3& centre, const glm::vec3& size) { return moved(render::makeBox(size), centre); }

// A square-section bar from a to b in a plane of constant z (a bike tube, a limb): `thick`
// across the bar in that plane, `deep` along Z.
MeshData bar(const glm::vec3& a, const glm::vec3& b, float thick, float deep) {
  const glm::vec3 d = b - a;
  const float len = glm::length(glm::vec2(d.x, d.y));
  glm::mat4 t = glm::translate(glm::mat4(1.0f), (a + b) * 0.5f);
  t = glm::rotate(t, std::atan2(d.y, d.x), glm::vec3(0, 0, 1));
  return transformed(render::makeBox({len + thick * 0.5f, thick, deep}), t);
}

MeshData sphere(const glm::vec3& centre, float r, uint32_t rings = 10, uint32_t segments = 20) {
  return moved(render::makeSphere(r, rings, segments), centre);
}

glm::quat turn(float degrees, const glm::vec3& axis) { return glm::angleAxis(glm::radians(degrees), axis); }

}  // namespace

// ---- car ----------------------------------------------------------------------------------------

Model makeCar() {
  // games/driving CarTuning defaults: chassis box half extents (0.9, 0.35, 2.1), wheels of
  // radius 0.33 at x +-0.82, z +-1.35; at rest the wheel centres sit 0.24 m below the chassis
  // centre and the ground 0.57 m below it (restHeight in car.cpp).
  constexpr float kWheelY = -0.24f, kHalfTrack = 0.82f, kHalfBase = 1.35f, kWheelR = 0.33f;
  Model m{.name = "car"};
  const int paint = m.addMaterial("paint", {0.95f, 0.95f, 0.95f, 1}, 0.35f);
  m.materials[size_t(paint)].textured("livery");
  const int trim = m.addMaterial("trim", {0.06f, 0.06f, 0.07f, 1});
  const int tyre = m.addMaterial("tyre", {0.035f, 0.035f, 0.04f, 1}, 0.95f);
  const int rim = m.addMaterial("rim", {0.9f, 0.9f, 0.9f, 1}, 0.8f, 1.0f);
  m.materials[size_t(rim)].textured("metal", "metal_mr");
  const int glass = m.addMaterial("glass", {0.05f, 0.07f, 0.11f, 1}, 0.1f);
  const int head = m.addMaterial("headlight", {1.0f, 0.95f, 0.80f, 1}, 0.2f);
  const int tail = m.addMaterial("taillight", {0.80f, 0.04f, 0.04f, 1}, 0.2f);

  m.add("paint.body", box({0, -0.16f, 0}, {1.8f, 0.42f, 4.1f}), paint);
  m.add("paint.nose", box({0, -0.25f, 2.2f}, {1.6f, 0.24f, 0.4f}), paint);
  m.add("paint.cabin", box({0, 0.25f, -0.3f}, {1.3f, 0.40f, 1.8f}), paint);
  m.add("paint.wing", box({0, 0.50f, -2.0f}, {1.8f, 0.05f, 0.4f}), paint);
  m.add("glass", box({0, 0.27f, -0.3f}, {1.32f, 0.22f, 1.82f}), glass);  // a band round the cabin
  MeshData struts = box({-0.6f, 0.27f, -2.0f}, {0.05f, 0.42f, 0.15f});
  struts.append(box({0.6f, 0.27f, -2.0f}, {0.05f, 0.42f, 0.15f}));
  m.add("trim.wing_struts", std::move(struts), trim);
  m.add("trim.splitter", box({0, -0.39f, 2.25f}, {1.8f, 0.04f, 0.3f}), trim);

  const int headLamp = m.addMesh("headlight", render::makeBox({0.35f, 0.10f, 0.04f}), head);
  const int tailLamp = m.addMesh("taillight", render::makeBox({0.35f, 0.08f, 0.04f}), tail);
  for (float side : {-1.0f, 1.0f}) {
    const char* s = side < 0 ? "r" : "l";  // +X is the car's left (x left, z forward)
    m.place(std::string("light.head.") + s, headLamp, {side * 0.55f, -0.2f, 2.41f});
    m.place(std::string("light.tail.") + s, tailLamp, {side * 0.6f, -0.05f, -2.07f});
  }
  // Wheels: one tyre and one rim mesh (axis Y), each placed four times turned onto the axle.
  const int tyreMesh = m.addMesh("tyre", render::makeCylinder(kWheelR, 0.26f, 24), tyre);
  const int rimMesh = m.addMesh("rim", render::makeCylinder(0.2f, 0.27f, 16), rim);
  const glm::quat axle = turn(90.0f, {0, 0, 1});
  for (float z : {kHalfBase, -kHalfBase})
    for (float x : {kHalfTrack, -kHalfTrack}) {
      const std::string w = std::string("wheel.") + (z > 0 ? "f" : "r") + (x > 0 ? "l" : "r");
      m.place(w + ".tyre", tyreMesh, {x, kWheelY, z}, axle);
      m.place(w + ".rim", rimMesh, {x, kWheelY, z}, axle);
    }
  return m;
}

// ---- bike and rider -----------------------------------------------------------------------------

Model makeBikeRider() {
  // games/cycling: wheels of radius 0.34 m at x +-0.55; the rider's eye (riderEye) at
  // (0.2, 1.62, 0), inside the head.
  Model m{.name = "bike_rider"};
  const int paint = m.addMaterial("paint", {0.95f, 0.95f, 0.95f, 1}, 0.5f);
  m.materials[size_t(paint)].textured("jersey");
  const int tyre = m.addMaterial("tyre", {0.035f, 0.035f, 0.04f, 1}, 0.95f);
  const int metal = m.addMaterial("metal", {0.9f, 0.9f, 0.9f, 1}, 0.8f, 1.0f);
  m.materials[size_t(metal)].textured("metal", "metal_mr");
  const int trim = m.addMaterial("trim", {0.07f, 0.07f, 0.08f, 1});
  const int skin = m.addMaterial("skin", {0.80f, 0.58f, 0.45f, 1}, 0.7f);

  const int tyreMesh = m.addMesh("tyre", render::makeCylinder(0.34f, 0.03f, 32), tyre);
  const int wheelMesh = m.addMesh("wheel", render::makeCylinder(0.30f, 0.034f, 32), metal);
  const glm::quat axle = turn(90.0f, {1, 0, 0});
  for (float x : {0.55f, -0.55f}) {
    const std::string w = x > 0 ? "wheel.front" : "wheel.rear";
    m.place(w + ".tyre", tyreMesh, {x, 0.34f, 0}, axle);
    m.place(w + ".rim", wheelMesh, {x, 0.34f, 0}, axle);
  }

  // Frame: bottom bracket B, seat cluster S, head tube top H and bottom Hb, hubs R and F.
  const glm::vec3 B{0, 0.29f, 0}, S{-0.12f, 0.82f, 0}, H{0.42f, 0.80f, 0}, Hb{0.46f, 0.64f, 0};
  const glm::vec3 R{-0.55f, 0.34f, 0}, F{0.55f, 0.34f, 0};
  MeshData frame = bar(B, S, 0.04f, 0.04f);
  frame.append(bar(S, H, 0.035f, 0.035f));
  frame.append(bar(B, Hb, 0.045f, 0.045f));
  frame.append(bar(H, Hb, 0.045f, 0.045f));
  for (float z : {-0.05f, 0.05f}) {
    const glm::vec3 dz{0, 0, z};
    frame.append(bar(B + dz * 0.4f, R + dz, 0.025f, 0.02f));
    frame.append(bar(S + dz * 0.4f, R + dz, 0.02f, 0.02f));
    frame.append(bar(Hb + dz * 0.4f, F + dz, 0.025f, 0.02f));
  }
  m.add("paint.frame", std::move(frame), paint);
  MeshData parts = box({-0.15f, 0.875f, 0}, {0.26f, 0.045f, 0.13f});  // saddle
  parts.append(bar(S, {-0.14f, 0.86f, 0}, 0.025f, 0.025f));              // seat post
  parts.append(bar(H, {0.50f, 0.86f, 0}, 0.035f, 0.035f));               // stem
  parts.append(box({0.50f, 0.86f, 0}, {0.04f, 0.035f, 0.42f}));          // bars
  parts.append(box({0, 0.29f, 0}, {0.34f, 0.03f, 0.16f}));               // cranks
  m.add("trim.saddle_bars", std::move(parts), trim);

  // Rider: hip P, shoulder Sh, head over the stem; hands on the bars, feet on the pedals.
  const glm::vec3 P{-0.12f, 0.98f, 0}, Sh{0.10f, 1.42f, 0};
  m.add("paint.jersey", bar(P, Sh, 0.26f, 0.36f), paint);
  MeshData sleeves, shorts, limbs, shoes;
  for (float z : {-1.0f, 1.0f}) {
    const glm::vec3 shoulder{0.10f, 1.38f, 0.17f * z}, elbow{0.28f, 1.14f, 0.18f * z}, hand{0.48f, 0.88f, 0.19f * z};
    const glm::vec3 hip{-0.10f, 0.98f, 0.10f * z}, knee{0.20f, 0.72f, 0.10f * z}, ankle{0.04f, 0.33f, 0.10f * z};
    sleeves.append(bar(shoulder, elbow, 0.09f, 0.09f));
    limbs.append(bar(elbow, hand, 0.07f, 0.07f));
    shorts.append(bar(hip, knee, 0.15f, 0.14f));
    limbs.append(bar(knee, ankle, 0.10f, 0.10f));
    shoes.append(box({0.07f, 0.28f, 0.10f * z}, {0.24f, 0.07f, 0.09f}));
  }
  m.add("paint.sleeves", std::move(sleeves), paint);
  m.add("shorts", std::move(shorts), trim);
  limbs.append(sphere({0.13f, 1.58f, 0}, 0.10f));  // head
  m.add("skin", std::move(limbs), skin);
  m.add("shoes", std::move(shoes), trim);
  m.add("paint.helmet", sphere({0.10f, 1.64f, 0}, 0.115f), paint);
  return m;
}

// ---- hockey table -------------------------------------------------------------------------------

Model makeHockeyTable() {
  // The same pieces as the demo scene's table (tools/pavilion/demo_scene.cpp), as one model.
  const hockey::TableSpec& t = hockey::kTable;
  Model m{.name = "hockey_table"};
  const int body = m.addMaterial("body", {1, 1, 1, 1}, 0.6f);
  m.materials[size_t(body)].textured("wood");
  const int rail = m.addMaterial("rail", {0.9f, 0.9f, 0.9f, 1}, 0.6f, 1.0f);
  m.materials[size_t(rail)].textured("metal", "metal_mr");
  const int surface = m.addMaterial("surface", {0.92f, 0.95f, 0.98f, 1}, 0.2f);
  m.materials[size_t(surface)].textured("hockey_surface");
  const int centre = m.addMaterial("centre_line", {0.75f, 0.08f, 0.08f, 1});
  const int crease = m.addMaterial("crease", {0.10f, 0.25f, 0.75f, 1});
  const int pocket = m.addMaterial("goal", {0.02f, 0.02f, 0.03f, 1});

  const float y = t.surfaceHeight;
  const float outerL = t.length + 2 * t.railWidth, outerW = t.width + 2 * t.railWidth;
  m.add("body", box({0, y - 0.08f, 0}, {outerL, 0.14f, outerW}), body);
  const int leg = m.addMesh("leg", render::makeBox({0.08f, y - 0.15f, 0.08f}), body);
  int n = 0;
  for (float sx : {-1.0f, 1.0f})
    for (float sz : {-1.0f, 1.0f})
      m.place("leg." + std::to_string(n++), leg,
              {sx * (outerL * 0.5f - 0.12f), (y - 0.15f) * 0.5f, sz * (outerW * 0.5f - 0.12f)});
  m.add("surface", box({0, y - 0.005f, 0}, {t.length, 0.01f, t.width}), surface);
  m.add("line.centre", box({0, y + 0.0005f, 0}, {0.012f, 0.001f, t.width}), centre);
  MeshData creases;
  for (float sx : {-1.0f, 1.0f}) creases.append(box({sx * (t.length * 0.5f - 0.2f), y + 0.0005f, 0}, {0.008f, 0.001f, t.width}));
  m.add("line.creases", std::move(creases), crease);
  const float ry = y + t.railHeight * 0.5f - 0.01f, rh = t.railHeight + 0.02f;
  MeshData rails, goals;
  for (float sz : {-1.0f, 1.0f}) rails.append(box({0, ry, sz * (t.width + t.railWidth) * 0.5f}, {outerL, rh, t.railWidth}));
  const float side = (t.width - t.goalWidth) * 0.5f;  // short rail pieces beside each goal
  for (float sx : {-1.0f, 1.0f}) {
    const float x = sx * (t.length + t.railWidth) * 0.5f;
    for (float sz : {-1.0f, 1.0f}) rails.append(box({x, ry, sz * (t.goalWidth + side) * 0.5f}, {t.railWidth, rh, side}));
    goals.append(box({x, y - 0.03f, 0}, {t.railWidth, 0.05f, t.goalWidth}));
  }
  m.add("rails", std::move(rails), rail);
  m.add("goals", std::move(goals), pocket);
  return m;
}

// ---- track scenery ------------------------------------------------------------------------------

Model makeGrandstand() {
  // 24 m wide, six tiers rising away from the track (the track is on +Z), a roof on posts.
  Model m{.name = "grandstand"};
  const int concrete = m.addMaterial("concrete", {0.62f, 0.61f, 0.58f, 1}, 0.9f);
  const int seatsA = m.addMaterial("seats_blue", {0.12f, 0.28f, 0.70f, 1}, 0.6f);
  const int seatsB = m.addMaterial("seats_white", {0.88f, 0.88f, 0.90f, 1}, 0.6f);
  const int roof = m.addMaterial("roof", {0.5f, 0.52f, 0.56f, 1}, 0.8f, 0.6f);
  m.materials[size_t(roof)].textured("metal", "metal_mr");
  constexpr float kWidth = 24.0f, kTier = 1.0f, kRise = 0.5f;
  MeshData tiers, blue, white;
  for (int i = 0; i < 6; ++i) {
    const float z = 2.5f - kTier * float(i), top = 0.6f + kRise * float(i);
    tiers.append(box({0, top * 0.5f, z}, {kWidth, top, kTier}));
    (i % 2 == 0 ? blue : white).append(box({0, top + 0.22f, z - 0.15f}, {kWidth - 0.6f, 0.44f, 0.45f}));
  }
  tiers.append(box({0, 2.5f, -3.25f}, {kWidth, 5.0f, 0.5f}));  // back wall
  m.add("tiers", std::move(tiers), concrete);
  m.add("seats.blue", std::move(blue), seatsA);
  m.add("seats.white", std::move(white), seatsB);
  MeshData cover = box({0, 6.6f, -0.25f}, {kWidth + 1.0f, 0.2f, 7.5f});
  for (float x : {-11.5f, -3.8f, 3.8f, 11.5f}) cover.append(box({x, 3.3f, -3.3f}, {0.25f, 6.6f, 0.25f}));
  m.add("roof", std::move(cover), roof);
  return m;
}

Model makeTree() {
  Model m{.name = "tree"};
  const int bark = m.addMaterial("bark", {0.7f, 0.7f, 0.7f, 1}, 0.95f);
  m.materials[size_t(bark)].textured("wood");
  const int leaves = m.addMaterial("leaves", {0.16f, 0.40f, 0.14f, 1}, 0.9f);
  const int leavesLight = m.addMaterial("leaves_light", {0.24f, 0.50f, 0.18f, 1}, 0.9f);
  m.add("trunk", moved(render::makeCylinder(0.22f, 2.8f, 10), {0, 1.4f, 0}), bark);
  MeshData crown = sphere({0, 3.7f, 0}, 1.8f);
  crown.append(sphere({-0.7f, 4.5f, -0.4f}, 1.2f));
  m.add("crown", std::move(crown), leaves);
  m.add("crown.top", sphere({0.6f, 4.9f, 0.3f}, 1.25f), leavesLight);
  return m;
}

Model makeBarrier() {
  Model m{.name = "barrier"};
  const int red = m.addMaterial("red", {1, 1, 1, 1}, 0.6f);
  m.materials[size_t(red)].textured("kerb");
  const int white = m.addMaterial("white", {0.92f, 0.92f, 0.92f, 1}, 0.6f);
  const int steel = m.addMaterial("steel", {0.9f, 0.9f, 0.9f, 1}, 0.7f, 1.0f);
  m.materials[size_t(steel)].textured("metal", "metal_mr");
  MeshData reds, whites, posts;
  for (int i = 0; i < 8; ++i) (i % 2 == 0 ? reds : whites).append(box({-1.75f + 0.5f * float(i), 0.55f, 0}, {0.5f, 0.5f, 0.12f}));
  for (float x : {-1.9f, 0.0f, 1.9f}) posts.append(box({x, 0.45f, -0.12f}, {0.1f, 0.9f, 0.1f}));
  m.add("panels.red", std::move(reds), red);
  m.add("panels.white", std::move(whites), white);
  m.add("posts", std::move(posts), steel);
  return m;
}

std::vector<Model> allModels() {
  std::vector<Model> all;
  all.push_back(makeCar());
  all.push_back(makeBikeRider());
  all.push_back(makeHockeyTable());
  all.push_back(makeGrandstand());
  all.push_back(makeTree());
  all.push_back(makeBarrier());
  appendVenues(all);  // venues.h: the settings round the titles
  return all;
}

}  // namespace pav::assetgen
