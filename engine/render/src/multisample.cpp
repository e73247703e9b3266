// Multisampling (MSAA) for every target: the sample count a device can draw, the multisampled
// colour a target draws into before its pass resolves it, and the render pass made with
// vkCreateRenderPass2 where a multisampled depth is resolved into a stored one (the OpenXR
// compositor's depth swapchain).
#include <atomic>

#include "pav/core/log.h"
#include "pav/render/context.h"
#include "render_local.h"

namespace pav::render {

uint32_t pickSampleCount(const Context& context, uint32_t requested, const char* what, bool passPerView) {
  if (requested == 0) requested = kDefaultSamples;
  PAV_CHECK(requested == 1 || requested == 2 || requested == 4 || requested == 8,
            "%s: %u samples; MSAA takes 1 (off), 2, 4 or 8", what, requested);
  const VkPhysicalDeviceLimits& limits = context.properties().limits;
  const VkSampleCountFlags both = limits.framebufferColorSampleCounts & limits.framebufferDepthSampleCounts;
  uint32_t chosen = requested;
  while (chosen > 1 && !(both & chosen)) chosen >>= 1;
  if (chosen != requested)
    PAV_WARN("msaa: %s asked for %ux but %s draws at most %ux there: using %ux", what, requested,
             context.properties().deviceName, chosen, chosen);
  if (passPerView && chosen > 1) {
    static std::atomic<bool> said{false};  // once a run: tests make many stereo targets
    if (!said.exchange(true))
      PAV_WARN("msaa: %s is stereo drawn a pass per eye, which resolves nothing into the second eye on %s: using 1x",
             what, context.properties().deviceName);
    chosen = 1;
  }
  return chosen;
}

bool canResolveDepth(const Context& context) {
  // vkCreateRenderPass2 is core in 1.2: the device and the instance (made 1.3 where the
  // loader can, else 1.1: context.cpp) must both have it.
  if (context.properties().apiVersion < VK_API_VERSION_1_2 || volkGetInstanceVersion() < VK_API_VERSION_1_3 ||
      !vkCreateRenderPass2)
    return false;
  VkPhysicalDeviceDepthStencilResolveProperties resolve{
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DEPTH_STENCIL_RESOLVE_PROPERTIES};
  VkPhysicalDeviceProperties2 p2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
  p2.pNext = &resolve;
  vkGetPhysicalDeviceProperties2(context.physicalDevice(), &p2);
  return (resolve.supportedDepthResolveModes & VK_RESOLVE_MODE_SAMPLE_ZERO_BIT) != 0;
}

MultisampleColor::MultisampleColor(Context& context, const TargetFormat& format, VkExtent2D extent) {
  PAV_CHECK(!format.passPerView, "MultisampleColor: a pass per eye draws with 1 sample (pickSampleCount)");
  image = Image(context.allocator(), {extent.width, extent.height, format.viewCount, format.color,
                                      VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT,
                                      VK_IMAGE_ASPECT_COLOR_BIT, format.samples});
}

namespace detail {

UniqueRenderPass createRenderPass2(VkDevice device, std::span<const VkAttachmentDescription> attachments,
                                   const VkSubpassDescription& subpass,
                                   std::span<const VkSubpassDependency> dependencies, uint32_t viewMask) {
  VkAttachmentDescription2 att[4]{};
  PAV_CHECK(attachments.size() == 4, "createRenderPass2: %zu attachments; the MSAA depth resolve has 4",
            attachments.size());
  for (size_t i = 0; i < attachments.size(); ++i) {
    const VkAttachmentDescription& a = attachments[i];
    att[i] = {VK_STRUCTURE_TYPE_ATTACHMENT_DESCRIPTION_2};
    att[i].format = a.format;
    att[i].samples = a.samples;
    att[i].loadOp = a.loadOp;
    att[i].storeOp = a.storeOp;
    att[i].stencilLoadOp = a.stencilLoadOp;
    att[i].stencilStoreOp = a.stencilStoreOp;
    att[i].initialLayout = a.initialLayout;
    att[i].finalLayout = a.finalLayout;
  }
  const auto ref2 = [](const VkAttachmentReference& r, VkImageAspectFlags aspect) {
    VkAttachmentReference2 out{VK_STRUCTURE_TYPE_ATTACHMENT_REFERENCE_2};
    out.attachment = r.attachment;
    out.layout = r.layout;
    out.aspectMask = aspect;
    return out;
  };
  const VkAttachmentReference2 color = ref2(*subpass.pColorAttachments, VK_IMAGE_ASPECT_COLOR_BIT);
  const VkAttachmentReference2 resolve = ref2(*subpass.pResolveAttachments, VK_IMAGE_ASPECT_COLOR_BIT);
  const VkAttachmentReference2 depth = ref2(*subpass.pDepthStencilAttachment, VK_IMAGE_ASPECT_DEPTH_BIT);
  const VkAttachmentReference2 depthResolve =
      ref2({3, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL}, VK_IMAGE_ASPECT_DEPTH_BIT);
  VkSubpassDescriptionDepthStencilResolve dsResolve{VK_STRUCTURE_TYPE_SUBPASS_DESCRIPTION_DEPTH_STENCIL_RESOLVE};
  dsResolve.depthResolveMode = VK_RESOLVE_MODE_SAMPLE_ZERO_BIT;
  dsResolve.stencilResolveMode = VK_RESOLVE_MODE_NONE;
  dsResolve.pDepthStencilResolveAttachment = &depthResolve;
  VkSubpassDescription2 sub{VK_STRUCTURE_TYPE_SUBPASS_DESCRIPTION_2};
  sub.pNext = &dsResolve;
  sub.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
  sub.viewMask = viewMask;
  sub.colorAttachmentCount = 1;
  sub.pColorAttachments = &color;
  sub.pResolveAttachments = &resolve;
  sub.pDepthStencilAttachment = &depth;

  VkSubpassDependency2 deps[2]{};
  PAV_CHECK(dependencies.size() <= 2, "createRenderPass2: %zu dependencies; at most 2", dependencies.size());
  for (size_t i = 0; i < dependencies.size(); ++i) {
    const VkSubpassDependency& d = dependencies[i];
    deps[i] = {VK_STRUCTURE_TYPE_SUBPASS_DEPENDENCY_2};
    deps[i].srcSubpass = d.srcSubpass;
    deps[i].dstSubpass = d.dstSubpass;
    deps[i].srcStageMask = d.srcStageMask;
    deps[i].dstStageMask = d.dstStageMask;
    deps[i].srcAccessMask = d.srcAccessMask;
    deps[i].dstAccessMask = d.dstAccessMask;
    deps[i].dependencyFlags = d.dependencyFlags;
  }
  VkRenderPassCreateInfo2 info{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO_2};
  info.attachmentCount = static_cast<uint32_t>(attachments.size());
  info.pAttachments = att;
  info.subpassCount = 1;
  info.pSubpasses = &sub;
  info.dependencyCount = static_cast<uint32_t>(dependencies.size());
  info.pDependencies = deps;
  const uint32_t correlation = viewMask;  // the eyes see nearly the same: a driver hint
  if (viewMask) {
    info.correlatedViewMaskCount = 1;
    info.pCorrelatedViewMasks = &correlation;
  }
  VkRenderPass pass = VK_NULL_HANDLE;
  VK_CHECK(vkCreateRenderPass2(device, &info, nullptr, &pass));
  return UniqueRenderPass(device, pass);
}

}  // namespace detail
}  // namespace pav::render
