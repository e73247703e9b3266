// xr-sim instance and system: extensions, instance creation (where the configuration and the
// script are read), events, the headset's system and view configuration, paths.
//
// The headset: one system (HMD form factor), PRIMARY_STEREO with two views of
// PAV_XR_SIM_VIEW / PAV_XR_SIM_SCALE pixels (1832 x 1920 by default), opaque blend only,
// orientation and position tracking, 16 layers, swapchain images up to 4096 x 4096.
#include <openxr/openxr_reflection.h>

#include <cstdio>

#include "xr_sim_local.h"

namespace pav::xrsim {
namespace {

struct ExtensionInfo {
  const char* name;
  uint32_t version;
};
constexpr ExtensionInfo kExtensions[] = {
    {XR_KHR_VULKAN_ENABLE_EXTENSION_NAME, XR_KHR_vulkan_enable_SPEC_VERSION},
    {XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME, XR_KHR_vulkan_enable2_SPEC_VERSION},
    {XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME, XR_KHR_composition_layer_depth_SPEC_VERSION},
    {kUserPresenceName, kUserPresenceVersion},
};

std::vector<std::unique_ptr<Instance>>& instances() {
  static std::vector<std::unique_ptr<Instance>> all;
  return all;
}


}  // namespace

namespace api {

XrResult xrEnumerateApiLayerProperties(uint32_t capacity, uint32_t* countOutput, XrApiLayerProperties* properties) {
  // A runtime has no API layers; the loader answers this call itself.
  return twoCall(capacity, countOutput, properties, 0u, [](XrApiLayerProperties&, uint32_t) {});
}

XrResult xrEnumerateInstanceExtensionProperties(const char* layerName, uint32_t capacity, uint32_t* countOutput,
                                                XrExtensionProperties* properties) {
  return guarded("xrEnumerateInstanceExtensionProperties", [&]() -> XrResult {
    if (layerName && *layerName) return XR_ERROR_API_LAYER_NOT_PRESENT;
    const uint32_t count = static_cast<uint32_t>(std::size(kExtensions));
    if (properties && capacity >= count) {
      for (uint32_t i = 0; i < count; ++i) {
        if (properties[i].type != XR_TYPE_EXTENSION_PROPERTIES) return XR_ERROR_VALIDATION_FAILURE;
      }
    }
    return twoCall(capacity, countOutput, properties, count, [](XrExtensionProperties& p, uint32_t i) {
      std::snprintf(p.extensionName, sizeof p.extensionName, "%s", kExtensions[i].name);
      p.extensionVersion = kExtensions[i].version;
    });
  });
}

XrResult xrCreateInstance(const XrInstanceCreateInfo* info, XrInstance* out) {
  return guarded("xrCreateInstance", [&]() -> XrResult {
    if (!info || info->type != XR_TYPE_INSTANCE_CREATE_INFO || !out) return XR_ERROR_VALIDATION_FAILURE;
    if (info->applicationInfo.applicationName[0] == '\0') return XR_ERROR_NAME_INVALID;
    const XrVersion v = info->applicationInfo.apiVersion;
    if (XR_VERSION_MAJOR(v) != 1 || XR_VERSION_MINOR(v) != 0) return XR_ERROR_API_VERSION_UNSUPPORTED;
    auto inst = std::make_unique<Instance>();
    for (uint32_t i = 0; i < info->enabledExtensionCount; ++i) {
      const std::string_view name = info->enabledExtensionNames[i];
      if (name == XR_KHR_VULKAN_ENABLE_EXTENSION_NAME) {
        inst->extVulkan = true;
      } else if (name == XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME) {
        inst->extVulkan2 = true;
      } else if (name == XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME) {
        inst->extDepth = true;
      } else if (name == kUserPresenceName) {
        inst->extPresence = true;
      } else {
        return XR_ERROR_EXTENSION_NOT_PRESENT;
      }
    }
    // Start-up failures stop here, with a line a person can act on.
    if (auto err = loadConfig(inst->config)) {
      std::fprintf(stderr, "pav_xr_sim: %s\n", err->c_str());
      return XR_ERROR_INITIALIZATION_FAILED;
    }
    if (inst->config.scriptPath.empty()) {
      inst->script = Script::builtIn();
    } else if (auto err = Script::load(inst->config.scriptPath, inst->script)) {
      std::fprintf(stderr, "pav_xr_sim: PAV_XR_SIM_SCRIPT: %s\n", err->c_str());
      return XR_ERROR_INITIALIZATION_FAILED;
    }
    inst->appName = info->applicationInfo.applicationName;
    logLine(*inst, 2,
            "instance for '" + inst->appName + "': " + std::to_string(inst->config.viewWidth) + "x" +
                std::to_string(inst->config.viewHeight) + " per eye at " + std::to_string(int(inst->config.hz)) +
                " Hz, script " + (inst->config.scriptPath.empty() ? "built-in" : inst->config.scriptPath));
    *out = toHandle<XrInstance>(*inst);
    instances().push_back(std::move(inst));
    return XR_SUCCESS;
  });
}

XrResult xrDestroyInstance(XrInstance instance) {
  return guarded("xrDestroyInstance", [&]() -> XrResult {
    Instance* inst = lookup<Instance>(instance);
    if (!inst) return XR_ERROR_HANDLE_INVALID;
    // Statistics only: pictures would need the application's VkDevice, which an application
    // that skipped xrDestroySession may already have destroyed.
    if (inst->session && !inst->session->statsWritten) {
      writeStats(*inst, inst->session.get());
      inst->session->statsWritten = true;
    }
    auto& all = instances();
    for (auto it = all.begin(); it != all.end(); ++it) {
      if (it->get() == inst) {
        all.erase(it);  // destroys the session, swapchains, spaces and action sets with it
        break;
      }
    }
    return XR_SUCCESS;
  });
}

XrResult xrGetInstanceProperties(XrInstance instance, XrInstanceProperties* props) {
  return guarded("xrGetInstanceProperties", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (!props || props->type != XR_TYPE_INSTANCE_PROPERTIES) {
      return refuse(*inst, "xrGetInstanceProperties", XR_ERROR_VALIDATION_FAILURE, "properties must be XrInstanceProperties");
    }
    props->runtimeVersion = kRuntimeVersion;
    std::snprintf(props->runtimeName, sizeof props->runtimeName, "%s", kRuntimeName);
    return XR_SUCCESS;
  });
}

XrResult xrPollEvent(XrInstance instance, XrEventDataBuffer* eventData) {
  return guarded("xrPollEvent", [&]() -> XrResult {
    Instance* inst = lookup<Instance>(instance);
    if (!inst) return XR_ERROR_HANDLE_INVALID;
    if (!eventData) return refuse(*inst, "xrPollEvent", XR_ERROR_VALIDATION_FAILURE, "eventData is null");
    if (inst->eventsLost > 0) {
      XrEventDataEventsLost lostEv{XR_TYPE_EVENT_DATA_EVENTS_LOST};
      lostEv.lostEventCount = static_cast<uint32_t>(inst->eventsLost);
      inst->eventsLost = 0;
      std::memcpy(eventData, &lostEv, sizeof lostEv);
      return XR_SUCCESS;
    }
    if (inst->events.empty()) return inst->lost ? XR_ERROR_INSTANCE_LOST : XR_EVENT_UNAVAILABLE;
    const XrEventDataBuffer ev = inst->events.front();
    inst->events.pop_front();
    std::memcpy(eventData, &ev, sizeof ev);
    // The application now knows: from here on the instance is lost.
    if (ev.type == XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING) inst->lost = true;
    return XR_SUCCESS;
  });
}

XrResult xrResultToString(XrInstance instance, XrResult value, char buffer[XR_MAX_RESULT_STRING_SIZE]) {
  return guarded("xrResultToString", [&]() -> XrResult {
    if (!lookup<Instance>(instance)) return XR_ERROR_HANDLE_INVALID;
    if (!buffer) return XR_ERROR_VALIDATION_FAILURE;
    const char* name = resultName(value);
    if (std::string_view(name) == "XR_UNKNOWN_RESULT") {
      std::snprintf(buffer, XR_MAX_RESULT_STRING_SIZE, "XR_UNKNOWN_%s_%d", value >= 0 ? "SUCCESS" : "FAILURE",
                    static_cast<int>(value));
    } else {
      std::snprintf(buffer, XR_MAX_RESULT_STRING_SIZE, "%s", name);
    }
    return XR_SUCCESS;
  });
}

XrResult xrStructureTypeToString(XrInstance instance, XrStructureType value,
                                 char buffer[XR_MAX_STRUCTURE_NAME_SIZE]) {
  return guarded("xrStructureTypeToString", [&]() -> XrResult {
    if (!lookup<Instance>(instance)) return XR_ERROR_HANDLE_INVALID;
    if (!buffer) return XR_ERROR_VALIDATION_FAILURE;
    const char* name = nullptr;
    switch (value) {
#define PAV_XR_TYPE_CASE(n, v) \
  case n:                      \
    name = #n;                 \
    break;
      XR_LIST_ENUM_XrStructureType(PAV_XR_TYPE_CASE)
#undef PAV_XR_TYPE_CASE
      default:
        break;
    }
    if (name) {
      std::snprintf(buffer, XR_MAX_STRUCTURE_NAME_SIZE, "%s", name);
    } else {
      std::snprintf(buffer, XR_MAX_STRUCTURE_NAME_SIZE, "XR_UNKNOWN_STRUCTURE_TYPE_%d", static_cast<int>(value));
    }
    return XR_SUCCESS;
  });
}

XrResult xrGetSystem(XrInstance instance, const XrSystemGetInfo* getInfo, XrSystemId* systemId) {
  return guarded("xrGetSystem", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (!getInfo || getInfo->type != XR_TYPE_SYSTEM_GET_INFO || !systemId) {
      return refuse(*inst, "xrGetSystem", XR_ERROR_VALIDATION_FAILURE, "getInfo must be XrSystemGetInfo");
    }
    if (getInfo->formFactor == XR_FORM_FACTOR_HANDHELD_DISPLAY) return XR_ERROR_FORM_FACTOR_UNSUPPORTED;
    if (getInfo->formFactor != XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY) {
      return refuse(*inst, "xrGetSystem", XR_ERROR_VALIDATION_FAILURE, "formFactor is not an XrFormFactor");
    }
    *systemId = kSystemId;
    return XR_SUCCESS;
  });
}

