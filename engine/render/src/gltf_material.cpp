// glTF materials and their images (gltf_material.h): metallic-roughness factors and the five
// textures glTF 2.0 defines, each resolved through texture -> image with its index checked.
#include "gltf_material.h"

#include <filesystem>

#include "gltf_files.h"
#include "pav/core/error.h"

namespace pav::render {
namespace {

// The image's file (its URI decoded as GltfFiles allowed it), or where in the model it is.
std::string nameOf(const GltfImages& self, const tinygltf::Image& image, int index) {
  std::string file;
  if (!image.uri.empty() && GltfFiles::uriProblem(image.uri, file).empty() && !file.empty())
    return (std::filesystem::path(self.baseDir) / file).string();
  return self.modelPath + ": image " + std::to_string(index) + (image.name.empty() ? "" : " ('" + image.name + "')");
}

}  // namespace

bool GltfImages::load(tinygltf::Image* image, int index, std::string* err, std::string*, int, int,
                      const unsigned char* bytes, int size, void* user) {
  auto& self = *static_cast<GltfImages*>(user);
  const std::string name = nameOf(self, *image, index);
  const auto refuse = [&](const std::string& what) {
    if (self.error.empty()) self.error = what;
    if (err) *err += what;
    return false;
  };
  if (index < 0 || size < 0) return refuse(name + ": no image data");
  // An image in a buffer view: tinygltf checks the view's and buffer's indices, not the range.
  if (image->bufferView >= 0 && self.model) {
    const auto& views = self.model->bufferViews;
    const tinygltf::BufferView& bv = views.at(size_t(image->bufferView));
    const size_t have = self.model->buffers.at(size_t(bv.buffer)).data.size();
    if (bv.byteOffset > have || bv.byteLength > have - bv.byteOffset)
      return refuse(name + ": its buffer view " + std::to_string(image->bufferView) + " runs past its buffer");
  }
  try {
    ImageRef decoded = decodeImage({bytes, size_t(size)}, name);
    if (self.images.size() <= size_t(index)) self.images.resize(size_t(index) + 1);
    self.images[size_t(index)] = std::move(decoded);
  } catch (const Error& e) {
    return refuse(e.what());
  }
  return true;
}

MaterialData gltfMaterial(const tinygltf::Model& model, int index, const GltfImages& images,
                          const std::string& where) {
  if (index < 0 || size_t(index) >= model.materials.size())
    fail("%s: material %d does not exist", where.c_str(), index);
  const tinygltf::Material& m = model.materials[size_t(index)];
  const std::string at = where + " material " + std::to_string(index) + " ('" + m.name + "')";
  const auto image = [&](int textureIndex, int texCoord, const char* slot) -> ImageRef {
    if (textureIndex < 0) return nullptr;
    if (texCoord != 0) fail("%s %s: texture coordinate set %d (only TEXCOORD_0 is read)", at.c_str(), slot, texCoord);
    if (size_t(textureIndex) >= model.textures.size())
      fail("%s %s: texture %d does not exist", at.c_str(), slot, textureIndex);
    const int source = model.textures[size_t(textureIndex)].source;
    if (source < 0 || size_t(source) >= model.images.size())
      fail("%s %s: texture %d has no image (source %d)", at.c_str(), slot, textureIndex, source);
    if (size_t(source) >= images.images.size() || !images.images[size_t(source)]) {
      const tinygltf::Image& img = model.images[size_t(source)];
      fail("%s %s: image %d%s could not be read", at.c_str(), slot, source,
           img.uri.empty() ? "" : (" (\"" + img.uri + "\")").c_str());
    }
    return images.images[size_t(source)];
  };
  const auto& pbr = m.pbrMetallicRoughness;
  MaterialData out;
  if (pbr.baseColorFactor.size() != 4)
    fail("%s: baseColorFactor has %zu numbers, not 4", at.c_str(), pbr.baseColorFactor.size());
  // The base colour factor is folded into the vertex colours (gltf.cpp), as it always was.
  out.metallic = float(pbr.metallicFactor);
  out.roughness = float(pbr.roughnessFactor);
  out.normalScale = float(m.normalTexture.scale);
  out.occlusionStrength = float(m.occlusionTexture.strength);
  if (m.emissiveFactor.size() == 3)
    out.emissiveFactor = glm::vec3(float(m.emissiveFactor[0]), float(m.emissiveFactor[1]), float(m.emissiveFactor[2]));
  out.baseColorTexture = image(pbr.baseColorTexture.index, pbr.baseColorTexture.texCoord, "baseColorTexture");
  out.metallicRoughnessTexture =
      image(pbr.metallicRoughnessTexture.index, pbr.metallicRoughnessTexture.texCoord, "metallicRoughnessTexture");
  out.normalTexture = image(m.normalTexture.index, m.normalTexture.texCoord, "normalTexture");
  out.occlusionTexture = image(m.occlusionTexture.index, m.occlusionTexture.texCoord, "occlusionTexture");
  out.emissiveTexture = image(m.emissiveTexture.index, m.emissiveTexture.texCoord, "emissiveTexture");
  return out;
}

}  // namespace pav::render
