// xr-sim frames: xrWaitFrame paces the application to the display, xrBeginFrame and xrEndFrame
// check the frame's call order and every submitted layer as a compositor would.
//
// Display timing: vsyncs fall at V_k = begin + k * period (period = 1 / PAV_XR_SIM_HZ).
// xrWaitFrame sleeps until the vsync that starts the frame's period and predicts the next
// one as its display time, so an application that keeps up runs exactly one frame per period;
// one that is late (xrEndFrame after its predicted display time) has missed a frame and its
// next xrWaitFrame lands a period later. Both are counted (stats.cpp).
//
// xrEndFrame refuses (XR_ERROR_*; the frame stays begun, nothing is shown, the violation is
// counted): no xrBeginFrame (CALL_ORDER_INVALID), a displayTime other than the one
// xrWaitFrame predicted for this frame (TIME_INVALID), a blend mode other than OPAQUE
// (ENVIRONMENT_BLEND_MODE_UNSUPPORTED), too many layers (LAYER_LIMIT_EXCEEDED), a layer type
// other than projection or quad (LAYER_INVALID), a swapchain with no released image
// (LAYER_INVALID), an image rectangle outside its swapchain (SWAPCHAIN_RECT_INVALID), a
// pose whose orientation is not a unit quaternion (POSE_INVALID), a projection layer without
// exactly two views, an array index past the swapchain's layers, inconsistent depth info
// (VALIDATION_FAILURE), a space or swapchain of another session (HANDLE_INVALID).
#include <cmath>

#include "pose_math.h"
#include "xr_sim_local.h"

