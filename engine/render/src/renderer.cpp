// Renderer: shader modules and the lit pipeline, staged mesh upload, frames in flight with
// per-slot fences and deletion lists, recording a Scene into a Target, and captures.
//
// [SECTION] set-up: shaders, layouts, descriptor sets, frame slots
// [SECTION] pipelines: one per target format, made on first use; shader hot reload
// [SECTION] meshes: staged upload, deferred unload
// [SECTION] frames: record, submit, present, capture
#include "pav/render/renderer.h"

#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "pav/core/log.h"
#include "pav/render/context.h"
#include "material_local.h"
#include "render_local.h"
#include "shadows.h"

namespace pav::render {
namespace {

std::string defaultShaderDir() {
  if (const char* env = std::getenv("PAV_SHADER_DIR")) return env;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "shaders";
  return (exe.parent_path().parent_path() / "shaders").string();
}

UniqueShaderModule createModule(VkDevice device, std::span<const uint32_t> code, const std::string& name) {
  VkShaderModuleCreateInfo info{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
  info.codeSize = code.size() * sizeof(uint32_t);
  info.pCode = code.data();
  VkShaderModule m = VK_NULL_HANDLE;
  const VkResult r = vkCreateShaderModule(device, &info, nullptr, &m);
  if (r != VK_SUCCESS) fail("the driver rejected shader '%s' (%s)", name.c_str(), resultName(r));
  return UniqueShaderModule(device, m);
}

}  // namespace

UniqueShaderModule detail::loadShader(VkDevice device, const std::string& path, VkShaderStageFlagBits stage) {
  const std::vector<uint32_t> code = loadSpirv(path, stage);
  return createModule(device, code, path);
}

// ---- [SECTION] set-up ------------------------------------------------------------------------

Renderer::Renderer(Context& context, const RendererDesc& desc)
    : context_(context),
      framesInFlight_(desc.framesInFlight ? desc.framesInFlight : 2) {
  PAV_CHECK(framesInFlight_ <= kMaxFramesInFlight, "Renderer: %u frames in flight; at most %u",
            framesInFlight_, kMaxFramesInFlight);
  const VkDevice device = context.device();
  const std::string dir = desc.shaderDir.empty() ? defaultShaderDir() : desc.shaderDir;
  vertexShader_ = detail::loadShader(device, dir + "/" + kShaderSources[0] + ".spv", VK_SHADER_STAGE_VERTEX_BIT);
  fragmentShader_ = detail::loadShader(device, dir + "/" + kShaderSources[1] + ".spv", VK_SHADER_STAGE_FRAGMENT_BIT);

  VkDescriptorSetLayoutBinding bindings[1 + ShadowPass::kBindingCount]{};
  VkDescriptorSetLayoutBinding& binding = bindings[0];
  binding.binding = 0;
  binding.descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
  binding.descriptorCount = 1;
  binding.stageFlags = VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT;
  ShadowPass::bindings(bindings + 1);
  VkDescriptorSetLayoutCreateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  setInfo.bindingCount = 1 + ShadowPass::kBindingCount;
  setInfo.pBindings = bindings;
  VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
  VK_CHECK(vkCreateDescriptorSetLayout(device, &setInfo, nullptr, &setLayout));
  setLayout_ = UniqueDescriptorSetLayout(device, setLayout);
  materials_ = std::make_unique<Materials>(context);
  skyVertexShader_ = detail::loadShader(device, dir + "/" + kSkyShaderSources[0] + ".spv", VK_SHADER_STAGE_VERTEX_BIT);
  skyFragmentShader_ =
      detail::loadShader(device, dir + "/" + kSkyShaderSources[1] + ".spv", VK_SHADER_STAGE_FRAGMENT_BIT);

  // Set 0 the frame's uniforms, set 1 the material (material_local.h).
  const VkDescriptorSetLayout litSets[2] = {setLayout, materials_->layout()};
  VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof(DrawPush)};
  VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
  layoutInfo.setLayoutCount = 2;
  layoutInfo.pSetLayouts = litSets;
  layoutInfo.pushConstantRangeCount = 1;
  layoutInfo.pPushConstantRanges = &push;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VK_CHECK(vkCreatePipelineLayout(device, &layoutInfo, nullptr, &layout));
  pipelineLayout_ = UniquePipelineLayout(device, layout);

