// Mesh data on the CPU: the engine's one vertex format and procedural shapes. Pure data, no
// Vulkan: titles and tools build meshes here and hand them to Renderer::loadMesh.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "pav/render/material.h"

namespace pav::render {

struct Vertex {
  glm::vec3 position;
  glm::vec3 normal;
  uint32_t color;  // RGBA8, R in the low byte; multiplied with the draw's albedo
  glm::vec2 uv{0.0f};  // TEXCOORD_0: where the mesh's material textures are sampled
};
static_assert(sizeof(Vertex) == 36, "Vertex layout is shared with shaders/lit.vert");

struct MeshData {
  std::vector<Vertex> vertices;
  std::vector<uint32_t> indices;  // triangle list, counter-clockwise seen from outside
  // Its materials (material.h) and which indices each draws. No materials: the default one
  // (white, rough, untextured) over all. Materials but no submeshes: materials[0] over all.
  std::vector<MaterialData> materials;
  std::vector<Submesh> submeshes;

  // Appends `other` (its indices re-based, its materials merged with equal ones of this
  // mesh's, its submeshes kept); lets a tool merge static geometry into one mesh.
  void append(const MeshData& other);
};

uint32_t packColor(const glm::vec4& rgba);  // linear 0..1 -> RGBA8
constexpr uint32_t kWhite = 0xffffffffu;

// Procedural shapes, centred on the origin, Y up. A box's faces each span the texture once; a
// sphere and a cylinder's side wrap it around once.
MeshData makeBox(const glm::vec3& size, uint32_t color = kWhite);
MeshData makeSphere(float radius, uint32_t rings = 16, uint32_t segments = 32, uint32_t color = kWhite);
MeshData makeCylinder(float radius, float height, uint32_t segments = 32, uint32_t color = kWhite);
// A ribbon (a road, a verge) from cross-sections: `edges` holds pairs of vertices, one pair per
// section, in order along the ribbon. Each quad is wound so its face agrees with the vertex
// normals, whichever way round the pairs run.
MeshData makeRibbon(std::span<const Vertex> edges);
// A square in the XZ plane facing +Y, split into `divisions`^2 cells (checker of two colours);
// its texture coordinates are metres from its -X,-Z corner (a 1 m plane spans 0..1).
MeshData makePlane(float size, uint32_t divisions = 1, uint32_t colorA = kWhite,
                   uint32_t colorB = kWhite);

}  // namespace pav::render
