// The xr-sim test fixture: runtime environment, instance, Vulkan through the runtime with the
// validation layer on, session, eye swapchains, and frames that clear each eye to a colour.
#include "xr_sim_fixture.h"

#include <openxr/openxr_reflection.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char** environ;

#ifdef PAV_SANITIZE
#include <dlfcn.h>

// Sanitizer builds only. The OpenXR loader 1.0.20 keeps a few blocks per instance until the
// process ends, as do the validation layer and lavapipe; LeakSanitizer may only report the
// code under test. Whole third-party libraries are suppressed, kept resident so they can be
// named (as engine/core and engine/render do for the render tests); a leak in xr-sim (which
// the loader unloads) is always reported.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libopenxr_loader.so\n"
         "leak:libVkLayer_khronos_validation.so\n"
         "leak:libvulkan_lvp.so\n";
}
namespace {
[[maybe_unused]] const bool kResident = [] {
  for (const char* lib : {"libVkLayer_khronos_validation.so", "libvulkan_lvp.so"}) {
    dlopen(lib, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  }
  return true;
}();
}  // namespace
#endif

namespace pav::test {

int XrSimTest::validationMessages_ = 0;

const char* name(XrResult r) {
  switch (r) {
#define PAV_CASE(n, v) \
  case n:              \
    return #n;
    XR_LIST_ENUM_XrResult(PAV_CASE)
#undef PAV_CASE
    default:
      return "unknown XrResult";
  }
}

const char* name(XrSessionState s) {
  switch (s) {
#define PAV_CASE(n, v) \
  case n:              \
    return #n;
    XR_LIST_ENUM_XrSessionState(PAV_CASE)
#undef PAV_CASE
    default:
      return "unknown XrSessionState";
  }
}

std::string scratchDir(const std::string& tag) {
  const std::string dir = std::string(PAV_TEST_ARTIFACT_DIR) + "/xr-sim/" + tag;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void setRuntimeEnv(const std::map<std::string, std::string>& vars) {
  std::vector<std::string> stale;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    if (kv.rfind("PAV_XR_SIM_", 0) == 0) stale.push_back(kv.substr(0, kv.find('=')));
  }
  for (const auto& k : stale) unsetenv(k.c_str());
  setenv("XR_RUNTIME_JSON", PAV_XR_SIM_MANIFEST, 1);
  // Small eyes by default: the tests check behaviour, not resolution.
  if (!vars.count("PAV_XR_SIM_SCALE") && !vars.count("PAV_XR_SIM_VIEW")) setenv("PAV_XR_SIM_SCALE", "0.125", 1);
  for (const auto& [k, v] : vars) setenv(k.c_str(), v.c_str(), 1);
}

namespace {
VKAPI_ATTR VkBool32 VKAPI_CALL onValidation(VkDebugUtilsMessageSeverityFlagBitsEXT, VkDebugUtilsMessageTypeFlagsEXT,
                                           const VkDebugUtilsMessengerCallbackDataEXT* data, void* user) {
  ++*static_cast<int*>(user);
  ADD_FAILURE() << "Vulkan validation: " << data->pMessage;
  return VK_FALSE;
}
}  // namespace

XrPath XrSimTest::path(const char* p) {
  XrPath out = XR_NULL_PATH;
  EXPECT_EQ(xrStringToPath(instance_, p, &out), XR_SUCCESS) << p;
  return out;
}

void XrSimTest::createInstance(const std::map<std::string, std::string>& env) {
  setRuntimeEnv(env);
  const char* exts[] = {XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME, XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME};
  XrInstanceCreateInfo ci{XR_TYPE_INSTANCE_CREATE_INFO};
  std::strcpy(ci.applicationInfo.applicationName, "pav_xr_sim_tests");
  ci.applicationInfo.apiVersion = XR_CURRENT_API_VERSION;
  ci.enabledExtensionCount = 2;
  ci.enabledExtensionNames = exts;
  XRS_CHECK(xrCreateInstance(&ci, &instance_));
  XrSystemGetInfo gi{XR_TYPE_SYSTEM_GET_INFO};
  gi.formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY;
  XRS_CHECK(xrGetSystem(instance_, &gi, &system_));
  uint32_t n = 0;
  std::vector<XrViewConfigurationView> views(2, {XR_TYPE_VIEW_CONFIGURATION_VIEW});
  XRS_CHECK(xrEnumerateViewConfigurationViews(instance_, system_, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 2, &n,
                                              views.data()));
  viewWidth_ = views[0].recommendedImageRectWidth;
  viewHeight_ = views[0].recommendedImageRectHeight;
}

void XrSimTest::createSession() {
  ASSERT_EQ(volkInitialize(), VK_SUCCESS) << "no Vulkan loader (libvulkan1)";
  XrGraphicsRequirementsVulkan2KHR reqs{XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
  XRS_CHECK(xrFn<PFN_xrGetVulkanGraphicsRequirements2KHR>("xrGetVulkanGraphicsRequirements2KHR")(instance_, system_, &reqs));
  ASSERT_LE(reqs.minApiVersionSupported, XR_MAKE_VERSION(1, 1, 0));

  uint32_t layerCount = 0;
  vkEnumerateInstanceLayerProperties(&layerCount, nullptr);
  std::vector<VkLayerProperties> layers(layerCount);
  vkEnumerateInstanceLayerProperties(&layerCount, layers.data());
  bool haveValidation = false;
  for (const auto& l : layers) haveValidation = haveValidation || std::strcmp(l.layerName, "VK_LAYER_KHRONOS_validation") == 0;
  ASSERT_TRUE(haveValidation) << "xr-sim tests need the Khronos validation layer (vulkan-validationlayers)";
  const char* layerNames[] = {"VK_LAYER_KHRONOS_validation"};
  const char* extNames[] = {VK_EXT_DEBUG_UTILS_EXTENSION_NAME};
  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = "pav_xr_sim_tests";
  app.apiVersion = VK_API_VERSION_1_1;
  VkInstanceCreateInfo vci{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  vci.pApplicationInfo = &app;
  vci.enabledLayerCount = 1;
  vci.ppEnabledLayerNames = layerNames;
  vci.enabledExtensionCount = 1;
  vci.ppEnabledExtensionNames = extNames;
  XrVulkanInstanceCreateInfoKHR xci{XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR};
  xci.systemId = system_;
  xci.pfnGetInstanceProcAddr = vkGetInstanceProcAddr;
  xci.vulkanCreateInfo = &vci;
  VkResult vkr = VK_ERROR_UNKNOWN;
  XRS_CHECK(xrFn<PFN_xrCreateVulkanInstanceKHR>("xrCreateVulkanInstanceKHR")(instance_, &xci, &vkInstance_, &vkr));
  ASSERT_EQ(vkr, VK_SUCCESS);
  volkLoadInstance(vkInstance_);
  VkDebugUtilsMessengerCreateInfoEXT mci{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
  mci.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  mci.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                    VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
  mci.pfnUserCallback = onValidation;
  mci.pUserData = &validationMessages_;
  ASSERT_EQ(vkCreateDebugUtilsMessengerEXT(vkInstance_, &mci, nullptr, &messenger_), VK_SUCCESS);

  XrVulkanGraphicsDeviceGetInfoKHR dgi{XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR};
  dgi.systemId = system_;
  dgi.vulkanInstance = vkInstance_;
  XRS_CHECK(xrFn<PFN_xrGetVulkanGraphicsDevice2KHR>("xrGetVulkanGraphicsDevice2KHR")(instance_, &dgi, &physicalDevice_));
  uint32_t familyCount = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &familyCount, nullptr);
  std::vector<VkQueueFamilyProperties> families(familyCount);
  vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &familyCount, families.data());
  while (queueFamily_ < familyCount && !(families[queueFamily_].queueFlags & VK_QUEUE_GRAPHICS_BIT)) ++queueFamily_;
  ASSERT_LT(queueFamily_, familyCount);
  const float priority = 1.0f;
  VkDeviceQueueCreateInfo qci{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  qci.queueFamilyIndex = queueFamily_;
  qci.queueCount = 1;
  qci.pQueuePriorities = &priority;
  VkDeviceCreateInfo dci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  dci.queueCreateInfoCount = 1;
  dci.pQueueCreateInfos = &qci;
  XrVulkanDeviceCreateInfoKHR xdci{XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR};
  xdci.systemId = system_;
  xdci.pfnGetInstanceProcAddr = vkGetInstanceProcAddr;
  xdci.vulkanPhysicalDevice = physicalDevice_;
  xdci.vulkanCreateInfo = &dci;
  XRS_CHECK(xrFn<PFN_xrCreateVulkanDeviceKHR>("xrCreateVulkanDeviceKHR")(instance_, &xdci, &device_, &vkr));
  ASSERT_EQ(vkr, VK_SUCCESS);
  volkLoadDevice(device_);
  vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);
  VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pci.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
  pci.queueFamilyIndex = queueFamily_;
  ASSERT_EQ(vkCreateCommandPool(device_, &pci, nullptr, &pool_), VK_SUCCESS);
  VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  ASSERT_EQ(vkCreateFence(device_, &fci, nullptr, &fence_), VK_SUCCESS);

  XrGraphicsBindingVulkan2KHR binding{XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR};
  binding.instance = vkInstance_;
  binding.physicalDevice = physicalDevice_;
  binding.device = device_;
  binding.queueFamilyIndex = queueFamily_;
  binding.queueIndex = 0;
  XrSessionCreateInfo sci{XR_TYPE_SESSION_CREATE_INFO};
  sci.next = &binding;
  sci.systemId = system_;
  XRS_CHECK(xrCreateSession(instance_, &sci, &session_));
  pollEvents();
  ASSERT_EQ(states_, (std::vector<XrSessionState>{XR_SESSION_STATE_IDLE, XR_SESSION_STATE_READY}));
  XrReferenceSpaceCreateInfo rci{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};
  rci.poseInReferenceSpace.orientation.w = 1;
  rci.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_LOCAL;
  XRS_CHECK(xrCreateReferenceSpace(session_, &rci, &local_));
  rci.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_STAGE;
  XRS_CHECK(xrCreateReferenceSpace(session_, &rci, &stage_));
}

void XrSimTest::beginSession() {
  XrSessionBeginInfo bi{XR_TYPE_SESSION_BEGIN_INFO};
  bi.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  XRS_CHECK(xrBeginSession(session_, &bi));
}

XrSwapchain XrSimTest::createSwapchain(VkFormat format, uint32_t w, uint32_t h, uint32_t arraySize,
                                       XrSwapchainUsageFlags usage) {
  XrSwapchainCreateInfo ci{XR_TYPE_SWAPCHAIN_CREATE_INFO};
  ci.usageFlags = usage;
  ci.format = format;
  ci.sampleCount = 1;
  ci.width = w;
  ci.height = h;
  ci.faceCount = 1;
  ci.arraySize = arraySize;
  ci.mipCount = 1;
  XrSwapchain sc = XR_NULL_HANDLE;
  const XrResult r = xrCreateSwapchain(session_, &ci, &sc);
  EXPECT_EQ(r, XR_SUCCESS) << "xrCreateSwapchain: " << name(r);
  if (sc) extraSwapchains_.push_back(sc);
  return sc;
}

void XrSimTest::createEyeSwapchains(VkFormat format) {
  for (auto& eye : eyes_) {
    eye = createSwapchain(format, viewWidth_, viewHeight_);
    ASSERT_NE(eye, XR_NULL_HANDLE);
  }
}

std::vector<VkImage> XrSimTest::swapchainImages(XrSwapchain swapchain) {
  uint32_t n = 0;
  EXPECT_EQ(xrEnumerateSwapchainImages(swapchain, 0, &n, nullptr), XR_SUCCESS);
  std::vector<XrSwapchainImageVulkan2KHR> images(n, {XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR});
  EXPECT_EQ(xrEnumerateSwapchainImages(swapchain, n, &n, reinterpret_cast<XrSwapchainImageBaseHeader*>(images.data())),
            XR_SUCCESS);
  std::vector<VkImage> out;
  for (const auto& i : images) out.push_back(i.image);
  return out;
}

std::vector<XrEventDataBuffer> XrSimTest::pollEvents() {
  std::vector<XrEventDataBuffer> events;
  for (;;) {
    XrEventDataBuffer ev{XR_TYPE_EVENT_DATA_BUFFER};
    if (xrPollEvent(instance_, &ev) != XR_SUCCESS) break;
    events.push_back(ev);
    if (ev.type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED) {
      state_ = reinterpret_cast<const XrEventDataSessionStateChanged&>(ev).state;
      states_.push_back(state_);
    } else if (ev.type == XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING) {
      lossPending_ = true;
    } else if (ev.type == XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED) {
      ++profileChanges_;
    }
  }
  return events;
}

void XrSimTest::clearSwapchain(XrSwapchain swapchain, const std::array<float, 4>& color, uint32_t arrayLayers) {
  const std::vector<VkImage> images = swapchainImages(swapchain);
  uint32_t index = 0;
  XRS_CHECK(xrAcquireSwapchainImage(swapchain, nullptr, &index));
  XrSwapchainImageWaitInfo wi{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO};
  wi.timeout = XR_INFINITE_DURATION;
  XRS_CHECK(xrWaitSwapchainImage(swapchain, &wi));
  VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  ai.commandPool = pool_;
  ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  ai.commandBufferCount = 1;
  VkCommandBuffer cmd = VK_NULL_HANDLE;
  ASSERT_EQ(vkAllocateCommandBuffers(device_, &ai, &cmd), VK_SUCCESS);
  VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  vkBeginCommandBuffer(cmd, &bi);
  // The runtime hands images over in COLOR_ATTACHMENT_OPTIMAL and wants them back so.
  VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
  b.srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
  b.dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  b.oldLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  b.newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
  b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.image = images[index];
  b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, arrayLayers};
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr,
                       0, nullptr, 1, &b);
  VkClearColorValue value{};
  std::memcpy(value.float32, color.data(), sizeof value.float32);
  vkCmdClearColorImage(cmd, images[index], VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &value, 1, &b.subresourceRange);
  b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  b.dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT;
  b.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
  b.newLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, 0, 0, nullptr,
                       0, nullptr, 1, &b);
  vkEndCommandBuffer(cmd);
  VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  si.commandBufferCount = 1;
  si.pCommandBuffers = &cmd;
  ASSERT_EQ(vkQueueSubmit(queue_, 1, &si, fence_), VK_SUCCESS);
  vkWaitForFences(device_, 1, &fence_, VK_TRUE, UINT64_MAX);
  vkResetFences(device_, 1, &fence_);
  vkFreeCommandBuffers(device_, pool_, 1, &cmd);
  XRS_CHECK(xrReleaseSwapchainImage(swapchain, nullptr));
}

