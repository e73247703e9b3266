// The demo scene, built from procedural meshes and the hockey table's real dimensions.
#include "demo_scene.h"

#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "pav/hockey/table.h"

namespace pav::demo {
namespace {

using render::DrawItem;
using render::packColor;

glm::mat4 at(const glm::vec3& p) { return glm::translate(glm::mat4(1.0f), p); }
glm::mat4 box(const glm::vec3& centre, const glm::vec3& size) {
  return glm::scale(at(centre), size);
}

}  // namespace

std::vector<render::MeshData> demoMeshData(const hockey::TableSpec& t) {
  std::vector<render::MeshData> m = hockey::pieceMeshData(t);  // floor, puck, mallet, knob
  m.push_back(render::makeBox({1, 1, 1}));
  m.push_back(render::makeSphere(0.5f, 24, 48));
  m.push_back(render::makeCylinder(0.5f, 1.0f, 48));
  return m;
}

DemoMeshes demoMeshesFrom(std::span<const render::MeshId> ids) {
  DemoMeshes m;
  m.pieces = hockey::pieceMeshesFrom(ids);
  render::MeshId* fields[] = {&m.unitBox, &m.sphere, &m.cylinder};
  for (size_t i = 0; i < std::size(fields) && 4 + i < ids.size(); ++i) *fields[i] = ids[4 + i];
  return m;
}

DemoMeshes loadDemoMeshes(render::Renderer& r) {
  std::vector<render::MeshId> ids;
  for (const render::MeshData& data : demoMeshData()) ids.push_back(r.loadMesh(data));
  return demoMeshesFrom(ids);
}

void buildDemoScene(const DemoMeshes& m, float seconds, render::Scene& scene) {
  // The puck and mallets drift along gentle curves.
  const float s = seconds;
  TablePieces pieces;
  pieces.puck = {0.35f * std::sin(0.9f * s) + 0.12f, 0.22f * std::sin(1.3f * s) - 0.1f};
  for (int i = 0; i < 2; ++i) {
    const float sx = i == 0 ? -1.0f : 1.0f;
    pieces.mallets[i] = {sx * (0.62f + 0.05f * std::sin(1.7f * s + float(i))),
                         0.18f * sx + 0.1f * std::sin(1.1f * s + float(i))};
  }
  buildTableScene(m, pieces, scene);
  scene.sky.enabled = true;
}

void buildTableScene(const DemoMeshes& m, const TablePieces& pieces, render::Scene& scene,
                     const hockey::TableSpec& t) {
  scene.draws.clear();
  hockey::drawRoom(m.pieces, scene);
  auto& d = scene.draws;

  // Table: body, legs, playing surface, rails with a goal opening at each short end.
  const float y = t.surfaceHeight;
  const float outerL = t.length + 2 * t.railWidth, outerW = t.width + 2 * t.railWidth;
  const glm::vec4 body{0.10f, 0.11f, 0.13f, 1}, rail{0.85f, 0.86f, 0.88f, 1};
  d.push_back({m.unitBox, box({0, y - 0.08f, 0}, {outerL, 0.14f, outerW}), body});
  for (float sx : {-1.0f, 1.0f})
    for (float sz : {-1.0f, 1.0f})
      d.push_back({m.unitBox,
                   box({sx * (outerL * 0.5f - 0.12f), (y - 0.15f) * 0.5f, sz * (outerW * 0.5f - 0.12f)},
                       {0.08f, y - 0.15f, 0.08f}),
                   body});
  d.push_back({m.unitBox, box({0, y - 0.005f, 0}, {t.length, 0.01f, t.width}), {0.92f, 0.95f, 0.98f, 1}});
  // Centre line and goal creases as thin coloured strips on the surface.
  d.push_back({m.unitBox, box({0, y + 0.0005f, 0}, {0.012f, 0.001f, t.width}), {0.75f, 0.08f, 0.08f, 1}});
  for (float sx : {-1.0f, 1.0f})
    d.push_back({m.unitBox, box({sx * (t.length * 0.5f - 0.2f), y + 0.0005f, 0}, {0.008f, 0.001f, t.width}),
                 {0.10f, 0.25f, 0.75f, 1}});
  const float ry = y + t.railHeight * 0.5f - 0.01f, rh = t.railHeight + 0.02f;
  for (float sz : {-1.0f, 1.0f})  // long rails
    d.push_back({m.unitBox, box({0, ry, sz * (t.width + t.railWidth) * 0.5f}, {outerL, rh, t.railWidth}), rail});
  const float side = (t.width - t.goalWidth) * 0.5f;  // short rail pieces beside each goal
  for (float sx : {-1.0f, 1.0f}) {
    const float x = sx * (t.length + t.railWidth) * 0.5f;
    for (float sz : {-1.0f, 1.0f})
      d.push_back({m.unitBox, box({x, ry, sz * (t.goalWidth + side) * 0.5f}, {t.railWidth, rh, side}), rail});
    // The goal: a dark pocket below the opening.
    d.push_back({m.unitBox, box({x, y - 0.03f, 0}, {t.railWidth, 0.05f, t.goalWidth}), {0.02f, 0.02f, 0.03f, 1}});
  }

  // Puck and mallets.
  hockey::drawPieces(m.pieces, t, pieces.puck, pieces.mallets, scene);

  // A few lit shapes around the floor.
  d.push_back({m.sphere, glm::scale(at({1.9f, 0.45f, -1.4f}), glm::vec3(0.9f)), {0.90f, 0.30f, 0.12f, 1}});
  d.push_back({m.unitBox, glm::rotate(box({-2.1f, 0.35f, -1.2f}, {0.7f, 0.7f, 0.7f}), 0.6f, {0, 1, 0}),
               {0.95f, 0.75f, 0.10f, 1}});
  d.push_back({m.cylinder, glm::scale(at({0.4f, 0.6f, -2.6f}), glm::vec3(0.6f, 1.2f, 0.6f)), {0.20f, 0.70f, 0.35f, 1}});
  d.push_back({m.sphere, glm::scale(at({-1.0f, 0.25f, 1.9f}), glm::vec3(0.5f)), {0.55f, 0.25f, 0.80f, 1}});
}

render::Pose demoHeadPose() {
  return render::Pose::lookAt({-0.55f, 1.62f, 1.35f}, {0.05f, hockey::kTable.surfaceHeight, -0.05f});
}

render::View demoMonoView(float aspect) {
  render::View v;
  v.pose = render::Pose::lookAt({-1.9f, 2.1f, 2.6f}, {0.0f, 0.7f, -0.2f});
  v.fov = render::Fov::symmetric(glm::radians(55.0f), aspect);
  return v;
}

std::array<render::View, 2> demoStereoViews(float ipd) {
  // Per-eye angles of a typical consumer headset: wider towards the temple.
  const render::Fov left{glm::radians(-52.0f), glm::radians(44.0f), glm::radians(50.0f), glm::radians(-52.0f)};
  const render::Fov right{glm::radians(-44.0f), glm::radians(52.0f), glm::radians(50.0f), glm::radians(-52.0f)};
  return render::stereoViews(demoHeadPose(), ipd, left, right);
}

}  // namespace pav::demo
