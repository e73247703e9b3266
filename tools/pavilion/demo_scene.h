// The demo scene: a floor, a preview of the air-hockey table (surface, rails, goals, puck, two
// mallets) and a few lit shapes, with the cameras the demo and the golden tests use.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "pav/render/camera.h"
#include "pav/render/renderer.h"
#include "pav/hockey/hockey_present.h"
#include "pav/hockey/table.h"
#include "pav/render/scene.h"

namespace pav::demo {

struct DemoMeshes {
  hockey::PieceMeshes pieces;  // the room's floor, puck, mallet, knob
  render::MeshId unitBox, sphere, cylinder;
};

// The scene's meshes as data (hockey's room and pieces, then the demo's box, sphere and
// cylinder), and the handles once uploaded.
std::vector<render::MeshData> demoMeshData(const hockey::TableSpec& table = hockey::kTable);
DemoMeshes demoMeshesFrom(std::span<const render::MeshId> ids);
// Uploads the scene's meshes. Call once per renderer.
DemoMeshes loadDemoMeshes(render::Renderer& renderer);

// Where the moving pieces are, in table coordinates (x along the table, z across).
struct TablePieces {
  glm::vec2 puck{0.0f};
  glm::vec2 mallets[2]{};
};

// Fills `scene` with the demo's draws. `seconds` moves the puck and mallets (0: the still
// picture the golden tests compare).
void buildDemoScene(const DemoMeshes& meshes, float seconds, render::Scene& scene);
// The same room and table with the pieces where a hockey match has them.
void buildTableScene(const DemoMeshes& meshes, const TablePieces& pieces, render::Scene& scene,
                     const hockey::TableSpec& table = hockey::kTable);

// A visitor standing at the table's side, looking at it. aspect = width / height.
render::View demoMonoView(float aspect);
// The same visitor in a headset: two eyes 64 mm apart with a headset's asymmetric fovs.
std::array<render::View, 2> demoStereoViews(float ipdMeters = 0.064f);
render::Pose demoHeadPose();

}  // namespace pav::demo
