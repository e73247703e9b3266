// Internal to the render room (id Software's `_local` header): helpers shared by the targets
// and the renderer that are not part of the public API.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "pav/render/target.h"
#include "pav/render/vk.h"

namespace pav::render::detail {

// A render pass with one colour and one depth attachment, cleared on load. viewCount 2 turns
// on multiview with both views in one pass, unless format.passPerView (then a single-view
// pass, begun once per layer). The colour ends in `finalLayout`; the depth is
// kept only when `storeDepth` (a compositor reads it).
UniqueRenderPass createRenderPass(VkDevice device, const TargetFormat& format,
                                  VkImageLayout finalLayout, bool storeDepth = false);

// The same pass through vkCreateRenderPass2 (Vulkan 1.2), for what only it can say: an MSAA
// pass whose attachment 3 is the stored depth resolved from attachment 1, sample zero
// (multisample.cpp). `viewMask` 0: no multiview.
UniqueRenderPass createRenderPass2(VkDevice device, std::span<const VkAttachmentDescription> attachments,
                                   const VkSubpassDescription& subpass,
                                   std::span<const VkSubpassDependency> dependencies, uint32_t viewMask);

UniqueSemaphore createSemaphore(VkDevice device);

// What differs between the renderer's graphics pipelines (the lit material, the UI's quads);
// the rest (triangle lists, dynamic viewport and scissor, one sample, a render pass of the
// target's format) is the same for all.
struct PipelineSpec {
  VkShaderModule vertex = VK_NULL_HANDLE, fragment = VK_NULL_HANDLE;
  uint32_t firstView = 0;              // the first-view specialisation constant (a pass per eye)
  bool fragmentUsesFirstView = false;  // the fragment stage reads it too
  const VkPipelineVertexInputStateCreateInfo* vertexInput = nullptr;
  VkCullModeFlags cull = VK_CULL_MODE_BACK_BIT;
  bool depthTest = true, depthWrite = true;
  VkCompareOp depthCompare = VK_COMPARE_OP_LESS;
  bool premultipliedBlend = false;  // off: opaque
  VkPipelineLayout layout = VK_NULL_HANDLE;
};
UniquePipeline createGraphicsPipeline(VkDevice device, const TargetFormat& format, const PipelineSpec& spec);

// Reads a SPIR-V file and checks it (checkSpirv); throws pav::Error naming the file and what
// is wrong, so a corrupt file never reaches the driver. (shader_watch.cpp)
std::vector<uint32_t> loadSpirv(const std::string& path, VkShaderStageFlagBits stage);
// Magic number, version, the SPIRV-Tools validator (as the Vulkan spec requires of a module),
// and an entry point "main" of `stage`: a vertex shader handed over as the fragment one is
// refused here, not by the driver.
void checkSpirv(std::span<const uint32_t> words, const std::string& name, VkShaderStageFlagBits stage);
// A shader module from a SPIR-V file, checked as above (renderer.cpp; the lit and UI shaders).
UniqueShaderModule loadShader(VkDevice device, const std::string& path, VkShaderStageFlagBits stage);

void imageBarrier(const VolkDeviceTable& vk, VkCommandBuffer cmd, VkImage image, uint32_t layers, VkImageLayout from,
                  VkImageLayout to, VkPipelineStageFlags srcStage, VkAccessFlags srcAccess,
                  VkPipelineStageFlags dstStage, VkAccessFlags dstAccess);

}  // namespace pav::render::detail
