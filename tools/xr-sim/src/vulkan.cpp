// xr-sim and Vulkan: XR_KHR_vulkan_enable2 (the runtime creates the application's VkInstance
// and VkDevice through the application's vkGetInstanceProcAddr), the legacy
// XR_KHR_vulkan_enable, the choice of the physical device, and VkContext (function loading,
// one-shot submission on the application's queue).
//
// [SECTION] Function loading and VkContext
// [SECTION] Physical device choice
// [SECTION] XR_KHR_vulkan_enable2 and XR_KHR_vulkan_enable
#include <dlfcn.h>

#include <stdexcept>

#include "xr_sim_local.h"

namespace pav::xrsim {

// ---- [SECTION] Function loading and VkContext ---------------------------------------------
#define PAV_VK_LOAD(table, getter, handle, member, name)                                  \
  table.member = reinterpret_cast<PFN_##name>(getter(handle, #name));                      \
  if (!table.member) {                                                                     \
    error = #name " is missing";                                                           \
    return false;                                                                          \
  }

bool InstanceFns::load(PFN_vkGetInstanceProcAddr gipa, VkInstance instance, std::string& error) {
  getInstanceProcAddr = gipa;
  InstanceFns& t = *this;
  PAV_VK_LOAD(t, gipa, instance, enumeratePhysicalDevices, vkEnumeratePhysicalDevices)
  PAV_VK_LOAD(t, gipa, instance, getPhysicalDeviceProperties, vkGetPhysicalDeviceProperties)
  PAV_VK_LOAD(t, gipa, instance, getPhysicalDeviceQueueFamilyProperties, vkGetPhysicalDeviceQueueFamilyProperties)
  PAV_VK_LOAD(t, gipa, instance, getPhysicalDeviceMemoryProperties, vkGetPhysicalDeviceMemoryProperties)
  PAV_VK_LOAD(t, gipa, instance, getPhysicalDeviceFormatProperties, vkGetPhysicalDeviceFormatProperties)
  PAV_VK_LOAD(t, gipa, instance, getPhysicalDeviceImageFormatProperties, vkGetPhysicalDeviceImageFormatProperties)
  PAV_VK_LOAD(t, gipa, instance, createDevice, vkCreateDevice)
  PAV_VK_LOAD(t, gipa, instance, getDeviceProcAddr, vkGetDeviceProcAddr)
  return true;
}

bool DeviceFns::load(PFN_vkGetDeviceProcAddr gdpa, VkDevice device, std::string& error) {
  DeviceFns& t = *this;
  PAV_VK_LOAD(t, gdpa, device, getDeviceQueue, vkGetDeviceQueue)
  PAV_VK_LOAD(t, gdpa, device, createImage, vkCreateImage)
  PAV_VK_LOAD(t, gdpa, device, destroyImage, vkDestroyImage)
  PAV_VK_LOAD(t, gdpa, device, getImageMemoryRequirements, vkGetImageMemoryRequirements)
  PAV_VK_LOAD(t, gdpa, device, bindImageMemory, vkBindImageMemory)
  PAV_VK_LOAD(t, gdpa, device, allocateMemory, vkAllocateMemory)
  PAV_VK_LOAD(t, gdpa, device, freeMemory, vkFreeMemory)
  PAV_VK_LOAD(t, gdpa, device, mapMemory, vkMapMemory)
  PAV_VK_LOAD(t, gdpa, device, unmapMemory, vkUnmapMemory)
  PAV_VK_LOAD(t, gdpa, device, createBuffer, vkCreateBuffer)
  PAV_VK_LOAD(t, gdpa, device, destroyBuffer, vkDestroyBuffer)
  PAV_VK_LOAD(t, gdpa, device, getBufferMemoryRequirements, vkGetBufferMemoryRequirements)
  PAV_VK_LOAD(t, gdpa, device, bindBufferMemory, vkBindBufferMemory)
  PAV_VK_LOAD(t, gdpa, device, createCommandPool, vkCreateCommandPool)
  PAV_VK_LOAD(t, gdpa, device, destroyCommandPool, vkDestroyCommandPool)
  PAV_VK_LOAD(t, gdpa, device, allocateCommandBuffers, vkAllocateCommandBuffers)
  PAV_VK_LOAD(t, gdpa, device, resetCommandBuffer, vkResetCommandBuffer)
  PAV_VK_LOAD(t, gdpa, device, beginCommandBuffer, vkBeginCommandBuffer)
  PAV_VK_LOAD(t, gdpa, device, endCommandBuffer, vkEndCommandBuffer)
  PAV_VK_LOAD(t, gdpa, device, cmdPipelineBarrier, vkCmdPipelineBarrier)
  PAV_VK_LOAD(t, gdpa, device, cmdCopyImageToBuffer, vkCmdCopyImageToBuffer)
  PAV_VK_LOAD(t, gdpa, device, queueSubmit, vkQueueSubmit)
  PAV_VK_LOAD(t, gdpa, device, queueWaitIdle, vkQueueWaitIdle)
  PAV_VK_LOAD(t, gdpa, device, createFence, vkCreateFence)
  PAV_VK_LOAD(t, gdpa, device, destroyFence, vkDestroyFence)
  PAV_VK_LOAD(t, gdpa, device, waitForFences, vkWaitForFences)
  PAV_VK_LOAD(t, gdpa, device, resetFences, vkResetFences)
  return true;
}
#undef PAV_VK_LOAD

PFN_vkGetInstanceProcAddr systemVulkanGetInstanceProcAddr() {
  // Opened once and kept: Vulkan objects made through it outlive any single call.
  static PFN_vkGetInstanceProcAddr gipa = [] {
    void* lib = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
    return lib ? reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(lib, "vkGetInstanceProcAddr")) : nullptr;
  }();
  return gipa;
}

