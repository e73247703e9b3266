// Context: loader -> instance (+validation) -> physical device -> device -> queue -> allocator.
// Destroyed in exactly the reverse order in ~Context.
#include "pav/render/context.h"

#include <dlfcn.h>

#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <string_view>

#include "pav/core/log.h"

namespace pav::render {
namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool envOn(const char* name) {
  const char* v = std::getenv(name);
  return v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "on") == 0 || std::strcmp(v, "true") == 0);
}

bool envOff(const char* name) {
  const char* v = std::getenv(name);
  return v && (std::strcmp(v, "0") == 0 || std::strcmp(v, "off") == 0 || std::strcmp(v, "false") == 0);
}

const char* typeName(VkPhysicalDeviceType t) {
  switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "CPU";
    default: return "other";
  }
}

int typeRank(VkPhysicalDeviceType t) {
  switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
  }
}

bool hasLayer(const char* name) {
  uint32_t n = 0;
  vkEnumerateInstanceLayerProperties(&n, nullptr);
  std::vector<VkLayerProperties> layers(n);
  vkEnumerateInstanceLayerProperties(&n, layers.data());
  for (const auto& l : layers)
    if (std::strcmp(l.layerName, name) == 0) return true;
  return false;
}

bool hasDeviceExtension(VkPhysicalDevice pd, const char* name) {
  uint32_t n = 0;
  vkEnumerateDeviceExtensionProperties(pd, nullptr, &n, nullptr);
  std::vector<VkExtensionProperties> exts(n);
  vkEnumerateDeviceExtensionProperties(pd, nullptr, &n, exts.data());
  for (const auto& e : exts)
    if (std::strcmp(e.extensionName, name) == 0) return true;
  return false;
}

#ifdef PAV_SANITIZE
// Sanitizer builds only. The validation layer and Mesa keep some allocations for the life of
// the process and never free them; the loader unloads both in vkDestroyInstance, after which
// LeakSanitizer can no longer name the library a leaked block came from, so no suppression
// could match it. Keeping the libraries resident fixes that; the suppressions (whole
// third-party libraries only) are in engine/core/src/diagnostics.cpp.
void keepDriverLibrariesResident() {
  for (const char* lib : {"libVkLayer_khronos_validation.so", "libvulkan_lvp.so"})
    dlopen(lib, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
}
#endif

}  // namespace

std::string DeviceInfo::describe() const {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%s (%s, Vulkan %u.%u.%u%s%s)", name.c_str(), type.c_str(),
                VK_API_VERSION_MAJOR(apiVersion), VK_API_VERSION_MINOR(apiVersion),
                VK_API_VERSION_PATCH(apiVersion), driver.empty() ? "" : ", ", driver.c_str());
  return buf;
}

Context::Context(const ContextDesc& desc) {
  const char* envLoader = std::getenv("PAV_VULKAN_LOADER");
  loadLoader(!desc.loaderPath.empty() ? desc.loaderPath : envLoader ? envLoader : "");
  createInstance(desc);
  const char* envDevice = std::getenv("PAV_DEVICE");
  pickPhysicalDevice(!desc.preferDevice.empty() ? desc.preferDevice : envDevice ? envDevice : "", desc.creator);
  createDevice(desc.presentation, desc.creator);
  chooseMultiview(desc.multiview);
  allocator_ = std::make_unique<Allocator>(physical_, device_);

  VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pool.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
  pool.queueFamilyIndex = queueFamily_;
  VkCommandPool p = VK_NULL_HANDLE;
  VK_CHECK(vkCreateCommandPool(device_, &pool, nullptr, &p));
  uploadPool_ = UniqueCommandPool(device_, p);
  VkFenceCreateInfo fence{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  VkFence f = VK_NULL_HANDLE;
  VK_CHECK(vkCreateFence(device_, &fence, nullptr, &f));
  uploadFence_ = UniqueFence(device_, f);
}

Context::~Context() {
  if (device_) vkDeviceWaitIdle(device_);
  uploadFence_.reset();
  uploadPool_.reset();
  allocator_.reset();
  if (device_) vkDestroyDevice(device_, nullptr);
  if (messenger_) ext_.destroyDebugUtilsMessenger(instance_, messenger_, nullptr);
  if (instance_) vkDestroyInstance(instance_, nullptr);
  // The loader library stays loaded: volk's global pointers may still be read by owners that
  // outlive us in a test, and unloading buys nothing.
}

void Context::loadLoader(const std::string& path) {
  const char* name = path.empty() ? "libvulkan.so.1" : path.c_str();
  loaderLib_ = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (!loaderLib_)
    fail("no Vulkan loader: could not load '%s' (%s). Install the loader (Debian: libvulkan1) "
         "or point PAV_VULKAN_LOADER at one.", name, dlerror());
  auto gipa = reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(loaderLib_, "vkGetInstanceProcAddr"));
  if (!gipa) fail("'%s' is not a Vulkan loader: it has no vkGetInstanceProcAddr", name);
  volkInitializeCustom(gipa);
#ifdef PAV_SANITIZE
  keepDriverLibrariesResident();
#endif
}

