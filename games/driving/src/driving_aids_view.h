// What the assists and comfort look like (drawn by the driving presenter): the racing line on
// the road coloured by braking zones, and the tunnelling vignette on the seated visitor's head.
#pragma once

#include "driving_local.h"
#include "pav/render/mesh.h"
#include "pav/render/presenter.h"
#include "pav/render/ui.h"

namespace pav::driving {

// A ribbon kRacingLineWidthM wide along the racing line, a little above the road, coloured by
// lineZones at `gripShare`.
constexpr float kRacingLineWidthM = 0.6f;
render::MeshData racingLineMesh(const Track& track, const CarTuning& tuning, float gripShare);

// The vignette: a frame of dark bands round the view, its opening closing as the strength
// rises. Follows the seat's car from frame to frame (angular velocity from the networked state,
// acceleration from the change of velocity), eased so it neither flickers nor snaps.
class Vignette {
 public:
  // The strength to draw for this frame of car `car` (0 none .. 1 full), at comfort setting
  // `setting`.
  float update(const core::StateFrame& state, int car, float setting);
  // Draws it (nothing at strength 0) as a head panel, in both eyes.
  void draw(float strength, render::ui::Canvas& canvas) const;
  float strength() const { return eased_; }

  // The panel: this far ahead, this big; the opening's half-size at the least and the most.
  static constexpr float kDistanceM = 0.35f, kHalfM = 1.2f;
  static constexpr float kOpenWideM = 0.75f, kOpenNarrowM = 0.2f;
  static constexpr int kBands = 6;

 private:
  uint64_t tick_ = 0;
  bool have_ = false;
  glm::vec3 velocity_{0.0f};
  float accel_ = 0, eased_ = 0;
};

}  // namespace pav::driving
