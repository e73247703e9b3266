// Internal to games/cycling: the road as the presenter draws it, built once from the course
// (cycling_road.cpp). The road follows the route's polyline in the scene (x east, z south),
// flat across; its shoulders bank where it turns, the outside edge raised with the bend's
// sharpness and tinted as a kerb; grass verges beyond; a white line across it at the finish.
#pragma once

#include "pav/cycling/cycling.h"
#include "pav/render/mesh.h"

namespace pav::cycling {

// The shoulders' outer edge is this far from the road's middle.
constexpr float kShoulderHalfWidthM = kRoadHalfWidthM + 1.2f;
// The most a shoulder's outer edge is raised, in the sharpest bend (m).
constexpr float kMaxBankM = 0.6f;
// Raised by the bend's curvature (rad/m) times this (m^2): 0.4 m in a bend of 100 m radius.
constexpr float kBankPerCurvature = 40.0f;

// How far the outside shoulder of point i is raised (m): > 0 on the right when the road turns
// left, < 0 (the left raised) when it turns right. Smoothed over the points around it.
float bankAt(const Route& course, uint32_t point);

render::MeshData roadSurface(const Route& course);
// The shoulders, both sides, banked.
render::MeshData roadShoulders(const Route& course);
// The grass either side, from the shoulders out to `halfWidth`.
render::MeshData roadVerges(const Route& course, float halfWidth);
// A white line across the road, centred on the origin, facing +Y, across Z (draw it at the
// finish's RoadFrame: translate to its centre, turn by its yaw).
render::MeshData finishLine();

}  // namespace pav::cycling