VkContext::VkContext(PFN_vkGetInstanceProcAddr gipa, VkInstance instance, VkPhysicalDevice physicalDevice,
                     VkDevice device, uint32_t queueFamilyIndex, uint32_t queueIndex)
    : physicalDevice_(physicalDevice), device_(device) {
  std::string error;
  if (!gipa || !ifn_.load(gipa, instance, error)) throw std::runtime_error("Vulkan instance functions: " + error);
  if (!fn_.load(ifn_.getDeviceProcAddr, device, error)) throw std::runtime_error("Vulkan device functions: " + error);
  fn_.getDeviceQueue(device_, queueFamilyIndex, queueIndex, &queue_);
  if (!queue_) throw std::runtime_error("the binding's queue does not exist");
  ifn_.getPhysicalDeviceMemoryProperties(physicalDevice_, &memory_);

  VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  poolInfo.queueFamilyIndex = queueFamilyIndex;
  VkCommandPool pool = VK_NULL_HANDLE;
  if (fn_.createCommandPool(device_, &poolInfo, nullptr, &pool) != VK_SUCCESS) {
    throw std::runtime_error("vkCreateCommandPool failed");
  }
  pool_ = UniqueCommandPool(&fn_, device_, pool);
  VkCommandBufferAllocateInfo cmdInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  cmdInfo.commandPool = pool;
  cmdInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  cmdInfo.commandBufferCount = 1;
  if (fn_.allocateCommandBuffers(device_, &cmdInfo, &cmd_) != VK_SUCCESS) {
    throw std::runtime_error("vkAllocateCommandBuffers failed");
  }
  VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  VkFence fence = VK_NULL_HANDLE;
  if (fn_.createFence(device_, &fenceInfo, nullptr, &fence) != VK_SUCCESS) throw std::runtime_error("vkCreateFence failed");
  fence_ = UniqueFence(&fn_, device_, fence);
}

VkContext::~VkContext() {
  // Nothing of ours may still run when the pool and fence go.
  if (queue_) fn_.queueWaitIdle(queue_);
}

uint32_t VkContext::memoryType(uint32_t typeBits, VkMemoryPropertyFlags wanted) const {
  for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
    if ((typeBits & (1u << i)) && (memory_.memoryTypes[i].propertyFlags & wanted) == wanted) return i;
  }
  return UINT32_MAX;
}

