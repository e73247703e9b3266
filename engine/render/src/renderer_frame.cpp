// Renderer, the per-frame half: wait for the slot, acquire, record the scene, submit,
// present; and captures, which add a copy of the colour image to a read-back buffer.
// Nothing in here allocates on the heap once pipelines exist (captures aside).
#include <algorithm>
#include <cstddef>
#include <cstring>

#include "pav/core/log.h"
#include "pav/render/context.h"
#include "pav/render/renderer.h"
#include "material_local.h"
#include "render_local.h"
#include "shadows.h"

namespace pav::render {

bool Renderer::drawFrame(Target& target, const Scene& scene, std::span<const View> views) {
  return record(target, scene, views, nullptr);
}

bool Renderer::record(Target& target, const Scene& scene, std::span<const View> views,
                      Buffer* readback) {
  const TargetFormat format = target.format();
  PAV_CHECK(views.size() == format.viewCount,
            "drawFrame: the target draws %u view(s) but %zu were given", format.viewCount,
            views.size());
  PAV_CHECK(!format.passPerView || format.viewCount <= 2, "drawFrame: %u views a pass each; at most 2",
            format.viewCount);
  // Made before anything waits or records (the first frame of a format builds its pipelines).
  const VkPipeline firstPipeline = pipelineFor(format, 0);
  if (format.passPerView) pipelineFor(format, 1);
  if (scene.sky.enabled)
    for (uint32_t view = 0; view < (format.passPerView ? 2u : 1u); ++view) pipelineFor(format, view, Material::Sky);
  if (!scene.ui.empty())
    for (uint32_t view = 0; view < (format.passPerView ? 2u : 1u); ++view) {
      pipelineFor(format, view, Material::Ui);
      pipelineFor(format, view, Material::UiOnTop);
    }
  const VkDevice device = context_.device();
  const uint32_t slotIndex = static_cast<uint32_t>(frameIndex_ % framesInFlight_);
  FrameSlot& slot = slots_[slotIndex];

  VkFence fence = slot.fence;
  VK_CHECK(context_.vk().vkWaitForFences(device, 1, &fence, VK_TRUE, UINT64_MAX));
  slot.deletions.clear();
  // Every frame before this slot's last one has finished: their released materials can go.
  if (frameIndex_ >= framesInFlight_) materials_->collect(frameIndex_ - framesInFlight_ + 1);

  TargetFrame frame;
  if (!target.acquire(slotIndex, frame)) {
    ++stats_.framesSkipped;
    return false;
  }
  VK_CHECK(context_.vk().vkResetFences(device, 1, &fence));
  VK_CHECK(context_.vk().vkResetCommandPool(device, slot.pool, 0));

  FrameUniforms u{};
  for (uint32_t i = 0; i < 2; ++i) {
    const View& v = views[i < views.size() ? i : 0];
    u.viewProjection[i] = v.viewProjection();
    u.eyePosition[i] = glm::vec4(v.pose.position, 1.0f);
    u.inverseViewProjection[i] = glm::inverse(u.viewProjection[i]);
  }
  u.lightDirection = glm::vec4(glm::normalize(scene.light.direction), 0.0f);
  u.lightColor = glm::vec4(scene.light.color, 1.0f);
  u.ambient = glm::vec4(scene.light.ambient, 1.0f);
  fillSkyUniforms(scene, u);
  slot.uniforms.write(&u, sizeof u);

  const VkCommandBuffer cmd = slot.cmd;
  const VolkDeviceTable& vk = context_.vk();
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  VK_CHECK(vk.vkBeginCommandBuffer(cmd, &begin));
  // The UI's atlas changes and quads, before the render pass (copies cannot go inside one).
  uint32_t uiWorld = 0, uiOnTop = 0;
  if (!scene.ui.empty()) prepareUi(slot, scene, cmd, uiWorld, uiOnTop);
  // The sun's shadow maps: drawn once, before the eyes' pass(es), which both sample them.
  const uint32_t cascades = shadows_->update(slotIndex, scene, views);
  for (uint32_t c = 0; c < cascades; ++c) {
    shadows_->begin(cmd, c);
    vk.vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelineLayout_, 0, 1, &slot.set, 0, nullptr);
    uint32_t shadowDraws = 0, shadowBinds = 0, shadowMaterials = 0;  // not counted as the frame's
    recordDraws(cmd, scene, shadowDraws, shadowBinds, shadowMaterials);
    shadows_->end(cmd);
  }

