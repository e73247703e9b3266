// Frame benchmarks, all through the shared BenchWorld:
//
// Per-draw cost (goal: engine at most 1.5x raw per draw). N draws of one small mesh recorded
// and submitted through Renderer::drawFrame, against a minimal raw-Vulkan loop recording the
// same draws into the same render pass with the same pipeline, descriptor set, buffers and
// push constants. Both sides keep two frames in flight, so steady state is "wait for the frame
// before last, record, submit": the benchmark thread's CPU time is what the engine adds on top
// of the driver, and real time also shows how long lavapipe takes to execute the frames it is
// handed. The raw loop calls the driver through its own volk device table (RawFrames::vk), not
// the engine's dispatch.
//
// Multiview stereo against mono (goal: stereo at most 1.15x mono). The demo scene drawn
// through drawFrame into a mono target and into a two-layer multiview target of the same
// per-eye size. Multiview records one pass for both eyes, so the recording is the same; real
// time also shows the second layer's work, which on lavapipe is CPU work on driver threads.
#include <array>
#include <span>
#include <vector>

#include "bench_world.h"

namespace pav::bench {
namespace {

// Every benchmark starts and ends with the device idle, so none runs while the previous one's
// frames are still executing on lavapipe's threads.
void settle(BenchWorld& w) { w.renderer.waitIdle(); }

void BM_EngineDraws(benchmark::State& state) {
  BenchWorld* w = BenchWorld::get(state);
  if (!w) return;
  guarded(state, [&] {
    const uint32_t count = static_cast<uint32_t>(state.range(0));
    const render::Scene& scene = w->boxScene(count);
    const render::View view = BenchWorld::boxView();
    settle(*w);
    for (auto _ : state) {
      if (!w->renderer.drawFrame(w->drawTarget, scene, {&view, 1})) {
        state.SkipWithError("the offscreen target skipped a frame");
        break;
      }
    }
    settle(*w);
    if (w->renderer.stats().lastDrawCount != count)
      state.SkipWithError("the engine recorded a different number of draws than asked");
    state.SetItemsProcessed(int64_t(state.iterations()) * count);
  });
}

void BM_RawVulkanDraws(benchmark::State& state) {
  BenchWorld* w = BenchWorld::get(state);
  if (!w) return;
  guarded(state, [&] {
    const uint32_t count = static_cast<uint32_t>(state.range(0));
    const render::Scene& scene = w->boxScene(count);
    const render::View view = BenchWorld::boxView();
    render::OffscreenTarget& target = w->drawTarget;
    const VkDevice device = w->context.device();
    const VkQueue queue = w->context.queue();
    const render::Renderer::RawAccess access = w->renderer.rawAccess(target, w->box);

    // The descriptor set is the engine's slot 0 uniforms; let the engine write this view and
    // light into them (an empty scene costs nothing) so the raw frames rasterise the same
    // picture and lavapipe's load is the same on both sides.
    render::Scene primer;
    primer.light = scene.light;
    primer.clearColor = scene.clearColor;
    for (uint32_t i = 0; i < w->renderer.framesInFlight(); ++i)
      w->renderer.drawFrame(target, primer, {&view, 1});
    settle(*w);

    // Exactly the data the engine pushes, built once outside the timed loop: a raw renderer
    // would keep its draw constants in this form rather than converting them every frame.
    const std::vector<render::DrawPush>& pushes = w->boxPushes(count);

    // An offscreen target hands out the same framebuffer for every slot.
    render::TargetFrame frame;
    target.acquire(0, frame);
    VkClearValue clears[2];
    clears[0].color = {{scene.clearColor.r, scene.clearColor.g, scene.clearColor.b, scene.clearColor.a}};
    clears[1].depthStencil = {1.0f, 0};
    VkRenderPassBeginInfo pass{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
    pass.renderPass = target.renderPass();
    pass.framebuffer = frame.framebuffer;
    pass.renderArea = {{0, 0}, frame.extent};
    pass.clearValueCount = 2;
    pass.pClearValues = clears;
    const VkViewport viewport{0.0f, 0.0f, float(frame.extent.width), float(frame.extent.height), 0.0f, 1.0f};
    const VkRect2D scissor{{0, 0}, frame.extent};
    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    const VkDeviceSize vertexOffset = 0;

    RawFrames& raw = w->raw;
    const VolkDeviceTable& vk = raw.vk;
    uint64_t frameIndex = 0;
    for (auto _ : state) {
      const uint32_t slot = static_cast<uint32_t>(frameIndex++ % RawFrames::kCount);
      VkFence fence = raw.fences[slot];
      VK_CHECK(vk.vkWaitForFences(device, 1, &fence, VK_TRUE, UINT64_MAX));
      VK_CHECK(vk.vkResetFences(device, 1, &fence));
      VK_CHECK(vk.vkResetCommandPool(device, raw.pools[slot], 0));
      const VkCommandBuffer cmd = raw.commands[slot];
      VK_CHECK(vk.vkBeginCommandBuffer(cmd, &begin));
      vk.vkCmdBeginRenderPass(cmd, &pass, VK_SUBPASS_CONTENTS_INLINE);
      vk.vkCmdSetViewport(cmd, 0, 1, &viewport);
      vk.vkCmdSetScissor(cmd, 0, 1, &scissor);
      vk.vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, access.pipeline);
      const VkDescriptorSet sets[2] = {access.descriptorSet, access.materialSet};
      vk.vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, access.layout, 0, 2, sets, 0, nullptr);
      vk.vkCmdBindVertexBuffers(cmd, 0, 1, &access.vertexBuffer, &vertexOffset);
      vk.vkCmdBindIndexBuffer(cmd, access.indexBuffer, 0, VK_INDEX_TYPE_UINT32);
      for (const render::DrawPush& push : pushes) {
        vk.vkCmdPushConstants(cmd, access.layout, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof push, &push);
        vk.vkCmdDrawIndexed(cmd, access.indexCount, 1, 0, 0, 0);
      }
      vk.vkCmdEndRenderPass(cmd);
      VK_CHECK(vk.vkEndCommandBuffer(cmd));
      VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
      submit.commandBufferCount = 1;
      submit.pCommandBuffers = &cmd;
      VK_CHECK(vk.vkQueueSubmit(queue, 1, &submit, fence));
    }
    settle(*w);
    state.SetItemsProcessed(int64_t(state.iterations()) * count);
  });
}

void runDemoFrames(benchmark::State& state, BenchWorld& w, render::Target& target,
                   std::span<const render::View> views) {
  guarded(state, [&] {
    settle(w);
    for (auto _ : state) {
      if (!w.renderer.drawFrame(target, w.demoScene, views)) {
        state.SkipWithError("the offscreen target skipped a frame");
        break;
      }
    }
    settle(w);
    const int64_t draws = static_cast<int64_t>(w.demoScene.draws.size());
    state.SetItemsProcessed(int64_t(state.iterations()) * draws);
    state.counters["views"] = static_cast<double>(views.size());
  });
}

void BM_MonoDemoScene(benchmark::State& state) {
  BenchWorld* w = BenchWorld::get(state);
  if (!w) return;
  const render::View view = demo::demoMonoView(1.0f);  // the mono target is square
  runDemoFrames(state, *w, w->monoTarget, {&view, 1});
}

void BM_StereoDemoScene(benchmark::State& state) {
  BenchWorld* w = BenchWorld::get(state);
  if (!w) return;
  const std::array<render::View, 2> eyes = demo::demoStereoViews();
  runDemoFrames(state, *w, w->stereoTarget, eyes);
}

}  // namespace

// Registered pairwise, engine then raw for each size, so the two runs being compared sit next
// to each other in time (same caches, clocks and background load) rather than minutes apart.
BENCHMARK(BM_EngineDraws)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RawVulkanDraws)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EngineDraws)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RawVulkanDraws)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MonoDemoScene)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StereoDemoScene)->Unit(benchmark::kMicrosecond);

}  // namespace pav::bench