VkResult VkContext::submitAndWait(const std::function<void(VkCommandBuffer)>& record) {
  VkFence fence = fence_.get();
  VkResult r = fn_.resetFences(device_, 1, &fence);
  if (r == VK_SUCCESS) r = fn_.resetCommandBuffer(cmd_, 0);
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  if (r == VK_SUCCESS) r = fn_.beginCommandBuffer(cmd_, &begin);
  if (r != VK_SUCCESS) return r;
  record(cmd_);
  r = fn_.endCommandBuffer(cmd_);
  if (r != VK_SUCCESS) return r;
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd_;
  r = fn_.queueSubmit(queue_, 1, &submit, fence);
  if (r != VK_SUCCESS) return r;
  return fn_.waitForFences(device_, 1, &fence, VK_TRUE, UINT64_MAX);
}

void VkContext::waitIdle() const {
  if (queue_) fn_.queueWaitIdle(queue_);
}

// ---- [SECTION] Physical device choice -----------------------------------------------------
namespace {

// The GPU a real headset's runtime would use: the one named by PAV_XR_SIM_VK_DEVICE, else a
// discrete GPU, else integrated, virtual, CPU (lavapipe), in that order; it must draw.
XrResult choosePhysicalDevice(Instance& inst, const char* call, PFN_vkGetInstanceProcAddr gipa, VkInstance vkInstance,
                              VkPhysicalDevice* out) {
  InstanceFns fns;
  std::string error;
  if (!gipa || !fns.load(gipa, vkInstance, error)) {
    return refuse(inst, call, XR_ERROR_RUNTIME_FAILURE, "cannot load Vulkan functions: " + error);
  }
  uint32_t count = 0;
  fns.enumeratePhysicalDevices(vkInstance, &count, nullptr);
  std::vector<VkPhysicalDevice> devices(count);
  fns.enumeratePhysicalDevices(vkInstance, &count, devices.data());
  VkPhysicalDevice best = VK_NULL_HANDLE;
  int bestRank = -1;
  for (VkPhysicalDevice d : devices) {
    VkPhysicalDeviceProperties props{};
    fns.getPhysicalDeviceProperties(d, &props);
    uint32_t families = 0;
    fns.getPhysicalDeviceQueueFamilyProperties(d, &families, nullptr);
    std::vector<VkQueueFamilyProperties> fam(families);
    fns.getPhysicalDeviceQueueFamilyProperties(d, &families, fam.data());
    bool graphics = false;
    for (const auto& f : fam) graphics = graphics || (f.queueFlags & VK_QUEUE_GRAPHICS_BIT);
    if (!graphics) continue;
    if (!inst.config.vkDevice.empty() && std::string(props.deviceName).find(inst.config.vkDevice) == std::string::npos) {
      continue;
    }
    int rank = 0;
    switch (props.deviceType) {
      case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: rank = 4; break;
      case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: rank = 3; break;
      case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: rank = 2; break;
      case VK_PHYSICAL_DEVICE_TYPE_CPU: rank = 1; break;
      default: rank = 0; break;
    }
    if (rank > bestRank) {
      best = d;
      bestRank = rank;
    }
  }
  if (!best) {
    return refuse(inst, call, XR_ERROR_RUNTIME_FAILURE,
                  inst.config.vkDevice.empty() ? "no Vulkan device with a graphics queue"
                                               : "no Vulkan device named like PAV_XR_SIM_VK_DEVICE=" + inst.config.vkDevice);
  }
  inst.graphicsInstance = vkInstance;
  inst.physicalDevice = best;
  *out = best;
  return XR_SUCCESS;
}

PFN_vkGetInstanceProcAddr gipaFor(const Instance& inst, VkInstance vkInstance) {
  for (const auto& [i, gipa] : inst.vkInstances) {
    if (i == vkInstance) return gipa;
  }
  return systemVulkanGetInstanceProcAddr();
}

XrResult graphicsRequirements(const char* call, XrInstance instance, XrSystemId systemId,
                              XrGraphicsRequirementsVulkanKHR* reqs) {
  return guarded(call, [&]() -> XrResult {
    Instance* inst = lookup<Instance>(instance);
    if (!inst) return XR_ERROR_HANDLE_INVALID;
    if (XrResult r = liveness(*inst); r != XR_SUCCESS) return r;
    if (systemId != kSystemId) return refuse(*inst, call, XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    if (!reqs || reqs->type != XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN_KHR) {
      return refuse(*inst, call, XR_ERROR_VALIDATION_FAILURE, "requirements must be XrGraphicsRequirementsVulkan(2)KHR");
    }
    // Vulkan 1.0 is enough for the runtime; 1.3 is what it is tested with (lavapipe).
    reqs->minApiVersionSupported = XR_MAKE_VERSION(1, 0, 0);
    reqs->maxApiVersionSupported = XR_MAKE_VERSION(1, 3, 0);
    inst->requirementsQueried = true;
    return XR_SUCCESS;
  });
}


}  // namespace

// ---- [SECTION] XR_KHR_vulkan_enable2 and XR_KHR_vulkan_enable ----------------------------
namespace api {

XrResult xrGetVulkanGraphicsRequirements2KHR(XrInstance instance, XrSystemId systemId,
                                             XrGraphicsRequirementsVulkanKHR* reqs) {
  return graphicsRequirements("xrGetVulkanGraphicsRequirements2KHR", instance, systemId, reqs);
}

XrResult xrGetVulkanGraphicsRequirementsKHR(XrInstance instance, XrSystemId systemId,
                                            XrGraphicsRequirementsVulkanKHR* reqs) {
  return graphicsRequirements("xrGetVulkanGraphicsRequirementsKHR", instance, systemId, reqs);
}

XrResult xrCreateVulkanInstanceKHR(XrInstance instance, const XrVulkanInstanceCreateInfoKHR* info,
                                   VkInstance* vulkanInstance, VkResult* vulkanResult) {
  return guarded("xrCreateVulkanInstanceKHR", [&]() -> XrResult {
    const char* call = "xrCreateVulkanInstanceKHR";
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (!info || info->type != XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR || !vulkanInstance || !vulkanResult ||
        !info->pfnGetInstanceProcAddr || !info->vulkanCreateInfo || info->createFlags != 0) {
      return refuse(*inst, call, XR_ERROR_VALIDATION_FAILURE,
                    "needs an XrVulkanInstanceCreateInfoKHR with pfnGetInstanceProcAddr, vulkanCreateInfo, createFlags 0");
    }
    if (info->systemId != kSystemId) return refuse(*inst, call, XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    auto create = reinterpret_cast<PFN_vkCreateInstance>(info->pfnGetInstanceProcAddr(VK_NULL_HANDLE, "vkCreateInstance"));
    if (!create) return refuse(*inst, call, XR_ERROR_RUNTIME_FAILURE, "vkCreateInstance is missing");
    // The runtime needs nothing beyond Vulkan 1.0 core on the instance, so the
    // application's create info goes through unchanged.
    *vulkanResult = create(info->vulkanCreateInfo, info->vulkanAllocator, vulkanInstance);
    if (*vulkanResult == VK_SUCCESS) inst->vkInstances.emplace_back(*vulkanInstance, info->pfnGetInstanceProcAddr);
    return XR_SUCCESS;  // the Vulkan outcome travels in vulkanResult
  });
}

XrResult xrGetVulkanGraphicsDevice2KHR(XrInstance instance, const XrVulkanGraphicsDeviceGetInfoKHR* getInfo,
                                       VkPhysicalDevice* physicalDevice) {
  return guarded("xrGetVulkanGraphicsDevice2KHR", [&]() -> XrResult {
    const char* call = "xrGetVulkanGraphicsDevice2KHR";
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (!getInfo || getInfo->type != XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR || !physicalDevice ||
        !getInfo->vulkanInstance) {
      return refuse(*inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrVulkanGraphicsDeviceGetInfoKHR with a VkInstance");
    }
    if (getInfo->systemId != kSystemId) return refuse(*inst, call, XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    return choosePhysicalDevice(*inst, call, gipaFor(*inst, getInfo->vulkanInstance), getInfo->vulkanInstance,
                                physicalDevice);
  });
}

XrResult xrGetVulkanGraphicsDeviceKHR(XrInstance instance, XrSystemId systemId, VkInstance vkInstance,
                                      VkPhysicalDevice* physicalDevice) {
  return guarded("xrGetVulkanGraphicsDeviceKHR", [&]() -> XrResult {
    const char* call = "xrGetVulkanGraphicsDeviceKHR";
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (!vkInstance || !physicalDevice) return refuse(*inst, call, XR_ERROR_VALIDATION_FAILURE, "null argument");
    if (systemId != kSystemId) return refuse(*inst, call, XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    return choosePhysicalDevice(*inst, call, gipaFor(*inst, vkInstance), vkInstance, physicalDevice);
  });
}

XrResult xrCreateVulkanDeviceKHR(XrInstance instance, const XrVulkanDeviceCreateInfoKHR* info, VkDevice* vulkanDevice,
                                 VkResult* vulkanResult) {
  return guarded("xrCreateVulkanDeviceKHR", [&]() -> XrResult {
    const char* call = "xrCreateVulkanDeviceKHR";
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (!info || info->type != XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR || !vulkanDevice || !vulkanResult ||
        !info->pfnGetInstanceProcAddr || !info->vulkanCreateInfo || info->createFlags != 0) {
      return refuse(*inst, call, XR_ERROR_VALIDATION_FAILURE,
                    "needs an XrVulkanDeviceCreateInfoKHR with pfnGetInstanceProcAddr, vulkanCreateInfo, createFlags 0");
    }
    if (info->systemId != kSystemId) return refuse(*inst, call, XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    if (!inst->physicalDevice || info->vulkanPhysicalDevice != inst->physicalDevice) {
      return refuse(*inst, call, XR_ERROR_VALIDATION_FAILURE,
                    "vulkanPhysicalDevice must be the one xrGetVulkanGraphicsDevice2KHR returned");
    }
    auto create = reinterpret_cast<PFN_vkCreateDevice>(info->pfnGetInstanceProcAddr(inst->graphicsInstance, "vkCreateDevice"));
    if (!create) return refuse(*inst, call, XR_ERROR_RUNTIME_FAILURE, "vkCreateDevice is missing");
    // Swapchain images, barriers and copies are Vulkan 1.0 core: no extension to add.
    *vulkanResult = create(info->vulkanPhysicalDevice, info->vulkanCreateInfo, info->vulkanAllocator, vulkanDevice);
    return XR_SUCCESS;
  });
}

XrResult xrGetVulkanInstanceExtensionsKHR(XrInstance instance, XrSystemId systemId, uint32_t capacity,
                                          uint32_t* countOutput, char* buffer) {
  return guarded("xrGetVulkanInstanceExtensionsKHR", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (systemId != kSystemId) return refuse(*inst, "xrGetVulkanInstanceExtensionsKHR", XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    return copyString("", capacity, countOutput, buffer);  // none needed
  });
}

XrResult xrGetVulkanDeviceExtensionsKHR(XrInstance instance, XrSystemId systemId, uint32_t capacity,
                                        uint32_t* countOutput, char* buffer) {
  return guarded("xrGetVulkanDeviceExtensionsKHR", [&]() -> XrResult {
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (systemId != kSystemId) return refuse(*inst, "xrGetVulkanDeviceExtensionsKHR", XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    return copyString("", capacity, countOutput, buffer);
  });
}

}  // namespace api

// Used by xrCreateSession: the gipa for the session's VkInstance.
PFN_vkGetInstanceProcAddr instanceProcAddrFor(const Instance& inst, VkInstance vkInstance) {
  return gipaFor(inst, vkInstance);
}

}  // namespace pav::xrsim