XrResult xrGetSystemProperties(XrInstance instance, XrSystemId systemId, XrSystemProperties* props) {
  return guarded("xrGetSystemProperties", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (systemId != kSystemId) return refuse(*inst, "xrGetSystemProperties", XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    if (!props || props->type != XR_TYPE_SYSTEM_PROPERTIES) {
      return refuse(*inst, "xrGetSystemProperties", XR_ERROR_VALIDATION_FAILURE, "properties must be XrSystemProperties");
    }
    props->systemId = kSystemId;
    props->vendorId = 0x5041;  // "PA"
    std::snprintf(props->systemName, sizeof props->systemName, "Pavilion xr-sim headset (%ux%u, %d Hz)",
                  inst->config.viewWidth, inst->config.viewHeight, static_cast<int>(inst->config.hz));
    props->graphicsProperties.maxSwapchainImageWidth = kMaxImageSize;
    props->graphicsProperties.maxSwapchainImageHeight = kMaxImageSize;
    props->graphicsProperties.maxLayerCount = kMaxLayers;
    props->trackingProperties.orientationTracking = XR_TRUE;
    props->trackingProperties.positionTracking = XR_TRUE;
    // Chained structures this runtime knows; others are left as they are.
    for (auto* n = static_cast<XrBaseOutStructure*>(props->next); n; n = n->next) {
      if (n->type == kTypeSystemUserPresenceProperties && inst->extPresence)
        reinterpret_cast<SystemUserPresencePropertiesEXT*>(n)->supportsUserPresence = XR_TRUE;
    }
    return XR_SUCCESS;
  });
}