  VkClearValue clears[2];
  clears[0].color = {{scene.clearColor.r, scene.clearColor.g, scene.clearColor.b, scene.clearColor.a}};
  clears[1].depthStencil = {1.0f, 0};
  VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
  rp.renderPass = target.renderPass();
  rp.renderArea = {{0, 0}, frame.extent};
  rp.clearValueCount = 2;
  rp.pClearValues = clears;
  const VkViewport viewport{0.0f, 0.0f, float(frame.extent.width), float(frame.extent.height), 0.0f, 1.0f};
  const VkRect2D scissor{{0, 0}, frame.extent};

  // One pass for mono and multiview; one per eye, each into its own layer with that eye's
  // pipeline, where the driver's multiview is unreliable (Context::multiviewReliable).
  const uint32_t passes = format.passPerView ? format.viewCount : 1;
  uint32_t draws = 0, binds = 0, materialBinds = 0;
  for (uint32_t pass = 0; pass < passes; ++pass) {
    rp.framebuffer = format.passPerView ? frame.layerFramebuffers[pass] : frame.framebuffer;
    const VkPipeline pipeline = format.passPerView ? pipelineFor(format, pass) : firstPipeline;
    vk.vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
    vk.vkCmdSetViewport(cmd, 0, 1, &viewport);
    vk.vkCmdSetScissor(cmd, 0, 1, &scissor);
    vk.vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline);
    vk.vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelineLayout_, 0, 1,
                               &slot.set, 0, nullptr);
    draws = binds = materialBinds = 0;  // stats count one view's pass
    recordDraws(cmd, scene, draws, binds, materialBinds);
    if (scene.sky.enabled) {
      // After the opaque draws: the sky fills only what they left at the far plane.
      vk.vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelineFor(format, pass, Material::Sky));
      vk.vkCmdDraw(cmd, 3, 1, 0, 0);
    }
    if (uiWorld + uiOnTop) recordUi(cmd, slot, format, pass, uiWorld, uiOnTop);
    vk.vkCmdEndRenderPass(cmd);
  }

  // A window may have been rebuilt larger during acquire: then this frame is drawn but not
  // copied, and capture() reports it skipped.
  // A glance (renderer_glance.cpp) copies the first view only.
  const uint32_t copied = copyViews_ ? std::min(copyViews_, format.viewCount) : format.viewCount;
  const VkDeviceSize needed = VkDeviceSize(frame.extent.width) * frame.extent.height * 4 * copied;
  if (readback && readback->size() < needed) readback = nullptr;
  lastFrameCopied_ = readback != nullptr;
  lastCopiedExtent_ = frame.extent;
  if (readback) {
    const uint32_t layers = copied;
    detail::imageBarrier(vk, cmd, frame.colorImage, layers, frame.finalLayout,
                         VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                         VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                         VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_ACCESS_TRANSFER_READ_BIT);
    VkBufferImageCopy copy{};
    copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, layers};
    copy.imageExtent = {frame.extent.width, frame.extent.height, 1};
    vk.vkCmdCopyImageToBuffer(cmd, frame.colorImage, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                           readback->get(), 1, &copy);
    detail::imageBarrier(vk, cmd, frame.colorImage, layers, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                         frame.finalLayout, VK_PIPELINE_STAGE_TRANSFER_BIT, 0,
                         VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0);
    VkBufferMemoryBarrier toHost{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER};
    toHost.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    toHost.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    toHost.srcQueueFamilyIndex = toHost.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    toHost.buffer = readback->get();
    toHost.size = VK_WHOLE_SIZE;
    vk.vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 0,
                         nullptr, 1, &toHost, 0, nullptr);
  }
  VK_CHECK(vk.vkEndCommandBuffer(cmd));

  const VkPipelineStageFlags waitStage = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  if (frame.waitSemaphore) {
    submit.waitSemaphoreCount = 1;
    submit.pWaitSemaphores = &frame.waitSemaphore;
    submit.pWaitDstStageMask = &waitStage;
  }
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd;
  if (frame.signalSemaphore) {
    submit.signalSemaphoreCount = 1;
    submit.pSignalSemaphores = &frame.signalSemaphore;
  }
  VK_CHECK(vk.vkQueueSubmit(context_.queue(), 1, &submit, fence));
  target.present(frame);

  ++frameIndex_;
  ++stats_.framesDrawn;
  stats_.lastDrawCount = draws;
  stats_.lastMeshBinds = binds;
  stats_.lastMaterialBinds = materialBinds;
  stats_.lastUiQuads = uiWorld + uiOnTop;
  return true;
}

