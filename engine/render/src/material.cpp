// Materials on the GPU (material_local.h): set 1 of the lit pipeline, one descriptor set per
// material in a pool of its own, its factors in a small uniform buffer, its textures shared
// through a cache keyed by the decoded image and its colour space.
//
// [SECTION] set-up: the layout, the sampler, the white texture and the default material
// [SECTION] materials: make, release, collect
// [SECTION] textures: the cache
#include <algorithm>

#include "pav/core/log.h"
#include "pav/render/context.h"
#include "material_local.h"

namespace pav::render {

// ---- [SECTION] set-up ------------------------------------------------------------------------

Materials::Materials(Context& context) : context_(context) {
  const VkDevice device = context.device();
  VkDescriptorSetLayoutBinding bindings[1 + kTextures]{};
  bindings[0] = {0, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr};
  for (uint32_t i = 0; i < kTextures; ++i)
    bindings[1 + i] = {1 + i, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr};
  VkDescriptorSetLayoutCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  info.bindingCount = 1 + kTextures;
  info.pBindings = bindings;
  VkDescriptorSetLayout layout = VK_NULL_HANDLE;
  VK_CHECK(vkCreateDescriptorSetLayout(device, &info, nullptr, &layout));
  layout_ = UniqueDescriptorSetLayout(device, layout);

  // Repeating, trilinear, anisotropic where the device offers it (Context::maxAnisotropy).
  VkSamplerCreateInfo sampler{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  sampler.magFilter = sampler.minFilter = VK_FILTER_LINEAR;
  sampler.mipmapMode = VK_SAMPLER_MIPMAP_MODE_LINEAR;
  sampler.addressModeU = sampler.addressModeV = sampler.addressModeW = VK_SAMPLER_ADDRESS_MODE_REPEAT;
  sampler.anisotropyEnable = context.maxAnisotropy() > 1.0f ? VK_TRUE : VK_FALSE;
  sampler.maxAnisotropy = std::max(context.maxAnisotropy(), 1.0f);
  sampler.maxLod = VK_LOD_CLAMP_NONE;
  VkSampler s = VK_NULL_HANDLE;
  VK_CHECK(vkCreateSampler(device, &sampler, nullptr, &s));
  sampler_ = UniqueSampler(device, s);

  white_ = uploadTexture(context, *makeImage("white", 1, 1, {255, 255, 255, 255}), false);
  default_ = make(MaterialData{});
  live_.reserve(64);
}

Materials::~Materials() = default;

// ---- [SECTION] materials ---------------------------------------------------------------------

Materials::Gpu Materials::make(const MaterialData& data) {
  const VkDevice device = context_.device();
  Gpu g;
  const VkDescriptorPoolSize sizes[2] = {{VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1},
                                         {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, kTextures}};
  VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  poolInfo.maxSets = 1;
  poolInfo.poolSizeCount = 2;
  poolInfo.pPoolSizes = sizes;
  VkDescriptorPool pool = VK_NULL_HANDLE;
  VK_CHECK(vkCreateDescriptorPool(device, &poolInfo, nullptr, &pool));
  g.pool = UniqueDescriptorPool(device, pool);
  VkDescriptorSetAllocateInfo alloc{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  alloc.descriptorPool = pool;
  alloc.descriptorSetCount = 1;
  const VkDescriptorSetLayout layout = layout_;
  alloc.pSetLayouts = &layout;
  VK_CHECK(vkAllocateDescriptorSets(device, &alloc, &g.set));

  const MaterialUniforms u{data.baseColorFactor, glm::vec4(data.emissiveFactor, data.normalScale),
                           glm::vec4(data.metallic, data.roughness, data.occlusionStrength,
                                     data.normalTexture ? 1.0f : 0.0f),
                           glm::vec4(data.uvScale, 0.0f, 0.0f)};
  g.uniforms = Buffer(context_.allocator(), {sizeof u, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, MemoryUsage::Upload});
  g.uniforms.write(&u, sizeof u);

  // Colour textures hold sRGB, data textures linear values (glTF 2.0, 3.9).
  const ImageRef* images[kTextures] = {&data.baseColorTexture, &data.metallicRoughnessTexture, &data.normalTexture,
                                       &data.occlusionTexture, &data.emissiveTexture};
  const bool srgb[kTextures] = {true, false, false, false, true};
  VkDescriptorImageInfo imageInfo[kTextures];
  for (uint32_t i = 0; i < kTextures; ++i) {
    g.textures[i] = *images[i] ? texture(*images[i], srgb[i]) : white_;
    imageInfo[i] = {sampler_, g.textures[i]->image.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  }
  const VkDescriptorBufferInfo bufferInfo{g.uniforms.get(), 0, sizeof u};
  VkWriteDescriptorSet writes[2]{};
  writes[0].sType = writes[1].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
  writes[0].dstSet = writes[1].dstSet = g.set;
  writes[0].dstBinding = 0;
  writes[0].descriptorCount = 1;
  writes[0].descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
  writes[0].pBufferInfo = &bufferInfo;
  writes[1].dstBinding = 1;
  writes[1].descriptorCount = kTextures;
  writes[1].descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  writes[1].pImageInfo = imageInfo;
  vkUpdateDescriptorSets(device, 2, writes, 0, nullptr);
  return g;
}

uint32_t Materials::create(const MaterialData& data) {
  Gpu g = make(data);
  if (!free_.empty()) {
    const uint32_t h = free_.back();
    free_.pop_back();
    live_[h] = std::move(g);
    return h;
  }
  live_.push_back(std::move(g));
  return uint32_t(live_.size() - 1);
}

void Materials::release(uint32_t handle, uint64_t lastFrame) {
  if (handle >= live_.size() || live_[handle].releasedAfter != UINT64_MAX || !live_[handle].set) return;
  live_[handle].releasedAfter = lastFrame;
  released_.push_back(handle);
}

void Materials::collect(uint64_t finishedBefore) {
  for (size_t i = 0; i < released_.size();) {
    const uint32_t h = released_[i];
    if (finishedBefore == UINT64_MAX || live_[h].releasedAfter < finishedBefore) {
      live_[h] = Gpu{};  // the pool (and its set), the buffer, its share of the textures
      free_.push_back(h);
      released_[i] = released_.back();
      released_.pop_back();
    } else {
      ++i;
    }
  }
}

// ---- [SECTION] textures ----------------------------------------------------------------------

std::shared_ptr<Texture> Materials::texture(const ImageRef& image, bool srgb) {
  auto& cache = cache_[srgb ? 1 : 0];
  const auto found = cache.find(image.get());
  if (found != cache.end() && !found->second.source.expired())
    if (std::shared_ptr<Texture> t = found->second.texture.lock()) return t;
  std::shared_ptr<Texture> t = uploadTexture(context_, *image, srgb);
  cache[image.get()] = {image, t};
  // Entries whose image or texture has gone, so the map does not grow without end.
  std::erase_if(cache, [](const auto& e) { return e.second.source.expired() || e.second.texture.expired(); });
  return t;
}

uint32_t Materials::liveTextures() const {
  uint32_t n = 0;
  for (const auto& cache : cache_)
    for (const auto& [key, c] : cache) n += c.texture.expired() ? 0 : 1;
  return n;
}

}  // namespace pav::render
