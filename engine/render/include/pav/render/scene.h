// What to draw, as plain data: meshes by handle, transforms, colours, one light. This header
// includes no Vulkan, so titles and tools can build scenes without seeing the GPU API.
#pragma once

#include <cstdint>
#include <vector>

#include <glm/glm.hpp>

namespace pav::render {

// A small typed handle (sokol style); a stale handle is detected by its generation.
struct MeshId {
  uint32_t index = UINT32_MAX;
  uint32_t generation = 0;
  bool valid() const { return index != UINT32_MAX; }
  bool operator==(const MeshId&) const = default;
};

// model and color are adjacent so the renderer pushes them to the GPU straight from here.
struct DrawItem {
  MeshId mesh;
  glm::mat4 model{1.0f};
  glm::vec4 color{1.0f};  // albedo, multiplied with the vertex colour; linear RGB
};

struct Light {
  glm::vec3 direction{-0.35f, -1.0f, -0.45f};  // the direction light travels
  glm::vec3 color{1.0f, 0.97f, 0.92f};
  glm::vec3 ambient{0.18f, 0.2f, 0.24f};
};

struct Scene {
  std::vector<DrawItem> draws;
  Light light;
  glm::vec4 clearColor{0.55f, 0.68f, 0.85f, 1.0f};  // linear
};

}  // namespace pav::render
