// glTF 2.0 out of Model: one buffer holding, per mesh, positions, normals and indices (each in
// its own buffer view, 4-byte aligned), accessors with the bounds the specification asks for on
// POSITION, and a scene of all nodes. The JSON is written with nlohmann's ordered_json so the
// keys keep the order a reader expects (asset first).
#include "gltf_writer.h"

#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

namespace pav::assetgen {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kFloat = 5126, kUnsignedShort = 5123, kUnsignedInt = 5125;
constexpr int kArrayBuffer = 34962, kElementArrayBuffer = 34963;

// Colours and factors to four decimals, so the JSON reads 0.85 rather than 0.8500000238.
double tidy(float v) { return std::round(double(v) * 1e4) / 1e4; }
// Placements to a micrometre: 0.55 rather than 0.550000011920929, and the same float read back.
double tidy6(float v) { return std::round(double(v) * 1e6) / 1e6; }

void put(std::vector<uint8_t>& bin, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  bin.insert(bin.end(), p, p + n);
  while (bin.size() % 4 != 0) bin.push_back(0);
}

struct Encoded {
  Json json;
  std::vector<uint8_t> bin;
};

Encoded encode(const Model& m) {
  Encoded e;
  Json views = Json::array(), accessors = Json::array(), meshes = Json::array();
  auto view = [&](size_t offset, size_t length, int target) {
    views.push_back({{"buffer", 0}, {"byteOffset", offset}, {"byteLength", length}, {"target", target}});
    return int(views.size()) - 1;
  };
  for (const Mesh& mesh : m.meshes) {
    const auto& vs = mesh.data.vertices;
    std::vector<float> pos, nrm, uv;
    glm::vec3 lo(0.0f), hi(0.0f);
    if (!vs.empty()) lo = hi = vs.front().position;
    for (const render::Vertex& v : vs) {
      pos.insert(pos.end(), {v.position.x, v.position.y, v.position.z});
      nrm.insert(nrm.end(), {v.normal.x, v.normal.y, v.normal.z});
      uv.insert(uv.end(), {v.uv.x, v.uv.y});
      lo = glm::min(lo, v.position);
      hi = glm::max(hi, v.position);
    }
    size_t at = e.bin.size();
    put(e.bin, pos.data(), pos.size() * sizeof(float));
    const int posView = view(at, pos.size() * sizeof(float), kArrayBuffer);
    at = e.bin.size();
    put(e.bin, nrm.data(), nrm.size() * sizeof(float));
    const int nrmView = view(at, nrm.size() * sizeof(float), kArrayBuffer);
    at = e.bin.size();
    put(e.bin, uv.data(), uv.size() * sizeof(float));
    const int uvView = view(at, uv.size() * sizeof(float), kArrayBuffer);
    at = e.bin.size();
    const bool shortIndices = vs.size() <= 65535;
    if (shortIndices) {
      std::vector<uint16_t> idx(mesh.data.indices.begin(), mesh.data.indices.end());
      put(e.bin, idx.data(), idx.size() * 2);
    } else {
      put(e.bin, mesh.data.indices.data(), mesh.data.indices.size() * 4);
    }
    const int idxView = view(at, mesh.data.indices.size() * (shortIndices ? 2 : 4), kElementArrayBuffer);

    const int first = int(accessors.size());
    accessors.push_back({{"bufferView", posView}, {"componentType", kFloat}, {"count", vs.size()}, {"type", "VEC3"},
                         {"min", {lo.x, lo.y, lo.z}}, {"max", {hi.x, hi.y, hi.z}}});
    accessors.push_back({{"bufferView", nrmView}, {"componentType", kFloat}, {"count", vs.size()}, {"type", "VEC3"}});
    accessors.push_back({{"bufferView", uvView}, {"componentType", kFloat}, {"count", vs.size()}, {"type", "VEC2"}});
    accessors.push_back({{"bufferView", idxView}, {"componentType", shortIndices ? kUnsignedShort : kUnsignedInt},
                         {"count", mesh.data.indices.size()}, {"type", "SCALAR"}});
    meshes.push_back({{"name", mesh.name},
                      {"primitives", Json::array({{{"attributes", {{"POSITION", first}, {"NORMAL", first + 1},
                                                                   {"TEXCOORD_0", first + 2}}},
                                                   {"indices", first + 3},
                                                   {"material", mesh.material},
                                                   {"mode", 4}}})}});
  }

  // Each texture file once, as an image and a texture of the same index, one repeating sampler.
  Json images = Json::array(), textures = Json::array();
  std::vector<std::string> stems;
  auto textureOf = [&](const std::string& stem) {
    for (size_t i = 0; i < stems.size(); ++i)
      if (stems[i] == stem) return int(i);
    stems.push_back(stem);
    images.push_back({{"uri", "textures/" + stem + ".png"}, {"mimeType", "image/png"}});
    textures.push_back({{"sampler", 0}, {"source", int(stems.size()) - 1}});
    return int(stems.size()) - 1;
  };
  Json materials = Json::array();
  for (const Material& mat : m.materials) {
    Json pbr = {{"baseColorFactor", {tidy(mat.baseColor.r), tidy(mat.baseColor.g), tidy(mat.baseColor.b),
                                     tidy(mat.baseColor.a)}},
                {"metallicFactor", tidy(mat.metallic)},
                {"roughnessFactor", tidy(mat.roughness)}};
    if (!mat.baseColorTexture.empty()) pbr["baseColorTexture"] = {{"index", textureOf(mat.baseColorTexture)}};
    if (!mat.metallicRoughnessTexture.empty())
      pbr["metallicRoughnessTexture"] = {{"index", textureOf(mat.metallicRoughnessTexture)}};
    materials.push_back({{"name", mat.name}, {"pbrMetallicRoughness", pbr}});
  }
  Json nodes = Json::array(), sceneNodes = Json::array();
  for (size_t i = 0; i < m.nodes.size(); ++i) {
    const Node& n = m.nodes[i];
    Json node = {{"name", n.name}, {"mesh", n.mesh}};
    if (n.translation != glm::vec3(0.0f)) node["translation"] = {tidy6(n.translation.x), tidy6(n.translation.y), tidy6(n.translation.z)};
    if (n.rotation != glm::quat(1.0f, 0.0f, 0.0f, 0.0f))
      node["rotation"] = {tidy6(n.rotation.x), tidy6(n.rotation.y), tidy6(n.rotation.z), tidy6(n.rotation.w)};
    nodes.push_back(node);
    sceneNodes.push_back(i);
  }

  e.json = {{"asset",
             {{"version", "2.0"},
              {"generator", "pavilion-asset-gen (tools/asset-gen)"},
              {"copyright", "CC0-1.0: generated by the Pavilion project's own tool; see assets/README.md"}}},
            {"scene", 0},
            {"scenes", Json::array({{{"name", m.name}, {"nodes", sceneNodes}}})},
            {"nodes", nodes},
            {"meshes", meshes},
            {"materials", materials},
            {"accessors", accessors},
            {"bufferViews", views},
            {"buffers", Json::array({{{"byteLength", e.bin.size()}}})}};
  if (!stems.empty()) {
    e.json["textures"] = textures;
    e.json["images"] = images;
    // Repeat, trilinear (LINEAR_MIPMAP_LINEAR).
    e.json["samplers"] = Json::array({{{"magFilter", 9729}, {"minFilter", 9987}, {"wrapS", 10497}, {"wrapT", 10497}}});
  }
  return e;
}

void putU32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

}  // namespace

