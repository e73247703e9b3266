// ShadowPass and fitCascades (see shadows.h).
//
// [SECTION] Fitting: splits, bounding spheres, texel snapping
// [SECTION] Set-up: the map, its sampler, render pass, framebuffers and pipelines
// [SECTION] Per frame
#include "shadows.h"

#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "pav/core/log.h"
#include "pav/render/context.h"
#include "pav/render/mesh.h"
#include "pav/render/renderer.h"
#include "render_local.h"

namespace pav::render {

// ---- [SECTION] Fitting -----------------------------------------------------------------------

namespace {

// How far behind a cascade (towards the sun) casters still count, in metres.
constexpr float kCasterReach = 60.0f;

// The corners of `view`'s frustum between distances d0 and d1 (along its -Z), in the world.
void sliceCorners(const View& view, float d0, float d1, glm::vec3* out) {
  const float tx[2] = {std::tan(view.fov.angleLeft), std::tan(view.fov.angleRight)};
  const float ty[2] = {std::tan(view.fov.angleDown), std::tan(view.fov.angleUp)};
  int n = 0;
  for (float d : {d0, d1})
    for (float x : tx)
      for (float y : ty) out[n++] = view.pose.position + view.pose.orientation * glm::vec3(x * d, y * d, -d);
}

}  // namespace

void fitCascades(const Shadows& settings, const glm::vec3& lightDirection, std::span<const View> views,
                 uint32_t mapSize, ShadowUniforms& out) {
  out = {};
  const uint32_t count = std::min(settings.cascades, kMaxCascades);
  out.params = glm::vec4(float(count), float(mapSize), 0, 0);
  if (count == 0 || views.empty() || settings.distance <= 0) {
    out.params.x = 0;
    return;
  }
  const float nearZ = views[0].nearZ;
  const float farZ = std::max(nearZ * 2.0f, std::min(settings.distance, views[0].farZ));
  // Practical split scheme: mostly logarithmic (fine texels near the eye), some uniform.
  float splits[kMaxCascades + 1];
  for (uint32_t i = 0; i <= count; ++i) {
    const float t = float(i) / float(count);
    const float logSplit = nearZ * std::pow(farZ / nearZ, t);
    const float uniformSplit = nearZ + (farZ - nearZ) * t;
    splits[i] = 0.8f * logSplit + 0.2f * uniformSplit;
  }
  const glm::vec3 dir = glm::normalize(lightDirection);
  const glm::vec3 up = std::abs(dir.y) > 0.99f ? glm::vec3(0, 0, 1) : glm::vec3(0, 1, 0);
  // A rotation only: the light's view of the world, the same every frame for the same sun.
  const glm::mat4 lightRotation = glm::lookAt(glm::vec3(0), dir, up);
  for (uint32_t c = 0; c < count; ++c) {
    glm::vec3 corners[16];
    const size_t viewCount = std::min<size_t>(views.size(), 2);
    for (size_t v = 0; v < viewCount; ++v) sliceCorners(views[v], splits[c], splits[c + 1], corners + v * 8);
    const size_t n = viewCount * 8;
    glm::vec3 centre(0);
    for (size_t i = 0; i < n; ++i) centre += corners[i];
    centre /= float(n);
    float radius = 0;
    for (size_t i = 0; i < n; ++i) radius = std::max(radius, glm::length(corners[i] - centre));
    // A size that does not change as the head turns (a sphere's), rounded so float noise
    // cannot change it either; then the centre snapped to whole texels, so a moving head moves
    // the map by whole texels and the shadows' edges stay still.
    radius = std::ceil(radius * 16.0f) / 16.0f;
    const float texel = 2.0f * radius / float(mapSize);
    glm::vec3 c0 = glm::vec3(lightRotation * glm::vec4(centre, 1.0f));
    c0.x = std::floor(c0.x / texel) * texel;
    c0.y = std::floor(c0.y / texel) * texel;
    const glm::mat4 projection =
        glm::orthoRH_ZO(c0.x - radius, c0.x + radius, c0.y - radius, c0.y + radius,
                        -(c0.z + radius + kCasterReach), -(c0.z - radius));
    out.cascadeViewProjection[c] = projection * lightRotation;
    out.texelWorld[c] = texel;
  }
}

// ---- [SECTION] Set-up ------------------------------------------------------------------------

ShadowPass::ShadowPass(Context& context, const std::string& shaderDir, VkPipelineLayout frameLayout,
                       uint32_t framesInFlight, uint32_t mapSize)
    : context_(context), mapSize_(mapSize ? mapSize : kDefaultShadowMapSize) {
  const VkDevice device = context.device();
  constexpr VkFormat kFormat = VK_FORMAT_D16_UNORM;  // depth and sampling everywhere (a required format)
  map_ = Image(context.allocator(), {mapSize_, mapSize_, kMaxCascades, kFormat,
                                     VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT,
                                     VK_IMAGE_ASPECT_DEPTH_BIT});
  VkFormatProperties props;
  vkGetPhysicalDeviceFormatProperties(context.physicalDevice(), kFormat, &props);
  const bool linear = props.optimalTilingFeatures & VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT;
  VkSamplerCreateInfo s{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  s.magFilter = s.minFilter = linear ? VK_FILTER_LINEAR : VK_FILTER_NEAREST;  // linear: 2x2 PCF per tap
  s.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
  s.addressModeU = s.addressModeV = s.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_BORDER;
  s.borderColor = VK_BORDER_COLOR_FLOAT_OPAQUE_WHITE;  // outside the map: lit
  s.compareEnable = VK_TRUE;
  s.compareOp = VK_COMPARE_OP_LESS_OR_EQUAL;
  s.maxLod = 0.0f;
  VkSampler sampler = VK_NULL_HANDLE;
  VK_CHECK(vkCreateSampler(device, &s, nullptr, &sampler));
  sampler_ = UniqueSampler(device, sampler);

  // Cleared, drawn, then read by the lit material of the same frame.
  VkAttachmentDescription att{};
  att.format = kFormat;
  att.samples = VK_SAMPLE_COUNT_1_BIT;
  att.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
  att.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
  att.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
  att.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
  att.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  att.finalLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
  VkAttachmentReference ref{0, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL};
  VkSubpassDescription sub{};
  sub.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
  sub.pDepthStencilAttachment = &ref;
  VkSubpassDependency deps[2]{};
  // In: the previous frame's reads of the map. Out: this frame's reads.
  deps[0].srcSubpass = VK_SUBPASS_EXTERNAL;
  deps[0].srcStageMask = VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT;
  deps[0].srcAccessMask = 0;
  deps[0].dstStageMask = VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT;
  deps[0].dstAccessMask = VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
  deps[1].srcSubpass = 0;
  deps[1].dstSubpass = VK_SUBPASS_EXTERNAL;
  deps[1].srcStageMask = VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT;
  deps[1].srcAccessMask = VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
  deps[1].dstStageMask = VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT;
  deps[1].dstAccessMask = VK_ACCESS_SHADER_READ_BIT;
  VkRenderPassCreateInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
  rp.attachmentCount = 1;
  rp.pAttachments = &att;
  rp.subpassCount = 1;
  rp.pSubpasses = &sub;
  rp.dependencyCount = 2;
  rp.pDependencies = deps;
  VkRenderPass pass = VK_NULL_HANDLE;
  VK_CHECK(vkCreateRenderPass(device, &rp, nullptr, &pass));
  pass_ = UniqueRenderPass(device, pass);
  for (uint32_t c = 0; c < kMaxCascades; ++c) {
    layerViews_[c] = createLayerView(device, map_.get(), kFormat, VK_IMAGE_ASPECT_DEPTH_BIT, c);
    const VkImageView view = layerViews_[c];
    VkFramebufferCreateInfo fb{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
    fb.renderPass = pass;
    fb.attachmentCount = 1;
    fb.pAttachments = &view;
    fb.width = fb.height = mapSize_;
    fb.layers = 1;
    VkFramebuffer f = VK_NULL_HANDLE;
    VK_CHECK(vkCreateFramebuffer(device, &fb, nullptr, &f));
    framebuffers_[c] = UniqueFramebuffer(device, f);
  }

  vertex_ = detail::loadShader(device, shaderDir + "/shadow.vert.spv", VK_SHADER_STAGE_VERTEX_BIT);
  VkVertexInputBindingDescription binding{0, sizeof(Vertex), VK_VERTEX_INPUT_RATE_VERTEX};
  VkVertexInputAttributeDescription position{0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(Vertex, position)};
  VkPipelineVertexInputStateCreateInfo input{VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
  input.vertexBindingDescriptionCount = 1;
  input.pVertexBindingDescriptions = &binding;
  input.vertexAttributeDescriptionCount = 1;
  input.pVertexAttributeDescriptions = &position;
  VkPipelineInputAssemblyStateCreateInfo assembly{VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO};
  assembly.topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST;
  const VkViewport viewport{0, 0, float(mapSize_), float(mapSize_), 0, 1};
  const VkRect2D scissor{{0, 0}, {mapSize_, mapSize_}};
  VkPipelineViewportStateCreateInfo vp{VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO};
  vp.viewportCount = 1;
  vp.pViewports = &viewport;
  vp.scissorCount = 1;
  vp.pScissors = &scissor;
  VkPipelineRasterizationStateCreateInfo raster{VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO};
  raster.polygonMode = VK_POLYGON_MODE_FILL;
  raster.cullMode = VK_CULL_MODE_NONE;  // planes and open meshes cast from both sides
  raster.lineWidth = 1.0f;
  raster.depthBiasEnable = VK_TRUE;  // with the normal offset in shadow.glsl: no acne
  raster.depthBiasConstantFactor = 1.5f;
  raster.depthBiasSlopeFactor = 2.0f;
  VkPipelineMultisampleStateCreateInfo ms{VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO};
  ms.rasterizationSamples = VK_SAMPLE_COUNT_1_BIT;
  VkPipelineDepthStencilStateCreateInfo depth{VK_STRUCTURE_TYPE_PIPELINE_DEPTH_STENCIL_STATE_CREATE_INFO};
  depth.depthTestEnable = VK_TRUE;
  depth.depthWriteEnable = VK_TRUE;
  depth.depthCompareOp = VK_COMPARE_OP_LESS;
  VkPipelineColorBlendStateCreateInfo blend{VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO};
  for (uint32_t c = 0; c < kMaxCascades; ++c) {
    const int32_t cascade = static_cast<int32_t>(c);
    const VkSpecializationMapEntry entry{1, 0, sizeof cascade};
    const VkSpecializationInfo spec{1, &entry, sizeof cascade, &cascade};
    VkPipelineShaderStageCreateInfo stage{VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    stage.stage = VK_SHADER_STAGE_VERTEX_BIT;
    stage.module = vertex_;
    stage.pName = "main";
    stage.pSpecializationInfo = &spec;
    VkGraphicsPipelineCreateInfo info{VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO};
    info.stageCount = 1;
    info.pStages = &stage;
    info.pVertexInputState = &input;
    info.pInputAssemblyState = &assembly;
    info.pViewportState = &vp;
    info.pRasterizationState = &raster;
    info.pMultisampleState = &ms;
    info.pDepthStencilState = &depth;
    info.pColorBlendState = &blend;
    info.layout = frameLayout;
    info.renderPass = pass;
    VkPipeline p = VK_NULL_HANDLE;
    VK_CHECK(vkCreateGraphicsPipelines(device, VK_NULL_HANDLE, 1, &info, nullptr, &p));
    pipelines_[c] = UniquePipeline(device, p);
  }
  for (uint32_t i = 0; i < framesInFlight; ++i)
    uniforms_[i] = Buffer(context.allocator(), {sizeof(ShadowUniforms), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
                                                MemoryUsage::Upload});
  // Sampled from the first frame on, drawn or not.
  context.submitNow([&](VkCommandBuffer cmd) {
    VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
    b.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    b.newLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
    b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT;
    b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    b.image = map_.get();
    b.subresourceRange = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, 0, kMaxCascades};
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, 0, 0,
                         nullptr, 0, nullptr, 1, &b);
  });
  PAV_DEBUG("shadows: %u cascades at most, %ux%u texels each, %s PCF", kMaxCascades, mapSize_, mapSize_,
            linear ? "bilinear" : "nearest");
}

ShadowPass::~ShadowPass() = default;

void ShadowPass::bindings(VkDescriptorSetLayoutBinding out[kBindingCount]) {
  out[0] = {1, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT,
            nullptr};
  out[1] = {2, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr};
}

void ShadowPass::writeDescriptors(VkDescriptorSet set, uint32_t slot) const {
  const VkDescriptorBufferInfo buffer{uniforms_[slot].get(), 0, sizeof(ShadowUniforms)};
  const VkDescriptorImageInfo image{sampler_, map_.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkWriteDescriptorSet w[2]{};
  w[0] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
  w[0].dstSet = set;
  w[0].dstBinding = 1;
  w[0].descriptorCount = 1;
  w[0].descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
  w[0].pBufferInfo = &buffer;
  w[1] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
  w[1].dstSet = set;
  w[1].dstBinding = 2;
  w[1].descriptorCount = 1;
  w[1].descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  w[1].pImageInfo = &image;
  vkUpdateDescriptorSets(context_.device(), 2, w, 0, nullptr);
}

// ---- [SECTION] Per frame ---------------------------------------------------------------------

uint32_t ShadowPass::update(uint32_t slot, const Scene& scene, std::span<const View> views) {
  ShadowUniforms u;
  fitCascades(scene.shadows, scene.light.direction, views, mapSize_, u);
  uniforms_[slot].write(&u, sizeof u);
  return static_cast<uint32_t>(u.params.x);
}

void ShadowPass::begin(VkCommandBuffer cmd, uint32_t cascade) const {
  const VolkDeviceTable& vk = context_.vk();
  VkClearValue clear;
  clear.depthStencil = {1.0f, 0};
  VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
  rp.renderPass = pass_;
  rp.framebuffer = framebuffers_[cascade];
  rp.renderArea = {{0, 0}, {mapSize_, mapSize_}};
  rp.clearValueCount = 1;
  rp.pClearValues = &clear;
  vk.vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
  vk.vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelines_[cascade]);
}

void ShadowPass::end(VkCommandBuffer cmd) const { context_.vk().vkCmdEndRenderPass(cmd); }

}  // namespace pav::render
