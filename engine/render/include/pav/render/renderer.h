// The renderer: meshes, the lit material, frames in flight, and drawing a Scene into any
// Target, mono or stereo (one multiview pass, or one pass per eye where the target's format
// says passPerView), with optional read-back to a Picture.
//
//   Renderer r(context, {});
//   MeshId box = r.loadMesh(makeBox({1, 1, 1}));
//   scene.draws.push_back({box, model, {1, 0, 0, 1}});
//   r.drawFrame(target, scene, views);          // 1 view for mono, 2 for a stereo target
//   auto pictures = r.capture(target, scene, views);  // one Picture per view
//
// Each frame slot (two by default) has its own fence, command pool, uniform buffer and
// deletion list; drawFrame waits only for the slot it reuses. Once meshes are loaded and
// pipelines exist, drawFrame allocates nothing on the heap.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <glm/glm.hpp>

#include "pav/render/camera.h"
#include "pav/render/memory.h"
#include "pav/render/mesh.h"
#include "pav/render/picture.h"
#include "pav/render/scene.h"
#include "pav/render/target.h"
#include "pav/render/vk.h"

namespace pav::render {

class Context;

struct RendererDesc {
  uint32_t framesInFlight = 0;  // 0 means 2
  std::string shaderDir;        // empty: PAV_SHADER_DIR, else <executable dir>/../shaders
};

struct FrameStats {
  uint64_t framesDrawn = 0;
  uint64_t framesSkipped = 0;  // target had nothing to draw into
  uint32_t lastDrawCount = 0;
  uint32_t lastMeshBinds = 0;
};

// GPU layouts shared with shaders/lit.vert and lit.frag.
struct FrameUniforms {
  glm::mat4 viewProjection[2];
  glm::vec4 eyePosition[2];
  glm::vec4 lightDirection;
  glm::vec4 lightColor;
  glm::vec4 ambient;
};
static_assert(sizeof(FrameUniforms) == 208, "FrameUniforms must match the shaders' Frame block");

struct DrawPush {
  glm::mat4 model;
  glm::vec4 color;
};
static_assert(sizeof(DrawPush) == 80, "DrawPush must match the shaders' push constants");

class Renderer {
 public:
  // Throws pav::Error if the shaders cannot be found or are not valid SPIR-V.
  Renderer(Context& context, const RendererDesc& desc = {});
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // ---- Meshes: staged upload into device-local buffers ------------------------------------
  MeshId loadMesh(const MeshData& data);
  // Freed once every frame that may still use it has finished.
  void unloadMesh(MeshId id);
  uint32_t meshIndexCount(MeshId id) const;

  // ---- Frames -------------------------------------------------------------------------------
  // Records and submits one frame. `views` must hold target.format().viewCount views.
  // Returns false if the target skipped the frame (minimised window, swapchain rebuilt).
  bool drawFrame(Target& target, const Scene& scene, std::span<const View> views);
  // Draws one frame, copies its colour back and waits for it: one Picture per view.
  // Empty if the target skipped the frame or changed size while acquiring it (try again).
  // For screenshots and tests, not for every frame.
  std::vector<Picture> capture(Target& target, const Scene& scene, std::span<const View> views);
  void waitIdle();

  // ---- Shaders ------------------------------------------------------------------------------
  // The GLSL sources (under shaders/) of the vertex and fragment stages, built to <name>.spv.
  static constexpr const char* kShaderSources[2] = {"lit.vert", "lit.frag"};
  // Shader hot reload (shader_watch.h): checks both modules like a loaded file, waits for the
  // device, and makes every pipeline in use again from them. Throws pav::Error, keeping the
  // shaders and pipelines it had, if either is not valid SPIR-V of its stage or the driver
  // refuses a pipeline. Between frames only; allocates (it is not a per-frame path).
  void replaceShaders(std::span<const uint32_t> vertex, std::span<const uint32_t> fragment);
  uint32_t shaderGeneration() const { return shaderGeneration_; }

  const FrameStats& stats() const { return stats_; }
  uint32_t framesInFlight() const { return framesInFlight_; }
  Context& context() { return context_; }

  // ---- For benchmarks: the raw objects a baseline loop needs to record the same draws -----
  struct RawAccess {
    VkPipeline pipeline;
    VkPipelineLayout layout;
    VkDescriptorSet descriptorSet;  // frame slot 0's uniforms
    VkBuffer vertexBuffer, indexBuffer;
    uint32_t indexCount;
  };
  RawAccess rawAccess(const Target& target, MeshId mesh);

 private:
  struct Mesh {
    Buffer vertices, indices;
    uint32_t indexCount = 0;
    uint32_t generation = 0;
    bool live = false;
  };
  struct FrameSlot {
    UniqueFence fence;
    UniqueCommandPool pool;
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    Buffer uniforms;
    VkDescriptorSet set = VK_NULL_HANDLE;
    std::vector<Buffer> deletions;  // freed when this slot's fence next signals
  };
  // A target format and, for passPerView formats, the eye the pipeline draws (kFirstView).
  struct PipelineKey {
    TargetFormat format;
    uint32_t firstView = 0;
    bool operator==(const PipelineKey&) const = default;
  };
  struct PipelineKeyHash {
    size_t operator()(const PipelineKey& k) const {
      const TargetFormat& f = k.format;
      return size_t(f.color) * 1000003u ^ size_t(f.depth) * 7919u ^ f.viewCount ^
             (size_t(f.passPerView) << 4) ^ (size_t(k.firstView) << 5);
    }
  };

  VkPipeline pipelineFor(const TargetFormat& format, uint32_t firstView = 0);
  UniquePipeline createPipeline(const PipelineKey& key, VkShaderModule vertex, VkShaderModule fragment) const;
  // The scene's draws into the render pass begun on `cmd`; counts draws and mesh binds.
  void recordDraws(VkCommandBuffer cmd, const Scene& scene, uint32_t& draws, uint32_t& binds) const;
  bool record(Target& target, const Scene& scene, std::span<const View> views, Buffer* readback);
  const Mesh* lookup(MeshId id) const;

  Context& context_;
  uint32_t framesInFlight_;
  UniqueShaderModule vertexShader_, fragmentShader_;
  uint32_t shaderGeneration_ = 0;  // shaders replaced so far
  UniqueDescriptorSetLayout setLayout_;
  UniquePipelineLayout pipelineLayout_;
  UniqueDescriptorPool descriptorPool_;
  std::unordered_map<PipelineKey, UniquePipeline, PipelineKeyHash> pipelines_;
  std::vector<Mesh> meshes_;
  std::vector<uint32_t> freeMeshSlots_;
  FrameSlot slots_[kMaxFramesInFlight];
  uint64_t frameIndex_ = 0;
  FrameStats stats_;
  Buffer readback_;
  bool lastFrameCopied_ = false;
};

}  // namespace pav::render
