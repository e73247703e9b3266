// The shared benchmark world: created once on first use, torn down by main.
#include "bench_world.h"

#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

namespace pav::bench {
namespace {

std::unique_ptr<BenchWorld> gWorld;
std::string gStartError;  // remembered so every benchmark reports why, not only the first

render::ContextDesc benchContextDesc() {
  render::ContextDesc desc;
  // The layer checks every call; with it on we would be timing the layer, not the engine.
  desc.validation = render::Toggle::Off;
  desc.appName = "pavilion-bench";
  return desc;
}

// The grid spans [-kHalfSpan, kHalfSpan] in X and Y at Z = 0.
constexpr float kHalfSpan = 10.0f;
constexpr float kFovY = glm::radians(60.0f);

}  // namespace

RawFrames::RawFrames(render::Context& context) {
  const VkDevice device = context.device();
  volkLoadDeviceTable(&vk, device);
  for (uint32_t i = 0; i < kCount; ++i) {
    // TRANSIENT and one reset per frame, as the engine's slots do: the two loops should
    // differ only in what they record, not in how the driver manages their memory.
    VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    poolInfo.queueFamilyIndex = context.queueFamily();
    VkCommandPool pool = VK_NULL_HANDLE;
    VK_CHECK(vkCreateCommandPool(device, &poolInfo, nullptr, &pool));
    pools[i] = render::UniqueCommandPool(device, pool);

    VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    alloc.commandPool = pool;
    alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    alloc.commandBufferCount = 1;
    VK_CHECK(vkAllocateCommandBuffers(device, &alloc, &commands[i]));

    // Signalled, so the first wait of each slot returns at once.
    VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    fenceInfo.flags = VK_FENCE_CREATE_SIGNALED_BIT;
    VkFence fence = VK_NULL_HANDLE;
    VK_CHECK(vkCreateFence(device, &fenceInfo, nullptr, &fence));
    fences[i] = render::UniqueFence(device, fence);
  }
}

BenchWorld::BenchWorld()
    : context(benchContextDesc()),
      renderer(context, {}),
      box(renderer.loadMesh(render::makeBox({1, 1, 1}))),
      demoMeshes(demo::loadDemoMeshes(renderer)),
      raw(context),
      // One sample: the draw and stereo goals measure recording and views, not MSAA (its cost
      // is feature_bench.cpp's), and lavapipe draws stereo a pass per eye at 1x anyway.
      drawTarget(context, {.width = kDrawTargetSize, .height = kDrawTargetSize, .viewCount = 1, .samples = 1}),
      monoTarget(context, {.width = kEyeSize, .height = kEyeSize, .viewCount = 1, .samples = 1}),
      stereoTarget(context, {.width = kEyeSize, .height = kEyeSize, .viewCount = 2, .samples = 1}) {
  demo::buildDemoScene(demoMeshes, 0.0f, demoScene);
  // Pipelines compile on first use, which takes long on lavapipe; do it here so no
  // benchmark's first iterations include a compile.
  const render::View view = boxView();
  renderer.drawFrame(drawTarget, boxScene(1), {&view, 1});
  const render::View mono = demo::demoMonoView(1.0f);
  renderer.drawFrame(monoTarget, demoScene, {&mono, 1});
  const auto eyes = demo::demoStereoViews();
  renderer.drawFrame(stereoTarget, demoScene, eyes);
  renderer.waitIdle();
}

// Fences and pools must not be destroyed while a submitted frame may still use them.
BenchWorld::~BenchWorld() { renderer.waitIdle(); }

BenchWorld* BenchWorld::get(benchmark::State& state) {
  if (!gWorld && gStartError.empty()) {
    try {
      gWorld = std::make_unique<BenchWorld>();
    } catch (const std::exception& e) {
      gStartError = std::string("Vulkan could not start: ") + e.what();
    }
  }
  if (!gWorld) state.SkipWithError(gStartError.c_str());
  return gWorld.get();
}

void BenchWorld::destroy() { gWorld.reset(); }

std::string BenchWorld::describe() {
  if (!gWorld) return gStartError.empty() ? "device: not started" : gStartError;
  return "device: " + gWorld->context.deviceInfo().describe() + "; validation " +
         (gWorld->context.validationEnabled() ? "ON (numbers are not representative)" : "off");
}

bool BenchWorld::onCpuDevice() { return gWorld && gWorld->context.deviceInfo().type == "CPU"; }

const render::Scene& BenchWorld::boxScene(uint32_t count) {
  const auto found = boxScenes_.find(count);
  if (found != boxScenes_.end()) return found->second;

  render::Scene scene;
  scene.draws.reserve(count);
  scene.shadows.cascades = 0;  // the raw loop it is compared with draws no shadow maps
  const uint32_t columns = std::max(1u, static_cast<uint32_t>(std::ceil(std::sqrt(double(count)))));
  const uint32_t rows = (count + columns - 1) / columns;
  const float cellX = 2.0f * kHalfSpan / float(columns);
  const float cellY = 2.0f * kHalfSpan / float(std::max(rows, 1u));
  const float cell = std::min(cellX, cellY);
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t col = i % columns, row = i / columns;
    const float t = float(i);
    // Every draw gets its own matrix and colour so neither side could get away with
    // pushing the same constants over and over.
    const glm::vec3 centre{-kHalfSpan + (float(col) + 0.5f) * cellX,
                           -kHalfSpan + (float(row) + 0.5f) * cellY, 0.5f * std::sin(t * 0.37f)};
    glm::mat4 model = glm::translate(glm::mat4(1.0f), centre);
    model = glm::rotate(model, t * 0.61f, glm::normalize(glm::vec3(1.0f, 0.7f + 0.3f * std::sin(t), 0.4f)));
    model = glm::scale(model, glm::vec3(cell * (0.45f + 0.15f * std::sin(t * 1.3f))));
    const glm::vec4 color{0.5f + 0.5f * std::sin(t * 0.11f), 0.5f + 0.5f * std::sin(t * 0.17f + 2.0f),
                          0.5f + 0.5f * std::sin(t * 0.23f + 4.0f), 1.0f};
    scene.draws.push_back({box, model, color});
  }
  return boxScenes_.emplace(count, std::move(scene)).first->second;
}

const std::vector<render::DrawPush>& BenchWorld::boxPushes(uint32_t count) {
  const auto found = boxPushes_.find(count);
  if (found != boxPushes_.end()) return found->second;
  const render::Scene& scene = boxScene(count);
  std::vector<render::DrawPush> pushes;
  pushes.reserve(scene.draws.size());
  for (const render::DrawItem& item : scene.draws) pushes.push_back({item.model, item.color});
  return boxPushes_.emplace(count, std::move(pushes)).first->second;
}

render::View BenchWorld::boxView() {
  // Far enough back that the whole grid (plus its boxes' half sizes) fits the square view.
  const float distance = 1.1f * kHalfSpan / std::tan(kFovY * 0.5f);
  render::View view;
  view.pose = render::Pose::lookAt({0.0f, 0.0f, distance}, {0.0f, 0.0f, 0.0f});
  view.fov = render::Fov::symmetric(kFovY, 1.0f);
  return view;
}

}  // namespace pav::bench
