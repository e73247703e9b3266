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

UniqueSemaphore createSemaphore(VkDevice device);

// Reads a SPIR-V file and checks it (checkSpirv); throws pav::Error naming the file and what
// is wrong, so a corrupt file never reaches the driver. (shader_watch.cpp)
std::vector<uint32_t> loadSpirv(const std::string& path, VkShaderStageFlagBits stage);
// Magic number, version, the SPIRV-Tools validator (as the Vulkan spec requires of a module),
// and an entry point "main" of `stage`: a vertex shader handed over as the fragment one is
// refused here, not by the driver.
void checkSpirv(std::span<const uint32_t> words, const std::string& name, VkShaderStageFlagBits stage);

void imageBarrier(const VolkDeviceTable& vk, VkCommandBuffer cmd, VkImage image, uint32_t layers, VkImageLayout from,
                  VkImageLayout to, VkPipelineStageFlags srcStage, VkAccessFlags srcAccess,
                  VkPipelineStageFlags dstStage, VkAccessFlags dstAccess);

}  // namespace pav::render::detail
