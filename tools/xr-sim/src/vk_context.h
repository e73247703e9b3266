// The runtime's view of the application's Vulkan device: function pointers, move-only owners
// of the Vulkan handles the runtime creates on that device, and one-shot command submission.
//
// The runtime never links Vulkan and never uses global Vulkan symbols: the application may
// use volk or its own loader, and a global `vkCreateImage` here could bind to the
// application's. Every pointer comes from the application's vkGetInstanceProcAddr (the one
// it passed to xrCreateVulkanInstanceKHR), or, on the legacy XR_KHR_vulkan_enable path, from
// the system's libvulkan.so.1, opened at run time.
//
// Owners are destroyed in reverse order of declaration; a Swapchain's images go before the
// session's VkContext, which goes before the application destroys its VkDevice.
#pragma once

#include <vulkan/vulkan.h>

#include <functional>
#include <string>
#include <utility>

namespace pav::xrsim {

// Instance-level functions the runtime needs (physical device choice, device creation).
struct InstanceFns {
  PFN_vkGetInstanceProcAddr getInstanceProcAddr = nullptr;
  PFN_vkEnumeratePhysicalDevices enumeratePhysicalDevices = nullptr;
  PFN_vkGetPhysicalDeviceProperties getPhysicalDeviceProperties = nullptr;
  PFN_vkGetPhysicalDeviceQueueFamilyProperties getPhysicalDeviceQueueFamilyProperties = nullptr;
  PFN_vkGetPhysicalDeviceMemoryProperties getPhysicalDeviceMemoryProperties = nullptr;
  PFN_vkGetPhysicalDeviceFormatProperties getPhysicalDeviceFormatProperties = nullptr;
  PFN_vkGetPhysicalDeviceImageFormatProperties getPhysicalDeviceImageFormatProperties = nullptr;
  PFN_vkCreateDevice createDevice = nullptr;
  PFN_vkGetDeviceProcAddr getDeviceProcAddr = nullptr;
  // Loads the functions through gipa; false (and a message) if one is missing.
  bool load(PFN_vkGetInstanceProcAddr gipa, VkInstance instance, std::string& error);
};

// Device-level functions for swapchain images, transitions and read-back.
struct DeviceFns {
  PFN_vkGetDeviceQueue getDeviceQueue = nullptr;
  PFN_vkCreateImage createImage = nullptr;
  PFN_vkDestroyImage destroyImage = nullptr;
  PFN_vkGetImageMemoryRequirements getImageMemoryRequirements = nullptr;
  PFN_vkBindImageMemory bindImageMemory = nullptr;
  PFN_vkAllocateMemory allocateMemory = nullptr;
  PFN_vkFreeMemory freeMemory = nullptr;
  PFN_vkMapMemory mapMemory = nullptr;
  PFN_vkUnmapMemory unmapMemory = nullptr;
  PFN_vkCreateBuffer createBuffer = nullptr;
  PFN_vkDestroyBuffer destroyBuffer = nullptr;
  PFN_vkGetBufferMemoryRequirements getBufferMemoryRequirements = nullptr;
  PFN_vkBindBufferMemory bindBufferMemory = nullptr;
  PFN_vkCreateCommandPool createCommandPool = nullptr;
  PFN_vkDestroyCommandPool destroyCommandPool = nullptr;
  PFN_vkAllocateCommandBuffers allocateCommandBuffers = nullptr;
  PFN_vkResetCommandBuffer resetCommandBuffer = nullptr;
  PFN_vkBeginCommandBuffer beginCommandBuffer = nullptr;
  PFN_vkEndCommandBuffer endCommandBuffer = nullptr;
  PFN_vkCmdPipelineBarrier cmdPipelineBarrier = nullptr;
  PFN_vkCmdCopyImageToBuffer cmdCopyImageToBuffer = nullptr;
  PFN_vkQueueSubmit queueSubmit = nullptr;
  PFN_vkQueueWaitIdle queueWaitIdle = nullptr;
  PFN_vkCreateFence createFence = nullptr;
  PFN_vkDestroyFence destroyFence = nullptr;
  PFN_vkWaitForFences waitForFences = nullptr;
  PFN_vkResetFences resetFences = nullptr;
  bool load(PFN_vkGetDeviceProcAddr gdpa, VkDevice device, std::string& error);
};

// A move-only owner of one device-level handle, destroyed with the DeviceFns member Destroy.
template <typename Handle, auto Destroy>
class DeviceOwner {
 public:
  DeviceOwner() = default;
  DeviceOwner(const DeviceFns* fns, VkDevice device, Handle handle) : fns_(fns), device_(device), handle_(handle) {}
  DeviceOwner(DeviceOwner&& o) noexcept
      : fns_(o.fns_), device_(o.device_), handle_(std::exchange(o.handle_, VK_NULL_HANDLE)) {}
  DeviceOwner& operator=(DeviceOwner&& o) noexcept {
    if (this != &o) {
      reset();
      fns_ = o.fns_;
      device_ = o.device_;
      handle_ = std::exchange(o.handle_, VK_NULL_HANDLE);
    }
    return *this;
  }
  DeviceOwner(const DeviceOwner&) = delete;
  DeviceOwner& operator=(const DeviceOwner&) = delete;
  ~DeviceOwner() { reset(); }

