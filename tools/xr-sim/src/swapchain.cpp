// xr-sim swapchains: VkImages the runtime creates and owns on the application's device, and
// the acquire / wait / release discipline a real runtime enforces.
//
// Formats offered, preferred first, where the device can render to them:
//   R8G8B8A8_SRGB, B8G8R8A8_SRGB, R8G8B8A8_UNORM, B8G8R8A8_UNORM,
//   D32_SFLOAT, D24_UNORM_S8_UINT, D16_UNORM, D32_SFLOAT_S8_UINT.
// Images are single-sampled, 1..16 array layers (2 for multiview), with the requested usage
// plus SAMPLED and TRANSFER_SRC (what a compositor needs; the runtime reads eyes back for
// PNG pictures with them). XR_KHR_vulkan_enable requires each acquired image to be in a
// layout compatible with COLOR_ATTACHMENT_OPTIMAL (colour) or
// DEPTH_STENCIL_ATTACHMENT_OPTIMAL (depth) and owned by the binding's queue, so new images
// are transitioned to that "resting" layout once, on that queue.
//
// Call order, per swapchain (violations return XR_ERROR_CALL_ORDER_INVALID):
//   acquire: not when every image is already acquired (static swapchains: once, ever);
//   wait:    only with an acquired image not yet waited on (the oldest one);
//   release: only after a wait; it releases the oldest acquired image.
#include <algorithm>
#include <cmath>

#include "xr_sim_local.h"