std::vector<XrCompositionLayerProjectionView> XrSimTest::eyeViews(XrTime displayTime) {
  XrViewLocateInfo li{XR_TYPE_VIEW_LOCATE_INFO};
  li.viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  li.displayTime = displayTime;
  li.space = local_;
  XrViewState vs{XR_TYPE_VIEW_STATE};
  std::vector<XrView> views(2, {XR_TYPE_VIEW});
  uint32_t n = 0;
  EXPECT_EQ(xrLocateViews(session_, &li, &vs, 2, &n, views.data()), XR_SUCCESS);
  std::vector<XrCompositionLayerProjectionView> out(2, {XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW});
  for (int i = 0; i < 2; ++i) {
    out[i].pose = views[i].pose;
    out[i].fov = views[i].fov;
    out[i].subImage.swapchain = eyes_[i];
    out[i].subImage.imageRect = {{0, 0}, {static_cast<int32_t>(viewWidth_), static_cast<int32_t>(viewHeight_)}};
  }
  return out;
}

XrCompositionLayerProjection XrSimTest::projectionLayer(std::vector<XrCompositionLayerProjectionView>& views) {
  XrCompositionLayerProjection layer{XR_TYPE_COMPOSITION_LAYER_PROJECTION};
  layer.space = local_;
  layer.viewCount = static_cast<uint32_t>(views.size());
  layer.views = views.data();
  return layer;
}

