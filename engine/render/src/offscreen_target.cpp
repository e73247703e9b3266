// OffscreenTarget (mono or multiview stereo) and the helpers every target shares:
// render pass, framebuffer, semaphores and barriers.

#include <cstring>

#include "pav/render/context.h"
#include "render_local.h"

namespace pav::render {
namespace detail {

UniqueRenderPass createRenderPass(VkDevice device, const TargetFormat& format,
                                  VkImageLayout finalLayout, bool storeDepth) {
  const bool msaa = format.samples > 1;
  const auto samples = msaa ? static_cast<VkSampleCountFlagBits>(format.samples) : VK_SAMPLE_COUNT_1_BIT;
  VkAttachmentDescription att[4]{};
  att[0].format = format.color;
  att[0].samples = samples;
  att[0].loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
  att[0].storeOp = VK_ATTACHMENT_STORE_OP_STORE;
  att[0].stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
  att[0].stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
  att[0].initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  att[0].finalLayout = finalLayout;
  att[1] = att[0];
  att[1].format = format.depth;
  att[1].storeOp = storeDepth ? VK_ATTACHMENT_STORE_OP_STORE : VK_ATTACHMENT_STORE_OP_DONT_CARE;
  att[1].finalLayout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL;
  // MSAA: the multisampled pair is drawn and dropped; 2 (and 3, a stored depth) are resolved into.
  VkAttachmentReference resolveRef{2, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
  if (msaa) {
    att[2] = att[0];
    att[2].samples = VK_SAMPLE_COUNT_1_BIT;
    att[2].loadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
    att[0].storeOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
    att[0].finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    att[3] = att[1];
    att[3].samples = VK_SAMPLE_COUNT_1_BIT;
    att[3].loadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
    att[1].storeOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
  }

  VkAttachmentReference colorRef{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
  VkAttachmentReference depthRef{1, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL};
  VkSubpassDescription subpass{};
  subpass.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
  subpass.colorAttachmentCount = 1;
  subpass.pColorAttachments = &colorRef;
  subpass.pDepthStencilAttachment = &depthRef;
  if (msaa) subpass.pResolveAttachments = &resolveRef;

  // In: wait for the previous frame's use of the same images (attachment writes, the copy of
  // a capture) and for the swapchain's acquire semaphore wait stage. Out: make colour writes
  // available to a following copy (captures) or to presentation.
  VkSubpassDependency deps[2]{};
  deps[0].srcSubpass = VK_SUBPASS_EXTERNAL;
  deps[0].dstSubpass = 0;
  deps[0].srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                         VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
  deps[0].srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT |
                          VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
  deps[0].dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                         VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT |
                         VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT;
  deps[0].dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT |
                          VK_ACCESS_COLOR_ATTACHMENT_READ_BIT |
                          VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT |
                          VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT;
  deps[1].srcSubpass = 0;
  deps[1].dstSubpass = VK_SUBPASS_EXTERNAL;
  deps[1].srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  deps[1].srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
  deps[1].dstStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT;
  deps[1].dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
  const bool multiview = format.viewCount > 1 && !format.passPerView;
  if (multiview) {
    deps[0].dependencyFlags = VK_DEPENDENCY_BY_REGION_BIT;
    deps[1].dependencyFlags = VK_DEPENDENCY_BY_REGION_BIT;
  }

  const uint32_t viewMask = (1u << format.viewCount) - 1u;
  VkRenderPassMultiviewCreateInfo multiviewInfo{VK_STRUCTURE_TYPE_RENDER_PASS_MULTIVIEW_CREATE_INFO};
  multiviewInfo.subpassCount = 1;
  multiviewInfo.pViewMasks = &viewMask;
  multiviewInfo.correlationMaskCount = 1;
  multiviewInfo.pCorrelationMasks = &viewMask;  // the eyes see nearly the same: a driver hint

  if (msaa && storeDepth)  // the depth resolve needs vkCreateRenderPass2 (multisample.cpp)
    return createRenderPass2(device, {att, 4}, subpass, {deps, 2}, multiview ? viewMask : 0u);
  VkRenderPassCreateInfo info{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
  if (multiview) info.pNext = &multiviewInfo;
  info.attachmentCount = msaa ? 3 : 2;
  info.pAttachments = att;
  info.subpassCount = 1;
  info.pSubpasses = &subpass;
  info.dependencyCount = 2;
  info.pDependencies = deps;
  VkRenderPass pass = VK_NULL_HANDLE;
  VK_CHECK(vkCreateRenderPass(device, &info, nullptr, &pass));
  return UniqueRenderPass(device, pass);
}


UniqueSemaphore createSemaphore(VkDevice device) {
  VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
  VkSemaphore s = VK_NULL_HANDLE;
  VK_CHECK(vkCreateSemaphore(device, &info, nullptr, &s));
  return UniqueSemaphore(device, s);
}

void imageBarrier(const VolkDeviceTable& vk, VkCommandBuffer cmd, VkImage image, uint32_t layers, VkImageLayout from,
                  VkImageLayout to, VkPipelineStageFlags srcStage, VkAccessFlags srcAccess,
                  VkPipelineStageFlags dstStage, VkAccessFlags dstAccess) {
  VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
  b.srcAccessMask = srcAccess;
  b.dstAccessMask = dstAccess;
  b.oldLayout = from;
  b.newLayout = to;
  b.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.image = image;
  b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, layers};
  vk.vkCmdPipelineBarrier(cmd, srcStage, dstStage, 0, 0, nullptr, 0, nullptr, 1, &b);
}

}  // namespace detail

UniqueImageView createLayerView(VkDevice device, VkImage image, VkFormat format, VkImageAspectFlags aspect,
                                uint32_t layer) {
  VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
  info.image = image;
  info.viewType = VK_IMAGE_VIEW_TYPE_2D;
  info.format = format;
  info.subresourceRange = {aspect, 0, 1, layer, 1};
  VkImageView view = VK_NULL_HANDLE;
  VK_CHECK(vkCreateImageView(device, &info, nullptr, &view));
  return UniqueImageView(device, view);
}

UniqueRenderPass createTargetRenderPass(VkDevice device, const TargetFormat& format, VkImageLayout finalLayout,
                                        bool storeDepth) {
  return detail::createRenderPass(device, format, finalLayout, storeDepth);
}

UniqueFramebuffer createTargetFramebuffer(VkDevice device, VkRenderPass pass, VkImageView color, VkImageView depth,
                                         VkExtent2D extent, VkImageView msColor, VkImageView depthResolve) {
  const VkImageView plain[2] = {color, depth};
  const VkImageView resolved[4] = {msColor, depth, color, depthResolve};
  const VkImageView* views = msColor ? resolved : plain;
  VkFramebufferCreateInfo info{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
  info.renderPass = pass;
  info.attachmentCount = !msColor ? 2 : depthResolve ? 4 : 3;
  info.pAttachments = views;
  info.width = extent.width;
  info.height = extent.height;
  info.layers = 1;  // with multiview the layer count comes from the view mask
  VkFramebuffer fb = VK_NULL_HANDLE;
  VK_CHECK(vkCreateFramebuffer(device, &info, nullptr, &fb));
  return UniqueFramebuffer(device, fb);
}


// ---- OffscreenTarget -------------------------------------------------------------------------

OffscreenTarget::OffscreenTarget(Context& context, const OffscreenDesc& desc)
    : device_(context.device()) {
  const uint32_t w = desc.width ? desc.width : 640;
  const uint32_t h = desc.height ? desc.height : 480;
  format_.viewCount = desc.viewCount ? desc.viewCount : 1;
  PAV_CHECK(format_.viewCount <= 2, "OffscreenTarget: %u views; 1 (mono) or 2 (stereo)",
            format_.viewCount);
  const VkPhysicalDeviceLimits& limits = context.properties().limits;
  PAV_CHECK(w <= limits.maxFramebufferWidth && h <= limits.maxFramebufferHeight,
            "OffscreenTarget: %ux%u exceeds the device's %ux%u framebuffer limit", w, h,
            limits.maxFramebufferWidth, limits.maxFramebufferHeight);
  format_.color = desc.color ? desc.color : VK_FORMAT_R8G8B8A8_SRGB;
  format_.depth = context.pickDepthFormat();
  format_.passPerView = format_.viewCount > 1 && !context.multiviewReliable();
  format_.samples = pickSampleCount(context, desc.samples, "the offscreen target", format_.passPerView);
  const VkDevice device = context.device();

  color_ = Image(context.allocator(),
                 {w, h, format_.viewCount, format_.color,
                  VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT |
                      VK_IMAGE_USAGE_SAMPLED_BIT,
                  VK_IMAGE_ASPECT_COLOR_BIT});
  const bool msaa = format_.samples > 1;
  depth_ = Image(context.allocator(), {w, h, format_.viewCount, format_.depth,
                                       VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT |
                                           (msaa ? VkImageUsageFlags{VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT} : 0u),
                                       VK_IMAGE_ASPECT_DEPTH_BIT, format_.samples});
  if (msaa) msColor_ = MultisampleColor(context, format_, {w, h});
  renderPass_ =
      detail::createRenderPass(device, format_, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL);
  if (format_.passPerView) {
    for (uint32_t layer = 0; layer < format_.viewCount; ++layer) {
      layerViews_[layer][0] =
          createLayerView(device, color_.get(), format_.color, VK_IMAGE_ASPECT_COLOR_BIT, layer);
      layerViews_[layer][1] = createLayerView(device, depth_.get(), format_.depth, VK_IMAGE_ASPECT_DEPTH_BIT, layer);
      layerFramebuffers_[layer] =
          createTargetFramebuffer(device, renderPass_, layerViews_[layer][0], layerViews_[layer][1], {w, h});
    }
  } else {
    framebuffer_ = createTargetFramebuffer(device, renderPass_, color_.view(), depth_.view(), {w, h},
                                           msaa ? msColor_.view() : VK_NULL_HANDLE);
  }
}

// The GPU may still be drawing into the images of the last frames.
OffscreenTarget::~OffscreenTarget() { vkDeviceWaitIdle(device_); }

bool OffscreenTarget::acquire(uint32_t slot, TargetFrame& out) {
  out.framebuffer = framebuffer_;
  out.layerFramebuffers[0] = layerFramebuffers_[0];
  out.layerFramebuffers[1] = layerFramebuffers_[1];
  out.extent = extent();
  out.colorImage = color_.get();
  out.finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  out.waitSemaphore = VK_NULL_HANDLE;
  out.signalSemaphore = VK_NULL_HANDLE;
  out.imageIndex = 0;
  out.slot = slot;
  return true;
}

}  // namespace pav::render
