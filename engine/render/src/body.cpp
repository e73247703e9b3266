// The visitor's own body (body.h): its meshes, built once from the engine's procedural shapes
// with vertex colours, and the per-frame draws.
//
// [SECTION] Shapes: placing, a torus
// [SECTION] Meshes: controller, glove, steering wheel, cockpit, handlebars
// [SECTION] Drawing
#include "pav/render/body.h"

#include <cmath>

#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>

namespace pav::render {
namespace {

// ---- [SECTION] Shapes ---------------------------------------------------------------------------

MeshData placed(MeshData m, const glm::mat4& t) {
  const glm::mat3 n = glm::transpose(glm::inverse(glm::mat3(t)));
  for (Vertex& v : m.vertices) {
    v.position = glm::vec3(t * glm::vec4(v.position, 1.0f));
    v.normal = glm::normalize(n * v.normal);
  }
  return m;
}

glm::mat4 at(const glm::vec3& p) { return glm::translate(glm::mat4(1.0f), p); }
glm::mat4 turned(const glm::vec3& p, float degrees, const glm::vec3& axis) {
  return glm::rotate(at(p), glm::radians(degrees), axis);
}

// A torus about +Z (in the XY plane): `radius` to the tube's centre, `tube` its radius.
MeshData torus(float radius, float tube, uint32_t color, uint32_t around = 48, uint32_t across = 12) {
  MeshData m;
  for (uint32_t i = 0; i <= around; ++i) {
    const float a = glm::two_pi<float>() * float(i) / float(around);
    const glm::vec3 out(std::cos(a), std::sin(a), 0.0f);
    for (uint32_t j = 0; j <= across; ++j) {
      const float b = glm::two_pi<float>() * float(j) / float(across);
      const glm::vec3 n = std::cos(b) * out + std::sin(b) * glm::vec3(0, 0, 1);
      m.vertices.push_back({out * radius + n * tube, n, color});
    }
  }
  for (uint32_t i = 0; i < around; ++i) {
    for (uint32_t j = 0; j < across; ++j) {
      const uint32_t a = i * (across + 1) + j, b = a + across + 1;
      m.indices.insert(m.indices.end(), {a, b, a + 1, a + 1, b, b + 1});
    }
  }
  return m;
}

uint32_t rgb(const glm::vec4& c) { return packColor(c); }

// ---- [SECTION] Meshes ---------------------------------------------------------------------------

// A controller in its grip frame: the handle along Z through the origin, the face and the
// tracking ring ahead of the thumb (-Z, up).
MeshData controllerMesh() {
  const uint32_t shell = rgb(kControllerShell);
  MeshData m = placed(makeCylinder(0.021f, 0.11f, 24, shell), turned({0, 0, 0.005f}, 90.0f, {1, 0, 0}));
  m.append(placed(makeCylinder(0.034f, 0.022f, 28, shell), turned({0, 0.035f, -0.06f}, -25.0f, {1, 0, 0})));
  m.append(placed(makeSphere(0.006f, 6, 10, rgb({0.8f, 0.8f, 0.82f, 1})), at({0.0f, 0.049f, -0.062f})));
  return m;
}

MeshData ringMesh() {
  return placed(torus(0.05f, 0.007f, rgb(kControllerRing)), turned({0, 0.045f, -0.075f}, 65.0f, {1, 0, 0}));
}

// A gloved fist in the grip frame, closed round the handle along Z (the origin inside it), the
// cuff behind the little finger (+Z) and the wrist below.
MeshData gloveMesh() {
  const uint32_t glove = rgb(kGloveColor), cuff = rgb({0.12f, 0.12f, 0.14f, 1});
  MeshData m = placed(makeBox({0.075f, 0.085f, 0.095f}, glove), at({0, 0.004f, 0}));
  m.append(placed(makeBox({0.03f, 0.025f, 0.06f}, glove), turned({0, 0.035f, -0.055f}, 20.0f, {1, 0, 0})));  // thumb
  m.append(placed(makeCylinder(0.034f, 0.07f, 16, cuff), turned({0, -0.02f, 0.08f}, 70.0f, {1, 0, 0})));
  return m;
}

// The steering wheel about its hub (+Z towards the driver): rim, hub, three spokes.
MeshData wheelMesh() {
  const uint32_t black = rgb(kRimColor), metal = rgb({0.55f, 0.56f, 0.58f, 1});
  MeshData m = torus(kWheelRimRadius, 0.017f, black);
  m.append(placed(makeCylinder(0.05f, 0.05f, 24, black), turned({0, 0, 0}, 90.0f, {1, 0, 0})));
  for (float deg : {0.0f, 180.0f, 270.0f}) {
    const float a = glm::radians(deg), r = 0.5f * (kWheelRimRadius + 0.04f);
    m.append(placed(makeBox({kWheelRimRadius - 0.04f, 0.03f, 0.012f}, metal),
                    glm::rotate(at({r * std::cos(a), r * std::sin(a), -0.01f}), a, {0, 0, 1})));
  }
  return m;
}

MeshData wheelMarkMesh() {
  return placed(makeBox({0.03f, 0.045f, 0.045f}, rgb(kRimMarkColor)), at({0, kWheelRimRadius, 0}));
}

// Around the wheel's mount (not turning): the column, the dashboard with its instrument
// binnacle and the cowl that frames the road.
MeshData cockpitMesh() {
  const uint32_t dash = rgb({0.07f, 0.07f, 0.08f, 1}), face = rgb({0.85f, 0.86f, 0.9f, 1});
  MeshData m = placed(makeCylinder(0.03f, 0.34f, 16, dash), turned({0, 0, -0.19f}, 90.0f, {1, 0, 0}));
  m.append(placed(makeBox({1.30f, 0.14f, 0.42f}, dash), at({0.0f, 0.06f, -0.48f})));
  m.append(placed(makeBox({0.30f, 0.10f, 0.16f}, dash), at({0.0f, 0.17f, -0.36f})));  // binnacle
  for (float x : {-0.065f, 0.065f})
    m.append(placed(makeCylinder(0.04f, 0.01f, 20, face), turned({x, 0.17f, -0.277f}, 90.0f, {1, 0, 0})));
  return m;
}

// Drop handlebars about their centre: the bar across X in bar tape, the stem ahead of it, the
// hoods and the drops at each end.
MeshData barsMesh() {
  const uint32_t tape = rgb({0.06f, 0.06f, 0.07f, 1}), alloy = rgb({0.6f, 0.61f, 0.64f, 1});
  MeshData m = placed(makeCylinder(0.023f, 0.44f, 16, tape), turned({0, 0, 0}, 90.0f, {0, 0, 1}));
  m.append(placed(makeBox({0.04f, 0.04f, 0.12f}, alloy), at({0, -0.01f, 0.05f})));  // stem, back to the steerer
  for (float x : {-0.2f, 0.2f}) {
    m.append(placed(makeBox({0.035f, 0.05f, 0.09f}, tape), at({x, 0.02f, -0.06f})));  // hood
    m.append(placed(makeCylinder(0.02f, 0.16f, 12, tape), turned({x, -0.07f, -0.07f}, 20.0f, {1, 0, 0})));  // drop
  }
  return m;
}

}  // namespace

std::vector<MeshData> BodyDrawer::meshes() {
  std::vector<MeshData> m(kParts);
  m[kController] = controllerMesh();
  m[kRing] = ringMesh();
  m[kGlove] = gloveMesh();
  m[kWheel] = wheelMesh();
  m[kWheelMark] = wheelMarkMesh();
  m[kCockpit] = cockpitMesh();
  m[kBars] = barsMesh();
  return m;
}

void BodyDrawer::setMeshes(std::span<const MeshId> ids) {
  ready_ = ids.size() >= kParts;
  for (size_t i = 0; i < kParts && i < ids.size(); ++i) ids_[i] = ids[i];
}

// ---- [SECTION] Drawing --------------------------------------------------------------------------

namespace {
glm::mat4 matrixOf(const Pose& p) { return glm::translate(glm::mat4(1.0f), p.position) * glm::mat4_cast(p.orientation); }
constexpr glm::vec4 kWhiteAlbedo{1.0f};
}  // namespace

glm::mat4 BodyDrawer::wheelModel(const Body& body) {
  // Clockwise as the driver sees it (looking along -Z) is a negative turn about +Z.
  return matrixOf(body.mount) * glm::mat4_cast(glm::angleAxis(-body.turn, glm::vec3(0, 0, 1)));
}

Pose BodyDrawer::heldHand(const Body& body, int hand) {
  const float side = hand == 0 ? -1.0f : 1.0f;
  glm::mat4 m(1.0f);
  if (body.held == Body::Held::SteeringWheel) {
    // On the rim at 9 and 3 o'clock, the fist round the rim (its tube along the rim, upwards).
    m = wheelModel(body) * glm::rotate(at({side * kWheelRimRadius, 0, 0.01f}), glm::half_pi<float>(), {1, 0, 0});
  } else if (body.held == Body::Held::Handlebars) {
    m = matrixOf(body.mount) * at({side * 0.2f, 0.03f, -0.05f});  // on the hoods, the fists along the ride
  } else {
    m = matrixOf(body.mount);
  }
  return {glm::vec3(m[3]), glm::normalize(glm::quat_cast(glm::mat3(m)))};
}

glm::vec3 BodyDrawer::wheelMark(const Body& body) {
  return glm::vec3(wheelModel(body) * glm::vec4(0, kWheelRimRadius, 0, 1));
}

void BodyDrawer::draw(const Body& body, const BodyHands& hands, Scene& scene) const {
  if (!ready_) return;
  if (body.held == Body::Held::SteeringWheel) {
    const glm::mat4 wheel = wheelModel(body);
    scene.draws.push_back({ids_[kWheel], wheel, kWhiteAlbedo});
    scene.draws.push_back({ids_[kWheelMark], wheel, kWhiteAlbedo});
    if (body.cockpit) scene.draws.push_back({ids_[kCockpit], matrixOf(body.mount), kWhiteAlbedo});
  } else if (body.held == Body::Held::Handlebars) {
    scene.draws.push_back({ids_[kBars], matrixOf(body.mount), kWhiteAlbedo});
  }
  for (int hand = 0; hand < 2; ++hand) {
    const size_t h = static_cast<size_t>(hand);
    if (body.hands == Body::Hands::OnHeld && body.held != Body::Held::None) {
      scene.draws.push_back({ids_[kGlove], matrixOf(heldHand(body, hand)), kWhiteAlbedo});
      continue;
    }
    if (!hands.tracked[h]) continue;
    const glm::mat4 grip = matrixOf(hands.grip[h]);
    if (body.hands == Body::Hands::Controllers) {
      scene.draws.push_back({ids_[kController], grip, kWhiteAlbedo});
      scene.draws.push_back({ids_[kRing], grip, kWhiteAlbedo});
    } else {
      scene.draws.push_back({ids_[kGlove], grip, kWhiteAlbedo});
    }
  }
}

}  // namespace pav::render