XrFrameState XrSimTest::runFrame(const std::array<std::array<float, 4>, 2>& colors, XrResult* endResult) {
  XrFrameState fs{XR_TYPE_FRAME_STATE};
  EXPECT_TRUE(XR_SUCCEEDED(xrWaitFrame(session_, nullptr, &fs)));
  if (firstDisplayTime_ == 0) firstDisplayTime_ = fs.predictedDisplayTime;
  EXPECT_TRUE(XR_SUCCEEDED(xrBeginFrame(session_, nullptr)));
  XrFrameEndInfo ei{XR_TYPE_FRAME_END_INFO};
  ei.displayTime = fs.predictedDisplayTime;
  ei.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  std::vector<XrCompositionLayerProjectionView> views;
  XrCompositionLayerProjection layer{};
  const XrCompositionLayerBaseHeader* layers[1] = {};
  if (fs.shouldRender && eyes_[0] != XR_NULL_HANDLE) {
    for (int i = 0; i < 2; ++i) clearSwapchain(eyes_[i], colors[i]);
    views = eyeViews(fs.predictedDisplayTime);
    layer = projectionLayer(views);
    layers[0] = reinterpret_cast<const XrCompositionLayerBaseHeader*>(&layer);
    ei.layerCount = 1;
    ei.layers = layers;
  }
  const XrResult r = xrEndFrame(session_, &ei);
  if (endResult) {
    *endResult = r;
  } else {
    EXPECT_TRUE(XR_SUCCEEDED(r)) << "xrEndFrame: " << name(r);  // XR_SESSION_LOSS_PENDING is a success
  }
  pollEvents();
  return fs;
}

void XrSimTest::runUntil(XrSessionState state, int maxFrames) {
  for (int i = 0; i < maxFrames && state_ != state; ++i) runFrame();
  ASSERT_EQ(state_, state) << "after " << maxFrames << " frames the session is " << name(state_);
}

void XrSimTest::TearDown() {
  for (XrSwapchain sc : extraSwapchains_) xrDestroySwapchain(sc);
  if (session_) xrDestroySession(session_);  // frees the runtime's images: the device must still live
  if (device_) {
    vkDeviceWaitIdle(device_);
    if (fence_) vkDestroyFence(device_, fence_, nullptr);
    if (pool_) vkDestroyCommandPool(device_, pool_, nullptr);
    vkDestroyDevice(device_, nullptr);
  }
  if (messenger_) vkDestroyDebugUtilsMessengerEXT(vkInstance_, messenger_, nullptr);
  if (vkInstance_) vkDestroyInstance(vkInstance_, nullptr);
  if (instance_) xrDestroyInstance(instance_);
  EXPECT_EQ(validationMessages_, 0) << "the validation layer reported problems (see above)";
}

}  // namespace pav::test
