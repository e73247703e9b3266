// Shared set-up for the xr-sim tests: every test talks to the simulated headset through the
// real Khronos loader (libopenxr_loader), exactly as an application does, with
// XR_RUNTIME_JSON pointing at the manifest the build generated.
//
// XrSimTest gives a test: the runtime's environment (PAV_XR_SIM_* set per test, everything
// else cleared), an instance and system, Vulkan created through xrCreateVulkanInstanceKHR /
// xrCreateVulkanDeviceKHR with the Khronos validation layer on (any message fails the test),
// a session, per-eye swapchains, and frame helpers that clear the eyes to a colour. Handles
// are destroyed in reverse order of creation in TearDown.
#pragma once

#include <gtest/gtest.h>
#include <volk.h>

#define XR_USE_GRAPHICS_API_VULKAN 1
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pav::test {

// XR_CHECK-style assertion that names the call and its result.
#define XRS_CHECK(call)                                                               \
  do {                                                                                \
    const XrResult r_ = (call);                                                       \
    ASSERT_TRUE(XR_SUCCEEDED(r_)) << #call << " returned " << ::pav::test::name(r_);  \
  } while (0)

const char* name(XrResult r);
const char* name(XrSessionState s);
// A fresh private folder for a test's files (pictures, statistics, scripts).
std::string scratchDir(const std::string& tag);

// The environment of the runtime: XR_RUNTIME_JSON, and exactly these PAV_XR_SIM_* values.
void setRuntimeEnv(const std::map<std::string, std::string>& vars);

class XrSimTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // Instance with XR_KHR_vulkan_enable2 and XR_KHR_composition_layer_depth, and the HMD.
  void createInstance(const std::map<std::string, std::string>& env = {});
  // Vulkan through the runtime, then a session on it; checks the IDLE and READY events.
  void createSession();
  void beginSession();
  // Two swapchains (one per eye) of the recommended size.
  void createEyeSwapchains(VkFormat format = VK_FORMAT_R8G8B8A8_UNORM);
  // A swapchain of any kind (for error tests).
  XrSwapchain createSwapchain(VkFormat format, uint32_t w, uint32_t h, uint32_t arraySize = 1,
                              XrSwapchainUsageFlags usage = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT |
                                                            XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT);
  std::vector<VkImage> swapchainImages(XrSwapchain swapchain);

  // Polls every queued event; state changes also go to states_.
  std::vector<XrEventDataBuffer> pollEvents();
  // One whole frame: wait, begin, and if the runtime says so, clear each eye to its colour and
  // submit a projection layer. Returns the frame state; *endResult gets xrEndFrame's result.
  XrFrameState runFrame(const std::array<std::array<float, 4>, 2>& colors = {{{0.2f, 0.4f, 0.8f, 1}, {0.9f, 0.5f, 0.1f, 1}}},
                        XrResult* endResult = nullptr);
  // Runs frames until the session reaches `state` (fails after maxFrames).
  void runUntil(XrSessionState state, int maxFrames = 20);
  // Acquire, wait, clear, release one image of a swapchain.
  void clearSwapchain(XrSwapchain swapchain, const std::array<float, 4>& color, uint32_t arrayLayers = 1);
  // A projection layer of the given views, for hand-made xrEndFrame calls.
  XrCompositionLayerProjection projectionLayer(std::vector<XrCompositionLayerProjectionView>& views);
  std::vector<XrCompositionLayerProjectionView> eyeViews(XrTime displayTime);

  template <typename F>
  F xrFn(const char* fnName) {
    PFN_xrVoidFunction f = nullptr;
    EXPECT_EQ(xrGetInstanceProcAddr(instance_, fnName, &f), XR_SUCCESS) << fnName;
    return reinterpret_cast<F>(f);
  }
  XrPath path(const char* p);

  XrInstance instance_ = XR_NULL_HANDLE;
  XrSystemId system_ = XR_NULL_SYSTEM_ID;
  uint32_t viewWidth_ = 0, viewHeight_ = 0;
  VkInstance vkInstance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkPhysicalDevice physicalDevice_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queueFamily_ = 0;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  VkFence fence_ = VK_NULL_HANDLE;
  XrSession session_ = XR_NULL_HANDLE;
  XrSpace local_ = XR_NULL_HANDLE;
  XrSpace stage_ = XR_NULL_HANDLE;
  std::array<XrSwapchain, 2> eyes_{};
  std::vector<XrSwapchain> extraSwapchains_;
  XrSessionState state_ = XR_SESSION_STATE_UNKNOWN;
  std::vector<XrSessionState> states_;
  bool lossPending_ = false;
  int profileChanges_ = 0;
  XrTime firstDisplayTime_ = 0;
  static int validationMessages_;
};

}  // namespace pav::test
