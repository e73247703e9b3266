// The runtime side of the OpenXR loader <-> runtime interface (version 1), and the list of every
// function the runtime answers in xrGetInstanceProcAddr.
//
// [SECTION] Negotiation structures
// [SECTION] Function lists
//
// ---- [SECTION] Negotiation structures ------------------------------------------------------
//
// Debian's libopenxr-dev 1.0.20 ships no openxr_loader_negotiation.h, so the structures the
// loader passes to xrNegotiateLoaderRuntimeInterface are declared here. They must match the
// loader's own declarations byte for byte (src/common/loader_interfaces.h in the 1.0.20 SDK):
// the loader fills XrNegotiateLoaderInfo and reads back XrNegotiateRuntimeRequest, checking
// structType, structVersion and structSize before it trusts anything else.
//
// Only the runtime half is declared; the API-layer structures of the same header are not
// needed by a runtime.
#pragma once

#include <openxr/openxr.h>

#include <cstddef>
#include <cstdint>

extern "C" {

// Loader/runtime interface versions: 1 is the first and, for the 1.0 loaders, the only one.
#define XR_CURRENT_LOADER_RUNTIME_VERSION 1

// Structure tags of the negotiation structures (not XrStructureType values).
typedef enum XrLoaderInterfaceStructs {
  XR_LOADER_INTERFACE_STRUCT_UNINTIALIZED = 0,  // sic: the loader's own spelling
  XR_LOADER_INTERFACE_STRUCT_LOADER_INFO = 1,
  XR_LOADER_INTERFACE_STRUCT_API_LAYER_REQUEST = 2,
  XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST = 3,
  XR_LOADER_INTERFACE_STRUCT_API_LAYER_CREATE_INFO = 4,
  XR_LOADER_INTERFACE_STRUCT_API_LAYER_NEXT_INFO = 5,
  XR_LOADER_INTERFACE_STRUCTS_MAX_ENUM = 0x7FFFFFFF
} XrLoaderInterfaceStructs;

#define XR_LOADER_INFO_STRUCT_VERSION 1
typedef struct XrNegotiateLoaderInfo {
  XrLoaderInterfaceStructs structType;  // XR_LOADER_INTERFACE_STRUCT_LOADER_INFO
  uint32_t structVersion;               // XR_LOADER_INFO_STRUCT_VERSION
  size_t structSize;                    // sizeof(XrNegotiateLoaderInfo)
  uint32_t minInterfaceVersion;
  uint32_t maxInterfaceVersion;
  XrVersion minApiVersion;
  XrVersion maxApiVersion;
} XrNegotiateLoaderInfo;

#define XR_RUNTIME_INFO_STRUCT_VERSION 1
typedef struct XrNegotiateRuntimeRequest {
  XrLoaderInterfaceStructs structType;  // XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST
  uint32_t structVersion;               // XR_RUNTIME_INFO_STRUCT_VERSION
  size_t structSize;                    // sizeof(XrNegotiateRuntimeRequest)
  uint32_t runtimeInterfaceVersion;     // out: XR_CURRENT_LOADER_RUNTIME_VERSION
  XrVersion runtimeApiVersion;          // out: the OpenXR version the runtime implements
  PFN_xrGetInstanceProcAddr getInstanceProcAddr;  // out: the runtime's entry point
} XrNegotiateRuntimeRequest;

typedef XrResult(XRAPI_PTR* PFN_xrNegotiateLoaderRuntimeInterface)(const XrNegotiateLoaderInfo* loaderInfo,
                                                                   XrNegotiateRuntimeRequest* runtimeRequest);

}  // extern "C"

// The layout the 1.0.20 loader was compiled with (LP64): a size mismatch would make the
// loader reject the runtime, or worse, read the wrong fields.
static_assert(sizeof(XrLoaderInterfaceStructs) == 4);
static_assert(offsetof(XrNegotiateLoaderInfo, structSize) == 8);
static_assert(offsetof(XrNegotiateLoaderInfo, minApiVersion) == 24);
static_assert(sizeof(XrNegotiateLoaderInfo) == 40);
static_assert(offsetof(XrNegotiateRuntimeRequest, runtimeInterfaceVersion) == 16);
static_assert(offsetof(XrNegotiateRuntimeRequest, runtimeApiVersion) == 24);
static_assert(offsetof(XrNegotiateRuntimeRequest, getInstanceProcAddr) == 32);
static_assert(sizeof(XrNegotiateRuntimeRequest) == 40);