  void reset() {
    if (handle_ != VK_NULL_HANDLE) (fns_->*Destroy)(device_, handle_, nullptr);
    handle_ = VK_NULL_HANDLE;
  }
  Handle get() const { return handle_; }
  explicit operator bool() const { return handle_ != VK_NULL_HANDLE; }

 private:
  const DeviceFns* fns_ = nullptr;
  VkDevice device_ = VK_NULL_HANDLE;
  Handle handle_ = VK_NULL_HANDLE;
};

using UniqueImage = DeviceOwner<VkImage, &DeviceFns::destroyImage>;
using UniqueMemory = DeviceOwner<VkDeviceMemory, &DeviceFns::freeMemory>;
using UniqueBuffer = DeviceOwner<VkBuffer, &DeviceFns::destroyBuffer>;
using UniqueCommandPool = DeviceOwner<VkCommandPool, &DeviceFns::destroyCommandPool>;
using UniqueFence = DeviceOwner<VkFence, &DeviceFns::destroyFence>;

// Everything the runtime holds about the session's graphics binding. Created in
// xrCreateSession, destroyed in xrDestroySession after every swapchain of the session.
class VkContext {
 public:
  // Throws std::runtime_error with a readable message when the binding is unusable.
  VkContext(PFN_vkGetInstanceProcAddr gipa, VkInstance instance, VkPhysicalDevice physicalDevice, VkDevice device,
            uint32_t queueFamilyIndex, uint32_t queueIndex);
  VkContext(const VkContext&) = delete;
  VkContext& operator=(const VkContext&) = delete;
  ~VkContext();

  const InstanceFns& ifn() const { return ifn_; }
  const DeviceFns& fn() const { return fn_; }
  VkPhysicalDevice physicalDevice() const { return physicalDevice_; }
  VkDevice device() const { return device_; }
  VkQueue queue() const { return queue_; }

  // Index of a memory type allowed by typeBits with all of `wanted`, or UINT32_MAX.
  uint32_t memoryType(uint32_t typeBits, VkMemoryPropertyFlags wanted) const;
  // Records commands into the runtime's command buffer, submits them to the application's
  // queue (the binding's queue, as the XR_KHR_vulkan_enable contract allows in the calls
  // that take the session) and waits for them. Returns the first failing VkResult.
  VkResult submitAndWait(const std::function<void(VkCommandBuffer)>& record);
  // Waits until the application's queue is idle (before images are destroyed).
  void waitIdle() const;

 private:
  InstanceFns ifn_;
  DeviceFns fn_;
  VkPhysicalDevice physicalDevice_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  VkPhysicalDeviceMemoryProperties memory_{};
  UniqueCommandPool pool_;
  VkCommandBuffer cmd_ = VK_NULL_HANDLE;  // freed with pool_
  UniqueFence fence_;
};

// vkGetInstanceProcAddr of the system's Vulkan loader (libvulkan.so.1), for VkInstances the
// runtime did not create; nullptr if there is none.
PFN_vkGetInstanceProcAddr systemVulkanGetInstanceProcAddr();

}  // namespace pav::xrsim