int Model::addMaterial(const std::string& materialName, const glm::vec4& color, float roughness, float metallic) {
  materials.push_back({materialName, color, metallic, roughness, "", ""});
  return int(materials.size()) - 1;
}

int Model::addMesh(const std::string& meshName, render::MeshData data, int material) {
  meshes.push_back({meshName, std::move(data), material});
  return int(meshes.size()) - 1;
}

int Model::place(const std::string& nodeName, int mesh, const glm::vec3& at, const glm::quat& rotation) {
  nodes.push_back({nodeName, mesh, at, rotation});
  return int(nodes.size()) - 1;
}

void Model::add(const std::string& partName, render::MeshData data, int material) {
  place(partName, addMesh(partName, std::move(data), material));
}

GltfFiles encodeGltf(const Model& model) {
  Encoded e = encode(model);
  e.json["buffers"][0]["uri"] = model.name + ".bin";
  return {e.json.dump(1) + "\n", std::move(e.bin)};
}

std::vector<uint8_t> encodeGlb(const Model& model) {
  Encoded e = encode(model);
  std::string json = e.json.dump();
  while (json.size() % 4 != 0) json.push_back(' ');
  std::vector<uint8_t> out;
  const size_t total = 12 + 8 + json.size() + 8 + e.bin.size();
  putU32(out, 0x46546C67u);  // "glTF"
  putU32(out, 2);
  putU32(out, uint32_t(total));
  putU32(out, uint32_t(json.size()));
  putU32(out, 0x4E4F534Au);  // "JSON"
  out.insert(out.end(), json.begin(), json.end());
  putU32(out, uint32_t(e.bin.size()));
  putU32(out, 0x004E4942u);  // "BIN\0"
  out.insert(out.end(), e.bin.begin(), e.bin.end());
  return out;
}

}  // namespace pav::assetgen
