// The sun's cascaded shadow maps (internal to the render room): the cascades fitted to the
// views, texel-snapped so they stay put as the head moves; one depth pass per cascade into a
// layer of one array image, drawn once a frame and sampled by both eyes (shaders/shadow.glsl).
//
//   ShadowPass shadows(context, shaderDir, layout, framesInFlight);  // binds 1 and 2 of set 0
//   shadows.writeDescriptors(set, slot);                              // once per frame slot
//   if (shadows.update(slot, scene, views)) for each cascade: begin, the scene's draws, end
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <glm/glm.hpp>

#include "pav/render/camera.h"
#include "pav/render/memory.h"
#include "pav/render/scene.h"
#include "pav/render/target.h"
#include "pav/render/vk.h"

namespace pav::render {

class Context;

constexpr uint32_t kMaxCascades = 4;
constexpr uint32_t kDefaultShadowMapSize = 1024;

// Matches shaders/shadow.glsl's Shadows block.
struct ShadowUniforms {
  glm::mat4 cascadeViewProjection[kMaxCascades];
  glm::vec4 texelWorld;  // a texel's size in metres, per cascade
  glm::vec4 params;      // x: cascades in use (0: off), y: map size in texels
};
static_assert(sizeof(ShadowUniforms) == 288, "ShadowUniforms must match shaders/shadow.glsl");

// The cascades for `views` (their frusta's union, sliced between the near plane and
// settings.distance), for a sun whose light travels along `lightDirection`. Each cascade is a
// sphere's square, its centre snapped to whole texels of a `mapSize` map. Pure: tested alone.
void fitCascades(const Shadows& settings, const glm::vec3& lightDirection, std::span<const View> views,
                 uint32_t mapSize, ShadowUniforms& out);

class ShadowPass {
 public:
  // `frameLayout`: the lit pipelines' layout (set 0 with bindings 1 and 2 below; DrawPush).
  ShadowPass(Context& context, const std::string& shaderDir, VkPipelineLayout frameLayout, uint32_t framesInFlight,
             uint32_t mapSize);
  ~ShadowPass();
  ShadowPass(const ShadowPass&) = delete;
  ShadowPass& operator=(const ShadowPass&) = delete;

  // Set 0's bindings 1 (the Shadows uniforms) and 2 (the map), for the frame set's layout.
  static constexpr uint32_t kBindingCount = 2;
  static void bindings(VkDescriptorSetLayoutBinding out[kBindingCount]);
  void writeDescriptors(VkDescriptorSet set, uint32_t slot) const;

  // Fits the cascades and writes the slot's uniforms. Returns the cascades to draw (0: none).
  uint32_t update(uint32_t slot, const Scene& scene, std::span<const View> views);
  // One cascade's depth pass, begun and its pipeline bound; the caller records the draws.
  void begin(VkCommandBuffer cmd, uint32_t cascade) const;
  void end(VkCommandBuffer cmd) const;

 private:
  Context& context_;
  uint32_t mapSize_;
  Image map_;  // D16, kMaxCascades layers, sampled as sampler2DArrayShadow
  UniqueImageView layerViews_[kMaxCascades];
  UniqueSampler sampler_;
  UniqueRenderPass pass_;
  UniqueFramebuffer framebuffers_[kMaxCascades];
  UniqueShaderModule vertex_;
  UniquePipeline pipelines_[kMaxCascades];  // kCascade specialised
  Buffer uniforms_[kMaxFramesInFlight];
};

}  // namespace pav::render
