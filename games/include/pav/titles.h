// pav::titles: every title the build found under games/, in one place. The body of this
// header is generated (cmake/PavTitle.cmake writes titles_registry.cpp in the build tree from
// each title's pav_add_title call), so adding a title edits no list. Tools link pav_titles.
//
//   pav::titles::registerAll();                              // once: every title in core's registry
//   auto title = pav::core::createTitle("balloons");
//   auto presenter = pav::titles::makePresenter(*title, 0); // how it looks, if it says
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "pav/core/title.h"
#include "pav/render/presenter.h"

namespace pav::titles {

// Adds every built-in title to the registry (core::registerTitle). Safe to call again.
void registerAll();
// The ids of the built-in titles, sorted by folder name.
std::vector<std::string_view> builtIn();
// The presenter the title registered (pav_add_title PRESENTER), or nullptr when it has none.
// seat -1 is a spectator's view; titles whose factory takes no seat ignore it.
std::unique_ptr<render::Presenter> makePresenter(const core::Title& title, int seat = -1);

}  // namespace pav::titles
