// xr-sim sessions: creation with a Vulkan graphics binding, and the session state machine as a
// real runtime drives it.
//
//   xrCreateSession            -> IDLE -> READY
//   xrBeginSession, 1st frame  -> SYNCHRONIZED, 2nd frame -> VISIBLE, 3rd frame -> FOCUSED
//   xrRequestExitSession, or the runtime (PAV_XR_SIM_STOP_AFTER_FRAMES)
//                              -> (VISIBLE -> SYNCHRONIZED ->) STOPPING
//   xrEndSession               -> IDLE -> EXITING
//   PAV_XR_SIM_LOSE_AFTER_FRAMES -> LOSS_PENDING + XrEventDataInstanceLossPending; once the
//                                 application has polled that event, every call on the
//                                 instance returns XR_ERROR_INSTANCE_LOST.
// Frames advance the states in xrEndFrame (frame.cpp); the rest happens here.
#include <stdexcept>

#include "xr_sim_local.h"

namespace pav::xrsim {

Session::~Session() {
  // Swapchains first (they wait for the queue and free their images), then spaces, then
  // the VkContext (declared first, so destroyed last).
  swapchains.clear();
  spaces.clear();
}

Swapchain::~Swapchain() {
  // The application's last frame may still be reading or writing these images.
  if (session->vk) session->vk->waitIdle();
}

namespace api {

XrResult xrCreateSession(XrInstance instance, const XrSessionCreateInfo* info, XrSession* out) {
  return guarded("xrCreateSession", [&]() -> XrResult {
    const char* call = "xrCreateSession";
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (!info || info->type != XR_TYPE_SESSION_CREATE_INFO || !out || info->createFlags != 0) {
      return refuse(*inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrSessionCreateInfo with createFlags 0");
    }
    if (info->systemId != kSystemId) return refuse(*inst, call, XR_ERROR_SYSTEM_INVALID, "unknown systemId");
    if (inst->session) return refuse(*inst, call, XR_ERROR_LIMIT_REACHED, "this runtime runs one session per instance");
    const XrGraphicsBindingVulkanKHR* binding = nullptr;
    for (auto* s = static_cast<const XrBaseInStructure*>(info->next); s; s = s->next) {
      if (s->type == XR_TYPE_GRAPHICS_BINDING_VULKAN_KHR) binding = reinterpret_cast<const XrGraphicsBindingVulkanKHR*>(s);
    }
    if (!binding || !(inst->extVulkan || inst->extVulkan2)) {
      return refuse(*inst, call, XR_ERROR_GRAPHICS_DEVICE_INVALID,
                    "a session needs XR_KHR_vulkan_enable(2) and an XrGraphicsBindingVulkan(2)KHR in next "
                    "(headless sessions are not supported)");
    }
    if (!inst->requirementsQueried) {
      return refuse(*inst, call, XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING,
                    "call xrGetVulkanGraphicsRequirements(2)KHR before xrCreateSession");
    }
    if (!binding->instance || !binding->device || !inst->physicalDevice || binding->physicalDevice != inst->physicalDevice) {
      return refuse(*inst, call, XR_ERROR_GRAPHICS_DEVICE_INVALID,
                    "the binding's physicalDevice must be the one xrGetVulkanGraphicsDevice(2)KHR returned");
    }
    auto s = std::make_unique<Session>(inst);
    try {
      s->vk = std::make_unique<VkContext>(instanceProcAddrFor(*inst, binding->instance), binding->instance,
                                          binding->physicalDevice, binding->device, binding->queueFamilyIndex,
                                          binding->queueIndex);
    } catch (const std::runtime_error& e) {
      return refuse(*inst, call, XR_ERROR_GRAPHICS_DEVICE_INVALID, e.what());
    }
    Session& session = *s;
    inst->session = std::move(s);
    setState(session, XR_SESSION_STATE_IDLE);
    // Nothing keeps the simulated user from putting the headset on: ready at once.
    setState(session, XR_SESSION_STATE_READY);
    *out = toHandle<XrSession>(session);
    return XR_SUCCESS;
  });
}

XrResult xrDestroySession(XrSession session) {
  return guarded("xrDestroySession", [&]() -> XrResult {
    Session* s = lookup<Session>(session);  // allowed on a lost instance: it is how to clean up
    if (!s) return XR_ERROR_HANDLE_INVALID;
    Instance* inst = s->instance;
    if (!s->statsWritten) finishSession(*s);
    inst->session.reset();
    return XR_SUCCESS;
  });
}

XrResult xrBeginSession(XrSession session, const XrSessionBeginInfo* info) {
  return guarded("xrBeginSession", [&]() -> XrResult {
    const char* call = "xrBeginSession";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_SESSION_BEGIN_INFO) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrSessionBeginInfo");
    }
    if (s->running) return refuse(inst, call, XR_ERROR_SESSION_RUNNING, "the session is already running");
    if (s->state != XR_SESSION_STATE_READY) {
      return refuse(inst, call, XR_ERROR_SESSION_NOT_READY, std::string("the session is ") + stateName(s->state));
    }
    if (info->primaryViewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) {
      return refuse(inst, call, XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED, "only PRIMARY_STEREO");
    }
    s->running = true;
    s->viewConfig = info->primaryViewConfigurationType;
    // The display's vsync grid starts now; the script starts with the first frame.
    s->clockOrigin = nowNs();
    s->lastK = 0;
    s->waited.clear();
    s->begun.reset();
    s->scriptOrigin = 0;
    s->framesEnded = 0;
    updatePresence(*s, true);
    return success(*s);
  });
}

XrResult xrEndSession(XrSession session) {
  return guarded("xrEndSession", [&]() -> XrResult {
    const char* call = "xrEndSession";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!s->running) return refuse(inst, call, XR_ERROR_SESSION_NOT_RUNNING, "the session is not running");
    if (s->state != XR_SESSION_STATE_STOPPING) {
      return refuse(inst, call, XR_ERROR_SESSION_NOT_STOPPING,
                    std::string("the session is ") + stateName(s->state) + ", not STOPPING");
    }
    s->running = false;
    s->waited.clear();
    s->begun.reset();
    setState(*s, XR_SESSION_STATE_IDLE);
    if (s->exitRequested) setState(*s, XR_SESSION_STATE_EXITING);
    finishSession(*s);  // after the states, so the statistics show the whole run
    return XR_SUCCESS;
  });
}

XrResult xrRequestExitSession(XrSession session) {
  return guarded("xrRequestExitSession", [&]() -> XrResult {
    PAV_XR_LOOKUP(Session, s, session);
    if (!s->running) {
      return refuse(*s->instance, "xrRequestExitSession", XR_ERROR_SESSION_NOT_RUNNING, "the session is not running");
    }
    requestStop(*s, "the application requested exit");
    return success(*s);
  });
}

}  // namespace api
}  // namespace pav::xrsim
