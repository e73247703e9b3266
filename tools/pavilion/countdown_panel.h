// The time-up notice: a head-locked amber panel that shows the session's time left as m:ss in
// seven-segment digits, with a bar whose length is what is left of the time-up warning (the last
// kWarnSeconds, floor_states.h; the station shows the panel while sessionPhase() says Warning). There is no
// font in the engine, so every digit, the colon, the frame and the bar are boxes (one unit-box
// mesh, scaled). Viewer (window, pictures) and XrViewer (both eyes) add it to the title's
// scene each frame, placed from the head's pose of that frame, after the presenter filled it:
//
//   const render::MeshId box = renderer.loadMesh(demo::countdownMeshData());   // once
//   presenter.present(scene, camera, aspect);
//   demo::addCountdownPanel(scene, box, headPose, secondsLeft);               // each frame
//
// The lit shader has no unlit mode; the panel's colours are divided by the light that reaches
// its face, so it reads the same amber whichever way the visitor looks.
#pragma once

#include <string>

#include "floor_states.h"
#include "pav/render/camera.h"
#include "pav/render/mesh.h"
#include "pav/render/scene.h"

namespace pav::demo {

struct CountdownPanelDesc {
  float distance = 1.2f;      // metres in front of the head: a comfortable reading depth
  float dropDegrees = 14.0f;  // below the line of sight: the lower part of the view
  float widthDegrees = 17.0f; // the panel's width as an angle; its size scales with distance
  float warnSeconds = static_cast<float>(director::kWarnSeconds);  // a full bar
};

// The linear amber every lit part of the panel shows (what the tests look for).
inline constexpr float kAmber[3] = {1.0f, 0.42f, 0.0f};

// The mesh the panel draws with: a unit box.
render::MeshData countdownMeshData();

// "m:ss" for the seconds left, counted up to the next whole second (0.2 s left is "0:01";
// only the end itself is "0:00"). Negative is treated as 0.
std::string countdownText(double secondsLeft);
// Which of the segments a..g (bits 0..6, the usual lettering: a top, b upper right, c lower
// right, d bottom, e lower left, f upper left, g middle) digit 0..9 lights.
unsigned sevenSegmentMask(int digit);

// The panel's pose in the world: `distance` ahead of `head` and dropDegrees below its line of
// sight, turned to face the head.
render::Pose countdownPanelPose(const render::Pose& head, const CountdownPanelDesc& desc = {});
// Appends the panel's draws to `scene` (after the presenter has filled it and set its light).
void addCountdownPanel(render::Scene& scene, render::MeshId box, const render::Pose& head, double secondsLeft,
                       const CountdownPanelDesc& desc = {});

}  // namespace pav::demo
