// Vulkan access for the render room: volk's function pointers (VK_NO_PROTOTYPES everywhere),
// VK_CHECK, and move-only owners for device-level handles.
//
// Every Vulkan handle the engine creates lives in an owner from this header or in a class
// that destroys it in its destructor, in reverse order of creation. Nothing here is a
// `destroy()` somebody can forget to call.
#pragma once

#ifndef VK_NO_PROTOTYPES
#define VK_NO_PROTOTYPES
#endif
#include <volk.h>

#include <utility>

#include "pav/core/error.h"

namespace pav::render {

// Name of a VkResult ("VK_ERROR_DEVICE_LOST"), or its number for unknown codes.
const char* resultName(VkResult r);

}  // namespace pav::render

// Throws pav::Error naming the call, its VkResult, the file and the line.
#define VK_CHECK(call)                                                                  \
  do {                                                                                  \
    const VkResult pav_vk_result_ = (call);                                             \
    if (pav_vk_result_ < 0)                                                             \
      ::pav::failCall(#call, ::pav::render::resultName(pav_vk_result_), __FILE__, __LINE__); \
  } while (0)

namespace pav::render {

// Owner of one handle destroyed with vkDestroyX(device, handle, nullptr). `Destroy` names
// volk's global function pointer, read at destruction time.
template <typename T, auto& Destroy>
class DeviceHandle {
 public:
  DeviceHandle() = default;
  DeviceHandle(VkDevice device, T handle) : device_(device), handle_(handle) {}
  ~DeviceHandle() { reset(); }
  DeviceHandle(const DeviceHandle&) = delete;
  DeviceHandle& operator=(const DeviceHandle&) = delete;
  DeviceHandle(DeviceHandle&& o) noexcept
      : device_(o.device_), handle_(std::exchange(o.handle_, T(VK_NULL_HANDLE))) {}
  DeviceHandle& operator=(DeviceHandle&& o) noexcept {
    if (this != &o) {
      reset();
      device_ = o.device_;
      handle_ = std::exchange(o.handle_, T(VK_NULL_HANDLE));
    }
    return *this;
  }

  T get() const { return handle_; }
  operator T() const { return handle_; }  // NOLINT: handles pass straight into vk calls
  explicit operator bool() const { return handle_ != T(VK_NULL_HANDLE); }
  void reset() {
    if (handle_ != T(VK_NULL_HANDLE)) Destroy(device_, handle_, nullptr);
    handle_ = T(VK_NULL_HANDLE);
  }

 private:
  VkDevice device_ = VK_NULL_HANDLE;
  T handle_ = T(VK_NULL_HANDLE);
};

using UniqueBuffer = DeviceHandle<VkBuffer, vkDestroyBuffer>;
using UniqueImage = DeviceHandle<VkImage, vkDestroyImage>;
using UniqueImageView = DeviceHandle<VkImageView, vkDestroyImageView>;
using UniqueMemory = DeviceHandle<VkDeviceMemory, vkFreeMemory>;
using UniqueFence = DeviceHandle<VkFence, vkDestroyFence>;
using UniqueSemaphore = DeviceHandle<VkSemaphore, vkDestroySemaphore>;
using UniqueCommandPool = DeviceHandle<VkCommandPool, vkDestroyCommandPool>;
using UniqueRenderPass = DeviceHandle<VkRenderPass, vkDestroyRenderPass>;
using UniqueFramebuffer = DeviceHandle<VkFramebuffer, vkDestroyFramebuffer>;
using UniqueShaderModule = DeviceHandle<VkShaderModule, vkDestroyShaderModule>;
using UniquePipeline = DeviceHandle<VkPipeline, vkDestroyPipeline>;
using UniquePipelineLayout = DeviceHandle<VkPipelineLayout, vkDestroyPipelineLayout>;
using UniqueDescriptorSetLayout = DeviceHandle<VkDescriptorSetLayout, vkDestroyDescriptorSetLayout>;
using UniqueDescriptorPool = DeviceHandle<VkDescriptorPool, vkDestroyDescriptorPool>;
using UniqueSampler = DeviceHandle<VkSampler, vkDestroySampler>;

}  // namespace pav::render