  const VkDescriptorPoolSize poolSizes[2] = {{VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 2 * framesInFlight_},
                                             {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, framesInFlight_}};
  VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  poolInfo.maxSets = framesInFlight_;
  poolInfo.poolSizeCount = 2;
  poolInfo.pPoolSizes = poolSizes;
  VkDescriptorPool pool = VK_NULL_HANDLE;
  VK_CHECK(vkCreateDescriptorPool(device, &poolInfo, nullptr, &pool));
  descriptorPool_ = UniqueDescriptorPool(device, pool);
  shadows_ = std::make_unique<ShadowPass>(context, dir, layout, framesInFlight_, desc.shadowMapSize);

  for (uint32_t i = 0; i < framesInFlight_; ++i) {
    FrameSlot& s = slots_[i];
    VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    fenceInfo.flags = VK_FENCE_CREATE_SIGNALED_BIT;  // the first wait returns at once
    VkFence fence = VK_NULL_HANDLE;
    VK_CHECK(vkCreateFence(device, &fenceInfo, nullptr, &fence));
    s.fence = UniqueFence(device, fence);
    VkCommandPoolCreateInfo cmdPool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    cmdPool.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    cmdPool.queueFamilyIndex = context.queueFamily();
    VkCommandPool cp = VK_NULL_HANDLE;
    VK_CHECK(vkCreateCommandPool(device, &cmdPool, nullptr, &cp));
    s.pool = UniqueCommandPool(device, cp);
    VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    alloc.commandPool = cp;
    alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    alloc.commandBufferCount = 1;
    VK_CHECK(vkAllocateCommandBuffers(device, &alloc, &s.cmd));
    s.uniforms = Buffer(context.allocator(), {sizeof(FrameUniforms),
                                              VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, MemoryUsage::Upload});
    VkDescriptorSetAllocateInfo setAlloc{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    setAlloc.descriptorPool = pool;
    setAlloc.descriptorSetCount = 1;
    setAlloc.pSetLayouts = &setLayout;
    VK_CHECK(vkAllocateDescriptorSets(device, &setAlloc, &s.set));
    VkDescriptorBufferInfo bufInfo{s.uniforms.get(), 0, sizeof(FrameUniforms)};
    VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    write.dstSet = s.set;
    write.descriptorCount = 1;
    write.descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
    write.pBufferInfo = &bufInfo;
    vkUpdateDescriptorSets(device, 1, &write, 0, nullptr);
    shadows_->writeDescriptors(s.set, i);
    s.deletions.reserve(16);
  }
  createUiLayouts(dir);
}

Renderer::~Renderer() {
  waitIdle();
  // Members are destroyed in reverse order: slots (fences, pools, buffers), meshes,
  // pipelines, then layouts and shader modules.
}

void Renderer::waitIdle() {
  vkDeviceWaitIdle(context_.device());
  for (uint32_t i = 0; i < framesInFlight_; ++i) slots_[i].deletions.clear();
  if (materials_) materials_->collect(UINT64_MAX);
}

// ---- [SECTION] pipelines ---------------------------------------------------------------------

// A passPerView format has one pipeline per eye, which differ only in kFirstView (a
// specialization constant, so nothing is pushed per pass and the push-constant layout stays
// as it was); every other format has one, with kFirstView 0.
VkPipeline Renderer::pipelineFor(const TargetFormat& format, uint32_t firstView, Material material) {
  const PipelineKey key{format, format.passPerView ? firstView : 0, material};
  const auto found = pipelines_.find(key);
  if (found != pipelines_.end()) return found->second;
  UniquePipeline pipeline = createPipeline(key, vertexShader_, fragmentShader_);
  PAV_DEBUG("pipeline (material %d) for format %d/%d with %u view(s)%s, first view %u", static_cast<int>(material),
            static_cast<int>(format.color), static_cast<int>(format.depth), format.viewCount,
            format.passPerView ? " a pass each" : "", key.firstView);
  return pipelines_.emplace(key, std::move(pipeline)).first->second;
}

void Renderer::replaceShaders(std::span<const uint32_t> vertex, std::span<const uint32_t> fragment) {
  const VkDevice device = context_.device();
  detail::checkSpirv(vertex, kShaderSources[0], VK_SHADER_STAGE_VERTEX_BIT);
  detail::checkSpirv(fragment, kShaderSources[1], VK_SHADER_STAGE_FRAGMENT_BIT);
  UniqueShaderModule v = createModule(device, vertex, kShaderSources[0]);
  UniqueShaderModule f = createModule(device, fragment, kShaderSources[1]);
  // Every pipeline in use, made again before anything is swapped: a refusal leaves all as it was.
  std::unordered_map<PipelineKey, UniquePipeline, PipelineKeyHash> fresh;
  for (const auto& [key, old] : pipelines_) fresh.emplace(key, createPipeline(key, v, f));
  waitIdle();  // no frame in flight still uses the old pipelines
  pipelines_ = std::move(fresh);
  vertexShader_ = std::move(v);
  fragmentShader_ = std::move(f);
  ++shaderGeneration_;
}

UniquePipeline Renderer::createPipeline(const PipelineKey& key, VkShaderModule vertex, VkShaderModule fragment) const {
  if (key.material == Material::Sky) {
    // One triangle from gl_VertexIndex at the far plane, where nothing was drawn (depth 1).
    const VkPipelineVertexInputStateCreateInfo none{VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
    return detail::createGraphicsPipeline(context_.device(), key.format,
                                          {.vertex = skyVertexShader_,
                                           .fragment = skyFragmentShader_,
                                           .firstView = key.firstView,
                                           .fragmentUsesFirstView = true,
                                           .vertexInput = &none,
                                           .cull = VK_CULL_MODE_NONE,
                                           .depthWrite = false,
                                           .depthCompare = VK_COMPARE_OP_LESS_OR_EQUAL,
                                           .layout = pipelineLayout_});
  }
  if (key.material != Material::Lit) return createUiPipeline(key);  // its own shaders, not hot-reloaded
  VkVertexInputBindingDescription binding{0, sizeof(Vertex), VK_VERTEX_INPUT_RATE_VERTEX};
  VkVertexInputAttributeDescription attrs[4] = {
      {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(Vertex, position)},
      {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(Vertex, normal)},
      {2, 0, VK_FORMAT_R8G8B8A8_UNORM, offsetof(Vertex, color)},
      {3, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(Vertex, uv)},
  };
  VkPipelineVertexInputStateCreateInfo vertexInput{VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
  vertexInput.vertexBindingDescriptionCount = 1;
  vertexInput.pVertexBindingDescriptions = &binding;
  vertexInput.vertexAttributeDescriptionCount = 4;
  vertexInput.pVertexAttributeDescriptions = attrs;
  return detail::createGraphicsPipeline(context_.device(), key.format,
                                        {.vertex = vertex,
                                         .fragment = fragment,
                                         .firstView = key.firstView,
                                         .fragmentUsesFirstView = true,
                                         .vertexInput = &vertexInput,
                                         .layout = pipelineLayout_});
}

UniquePipeline detail::createGraphicsPipeline(VkDevice device, const TargetFormat& format, const PipelineSpec& spec) {
  // A throwaway render pass of the same format: pipelines only need a compatible one.
  UniqueRenderPass pass = createRenderPass(device, format, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL);

  VkPipelineShaderStageCreateInfo stages[2]{};
  stages[0].sType = stages[1].sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  stages[0].stage = VK_SHADER_STAGE_VERTEX_BIT;
  stages[0].module = spec.vertex;
  stages[0].pName = "main";
  stages[1].stage = VK_SHADER_STAGE_FRAGMENT_BIT;
  stages[1].module = spec.fragment;
  stages[1].pName = "main";
  const int32_t firstViewValue = static_cast<int32_t>(spec.firstView);
  const VkSpecializationMapEntry firstViewEntry{0, 0, sizeof firstViewValue};
  VkSpecializationInfo specialization{1, &firstViewEntry, sizeof firstViewValue, &firstViewValue};
  stages[0].pSpecializationInfo = &specialization;
  if (spec.fragmentUsesFirstView) stages[1].pSpecializationInfo = &specialization;

  VkPipelineInputAssemblyStateCreateInfo assembly{VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO};
  assembly.topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST;
  VkPipelineViewportStateCreateInfo viewport{VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO};
  viewport.viewportCount = 1;
  viewport.scissorCount = 1;
  VkPipelineRasterizationStateCreateInfo raster{VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO};
  raster.polygonMode = VK_POLYGON_MODE_FILL;
  raster.cullMode = spec.cull;
  raster.frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE;
  raster.lineWidth = 1.0f;
  VkPipelineMultisampleStateCreateInfo multisample{VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO};
  multisample.rasterizationSamples =
      format.samples > 1 ? static_cast<VkSampleCountFlagBits>(format.samples) : VK_SAMPLE_COUNT_1_BIT;
  VkPipelineDepthStencilStateCreateInfo depth{VK_STRUCTURE_TYPE_PIPELINE_DEPTH_STENCIL_STATE_CREATE_INFO};
  depth.depthTestEnable = spec.depthTest ? VK_TRUE : VK_FALSE;
  depth.depthWriteEnable = spec.depthWrite ? VK_TRUE : VK_FALSE;
  depth.depthCompareOp = spec.depthCompare;
  VkPipelineColorBlendAttachmentState blendAttachment{};
  if (spec.premultipliedBlend) {
    blendAttachment.blendEnable = VK_TRUE;
    blendAttachment.srcColorBlendFactor = VK_BLEND_FACTOR_ONE;
    blendAttachment.dstColorBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
    blendAttachment.colorBlendOp = VK_BLEND_OP_ADD;
    blendAttachment.srcAlphaBlendFactor = VK_BLEND_FACTOR_ONE;
    blendAttachment.dstAlphaBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
    blendAttachment.alphaBlendOp = VK_BLEND_OP_ADD;
  }
  blendAttachment.colorWriteMask = VK_COLOR_COMPONENT_R_BIT | VK_COLOR_COMPONENT_G_BIT |
                                   VK_COLOR_COMPONENT_B_BIT | VK_COLOR_COMPONENT_A_BIT;
  VkPipelineColorBlendStateCreateInfo blend{VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO};
  blend.attachmentCount = 1;
  blend.pAttachments = &blendAttachment;
  const VkDynamicState dynamicStates[2] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
  VkPipelineDynamicStateCreateInfo dynamic{VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO};
  dynamic.dynamicStateCount = 2;
  dynamic.pDynamicStates = dynamicStates;

  VkGraphicsPipelineCreateInfo info{VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO};
  info.stageCount = 2;
  info.pStages = stages;
  info.pVertexInputState = spec.vertexInput;
  info.pInputAssemblyState = &assembly;
  info.pViewportState = &viewport;
  info.pRasterizationState = &raster;
  info.pMultisampleState = &multisample;
  info.pDepthStencilState = &depth;
  info.pColorBlendState = &blend;
  info.pDynamicState = &dynamic;
  info.layout = spec.layout;
  info.renderPass = pass;
  VkPipeline pipeline = VK_NULL_HANDLE;
  VK_CHECK(vkCreateGraphicsPipelines(device, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline));
  return UniquePipeline(device, pipeline);
}

// ---- [SECTION] meshes ------------------------------------------------------------------------

MeshId Renderer::loadMesh(const MeshData& data) {
  PAV_CHECK(!data.vertices.empty() && !data.indices.empty() && data.indices.size() % 3 == 0,
            "loadMesh: a mesh needs vertices and a whole number of triangles (%zu vertices, "
            "%zu indices)", data.vertices.size(), data.indices.size());
  for (uint32_t i : data.indices)
    PAV_CHECK(i < data.vertices.size(), "loadMesh: index %u out of range (%zu vertices)", i,
              data.vertices.size());
  for (const Submesh& s : data.submeshes)
    PAV_CHECK(s.firstIndex <= data.indices.size() && s.indexCount <= data.indices.size() - s.firstIndex &&
                  s.indexCount % 3 == 0 && s.material < data.materials.size(),
              "loadMesh: a submesh (indices %u + %u, material %u) is out of range (%zu indices, %zu materials)",
              s.firstIndex, s.indexCount, s.material, data.indices.size(), data.materials.size());
  Allocator& alloc = context_.allocator();
  const VkDeviceSize vbytes = data.vertices.size() * sizeof(Vertex);
  const VkDeviceSize ibytes = data.indices.size() * sizeof(uint32_t);
  Buffer staging(alloc, {vbytes + ibytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, MemoryUsage::Upload});
  staging.write(data.vertices.data(), vbytes, 0);
  staging.write(data.indices.data(), ibytes, vbytes);
  Mesh mesh;
  mesh.vertices = Buffer(alloc, {vbytes, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                 MemoryUsage::GpuOnly});
  mesh.indices = Buffer(alloc, {ibytes, VK_BUFFER_USAGE_INDEX_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                MemoryUsage::GpuOnly});
  mesh.indexCount = static_cast<uint32_t>(data.indices.size());
  // Its materials, each made once however many submeshes draw with it; their textures are
  // uploaded here (or found uploaded already).
  std::vector<uint32_t> handles;
  for (const MaterialData& m : data.materials) handles.push_back(materials_->create(m));
  if (data.submeshes.empty()) {
    mesh.parts.push_back({0, mesh.indexCount, handles.empty() ? UINT32_MAX : handles[0], VK_NULL_HANDLE});
  } else {
    for (const Submesh& s : data.submeshes)
      if (s.indexCount) mesh.parts.push_back({s.firstIndex, s.indexCount, handles[s.material], VK_NULL_HANDLE});
  }
  for (size_t h = 1; h < handles.size() && data.submeshes.empty(); ++h) materials_->release(handles[h], 0);
  for (Part& p : mesh.parts)
    p.set = p.material == UINT32_MAX ? materials_->defaultSet() : materials_->set(p.material);
  context_.submitNow([&](VkCommandBuffer cmd) {
    const VkBufferCopy v{0, 0, vbytes}, i{vbytes, 0, ibytes};
    vkCmdCopyBuffer(cmd, staging.get(), mesh.vertices.get(), 1, &v);
    vkCmdCopyBuffer(cmd, staging.get(), mesh.indices.get(), 1, &i);
    VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    barrier.dstAccessMask = VK_ACCESS_VERTEX_ATTRIBUTE_READ_BIT | VK_ACCESS_INDEX_READ_BIT;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_VERTEX_INPUT_BIT,
                         0, 1, &barrier, 0, nullptr, 0, nullptr);
  });
  uint32_t index;
  if (!freeMeshSlots_.empty()) {
    index = freeMeshSlots_.back();
    freeMeshSlots_.pop_back();
  } else {
    index = static_cast<uint32_t>(meshes_.size());
    meshes_.emplace_back();
  }
  mesh.generation = meshes_[index].generation + 1;
  mesh.live = true;
  meshes_[index] = std::move(mesh);
  return {index, meshes_[index].generation};
}

const Renderer::Mesh* Renderer::lookup(MeshId id) const {
  if (id.index >= meshes_.size()) return nullptr;
  const Mesh& m = meshes_[id.index];
  return m.live && m.generation == id.generation ? &m : nullptr;
}

uint32_t Renderer::meshIndexCount(MeshId id) const {
  const Mesh* m = lookup(id);
  return m ? m->indexCount : 0;
}

void Renderer::unloadMesh(MeshId id) {
  if (!lookup(id)) return;
  Mesh& m = meshes_[id.index];
  if (frameIndex_ == 0) {
    m.vertices = Buffer();
    m.indices = Buffer();
  } else {
    // Frames up to the last submitted one may still read it: free when that slot comes round.
    auto& list = slots_[(frameIndex_ - 1) % framesInFlight_].deletions;
    list.push_back(std::move(m.vertices));
    list.push_back(std::move(m.indices));
  }
  // Its materials, once the last frame that may draw them has finished.
  for (const Part& p : m.parts)
    if (p.material != UINT32_MAX) materials_->release(p.material, frameIndex_ == 0 ? 0 : frameIndex_ - 1);
  // No frame drawn yet: nothing can be using them.
  if (frameIndex_ == 0) materials_->collect(UINT64_MAX);
  m.parts.clear();
  m.live = false;
  freeMeshSlots_.push_back(id.index);
}

Renderer::RawAccess Renderer::rawAccess(const Target& target, MeshId id) {
  const Mesh* m = lookup(id);
  PAV_CHECK(m, "rawAccess: no such mesh");
  return {pipelineFor(target.format()), pipelineLayout_, slots_[0].set, materials_->defaultSet(), m->vertices.get(),
          m->indices.get(), m->indexCount};
}

}  // namespace pav::render
