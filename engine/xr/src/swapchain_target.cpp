// XrSwapchainTarget: the runtime's swapchains (colour, and depth when offered) as one
// stereo render::Target: one multiview pass, or a pass per layer (TargetFormat::passPerView). See swapchain_target.h.
//
// [SECTION] Formats
// [SECTION] Creation: swapchains, image views, render pass, framebuffers
// [SECTION] Acquire and release
#include "pav/xr/swapchain_target.h"

#include <algorithm>

#include "pav/core/log.h"
#include "pav/render/context.h"
#include "pav/xr/runtime.h"
#include "pav/xr/session.h"
#include "xr_local.h"

namespace pav::xr {
namespace {

// ---- [SECTION] Formats --------------------------------------------------------------------

bool isSrgbColor(int64_t f) { return f == VK_FORMAT_R8G8B8A8_SRGB || f == VK_FORMAT_B8G8R8A8_SRGB; }
bool isColor8(int64_t f) {
  return isSrgbColor(f) || f == VK_FORMAT_R8G8B8A8_UNORM || f == VK_FORMAT_B8G8R8A8_UNORM;
}
bool isDepth(int64_t f) {
  return f == VK_FORMAT_D32_SFLOAT || f == VK_FORMAT_D24_UNORM_S8_UINT || f == VK_FORMAT_D16_UNORM ||
         f == VK_FORMAT_D32_SFLOAT_S8_UINT;
}
bool hasStencil(VkFormat f) { return f == VK_FORMAT_D24_UNORM_S8_UINT || f == VK_FORMAT_D32_SFLOAT_S8_UINT; }

bool deviceCanDepth(const render::Context& context, int64_t f) {
  VkFormatProperties p;
  vkGetPhysicalDeviceFormatProperties(context.physicalDevice(), static_cast<VkFormat>(f), &p);
  return (p.optimalTilingFeatures & VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT) != 0;
}

}  // namespace

// ---- [SECTION] Creation: swapchains, image views, render pass, framebuffers ---------------

XrSwapchainTarget::XrSwapchainTarget(Session& session, render::Context& context, const SwapchainDesc& desc)
    : session_(session), context_(context) {
  const RuntimeInfo& info = session.runtime().info();
  extent_.width = desc.width ? desc.width : std::max(info.eyes[0].recommendedWidth, info.eyes[1].recommendedWidth);
  extent_.height = desc.height ? desc.height : std::max(info.eyes[0].recommendedHeight, info.eyes[1].recommendedHeight);
  const VkPhysicalDeviceLimits& limits = context.properties().limits;
  PAV_CHECK(extent_.width > 0 && extent_.height > 0 && extent_.width <= limits.maxFramebufferWidth &&
                extent_.height <= limits.maxFramebufferHeight,
            "XrSwapchainTarget: %ux%u per eye does not fit the device's %ux%u framebuffers", extent_.width,
            extent_.height, limits.maxFramebufferWidth, limits.maxFramebufferHeight);

  const XrSession s = session.handle();
  const auto formats = detail::enumerate<int64_t>(
      [&](uint32_t cap, uint32_t* n, int64_t* out) { return xrEnumerateSwapchainFormats(s, cap, n, out); },
      "xrEnumerateSwapchainFormats");
  // The runtime lists its formats best first: the first sRGB one (the renderer writes linear
  // colour and relies on the hardware's sRGB encoding), else the first 8-bit one.
  int64_t color = desc.colorFormat;
  if (color) {
    PAV_CHECK(std::find(formats.begin(), formats.end(), color) != formats.end(),
              "XrSwapchainTarget: the runtime offers no swapchain of VkFormat %lld", static_cast<long long>(color));
  } else {
    for (int64_t f : formats)
      if (!color && isSrgbColor(f)) color = f;
    for (int64_t f : formats)
      if (!color && isColor8(f)) color = f;
    PAV_CHECK(color != 0, "XrSwapchainTarget: the runtime offers no 8-bit RGBA swapchain format");
  }
  format_.passPerView = !context.multiviewReliable();
  format_.samples = render::pickSampleCount(context, desc.samples, "the headset swapchain", format_.passPerView);
  const bool msaa = format_.samples > 1;
  bool wantDepth = desc.runtimeDepth && info.depthLayers;
  if (wantDepth && msaa && !render::canResolveDepth(context)) {
    PAV_WARN("xr: %s cannot resolve multisampled depth (Vulkan 1.2 depth resolve): the runtime gets no depth",
             context.properties().deviceName);
    wantDepth = false;
  }
  int64_t depth = 0;
  if (wantDepth)
    for (int64_t f : formats)
      if (!depth && isDepth(f) && deviceCanDepth(context, f)) depth = f;

  format_.color = static_cast<VkFormat>(color);
  format_.viewCount = 2;
  createSwapchain(color_, colorImages_, color,
                  XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_TRANSFER_SRC_BIT |
                      XR_SWAPCHAIN_USAGE_SAMPLED_BIT,
                  VK_IMAGE_ASPECT_COLOR_BIT);
  if (depth) {
    format_.depth = static_cast<VkFormat>(depth);
    createSwapchain(depth_, depthImages_, depth, XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT,
                    hasStencil(format_.depth) ? VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT
                                              : VK_IMAGE_ASPECT_DEPTH_BIT);
  } else {
    format_.depth = context.pickDepthFormat();
  }
  // The depth drawn into: our own without a depth swapchain, or multisampled (then resolved
  // into the runtime's); the runtime's otherwise.
  if (!depth || msaa) {
    const VkImageAspectFlags aspect =
        hasStencil(format_.depth) ? VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT : VK_IMAGE_ASPECT_DEPTH_BIT;
    ownDepth_ = render::Image(context.allocator(),
                              {extent_.width, extent_.height, 2, format_.depth,
                               VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT |
                                   (msaa ? VkImageUsageFlags{VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT} : 0u),
                               aspect, format_.samples});
    if (format_.passPerView)
      for (uint32_t layer = 0; layer < 2; ++layer)
        ownDepthLayers_[layer] =
            render::createLayerView(context.device(), ownDepth_.get(), format_.depth, aspect, layer);
  }
  if (msaa) msColor_ = render::MultisampleColor(context, format_, extent_);
  renderPass_ = render::createTargetRenderPass(context.device(), format_, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, runtimeDepth());

  const size_t depthCount = depth ? depthImages_.views.size() : 1;
  // Plain: colour and depth straight into the swapchains. MSAA: drawn into msColor_ and
  // ownDepth_, resolved into the colour image and the runtime's depth image (when it has one).
  const auto addFramebuffer = [&](VkImageView colorView, VkImageView runtimeDepthView, int layer) {
    const bool perLayer = layer >= 0;
    const VkImageView own = perLayer ? ownDepthLayers_[layer].get() : ownDepth_.view();
    const VkImageView drawn = (msaa || !depth) ? own : runtimeDepthView;
    framebuffers_.push_back(render::createTargetFramebuffer(
        context.device(), renderPass_, colorView, drawn, extent_,
        msaa ? msColor_.view() : VK_NULL_HANDLE,
        msaa && depth ? runtimeDepthView : VK_NULL_HANDLE));
  };
  for (size_t c = 0; c < colorImages_.views.size(); ++c) {
    for (size_t d = 0; d < depthCount; ++d) {
      if (!format_.passPerView) {
        addFramebuffer(colorImages_.views[c], depth ? depthImages_.views[d].get() : VK_NULL_HANDLE, -1);
        continue;
      }
      for (int layer = 0; layer < 2; ++layer)
        addFramebuffer(colorImages_.layerViews[c * 2 + layer],
                       depth ? depthImages_.layerViews[d * 2 + layer].get() : VK_NULL_HANDLE, layer);
    }
  }
  PAV_INFO("xr: swapchain %ux%u x2 layers, %zu images, VkFormat %d, depth %s (VkFormat %d), %ux MSAA, %s",
           extent_.width, extent_.height, colorImages_.images.size(), static_cast<int>(format_.color),
           runtimeDepth() ? "to the runtime" : "our own", static_cast<int>(format_.depth), format_.samples,
           format_.passPerView ? "a pass per eye" : "one multiview pass");
}

XrSwapchainTarget::~XrSwapchainTarget() {
  // The GPU may still draw into the images of the last frames; then the members go in
  // reverse order: framebuffers, render pass, own depth, image views, swapchains.
  vkDeviceWaitIdle(context_.device());
}

void XrSwapchainTarget::createSwapchain(UniqueSwapchain& out, Chain& chain, int64_t format,
                                        XrSwapchainUsageFlags usage, VkImageAspectFlags aspect) {
  XrSwapchainCreateInfo info{XR_TYPE_SWAPCHAIN_CREATE_INFO};
  info.usageFlags = usage;
  info.format = format;
  info.sampleCount = 1;
  info.width = extent_.width;
  info.height = extent_.height;
  info.faceCount = 1;
  info.arraySize = 2;
  info.mipCount = 1;
  XR_CHECK(xrCreateSwapchain(session_.handle(), &info, out.put()));

  uint32_t n = 0;
  XR_CHECK(xrEnumerateSwapchainImages(out, 0, &n, nullptr));
  std::vector<XrSwapchainImageVulkan2KHR> images(n, {XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR});
  XR_CHECK(xrEnumerateSwapchainImages(out, n, &n, reinterpret_cast<XrSwapchainImageBaseHeader*>(images.data())));
  for (uint32_t i = 0; i < n; ++i) {
    chain.images.push_back(images[i].image);
    VkImageViewCreateInfo v{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    v.image = images[i].image;
    v.viewType = VK_IMAGE_VIEW_TYPE_2D_ARRAY;
    v.format = static_cast<VkFormat>(format);
    v.subresourceRange = {aspect, 0, 1, 0, 2};
    VkImageView view = VK_NULL_HANDLE;
    VK_CHECK(vkCreateImageView(context_.device(), &v, nullptr, &view));
    chain.views.emplace_back(context_.device(), view);
    if (format_.passPerView)
      for (uint32_t layer = 0; layer < 2; ++layer)
        chain.layerViews.push_back(
            render::createLayerView(context_.device(), images[i].image, static_cast<VkFormat>(format), aspect, layer));
  }
}

// ---- [SECTION] Acquire and release --------------------------------------------------------

bool XrSwapchainTarget::acquireOne(XrSwapchain swapchain, uint32_t& index) {
  XrResult r = xrAcquireSwapchainImage(swapchain, nullptr, &index);
  if (XR_FAILED(r)) {
    if (isLoss(r)) return false;  // the session notices the loss on its next call
    failCall("xrAcquireSwapchainImage", resultName(r), __FILE__, __LINE__);
  }
  // The compositor may still read the image: wait for it, a frame period at a time.
  XrSwapchainImageWaitInfo wait{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO};
  wait.timeout = 100'000'000;  // 100 ms
  for (int tries = 0; tries < 50; ++tries) {
    r = xrWaitSwapchainImage(swapchain, &wait);
    if (r != XR_TIMEOUT_EXPIRED) break;
  }
  if (r == XR_TIMEOUT_EXPIRED) fail("xrWaitSwapchainImage: the runtime held a swapchain image for 5 s");
  if (XR_FAILED(r)) {
    if (isLoss(r)) return false;
    failCall("xrWaitSwapchainImage", resultName(r), __FILE__, __LINE__);
  }
  return true;
}

bool XrSwapchainTarget::acquire(uint32_t slot, render::TargetFrame& out) {
  released_ = false;
  uint32_t c = 0, d = 0;
  if (!acquireOne(color_, c)) return false;
  colorHeld_ = true;
  if (depth_) {
    if (!acquireOne(depth_, d)) {
      // Give the colour image back so the swapchain stays usable.
      if (XR_SUCCEEDED(xrReleaseSwapchainImage(color_, nullptr))) colorHeld_ = false;
      return false;
    }
    depthHeld_ = true;
  }
  const size_t depthCount = depth_ ? depthImages_.views.size() : 1;
  const size_t pair = c * depthCount + d;
  if (format_.passPerView) {
    out.framebuffer = VK_NULL_HANDLE;
    out.layerFramebuffers[0] = framebuffers_[pair * 2];
    out.layerFramebuffers[1] = framebuffers_[pair * 2 + 1];
  } else {
    out.framebuffer = framebuffers_[pair];
  }
  out.extent = extent_;
  out.colorImage = colorImages_.images[c];
  out.finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  out.waitSemaphore = VK_NULL_HANDLE;  // the runtime's wait above is the only wait needed
  out.signalSemaphore = VK_NULL_HANDLE;
  out.imageIndex = c;
  out.slot = slot;
  return true;
}

void XrSwapchainTarget::present(const render::TargetFrame&) {
  // The frame's commands are submitted on the queue the runtime was given: releasing now lets
  // the compositor use the images once that work is done.
  bool ok = true;
  if (colorHeld_) {
    ok = XR_SUCCEEDED(xrReleaseSwapchainImage(color_, nullptr)) && ok;
    colorHeld_ = false;
  }
  if (depthHeld_) {
    ok = XR_SUCCEEDED(xrReleaseSwapchainImage(depth_, nullptr)) && ok;
    depthHeld_ = false;
  }
  if (ok) {
    released_ = true;
  } else {
    ++failedReleases_;
  }
}

}  // namespace pav::xr
