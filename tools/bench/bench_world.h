// The one Vulkan world every benchmark in pavilion-bench shares: context, renderer, meshes,
// targets, and the raw loop's own command pools and fences.
//
// One world per process, because creating a device per benchmark would put driver start-up
// (pipeline compiles on lavapipe take a while) into whichever benchmark happens to run first.
// It is created on first use and destroyed explicitly by main before exit; members are
// declared in creation order so C++ tears them down targets first, then renderer, then context.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "demo_scene.h"
#include "pav/render/render.h"

namespace pav::bench {

// Sizes chosen so lavapipe's rasteriser does not dominate: the draw benchmarks measure
// recording, and the stereo benchmark compares one pass of two layers against one of one.
constexpr uint32_t kDrawTargetSize = 128;
constexpr uint32_t kEyeSize = 256;

// A second set of frames in flight that belongs to no engine object, so the raw baseline pays
// for exactly the Vulkan calls it makes and nothing the Renderer keeps per slot.
struct RawFrames {
  static constexpr uint32_t kCount = 2;  // as many as the engine's default
  // The raw loop calls the driver through its own device table, as a hand-written volk
  // renderer would (volkLoadDevice / volkLoadDeviceTable). The engine's globals are the
  // loader's per-handle trampolines (see Context::createInstance); borrowing them here would
  // charge the baseline the engine's dispatch cost and hide it from the ratio.
  VolkDeviceTable vk{};
  render::UniqueCommandPool pools[kCount];
  VkCommandBuffer commands[kCount] = {};
  render::UniqueFence fences[kCount];

  explicit RawFrames(render::Context& context);
};

class BenchWorld {
 public:
  // Null (and the benchmark marked skipped with the reason) if Vulkan could not start.
  static BenchWorld* get(benchmark::State& state);
  // Waits for the device and destroys the world; call before main returns.
  static void destroy();
  // One line naming the device and whether validation is on, for the report's header.
  static std::string describe();
  // True on a CPU device (lavapipe), whose worker threads compete with the benchmark thread.
  static bool onCpuDevice();

  BenchWorld();
  ~BenchWorld();
  BenchWorld(const BenchWorld&) = delete;
  BenchWorld& operator=(const BenchWorld&) = delete;

  // `count` small boxes on a grid, each with its own rotation, scale and colour, cached so
  // both the engine and the raw benchmark draw the very same list.
  const render::Scene& boxScene(uint32_t count);
  // The same draws as boxScene(count), as the push constants a raw renderer would keep: built
  // once and kept, like the scene, so neither side allocates per benchmark call.
  const std::vector<render::DrawPush>& boxPushes(uint32_t count);
  // The camera that sees the whole grid (the draw target is square).
  static render::View boxView();

  // Declaration order is creation order; destruction runs the other way.
  render::Context context;
  render::Renderer renderer;
  render::MeshId box;
  demo::DemoMeshes demoMeshes;
  render::Scene demoScene;
  RawFrames raw;
  render::OffscreenTarget drawTarget;    // kDrawTargetSize square, mono
  render::OffscreenTarget monoTarget;    // kEyeSize square, mono
  render::OffscreenTarget stereoTarget;  // kEyeSize square per eye, two multiview layers

 private:
  std::map<uint32_t, render::Scene> boxScenes_;
  std::map<uint32_t, std::vector<render::DrawPush>> boxPushes_;
};

// Runs `body`, turning a pav::Error (a failed VK_CHECK, a bad handle) into a skipped
// benchmark with the message instead of terminating the whole run.
template <typename Body>
void guarded(benchmark::State& state, Body&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

}  // namespace pav::bench
