// OpenXR access for the xr room: XR_CHECK, result and state names, and move-only owners of
// the OpenXR handles the engine creates (instance, session, space, swapchain, action set,
// action).
//
// Every handle lives in an owner from this header; owners are declared in creation order in
// the classes that hold them, so they are destroyed in reverse (hello_xr's rule). A handle of
// a lost instance is still destroyed: the runtime answers XR_ERROR_INSTANCE_LOST, which a
// destructor has no one to tell, so it is ignored.
#pragma once

// Vulkan's types (through volk) come first: openxr_platform.h declares the Vulkan bindings
// (XR_KHR_vulkan_enable2) in terms of them.
#include "pav/render/vk.h"
#ifndef XR_USE_GRAPHICS_API_VULKAN
#define XR_USE_GRAPHICS_API_VULKAN 1
#endif
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <utility>

#include "pav/core/error.h"

namespace pav::xr {

// "XR_ERROR_RUNTIME_UNAVAILABLE", or "XrResult(-42)" for codes the headers do not know.
const char* resultName(XrResult r);

// Whether a result says the instance is gone for good (XR_ERROR_INSTANCE_LOST) or the session
// is (XR_ERROR_SESSION_LOST): run-time states, never exceptions.
inline bool isLoss(XrResult r) { return r == XR_ERROR_INSTANCE_LOST || r == XR_ERROR_SESSION_LOST; }

// Owner of one handle destroyed with xrDestroyX(handle).
template <typename T, auto Destroy>
class Handle {
 public:
  Handle() = default;
  explicit Handle(T handle) : handle_(handle) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : handle_(std::exchange(o.handle_, T(XR_NULL_HANDLE))) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      handle_ = std::exchange(o.handle_, T(XR_NULL_HANDLE));
    }
    return *this;
  }

  T get() const { return handle_; }
  operator T() const { return handle_; }  // NOLINT: handles pass straight into xr calls
  explicit operator bool() const { return handle_ != T(XR_NULL_HANDLE); }
  // Where a create call writes the new handle; any handle held before is destroyed first.
  T* put() {
    reset();
    return &handle_;
  }
  void reset() {
    if (handle_ != T(XR_NULL_HANDLE)) (void)Destroy(handle_);
    handle_ = T(XR_NULL_HANDLE);
  }

 private:
  T handle_ = T(XR_NULL_HANDLE);
};

using UniqueInstance = Handle<XrInstance, &xrDestroyInstance>;
using UniqueSession = Handle<XrSession, &xrDestroySession>;
using UniqueSpace = Handle<XrSpace, &xrDestroySpace>;
using UniqueSwapchain = Handle<XrSwapchain, &xrDestroySwapchain>;
using UniqueActionSet = Handle<XrActionSet, &xrDestroyActionSet>;
using UniqueAction = Handle<XrAction, &xrDestroyAction>;

}  // namespace pav::xr

// Throws pav::Error naming the call, its XrResult, the file and the line. For calls whose
// failure is a bug or a start-up problem; the frame loop turns losses into states instead.
#define XR_CHECK(call)                                                                  \
  do {                                                                                  \
    const XrResult pav_xr_result_ = (call);                                             \
    if (XR_FAILED(pav_xr_result_))                                                      \
      ::pav::failCall(#call, ::pav::xr::resultName(pav_xr_result_), __FILE__, __LINE__); \
  } while (0)
