// The OpenXR swapchain as a render target, the third beside OffscreenTarget and WindowTarget:
// ONE colour swapchain of two array layers, both eyes drawn in one multiview pass (viewCount
// 2; where the driver's multiview is unreliable, render::Context::multiviewReliable() false,
// one single-view pass per layer through per-layer framebuffers instead), and depth from the runtime's own depth swapchain when XR_KHR_composition_layer_depth is
// enabled (so the compositor can reproject with it), else an image of our own.
// With MSAA (SwapchainDesc::samples) both eyes are drawn into multisampled colour and depth of
// our own and the pass resolves them into the swapchain images (depth through Vulkan 1.2's
// depth/stencil resolve; a device without it gives the runtime no depth, saying so).
//
//   XrSwapchainTarget target(session, context);     // recommended size, an sRGB format
//   renderer.drawFrame(target, scene, views);       // acquire + wait, draw, release
//   session.endFrame(frame, &target);               // the layer names the released images
//
// acquire() is xrAcquireSwapchainImage + xrWaitSwapchainImage, present() is
// xrReleaseSwapchainImage, after the frame's commands are submitted; images are released in
// VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL (depth: DEPTH_STENCIL_ATTACHMENT_OPTIMAL), as
// XR_KHR_vulkan_enable2 requires.
#pragma once

#include <cstdint>
#include <vector>

#include "pav/render/memory.h"
#include "pav/render/target.h"
#include "pav/xr/handles.h"

namespace pav::render {
class Context;
}

namespace pav::xr {

class Session;

struct SwapchainDesc {
  uint32_t width = 0, height = 0;  // per eye; 0: the runtime's recommended size
  int64_t colorFormat = 0;         // a VkFormat; 0: the runtime's first sRGB format
  bool runtimeDepth = true;        // use a depth swapchain when the depth extension is on
  uint32_t samples = 0;            // MSAA: 0 means render::kDefaultSamples; 1 (off), 2, 4 or 8
};

class XrSwapchainTarget final : public render::Target {
 public:
  XrSwapchainTarget(Session& session, render::Context& context, const SwapchainDesc& desc = {});
  ~XrSwapchainTarget() override;
  XrSwapchainTarget(const XrSwapchainTarget&) = delete;
  XrSwapchainTarget& operator=(const XrSwapchainTarget&) = delete;

  render::TargetFormat format() const override { return format_; }
  VkRenderPass renderPass() const override { return renderPass_; }
  VkExtent2D extent() const override { return extent_; }
  bool acquire(uint32_t slot, render::TargetFrame& out) override;
  void present(const render::TargetFrame& frame) override;
  bool canCapture() const override { return true; }  // made with TRANSFER_SRC usage

  XrSwapchain colorSwapchain() const { return color_; }
  XrSwapchain depthSwapchain() const { return depth_; }  // null without runtime depth
  bool runtimeDepth() const { return static_cast<bool>(depth_); }
  uint32_t imageCount() const { return static_cast<uint32_t>(colorImages_.images.size()); }

  // An image was released since the last frame ended: the layer may show it. The session
  // clears this in endFrame.
  bool hasReleasedImage() const { return released_; }
  void consumeRelease() { released_ = false; }
  // A frame that acquired but could not release (the session was lost meanwhile).
  uint64_t failedReleases() const { return failedReleases_; }

 private:
  struct Chain {
    std::vector<VkImage> images;
    std::vector<render::UniqueImageView> views;
    std::vector<render::UniqueImageView> layerViews;  // [image * 2 + layer], passPerView only
  };
  void createSwapchain(UniqueSwapchain& out, Chain& chain, int64_t format, XrSwapchainUsageFlags usage,
                       VkImageAspectFlags aspect);
  bool acquireOne(XrSwapchain swapchain, uint32_t& index);

  Session& session_;
  render::Context& context_;
  render::TargetFormat format_;
  VkExtent2D extent_{};
  UniqueSwapchain color_;
  UniqueSwapchain depth_;
  Chain colorImages_;
  Chain depthImages_;
  render::Image ownDepth_;                  // without a depth swapchain, or multisampled (MSAA)
  render::MultisampleColor msColor_;        // MSAA only
  render::UniqueImageView ownDepthLayers_[2];  // its layers, passPerView only
  render::UniqueRenderPass renderPass_;
  // [colour image][depth image], and [layer] innermost when format_.passPerView
  std::vector<render::UniqueFramebuffer> framebuffers_;
  bool released_ = false;
  bool colorHeld_ = false, depthHeld_ = false;
  uint64_t failedReleases_ = 0;
};

}  // namespace pav::xr
