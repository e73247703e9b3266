// Malformed glTF is refused with a pav::Error that names the file and the problem; random
// damage to a .glb never crashes the loader (each try either loads or throws pav::Error).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "models.h"
#include "pav/core/error.h"
#include "pav/render/gltf.h"

namespace pav::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class GltfMalformed : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(PAV_TEST_ARTIFACT_DIR) / "gltf-malformed" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // The textures the committed models name, beside them as in assets/models.
    fs::copy(std::string(PAV_MODELS_DIR) + "/textures", dir_ / "textures", fs::copy_options::recursive);
  }
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::string path = (dir_ / name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    return path;
  }
  static std::string committed(const std::string& name) {
    std::ifstream in(std::string(PAV_MODELS_DIR) + "/" + name, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  // The committed car with one change to its JSON, beside a copy of its .bin.
  std::string carWith(const std::function<void(json&)>& change) const {
    json j = json::parse(committed("car.gltf"));
    change(j);
    write("car.bin", committed("car.bin"));
    return write("car.gltf", j.dump());
  }
  // Loading `path` fails with pav::Error naming the file and containing `problem`.
  static ::testing::AssertionResult refused(const std::string& path, const std::string& problem) {
    try {
      render::loadGltfModel(path);
    } catch (const Error& e) {
      const std::string what = e.what();
      if (what.find(path) == std::string::npos)
        return ::testing::AssertionFailure() << "message does not name the file: " << what;
      if (what.find(problem) == std::string::npos)
        return ::testing::AssertionFailure() << "message does not say \"" << problem << "\": " << what;
      return ::testing::AssertionSuccess() << what;
    }
    return ::testing::AssertionFailure() << path << " loaded";
  }
  fs::path dir_;
};

TEST_F(GltfMalformed, MissingFile) {
  EXPECT_TRUE(refused((dir_ / "no-such-model.gltf").string(), "cannot open"));
}

TEST_F(GltfMalformed, EmptyFile) { EXPECT_TRUE(refused(write("empty.gltf", ""), "empty")); }

TEST_F(GltfMalformed, TruncatedJson) {
  const std::string text = committed("car.gltf");
  write("car.bin", committed("car.bin"));
  EXPECT_TRUE(refused(write("car.gltf", text.substr(0, text.size() / 2)), "not readable as glTF"));
}

TEST_F(GltfMalformed, MissingBin) {
  EXPECT_TRUE(refused(write("car.gltf", committed("car.gltf")), "car.bin"));
}

TEST_F(GltfMalformed, AccessorPastItsBuffer) {
  EXPECT_TRUE(refused(carWith([](json& j) { j["accessors"][0]["count"] = 100000; }), "run past the end of buffer view"));
  EXPECT_TRUE(refused(carWith([](json& j) { j["accessors"][1]["byteOffset"] = 1 << 20; }), "run past"));
  EXPECT_TRUE(refused(carWith([](json& j) { j["bufferViews"][0]["byteOffset"] = j["buffers"][0]["byteLength"].get<int>() - 100; }), "runs past its buffer"));
  EXPECT_TRUE(refused(carWith([](json& j) { j["meshes"][0]["primitives"][0]["indices"] = 999; }), "indices"));
}

TEST_F(GltfMalformed, WrongVersion) {
  EXPECT_TRUE(refused(carWith([](json& j) { j["asset"]["version"] = "1.0"; }), "version \"1.0\""));
}

TEST_F(GltfMalformed, PointsMode) {
  EXPECT_TRUE(refused(carWith([](json& j) { j["meshes"][2]["primitives"][0]["mode"] = 0; }), "unsupported primitive mode POINTS"));
}

TEST_F(GltfMalformed, BadReferences) {
  EXPECT_TRUE(refused(carWith([](json& j) { j["nodes"][0]["mesh"] = 77; }), "mesh 77"));
  EXPECT_TRUE(refused(carWith([](json& j) { j["nodes"][0]["children"] = {0}; }), "reached twice"));
  EXPECT_TRUE(refused(carWith([](json& j) { j["meshes"][0]["primitives"][0]["material"] = 40; }), "material 40"));
  EXPECT_TRUE(refused(carWith([](json& j) { j["meshes"][0]["primitives"][0]["attributes"].erase("POSITION"); }),
                      "no POSITION"));
}

TEST_F(GltfMalformed, NoMeshes) {
  EXPECT_TRUE(refused(write("empty-scene.gltf", R"({"asset":{"version":"2.0"}})"), "no meshes"));
}

TEST_F(GltfMalformed, IndexPastTheVertices) {
  assetgen::Model m{.name = "bad"};
  m.addMaterial("m", glm::vec4(1.0f));
  render::MeshData tri = render::makeBox({1, 1, 1});
  tri.indices[5] = 999;
  m.add("box", tri, 0);
  const std::vector<uint8_t> glb = assetgen::encodeGlb(m);
  EXPECT_TRUE(refused(write("bad.glb", std::string(glb.begin(), glb.end())), "index 999 at 5 is past the 24 vertices"));
}

// A triangle in a data: URI without normals: the loader computes the flat normal, and the
// material's base colour lands on the vertices.
TEST_F(GltfMalformed, EmbeddedTriangleWithoutNormalsGetsFlatNormals) {
  // Three float positions (0,0,0) (1,0,0) (0,1,0), base64.
  const std::string data = "data:application/octet-stream;base64,AAAAAAAAAAAAAAAAAACAPwAAAAAAAAAAAAAAAAAAgD8AAAAA";
  const json j = {{"asset", {{"version", "2.0"}}},
                  {"buffers", {{{"byteLength", 36}, {"uri", data}}}},
                  {"bufferViews", {{{"buffer", 0}, {"byteLength", 36}}}},
                  {"accessors", {{{"bufferView", 0}, {"componentType", 5126}, {"count", 3}, {"type", "VEC3"}}}},
                  {"materials", {{{"pbrMetallicRoughness", {{"baseColorFactor", {1.0, 0.0, 0.0, 1.0}}}}}}},
                  {"meshes", {{{"primitives", {{{"attributes", {{"POSITION", 0}}}, {"material", 0}}}}}}},
                  {"nodes", {{{"mesh", 0}, {"translation", {0.0, 2.0, 0.0}}}}}};
  const render::MeshData m = render::loadGltf(write("tri.gltf", j.dump()));
  ASSERT_EQ(m.vertices.size(), 3u);
  for (const render::Vertex& v : m.vertices) {
    EXPECT_EQ(v.normal, glm::vec3(0, 0, 1));
    EXPECT_EQ(v.color, render::packColor({1, 0, 0, 1}));
  }
  EXPECT_EQ(m.vertices[2].position, glm::vec3(0, 3, 0));
}

TEST_F(GltfMalformed, RandomByteFlipsNeverCrash) {
  assetgen::Model m{.name = "box"};
  m.addMaterial("m", {0.2f, 0.4f, 0.6f, 1});
  m.add("box", render::makeBox({1, 2, 3}), 0);
  const std::vector<uint8_t> good = assetgen::encodeGlb(m);
  std::mt19937 rng(20240607u);
  int loaded = 0, refusedCount = 0;
  for (int round = 0; round < 200; ++round) {
    std::vector<uint8_t> bytes = good;
    const int flips = 1 + int(rng() % 6);
    for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] ^= uint8_t(1u << (rng() % 8));
    if (round % 10 == 9) bytes.resize(rng() % bytes.size());  // sometimes cut short as well
    const std::string path = write("fuzz.glb", std::string(bytes.begin(), bytes.end()));
    try {
      render::loadGltfModel(path);
      ++loaded;
    } catch (const Error& e) {
      ++refusedCount;
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(loaded + refusedCount, 200);
  EXPECT_GT(refusedCount, 0);
  std::printf("byte flips: %d loaded, %d refused\n", loaded, refusedCount);
}

}  // namespace
}  // namespace pav::test
