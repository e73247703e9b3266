// pav::render: the engine's Vulkan renderer (through volk; VK_NO_PROTOTYPES everywhere).
//
// What it is for: drawing a Scene (a flat list of meshes, transforms and colours under one
// light) into a Target, seen from one view (mono) or two (multiview stereo in one pass),
// and reading any target back to a Picture. Titles never see Vulkan: they fill a Scene.
//
// How to use it (Initialization / Update / Draw / De-initialization):
//   Context context({});                          // instance, device (GPU, else lavapipe)
//   Renderer renderer(context, {});               // shaders, pipelines, frames in flight
//   OffscreenTarget target(context, {1280, 720}); // or {w, h, 2} for stereo, or WindowTarget
//   MeshId box = renderer.loadMesh(makeBox({1, 1, 1}));
//   loop: scene.draws = ...; renderer.drawFrame(target, scene, views);
//   writePng("shot.png", renderer.capture(target, scene, views)[0]);
//   destruction in reverse order of creation is automatic (RAII owners everywhere).
//
// Index:
//   vk.h        volk, VK_CHECK, move-only owners of Vulkan handles
//   context.h   Context: loader, instance, validation counting, device, queue, uploads
//   memory.h    Allocator (blocks + first-fit), Buffer, Image
//   mesh.h      Vertex, MeshData, procedural box / sphere / cylinder / plane
//   camera.h    Pose, Fov (four angles, as XrFovf), View, stereo eye views
//   target.h    Target; OffscreenTarget (mono / multiview); WindowTarget (SDL2 swapchain)
//   scene.h     Scene, DrawItem, Light, MeshId, UiQuad: plain data, no Vulkan (titles use this)
//   ui.h        ui::Canvas: panels, bars and text a presenter's HUD draws on (titles use this)
//   text.h      FontSet, GlyphAtlas (SDF), ui::PanelLayer: text for the host (pav_text, no Vulkan)
//   renderer.h  Renderer: meshes, pipelines, frames in flight, captures
//   picture.h   Picture, PNG read / write, tolerant comparison
//   shader_watch.h  ShaderWatcher: shader hot reload (glslc on its own thread, swapped between frames)
#pragma once

#include "pav/render/camera.h"
#include "pav/render/context.h"
#include "pav/render/memory.h"
#include "pav/render/mesh.h"
#include "pav/render/picture.h"
#include "pav/render/renderer.h"
#include "pav/render/scene.h"
#include "pav/render/shader_watch.h"
#include "pav/render/target.h"
#include "pav/render/vk.h"