namespace pav::xrsim {
namespace {

int64_t periodNs(const Instance& inst) { return std::llround(1e9 / inst.config.hz); }

struct Check {
  XrResult code = XR_SUCCESS;
  std::string detail;
  explicit operator bool() const { return code != XR_SUCCESS; }
};
Check bad(XrResult code, std::string detail) { return {code, std::move(detail)}; }

Check checkSubImage(const Session& s, const XrSwapchainSubImage& sub, bool wantDepth, const std::string& where,
                    const Swapchain** out) {
  const Swapchain* sc = lookup<Swapchain>(sub.swapchain);
  if (!sc || sc->session != &s) return bad(XR_ERROR_HANDLE_INVALID, where + ": unknown swapchain");
  if (sc->lastReleased < 0) {
    return bad(XR_ERROR_LAYER_INVALID, where + ": the swapchain has no released image (acquire, wait, release first)");
  }
  const XrRect2Di& r = sub.imageRect;
  if (r.offset.x < 0 || r.offset.y < 0 || r.extent.width <= 0 || r.extent.height <= 0 ||
      static_cast<int64_t>(r.offset.x) + r.extent.width > static_cast<int64_t>(sc->info.width) ||
      static_cast<int64_t>(r.offset.y) + r.extent.height > static_cast<int64_t>(sc->info.height)) {
    return bad(XR_ERROR_SWAPCHAIN_RECT_INVALID,
               where + ": imageRect (" + std::to_string(r.offset.x) + "," + std::to_string(r.offset.y) + " " +
                   std::to_string(r.extent.width) + "x" + std::to_string(r.extent.height) + ") is outside the " +
                   std::to_string(sc->info.width) + "x" + std::to_string(sc->info.height) + " swapchain");
  }
  if (sub.imageArrayIndex >= sc->info.arraySize) {
    return bad(XR_ERROR_VALIDATION_FAILURE, where + ": imageArrayIndex " + std::to_string(sub.imageArrayIndex) +
                                                " is past the swapchain's " + std::to_string(sc->info.arraySize) + " layer(s)");
  }
  if (wantDepth != isDepthFormat(sc->format)) {
    return bad(XR_ERROR_VALIDATION_FAILURE,
               where + (wantDepth ? ": depth info must use a depth-format swapchain" : ": a colour image must not be depth"));
  }
  if (out) *out = sc;
  return {};
}

Check checkSpace(const Session& s, XrSpace space, const std::string& where) {
  const Space* sp = lookup<Space>(space);
  if (!sp || sp->session != &s) return bad(XR_ERROR_HANDLE_INVALID, where + ": unknown space");
  return {};
}

Check checkProjection(const Session& s, const XrCompositionLayerProjection& layer, const std::string& where,
                      std::array<SubmittedView, 2>* views) {
  if (Check c = checkSpace(s, layer.space, where)) return c;
  if (layer.viewCount != 2 || !layer.views) {
    return bad(XR_ERROR_VALIDATION_FAILURE,
               where + ": a PRIMARY_STEREO projection layer needs exactly 2 views, got " + std::to_string(layer.viewCount));
  }
  for (uint32_t v = 0; v < 2; ++v) {
    const XrCompositionLayerProjectionView& view = layer.views[v];
    const std::string w = where + ".views[" + std::to_string(v) + "]";
    if (view.type != XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW) {
      return bad(XR_ERROR_VALIDATION_FAILURE, w + ": type must be XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW");
    }
    if (!isValidPose(view.pose)) return bad(XR_ERROR_POSE_INVALID, w + ": the pose's orientation is not a unit quaternion");
    const Swapchain* sc = nullptr;
    if (Check c = checkSubImage(s, view.subImage, false, w, &sc)) return c;
    (*views)[v] = {sc->handle, static_cast<uint32_t>(sc->lastReleased), sc->images[sc->lastReleased].acquisitions,
                   view.subImage.imageRect, view.subImage.imageArrayIndex};
    for (auto* n = static_cast<const XrBaseInStructure*>(view.next); n; n = n->next) {
      if (n->type != XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR || !s.instance->extDepth) continue;
      const auto& d = *reinterpret_cast<const XrCompositionLayerDepthInfoKHR*>(n);
      if (Check c = checkSubImage(s, d.subImage, true, w + ".depth", nullptr)) return c;
      if (!(d.minDepth >= 0 && d.maxDepth <= 1 && d.minDepth < d.maxDepth)) {
        return bad(XR_ERROR_VALIDATION_FAILURE, w + ".depth: need 0 <= minDepth < maxDepth <= 1");
      }
      if (std::isnan(d.nearZ) || std::isnan(d.farZ) || d.nearZ < 0 || d.farZ < 0 || d.nearZ == d.farZ) {
        return bad(XR_ERROR_VALIDATION_FAILURE, w + ".depth: nearZ and farZ must differ and be >= 0 (farZ may be +inf)");
      }
    }
  }
  return {};
}

Check checkQuad(const Session& s, const XrCompositionLayerQuad& layer, const std::string& where) {
  if (Check c = checkSpace(s, layer.space, where)) return c;
  if (layer.eyeVisibility > XR_EYE_VISIBILITY_RIGHT) return bad(XR_ERROR_VALIDATION_FAILURE, where + ": bad eyeVisibility");
  if (!isValidPose(layer.pose)) return bad(XR_ERROR_POSE_INVALID, where + ": the pose's orientation is not a unit quaternion");
  if (!(layer.size.width > 0 && layer.size.height > 0) || !std::isfinite(layer.size.width) || !std::isfinite(layer.size.height)) {
    return bad(XR_ERROR_VALIDATION_FAILURE, where + ": size must be positive");
  }
  return checkSubImage(s, layer.subImage, false, where, nullptr);
}

Check checkFrame(const Session& s, const XrFrameEndInfo& info, std::array<SubmittedView, 2>* projection, bool* haveProjection) {
  if (info.displayTime != s.begun->displayTime) {
    return bad(XR_ERROR_TIME_INVALID, "displayTime " + std::to_string(info.displayTime) +
                                          " is not the predictedDisplayTime xrWaitFrame gave for this frame (" +
                                          std::to_string(s.begun->displayTime) + ")");
  }
  if (info.environmentBlendMode != XR_ENVIRONMENT_BLEND_MODE_OPAQUE) {
    return bad(XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED, "the headset only shows OPAQUE");
  }
  if (info.layerCount > kMaxLayers) {
    return bad(XR_ERROR_LAYER_LIMIT_EXCEEDED, std::to_string(info.layerCount) + " layers, at most 16");
  }
  if (info.layerCount > 0 && !info.layers) return bad(XR_ERROR_VALIDATION_FAILURE, "layers is null");
  constexpr XrCompositionLayerFlags kKnownFlags = XR_COMPOSITION_LAYER_CORRECT_CHROMATIC_ABERRATION_BIT |
                                                  XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT |
                                                  XR_COMPOSITION_LAYER_UNPREMULTIPLIED_ALPHA_BIT;
  for (uint32_t i = 0; i < info.layerCount; ++i) {
    const XrCompositionLayerBaseHeader* layer = info.layers[i];
    const std::string where = "layers[" + std::to_string(i) + "]";
    if (!layer) return bad(XR_ERROR_LAYER_INVALID, where + " is null");
    if (layer->layerFlags & ~kKnownFlags) return bad(XR_ERROR_VALIDATION_FAILURE, where + ": unknown layerFlags");
    if (layer->type == XR_TYPE_COMPOSITION_LAYER_PROJECTION) {
      std::array<SubmittedView, 2> views{};
      if (Check c = checkProjection(s, *reinterpret_cast<const XrCompositionLayerProjection*>(layer), where, &views)) return c;
      if (!*haveProjection) *projection = views;  // the first projection layer is the one pictured
      *haveProjection = true;
    } else if (layer->type == XR_TYPE_COMPOSITION_LAYER_QUAD) {
      if (Check c = checkQuad(s, *reinterpret_cast<const XrCompositionLayerQuad*>(layer), where)) return c;
    } else {
      return bad(XR_ERROR_LAYER_INVALID,
                 where + ": layer type " + std::to_string(layer->type) + " is not supported (projection and quad are)");
    }
  }
  return {};
}

}  // namespace

void finishSession(Session& s) {
  if (s.statsWritten) return;
  Instance& inst = *s.instance;
  if (!inst.config.pngDir.empty() && inst.config.pngLast && s.haveLastProjection) {
    writeEyePictures(s, s.lastProjection, "last");
  }
  writeStats(inst, &s);
  s.statsWritten = true;
}

namespace api {

XrResult xrWaitFrame(XrSession session, const XrFrameWaitInfo* info, XrFrameState* state) {
  return guarded("xrWaitFrame", [&](std::unique_lock<std::mutex>& lock) -> XrResult {
    const char* call = "xrWaitFrame";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if ((info && info->type != XR_TYPE_FRAME_WAIT_INFO) || !state || state->type != XR_TYPE_FRAME_STATE) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs a null or XrFrameWaitInfo and an XrFrameState");
    }
    if (!s->running) return refuse(inst, call, XR_ERROR_SESSION_NOT_RUNNING, "the session is not running");
    const int64_t period = periodNs(inst);
    const int64_t now = nowNs();
    const int64_t nextVsync = (now - s->clockOrigin) / period + 1;
    const int64_t k = std::max(nextVsync + 1, s->lastK + 1);
    s->lastK = k;
    const int64_t wake = s->clockOrigin + (k - 1) * period;
    const XrTime display = s->clockOrigin + k * period;
    // Sleep without the lock: other threads may use the runtime meanwhile.
    lock.unlock();
    sleepUntilNs(wake);
    lock.lock();
    s = lookup<Session>(session);
    if (!s) return XR_ERROR_HANDLE_INVALID;  // destroyed by another thread while waiting
    if (s->scriptOrigin == 0) s->scriptOrigin = display;
    s->waited.push_back({display, nowNs()});
    s->lastPredicted = display;
    ++s->instance->stats.framesWaited;
    state->predictedDisplayTime = display;
    state->predictedDisplayPeriod = period;
    state->shouldRender = (s->state == XR_SESSION_STATE_VISIBLE || s->state == XR_SESSION_STATE_FOCUSED) ? XR_TRUE : XR_FALSE;
    return success(*s);
  });
}

XrResult xrBeginFrame(XrSession session, const XrFrameBeginInfo* info) {
  return guarded("xrBeginFrame", [&]() -> XrResult {
    const char* call = "xrBeginFrame";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (info && info->type != XR_TYPE_FRAME_BEGIN_INFO) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "frameBeginInfo must be null or XrFrameBeginInfo");
    }
    if (!s->running) return refuse(inst, call, XR_ERROR_SESSION_NOT_RUNNING, "the session is not running");
    if (s->waited.empty()) {
      return refuse(inst, call, XR_ERROR_CALL_ORDER_INVALID, "xrBeginFrame without a preceding xrWaitFrame");
    }
    const bool discard = s->begun.has_value();
    s->begun = s->waited.front();
    s->waited.pop_front();
    ++inst.stats.framesBegun;
    if (discard) {
      ++inst.stats.framesDiscarded;  // the previous frame was begun and never ended
      return XR_FRAME_DISCARDED;
    }
    return success(*s);
  });
}

