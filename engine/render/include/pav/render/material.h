// Materials on the CPU: glTF 2.0 metallic-roughness (base colour, metallic-roughness, normal,
// occlusion and emissive textures, each with its factor) and the decoded images they sample.
// No Vulkan: titles, the glTF loader and tools fill these; Renderer::loadMesh uploads a mesh's
// materials with it (texture.cpp, material.cpp) and draws each submesh with its own.
//
//   render::MaterialData m;
//   m.baseColorTexture = render::loadImage(dir + "/textures/asphalt.png");  // throws, naming the file
//   m.roughness = 0.9f;
//   mesh.materials.push_back(m);       // a mesh with no submeshes draws all of it with materials[0]
//
// Images: PNG or JPEG only (glTF's two core formats), decoded by stb_image into RGBA8. A file
// that is missing, unreadable, corrupt, of another format, or bigger than kMaxImageSide on a
// side or kMaxImageFileBytes on disk is refused with a pav::Error "<file>: <problem>"; the
// size is read from the header before anything is decoded, so no dimension in a file reaches
// an allocation unchecked.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>

namespace pav::render {

// A decoded image: RGBA8, rows top to bottom. Shared between the materials that use it; the
// renderer uploads each one once.
struct ImageData {
  std::string name;  // the file (or "<model>: image N"), for messages
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> rgba;
};
using ImageRef = std::shared_ptr<const ImageData>;

inline constexpr uint32_t kMaxImageSide = 4096;
inline constexpr uint64_t kMaxImageFileBytes = uint64_t(64) << 20;

// Reads and decodes a PNG or JPEG file. Throws pav::Error "<path>: <problem>".
ImageRef loadImage(const std::string& path);
// The same from bytes already read; `name` is what messages call it.
ImageRef decodeImage(std::span<const uint8_t> bytes, const std::string& name);
// An image made in memory (tests, procedural textures): width*height*4 bytes of RGBA8.
ImageRef makeImage(std::string name, uint32_t width, uint32_t height, std::vector<uint8_t> rgba);

// glTF's metallic-roughness material. A null texture means none (the factor alone); colour
// textures (base colour, emissive) hold sRGB, the others linear data, as glTF says.
struct MaterialData {
  glm::vec4 baseColorFactor{1.0f};  // linear; times the vertex colour and the draw's colour
  float metallic = 0.0f;
  float roughness = 0.7f;
  float normalScale = 1.0f;
  float occlusionStrength = 1.0f;
  glm::vec3 emissiveFactor{0.0f};
  glm::vec2 uvScale{1.0f};  // texture coordinates are multiplied by it (tiling a ground plane)
  ImageRef baseColorTexture, metallicRoughnessTexture, normalTexture, occlusionTexture, emissiveTexture;
  bool operator==(const MaterialData&) const = default;
};

// A run of a mesh's indices drawn with one of its materials.
struct Submesh {
  uint32_t firstIndex = 0, indexCount = 0;
  uint32_t material = 0;  // into MeshData::materials
};

// Khronos PBR Neutral, the tone mapping the lit and sky shaders apply before the sRGB target
// encodes their output (shaders/pbr.glsl does the same): linear scene colour in, linear
// display colour (0..1) out. Tests use it to say what colour a texel should show.
glm::vec3 toneMapNeutral(const glm::vec3& color);

}  // namespace pav::render
