// How a hockey match looks, for hosts that draw titles through render::Presenter: the room's
// floor, the table from the project's glTF model (models/hockey_table.gltf in the title's data
// folder, TitleSetup::dataDir, or the built-in assets/; stretched to the loaded table file's
// size), the puck and both mallets; a missing or bad model makes meshes() throw pav::Error
// naming it. Seat 0 or 1 looks from behind that seat's goal; seat -1 is the spectator's view
// from the corner of the room.
#pragma once

#include <memory>

#include "pav/core/title.h"
#include "pav/render/presenter.h"

namespace pav::hockey {

// nullptr when `title` is not a hockey title.
std::unique_ptr<render::Presenter> makeHockeyPresenter(const core::Title& title, int seat = -1);

}  // namespace pav::hockey