XrResult xrEndFrame(XrSession session, const XrFrameEndInfo* info) {
  return guarded("xrEndFrame", [&]() -> XrResult {
    const char* call = "xrEndFrame";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_FRAME_END_INFO) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrFrameEndInfo");
    }
    if (!s->running) return refuse(inst, call, XR_ERROR_SESSION_NOT_RUNNING, "the session is not running");
    if (!s->begun) return refuse(inst, call, XR_ERROR_CALL_ORDER_INVALID, "xrEndFrame without xrBeginFrame");
    std::array<SubmittedView, 2> projection{};
    bool haveProjection = false;
    if (Check c = checkFrame(*s, *info, &projection, &haveProjection)) return refuse(inst, call, c.code, c.detail);

    // The frame is accepted.
    const int64_t now = nowNs();
    const PendingFrame frame = *s->begun;
    s->begun.reset();
    ++s->framesEnded;
    Stats& st = inst.stats;
    ++st.framesEnded;
    if (info->layerCount > 0) ++st.framesWithLayers;
    if (now > frame.displayTime) ++st.framesMissed;
    st.appCpuMs.push_back(static_cast<double>(now - frame.waitReturnNs) * 1e-6);
    if (haveProjection) {
      s->lastProjection = projection;
      s->haveLastProjection = true;
      const Config& c = inst.config;
      if (!c.pngDir.empty() && c.pngEvery > 0 && s->framesEnded % c.pngEvery == 0) {
        char stem[32];
        std::snprintf(stem, sizeof stem, "frame-%06llu", static_cast<unsigned long long>(s->framesEnded));
        writeEyePictures(*s, projection, stem);
      }
    }
    // Frames bring the session into view and focus, one state per frame.
    if (!s->exitRequested && !inst.lossPending) {
      if (s->state == XR_SESSION_STATE_READY) {
        setState(*s, XR_SESSION_STATE_SYNCHRONIZED);
      } else if (s->state == XR_SESSION_STATE_SYNCHRONIZED) {
        setState(*s, XR_SESSION_STATE_VISIBLE);
      } else if (s->state == XR_SESSION_STATE_VISIBLE) {
        setState(*s, XR_SESSION_STATE_FOCUSED);
      }
    }
    const Config& c = inst.config;
    if (s->framesEnded % 8 == 0) updatePresence(*s, false);
    if (c.stopAfterFrames > 0 && s->framesEnded == c.stopAfterFrames) {
      requestStop(*s, "PAV_XR_SIM_STOP_AFTER_FRAMES=" + std::to_string(c.stopAfterFrames));
    }
    if (c.loseAfterFrames > 0 && s->framesEnded == c.loseAfterFrames) {
      beginInstanceLoss(inst, "PAV_XR_SIM_LOSE_AFTER_FRAMES=" + std::to_string(c.loseAfterFrames));
    }
    return success(*s);
  });
}

}  // namespace api
}  // namespace pav::xrsim