void Context::createInstance(const ContextDesc& desc) {
  const uint32_t loaderVersion = volkGetInstanceVersion();
  if (loaderVersion < VK_API_VERSION_1_1)
    fail("the Vulkan loader supports only Vulkan %u.%u; the engine needs 1.1 or newer",
         VK_API_VERSION_MAJOR(loaderVersion), VK_API_VERSION_MINOR(loaderVersion));

#ifdef PAV_VALIDATION_DEFAULT_ON
  constexpr bool kDefault = true;
#else
  constexpr bool kDefault = false;
#endif
  bool wantValidation = envOn("PAV_VALIDATION") || (kDefault && !envOff("PAV_VALIDATION"));
  if (desc.validation == Toggle::On) wantValidation = true;
  if (desc.validation == Toggle::Off) wantValidation = false;
  if (wantValidation && !hasLayer(kValidationLayer)) {
    PAV_WARN("validation requested but %s is not installed (Debian: vulkan-validationlayers); "
             "running without it", kValidationLayer);
    wantValidation = false;
  }
  validation_ = wantValidation;

  std::vector<const char*> extensions = desc.instanceExtensions;
  if (validation_) extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
  std::vector<const char*> layers;
  if (validation_) layers.push_back(kValidationLayer);

  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = desc.appName;
  app.pEngineName = "pavilion";
  app.apiVersion = loaderVersion >= VK_API_VERSION_1_3 ? VK_API_VERSION_1_3 : VK_API_VERSION_1_1;

  VkDebugUtilsMessengerCreateInfoEXT dbg{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
  dbg.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                        VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  dbg.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                    VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                    VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
  dbg.pfnUserCallback = &Context::onMessage;
  dbg.pUserData = this;

  VkValidationFeatureEnableEXT syncFeature = VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT;
  VkValidationFeaturesEXT features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
  features.enabledValidationFeatureCount = 1;
  features.pEnabledValidationFeatures = &syncFeature;

  VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  info.pApplicationInfo = &app;
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  info.enabledLayerCount = static_cast<uint32_t>(layers.size());
  info.ppEnabledLayerNames = layers.data();
  if (validation_) {
    // Messages during vkCreateInstance / vkDestroyInstance are caught through pNext.
    info.pNext = &dbg;
    if (desc.syncValidation) dbg.pNext = &features;
  }
  const VkResult r =
      desc.creator.createInstance ? desc.creator.createInstance(info, instance_) : vkCreateInstance(&info, nullptr, &instance_);
  if (r == VK_ERROR_INCOMPATIBLE_DRIVER)
    fail("no Vulkan driver: vkCreateInstance found no compatible driver. Install one "
         "(Debian: mesa-vulkan-drivers for the CPU device lavapipe, or your GPU's driver)");
  if (r == VK_ERROR_EXTENSION_NOT_PRESENT)
    fail("the Vulkan instance lacks a required extension (window system or debug utils)");
  VK_CHECK(r);
  // volk's global device-level functions are loaded through the instance, i.e. as the
  // loader's trampolines that dispatch on each handle, never with volkLoadDevice: that would
  // point the globals at the newest device's layer chain, and an older device with validation
  // on would silently lose it when several contexts live in one process (tests, an XR
  // runtime's own device). The hot per-frame path skips the trampolines through this
  // context's own table (vk()), loaded after the device is made.
  volkLoadInstance(instance_);
  const auto instanceFn = [&](const char* name) { return vkGetInstanceProcAddr(instance_, name); };
  if (desc.presentation) {
    ext_.destroySurface = reinterpret_cast<PFN_vkDestroySurfaceKHR>(instanceFn("vkDestroySurfaceKHR"));
    ext_.getSurfaceSupport = reinterpret_cast<PFN_vkGetPhysicalDeviceSurfaceSupportKHR>(
        instanceFn("vkGetPhysicalDeviceSurfaceSupportKHR"));
    ext_.getSurfaceCapabilities = reinterpret_cast<PFN_vkGetPhysicalDeviceSurfaceCapabilitiesKHR>(
        instanceFn("vkGetPhysicalDeviceSurfaceCapabilitiesKHR"));
    ext_.getSurfaceFormats = reinterpret_cast<PFN_vkGetPhysicalDeviceSurfaceFormatsKHR>(
        instanceFn("vkGetPhysicalDeviceSurfaceFormatsKHR"));
    ext_.getSurfacePresentModes = reinterpret_cast<PFN_vkGetPhysicalDeviceSurfacePresentModesKHR>(
        instanceFn("vkGetPhysicalDeviceSurfacePresentModesKHR"));
    if (!ext_.destroySurface || !ext_.getSurfaceFormats)
      fail("the Vulkan instance has no VK_KHR_surface functions; the window system's instance "
           "extensions must be passed in ContextDesc::instanceExtensions");
  }
  if (validation_) {
    dbg.pNext = nullptr;
    ext_.createDebugUtilsMessenger = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
        instanceFn("vkCreateDebugUtilsMessengerEXT"));
    ext_.destroyDebugUtilsMessenger = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        instanceFn("vkDestroyDebugUtilsMessengerEXT"));
    PAV_CHECK(ext_.createDebugUtilsMessenger && ext_.destroyDebugUtilsMessenger,
              "VK_EXT_debug_utils was enabled but its functions are missing");
    VK_CHECK(ext_.createDebugUtilsMessenger(instance_, &dbg, nullptr, &messenger_));
    PAV_DEBUG("validation layer on%s", desc.syncValidation ? " (with synchronization checks)" : "");
  }
}

