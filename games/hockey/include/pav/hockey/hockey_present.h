// How a hockey match meets its visitor, for hosts that draw titles through render::Presenter:
// the pavilion hall round the table (models/pavilion_hall.gltf, its floor the room's), the table
// from the project's glTF model (models/hockey_table.gltf in the title's data folder, TitleSetup::dataDir, or the built-in assets/; stretched to the loaded
// table file's size), the puck and both mallets, all placed from the networked state (objects
// 0 the puck, 1 and 2 the mallets, in table coordinates). A missing or bad model makes meshes()
// throw pav::Error naming it.
//
// Seat 0 or 1 stands behind that seat's goal (Seat::Stance::Standing, the table's frame lifted
// to the surface), and feels a puck hit on their mallet as a jolt in the right hand, harder
// for a harder hit; seat -1 is the spectator's view from the corner of the room.
//
// The room, the pieces and the seats' places are also what the demo scene (tools/pavilion)
// draws its preview of the table with, so the two never drift apart.
#pragma once

#include <memory>
#include <vector>

#include <glm/glm.hpp>

#include "pav/core/title.h"
#include "pav/hockey/table.h"
#include "pav/render/presenter.h"

namespace pav::hockey {

// nullptr when `title` is not a hockey title.
std::unique_ptr<render::Presenter> makeHockeyPresenter(const core::Title& title, int seat = -1);

// ---- The room and the pieces, shared with the demo scene --------------------------------------

// The room's floor, the puck, the mallet's base and its knob, in this order.
std::vector<render::MeshData> pieceMeshData(const TableSpec& table = kTable);
struct PieceMeshes {
  render::MeshId floor, puck, mallet, knob;
};
PieceMeshes pieceMeshesFrom(std::span<const render::MeshId> ids);  // in pieceMeshData's order
// The puck and the two mallets (seat 0 red, seat 1 blue) at table positions (x, z).
void drawPieces(const PieceMeshes& meshes, const TableSpec& table, glm::vec2 puck, const glm::vec2 (&mallets)[2],
                render::Scene& scene);
// The room's look: its light and its sky, with the floor drawn.
void drawRoom(const PieceMeshes& meshes, render::Scene& scene);

// A visitor standing behind seat 0's goal (at -x) or seat 1's (+x): eyes 1.6 m up, looking
// down the table.
render::Pose seatEye(int seat, const TableSpec& table = kTable);
// Where the table's own frame (centre at the origin, long axis X, surface y = 0) lies in the
// room: the surface surfaceHeight above the floor.
render::Pose tableFrame(const TableSpec& table = kTable);

}  // namespace pav::hockey
