// Textures: a decoded image (material.h) into a device-local image with its mip chain, through
// the sub-allocator (memory.h). Mip 0 is copied from a staging buffer; each further level is a
// linear blit of the one above, which for an sRGB format averages in linear light. Set-up
// work, never per frame: it waits for the device (Context::submitNow).
#include <algorithm>
#include <bit>

#include "pav/core/log.h"
#include "pav/render/context.h"
#include "material_local.h"
#include "render_local.h"

namespace pav::render {
namespace {

uint32_t mipCount(uint32_t w, uint32_t h) { return uint32_t(std::bit_width(std::max(w, h))); }

bool canBlitLinear(Context& context, VkFormat format) {
  VkFormatProperties props{};
  vkGetPhysicalDeviceFormatProperties(context.physicalDevice(), format, &props);
  const VkFormatFeatureFlags need = VK_FORMAT_FEATURE_BLIT_SRC_BIT | VK_FORMAT_FEATURE_BLIT_DST_BIT |
                                    VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT;
  return (props.optimalTilingFeatures & need) == need;
}

void levelBarrier(const VolkDeviceTable& vk, VkCommandBuffer cmd, VkImage image, uint32_t level,
                  VkImageLayout from, VkImageLayout to, VkAccessFlags srcAccess, VkAccessFlags dstAccess,
                  VkPipelineStageFlags srcStage, VkPipelineStageFlags dstStage) {
  VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
  b.srcAccessMask = srcAccess;
  b.dstAccessMask = dstAccess;
  b.oldLayout = from;
  b.newLayout = to;
  b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.image = image;
  b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, level, 1, 0, 1};
  vk.vkCmdPipelineBarrier(cmd, srcStage, dstStage, 0, 0, nullptr, 0, nullptr, 1, &b);
}

}  // namespace

std::shared_ptr<Texture> uploadTexture(Context& context, const ImageData& data, bool srgb) {
  PAV_CHECK(data.width > 0 && data.height > 0 && data.rgba.size() == size_t(data.width) * data.height * 4,
            "uploadTexture('%s'): %ux%u with %zu bytes", data.name.c_str(), data.width, data.height,
            data.rgba.size());
  const VkFormat format = srgb ? VK_FORMAT_R8G8B8A8_SRGB : VK_FORMAT_R8G8B8A8_UNORM;
  const bool blit = canBlitLinear(context, format);
  const uint32_t levels = blit ? mipCount(data.width, data.height) : 1;
  if (!blit) PAV_WARN("texture %s: the device cannot blit this format; drawn without mipmaps", data.name.c_str());

  Allocator& alloc = context.allocator();
  Buffer staging(alloc, {data.rgba.size(), VK_BUFFER_USAGE_TRANSFER_SRC_BIT, MemoryUsage::Upload});
  staging.write(data.rgba.data(), data.rgba.size());
  auto texture = std::make_shared<Texture>();
  texture->image = Image(alloc, {.width = data.width,
                                 .height = data.height,
                                 .format = format,
                                 .usage = VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT |
                                          VK_IMAGE_USAGE_SAMPLED_BIT,
                                 .mipLevels = levels});
  const VkImage image = texture->image.get();
  const VolkDeviceTable& vk = context.vk();
  context.submitNow([&](VkCommandBuffer cmd) {
    VkImageMemoryBarrier all{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
    all.dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    all.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    all.newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
    all.srcQueueFamilyIndex = all.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    all.image = image;
    all.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, levels, 0, 1};
    vk.vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0,
                            nullptr, 1, &all);
    VkBufferImageCopy copy{};
    copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    copy.imageExtent = {data.width, data.height, 1};
    vk.vkCmdCopyBufferToImage(cmd, staging.get(), image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
    int32_t w = int32_t(data.width), h = int32_t(data.height);
    for (uint32_t level = 1; level < levels; ++level) {
      // The level above becomes the source of this one.
      levelBarrier(vk, cmd, image, level - 1, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                   VK_ACCESS_TRANSFER_WRITE_BIT, VK_ACCESS_TRANSFER_READ_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                   VK_PIPELINE_STAGE_TRANSFER_BIT);
      const int32_t nw = std::max(w / 2, 1), nh = std::max(h / 2, 1);
      VkImageBlit region{};
      region.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, level - 1, 0, 1};
      region.srcOffsets[1] = {w, h, 1};
      region.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, level, 0, 1};
      region.dstOffsets[1] = {nw, nh, 1};
      vk.vkCmdBlitImage(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1,
                        &region, VK_FILTER_LINEAR);
      levelBarrier(vk, cmd, image, level - 1, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                   VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_ACCESS_TRANSFER_READ_BIT, VK_ACCESS_SHADER_READ_BIT,
                   VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT);
      w = nw;
      h = nh;
    }
    levelBarrier(vk, cmd, image, levels - 1, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                 VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_ACCESS_TRANSFER_WRITE_BIT, VK_ACCESS_SHADER_READ_BIT,
                 VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT);
  });
  return texture;
}

}  // namespace pav::render
