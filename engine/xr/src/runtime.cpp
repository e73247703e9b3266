// Runtime: extensions -> instance -> headset system -> stereo view configuration -> the
// Vulkan creator. Also the room's small shared pieces: result names and the clock.
//
// [SECTION] Names and clock
// [SECTION] Opening the runtime
// [SECTION] Vulkan through the runtime (XR_KHR_vulkan_enable2)
// [SECTION] Paths
#include "pav/xr/runtime.h"

#include <openxr/openxr_reflection.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "pav/core/log.h"
#include "xr_local.h"

namespace pav::xr {

// ---- [SECTION] Names and clock ------------------------------------------------------------

const char* resultName(XrResult r) {
  switch (r) {
#define PAV_XR_RESULT_CASE(name, value) \
  case name:                            \
    return #name;
    XR_LIST_ENUM_XrResult(PAV_XR_RESULT_CASE)
#undef PAV_XR_RESULT_CASE
    default:
      break;
  }
  static thread_local char buf[32];
  std::snprintf(buf, sizeof buf, "XrResult(%d)", static_cast<int>(r));
  return buf;
}

const char* availabilityName(Availability a) {
  switch (a) {
    case Availability::Ready: return "ready";
    case Availability::NoRuntime: return "no runtime";
    case Availability::NoHeadset: return "no headset";
    case Availability::Unsupported: return "unsupported runtime";
  }
  return "?";
}

namespace detail {
int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
}  // namespace detail

// ---- [SECTION] Opening the runtime --------------------------------------------------------
namespace {

Runtime::Opened refused(Availability a, std::string reason) {
  PAV_WARN("xr: %s", reason.c_str());
  Runtime::Opened o;
  o.availability = a;
  o.reason = std::move(reason);
  return o;
}

// Where the loader looks, for the message when it finds nothing.
std::string runtimeHint() {
  const char* json = std::getenv("XR_RUNTIME_JSON");
  if (json && *json)
    return std::string("XR_RUNTIME_JSON=") + json + " names no usable runtime manifest";
  return "no active runtime (install one, or set XR_RUNTIME_JSON to a runtime's manifest, e.g. the "
         "simulated headset's <build>/xr-sim/pav_xr_sim.json)";
}

std::string noRuntimeReason(const char* call, XrResult r) {
  if (r == XR_ERROR_RUNTIME_UNAVAILABLE || r == XR_ERROR_RUNTIME_FAILURE)
    return std::string("no OpenXR runtime: ") + call + " gave " + resultName(r) + "; " + runtimeHint();
  // The loader found a runtime, which refused to start (its own messages say why).
  return std::string("no OpenXR runtime: the runtime failed to start (") + call + " gave " + resultName(r) + ")";
}

template <typename PFN>
void loadFunction(XrInstance instance, const char* name, PFN& out) {
  PFN_xrVoidFunction fn = nullptr;
  XR_CHECK(xrGetInstanceProcAddr(instance, name, &fn));
  out = reinterpret_cast<PFN>(fn);
  PAV_CHECK(out != nullptr, "the OpenXR runtime has no %s although it offers its extension", name);
}

}  // namespace

Runtime::Opened Runtime::open(const RuntimeDesc& desc) {
  // Extensions first: this is where the loader first looks for a runtime.
  uint32_t count = 0;
  XrResult r = xrEnumerateInstanceExtensionProperties(nullptr, 0, &count, nullptr);
  if (XR_FAILED(r)) return refused(Availability::NoRuntime, noRuntimeReason("xrEnumerateInstanceExtensionProperties", r));
  std::vector<XrExtensionProperties> offered(count, {XR_TYPE_EXTENSION_PROPERTIES});
  r = xrEnumerateInstanceExtensionProperties(nullptr, count, &count, offered.data());
  if (XR_FAILED(r)) return refused(Availability::NoRuntime, noRuntimeReason("xrEnumerateInstanceExtensionProperties", r));
  const auto offers = [&](const char* name) {
    for (const XrExtensionProperties& e : offered)
      if (std::strcmp(e.extensionName, name) == 0) return true;
    return false;
  };
  if (!offers(XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME))
    return refused(Availability::Unsupported, "the OpenXR runtime does not offer " XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME
                                              ", which the engine's Vulkan renderer needs");
  std::vector<const char*> enable = {XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME};
  const bool depth = desc.depthLayers && offers(XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
  if (depth) enable.push_back(XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
  const bool presence = offers(kUserPresenceExtension);
  if (presence) enable.push_back(kUserPresenceExtension);

  XrInstanceCreateInfo info{XR_TYPE_INSTANCE_CREATE_INFO};
  std::snprintf(info.applicationInfo.applicationName, XR_MAX_APPLICATION_NAME_SIZE, "%s",
                desc.appName && *desc.appName ? desc.appName : "pavilion");
  info.applicationInfo.applicationVersion = desc.appVersion;
  std::snprintf(info.applicationInfo.engineName, XR_MAX_ENGINE_NAME_SIZE, "%s", "pavilion");
  info.applicationInfo.engineVersion = 1;
  info.applicationInfo.apiVersion = XR_MAKE_VERSION(1, 0, 0);
  info.enabledExtensionCount = static_cast<uint32_t>(enable.size());
  info.enabledExtensionNames = enable.data();

  std::unique_ptr<Runtime> rt(new Runtime);
  r = xrCreateInstance(&info, rt->instance_.put());
  if (r == XR_ERROR_API_VERSION_UNSUPPORTED)
    return refused(Availability::Unsupported, "the OpenXR runtime does not support OpenXR 1.0");
  if (XR_FAILED(r)) return refused(Availability::NoRuntime, noRuntimeReason("xrCreateInstance", r));

  XrInstanceProperties props{XR_TYPE_INSTANCE_PROPERTIES};
  XR_CHECK(xrGetInstanceProperties(rt->instance_, &props));
  char version[48];
  std::snprintf(version, sizeof version, " %u.%u.%u", XR_VERSION_MAJOR(props.runtimeVersion),
                XR_VERSION_MINOR(props.runtimeVersion), XR_VERSION_PATCH(props.runtimeVersion));
  rt->info_.runtimeName = std::string(props.runtimeName) + version;
  rt->info_.depthLayers = depth;

  XrSystemGetInfo systemInfo{XR_TYPE_SYSTEM_GET_INFO};
  systemInfo.formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY;
  r = xrGetSystem(rt->instance_, &systemInfo, &rt->system_);
  if (r == XR_ERROR_FORM_FACTOR_UNAVAILABLE)
    return refused(Availability::NoHeadset, "OpenXR runtime " + rt->info_.runtimeName +
                                                " has no headset connected (XR_ERROR_FORM_FACTOR_UNAVAILABLE); "
                                                "connect and wake it");
  if (XR_FAILED(r))
    return refused(Availability::Unsupported, "OpenXR runtime " + rt->info_.runtimeName +
                                                  " offers no head-mounted display (" + resultName(r) + ")");
  XrSystemProperties sys{XR_TYPE_SYSTEM_PROPERTIES};
  SystemUserPresencePropertiesEXT presenceProps{kTypeSystemUserPresenceProperties, nullptr, XR_FALSE};
  if (presence) sys.next = &presenceProps;
  XR_CHECK(xrGetSystemProperties(rt->instance_, rt->system_, &sys));
  rt->info_.userPresence = presence && presenceProps.supportsUserPresence == XR_TRUE;
  rt->info_.systemName = sys.systemName;
  rt->info_.maxLayers = sys.graphicsProperties.maxLayerCount;
  rt->info_.positionTracking = sys.trackingProperties.positionTracking == XR_TRUE;

  const XrInstance inst = rt->instance_;
  const XrSystemId sysId = rt->system_;
  const auto configs = detail::enumerate<XrViewConfigurationType>(
      [&](uint32_t cap, uint32_t* n, XrViewConfigurationType* out) { return xrEnumerateViewConfigurations(inst, sysId, cap, n, out); },
      "xrEnumerateViewConfigurations");
  bool stereo = false;
  for (XrViewConfigurationType t : configs) stereo = stereo || t == XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  if (!stereo)
    return refused(Availability::Unsupported, "headset " + rt->info_.systemName + " has no PRIMARY_STEREO view configuration");
  uint32_t viewCount = 0;
  XR_CHECK(xrEnumerateViewConfigurationViews(inst, sysId, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 0, &viewCount, nullptr));
  PAV_CHECK(viewCount == 2, "a PRIMARY_STEREO configuration with %u views", viewCount);
  XrViewConfigurationView views[2] = {{XR_TYPE_VIEW_CONFIGURATION_VIEW}, {XR_TYPE_VIEW_CONFIGURATION_VIEW}};
  XR_CHECK(xrEnumerateViewConfigurationViews(inst, sysId, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 2, &viewCount, views));
  for (int eye = 0; eye < 2; ++eye)
    rt->info_.eyes[eye] = {views[eye].recommendedImageRectWidth, views[eye].recommendedImageRectHeight,
                           views[eye].maxImageRectWidth, views[eye].maxImageRectHeight};

  const auto blends = detail::enumerate<XrEnvironmentBlendMode>(
      [&](uint32_t cap, uint32_t* n, XrEnvironmentBlendMode* out) {
        return xrEnumerateEnvironmentBlendModes(inst, sysId, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, cap, n, out);
      },
      "xrEnumerateEnvironmentBlendModes");
  bool opaque = false;
  for (XrEnvironmentBlendMode m : blends) opaque = opaque || m == XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  if (!opaque)
    return refused(Availability::Unsupported, "headset " + rt->info_.systemName + " is not a VR headset (no OPAQUE blend mode)");

  loadFunction(inst, "xrGetVulkanGraphicsRequirements2KHR", rt->ext_.getVulkanGraphicsRequirements2);
  loadFunction(inst, "xrCreateVulkanInstanceKHR", rt->ext_.createVulkanInstance);
  loadFunction(inst, "xrGetVulkanGraphicsDevice2KHR", rt->ext_.getVulkanGraphicsDevice2);
  loadFunction(inst, "xrCreateVulkanDeviceKHR", rt->ext_.createVulkanDevice);

  PAV_INFO("xr: %s, headset %s, %ux%u per eye%s", rt->info_.runtimeName.c_str(), rt->info_.systemName.c_str(),
           rt->info_.eyes[0].recommendedWidth, rt->info_.eyes[0].recommendedHeight, depth ? ", depth layers" : "");
  Opened o;
  o.runtime = std::move(rt);
  o.availability = Availability::Ready;
  return o;
}

Runtime::~Runtime() = default;

// ---- [SECTION] Vulkan through the runtime (XR_KHR_vulkan_enable2) -------------------------

void Runtime::queryGraphicsRequirements() {
  if (requirementsQueried_) return;
  XrGraphicsRequirementsVulkan2KHR reqs{XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
  XR_CHECK(ext_.getVulkanGraphicsRequirements2(instance_, system_, &reqs));
  minVulkan_ = reqs.minApiVersionSupported;
  maxVulkan_ = reqs.maxApiVersionSupported;
  requirementsQueried_ = true;
}

render::VulkanCreator Runtime::vulkanCreator() {
  render::VulkanCreator c;
  // Called by render::Context after it loaded the Vulkan loader (volkInitialize), so volk's
  // vkGetInstanceProcAddr is the loader's: the runtime creates through it.
  c.createInstance = [this](const VkInstanceCreateInfo& info, VkInstance& out) -> VkResult {
    queryGraphicsRequirements();
    const uint32_t api = info.pApplicationInfo ? info.pApplicationInfo->apiVersion : VK_API_VERSION_1_0;
    const XrVersion wanted = XR_MAKE_VERSION(VK_API_VERSION_MAJOR(api), VK_API_VERSION_MINOR(api), 0);
    if (wanted < minVulkan_)
      fail("the OpenXR runtime %s needs Vulkan %u.%u or newer; the engine asks for %u.%u", info_.runtimeName.c_str(),
           unsigned(XR_VERSION_MAJOR(minVulkan_)), unsigned(XR_VERSION_MINOR(minVulkan_)), VK_API_VERSION_MAJOR(api),
           VK_API_VERSION_MINOR(api));
    if (wanted > maxVulkan_)
      PAV_DEBUG("xr: the runtime is tested up to Vulkan %u.%u; the engine asks for %u.%u",
                unsigned(XR_VERSION_MAJOR(maxVulkan_)), unsigned(XR_VERSION_MINOR(maxVulkan_)),
                VK_API_VERSION_MAJOR(api), VK_API_VERSION_MINOR(api));
    XrVulkanInstanceCreateInfoKHR ci{XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR};
    ci.systemId = system_;
    ci.pfnGetInstanceProcAddr = vkGetInstanceProcAddr;
    ci.vulkanCreateInfo = &info;
    VkResult result = VK_ERROR_INITIALIZATION_FAILED;
    XR_CHECK(ext_.createVulkanInstance(instance_, &ci, &out, &result));
    return result;
  };
  c.physicalDevice = [this](VkInstance vkInstance) {
    XrVulkanGraphicsDeviceGetInfoKHR gi{XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR};
    gi.systemId = system_;
    gi.vulkanInstance = vkInstance;
    VkPhysicalDevice device = VK_NULL_HANDLE;
    XR_CHECK(ext_.getVulkanGraphicsDevice2(instance_, &gi, &device));
    return device;
  };
  c.createDevice = [this](VkPhysicalDevice physical, const VkDeviceCreateInfo& info, VkDevice& out) -> VkResult {
    XrVulkanDeviceCreateInfoKHR ci{XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR};
    ci.systemId = system_;
    ci.pfnGetInstanceProcAddr = vkGetInstanceProcAddr;
    ci.vulkanPhysicalDevice = physical;
    ci.vulkanCreateInfo = &info;
    VkResult result = VK_ERROR_INITIALIZATION_FAILED;
    XR_CHECK(ext_.createVulkanDevice(instance_, &ci, &out, &result));
    return result;
  };
  return c;
}

// ---- [SECTION] Paths ----------------------------------------------------------------------

XrPath Runtime::path(const char* text) const {
  XrPath p = XR_NULL_PATH;
  const XrResult r = xrStringToPath(instance_, text, &p);
  if (XR_FAILED(r)) fail("xrStringToPath(\"%s\") failed with %s", text, resultName(r));
  return p;
}

std::string Runtime::pathString(XrPath path) const {
  if (path == XR_NULL_PATH) return {};
  char buf[XR_MAX_PATH_LENGTH];
  uint32_t n = 0;
  if (XR_FAILED(xrPathToString(instance_, path, sizeof buf, &n, buf))) return {};
  return std::string(buf, n > 0 ? n - 1 : 0);
}

}  // namespace pav::xr
