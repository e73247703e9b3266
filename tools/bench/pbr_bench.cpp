// The cost of PBR with textures: one scene drawn twice in the same run, once with every mesh's
// material textured (base colour, metallic-roughness and normal maps, 256 x 256 with mipmaps),
// once with the same meshes untextured (the default material). Both under the sky with fog,
// into the same 256-pixel target, so the ratio is what the textures and the normal mapping
// add; pavilion-bench prints it under "Feature costs". Real time counts here: on lavapipe the
// fragment work is CPU work on the driver's threads.
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "bench_world.h"

namespace pav::bench {
namespace {

// A 256 x 256 texture of a smooth pattern (what mipmaps and the sampler see matters, not art).
render::ImageRef pattern(const char* name, glm::vec3 a, glm::vec3 b, float frequency) {
  constexpr uint32_t kSide = 256;
  std::vector<uint8_t> rgba(kSide * kSide * 4);
  for (uint32_t y = 0; y < kSide; ++y)
    for (uint32_t x = 0; x < kSide; ++x) {
      const float t = 0.5f + 0.25f * (std::sin(float(x) * frequency) + std::cos(float(y) * frequency * 0.7f));
      const glm::vec3 c = glm::mix(a, b, t);
      uint8_t* p = &rgba[(y * kSide + x) * 4];
      for (int i = 0; i < 3; ++i) p[i] = uint8_t(std::lround(c[i] * 255.0f));
      p[3] = 255;
    }
  return render::makeImage(name, kSide, kSide, std::move(rgba));
}

struct PbrScenes {
  render::Scene textured, untextured;
};

// A 60 m ground and 64 boxes and spheres in front of the camera; the same draws both ways.
PbrScenes& pbrScenes(BenchWorld& w) {
  static PbrScenes* scenes = nullptr;
  if (scenes) return *scenes;
  scenes = new PbrScenes();  // lives until exit, like the world's meshes
  render::MaterialData material;
  material.baseColorTexture = pattern("bench base colour", {0.3f, 0.3f, 0.32f}, {0.7f, 0.65f, 0.6f}, 0.11f);
  material.metallicRoughnessTexture = pattern("bench metallic-roughness", {0, 0.3f, 0}, {0, 0.9f, 1}, 0.05f);
  material.normalTexture = pattern("bench normal", {0.45f, 0.45f, 1}, {0.55f, 0.55f, 1}, 0.3f);
  material.metallic = 1.0f;
  material.roughness = 1.0f;
  material.uvScale = {0.25f, 0.25f};
  const render::MeshData shapes[3] = {render::makePlane(60.0f, 6), render::makeBox({1, 1, 1}), render::makeSphere(0.6f)};
  render::MeshId plain[3], textured[3];
  for (int i = 0; i < 3; ++i) {
    plain[i] = w.renderer.loadMesh(shapes[i]);
    render::MeshData withMaterial = shapes[i];
    withMaterial.materials.push_back(material);
    textured[i] = w.renderer.loadMesh(withMaterial);
  }
  for (render::Scene* s : {&scenes->textured, &scenes->untextured}) {
    const render::MeshId* ids = s == &scenes->textured ? textured : plain;
    s->sky.enabled = true;
    s->draws.push_back({ids[0], glm::mat4(1), {1, 1, 1, 1}});
    for (int i = 0; i < 64; ++i) {
      const glm::vec3 at(float(i % 8) * 2.5f - 8.75f, 0.6f, -4.0f - float(i / 8) * 2.5f);
      s->draws.push_back({ids[1 + i % 2], glm::translate(glm::mat4(1), at), {0.9f, 0.8f, 0.7f, 1}});
    }
  }
  return *scenes;
}

render::View pbrView() {
  render::View view;
  view.pose = render::Pose::lookAt({0, 2.5f, 4.0f}, {0, 0.5f, -8.0f});
  view.fov = render::Fov::symmetric(glm::radians(70.0f), 1.0f);
  view.farZ = 500.0f;
  return view;
}

void runPbrFrames(benchmark::State& state, bool textured) {
  BenchWorld* w = BenchWorld::get(state);
  if (!w) return;
  guarded(state, [&] {
    const PbrScenes& scenes = pbrScenes(*w);
    const render::Scene& scene = textured ? scenes.textured : scenes.untextured;
    const render::View view = pbrView();
    w->renderer.waitIdle();
    for (auto _ : state) {
      if (!w->renderer.drawFrame(w->monoTarget, scene, {&view, 1})) {
        state.SkipWithError("the offscreen target skipped a frame");
        break;
      }
    }
    w->renderer.waitIdle();  // the last frames' GPU work belongs to this benchmark
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(scene.draws.size()));
  });
}

void BM_PbrUntexturedScene(benchmark::State& state) { runPbrFrames(state, false); }
void BM_PbrTexturedScene(benchmark::State& state) { runPbrFrames(state, true); }

}  // namespace

// Next to each other in time, untextured first (it also makes the pipelines both share).
BENCHMARK(BM_PbrUntexturedScene)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PbrTexturedScene)->Unit(benchmark::kMicrosecond);

}  // namespace pav::bench