void Context::pickPhysicalDevice(const std::string& prefer, const VulkanCreator& creator) {
  if (creator.physicalDevice) {
    physical_ = creator.physicalDevice(instance_);
    if (!physical_) fail("the Vulkan creator (the XR runtime) named no physical device");
    vkGetPhysicalDeviceProperties(physical_, &props_);
    if (props_.apiVersion < VK_API_VERSION_1_1)
      fail("the XR runtime's Vulkan device %s is older than Vulkan 1.1", props_.deviceName);
  } else {
    pickBestPhysicalDevice(prefer);
  }
  describeDevice();
}

void Context::pickBestPhysicalDevice(const std::string& prefer) {
  uint32_t n = 0;
  VK_CHECK(vkEnumeratePhysicalDevices(instance_, &n, nullptr));
  if (n == 0)
    fail("no Vulkan device found. Install a driver (Debian: mesa-vulkan-drivers provides "
         "lavapipe, a CPU device) or check VK_ICD_FILENAMES");
  std::vector<VkPhysicalDevice> devices(n);
  VK_CHECK(vkEnumeratePhysicalDevices(instance_, &n, devices.data()));

  int best = -1;
  for (VkPhysicalDevice pd : devices) {
    VkPhysicalDeviceProperties p;
    vkGetPhysicalDeviceProperties(pd, &p);
    PAV_DEBUG("vulkan device: %s (%s)", p.deviceName, typeName(p.deviceType));
    if (p.apiVersion < VK_API_VERSION_1_1) continue;
    int score = typeRank(p.deviceType);
    if (!prefer.empty() && std::string_view(p.deviceName).find(prefer) != std::string_view::npos)
      score += 100;
    if (score > best) {
      best = score;
      physical_ = pd;
      props_ = p;
    }
  }
  if (!physical_) fail("no Vulkan 1.1 device found among %u device(s)", n);
  if (!prefer.empty() && best < 100)
    PAV_WARN("no Vulkan device matches '%s'; using %s", prefer.c_str(), props_.deviceName);
}

