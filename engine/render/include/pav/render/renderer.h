// The renderer: meshes, the lit material, frames in flight, and drawing a Scene into any
// Target, mono or stereo (one multiview pass, or one pass per eye where the target's format
// says passPerView), with optional read-back to a Picture. After the opaque draws it draws the
// Scene's UI quads (panels, bars, SDF text: renderer_ui.cpp) alpha-blended, uploading the
// glyph atlas where it changed before the render pass.
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
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <glm/glm.hpp>

#include "pav/render/camera.h"
#include "pav/render/glance.h"
#include "pav/render/memory.h"
#include "pav/render/mesh.h"
#include "pav/render/picture.h"
#include "pav/render/scene.h"
#include "pav/render/target.h"
#include "pav/render/vk.h"

namespace pav::render {

class Context;
class Materials;  // material_local.h
class ShadowPass;  // shadows.h: the sun's cascaded shadow maps (Scene::shadows)

struct RendererDesc {
  uint32_t framesInFlight = 0;  // 0 means 2
  std::string shaderDir;        // empty: PAV_SHADER_DIR, else <executable dir>/../shaders
  uint32_t shadowMapSize = 0;   // texels per side of each shadow cascade; 0 means 1024
};

struct FrameStats {
  uint64_t framesDrawn = 0;
  uint64_t framesSkipped = 0;  // target had nothing to draw into
  uint32_t lastDrawCount = 0;
  uint32_t lastMeshBinds = 0;
  uint32_t lastMaterialBinds = 0;  // material sets bound in the last frame (one view's pass)
  uint32_t lastUiQuads = 0;        // UI quads drawn in the last frame (one view's pass)
  uint64_t atlasUploads = 0;       // glyph atlas copies to the GPU so far
  uint64_t atlasBytesUploaded = 0;
};

// One UI quad as the UI pipeline's instance data (shaders/ui.vert): UiQuad packed into vec4s.
struct UiGpuQuad {
  glm::vec4 centre;  // w: kind
  glm::vec4 axisX;   // w: corner radius / outline width
  glm::vec4 axisY;   // w: the atlas's spread
  glm::vec4 uv;
  glm::vec4 color;
  glm::vec4 outline;
};
static_assert(sizeof(UiGpuQuad) == 96, "UiGpuQuad must match shaders/ui.vert's inputs");

// GPU layouts shared with shaders/lit.vert and lit.frag.
struct FrameUniforms {
  glm::mat4 viewProjection[2];
  glm::vec4 eyePosition[2];
  glm::vec4 lightDirection;
  glm::vec4 lightColor;
  glm::vec4 ambient;  // w: the sky's scale in reflections
  // The sky, the fog and the ambient light from the sky (sky.cpp; shaders/sky.glsl).
  glm::mat4 inverseViewProjection[2];
  glm::vec4 skyZenith, skyHorizon, skyGround, fog;
  glm::vec4 ambientSH[9];
};
static_assert(sizeof(FrameUniforms) == 544, "FrameUniforms must match the shaders' Frame block");
// The sky's part of the frame's uniforms from the scene's light and sky (sky.cpp).
void fillSkyUniforms(const Scene& scene, FrameUniforms& u);

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
  // A glance (glance.h, renderer_glance.cpp): draws like drawFrame and copies the first view's
  // colour into `glance` (its buffer made at the first glance of a size), without waiting;
  // glanceReady() says when the copy may be read. For an operator's live view, every few seconds.
  bool drawFrame(Target& target, const Scene& scene, std::span<const View> views, Glance& glance);
  bool glanceReady(const Glance& glance) const;
  void waitIdle();

