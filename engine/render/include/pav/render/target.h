// Render targets: where a frame's pictures go. The same scene code draws into all of them.
//   OffscreenTarget  colour + depth images, mono (1 view) or multiview stereo (2 layers drawn
//                    in one pass with VK_KHR_multiview, or one pass per layer where the
//                    driver's multiview is unreliable); headless rendering and tests
//   WindowTarget     an SDL2 window's swapchain; handles resize, minimise and out-of-date
// A display target is a hardware seam, so this is the one interface in the render room; the
// OpenXR swapchain joins as a third target in the XR issue.
#pragma once

#include <cstdint>
#include <vector>

#include "pav/render/memory.h"
#include "pav/render/vk.h"

struct SDL_Window;

namespace pav::render {

class Context;

constexpr uint32_t kMaxFramesInFlight = 3;

// Everything a pipeline must agree with. Two targets with equal formats share pipelines.
struct TargetFormat {
  VkFormat color = VK_FORMAT_UNDEFINED;
  VkFormat depth = VK_FORMAT_UNDEFINED;
  uint32_t viewCount = 1;  // 2: stereo, one image layer per eye
  // Stereo drawn as one single-view pass per layer (Context::multiviewReliable() false)
  // instead of both views in one multiview pass. The render pass then has no view mask, and
  // the target hands out one framebuffer per layer (TargetFrame::layerFramebuffers).
  bool passPerView = false;
  // MSAA: the pass draws into multisampled colour and depth of this many samples and resolves
  // the colour (and a stored depth) into the target's images at its end. 1: no MSAA.
  uint32_t samples = 1;
  bool operator==(const TargetFormat&) const = default;
};

// What a target hands the renderer for one frame.
struct TargetFrame {
  VkFramebuffer framebuffer = VK_NULL_HANDLE;      // all layers (mono, multiview)
  VkFramebuffer layerFramebuffers[2] = {};         // one per layer when format.passPerView
  VkExtent2D extent{};
  VkImage colorImage = VK_NULL_HANDLE;             // for captures
  VkImageLayout finalLayout = VK_IMAGE_LAYOUT_UNDEFINED;  // layout after the render pass
  VkSemaphore waitSemaphore = VK_NULL_HANDLE;      // wait before writing colour (swapchain)
  VkSemaphore signalSemaphore = VK_NULL_HANDLE;    // signal when drawing is done (present)
  uint32_t imageIndex = 0;
  uint32_t slot = 0;
};

// The render pass every target draws with: one colour and one depth attachment, cleared on
// load (with format.samples > 1 both multisampled, then a single-sample colour the pass
// resolves into, and a depth one when `storeDepth`: see createTargetFramebuffer), both views in one pass when format.viewCount is 2 (a single-view pass, used once per
// layer, when format.passPerView). The renderer's pipelines are made
// against it, so a target made outside this room (the OpenXR swapchain) must use exactly this
// pass. The colour ends in `finalLayout`; `storeDepth` keeps the depth for a compositor.
UniqueRenderPass createTargetRenderPass(VkDevice device, const TargetFormat& format, VkImageLayout finalLayout,
                                        bool storeDepth = false);

// A framebuffer of that pass: one colour and one depth view of `extent`, one layer (multiview
// takes its layers from the view mask; a passPerView target has one framebuffer per layer).
// MSAA (format.samples > 1): `msColor` is the multisampled colour drawn into, `depth` the
// multisampled depth, `color` the image resolved into, and `depthResolve` the stored depth
// resolved into (a pass made with storeDepth; null otherwise).
UniqueFramebuffer createTargetFramebuffer(VkDevice device, VkRenderPass pass, VkImageView color, VkImageView depth,
                                          VkExtent2D extent, VkImageView msColor = VK_NULL_HANDLE,
                                          VkImageView depthResolve = VK_NULL_HANDLE);

// ---- Multisampling (multisample.cpp) ----
// The sample count a target asks for when its desc says 0.
constexpr uint32_t kDefaultSamples = 4;
// `requested` (0: kDefaultSamples; else 1, 2, 4 or 8, anything else throws pav::Error) where
// the device can draw colour and depth with it, else the largest count it can below that,
// saying so in one warning line naming `what` (the target). A stereo target drawn a pass per
// eye (TargetFormat::passPerView, i.e. lavapipe) gets 1, also said in one line: lavapipe 22.3
// resolves nothing into the second layer there (its one multiview pass resolves both).
uint32_t pickSampleCount(const Context& context, uint32_t requested, const char* what, bool passPerView = false);
// Whether a multisampled depth can be resolved into a stored one (Vulkan 1.2's
// VK_KHR_depth_stencil_resolve, sample zero), for a compositor that takes depth.
bool canResolveDepth(const Context& context);
// The multisampled colour a target with format.samples > 1 draws into (transient: the pass
// resolves it and keeps nothing), a layer per view.
struct MultisampleColor {
  Image image;
  MultisampleColor() = default;
  MultisampleColor(Context& context, const TargetFormat& format, VkExtent2D extent);
  VkImageView view() const { return image.view(); }
};

// A 2D view of one array layer of `image`: an attachment of a passPerView target's per-layer
// framebuffers (those render passes have no view mask, so they take single-layer views).
UniqueImageView createLayerView(VkDevice device, VkImage image, VkFormat format, VkImageAspectFlags aspect,
                                uint32_t layer);

class Target {
 public:
  virtual ~Target() = default;
  virtual TargetFormat format() const = 0;
  virtual VkRenderPass renderPass() const = 0;
  virtual VkExtent2D extent() const = 0;
  // Readies an image for frame slot `slot`. Returns false when there is nothing to draw into
  // right now (a minimised window, a swapchain being rebuilt): the caller skips the frame.
  virtual bool acquire(uint32_t slot, TargetFrame& out) = 0;
  // Called once the frame's commands are submitted.
  virtual void present(const TargetFrame& frame) = 0;
  // Whether Renderer::capture can copy this target's images (TRANSFER_SRC usage).
  virtual bool canCapture() const { return true; }
};

struct OffscreenDesc {
  uint32_t width = 0, height = 0;  // 0 means 640 x 480
  uint32_t viewCount = 0;          // 0 means 1; 2 for multiview stereo
  VkFormat color = VK_FORMAT_UNDEFINED;  // 0 means VK_FORMAT_R8G8B8A8_SRGB
  uint32_t samples = 0;            // MSAA: 0 means kDefaultSamples; 1 (off), 2, 4 or 8
};

class OffscreenTarget final : public Target {
 public:
  OffscreenTarget(Context& context, const OffscreenDesc& desc);
  ~OffscreenTarget() override;