void Context::describeDevice() {
  VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
  VkPhysicalDeviceProperties2 p2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
  if (props_.apiVersion >= VK_API_VERSION_1_2) p2.pNext = &driver;
  vkGetPhysicalDeviceProperties2(physical_, &p2);
  info_.name = props_.deviceName;
  info_.type = typeName(props_.deviceType);
  info_.apiVersion = props_.apiVersion;
  if (props_.apiVersion >= VK_API_VERSION_1_2) {
    info_.driver = std::string(driver.driverName) + " " + driver.driverInfo;
    info_.driverId = driver.driverID;
  }
}

// lavapipe (Mesa 22.3.6, and no fixed version is known yet) writes clipped primitives of
// view 1 of a multiview pass into layer 0: tests/render/multiview_repro shows it in raw
// Vulkan, Stereo.ClippedGeometryLandsInItsOwnEye in the engine. Other drivers keep the one
// pass; PAV_MULTIVIEW=0/1 (or the desc) forces either path, to test both anywhere.
void Context::chooseMultiview(Toggle multiview) {
  const bool misroutes = info_.driverId == VK_DRIVER_ID_MESA_LLVMPIPE;
  multiviewReliable_ = !misroutes;
  if (envOn("PAV_MULTIVIEW")) multiviewReliable_ = true;
  if (envOff("PAV_MULTIVIEW")) multiviewReliable_ = false;
  if (multiview == Toggle::On) multiviewReliable_ = true;
  if (multiview == Toggle::Off) multiviewReliable_ = false;
  const bool forced = multiviewReliable_ == misroutes;
  if (multiviewReliable_)
    PAV_INFO("multiview: one pass%s", forced ? " (forced; this driver is known to misroute views)" : "");
  else if (misroutes)
    PAV_INFO("multiview unreliable on llvmpipe: one pass per eye");
  else
    PAV_INFO("multiview: one pass per eye (forced)");
}

void Context::createDevice(bool presentation, const VulkanCreator& creator) {
  uint32_t n = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(physical_, &n, nullptr);
  std::vector<VkQueueFamilyProperties> families(n);
  vkGetPhysicalDeviceQueueFamilyProperties(physical_, &n, families.data());
  bool found = false;
  for (uint32_t i = 0; i < n && !found; ++i) {
    if (families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) {
      queueFamily_ = i;
      found = true;
    }
  }
  if (!found) fail("Vulkan device %s has no graphics queue", props_.deviceName);

  VkPhysicalDeviceMultiviewFeatures mvAvail{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES};
  VkPhysicalDeviceFeatures2 avail{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  avail.pNext = &mvAvail;
  vkGetPhysicalDeviceFeatures2(physical_, &avail);
  if (!mvAvail.multiview)
    fail("Vulkan device %s lacks multiview (VK_KHR_multiview), needed for stereo",
         props_.deviceName);

  std::vector<const char*> extensions;
  if (presentation) {
    if (!hasDeviceExtension(physical_, VK_KHR_SWAPCHAIN_EXTENSION_NAME))
      fail("Vulkan device %s cannot present to a window (no VK_KHR_swapchain)", props_.deviceName);
    extensions.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
  }

  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  queue.queueFamilyIndex = queueFamily_;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;

  VkPhysicalDeviceMultiviewFeatures mv{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES};
  mv.multiview = VK_TRUE;
  VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  features.pNext = &mv;
  // Anisotropic texture filtering where the device offers it (material.cpp's sampler), except
  // on a CPU device: lavapipe filters anisotropically so slowly under 4x MSAA that the driving
  // scene's grass took minutes a frame (1.7 s without it for the same run).
  if (avail.features.samplerAnisotropy && props_.deviceType != VK_PHYSICAL_DEVICE_TYPE_CPU) {
    features.features.samplerAnisotropy = VK_TRUE;
    maxAnisotropy_ = std::min(props_.limits.maxSamplerAnisotropy, 16.0f);
  }

  VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  info.pNext = &features;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue;
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  if (creator.createDevice) VK_CHECK(creator.createDevice(physical_, info, device_));
  else VK_CHECK(vkCreateDevice(physical_, &info, nullptr, &device_));
  volkLoadDeviceTable(&table_, device_);
  if (presentation) {
    const auto deviceFn = [&](const char* name) { return vkGetDeviceProcAddr(device_, name); };
    ext_.createSwapchain = reinterpret_cast<PFN_vkCreateSwapchainKHR>(deviceFn("vkCreateSwapchainKHR"));
    ext_.destroySwapchain = reinterpret_cast<PFN_vkDestroySwapchainKHR>(deviceFn("vkDestroySwapchainKHR"));
    ext_.getSwapchainImages = reinterpret_cast<PFN_vkGetSwapchainImagesKHR>(deviceFn("vkGetSwapchainImagesKHR"));
    ext_.acquireNextImage = reinterpret_cast<PFN_vkAcquireNextImageKHR>(deviceFn("vkAcquireNextImageKHR"));
    ext_.queuePresent = reinterpret_cast<PFN_vkQueuePresentKHR>(deviceFn("vkQueuePresentKHR"));
    PAV_CHECK(ext_.createSwapchain && ext_.queuePresent, "VK_KHR_swapchain functions are missing");
  }
  vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);
  PAV_INFO("vulkan: %s%s", info_.describe().c_str(), validation_ ? " [validation on]" : "");
}

