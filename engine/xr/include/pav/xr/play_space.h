// Where the visitor's tracked space sits in a title's world: the one mapping from OpenXR's
// play space (STAGE, or a recentered LOCAL) to the scene the renderer draws and to the
// title's own coordinates, which InputFrame hands are given in.
//
//   play space ──origin──► scene world ──inverse(titleFrame)──► title coordinates
//
// A title (or the tool that hosts it) says where its visitor stands or sits, as an eye pose
// in its world; standingAt / seatedAt turn that into the play space's origin:
//   STAGE (standing): the origin is the floor below the eye, facing where the eye looks (yaw
//                     only), so a visitor in the middle of the stage stands on that spot.
//   LOCAL (seated):   the origin is the eye itself (yaw only); Session::recenter puts the
//                     visitor's head there.
// Plain math, no OpenXR (implemented in session.cpp): tested on its own.
#pragma once

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "pav/render/camera.h"

namespace pav::xr {

// a ∘ b: the pose b given in a's frame, expressed in a's parent frame.
render::Pose compose(const render::Pose& a, const render::Pose& b);
render::Pose inverse(const render::Pose& p);
// The rotation about +Y alone (heading), as a recentered space keeps it.
glm::quat yawOnly(const glm::quat& q);

struct PlaySpace {
  render::Pose origin;      // the play space's origin in the scene's world
  render::Pose titleFrame;  // the title's coordinate frame in the scene's world

  // Standing (STAGE): origin on the floor (y = 0) under `eye`, turned to its heading.
  static PlaySpace standingAt(const render::Pose& eye, const render::Pose& titleFrame = {});
  // Seated (recentered LOCAL): origin at `eye`, turned to its heading.
  static PlaySpace seatedAt(const render::Pose& eye, const render::Pose& titleFrame = {});

  render::Pose toWorld(const render::Pose& inPlaySpace) const { return compose(origin, inPlaySpace); }
  render::Pose toTitle(const render::Pose& inPlaySpace) const;
  glm::vec3 vectorToTitle(const glm::vec3& inPlaySpace) const;  // velocities, directions
};

}  // namespace pav::xr
