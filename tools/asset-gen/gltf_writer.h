// Writing glTF 2.0 from MeshData: the asset generator's output stage. A model is a list of
// materials (a base colour each, textures optional: textures.h), meshes (one triangle primitive, one material) and named
// nodes that place a mesh with a translation and rotation; it becomes a .gltf (JSON) with
// one .bin beside it, or a single .glb. The output is byte-for-byte the same for the same
// model, so the committed files can be checked against a fresh run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "pav/render/mesh.h"

namespace pav::assetgen {

struct Material {
  std::string name;
  glm::vec4 baseColor{1.0f};  // linear RGBA
  float metallic = 0.0f;
  float roughness = 0.8f;
  // Texture stems (textures.h), "" for none: written as textures/<stem>.png, sampled at TEXCOORD_0.
  std::string baseColorTexture, metallicRoughnessTexture;

  // Shorthand for the models: this material with a base colour texture (and a metallic-roughness one).
  Material& textured(std::string base, std::string metallicRoughness = "") {
    baseColorTexture = std::move(base);
    metallicRoughnessTexture = std::move(metallicRoughness);
    return *this;
  }
};

struct Mesh {
  std::string name;
  render::MeshData data;  // vertex colours are ignored: the material gives the colour; uv is TEXCOORD_0
  int material = 0;
};

struct Node {
  std::string name;
  int mesh = 0;
  glm::vec3 translation{0.0f};
  glm::quat rotation{1.0f, 0.0f, 0.0f, 0.0f};
};

struct Model {
  std::string name;  // file stem: car -> car.gltf + car.bin
  std::vector<Material> materials;
  std::vector<Mesh> meshes;
  std::vector<Node> nodes;

  int addMaterial(const std::string& materialName, const glm::vec4& color, float roughness = 0.8f,
                  float metallic = 0.0f);
  int addMesh(const std::string& meshName, render::MeshData data, int material);
  // A node for a mesh; returns the node's index.
  int place(const std::string& nodeName, int mesh, const glm::vec3& at = glm::vec3(0.0f),
            const glm::quat& rotation = glm::quat(1.0f, 0.0f, 0.0f, 0.0f));
  // Shorthand: a mesh used by one node of the same name.
  void add(const std::string& partName, render::MeshData data, int material);
};

struct GltfFiles {
  std::string json;               // the .gltf text
  std::vector<uint8_t> bin;       // the .bin it names
};

GltfFiles encodeGltf(const Model& model);
std::vector<uint8_t> encodeGlb(const Model& model);

}  // namespace pav::assetgen
