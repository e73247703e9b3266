// xr-sim entry points: the only two symbols the library exports.
//
// The OpenXR loader opens the library named by the manifest's runtime.library_path, calls
// xrNegotiateLoaderRuntimeInterface, and from then on reaches every function through the
// xrGetInstanceProcAddr returned there. The 1.0.20 loader fills its dispatch table by asking
// for every core function and calls through the entries without checking them, so the
// table below answers every OpenXR 1.0 function (loader_interface.h lists them) and the
// functions of the extensions the runtime advertises.
//
// Rules of xrGetInstanceProcAddr (OpenXR 1.0, section 3.2):
// - with XR_NULL_HANDLE only xrEnumerateInstanceExtensionProperties,
//   xrEnumerateApiLayerProperties and xrCreateInstance are answered; anything else is
//   XR_ERROR_HANDLE_INVALID;
// - an extension's functions only for an instance that enabled the extension, otherwise
//   XR_ERROR_FUNCTION_UNSUPPORTED with a null pointer, as for a name nobody knows.
#include <cstring>

#include "xr_sim_local.h"

namespace pav::xrsim {
namespace {

enum class Group : uint8_t { Global, Core, VulkanEnable, VulkanEnable2 };
struct Entry {
  const char* name;
  PFN_xrVoidFunction fn;
  Group group;
};

// Each implementation has exactly the type of its PFN_ (a drifted signature fails here).
#define PAV_XR_CHECK_TYPE(name) static_assert(std::is_same_v<decltype(&api::name), PFN_##name>, #name);
PAV_XR_GLOBAL_FUNCTIONS(PAV_XR_CHECK_TYPE)
PAV_XR_CORE_INSTANCE_FUNCTIONS(PAV_XR_CHECK_TYPE)
PAV_XR_VULKAN_ENABLE_FUNCTIONS(PAV_XR_CHECK_TYPE)
PAV_XR_VULKAN_ENABLE2_FUNCTIONS(PAV_XR_CHECK_TYPE)
#undef PAV_XR_CHECK_TYPE

#define PAV_XR_GLOBAL(name) Entry{#name, reinterpret_cast<PFN_xrVoidFunction>(&api::name), Group::Global},
#define PAV_XR_CORE(name) Entry{#name, reinterpret_cast<PFN_xrVoidFunction>(&api::name), Group::Core},
#define PAV_XR_VK1(name) Entry{#name, reinterpret_cast<PFN_xrVoidFunction>(&api::name), Group::VulkanEnable},
#define PAV_XR_VK2(name) Entry{#name, reinterpret_cast<PFN_xrVoidFunction>(&api::name), Group::VulkanEnable2},
const Entry kEntries[] = {
    PAV_XR_GLOBAL_FUNCTIONS(PAV_XR_GLOBAL)          //
    PAV_XR_CORE_INSTANCE_FUNCTIONS(PAV_XR_CORE)     //
    PAV_XR_VULKAN_ENABLE_FUNCTIONS(PAV_XR_VK1)      //
    PAV_XR_VULKAN_ENABLE2_FUNCTIONS(PAV_XR_VK2)     //
};
#undef PAV_XR_GLOBAL
#undef PAV_XR_CORE
#undef PAV_XR_VK1
#undef PAV_XR_VK2

// 3 global + 52 core functions make OpenXR 1.0; 4 + 4 for the two Vulkan extensions.
static_assert(std::size(kEntries) == 3 + 52 + 4 + 4);

const Entry* findEntry(const char* name) {
  for (const Entry& e : kEntries) {
    if (std::strcmp(e.name, name) == 0) return &e;
  }
  return nullptr;
}

}  // namespace

namespace api {

XrResult xrGetInstanceProcAddr(XrInstance instance, const char* name, PFN_xrVoidFunction* function) {
  if (!function || !name) return XR_ERROR_VALIDATION_FAILURE;
  *function = nullptr;
  const Entry* e = findEntry(name);
  if (instance == XR_NULL_HANDLE) {
    if (!e || e->group != Group::Global) return XR_ERROR_HANDLE_INVALID;
    *function = e->fn;
    return XR_SUCCESS;
  }
  std::lock_guard<std::mutex> lock(runtimeMutex());
  const Instance* inst = lookup<Instance>(instance);
  if (!inst) return XR_ERROR_HANDLE_INVALID;
  // Answered even for a lost instance: the loader looks functions up while it tears the
  // instance down (xrDestroyInstance) and calls what it gets without checking.
  if (!e) return XR_ERROR_FUNCTION_UNSUPPORTED;
  if ((e->group == Group::VulkanEnable && !inst->extVulkan) || (e->group == Group::VulkanEnable2 && !inst->extVulkan2)) {
    return XR_ERROR_FUNCTION_UNSUPPORTED;
  }
  *function = e->fn;
  return XR_SUCCESS;
}

}  // namespace api
}  // namespace pav::xrsim

// ---- Exported symbols ---------------------------------------------------------------------
#define PAV_XR_EXPORT extern "C" __attribute__((visibility("default")))

PAV_XR_EXPORT XrResult XRAPI_CALL xrNegotiateLoaderRuntimeInterface(const XrNegotiateLoaderInfo* loaderInfo,
                                                                    XrNegotiateRuntimeRequest* runtimeRequest) {
  if (!loaderInfo || loaderInfo->structType != XR_LOADER_INTERFACE_STRUCT_LOADER_INFO ||
      loaderInfo->structVersion != XR_LOADER_INFO_STRUCT_VERSION || loaderInfo->structSize != sizeof(XrNegotiateLoaderInfo)) {
    return XR_ERROR_INITIALIZATION_FAILED;
  }
  if (!runtimeRequest || runtimeRequest->structType != XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST ||
      runtimeRequest->structVersion != XR_RUNTIME_INFO_STRUCT_VERSION ||
      runtimeRequest->structSize != sizeof(XrNegotiateRuntimeRequest)) {
    return XR_ERROR_INITIALIZATION_FAILED;
  }
  // Interface version 1 and OpenXR 1.0 must both lie in the loader's ranges.
  if (loaderInfo->minInterfaceVersion > XR_CURRENT_LOADER_RUNTIME_VERSION ||
      loaderInfo->maxInterfaceVersion < XR_CURRENT_LOADER_RUNTIME_VERSION) {
    return XR_ERROR_INITIALIZATION_FAILED;
  }
  constexpr XrVersion kApi = XR_MAKE_VERSION(1, 0, XR_VERSION_PATCH(XR_CURRENT_API_VERSION));
  if (loaderInfo->maxApiVersion < XR_MAKE_VERSION(1, 0, 0) || loaderInfo->minApiVersion > kApi) {
    return XR_ERROR_INITIALIZATION_FAILED;
  }
  runtimeRequest->runtimeInterfaceVersion = XR_CURRENT_LOADER_RUNTIME_VERSION;
  runtimeRequest->runtimeApiVersion = kApi;
  runtimeRequest->getInstanceProcAddr = &pav::xrsim::api::xrGetInstanceProcAddr;
  return XR_SUCCESS;
}

// Exported too (as real runtimes do) for tools that open the library directly; the loader
// only uses the pointer from the negotiation.
PAV_XR_EXPORT XrResult XRAPI_CALL xrGetInstanceProcAddr(XrInstance instance, const char* name,
                                                        PFN_xrVoidFunction* function) {
  return pav::xrsim::api::xrGetInstanceProcAddr(instance, name, function);
}
