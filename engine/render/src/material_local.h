// Internal to the render room: materials on the GPU. Textures (texture.cpp) are images with
// mipmaps in the sub-allocator, uploaded once per decoded image and colour space and shared
// by every material that samples them; a material (material.cpp) is a descriptor set (set 1
// of the lit pipeline: a small uniform buffer of factors and five textures) in a pool of its
// own. The renderer makes a mesh's materials with the mesh and releases them with it, kept
// until every frame that may still draw them has finished.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include <glm/glm.hpp>

#include "pav/render/material.h"
#include "pav/render/memory.h"
#include "pav/render/vk.h"

namespace pav::render {

class Context;

// shaders/material.glsl's Material block.
struct MaterialUniforms {
  glm::vec4 baseColorFactor;
  glm::vec4 emissive;  // rgb emissiveFactor, w normalScale
  glm::vec4 params;    // metallic, roughness, occlusionStrength, 1 with a normal map
  glm::vec4 uvScale;
};
static_assert(sizeof(MaterialUniforms) == 64, "MaterialUniforms must match shaders/material.glsl");

// A sampled image with its full mip chain, in device-local memory.
struct Texture {
  Image image;
};

// Uploads images as textures: a staging buffer, a copy into mip 0, and the rest of the chain
// made by linear blits (in linear light for sRGB formats). A format the device cannot blit
// gets one level and a warning. (texture.cpp)
std::shared_ptr<Texture> uploadTexture(Context& context, const ImageData& image, bool srgb);

class Materials {
 public:
  static constexpr uint32_t kTextures = 5;  // base colour, metallic-roughness, normal, occlusion, emissive

  explicit Materials(Context& context);
  ~Materials();
  Materials(const Materials&) = delete;
  Materials& operator=(const Materials&) = delete;

  VkDescriptorSetLayout layout() const { return layout_; }
  // White, rough, untextured: what a mesh without materials is drawn with.
  VkDescriptorSet defaultSet() const { return default_.set; }

  // A material's set, its textures uploaded (or found already uploaded). Returns its handle.
  uint32_t create(const MaterialData& data);
  VkDescriptorSet set(uint32_t handle) const { return live_[handle].set; }
  // Freed once frame `lastFrame` (Renderer's frame counter) has finished: collect() decides.
  void release(uint32_t handle, uint64_t lastFrame);
  // Frees the released materials of frames before `finishedBefore`; with UINT64_MAX, all.
  void collect(uint64_t finishedBefore);
  uint32_t liveTextures() const;

 private:
  struct Gpu {
    UniqueDescriptorPool pool;
    VkDescriptorSet set = VK_NULL_HANDLE;
    Buffer uniforms;
    std::shared_ptr<Texture> textures[kTextures];
    uint64_t releasedAfter = UINT64_MAX;  // UINT64_MAX: in use
  };
  Gpu make(const MaterialData& data);
  std::shared_ptr<Texture> texture(const ImageRef& image, bool srgb);

  Context& context_;
  UniqueDescriptorSetLayout layout_;
  UniqueSampler sampler_;
  std::shared_ptr<Texture> white_;
  Gpu default_;
  std::vector<Gpu> live_;
  std::vector<uint32_t> free_;  // handles whose slot may be reused
  std::vector<uint32_t> released_;
  struct Cached {
    std::weak_ptr<const ImageData> source;
    std::weak_ptr<Texture> texture;
  };
  std::unordered_map<const ImageData*, Cached> cache_[2];  // linear, sRGB
};

}  // namespace pav::render