namespace pav::xrsim {

bool isDepthFormat(VkFormat f) {
  return f == VK_FORMAT_D32_SFLOAT || f == VK_FORMAT_D24_UNORM_S8_UINT || f == VK_FORMAT_D16_UNORM ||
         f == VK_FORMAT_D32_SFLOAT_S8_UINT;
}

namespace {

constexpr VkFormat kCandidates[] = {VK_FORMAT_R8G8B8A8_SRGB,  VK_FORMAT_B8G8R8A8_SRGB,     VK_FORMAT_R8G8B8A8_UNORM,
                                    VK_FORMAT_B8G8R8A8_UNORM, VK_FORMAT_D32_SFLOAT,        VK_FORMAT_D24_UNORM_S8_UINT,
                                    VK_FORMAT_D16_UNORM,      VK_FORMAT_D32_SFLOAT_S8_UINT};

const std::vector<VkFormat>& supportedFormats(Session& s) {
  if (s.formats.empty()) {
    for (VkFormat f : kCandidates) {
      VkFormatProperties props{};
      s.vk->ifn().getPhysicalDeviceFormatProperties(s.vk->physicalDevice(), f, &props);
      const VkFormatFeatureFlags need =
          isDepthFormat(f) ? VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT : VK_FORMAT_FEATURE_COLOR_ATTACHMENT_BIT;
      if ((props.optimalTilingFeatures & need) == need) s.formats.push_back(f);
    }
  }
  return s.formats;
}

VkImageUsageFlags toVulkanUsage(XrSwapchainUsageFlags u) {
  VkImageUsageFlags v = 0;
  if (u & XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT) v |= VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
  if (u & XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT) v |= VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT;
  if (u & XR_SWAPCHAIN_USAGE_UNORDERED_ACCESS_BIT) v |= VK_IMAGE_USAGE_STORAGE_BIT;
  if (u & XR_SWAPCHAIN_USAGE_TRANSFER_SRC_BIT) v |= VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  if (u & XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT) v |= VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  if (u & XR_SWAPCHAIN_USAGE_SAMPLED_BIT) v |= VK_IMAGE_USAGE_SAMPLED_BIT;
  return v;
}

bool imageSupported(const VkContext& vk, VkFormat format, VkImageUsageFlags usage, VkImageCreateFlags flags,
                    const XrSwapchainCreateInfo& info) {
  VkImageFormatProperties props{};
  if (vk.ifn().getPhysicalDeviceImageFormatProperties(vk.physicalDevice(), format, VK_IMAGE_TYPE_2D,
                                                      VK_IMAGE_TILING_OPTIMAL, usage, flags, &props) != VK_SUCCESS) {
    return false;
  }
  return info.width <= props.maxExtent.width && info.height <= props.maxExtent.height &&
         info.arraySize <= props.maxArrayLayers && info.mipCount <= props.maxMipLevels;
}

}  // namespace

namespace api {

XrResult xrEnumerateSwapchainFormats(XrSession session, uint32_t capacity, uint32_t* countOutput, int64_t* formats) {
  return guarded("xrEnumerateSwapchainFormats", [&]() -> XrResult {
    PAV_XR_LOOKUP(Session, s, session);
    const auto& list = supportedFormats(*s);
    const XrResult r = twoCall(capacity, countOutput, formats, static_cast<uint32_t>(list.size()),
                               [&](int64_t& f, uint32_t i) { f = static_cast<int64_t>(list[i]); });
    return r == XR_SUCCESS ? success(*s) : r;
  });
}

XrResult xrCreateSwapchain(XrSession session, const XrSwapchainCreateInfo* info, XrSwapchain* out) {
  return guarded("xrCreateSwapchain", [&]() -> XrResult {
    const char* call = "xrCreateSwapchain";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_SWAPCHAIN_CREATE_INFO || !out) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrSwapchainCreateInfo");
    }
    constexpr XrSwapchainCreateFlags kKnownCreate =
        XR_SWAPCHAIN_CREATE_PROTECTED_CONTENT_BIT | XR_SWAPCHAIN_CREATE_STATIC_IMAGE_BIT;
    constexpr XrSwapchainUsageFlags kKnownUsage = 0x7f;  // the seven usage bits of OpenXR 1.0
    if ((info->createFlags & ~kKnownCreate) || (info->usageFlags & ~kKnownUsage)) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "unknown createFlags or usageFlags bits");
    }
    if (info->createFlags & XR_SWAPCHAIN_CREATE_PROTECTED_CONTENT_BIT) {
      return refuse(inst, call, XR_ERROR_FEATURE_UNSUPPORTED, "protected content is not supported");
    }
    const VkFormat format = static_cast<VkFormat>(info->format);
    const auto& formats = supportedFormats(*s);
    if (std::find(formats.begin(), formats.end(), format) == formats.end()) {
      return refuse(inst, call, XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED,
                    "format " + std::to_string(info->format) + " is not one xrEnumerateSwapchainFormats offers");
    }
    const uint32_t maxMips = 1 + static_cast<uint32_t>(std::floor(std::log2(std::max(1u, std::max(info->width, info->height)))));
    if (info->width == 0 || info->height == 0 || info->width > kMaxImageSize || info->height > kMaxImageSize ||
        info->sampleCount != 1 || info->faceCount != 1 || info->arraySize == 0 || info->arraySize > kMaxLayers ||
        info->mipCount == 0 || info->mipCount > maxMips) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE,
                    "size must be 1..4096, sampleCount 1 (maxSwapchainSampleCount), faceCount 1, arraySize 1..16, "
                    "mipCount 1..log2(size)+1");
    }
    const bool depth = isDepthFormat(format);
    if ((depth && (info->usageFlags & XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT)) ||
        (!depth && (info->usageFlags & XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT))) {
      return refuse(inst, call, XR_ERROR_FEATURE_UNSUPPORTED, "attachment usage does not match the format's aspect");
    }
    VkContext& vk = *s->vk;
    const VkImageCreateFlags vkFlags =
        (info->usageFlags & XR_SWAPCHAIN_USAGE_MUTABLE_FORMAT_BIT) ? VK_IMAGE_CREATE_MUTABLE_FORMAT_BIT : 0;
    const VkImageUsageFlags requested = toVulkanUsage(info->usageFlags);
    VkImageUsageFlags usage = requested | VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
    if (!imageSupported(vk, format, usage, vkFlags, *info)) usage = requested;
    if (usage == 0 || !imageSupported(vk, format, usage, vkFlags, *info)) {
      return refuse(inst, call, XR_ERROR_FEATURE_UNSUPPORTED, "the device cannot make such an image");
    }

    auto sc = std::make_unique<Swapchain>(&inst, s);
    sc->info = *info;
    sc->info.next = nullptr;
    sc->format = format;
    sc->readable = (usage & VK_IMAGE_USAGE_TRANSFER_SRC_BIT) != 0;
    sc->aspect = !depth ? VK_IMAGE_ASPECT_COLOR_BIT
                 : (format == VK_FORMAT_D24_UNORM_S8_UINT || format == VK_FORMAT_D32_SFLOAT_S8_UINT)
                     ? VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT
                     : VK_IMAGE_ASPECT_DEPTH_BIT;
    if (!depth && (usage & VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT)) {
      sc->restingLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    } else if (depth && (usage & VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT)) {
      sc->restingLayout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL;
    } else {
      sc->restingLayout = VK_IMAGE_LAYOUT_GENERAL;
    }
    const uint32_t count = (info->createFlags & XR_SWAPCHAIN_CREATE_STATIC_IMAGE_BIT) ? 1 : kSwapchainImages;
    const DeviceFns& fn = vk.fn();
    for (uint32_t i = 0; i < count; ++i) {
      VkImageCreateInfo ci{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
      ci.flags = vkFlags;
      ci.imageType = VK_IMAGE_TYPE_2D;
      ci.format = format;
      ci.extent = {info->width, info->height, 1};
      ci.mipLevels = info->mipCount;
      ci.arrayLayers = info->arraySize;
      ci.samples = VK_SAMPLE_COUNT_1_BIT;
      ci.tiling = VK_IMAGE_TILING_OPTIMAL;
      ci.usage = usage;
      ci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
      ci.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
      VkImage image = VK_NULL_HANDLE;
      if (fn.createImage(vk.device(), &ci, nullptr, &image) != VK_SUCCESS) {
        return refuse(inst, call, XR_ERROR_RUNTIME_FAILURE, "vkCreateImage failed");
      }
      Swapchain::Image img;
      img.image = UniqueImage(&fn, vk.device(), image);
      VkMemoryRequirements req{};
      fn.getImageMemoryRequirements(vk.device(), image, &req);
      uint32_t type = vk.memoryType(req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
      if (type == UINT32_MAX) type = vk.memoryType(req.memoryTypeBits, 0);
      VkMemoryAllocateInfo ai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
      ai.allocationSize = req.size;
      ai.memoryTypeIndex = type;
      VkDeviceMemory memory = VK_NULL_HANDLE;
      if (type == UINT32_MAX || fn.allocateMemory(vk.device(), &ai, nullptr, &memory) != VK_SUCCESS) {
        return refuse(inst, call, XR_ERROR_OUT_OF_MEMORY, "vkAllocateMemory failed for a swapchain image");
      }
      img.memory = UniqueMemory(&fn, vk.device(), memory);
      if (fn.bindImageMemory(vk.device(), image, memory, 0) != VK_SUCCESS) {
        return refuse(inst, call, XR_ERROR_RUNTIME_FAILURE, "vkBindImageMemory failed");
      }
      sc->images.push_back(std::move(img));
    }
    // Into the resting layout, once, on the application's queue.
    const VkResult r = vk.submitAndWait([&](VkCommandBuffer cmd) {
      std::vector<VkImageMemoryBarrier> barriers;
      for (const auto& img : sc->images) {
        VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
        b.srcAccessMask = 0;
        b.dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT;
        b.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
        b.newLayout = sc->restingLayout;
        b.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
        b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
        b.image = img.image.get();
        b.subresourceRange = {sc->aspect, 0, info->mipCount, 0, info->arraySize};
        barriers.push_back(b);
      }
      fn.cmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, nullptr, 0,
                            nullptr, static_cast<uint32_t>(barriers.size()), barriers.data());
    });
    if (r != VK_SUCCESS) return refuse(inst, call, XR_ERROR_RUNTIME_FAILURE, "the initial layout transition failed");
    *out = toHandle<XrSwapchain>(*sc);
    s->swapchains.push_back(std::move(sc));
    return success(*s);
  });
}

