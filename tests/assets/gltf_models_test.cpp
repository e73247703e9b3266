// The project's own models (assets/models, made by tools/asset-gen) load through the glTF
// loader with the sizes the titles rely on and their base colours on the vertices.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "models.h"
#include "pav/render/gltf.h"

namespace pav::test {
namespace {

using render::Bounds;
using render::GltfModel;

std::string modelPath(const std::string& name) { return std::string(PAV_MODELS_DIR) + "/" + name + ".gltf"; }

bool hasColor(const render::MeshData& m, const glm::vec4& rgba) {
  const uint32_t c = render::packColor(rgba);
  return std::any_of(m.vertices.begin(), m.vertices.end(), [&](const render::Vertex& v) { return v.color == c; });
}

const render::GltfPart* part(const GltfModel& m, const std::string& name) {
  for (const render::GltfPart& p : m.parts)
    if (p.name == name) return &p;
  return nullptr;
}

TEST(GltfModels, EveryCommittedModelLoads) {
  for (const char* name : {"car", "bike_rider", "hockey_table", "grandstand", "tree", "barrier"}) {
    SCOPED_TRACE(name);
    const GltfModel m = render::loadGltfModel(modelPath(name));
    ASSERT_FALSE(m.parts.empty());
    const render::MeshData all = render::mergeParts(m);
    EXPECT_GT(all.vertices.size(), 20u);
    EXPECT_EQ(all.indices.size() % 3, 0u);
    for (uint32_t i : all.indices) ASSERT_LT(i, all.vertices.size());
    for (const render::Vertex& v : all.vertices) ASSERT_NEAR(glm::length(v.normal), 1.0f, 1e-3f);
  }
}

TEST(GltfModels, CarIsCarSizedWithWheelsOnTheAxles) {
  const GltfModel car = render::loadGltfModel(modelPath("car"));
  const Bounds b = render::meshBounds(render::mergeParts(car));
  EXPECT_NEAR(b.size().z, 4.5f, 0.25f);  // nose +Z
  EXPECT_NEAR(b.size().x, 1.85f, 0.15f);
  EXPECT_NEAR(b.min.y, -0.57f, 0.02f);  // the tyres touch the ground 0.57 m below the chassis centre
  // The tyre mesh is a Y-axis cylinder turned onto the axle by its node: 0.26 wide in X.
  const render::GltfPart* tyre = part(car, "wheel.fl.tyre");
  ASSERT_NE(tyre, nullptr);
  const Bounds t = render::meshBounds(tyre->mesh);
  EXPECT_NEAR(t.size().x, 0.26f, 1e-3f);
  EXPECT_NEAR(t.size().y, 0.66f, 1e-2f);
  EXPECT_NEAR((t.min.x + t.max.x) * 0.5f, 0.82f, 1e-3f);
  EXPECT_NEAR((t.min.z + t.max.z) * 0.5f, 1.35f, 1e-3f);
  // Base colours: white paint (tinted per player), black tyres.
  const render::MeshData paint = render::mergeParts(car, render::partsNamed("paint."));
  const render::MeshData rest = render::mergeParts(car, render::partsNamed("paint.", false));
  EXPECT_GT(paint.vertices.size(), 0u);
  EXPECT_TRUE(hasColor(paint, {0.95f, 0.95f, 0.95f, 1}));
  EXPECT_TRUE(hasColor(rest, {0.035f, 0.035f, 0.04f, 1}));
  EXPECT_FALSE(hasColor(rest, {0.95f, 0.95f, 0.95f, 1}));
}

TEST(GltfModels, TableIsTheStandardTable) {
  const GltfModel table = render::loadGltfModel(modelPath("hockey_table"));
  const Bounds b = render::meshBounds(render::mergeParts(table));
  EXPECT_NEAR(b.size().x, 2.07f, 0.05f);  // 1.948 m of surface and two rails
  EXPECT_NEAR(b.size().z, 1.16f, 0.05f);
  EXPECT_NEAR(b.min.y, 0.0f, 1e-3f);
  EXPECT_NEAR(b.max.y, 0.825f, 0.01f);
  const render::GltfPart* surface = part(table, "surface");
  ASSERT_NE(surface, nullptr);
  EXPECT_TRUE(hasColor(surface->mesh, {0.92f, 0.95f, 0.98f, 1}));
  EXPECT_TRUE(hasColor(render::mergeParts(table), {0.75f, 0.08f, 0.08f, 1}));  // the centre line
}

TEST(GltfModels, BikeAndRiderStandOnTheGround) {
  const GltfModel bike = render::loadGltfModel(modelPath("bike_rider"));
  const Bounds b = render::meshBounds(render::mergeParts(bike));
  EXPECT_NEAR(b.min.y, 0.0f, 1e-3f);
  EXPECT_NEAR(b.size().x, 1.78f, 0.1f);  // wheel to wheel
  EXPECT_GT(b.max.y, 1.6f);
  EXPECT_LT(b.max.y, 1.9f);
  EXPECT_TRUE(hasColor(render::mergeParts(bike), {0.80f, 0.58f, 0.45f, 1}));  // skin
}

TEST(GltfModels, SceneryHasItsSize) {
  EXPECT_NEAR(render::meshBounds(render::loadGltf(modelPath("tree"))).size().y, 6.15f, 0.3f);
  EXPECT_NEAR(render::meshBounds(render::loadGltf(modelPath("barrier"))).size().x, 4.0f, 0.1f);
  EXPECT_NEAR(render::meshBounds(render::loadGltf(modelPath("grandstand"))).size().x, 25.0f, 0.1f);
}

TEST(GltfModels, GlbAndGltfOfTheSameModelAgree) {
  const assetgen::Model model = assetgen::makeBarrier();
  const std::vector<uint8_t> glb = assetgen::encodeGlb(model);
  // Beside a copy of the textures it names.
  const std::filesystem::path dir = std::filesystem::path(PAV_TEST_ARTIFACT_DIR) / "glb-test";
  std::filesystem::create_directories(dir);
  std::filesystem::copy(std::string(PAV_MODELS_DIR) + "/textures", dir / "textures",
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  const std::string path = (dir / "barrier-test.glb").string();
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(glb.data()), std::streamsize(glb.size()));
  }
  const render::MeshData a = render::loadGltf(path), b = render::loadGltf(modelPath("barrier"));
  ASSERT_EQ(a.vertices.size(), b.vertices.size());
  ASSERT_EQ(a.indices, b.indices);
  for (size_t i = 0; i < a.vertices.size(); ++i) {
    EXPECT_EQ(a.vertices[i].position, b.vertices[i].position);
    EXPECT_EQ(a.vertices[i].color, b.vertices[i].color);
  }
}

}  // namespace
}  // namespace pav::test
