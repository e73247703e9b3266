// WindowTarget: an SDL2 window's Vulkan swapchain. Rebuilt when the window's drawable size
// changes or the swapchain reports out-of-date / suboptimal; skips frames while minimised.
#include <SDL2/SDL.h>
#include <SDL2/SDL_vulkan.h>

#include <algorithm>
#include <utility>

#include "pav/core/log.h"
#include "pav/render/context.h"
#include "render_local.h"

namespace pav::render {

WindowTarget::WindowTarget(Context& context, SDL_Window* window, const WindowTargetDesc& desc)
    : context_(context), window_(window), desc_(desc) {
  PAV_CHECK(window, "WindowTarget: no window");
  const ExtensionFunctions& ext = context.ext();
  PAV_CHECK(ext.createSwapchain, "WindowTarget: the context was created without presentation");
  if (!SDL_Vulkan_CreateSurface(window, context.instance(), &surface_))
    fail("cannot create a Vulkan surface for the window: %s (was the context created with the "
         "window's instance extensions?)", SDL_GetError());
  VkBool32 supported = VK_FALSE;
  VK_CHECK(ext.getSurfaceSupport(context.physicalDevice(), context.queueFamily(),
                                                surface_, &supported));
  if (!supported) {
    ext.destroySurface(context.instance(), surface_, nullptr);
    fail("Vulkan device %s cannot present to this window from its graphics queue",
         context.deviceInfo().name.c_str());
  }

  // Prefer an sRGB format so the shaders' linear output is encoded on write.
  uint32_t n = 0;
  VK_CHECK(ext.getSurfaceFormats(context.physicalDevice(), surface_, &n, nullptr));
  std::vector<VkSurfaceFormatKHR> formats(n);
  VK_CHECK(ext.getSurfaceFormats(context.physicalDevice(), surface_, &n, formats.data()));
  PAV_CHECK(n > 0, "the window surface offers no formats");
  VkSurfaceFormatKHR chosen = formats[0];
  for (const auto& f : formats) {
    if ((f.format == VK_FORMAT_B8G8R8A8_SRGB || f.format == VK_FORMAT_R8G8B8A8_SRGB) &&
        f.colorSpace == VK_COLOR_SPACE_SRGB_NONLINEAR_KHR) {
      chosen = f;
      break;
    }
  }
  format_.color = chosen.format;
  format_.depth = context.pickDepthFormat();
  format_.viewCount = 1;
  format_.samples = pickSampleCount(context, desc.samples, "the window");
  colorSpace_ = chosen.colorSpace;
  renderPass_ = detail::createRenderPass(context.device(), format_, VK_IMAGE_LAYOUT_PRESENT_SRC_KHR);
  for (auto& s : acquired_) s = detail::createSemaphore(context.device());
  rebuild();  // extent() and canCapture() are right from the start (unless minimised)
}

WindowTarget::~WindowTarget() {
  vkDeviceWaitIdle(context_.device());
  destroySwapchainObjects();
  if (swapchain_) context_.ext().destroySwapchain(context_.device(), swapchain_, nullptr);
  for (auto& s : acquired_) s.reset();
  renderPass_.reset();
  if (surface_) context_.ext().destroySurface(context_.instance(), surface_, nullptr);
}

void WindowTarget::destroySwapchainObjects() {
  framebuffers_.clear();
  views_.clear();
  renderDone_.clear();
  depth_ = Image();
  msColor_ = MultisampleColor();
  images_.clear();
}

bool WindowTarget::rebuild() {
  int w = 0, h = 0;
  SDL_Vulkan_GetDrawableSize(window_, &w, &h);
  if (w <= 0 || h <= 0 || (SDL_GetWindowFlags(window_) & SDL_WINDOW_MINIMIZED)) return false;

  const VkDevice device = context_.device();
  const ExtensionFunctions& ext = context_.ext();
  VkSurfaceCapabilitiesKHR caps;
  VK_CHECK(ext.getSurfaceCapabilities(context_.physicalDevice(), surface_, &caps));
  VkExtent2D extent = caps.currentExtent;
  if (extent.width == UINT32_MAX) {
    extent.width = std::clamp(static_cast<uint32_t>(w), caps.minImageExtent.width, caps.maxImageExtent.width);
    extent.height = std::clamp(static_cast<uint32_t>(h), caps.minImageExtent.height, caps.maxImageExtent.height);
  }
  if (extent.width == 0 || extent.height == 0) return false;

  VkPresentModeKHR mode = VK_PRESENT_MODE_FIFO_KHR;  // always supported
  if (!desc_.vsync) {
    uint32_t n = 0;
    VK_CHECK(ext.getSurfacePresentModes(context_.physicalDevice(), surface_, &n, nullptr));
    std::vector<VkPresentModeKHR> modes(n);
    VK_CHECK(ext.getSurfacePresentModes(context_.physicalDevice(), surface_, &n, modes.data()));
    for (VkPresentModeKHR want : {VK_PRESENT_MODE_MAILBOX_KHR, VK_PRESENT_MODE_IMMEDIATE_KHR}) {
      if (std::find(modes.begin(), modes.end(), want) != modes.end()) {
        mode = want;
        break;
      }
    }
  }

  uint32_t imageCount = caps.minImageCount + 1;
  if (caps.maxImageCount && imageCount > caps.maxImageCount) imageCount = caps.maxImageCount;

  // The old swapchain may still be presenting: wait, then hand it to the new one to retire.
  vkDeviceWaitIdle(device);
  destroySwapchainObjects();
  const VkSwapchainKHR old = std::exchange(swapchain_, VkSwapchainKHR{});

  VkSwapchainCreateInfoKHR info{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
  info.surface = surface_;
  info.minImageCount = imageCount;
  info.imageFormat = format_.color;
  info.imageColorSpace = colorSpace_;
  info.imageExtent = extent;
  info.imageArrayLayers = 1;
  info.imageUsage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
  capturable_ = caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  if (capturable_) info.imageUsage |= VK_IMAGE_USAGE_TRANSFER_SRC_BIT;  // for captures
  info.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.preTransform = (caps.supportedTransforms & VK_SURFACE_TRANSFORM_IDENTITY_BIT_KHR)
                          ? VK_SURFACE_TRANSFORM_IDENTITY_BIT_KHR
                          : caps.currentTransform;
  info.compositeAlpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR;
  for (VkCompositeAlphaFlagBitsKHR a : {VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR, VK_COMPOSITE_ALPHA_INHERIT_BIT_KHR,
                                        VK_COMPOSITE_ALPHA_PRE_MULTIPLIED_BIT_KHR, VK_COMPOSITE_ALPHA_POST_MULTIPLIED_BIT_KHR}) {
    if (caps.supportedCompositeAlpha & a) {
      info.compositeAlpha = a;
      break;
    }
  }
  info.presentMode = mode;
  info.clipped = VK_TRUE;
  info.oldSwapchain = old;
  VkSwapchainKHR sc = VK_NULL_HANDLE;
  const VkResult created = ext.createSwapchain(device, &info, nullptr, &sc);
  if (old) ext.destroySwapchain(device, old, nullptr);  // retired either way
  VK_CHECK(created);
  swapchain_ = sc;
  extent_ = extent;

  uint32_t n = 0;
  VK_CHECK(ext.getSwapchainImages(device, sc, &n, nullptr));
  images_.resize(n);
  VK_CHECK(ext.getSwapchainImages(device, sc, &n, images_.data()));
  const bool msaa = format_.samples > 1;
  depth_ = Image(context_.allocator(), {extent.width, extent.height, 1, format_.depth,
                                        VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT |
                                            (msaa ? VkImageUsageFlags{VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT} : 0u),
                                        VK_IMAGE_ASPECT_DEPTH_BIT, format_.samples});
  if (msaa) msColor_ = MultisampleColor(context_, format_, extent);
  for (VkImage image : images_) {
    VkImageViewCreateInfo v{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    v.image = image;
    v.viewType = VK_IMAGE_VIEW_TYPE_2D;
    v.format = format_.color;
    v.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    VkImageView view = VK_NULL_HANDLE;
    VK_CHECK(vkCreateImageView(device, &v, nullptr, &view));
    views_.emplace_back(device, view);
    framebuffers_.push_back(createTargetFramebuffer(device, renderPass_, view, depth_.view(), extent,
                                                    msaa ? msColor_.view() : VK_NULL_HANDLE));
    renderDone_.push_back(detail::createSemaphore(device));
  }
  dirty_ = false;
  ++rebuilds_;
  PAV_DEBUG("window swapchain: %ux%u, %u images, present mode %d", extent.width, extent.height,
            n, static_cast<int>(mode));
  return true;
}

bool WindowTarget::acquire(uint32_t slot, TargetFrame& out) {
  int w = 0, h = 0;
  SDL_Vulkan_GetDrawableSize(window_, &w, &h);
  if (w <= 0 || h <= 0 || (SDL_GetWindowFlags(window_) & SDL_WINDOW_MINIMIZED)) return false;
  if (static_cast<uint32_t>(w) != extent_.width || static_cast<uint32_t>(h) != extent_.height)
    dirty_ = true;
  if (dirty_ && !rebuild()) return false;

  uint32_t index = 0;
  const VkResult r = context_.ext().acquireNextImage(context_.device(), swapchain_, UINT64_MAX,
                                           acquired_[slot], VK_NULL_HANDLE, &index);
  if (r == VK_ERROR_OUT_OF_DATE_KHR) {
    dirty_ = true;  // the semaphore was not signalled; rebuild and try next frame
    return false;
  }
  if (r == VK_SUBOPTIMAL_KHR) dirty_ = true;  // draw this one, rebuild after presenting
  else VK_CHECK(r);

  out.framebuffer = framebuffers_[index];
  out.extent = extent_;
  out.colorImage = images_[index];
  out.finalLayout = VK_IMAGE_LAYOUT_PRESENT_SRC_KHR;
  out.waitSemaphore = acquired_[slot];
  out.signalSemaphore = renderDone_[index];
  out.imageIndex = index;
  out.slot = slot;
  return true;
}

void WindowTarget::present(const TargetFrame& frame) {
  VkSwapchainKHR sc = swapchain_;
  VkPresentInfoKHR info{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
  info.waitSemaphoreCount = 1;
  info.pWaitSemaphores = &frame.signalSemaphore;
  info.swapchainCount = 1;
  info.pSwapchains = &sc;
  info.pImageIndices = &frame.imageIndex;
  const VkResult r = context_.ext().queuePresent(context_.queue(), &info);
  if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR) dirty_ = true;
  else VK_CHECK(r);
}

}  // namespace pav::render
