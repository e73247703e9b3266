// Renderer, the UI part: the UI pipeline (instanced quads, premultiplied alpha, world quads
// depth-tested without writing depth, onTop ones not tested), the glyph atlas's R8 image kept
// in step with the scene's GlyphAtlas through per-slot staging buffers, and the quads of a
// frame written into the slot's instance buffer. Nothing here allocates on the heap per frame
// once the atlas and the instance buffers exist.
//
// [SECTION] set-up: shaders, layouts, the atlas's sampler and descriptor set
// [SECTION] pipelines
// [SECTION] per frame: atlas upload, instances, recording
#include <algorithm>
#include <cstring>

#include "pav/core/log.h"
#include "pav/render/context.h"
#include "pav/render/renderer.h"
#include "pav/render/text.h"
#include "render_local.h"

namespace pav::render {

// ---- [SECTION] set-up -------------------------------------------------------------------------

void Renderer::createUiLayouts(const std::string& dir) {
  const VkDevice device = context_.device();
  uiVertexShader_ = detail::loadShader(device, dir + "/" + kUiShaderSources[0] + ".spv", VK_SHADER_STAGE_VERTEX_BIT);
  uiFragmentShader_ = detail::loadShader(device, dir + "/" + kUiShaderSources[1] + ".spv", VK_SHADER_STAGE_FRAGMENT_BIT);

  VkDescriptorSetLayoutBinding binding{};
  binding.binding = 0;
  binding.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  binding.descriptorCount = 1;
  binding.stageFlags = VK_SHADER_STAGE_FRAGMENT_BIT;
  VkDescriptorSetLayoutCreateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  setInfo.bindingCount = 1;
  setInfo.pBindings = &binding;
  VkDescriptorSetLayout atlasLayout = VK_NULL_HANDLE;
  VK_CHECK(vkCreateDescriptorSetLayout(device, &setInfo, nullptr, &atlasLayout));
  uiSetLayout_ = UniqueDescriptorSetLayout(device, atlasLayout);

  const VkDescriptorSetLayout sets[2] = {setLayout_, atlasLayout};
  VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
  layoutInfo.setLayoutCount = 2;
  layoutInfo.pSetLayouts = sets;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VK_CHECK(vkCreatePipelineLayout(device, &layoutInfo, nullptr, &layout));
  uiPipelineLayout_ = UniquePipelineLayout(device, layout);

  VkDescriptorPoolSize poolSize{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1};
  VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  poolInfo.maxSets = 1;
  poolInfo.poolSizeCount = 1;
  poolInfo.pPoolSizes = &poolSize;
  VkDescriptorPool pool = VK_NULL_HANDLE;
  VK_CHECK(vkCreateDescriptorPool(device, &poolInfo, nullptr, &pool));
  uiDescriptorPool_ = UniqueDescriptorPool(device, pool);
  VkDescriptorSetAllocateInfo setAlloc{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  setAlloc.descriptorPool = pool;
  setAlloc.descriptorSetCount = 1;
  setAlloc.pSetLayouts = &atlasLayout;
  VK_CHECK(vkAllocateDescriptorSets(device, &setAlloc, &uiSet_));

  VkSamplerCreateInfo sampler{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  sampler.magFilter = sampler.minFilter = VK_FILTER_LINEAR;
  sampler.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
  sampler.addressModeU = sampler.addressModeV = sampler.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
  sampler.maxLod = 0.0f;
  VkSampler s = VK_NULL_HANDLE;
  VK_CHECK(vkCreateSampler(device, &sampler, nullptr, &s));
  atlasSampler_ = UniqueSampler(device, s);
}

// A new atlas image of `size`, and staging buffers for every slot that hold all of it. Waits
// for the device: only when the first UI frame comes or the scene's atlas changes size.
void Renderer::recreateAtlas(uint32_t size) {
  waitIdle();
  Allocator& alloc = context_.allocator();
  atlasImage_ = Image(alloc, {size, size, 1, VK_FORMAT_R8_UNORM,
                              VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT});
  for (uint32_t i = 0; i < framesInFlight_; ++i) {
    slots_[i].atlasStaging =
        Buffer(alloc, {VkDeviceSize(size) * size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, MemoryUsage::Upload});
    std::memset(slots_[i].atlasStaging.mapped(), 0, size_t(size) * size);
  }
  atlasFresh_ = true;
  atlasSerial_ = 0;
  VkDescriptorImageInfo image{atlasSampler_, atlasImage_.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
  write.dstSet = uiSet_;
  write.descriptorCount = 1;
  write.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  write.pImageInfo = &image;
  vkUpdateDescriptorSets(context_.device(), 1, &write, 0, nullptr);
}

// ---- [SECTION] pipelines ----------------------------------------------------------------------

UniquePipeline Renderer::createUiPipeline(const PipelineKey& key) const {
  VkVertexInputBindingDescription binding{0, sizeof(UiGpuQuad), VK_VERTEX_INPUT_RATE_INSTANCE};
  VkVertexInputAttributeDescription attrs[6];
  for (uint32_t i = 0; i < 6; ++i) attrs[i] = {i, 0, VK_FORMAT_R32G32B32A32_SFLOAT, i * uint32_t(sizeof(glm::vec4))};
  VkPipelineVertexInputStateCreateInfo vertexInput{VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
  vertexInput.vertexBindingDescriptionCount = 1;
  vertexInput.pVertexBindingDescriptions = &binding;
  vertexInput.vertexAttributeDescriptionCount = 6;
  vertexInput.pVertexAttributeDescriptions = attrs;
  return detail::createGraphicsPipeline(
      context_.device(), key.format,
      {.vertex = uiVertexShader_,
       .fragment = uiFragmentShader_,
       .firstView = key.firstView,
       .vertexInput = &vertexInput,
       .cull = VK_CULL_MODE_NONE,  // a panel seen from behind still shows (mirrored)
       // World quads are hidden by what is in front, onTop ones are not; neither writes depth
       // (quads on one panel blend in order; the world keeps its depth).
       .depthTest = key.material == Material::Ui,
       .depthWrite = false,
       .depthCompare = VK_COMPARE_OP_LESS_OR_EQUAL,
       .premultipliedBlend = true,
       .layout = uiPipelineLayout_});
}

// ---- [SECTION] per frame ------------------------------------------------------------------------

void Renderer::prepareUi(FrameSlot& slot, const Scene& scene, VkCommandBuffer cmd, uint32_t& world,
                         uint32_t& onTop) {
  world = onTop = 0;
  GlyphAtlas* atlas = scene.uiAtlas;
  const uint32_t size = atlas ? atlas->size() : 4;  // no atlas: a blank one for rectangles alone
  if (atlasImage_.get() == VK_NULL_HANDLE || atlasImage_.width() != size) recreateAtlas(size);
  if (!slot.uiQuads)
    slot.uiQuads = Buffer(context_.allocator(), {VkDeviceSize(kMaxUiQuads) * sizeof(UiGpuQuad),
                                                 VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, MemoryUsage::Upload});

  // The atlas: all of it when the image is new or mirrors another atlas, else what changed.
  AtlasRect rect;
  if (atlas) {
    rect = atlas->takeDirty();
    if (atlasFresh_ || atlasSerial_ != atlas->serial()) rect = {0, 0, size, size};
    atlasSerial_ = atlas->serial();
  } else if (atlasFresh_) {
    rect = {0, 0, size, size};  // the staging buffer is zeroes
  }
  const VolkDeviceTable& vk = context_.vk();
  if (!rect.empty()) {
    const uint32_t w = rect.x1 - rect.x0, h = rect.y1 - rect.y0;
    auto* dst = static_cast<uint8_t*>(slot.atlasStaging.mapped());
    if (atlas)
      for (uint32_t y = 0; y < h; ++y)
        std::memcpy(dst + size_t(y) * w, atlas->pixels() + size_t(rect.y0 + y) * size + rect.x0, w);
    // Earlier frames' fragment shaders may still read it: they finish before the copy writes.
    detail::imageBarrier(vk, cmd, atlasImage_.get(), 1,
                         atlasFresh_ ? VK_IMAGE_LAYOUT_UNDEFINED : VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                         VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, 0,
                         VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
    VkBufferImageCopy copy{};
    copy.bufferRowLength = w;
    copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    copy.imageOffset = {int32_t(rect.x0), int32_t(rect.y0), 0};
    copy.imageExtent = {w, h, 1};
    vk.vkCmdCopyBufferToImage(cmd, slot.atlasStaging.get(), atlasImage_.get(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                              1, &copy);
    detail::imageBarrier(vk, cmd, atlasImage_.get(), 1, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                         VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT,
                         VK_ACCESS_SHADER_READ_BIT);
    atlasFresh_ = false;
    ++stats_.atlasUploads;
    stats_.atlasBytesUploaded += uint64_t(w) * h;
  }

  // The quads, world ones first (one draw each for the two pipelines).
  auto* out = static_cast<UiGpuQuad*>(slot.uiQuads.mapped());
  const float spread = atlas ? float(atlas->spread()) : 1.0f;
  uint32_t n = 0;
  for (int top = 0; top < 2; ++top) {
    for (const UiQuad& q : scene.ui) {
      if (q.onTop != (top == 1)) continue;
      if (n == kMaxUiQuads) break;
      const float kind = q.kind == UiKind::Glyph ? 1.0f : 0.0f;
      out[n++] = {glm::vec4(q.centre, kind), glm::vec4(q.axisX, q.radius), glm::vec4(q.axisY, spread),
                  q.uv,                      q.color,                      q.outline};
    }
    (top ? onTop : world) = n - (top ? world : 0);
  }
  if (n == kMaxUiQuads && scene.ui.size() > kMaxUiQuads && !uiOverflowWarned_) {
    uiOverflowWarned_ = true;
    PAV_WARN("renderer: %zu UI quads in a frame; the first %u are drawn", scene.ui.size(), kMaxUiQuads);
  }
}

void Renderer::recordUi(VkCommandBuffer cmd, const FrameSlot& slot, const TargetFormat& format, uint32_t pass,
                        uint32_t world, uint32_t onTop) {
  const VolkDeviceTable& vk = context_.vk();
  const VkBuffer vb = slot.uiQuads.get();
  const VkDeviceSize offset = 0;
  vk.vkCmdBindVertexBuffers(cmd, 0, 1, &vb, &offset);
  const VkDescriptorSet sets[2] = {slot.set, uiSet_};
  vk.vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, uiPipelineLayout_, 0, 2, sets, 0, nullptr);
  if (world) {
    vk.vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelineFor(format, pass, Material::Ui));
    vk.vkCmdDraw(cmd, 6, world, 0, 0);
  }
  if (onTop) {
    vk.vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelineFor(format, pass, Material::UiOnTop));
    vk.vkCmdDraw(cmd, 6, onTop, 0, world);
  }
}

}  // namespace pav::render
