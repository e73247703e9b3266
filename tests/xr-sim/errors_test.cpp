// Calls a real runtime refuses, refused by xr-sim with the codes the OpenXR 1.0 specification
// gives: frame call order, display times, swapchain image discipline, layer contents,
// session states, unknown binding paths. Every refusal is also counted in the statistics.
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "xr_sim_fixture.h"

namespace pav::test {
namespace {

class Errors : public XrSimTest {
 protected:
  void SetUp() override {
    statsPath_ = scratchDir(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "/stats.json";
    createInstance({{"PAV_XR_SIM_STATS", statsPath_}, {"PAV_XR_SIM_LOG", "0"}});
    createSession();
    createEyeSwapchains();
    beginSession();
  }
  // Ends the session and returns the runtime's count of refused calls.
  int refusals() {
    XrResult r = xrRequestExitSession(session_);
    EXPECT_EQ(r, XR_SUCCESS);
    EXPECT_EQ(xrEndSession(session_), XR_SUCCESS);
    std::ifstream in(statsPath_);
    return in.good() ? nlohmann::json::parse(in)["violations"]["total"].get<int>() : -1;
  }
  XrFrameState waitAndBegin() {
    XrFrameState fs{XR_TYPE_FRAME_STATE};
    EXPECT_EQ(xrWaitFrame(session_, nullptr, &fs), XR_SUCCESS);
    EXPECT_EQ(xrBeginFrame(session_, nullptr), XR_SUCCESS);
    return fs;
  }
  XrResult end(XrTime t, const XrCompositionLayerBaseHeader* layer = nullptr,
               XrEnvironmentBlendMode blend = XR_ENVIRONMENT_BLEND_MODE_OPAQUE) {
    XrFrameEndInfo ei{XR_TYPE_FRAME_END_INFO};
    ei.displayTime = t;
    ei.environmentBlendMode = blend;
    ei.layerCount = layer ? 1 : 0;
    ei.layers = layer ? &layer : nullptr;
    return xrEndFrame(session_, &ei);
  }
  std::string statsPath_;
};

TEST_F(Errors, FrameCallsOutOfOrderAreRefused) {
  XrFrameEndInfo ei{XR_TYPE_FRAME_END_INFO};
  ei.displayTime = 1;
  ei.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  EXPECT_EQ(xrEndFrame(session_, &ei), XR_ERROR_CALL_ORDER_INVALID);  // no xrBeginFrame
  EXPECT_EQ(xrBeginFrame(session_, nullptr), XR_ERROR_CALL_ORDER_INVALID);  // no xrWaitFrame
  const XrFrameState fs = waitAndBegin();
  EXPECT_EQ(end(fs.predictedDisplayTime + 1), XR_ERROR_TIME_INVALID);  // no xrWaitFrame gave that
  EXPECT_EQ(end(fs.predictedDisplayTime), XR_SUCCESS);                // the frame was still begun
  EXPECT_EQ(end(fs.predictedDisplayTime), XR_ERROR_CALL_ORDER_INVALID);  // ended already
  // Beginning twice discards the first frame.
  XrFrameState a{XR_TYPE_FRAME_STATE};
  XRS_CHECK(xrWaitFrame(session_, nullptr, &a));
  XRS_CHECK(xrBeginFrame(session_, nullptr));
  XrFrameState b{XR_TYPE_FRAME_STATE};
  XRS_CHECK(xrWaitFrame(session_, nullptr, &b));
  EXPECT_EQ(xrBeginFrame(session_, nullptr), XR_FRAME_DISCARDED);
  EXPECT_EQ(end(a.predictedDisplayTime), XR_ERROR_TIME_INVALID);  // the discarded frame's time
  EXPECT_EQ(end(b.predictedDisplayTime), XR_SUCCESS);
  EXPECT_EQ(refusals(), 5);
}

TEST_F(Errors, SwapchainImagesFollowAcquireWaitRelease) {
  XrSwapchain sc = eyes_[0];
  XrSwapchainImageWaitInfo wi{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO};
  wi.timeout = XR_INFINITE_DURATION;
  EXPECT_EQ(xrReleaseSwapchainImage(sc, nullptr), XR_ERROR_CALL_ORDER_INVALID);  // never acquired
  EXPECT_EQ(xrWaitSwapchainImage(sc, &wi), XR_ERROR_CALL_ORDER_INVALID);       // nothing to wait for
  const size_t n = swapchainImages(sc).size();
  ASSERT_GE(n, 2u);
  std::vector<uint32_t> order;
  for (size_t i = 0; i < n; ++i) {
    uint32_t index = 99;
    XRS_CHECK(xrAcquireSwapchainImage(sc, nullptr, &index));
    order.push_back(index);
  }
  uint32_t index = 0;
  EXPECT_EQ(xrAcquireSwapchainImage(sc, nullptr, &index), XR_ERROR_CALL_ORDER_INVALID);  // all acquired
  EXPECT_EQ(xrReleaseSwapchainImage(sc, nullptr), XR_ERROR_CALL_ORDER_INVALID);          // not waited
  XRS_CHECK(xrWaitSwapchainImage(sc, &wi));
  EXPECT_EQ(xrWaitSwapchainImage(sc, &wi), XR_ERROR_CALL_ORDER_INVALID);  // release before the next wait
  XRS_CHECK(xrReleaseSwapchainImage(sc, nullptr));
  XRS_CHECK(xrAcquireSwapchainImage(sc, nullptr, &index));
  EXPECT_EQ(index, order[0]);  // images come round in order
  for (size_t i = 0; i < n; ++i) {
    XRS_CHECK(xrWaitSwapchainImage(sc, &wi));
    XRS_CHECK(xrReleaseSwapchainImage(sc, nullptr));
  }
  EXPECT_EQ(refusals(), 5);
}

TEST_F(Errors, LayersAreCheckedAsACompositorWould) {
  runUntil(XR_SESSION_STATE_FOCUSED, 5);
  XrSwapchain neverReleased = createSwapchain(VK_FORMAT_R8G8B8A8_UNORM, viewWidth_, viewHeight_);
  XrSwapchain multiview = createSwapchain(VK_FORMAT_R8G8B8A8_UNORM, viewWidth_, viewHeight_, 2);
  clearSwapchain(multiview, {1, 0, 0, 1}, 2);
  const XrFrameState fs = waitAndBegin();
  for (int i = 0; i < 2; ++i) clearSwapchain(eyes_[i], {0, 1, 0, 1});
  auto views = eyeViews(fs.predictedDisplayTime);
  XrCompositionLayerProjection layer = projectionLayer(views);
  auto* base = reinterpret_cast<const XrCompositionLayerBaseHeader*>(&layer);

  views[1].subImage.imageRect.extent.width += 1;  // one pixel past the edge
  EXPECT_EQ(end(fs.predictedDisplayTime, base), XR_ERROR_SWAPCHAIN_RECT_INVALID);
  views[1].subImage.imageRect.extent.width -= 1;
  views[0].subImage.imageRect.offset.x = -1;
  EXPECT_EQ(end(fs.predictedDisplayTime, base), XR_ERROR_SWAPCHAIN_RECT_INVALID);
  views[0].subImage.imageRect.offset.x = 0;
  const XrQuaternionf q = views[0].pose.orientation;
  views[0].pose.orientation = {0, 0, 0, 2};  // not normalized
  EXPECT_EQ(end(fs.predictedDisplayTime, base), XR_ERROR_POSE_INVALID);
  views[0].pose.orientation = q;
  layer.viewCount = 1;  // a stereo headset needs two views
  EXPECT_EQ(end(fs.predictedDisplayTime, base), XR_ERROR_VALIDATION_FAILURE);
  layer.viewCount = 2;
  views[0].subImage.swapchain = neverReleased;
  EXPECT_EQ(end(fs.predictedDisplayTime, base), XR_ERROR_LAYER_INVALID);
  views[0].subImage.swapchain = eyes_[0];
  views[0].subImage.imageArrayIndex = 1;  // the eye swapchains have one layer
  EXPECT_EQ(end(fs.predictedDisplayTime, base), XR_ERROR_VALIDATION_FAILURE);
  views[0].subImage.imageArrayIndex = 0;
  EXPECT_EQ(end(fs.predictedDisplayTime, base, XR_ENVIRONMENT_BLEND_MODE_ADDITIVE),
            XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED);
  XrCompositionLayerBaseHeader cube{XR_TYPE_COMPOSITION_LAYER_CUBE_KHR};  // extension not offered
  EXPECT_EQ(end(fs.predictedDisplayTime, &cube), XR_ERROR_LAYER_INVALID);
  // Multiview: one two-layer swapchain, one layer per eye, is fine.
  for (uint32_t i = 0; i < 2; ++i) {
    views[i].subImage.swapchain = multiview;
    views[i].subImage.imageArrayIndex = i;
  }
  EXPECT_EQ(end(fs.predictedDisplayTime, base), XR_SUCCESS);
  EXPECT_EQ(refusals(), 8);
}

TEST_F(Errors, SessionStateRulesAreEnforced) {
  XrSessionBeginInfo bi{XR_TYPE_SESSION_BEGIN_INFO};
  bi.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  EXPECT_EQ(xrBeginSession(session_, &bi), XR_ERROR_SESSION_RUNNING);
  runUntil(XR_SESSION_STATE_FOCUSED, 5);
  EXPECT_EQ(xrEndSession(session_), XR_ERROR_SESSION_NOT_STOPPING);
  XrReferenceSpaceCreateInfo rci{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};
  rci.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_LOCAL;
  rci.poseInReferenceSpace.orientation = {0, 0, 0, 0};
  XrSpace space = XR_NULL_HANDLE;
  EXPECT_EQ(xrCreateReferenceSpace(session_, &rci, &space), XR_ERROR_POSE_INVALID);
  rci.poseInReferenceSpace.orientation.w = 1;
  rci.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_UNBOUNDED_MSFT;
  EXPECT_EQ(xrCreateReferenceSpace(session_, &rci, &space), XR_ERROR_REFERENCE_SPACE_UNSUPPORTED);
  XrSpaceLocation loc{XR_TYPE_SPACE_LOCATION};
  EXPECT_EQ(xrLocateSpace(local_, stage_, 0, &loc), XR_ERROR_TIME_INVALID);
  EXPECT_EQ(refusals(), 5);
}

TEST_F(Errors, UnknownBindingPathsAreRefused) {
  XrActionSetCreateInfo asci{XR_TYPE_ACTION_SET_CREATE_INFO};
  std::strcpy(asci.actionSetName, "game");
  std::strcpy(asci.localizedActionSetName, "Game");
  XrActionSet set = XR_NULL_HANDLE;
  XRS_CHECK(xrCreateActionSet(instance_, &asci, &set));
  XrActionCreateInfo aci{XR_TYPE_ACTION_CREATE_INFO};
  std::strcpy(aci.actionName, "fire");
  std::strcpy(aci.localizedActionName, "Fire");
  aci.actionType = XR_ACTION_TYPE_BOOLEAN_INPUT;
  XrAction fire = XR_NULL_HANDLE;
  XRS_CHECK(xrCreateAction(set, &aci, &fire));
  auto suggest = [&](const char* profile, const char* binding) {
    XrActionSuggestedBinding b{fire, path(binding)};
    XrInteractionProfileSuggestedBinding s{XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING};
    s.interactionProfile = path(profile);
    s.countSuggestedBindings = 1;
    s.suggestedBindings = &b;
    return xrSuggestInteractionProfileBindings(instance_, &s);
  };
  const char* touch = "/interaction_profiles/oculus/touch_controller";
  EXPECT_EQ(suggest(touch, "/user/hand/left/input/bogus/click"), XR_ERROR_PATH_UNSUPPORTED);
  EXPECT_EQ(suggest(touch, "/user/hand/right/input/x/click"), XR_ERROR_PATH_UNSUPPORTED);  // X is on the left
  EXPECT_EQ(suggest(touch, "/user/hand/left/input/trigger/force"), XR_ERROR_PATH_UNSUPPORTED);
  EXPECT_EQ(suggest("/interaction_profiles/acme/stick", "/user/hand/left/input/select/click"), XR_ERROR_PATH_UNSUPPORTED);
  EXPECT_EQ(suggest(touch, "/user/hand/left/input/x/click"), XR_SUCCESS);
  EXPECT_EQ(suggest(touch, "/user/hand/right/input/trigger"), XR_SUCCESS);  // identifier only: allowed
  EXPECT_EQ(suggest("/interaction_profiles/valve/index_controller", "/user/hand/left/input/trigger/click"), XR_SUCCESS);
  XrPath bad = XR_NULL_PATH;
  EXPECT_EQ(xrStringToPath(instance_, "/user/hand/Left", &bad), XR_ERROR_PATH_FORMAT_INVALID);
  EXPECT_EQ(xrStringToPath(instance_, "/user//hand", &bad), XR_ERROR_PATH_FORMAT_INVALID);
  XrSessionActionSetsAttachInfo ai{XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO};
  ai.countActionSets = 1;
  ai.actionSets = &set;
  XRS_CHECK(xrAttachSessionActionSets(session_, &ai));
  EXPECT_EQ(suggest(touch, "/user/hand/left/input/x/click"), XR_ERROR_ACTIONSETS_ALREADY_ATTACHED);
  EXPECT_EQ(xrAttachSessionActionSets(session_, &ai), XR_ERROR_ACTIONSETS_ALREADY_ATTACHED);
  EXPECT_EQ(xrCreateAction(set, &aci, &fire), XR_ERROR_ACTIONSETS_ALREADY_ATTACHED);
  EXPECT_EQ(refusals(), 9);
}

}  // namespace
}  // namespace pav::test