// ---- [SECTION] Function lists -------------------------------------------------------------
// X-macro lists of the functions xrGetInstanceProcAddr answers. Debian's 1.0.20
// openxr_reflection.h has no XR_LIST_FUNCTIONS_* macros (they arrived in later SDKs), so the
// lists are written out here in the specification's order; tests/xr-sim/function_table_test.cpp
// compares them with the PFN_ typedefs of openxr.h so that nothing can be forgotten, and
// entry.cpp static_asserts each implementation against its PFN_ type.
//
// Every OpenXR 1.0 core function. The first three may be queried without an instance.
#define PAV_XR_GLOBAL_FUNCTIONS(_) \
  _(xrEnumerateApiLayerProperties) \
  _(xrEnumerateInstanceExtensionProperties) \
  _(xrCreateInstance)

#define PAV_XR_CORE_INSTANCE_FUNCTIONS(_) \
  _(xrGetInstanceProcAddr) \
  _(xrDestroyInstance) \
  _(xrGetInstanceProperties) \
  _(xrPollEvent) \
  _(xrResultToString) \
  _(xrStructureTypeToString) \
  _(xrGetSystem) \
  _(xrGetSystemProperties) \
  _(xrEnumerateEnvironmentBlendModes) \
  _(xrCreateSession) \
  _(xrDestroySession) \
  _(xrEnumerateReferenceSpaces) \
  _(xrCreateReferenceSpace) \
  _(xrGetReferenceSpaceBoundsRect) \
  _(xrCreateActionSpace) \
  _(xrLocateSpace) \
  _(xrDestroySpace) \
  _(xrEnumerateViewConfigurations) \
  _(xrGetViewConfigurationProperties) \
  _(xrEnumerateViewConfigurationViews) \
  _(xrEnumerateSwapchainFormats) \
  _(xrCreateSwapchain) \
  _(xrDestroySwapchain) \
  _(xrEnumerateSwapchainImages) \
  _(xrAcquireSwapchainImage) \
  _(xrWaitSwapchainImage) \
  _(xrReleaseSwapchainImage) \
  _(xrBeginSession) \
  _(xrEndSession) \
  _(xrRequestExitSession) \
  _(xrWaitFrame) \
  _(xrBeginFrame) \
  _(xrEndFrame) \
  _(xrLocateViews) \
  _(xrStringToPath) \
  _(xrPathToString) \
  _(xrCreateActionSet) \
  _(xrDestroyActionSet) \
  _(xrCreateAction) \
  _(xrDestroyAction) \
  _(xrSuggestInteractionProfileBindings) \
  _(xrAttachSessionActionSets) \
  _(xrGetCurrentInteractionProfile) \
  _(xrGetActionStateBoolean) \
  _(xrGetActionStateFloat) \
  _(xrGetActionStateVector2f) \
  _(xrGetActionStatePose) \
  _(xrSyncActions) \
  _(xrEnumerateBoundSourcesForAction) \
  _(xrGetInputSourceLocalizedName) \
  _(xrApplyHapticFeedback) \
  _(xrStopHapticFeedback)

// XR_KHR_vulkan_enable (the legacy path: the application creates Vulkan objects itself).
#define PAV_XR_VULKAN_ENABLE_FUNCTIONS(_) \
  _(xrGetVulkanInstanceExtensionsKHR) \
  _(xrGetVulkanDeviceExtensionsKHR) \
  _(xrGetVulkanGraphicsDeviceKHR) \
  _(xrGetVulkanGraphicsRequirementsKHR)

// XR_KHR_vulkan_enable2 (the runtime creates the VkInstance and VkDevice for the application).
#define PAV_XR_VULKAN_ENABLE2_FUNCTIONS(_) \
  _(xrCreateVulkanInstanceKHR) \
  _(xrCreateVulkanDeviceKHR) \
  _(xrGetVulkanGraphicsDevice2KHR) \
  _(xrGetVulkanGraphicsRequirements2KHR)

// XR_KHR_composition_layer_depth adds a structure, no functions.