VkFormat Context::pickDepthFormat() const {
  for (VkFormat f : {VK_FORMAT_D32_SFLOAT, VK_FORMAT_D24_UNORM_S8_UINT, VK_FORMAT_D16_UNORM}) {
    VkFormatProperties p;
    vkGetPhysicalDeviceFormatProperties(physical_, f, &p);
    if (p.optimalTilingFeatures & VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT) return f;
  }
  fail("Vulkan device %s has no usable depth format", props_.deviceName);
}

void Context::submitNow(const std::function<void(VkCommandBuffer)>& record) {
  VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  alloc.commandPool = uploadPool_;
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  VkCommandBuffer cmd = VK_NULL_HANDLE;
  VK_CHECK(vkAllocateCommandBuffers(device_, &alloc, &cmd));
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  VK_CHECK(vkBeginCommandBuffer(cmd, &begin));
  record(cmd);
  VK_CHECK(vkEndCommandBuffer(cmd));
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd;
  VkFence fence = uploadFence_;
  VK_CHECK(vkQueueSubmit(queue_, 1, &submit, fence));
  VK_CHECK(vkWaitForFences(device_, 1, &fence, VK_TRUE, UINT64_MAX));
  VK_CHECK(vkResetFences(device_, 1, &fence));
  VK_CHECK(vkResetCommandPool(device_, uploadPool_, 0));
}

VkBool32 VKAPI_PTR Context::onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                      VkDebugUtilsMessageTypeFlagsEXT,
                                      const VkDebugUtilsMessengerCallbackDataEXT* data,
                                      void* user) {
  auto* self = static_cast<Context*>(user);
  self->messages_.fetch_add(1);
  const bool error = severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  PAV_LOG_AT(error ? log::Level::Error : log::Level::Warn, "vulkan validation: %s",
             data && data->pMessage ? data->pMessage : "(no message)");
  return VK_FALSE;
}

const char* resultName(VkResult r) {
  switch (r) {
#define PAV_RESULT(x) case x: return #x;
    PAV_RESULT(VK_SUCCESS) PAV_RESULT(VK_NOT_READY) PAV_RESULT(VK_TIMEOUT)
    PAV_RESULT(VK_EVENT_SET) PAV_RESULT(VK_EVENT_RESET) PAV_RESULT(VK_INCOMPLETE)
    PAV_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY) PAV_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    PAV_RESULT(VK_ERROR_INITIALIZATION_FAILED) PAV_RESULT(VK_ERROR_DEVICE_LOST)
    PAV_RESULT(VK_ERROR_MEMORY_MAP_FAILED) PAV_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
    PAV_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT) PAV_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
    PAV_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER) PAV_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
    PAV_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED) PAV_RESULT(VK_ERROR_FRAGMENTED_POOL)
    PAV_RESULT(VK_ERROR_UNKNOWN) PAV_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
    PAV_RESULT(VK_ERROR_SURFACE_LOST_KHR) PAV_RESULT(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR)
    PAV_RESULT(VK_SUBOPTIMAL_KHR) PAV_RESULT(VK_ERROR_OUT_OF_DATE_KHR)
    PAV_RESULT(VK_ERROR_VALIDATION_FAILED_EXT) PAV_RESULT(VK_ERROR_INVALID_SHADER_NV)
#undef PAV_RESULT
    default: break;
  }
  static thread_local char buf[32];
  std::snprintf(buf, sizeof buf, "VkResult(%d)", static_cast<int>(r));
  return buf;
}

}  // namespace pav::render
