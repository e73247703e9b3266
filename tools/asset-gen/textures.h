// The project's procedural textures, written as PNG beside the models (assets/models/textures):
//
//   asphalt         road surface, u across the road with edge lines and a centre dash, v along it
//   grass           verges and fields, tiling
//   kerb            red and white stripes along u (the track's kerbs, the barrier's boards)
//   hockey_surface  the air-hockey field: centre line and circle, a goal crease at each end
//   wood, metal     the table's frame, the stands' benches; brushed metal (with metal_mr, its
//                   glTF metallic-roughness texture: G roughness, B metallic)
//   livery, jersey  white patterns a title tints per car seat and per rider (the draw's colour)
//
// Deterministic: the same bytes every run, so --check can compare them like the models.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <glm/glm.hpp>

namespace pav::assetgen {

struct TextureImage {
  std::string name;  // file stem: asphalt -> textures/asphalt.png
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> rgba;
};

std::vector<TextureImage> allTextures();
// PNG bytes (stb_image_write).
std::vector<uint8_t> encodePng(const TextureImage& image);

}  // namespace pav::assetgen