XrResult xrDestroySwapchain(XrSwapchain swapchain) {
  return guarded("xrDestroySwapchain", [&]() -> XrResult {
    Swapchain* sc = lookup<Swapchain>(swapchain);
    if (!sc) return XR_ERROR_HANDLE_INVALID;
    auto& all = sc->session->swapchains;
    all.erase(std::remove_if(all.begin(), all.end(), [sc](const auto& p) { return p.get() == sc; }), all.end());
    return XR_SUCCESS;
  });
}

XrResult xrEnumerateSwapchainImages(XrSwapchain swapchain, uint32_t capacity, uint32_t* countOutput,
                                    XrSwapchainImageBaseHeader* images) {
  return guarded("xrEnumerateSwapchainImages", [&]() -> XrResult {
    PAV_XR_LOOKUP(Swapchain, sc, swapchain);
    auto* vkImages = reinterpret_cast<XrSwapchainImageVulkanKHR*>(images);
    const uint32_t count = static_cast<uint32_t>(sc->images.size());
    if (vkImages && capacity >= count) {
      for (uint32_t i = 0; i < count; ++i) {
        if (vkImages[i].type != XR_TYPE_SWAPCHAIN_IMAGE_VULKAN_KHR) {
          return refuse(*sc->instance, "xrEnumerateSwapchainImages", XR_ERROR_VALIDATION_FAILURE,
                        "images must be XrSwapchainImageVulkan(2)KHR");
        }
      }
    }
    const XrResult r = twoCall(capacity, countOutput, vkImages, count,
                               [&](XrSwapchainImageVulkanKHR& img, uint32_t i) { img.image = sc->images[i].image.get(); });
    return r == XR_SUCCESS ? success(*sc->session) : r;
  });
}

