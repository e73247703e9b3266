// The Vulkan context: loader, instance, validation, physical device choice, logical device,
// graphics queue, memory allocator and one-off uploads.
//
// Device choice: a discrete GPU, then integrated, then virtual, then CPU (lavapipe); the
// PAV_DEVICE environment variable (a substring of the device name) overrides. Validation:
// the Khronos layer is on when ContextDesc::validation says so, when PAV_VALIDATION=1, and by
// default in Debug builds; every warning or error it reports is logged and counted, and tests
// fail when the count is not zero.
//
// Multiview: stereo targets draw both eyes in one multiview pass where the driver does it
// right. lavapipe (Mesa llvmpipe, at least 22.3) sends clipped primitives of view 1 into
// layer 0, so there the targets draw one single-view pass per eye instead
// (multiviewReliable() false). PAV_MULTIVIEW=1/0 or ContextDesc::multiview forces either path.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pav/render/memory.h"
#include "pav/render/vk.h"

namespace pav::render {

enum class Toggle { Default, On, Off };

// Who makes the Vulkan instance and device. An OpenXR runtime (XR_KHR_vulkan_enable2) wants
// to: it adds the extensions it needs (xrCreateVulkanInstanceKHR / xrCreateVulkanDeviceKHR)
// and names the physical device it drives (xrGetVulkanGraphicsDevice2KHR). Any function left
// empty is the context's own choice. The create infos handed over are complete (layers,
// extensions, features); a creator adds to them, never removes.
struct VulkanCreator {
  std::function<VkResult(const VkInstanceCreateInfo& info, VkInstance& out)> createInstance;
  std::function<VkPhysicalDevice(VkInstance instance)> physicalDevice;
  std::function<VkResult(VkPhysicalDevice device, const VkDeviceCreateInfo& info, VkDevice& out)> createDevice;
};

struct ContextDesc {
  Toggle validation = Toggle::Default;  // Default: PAV_VALIDATION, else on in Debug builds
  bool syncValidation = false;          // also the layer's synchronization checks (tests)
  Toggle multiview = Toggle::Default;   // one multiview pass for stereo (On) or a pass per eye
                                        // (Off); Default: PAV_MULTIVIEW, else by driver
  bool presentation = false;            // instance/device extensions for an SDL2 window
  std::vector<const char*> instanceExtensions;  // extra, e.g. from an XR runtime
  std::string loaderPath;     // empty: PAV_VULKAN_LOADER, else the system's libvulkan.so.1
  std::string preferDevice;   // empty: PAV_DEVICE, else the best device by type
  const char* appName = "pavilion";
  VulkanCreator creator;      // e.g. the XR runtime's; empty: plain vkCreateInstance / vkCreateDevice
};

struct DeviceInfo {
  std::string name;
  std::string type;     // "discrete GPU", "integrated GPU", "CPU", ...
  std::string driver;   // driver name and info where the device reports them
  uint32_t apiVersion = 0;
  VkDriverId driverId = VkDriverId(0);  // 0 where the device is older than Vulkan 1.2
  std::string describe() const;  // one line for logs and the demo's output
};

// Extension entry points, loaded from this context's own instance and device. volk's global
// pointers are shared by every context in the process, and an instance that did not enable an
// extension loads NULL for its functions; so extension calls go through these instead.
struct ExtensionFunctions {
  PFN_vkCreateDebugUtilsMessengerEXT createDebugUtilsMessenger = nullptr;
  PFN_vkDestroyDebugUtilsMessengerEXT destroyDebugUtilsMessenger = nullptr;
  // presentation only
  PFN_vkDestroySurfaceKHR destroySurface = nullptr;
  PFN_vkGetPhysicalDeviceSurfaceSupportKHR getSurfaceSupport = nullptr;
  PFN_vkGetPhysicalDeviceSurfaceCapabilitiesKHR getSurfaceCapabilities = nullptr;
  PFN_vkGetPhysicalDeviceSurfaceFormatsKHR getSurfaceFormats = nullptr;
  PFN_vkGetPhysicalDeviceSurfacePresentModesKHR getSurfacePresentModes = nullptr;
  PFN_vkCreateSwapchainKHR createSwapchain = nullptr;
  PFN_vkDestroySwapchainKHR destroySwapchain = nullptr;
  PFN_vkGetSwapchainImagesKHR getSwapchainImages = nullptr;
  PFN_vkAcquireNextImageKHR acquireNextImage = nullptr;
  PFN_vkQueuePresentKHR queuePresent = nullptr;
};

class Context {
 public:
  // Throws pav::Error with an actionable message: no loader, no device, missing features.
  explicit Context(const ContextDesc& desc = {});
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  VkInstance instance() const { return instance_; }
  VkPhysicalDevice physicalDevice() const { return physical_; }
  VkDevice device() const { return device_; }
  VkQueue queue() const { return queue_; }
  uint32_t queueFamily() const { return queueFamily_; }
  const VkPhysicalDeviceProperties& properties() const { return props_; }
  const DeviceInfo& deviceInfo() const { return info_; }
  Allocator& allocator() { return *allocator_; }
  const ExtensionFunctions& ext() const { return ext_; }
  // This device's own function table (volkLoadDeviceTable): direct calls into its layer chain
  // or driver, skipping the loader's trampoline. The per-frame path records through it.
  const VolkDeviceTable& vk() const { return table_; }

  // Whether stereo targets may draw both eyes in one multiview pass. False where the driver
  // is known to misroute views (lavapipe) or PAV_MULTIVIEW=0 / ContextDesc::multiview says
  // so: then they draw one single-view pass per eye (TargetFormat::passPerView).
  bool multiviewReliable() const { return multiviewReliable_; }
  // The anisotropy textures are sampled with: 0 where the device has no anisotropic filtering.
  float maxAnisotropy() const { return maxAnisotropy_; }

  bool validationEnabled() const { return validation_; }
  // Warnings and errors the validation layer (or the loader) reported so far.
  uint32_t validationMessages() const { return messages_.load(); }

  // Records commands with `record`, submits them and waits. For uploads and set-up only,
  // never in a per-frame path.
  void submitNow(const std::function<void(VkCommandBuffer)>& record);

  VkFormat pickDepthFormat() const;

 private:
  void loadLoader(const std::string& path);
  void createInstance(const ContextDesc& desc);
  void pickPhysicalDevice(const std::string& prefer, const VulkanCreator& creator);
  void pickBestPhysicalDevice(const std::string& prefer);
  void describeDevice();
  void createDevice(bool presentation, const VulkanCreator& creator);
  void chooseMultiview(Toggle multiview);

  static VkBool32 VKAPI_PTR onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                      VkDebugUtilsMessageTypeFlagsEXT types,
                                      const VkDebugUtilsMessengerCallbackDataEXT* data,
                                      void* user);

  void* loaderLib_ = nullptr;
  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkPhysicalDeviceProperties props_{};
  DeviceInfo info_;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queueFamily_ = 0;
  bool validation_ = false;
  bool multiviewReliable_ = true;
  float maxAnisotropy_ = 0.0f;
  ExtensionFunctions ext_;
  VolkDeviceTable table_{};
  std::atomic<uint32_t> messages_{0};
  std::unique_ptr<Allocator> allocator_;
  UniqueCommandPool uploadPool_;
  UniqueFence uploadFence_;
};

}  // namespace pav::render