  // ---- Shaders ------------------------------------------------------------------------------
  // The GLSL sources (under shaders/) of the vertex and fragment stages, built to <name>.spv.
  static constexpr const char* kShaderSources[2] = {"lit.vert", "lit.frag"};
  // The UI material's and the sky's (loaded at start; not hot-reloaded).
  static constexpr const char* kUiShaderSources[2] = {"ui.vert", "ui.frag"};
  static constexpr const char* kSkyShaderSources[2] = {"sky.vert", "sky.frag"};
  // UI quads a frame draws at most (more are left out, with a warning once).
  static constexpr uint32_t kMaxUiQuads = 16384;
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
    VkDescriptorSet materialSet;    // set 1: the default material
    VkBuffer vertexBuffer, indexBuffer;
    uint32_t indexCount;
  };
  RawAccess rawAccess(const Target& target, MeshId mesh);

 private:
  // A run of a mesh's indices and the material set it is drawn with.
  struct Part {
    uint32_t firstIndex = 0, indexCount = 0;
    uint32_t material = UINT32_MAX;  // Materials handle; UINT32_MAX: the default material
    VkDescriptorSet set = VK_NULL_HANDLE;
  };
  struct Mesh {
    Buffer vertices, indices;
    std::vector<Part> parts;
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
    Buffer uiQuads;                 // UiGpuQuad instances, made with the first UI frame
    Buffer atlasStaging;            // the atlas's changed rows on their way to the GPU
  };
  // Which pipeline of a format: the lit material, the UI's (depth-tested or on top), the sky.
  enum class Material : uint8_t { Lit, Ui, UiOnTop, Sky };
  // A target format and, for passPerView formats, the eye the pipeline draws (kFirstView).
  struct PipelineKey {
    TargetFormat format;
    uint32_t firstView = 0;
    Material material = Material::Lit;
    bool operator==(const PipelineKey&) const = default;
  };
  struct PipelineKeyHash {
    size_t operator()(const PipelineKey& k) const {
      const TargetFormat& f = k.format;
      return size_t(f.color) * 1000003u ^ size_t(f.depth) * 7919u ^ f.viewCount ^
             (size_t(f.passPerView) << 4) ^ (size_t(k.firstView) << 5) ^
             (size_t(k.material) << 6) ^ (size_t(f.samples) << 8);
    }
  };

  VkPipeline pipelineFor(const TargetFormat& format, uint32_t firstView = 0, Material material = Material::Lit);
  UniquePipeline createPipeline(const PipelineKey& key, VkShaderModule vertex, VkShaderModule fragment) const;
  // ---- UI (renderer_ui.cpp) ----
  void createUiLayouts(const std::string& shaderDir);
  UniquePipeline createUiPipeline(const PipelineKey& key) const;
  // Before the render pass: the atlas's changes uploaded, the quads into the slot's instance
  // buffer, world ones first. Returns the counts of each.
  void prepareUi(FrameSlot& slot, const Scene& scene, VkCommandBuffer cmd, uint32_t& world, uint32_t& onTop);
  void recordUi(VkCommandBuffer cmd, const FrameSlot& slot, const TargetFormat& format, uint32_t pass,
                uint32_t world, uint32_t onTop);
  void recreateAtlas(uint32_t size);
  // The scene's draws into the render pass begun on `cmd`; counts draws, mesh and material binds.
  void recordDraws(VkCommandBuffer cmd, const Scene& scene, uint32_t& draws, uint32_t& binds,
                   uint32_t& materialBinds) const;
  bool record(Target& target, const Scene& scene, std::span<const View> views, Buffer* readback);
  const Mesh* lookup(MeshId id) const;

  Context& context_;
  uint32_t framesInFlight_;
  UniqueShaderModule vertexShader_, fragmentShader_;
  UniqueShaderModule uiVertexShader_, uiFragmentShader_;
  UniqueShaderModule skyVertexShader_, skyFragmentShader_;
  uint32_t shaderGeneration_ = 0;  // shaders replaced so far
  UniqueDescriptorSetLayout setLayout_;
  std::unique_ptr<Materials> materials_;  // set 1 of the lit pipeline, and the textures
  UniquePipelineLayout pipelineLayout_;
  UniqueDescriptorPool descriptorPool_;
  // The UI's: set 0 the frame's uniforms (setLayout_), set 1 the atlas.
  UniqueDescriptorSetLayout uiSetLayout_;
  UniquePipelineLayout uiPipelineLayout_;
  UniqueDescriptorPool uiDescriptorPool_;
  VkDescriptorSet uiSet_ = VK_NULL_HANDLE;
  UniqueSampler atlasSampler_;
  Image atlasImage_;             // R8, a copy of the scene's GlyphAtlas
  uint64_t atlasSerial_ = 0;     // which GlyphAtlas it holds (0: none yet)
  bool atlasFresh_ = true;       // undefined contents: the next upload is the whole atlas
  bool uiOverflowWarned_ = false;
  std::unordered_map<PipelineKey, UniquePipeline, PipelineKeyHash> pipelines_;
  std::unique_ptr<ShadowPass> shadows_;  // set 0's bindings 1 and 2; drawn before each frame's pass
  std::vector<Mesh> meshes_;
  std::vector<uint32_t> freeMeshSlots_;
  FrameSlot slots_[kMaxFramesInFlight];
  uint64_t frameIndex_ = 0;
  FrameStats stats_;
  Buffer readback_;
  bool lastFrameCopied_ = false;
  uint32_t copyViews_ = 0;       // views a read-back copies (0: all; a glance: 1)
  VkExtent2D lastCopiedExtent_{};
};

}  // namespace pav::render
