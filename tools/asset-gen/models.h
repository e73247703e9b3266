// The project's models, built from the engine's procedural shapes (boxes, cylinders, spheres)
// with a base-colour material per part. Units are metres, Y is up. Parts whose node name
// starts with "paint." are white: a title tints them per player with the draw's colour.
//
//   car            a race car, nose +Z, origin at the chassis centre (the physics box of
//                  games/driving), wheels where the raycast vehicle has them, ~4.5 m long
//   bike_rider     a road bike and its rider, travelling +X, origin on the ground under the
//                  bottom bracket, wheels 1.1 m apart, head near 1.6 m (games/cycling)
//   hockey_table   the standard air-hockey table of games/hockey (pav::hockey::kTable),
//                  origin on the floor under the table's centre, surface along X
//   grandstand, tree, barrier   track scenery: a covered stand facing +Z, a broad-leaved
//                  tree, and a 4 m red-and-white barrier segment along X
#pragma once

#include <vector>

#include "gltf_writer.h"

namespace pav::assetgen {

Model makeCar();
Model makeBikeRider();
Model makeHockeyTable();
Model makeGrandstand();
Model makeTree();
Model makeBarrier();

// Every model above, in the order they are written.
std::vector<Model> allModels();

}  // namespace pav::assetgen
