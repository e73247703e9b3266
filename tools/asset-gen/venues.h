// The settings around the titles (issue 15): models made like models.h's, from the engine's
// procedural shapes with a plain material (base colour, metallic, roughness) per part. Units
// are metres, Y is up, each model's origin on the ground.
//
//   pavilion_hall   the hall around the hockey table: a wooden floor (its top at y = 0, the
//                   table's origin), walls with window bands and a door, columns, roof
//                   trusses, lights, a rope line round the table; 18 x 14 m, 6 m to the eaves
//   stand_small     a roadside stand: four tiers of benches under an awning, 10 m along X,
//                   facing +Z (the road), for the cycling road and the track's straights
//   clubhouse       a two-storey pavilion building with a glazed front facing +Z, a flat
//                   roof with an overhang and a sign band, 16 x 9 m
//   house           a gabled house, 8 x 7 m, its front (door, windows) facing +Z
#pragma once

#include <vector>

#include "gltf_writer.h"

namespace pav::assetgen {

Model makePavilionHall();
Model makeSmallStand();
Model makeClubhouse();
Model makeHouse();

// The venue models above, in the order they are written (after models.h's).
void appendVenues(std::vector<Model>& all);

}  // namespace pav::assetgen
