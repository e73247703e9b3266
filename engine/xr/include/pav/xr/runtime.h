// The OpenXR runtime as the engine sees it: the instance (with XR_KHR_vulkan_enable2, and
// XR_KHR_composition_layer_depth when offered), the head-mounted system, its stereo view
// configuration, and the Vulkan creator that lets the runtime make the engine's VkInstance and
// VkDevice (xrCreateVulkanInstanceKHR / xrGetVulkanGraphicsDevice2KHR /
// xrCreateVulkanDeviceKHR, after xrGetVulkanGraphicsRequirements2KHR).
//
//   auto opened = xr::Runtime::open({.appName = "pavilion"});
//   if (!opened) { log "desktop: " + opened.reason; fall back; }
//   render::ContextDesc desc;  desc.creator = opened.runtime->vulkanCreator();
//   render::Context context(desc);
//
// No runtime is a normal outcome on a machine without a headset: open() reports it (with the
// loader's result and what to do) and never throws for it. Start-up failures after that (a
// runtime that cannot create the Vulkan device) throw pav::Error.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pav/render/context.h"
#include "pav/xr/handles.h"

namespace pav::xr {

enum class Availability {
  Ready,        // instance and headset system found
  NoRuntime,    // no runtime installed or it failed to start (XR_ERROR_RUNTIME_UNAVAILABLE / _FAILURE)
  NoHeadset,    // a runtime, but no head-mounted display connected (FORM_FACTOR_UNAVAILABLE)
  Unsupported,  // the runtime lacks XR_KHR_vulkan_enable2 or a stereo view configuration
};
const char* availabilityName(Availability a);

struct RuntimeDesc {
  const char* appName = "pavilion";
  uint32_t appVersion = 1;
  bool depthLayers = true;  // enable XR_KHR_composition_layer_depth when the runtime offers it
};

// One eye's view of the stereo configuration.
struct EyeConfig {
  uint32_t recommendedWidth = 0, recommendedHeight = 0;
  uint32_t maxWidth = 0, maxHeight = 0;
};

struct RuntimeInfo {
  std::string runtimeName;     // "Pavilion xr-sim 0.1.0"
  std::string systemName;      // the headset
  EyeConfig eyes[2];
  uint32_t maxLayers = 0;
  bool positionTracking = false;
  bool depthLayers = false;    // XR_KHR_composition_layer_depth enabled
  bool userPresence = false;   // XR_EXT_user_presence enabled and the headset senses its wearer
};

// XR_EXT_user_presence (OpenXR 1.0.30+; Debian's headers are 1.0.20, so declared here as the
// specification has them). The runtime queues XrEventDataUserPresenceChangedEXT when the
// visitor puts the headset on or takes it off.
inline constexpr const char* kUserPresenceExtension = "XR_EXT_user_presence";
inline constexpr XrStructureType kTypeEventDataUserPresenceChanged = XrStructureType(1000470000);
inline constexpr XrStructureType kTypeSystemUserPresenceProperties = XrStructureType(1000470001);
struct EventDataUserPresenceChangedEXT {
  XrStructureType type;
  const void* next;
  XrSession session;
  XrBool32 isUserPresent;
};
struct SystemUserPresencePropertiesEXT {
  XrStructureType type;
  void* next;
  XrBool32 supportsUserPresence;
};

// Extension entry points, loaded through xrGetInstanceProcAddr for this instance.
struct ExtensionFunctions {
  PFN_xrGetVulkanGraphicsRequirements2KHR getVulkanGraphicsRequirements2 = nullptr;
  PFN_xrCreateVulkanInstanceKHR createVulkanInstance = nullptr;
  PFN_xrGetVulkanGraphicsDevice2KHR getVulkanGraphicsDevice2 = nullptr;
  PFN_xrCreateVulkanDeviceKHR createVulkanDevice = nullptr;
};

class Runtime {
 public:
  struct Opened {
    std::unique_ptr<Runtime> runtime;  // set when availability is Ready
    Availability availability = Availability::NoRuntime;
    std::string reason;                // why not, in one line a person can act on
    explicit operator bool() const { return runtime != nullptr; }
  };
  // Creates the instance and finds the headset. Never throws for a missing runtime or
  // headset; logs one line (warn) saying which and why.
  static Opened open(const RuntimeDesc& desc = {});

  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  XrInstance instance() const { return instance_; }
  XrSystemId system() const { return system_; }
  const RuntimeInfo& info() const { return info_; }
  const ExtensionFunctions& ext() const { return ext_; }

  // For render::ContextDesc::creator. The functions refer to this runtime, which must outlive
  // the Context's construction (the context itself may outlive nothing of ours: destroy it
  // before the runtime).
  render::VulkanCreator vulkanCreator();
  // The Vulkan versions the runtime accepts; filled by the creator (XrVersion numbers).
  uint64_t minVulkanVersion() const { return minVulkan_; }
  uint64_t maxVulkanVersion() const { return maxVulkan_; }

  // An interned path ("/user/hand/left"), checked.
  XrPath path(const char* text) const;
  std::string pathString(XrPath path) const;

  // Set once the runtime reported the instance lost (an event or XR_ERROR_INSTANCE_LOST);
  // nothing but destruction is left to do with it.
  bool lost() const { return lost_; }
  void markLost() { lost_ = true; }

 private:
  Runtime() = default;
  void queryGraphicsRequirements();

  UniqueInstance instance_;
  XrSystemId system_ = XR_NULL_SYSTEM_ID;
  RuntimeInfo info_;
  ExtensionFunctions ext_;
  uint64_t minVulkan_ = 0, maxVulkan_ = 0;
  bool requirementsQueried_ = false;
  bool lost_ = false;
};

}  // namespace pav::xr