XrResult xrEnumerateEnvironmentBlendModes(XrInstance instance, XrSystemId systemId, XrViewConfigurationType viewType,
                                          uint32_t capacity, uint32_t* countOutput, XrEnvironmentBlendMode* modes) {
  return guarded("xrEnumerateEnvironmentBlendModes", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (systemId != kSystemId) return refuse(*inst, "xrEnumerateEnvironmentBlendModes", XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    if (viewType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
    return twoCall(capacity, countOutput, modes, 1u,
                   [](XrEnvironmentBlendMode& m, uint32_t) { m = XR_ENVIRONMENT_BLEND_MODE_OPAQUE; });
  });
}

XrResult xrEnumerateViewConfigurations(XrInstance instance, XrSystemId systemId, uint32_t capacity,
                                       uint32_t* countOutput, XrViewConfigurationType* types) {
  return guarded("xrEnumerateViewConfigurations", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (systemId != kSystemId) return refuse(*inst, "xrEnumerateViewConfigurations", XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    return twoCall(capacity, countOutput, types, 1u,
                   [](XrViewConfigurationType& t, uint32_t) { t = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO; });
  });
}

XrResult xrGetViewConfigurationProperties(XrInstance instance, XrSystemId systemId, XrViewConfigurationType viewType,
                                          XrViewConfigurationProperties* props) {
  return guarded("xrGetViewConfigurationProperties", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (systemId != kSystemId) return refuse(*inst, "xrGetViewConfigurationProperties", XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    if (viewType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
    if (!props || props->type != XR_TYPE_VIEW_CONFIGURATION_PROPERTIES) {
      return refuse(*inst, "xrGetViewConfigurationProperties", XR_ERROR_VALIDATION_FAILURE,
                    "properties must be XrViewConfigurationProperties");
    }
    props->viewConfigurationType = viewType;
    props->fovMutable = XR_TRUE;
    return XR_SUCCESS;
  });
}

XrResult xrEnumerateViewConfigurationViews(XrInstance instance, XrSystemId systemId, XrViewConfigurationType viewType,
                                           uint32_t capacity, uint32_t* countOutput, XrViewConfigurationView* views) {
  return guarded("xrEnumerateViewConfigurationViews", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (systemId != kSystemId) return refuse(*inst, "xrEnumerateViewConfigurationViews", XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    if (viewType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
    if (views && capacity >= 2 && (views[0].type != XR_TYPE_VIEW_CONFIGURATION_VIEW || views[1].type != XR_TYPE_VIEW_CONFIGURATION_VIEW)) {
      return refuse(*inst, "xrEnumerateViewConfigurationViews", XR_ERROR_VALIDATION_FAILURE,
                    "views must be XrViewConfigurationView");
    }
    const Config& c = inst->config;
    return twoCall(capacity, countOutput, views, 2u, [&](XrViewConfigurationView& v, uint32_t) {
      v.recommendedImageRectWidth = c.viewWidth;
      v.recommendedImageRectHeight = c.viewHeight;
      v.maxImageRectWidth = kMaxImageSize;
      v.maxImageRectHeight = kMaxImageSize;
      v.recommendedSwapchainSampleCount = 1;
      v.maxSwapchainSampleCount = 1;
    });
  });
}

XrResult xrStringToPath(XrInstance instance, const char* pathString, XrPath* path) {
  return guarded("xrStringToPath", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (!pathString || !path) return refuse(*inst, "xrStringToPath", XR_ERROR_VALIDATION_FAILURE, "null argument");
    if (!isWellFormedPath(pathString)) {
      return refuse(*inst, "xrStringToPath", XR_ERROR_PATH_FORMAT_INVALID, std::string("'") + pathString + "'");
    }
    *path = inst->paths.intern(pathString);
    return XR_SUCCESS;
  });
}

XrResult xrPathToString(XrInstance instance, XrPath path, uint32_t capacity, uint32_t* countOutput, char* buffer) {
  return guarded("xrPathToString", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    const std::string* name = inst->paths.name(path);
    if (!name) return refuse(*inst, "xrPathToString", XR_ERROR_PATH_INVALID, "unknown path " + std::to_string(path));
    return copyString(*name, capacity, countOutput, buffer);
  });
}

}  // namespace api
}  // namespace pav::xrsim