  TargetFormat format() const override { return format_; }
  VkRenderPass renderPass() const override { return renderPass_; }
  VkExtent2D extent() const override { return {color_.width(), color_.height()}; }
  bool acquire(uint32_t slot, TargetFrame& out) override;
  void present(const TargetFrame&) override {}

 private:
  VkDevice device_;
  TargetFormat format_;
  Image color_;
  Image depth_;  // multisampled with format_.samples > 1
  MultisampleColor msColor_;
  UniqueImageView layerViews_[2][2];  // [layer][colour, depth], passPerView only
  UniqueRenderPass renderPass_;
  UniqueFramebuffer framebuffer_;
  UniqueFramebuffer layerFramebuffers_[2];  // passPerView only
};

struct WindowTargetDesc {
  bool vsync = true;  // FIFO; off prefers MAILBOX, then IMMEDIATE
  uint32_t samples = 0;  // MSAA: 0 means kDefaultSamples; 1 (off), 2, 4 or 8
};

class WindowTarget final : public Target {
 public:
  // `window` must be created with SDL_WINDOW_VULKAN, and the context with presentation on and
  // the window's instance extensions (platform::Window::vulkanInstanceExtensions()).
  WindowTarget(Context& context, SDL_Window* window, const WindowTargetDesc& desc = {});
  ~WindowTarget() override;

  TargetFormat format() const override { return format_; }
  VkRenderPass renderPass() const override { return renderPass_; }
  VkExtent2D extent() const override { return extent_; }
  bool acquire(uint32_t slot, TargetFrame& out) override;
  void present(const TargetFrame& frame) override;
  bool canCapture() const override { return capturable_; }

  // Ask for a rebuild before the next frame (the platform saw a resize).
  void markResized() { dirty_ = true; }
  uint32_t rebuildCount() const { return rebuilds_; }
  uint32_t imageCount() const { return static_cast<uint32_t>(images_.size()); }

 private:
  bool rebuild();  // false while the window has no area
  void destroySwapchainObjects();

  Context& context_;
  SDL_Window* window_;
  WindowTargetDesc desc_;
  VkSurfaceKHR surface_ = VK_NULL_HANDLE;
  TargetFormat format_;
  VkColorSpaceKHR colorSpace_ = VK_COLOR_SPACE_SRGB_NONLINEAR_KHR;
  UniqueRenderPass renderPass_;
  VkSwapchainKHR swapchain_ = VK_NULL_HANDLE;  // destroyed through the context's ext()
  VkExtent2D extent_{};
  std::vector<VkImage> images_;
  std::vector<UniqueImageView> views_;
  std::vector<UniqueFramebuffer> framebuffers_;
  std::vector<UniqueSemaphore> renderDone_;  // one per swapchain image
  UniqueSemaphore acquired_[kMaxFramesInFlight];
  Image depth_;  // multisampled with format_.samples > 1
  MultisampleColor msColor_;
  bool dirty_ = true;
  bool capturable_ = false;
  uint32_t rebuilds_ = 0;
};

}  // namespace pav::render
