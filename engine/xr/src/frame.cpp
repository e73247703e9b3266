// The frame loop: xrWaitFrame (the runtime paces the station to its display), xrBeginFrame,
// the eyes located as late as possible at the predicted display time, and xrEndFrame with one
// projection layer (plus XrCompositionLayerDepthInfoKHR per eye when the target has runtime
// depth) or with no layers when there is nothing to show.
//
// The display time given to xrEndFrame is always the one xrWaitFrame predicted for that
// frame: Frame carries it from beginFrame to endFrame and nothing else writes it.
#include "pav/core/log.h"
#include "pav/xr/session.h"
#include "pav/xr/swapchain_target.h"
#include "xr_local.h"

namespace pav::xr {

bool Session::beginFrame(Frame& frame) {
  frame = Frame{};
  if (!lost_) pollEvents();
  if (done()) return false;
  if (!running_) {
    // IDLE until the runtime says READY (the headset is put on), or after STOPPING: poll at
    // a gentle rate instead of spinning.
    detail::sleepMs(5);
    return false;
  }
  if (frameBegun_) {
    // The previous frame was never ended (a caller's early return): end it empty now, so
    // this frame's xrBeginFrame is not a discard and the runtime sees every frame ended.
    Frame stale = lastFrame_;
    endFrame(stale, nullptr);
    if (done() || !running_) return false;
  }
  XrFrameState state{XR_TYPE_FRAME_STATE};
  if (!check(xrWaitFrame(session_, nullptr, &state), "xrWaitFrame")) return false;
  frame.waitReturnNs = detail::nowNs();
  const XrResult begun = xrBeginFrame(session_, nullptr);
  if (!check(begun, "xrBeginFrame")) return false;
  if (begun == XR_FRAME_DISCARDED) ++stats_.framesDiscarded;
  frameBegun_ = true;
  ++stats_.framesBegun;
  frame.index = ++frameIndex_;
  frame.displayTime = state.predictedDisplayTime;
  frame.period = state.predictedDisplayPeriod;
  frame.shouldRender = state.shouldRender == XR_TRUE;
  lastFrame_ = frame;
  if (pendingRecenter_ && recenter(frame.displayTime)) pendingRecenter_ = false;
  return true;
}

bool Session::locateViews(Frame& frame, const PlaySpace& play, std::array<render::View, 2>& out) {
  frame.viewsLocated = false;
  if (!frameBegun_ || lost_) return false;
  frame.locateNs = detail::nowNs();
  XrViewLocateInfo info{XR_TYPE_VIEW_LOCATE_INFO};
  info.viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  info.displayTime = frame.displayTime;
  info.space = space_;
  XrViewState viewState{XR_TYPE_VIEW_STATE};
  frame.views[0] = {XR_TYPE_VIEW};
  frame.views[1] = {XR_TYPE_VIEW};
  uint32_t count = 0;
  if (!check(xrLocateViews(session_, &info, &viewState, 2, &count, frame.views), "xrLocateViews")) return false;
  // Without a valid orientation there is no picture worth showing; a lost position (3DoF for
  // a moment) still draws from the last position the runtime gives.
  if (count != 2 || !(viewState.viewStateFlags & XR_VIEW_STATE_ORIENTATION_VALID_BIT)) return false;
  for (int eye = 0; eye < 2; ++eye) {
    render::View& v = out[eye];
    v.pose = play.toWorld(detail::toPose(frame.views[eye].pose));
    v.fov = detail::toFov(frame.views[eye].fov);
    v.nearZ = desc_.nearZ;
    v.farZ = desc_.farZ;
  }
  frame.viewsLocated = true;
  return true;
}

void Session::endFrame(Frame& frame, XrSwapchainTarget* target) {
  if (!frameBegun_) return;
  frameBegun_ = false;
  if (!running_ || lost_) return;

  XrCompositionLayerProjectionView views[2];
  XrCompositionLayerDepthInfoKHR depth[2];
  XrCompositionLayerProjection layer{XR_TYPE_COMPOSITION_LAYER_PROJECTION};
  const XrCompositionLayerBaseHeader* layers[1] = {};
  uint32_t layerCount = 0;
  const bool show = frame.shouldRender && frame.viewsLocated && target && target->hasReleasedImage();
  if (show) {
    const VkExtent2D e = target->extent();
    const XrRect2Di rect{{0, 0}, {static_cast<int32_t>(e.width), static_cast<int32_t>(e.height)}};
    for (uint32_t eye = 0; eye < 2; ++eye) {
      views[eye] = {XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW};
      views[eye].pose = frame.views[eye].pose;
      views[eye].fov = frame.views[eye].fov;
      views[eye].subImage.swapchain = target->colorSwapchain();
      views[eye].subImage.imageRect = rect;
      views[eye].subImage.imageArrayIndex = eye;
      if (target->runtimeDepth()) {
        depth[eye] = {XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR};
        depth[eye].subImage.swapchain = target->depthSwapchain();
        depth[eye].subImage.imageRect = rect;
        depth[eye].subImage.imageArrayIndex = eye;
        depth[eye].minDepth = 0.0f;
        depth[eye].maxDepth = 1.0f;
        depth[eye].nearZ = desc_.nearZ;  // the renderer's projection: near -> 0, far -> 1
        depth[eye].farZ = desc_.farZ;
        views[eye].next = &depth[eye];
      }
    }
    layer.space = space_;
    layer.viewCount = 2;
    layer.views = views;
    layers[layerCount++] = reinterpret_cast<const XrCompositionLayerBaseHeader*>(&layer);
  }
  if (target) target->consumeRelease();

  XrFrameEndInfo info{XR_TYPE_FRAME_END_INFO};
  info.displayTime = frame.displayTime;
  info.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  info.layerCount = layerCount;
  info.layers = layerCount ? layers : nullptr;
  const bool ok = check(xrEndFrame(session_, &info), "xrEndFrame");
  frame.endNs = detail::nowNs();
  if (!ok) return;
  ++stats_.framesEnded;
  if (layerCount) ++stats_.framesWithLayers;
}

}  // namespace pav::xr
