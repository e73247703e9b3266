// Mesh data on the CPU: the engine's one vertex format and procedural shapes. Pure data, no
// Vulkan: titles and tools build meshes here and hand them to Renderer::loadMesh.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <glm/glm.hpp>

namespace pav::render {

struct Vertex {
  glm::vec3 position;
  glm::vec3 normal;
  uint32_t color;  // RGBA8, R in the low byte; multiplied with the draw's albedo
};
static_assert(sizeof(Vertex) == 28, "Vertex layout is shared with shaders/lit.vert");

struct MeshData {
  std::vector<Vertex> vertices;
  std::vector<uint32_t> indices;  // triangle list, counter-clockwise seen from outside

  // Appends `other` (its indices re-based); lets a tool merge static geometry into one mesh.
  void append(const MeshData& other);
};

uint32_t packColor(const glm::vec4& rgba);  // linear 0..1 -> RGBA8
constexpr uint32_t kWhite = 0xffffffffu;

// Procedural shapes, centred on the origin, Y up.
MeshData makeBox(const glm::vec3& size, uint32_t color = kWhite);
MeshData makeSphere(float radius, uint32_t rings = 16, uint32_t segments = 32, uint32_t color = kWhite);
MeshData makeCylinder(float radius, float height, uint32_t segments = 32, uint32_t color = kWhite);
// A ribbon (a road, a verge) from cross-sections: `edges` holds pairs of vertices, one pair per
// section, in order along the ribbon. Each quad is wound so its face agrees with the vertex
// normals, whichever way round the pairs run.
MeshData makeRibbon(std::span<const Vertex> edges);
// A square in the XZ plane facing +Y, split into `divisions`^2 cells (checker of two colours).
MeshData makePlane(float size, uint32_t divisions = 1, uint32_t colorA = kWhite,
                   uint32_t colorB = kWhite);

}  // namespace pav::render
