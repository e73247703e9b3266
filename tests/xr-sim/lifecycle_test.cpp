// The simulated headset's whole life through the real loader: the system it reports, a Vulkan2
// session driven to FOCUSED, eyes cleared to colours and read back as pictures, the runtime
// asking the session to stop and exit, the application asking to exit, instance loss,
// projection layers with depth; and the frame loop's pacing: one frame per refresh period,
// predicted display times on the vsync grid, late frames counted as missed.
#include <stb_image.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "xr_sim_fixture.h"

namespace pav::test {
namespace {

using Lifecycle = XrSimTest;

// The pixel at the centre of a PNG, or {} when it cannot be read.
std::array<int, 4> centrePixel(const std::string& path, int* w, int* h) {
  int channels = 0;
  stbi_uc* data = stbi_load(path.c_str(), w, h, &channels, 4);
  if (!data) return {-1, -1, -1, -1};
  const stbi_uc* p = data + (static_cast<size_t>(*h / 2) * *w + *w / 2) * 4;
  const std::array<int, 4> px{p[0], p[1], p[2], p[3]};
  stbi_image_free(data);
  return px;
}

nlohmann::json readJson(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "no file " << path;
  return in.good() ? nlohmann::json::parse(in) : nlohmann::json{};
}

TEST_F(Lifecycle, SystemIsAStereoHeadsetOfTheConfiguredSize) {
  createInstance({{"PAV_XR_SIM_SCALE", "1"}});
  XrInstanceProperties ip{XR_TYPE_INSTANCE_PROPERTIES};
  XRS_CHECK(xrGetInstanceProperties(instance_, &ip));
  EXPECT_STREQ(ip.runtimeName, "Pavilion xr-sim");
  EXPECT_EQ(viewWidth_, 1832u);
  EXPECT_EQ(viewHeight_, 1920u);
  XrSystemProperties sp{XR_TYPE_SYSTEM_PROPERTIES};
  XRS_CHECK(xrGetSystemProperties(instance_, system_, &sp));
  EXPECT_TRUE(sp.trackingProperties.orientationTracking && sp.trackingProperties.positionTracking);
  EXPECT_GE(sp.graphicsProperties.maxLayerCount, static_cast<uint32_t>(XR_MIN_COMPOSITION_LAYERS_SUPPORTED));
  uint32_t n = 0;
  XrViewConfigurationType vc[4];
  XRS_CHECK(xrEnumerateViewConfigurations(instance_, system_, 4, &n, vc));
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(vc[0], XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO);
  XrEnvironmentBlendMode modes[4];
  XRS_CHECK(xrEnumerateEnvironmentBlendModes(instance_, system_, vc[0], 4, &n, modes));
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(modes[0], XR_ENVIRONMENT_BLEND_MODE_OPAQUE);
  XrSystemGetInfo gi{XR_TYPE_SYSTEM_GET_INFO};
  gi.formFactor = XR_FORM_FACTOR_HANDHELD_DISPLAY;
  XrSystemId other = XR_NULL_SYSTEM_ID;
  EXPECT_EQ(xrGetSystem(instance_, &gi, &other), XR_ERROR_FORM_FACTOR_UNSUPPORTED);
  XRS_CHECK(xrDestroyInstance(instance_));
  instance_ = XR_NULL_HANDLE;

  // Scaled down for tests, and the same headset otherwise.
  createInstance({{"PAV_XR_SIM_SCALE", "0.25"}});
  EXPECT_EQ(viewWidth_, 458u);
  EXPECT_EQ(viewHeight_, 480u);
}

TEST_F(Lifecycle, BadConfigurationFailsInstanceCreationWithAReason) {
  setRuntimeEnv({{"PAV_XR_SIM_HZ", "75"}});
  XrInstanceCreateInfo ci{XR_TYPE_INSTANCE_CREATE_INFO};
  std::strcpy(ci.applicationInfo.applicationName, "pav_xr_sim_tests");
  ci.applicationInfo.apiVersion = XR_CURRENT_API_VERSION;
  XrInstance inst = XR_NULL_HANDLE;
  testing::internal::CaptureStderr();
  EXPECT_EQ(xrCreateInstance(&ci, &inst), XR_ERROR_INITIALIZATION_FAILED);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("PAV_XR_SIM_HZ='75'"), std::string::npos) << err;
  EXPECT_NE(err.find("72, 90 or 120"), std::string::npos) << err;
}

TEST_F(Lifecycle, RunsToFocusedWritesTheEyesAndExitsWhenTheRuntimeStops) {
  const std::string dir = scratchDir("lifecycle");
  createInstance({{"PAV_XR_SIM_STOP_AFTER_FRAMES", "12"},
                  {"PAV_XR_SIM_PNG_DIR", dir + "/png"},
                  {"PAV_XR_SIM_STATS", dir + "/stats.json"}});
  createSession();
  createEyeSwapchains(VK_FORMAT_R8G8B8A8_UNORM);
  beginSession();
  runUntil(XR_SESSION_STATE_FOCUSED, 5);
  EXPECT_EQ(states_, (std::vector<XrSessionState>{XR_SESSION_STATE_IDLE, XR_SESSION_STATE_READY,
                                                  XR_SESSION_STATE_SYNCHRONIZED, XR_SESSION_STATE_VISIBLE,
                                                  XR_SESSION_STATE_FOCUSED}));
  runUntil(XR_SESSION_STATE_STOPPING, 12);
  // The runtime stops the way the specification's state diagram goes.
  const std::vector<XrSessionState> tail(states_.end() - 3, states_.end());
  EXPECT_EQ(tail, (std::vector<XrSessionState>{XR_SESSION_STATE_VISIBLE, XR_SESSION_STATE_SYNCHRONIZED,
                                               XR_SESSION_STATE_STOPPING}));
  XRS_CHECK(xrEndSession(session_));
  pollEvents();
  EXPECT_EQ(states_.back(), XR_SESSION_STATE_EXITING);
  EXPECT_EQ(states_[states_.size() - 2], XR_SESSION_STATE_IDLE);

  // The last frame's eyes, as submitted: left cleared to (0.2, 0.4, 0.8), right to (0.9, 0.5, 0.1).
  int w = 0, h = 0;
  const auto left = centrePixel(dir + "/png/last-left.png", &w, &h);
  EXPECT_EQ(w, static_cast<int>(viewWidth_));
  EXPECT_EQ(h, static_cast<int>(viewHeight_));
  EXPECT_NEAR(left[0], 51, 1);
  EXPECT_NEAR(left[1], 102, 1);
  EXPECT_NEAR(left[2], 204, 1);
  EXPECT_EQ(left[3], 255);
  const auto right = centrePixel(dir + "/png/last-right.png", &w, &h);
  EXPECT_NEAR(right[0], 230, 1);
  EXPECT_NEAR(right[1], 128, 1);
  EXPECT_NEAR(right[2], 26, 1);

  const nlohmann::json stats = readJson(dir + "/stats.json");
  EXPECT_EQ(stats["frames"]["ended"], 12);
  EXPECT_EQ(stats["frames"]["withLayers"], 10);  // not before VISIBLE
  EXPECT_EQ(stats["violations"]["total"], 0);
  EXPECT_EQ(stats["states"].back(), "EXITING");
  EXPECT_NE(stats["endReason"].get<std::string>().find("PAV_XR_SIM_STOP_AFTER_FRAMES=12"), std::string::npos);
}

TEST_F(Lifecycle, ApplicationRequestedExitEndsInExiting) {
  createInstance();
  createSession();
  beginSession();
  runUntil(XR_SESSION_STATE_FOCUSED, 5);
  states_.clear();
  XRS_CHECK(xrRequestExitSession(session_));
  pollEvents();
  EXPECT_EQ(states_, (std::vector<XrSessionState>{XR_SESSION_STATE_VISIBLE, XR_SESSION_STATE_SYNCHRONIZED,
                                                  XR_SESSION_STATE_STOPPING}));
  XRS_CHECK(xrEndSession(session_));
  pollEvents();
  EXPECT_EQ(states_.back(), XR_SESSION_STATE_EXITING);
  EXPECT_EQ(xrRequestExitSession(session_), XR_ERROR_SESSION_NOT_RUNNING);
  XrFrameState fs{XR_TYPE_FRAME_STATE};
  EXPECT_EQ(xrWaitFrame(session_, nullptr, &fs), XR_ERROR_SESSION_NOT_RUNNING);
}

TEST_F(Lifecycle, InstanceLossIsAnnouncedThenReported) {
  createInstance({{"PAV_XR_SIM_LOSE_AFTER_FRAMES", "4"}});
  createSession();
  createEyeSwapchains();
  beginSession();
  for (int i = 0; i < 10 && !lossPending_; ++i) runFrame();
  ASSERT_TRUE(lossPending_) << "no XrEventDataInstanceLossPending after 10 frames";
  EXPECT_EQ(states_.back(), XR_SESSION_STATE_LOSS_PENDING);
  // Once the application has seen the event, the instance is gone for every call...
  XrFrameState fs{XR_TYPE_FRAME_STATE};
  EXPECT_EQ(xrWaitFrame(session_, nullptr, &fs), XR_ERROR_INSTANCE_LOST);
  XrEventDataBuffer ev{XR_TYPE_EVENT_DATA_BUFFER};
  EXPECT_EQ(xrPollEvent(instance_, &ev), XR_ERROR_INSTANCE_LOST);
  XrSystemGetInfo gi{XR_TYPE_SYSTEM_GET_INFO};
  gi.formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY;
  XrSystemId sys = XR_NULL_SYSTEM_ID;
  EXPECT_EQ(xrGetSystem(instance_, &gi, &sys), XR_ERROR_INSTANCE_LOST);
  // ...but it can still be cleaned up (TearDown destroys swapchains, session, instance).
  for (XrSwapchain sc : extraSwapchains_) EXPECT_EQ(xrDestroySwapchain(sc), XR_SUCCESS);
  extraSwapchains_.clear();
  EXPECT_EQ(xrDestroySession(session_), XR_SUCCESS);
  session_ = XR_NULL_HANDLE;
}

TEST_F(Lifecycle, ProjectionLayersMayCarryConsistentDepth) {
  createInstance();
  createSession();
  createEyeSwapchains();
  std::array<XrSwapchain, 2> depth{};
  for (auto& d : depth) {
    d = createSwapchain(VK_FORMAT_D32_SFLOAT, viewWidth_, viewHeight_, 1, XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT);
    ASSERT_NE(d, XR_NULL_HANDLE);
    uint32_t index = 0;
    XRS_CHECK(xrAcquireSwapchainImage(d, nullptr, &index));
    XrSwapchainImageWaitInfo wi{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO};
    wi.timeout = XR_INFINITE_DURATION;
    XRS_CHECK(xrWaitSwapchainImage(d, &wi));
    XRS_CHECK(xrReleaseSwapchainImage(d, nullptr));
  }
  beginSession();
  runUntil(XR_SESSION_STATE_FOCUSED, 5);

  XrFrameState fs{XR_TYPE_FRAME_STATE};
  XRS_CHECK(xrWaitFrame(session_, nullptr, &fs));
  XRS_CHECK(xrBeginFrame(session_, nullptr));
  for (int i = 0; i < 2; ++i) clearSwapchain(eyes_[i], {0, 0, 0, 1});
  auto views = eyeViews(fs.predictedDisplayTime);
  std::array<XrCompositionLayerDepthInfoKHR, 2> depthInfo{};
  for (int i = 0; i < 2; ++i) {
    depthInfo[i] = {XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR};
    depthInfo[i].subImage = views[i].subImage;
    depthInfo[i].subImage.swapchain = depth[i];
    depthInfo[i].minDepth = 1;  // wrong way round first
    depthInfo[i].maxDepth = 0;
    depthInfo[i].nearZ = 0.05f;
    depthInfo[i].farZ = 100.0f;
    views[i].next = &depthInfo[i];
  }
  XrCompositionLayerProjection layer = projectionLayer(views);
  const XrCompositionLayerBaseHeader* layers[] = {reinterpret_cast<const XrCompositionLayerBaseHeader*>(&layer)};
  XrFrameEndInfo ei{XR_TYPE_FRAME_END_INFO};
  ei.displayTime = fs.predictedDisplayTime;
  ei.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  ei.layerCount = 1;
  ei.layers = layers;
  EXPECT_EQ(xrEndFrame(session_, &ei), XR_ERROR_VALIDATION_FAILURE);
  depthInfo[0].subImage.swapchain = eyes_[0];  // a colour image as depth
  depthInfo[0].minDepth = depthInfo[1].minDepth = 0;
  depthInfo[0].maxDepth = depthInfo[1].maxDepth = 1;
  EXPECT_EQ(xrEndFrame(session_, &ei), XR_ERROR_VALIDATION_FAILURE);
  depthInfo[0].subImage.swapchain = depth[0];
  // A refused xrEndFrame leaves the frame begun: the corrected layer goes through.
  EXPECT_EQ(xrEndFrame(session_, &ei), XR_SUCCESS);
}

// ---- Pacing: xrWaitFrame paces the application to the simulated display -----------------
using Pacing = XrSimTest;

// One frame with no layers; returns its state.
XrFrameState emptyFrame(XrSession session, std::chrono::milliseconds work = std::chrono::milliseconds(0)) {
  XrFrameState fs{XR_TYPE_FRAME_STATE};
  EXPECT_EQ(xrWaitFrame(session, nullptr, &fs), XR_SUCCESS);
  EXPECT_EQ(xrBeginFrame(session, nullptr), XR_SUCCESS);
  if (work.count() > 0) std::this_thread::sleep_for(work);
  XrFrameEndInfo ei{XR_TYPE_FRAME_END_INFO};
  ei.displayTime = fs.predictedDisplayTime;
  ei.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  EXPECT_EQ(xrEndFrame(session, &ei), XR_SUCCESS);
  return fs;
}

TEST_F(Pacing, NinetyFramesAtNinetyHertzTakeAboutOneSecond) {
  createInstance({{"PAV_XR_SIM_HZ", "90"}});
  createSession();
  beginSession();
  std::vector<XrTime> times;
  const auto start = std::chrono::steady_clock::now();
  XrDuration period = 0;
  for (int i = 0; i < 90; ++i) {
    const XrFrameState fs = emptyFrame(session_);
    times.push_back(fs.predictedDisplayTime);
    period = fs.predictedDisplayPeriod;
    pollEvents();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(period, 11'111'111);
  // Loose bounds: the machine is shared, but the runtime must neither spin free nor stall.
  EXPECT_GT(seconds, 0.8);
  EXPECT_LT(seconds, 3.0);
  int onePeriod = 0;
  for (size_t i = 1; i < times.size(); ++i) {
    const XrTime step = times[i] - times[i - 1];
    ASSERT_GT(step, 0) << "display times must increase";
    EXPECT_EQ(step % period, 0) << "display times stay on the vsync grid";
    onePeriod += step == period ? 1 : 0;
  }
  EXPECT_GE(onePeriod, 80) << "most frames should be one period apart";
  EXPECT_EQ(states_.back(), XR_SESSION_STATE_FOCUSED);
}

TEST_F(Pacing, OtherDisplayRatesChangeThePeriod) {
  createInstance({{"PAV_XR_SIM_HZ", "120"}});
  createSession();
  beginSession();
  const XrFrameState a = emptyFrame(session_);
  const XrFrameState b = emptyFrame(session_);
  EXPECT_EQ(a.predictedDisplayPeriod, 8'333'333);
  EXPECT_EQ((b.predictedDisplayTime - a.predictedDisplayTime) % a.predictedDisplayPeriod, 0);
}

TEST_F(Pacing, LateFramesAreMissedAndCounted) {
  const std::string dir = scratchDir("pacing-late");
  createInstance({{"PAV_XR_SIM_HZ", "72"}, {"PAV_XR_SIM_STATS", dir + "/stats.json"}});
  createSession();
  beginSession();
  for (int i = 0; i < 3; ++i) emptyFrame(session_);
  const XrFrameState late = emptyFrame(session_, std::chrono::milliseconds(40));  // 40 ms > 13.9 ms
  const XrFrameState next = emptyFrame(session_);
  EXPECT_EQ(late.predictedDisplayPeriod, 13'888'889);
  EXPECT_GE(next.predictedDisplayTime - late.predictedDisplayTime, 2 * late.predictedDisplayPeriod)
      << "after a late frame the next display time skips the missed refreshes";
  XRS_CHECK(xrRequestExitSession(session_));
  XRS_CHECK(xrEndSession(session_));
  std::ifstream in(dir + "/stats.json");
  ASSERT_TRUE(in.good());
  const auto stats = nlohmann::json::parse(in);
  EXPECT_GE(stats["frames"]["missed"].get<int>(), 1);
  EXPECT_GE(stats["appCpuMs"]["max"].get<double>(), 40.0);
  EXPECT_EQ(stats["frames"]["ended"], 5);
  EXPECT_EQ(stats["displayHz"], 72.0);
}

}  // namespace
}  // namespace pav::test
