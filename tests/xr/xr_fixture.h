// Shared set-up for the XR tests: the real OpenXR loader with the simulated headset
// (tools/xr-sim) selected by XR_RUNTIME_JSON, at a reduced view size, with the Khronos
// validation layer (and its synchronization checks) on for the engine's Vulkan; any
// validation message fails the test.
//
//   XrTest fixture: sets the PAV_XR_SIM_* variables for this test (stats file, picture
//   folder) before anything opens the runtime; world() builds runtime -> context -> renderer ->
//   session -> target (-> actions) in order; TearDown destroys them in reverse and checks the
//   validation count.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "pav/core/log.h"
#include "pav/render/render.h"
#include "pav/xr/xr.h"

namespace pav::test {

constexpr uint32_t kEyeSize = 256;  // the reduced per-eye size every XR test runs at

struct XrWorldDesc {
  xr::RuntimeDesc runtime;
  xr::SessionDesc session;
  xr::SwapchainDesc swapchain;
  const char* actionSet = nullptr;  // make Actions with this set name
};

// Everything an XR station owns, in creation order; destroyed in reverse by shutdown().
struct XrWorld {
  std::unique_ptr<xr::Runtime> runtime;
  std::unique_ptr<render::Context> context;
  std::unique_ptr<render::Renderer> renderer;
  std::unique_ptr<xr::Session> session;
  std::unique_ptr<xr::XrSwapchainTarget> target;
  std::unique_ptr<xr::Actions> actions;
  uint32_t validationMessages = 0;  // read by shutdown() just before the context goes

  ~XrWorld() { shutdown(); }
  void shutdown();
};

class XrTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The runtime's variables for this test (before world() or xr::Runtime::open).
  void setSimVar(const std::string& name, const std::string& value);
  // Writes a script into the test's folder and points PAV_XR_SIM_SCRIPT at it.
  void setScript(const std::string& text);

  // Opens the runtime (the test fails if there is none) and builds the rest.
  XrWorld& world(const XrWorldDesc& desc = {});
  // Destroys the world now (reverse order) and checks the validation count.
  void endWorld();

  // Runs the frame loop until the session is done or `frames` frames were begun (0: until
  // done). `perFrame` runs after beginFrame, before the views are located and drawn; it may
  // change the scene. Returns the frames begun. Bounded: fails the test after many idle
  // iterations.
  uint64_t runFrames(uint64_t frames, const xr::PlaySpace& play,
                     const std::function<void(xr::Frame&)>& perFrame = {});

  // The runtime's statistics file (written when the session ends).
  nlohmann::json simStats() const;
  const std::string& dir() const { return dir_; }  // this test's folder for files

  render::Scene scene_;
  std::array<render::View, 2> lastViews_{};  // the views of the last frame drawn
  xr::Frame lastFrame_;

 private:
  std::string dir_;
  std::string statsPath_;
  std::unique_ptr<XrWorld> world_;
  std::map<std::string, std::string> vars_;
};

// Loads a simple lit scene (floor, boxes) into the world's renderer.
void buildTestScene(render::Renderer& renderer, render::Scene& scene);

// Captures log lines (for "the log says why").
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  bool contains(const std::string& text) const;
  std::string all() const;

 private:
  static void sink(log::Level level, const char* line, void* user);
  std::vector<std::string> lines_;
};

}  // namespace pav::test
