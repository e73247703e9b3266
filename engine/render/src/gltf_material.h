// Internal to the glTF loader (gltf.cpp): images decoded as tinygltf reads them, and a glTF
// material as the engine's MaterialData. Every index a file gives is checked here, so a
// corrupt file is refused naming what is wrong, never read out of range.
#pragma once

#include <string>
#include <vector>

#include <tiny_gltf.h>

#include "pav/render/material.h"

namespace pav::render {

// What tinygltf's image callback hands over, decoded (material.h's checks), kept by image index.
struct GltfImages {
  const tinygltf::Model* model = nullptr;  // the model being parsed (its buffer views, for ranges)
  std::string modelPath, baseDir;
  std::vector<ImageRef> images;
  std::string error;  // the first image refused: "<file>: <problem>"

  // For tinygltf::TinyGLTF::SetImageLoader, with this object as its user data.
  static bool load(tinygltf::Image* image, int index, std::string* err, std::string* warn, int, int,
                   const unsigned char* bytes, int size, void* self);
};

// Material `index` of `model` with its textures from `images`. Throws pav::Error with `where`
// and what is wrong (a texture, sampler or image that does not exist, a texture coordinate
// set other than 0, an image that could not be read).
MaterialData gltfMaterial(const tinygltf::Model& model, int index, const GltfImages& images,
                          const std::string& where);

}  // namespace pav::render