// Draws in submission order; the mesh is looked up and its buffers bound only when it
// changes, so callers that sort by mesh pay one bind per mesh. Model and colour are pushed
// straight from the DrawItem, which lays them out as DrawPush does.
void Renderer::recordDraws(VkCommandBuffer cmd, const Scene& scene, uint32_t& draws, uint32_t& binds,
                           uint32_t& materialBinds) const {
  static_assert(offsetof(DrawItem, color) == offsetof(DrawItem, model) + sizeof(glm::mat4) &&
                    sizeof(DrawPush) == sizeof(glm::mat4) + sizeof(glm::vec4),
                "DrawItem::model and ::color must be laid out as DrawPush");
  const VolkDeviceTable& vk = context_.vk();
  const VkPipelineLayout layout = pipelineLayout_;
  const PFN_vkCmdPushConstants pushConstants = vk.vkCmdPushConstants;
  const PFN_vkCmdDrawIndexed drawIndexed = vk.vkCmdDrawIndexed;
  const Mesh* bound = nullptr;
  MeshId boundId;
  VkDescriptorSet boundSet = VK_NULL_HANDLE;
  for (const DrawItem& item : scene.draws) {
    if (!bound || !(item.mesh == boundId)) {
      const Mesh* mesh = lookup(item.mesh);
      if (!mesh) continue;
      const VkBuffer vb = mesh->vertices.get();
      const VkDeviceSize offset = 0;
      vk.vkCmdBindVertexBuffers(cmd, 0, 1, &vb, &offset);
      vk.vkCmdBindIndexBuffer(cmd, mesh->indices.get(), 0, VK_INDEX_TYPE_UINT32);
      bound = mesh;
      boundId = item.mesh;
      ++binds;
    }
    pushConstants(cmd, layout, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof(DrawPush), &item.model);
    for (const Part& part : bound->parts) {
      if (part.set != boundSet) {
        vk.vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, layout, 1, 1, &part.set, 0, nullptr);
        boundSet = part.set;
        ++materialBinds;
      }
      drawIndexed(cmd, part.indexCount, 1, part.firstIndex, 0, 0);
    }
    ++draws;
  }
}

std::vector<Picture> Renderer::capture(Target& target, const Scene& scene,
                                       std::span<const View> views) {
  PAV_CHECK(target.canCapture(), "capture: this target's images cannot be copied (no TRANSFER_SRC)");
  const TargetFormat format = target.format();
  const VkExtent2D extent = target.extent();
  if (extent.width == 0 || extent.height == 0) return {};  // a window with no area yet
  const VkDeviceSize bytes = VkDeviceSize(extent.width) * extent.height * 4 * format.viewCount;
  if (!readback_ || readback_.size() < bytes) {
    waitIdle();  // an older read-back buffer may belong to a frame still in flight
    readback_ = Buffer(context_.allocator(),
                       {bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUsage::Readback});
  }
  const uint32_t slotIndex = static_cast<uint32_t>(frameIndex_ % framesInFlight_);
  if (!record(target, scene, views, &readback_) || !lastFrameCopied_) return {};
  const VkExtent2D drawn = target.extent();  // the frame's real size, after any rebuild
  VkFence fence = slots_[slotIndex].fence;
  VK_CHECK(context_.vk().vkWaitForFences(context_.device(), 1, &fence, VK_TRUE, UINT64_MAX));

  const auto* src = static_cast<const uint8_t*>(readback_.mapped());
  const bool swap = format.color == VK_FORMAT_B8G8R8A8_SRGB || format.color == VK_FORMAT_B8G8R8A8_UNORM;
  std::vector<Picture> pictures(format.viewCount);
  const size_t layerBytes = size_t(drawn.width) * drawn.height * 4;
  for (uint32_t layer = 0; layer < format.viewCount; ++layer) {
    Picture& p = pictures[layer];
    p.width = drawn.width;
    p.height = drawn.height;
    p.rgba.assign(src + layer * layerBytes, src + (layer + 1) * layerBytes);
    if (swap)
      for (size_t i = 0; i < p.rgba.size(); i += 4) std::swap(p.rgba[i], p.rgba[i + 2]);
  }
  return pictures;
}

}  // namespace pav::render
