// Presenters: how a title's state becomes a picture, without the title seeing Vulkan.
//
// A title's presenter lists the meshes it draws with (plain MeshData); the host (a station, a
// tool) uploads them once and hands back their ids; then each frame the presenter fills a
// Scene from the title's current state and suggests where a spectator camera should be. The
// host decides the target (window, headset, PNG) and the views. Only Vulkan-free headers are
// involved: scene.h, mesh.h, camera.h (the pav_scene library).
#pragma once

#include <span>
#include <vector>

#include "pav/render/camera.h"
#include "pav/render/mesh.h"
#include "pav/render/scene.h"

namespace pav::render {

class Presenter {
 public:
  virtual ~Presenter() = default;
  // The meshes to upload, once. Their ids come back through setMeshes in the same order.
  virtual std::vector<MeshData> meshes() const = 0;
  virtual void setMeshes(std::span<const MeshId> ids) = 0;
  // Fills `scene` (clearing it first; its storage is reused) for the title's state now and
  // sets `camera` to a spectator's view with the given aspect ratio.
  virtual void present(Scene& scene, View& camera, float aspect) const = 0;
};

}  // namespace pav::render