XrResult xrAcquireSwapchainImage(XrSwapchain swapchain, const XrSwapchainImageAcquireInfo* info, uint32_t* index) {
  return guarded("xrAcquireSwapchainImage", [&]() -> XrResult {
    const char* call = "xrAcquireSwapchainImage";
    PAV_XR_LOOKUP(Swapchain, sc, swapchain);
    Instance& inst = *sc->instance;
    if ((info && info->type != XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO) || !index) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs a null or XrSwapchainImageAcquireInfo and an index");
    }
    const bool isStatic = (sc->info.createFlags & XR_SWAPCHAIN_CREATE_STATIC_IMAGE_BIT) != 0;
    if (isStatic && (sc->staticReleased || !sc->acquired.empty())) {
      return refuse(inst, call, XR_ERROR_CALL_ORDER_INVALID, "a static swapchain's image is acquired once only");
    }
    if (sc->acquired.size() == sc->images.size()) {
      return refuse(inst, call, XR_ERROR_CALL_ORDER_INVALID,
                    "every image of the swapchain is already acquired: release one first");
    }
    const uint32_t i = sc->nextAcquire;
    sc->nextAcquire = (sc->nextAcquire + 1) % static_cast<uint32_t>(sc->images.size());
    sc->acquired.push_back(i);
    ++sc->images[i].acquisitions;
    *index = i;
    return success(*sc->session);
  });
}

XrResult xrWaitSwapchainImage(XrSwapchain swapchain, const XrSwapchainImageWaitInfo* info) {
  return guarded("xrWaitSwapchainImage", [&]() -> XrResult {
    const char* call = "xrWaitSwapchainImage";
    PAV_XR_LOOKUP(Swapchain, sc, swapchain);
    Instance& inst = *sc->instance;
    if (!info || info->type != XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrSwapchainImageWaitInfo");
    }
    if (sc->acquired.empty()) return refuse(inst, call, XR_ERROR_CALL_ORDER_INVALID, "no image is acquired");
    if (sc->waited) {
      return refuse(inst, call, XR_ERROR_CALL_ORDER_INVALID,
                    "the image waited on before has not been released yet");
    }
    // The compositor holds no image, so the oldest acquired one is ready at once.
    sc->waited = true;
    return success(*sc->session);
  });
}

XrResult xrReleaseSwapchainImage(XrSwapchain swapchain, const XrSwapchainImageReleaseInfo* info) {
  return guarded("xrReleaseSwapchainImage", [&]() -> XrResult {
    const char* call = "xrReleaseSwapchainImage";
    PAV_XR_LOOKUP(Swapchain, sc, swapchain);
    Instance& inst = *sc->instance;
    if (info && info->type != XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "releaseInfo must be null or XrSwapchainImageReleaseInfo");
    }
    if (!sc->waited) {
      return refuse(inst, call, XR_ERROR_CALL_ORDER_INVALID,
                    sc->acquired.empty() ? "no image is acquired" : "the acquired image was not waited on");
    }
    sc->lastReleased = sc->acquired.front();
    sc->acquired.pop_front();
    sc->waited = false;
    if (sc->info.createFlags & XR_SWAPCHAIN_CREATE_STATIC_IMAGE_BIT) sc->staticReleased = true;
    return success(*sc->session);
  });
}

}  // namespace api
}  // namespace pav::xrsim
