// glTF 2.0 models on the CPU (through tinygltf): triangle meshes with their materials and
// textures, as the engine's MeshData. No Vulkan: what a title needs to draw the project's models.
//
// How to use it:
//   const render::GltfModel car = render::loadGltfModel(dir + "/models/car.gltf");
//   meshes.push_back(render::mergeParts(car, render::partsNamed("paint.")));   // tinted per draw
//   meshes.push_back(render::mergeParts(car, render::partsNamed("paint.", false)));
//   or, all of it in one mesh: render::loadGltf(path).
//
// What is read: .gltf (JSON with .bin files or data: URIs beside it) and .glb; the default
// scene's node tree (or every root node when there is no scene), each node's matrix or
// translation/rotation/scale flattened into the vertices; each primitive's POSITION, NORMAL
// (flat normals computed when absent, as the specification asks), COLOR_0, TEXCOORD_0, and
// indices (u8, u16, u32, or none); modes TRIANGLES, TRIANGLE_STRIP and TRIANGLE_FAN. A vertex's
// colour is the material's baseColorFactor times its COLOR_0 (the lit shader multiplies it with
// the draw's). Each primitive becomes a Submesh with its material (material.h): metallic and
// roughness factors, normal scale, occlusion strength, emissive factor, and the base colour,
// metallic-roughness, normal, occlusion and emissive textures, their images decoded here.
//
// Failures throw pav::Error whose message starts with the file's path and says what is wrong:
// a missing or unreadable file, tinygltf's own parse error, a version other than 2.x, an
// unsupported primitive mode, an accessor or buffer view out of its buffer's range, an index
// past the vertex count, no meshes at all; a texture that is missing, corrupt, over 4096 pixels
// a side or not PNG or JPEG (its file named, then the problem). Every range is checked here,
// so a corrupt file is refused, never read out of bounds.
//
// The files a model names stay in its folder: a buffer's or image's URI is a data: URI or a
// relative name without ".." (after percent-decoding), never absolute or with a scheme; sizes
// are capped before anything is read (256 MiB a buffer, 512 MiB in all, 64 MiB an image file).
// A refused URI is named in the message. (src/gltf_files.h)
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

#include "pav/render/mesh.h"

namespace pav::render {

// One node that carries a mesh, with its node transform already applied to the vertices.
struct GltfPart {
  std::string name;  // the node's name (or its mesh's, when the node has none)
  MeshData mesh;
};

struct GltfModel {
  std::string path;
  std::vector<GltfPart> parts;  // in scene order, depth first
};

// Axis-aligned bounds of a mesh's vertices (both zero for an empty mesh).
struct Bounds {
  glm::vec3 min{0.0f};
  glm::vec3 max{0.0f};
  glm::vec3 size() const { return max - min; }
};

// ---- Loading ----------------------------------------------------------------------------------

// Reads a .gltf or .glb file (told apart by its first bytes, not its name).
GltfModel loadGltfModel(const std::string& path);
// The same, every part merged into one mesh.
MeshData loadGltf(const std::string& path);

// ---- Using a model ----------------------------------------------------------------------------

using PartFilter = std::function<bool(const GltfPart&)>;
// Parts whose name starts with `prefix` (or, with match false, those whose name does not).
PartFilter partsNamed(std::string prefix, bool match = true);
// The parts the filter keeps (all when it is empty) merged into one mesh.
MeshData mergeParts(const GltfModel& model, const PartFilter& keep = {});
Bounds meshBounds(const MeshData& mesh);

}  // namespace pav::render
