// glTF through tinygltf, into MeshData. tinygltf parses the JSON and the buffers; everything it
// leaves unchecked (accessor and buffer-view ranges, indices, node references, array sizes) is
// checked here before a byte is read, so a corrupt file becomes a pav::Error, never a crash.
//
// [SECTION] reading the file and handing it to tinygltf
// [SECTION] accessors: range checks and typed reads
// [SECTION] primitives: triangles, normals, colours
// [SECTION] the node tree, and the public calls
#include "pav/render/gltf.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>
#include <glm/gtc/type_ptr.hpp>
#include <tiny_gltf.h>

#include "gltf_files.h"
#include "gltf_material.h"
#include "pav/core/error.h"

namespace pav::render {
namespace {

// Files bigger than this are refused before parsing (tinygltf takes an unsigned length, and
// no model of this project comes near).
constexpr size_t kMaxFileBytes = size_t(256) << 20;

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const { throw Error(path_ + ": " + what); }

  // ---- [SECTION] reading the file and handing it to tinygltf ---------------------------------

  void parse() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) fail(std::string("cannot open (") + std::strerror(errno) + ")");
    // Its size before a byte is read.
    std::error_code sizeError;
    const uintmax_t size = std::filesystem::file_size(path_, sizeError);
    if (sizeError) fail("cannot read its size (" + sizeError.message() + ")");
    if (size > kMaxFileBytes) fail("the file is over 256 MiB");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) fail("read error");
    if (bytes.empty()) fail("the file is empty");
    if (bytes.size() > kMaxFileBytes) fail("the file is over 256 MiB");

    std::string dir = std::filesystem::path(path_).parent_path().string();
    if (dir.empty()) dir = ".";
    // The files it names: inside its folder, sizes capped, before tinygltf reads any of them;
    // tinygltf reads through these callbacks, which read nothing else.
    GltfFiles files(path_, dir);
    files.check(jsonOf(bytes));
    tinygltf::TinyGLTF loader;
    loader.SetFsCallbacks(files.callbacks());
    // Images decoded as they are read (PNG or JPEG, size-checked: material.h), kept by index.
    images_.model = &model_;
    images_.modelPath = path_;
    images_.baseDir = dir;
    loader.SetImageLoader(&GltfImages::load, &images_);
    std::string err, warn;
    bool ok = false;
    try {
      if (bytes.compare(0, 4, "glTF") == 0)
        ok = loader.LoadBinaryFromMemory(&model_, &err, &warn, reinterpret_cast<const unsigned char*>(bytes.data()),
                                         static_cast<unsigned>(bytes.size()), dir);
      else
        ok = loader.LoadASCIIFromString(&model_, &err, &warn, bytes.data(), static_cast<unsigned>(bytes.size()), dir);
    } catch (const std::exception& e) {
      fail(std::string("not readable as glTF: ") + e.what());
    }
    if (!images_.error.empty()) fail(images_.error);  // a texture, named, with its problem
    if (!ok) fail("not readable as glTF: " + oneLine(err.empty() ? warn : err));

    const std::string& v = model_.asset.version;
    if (v.size() < 2 || v[0] != '2' || v[1] != '.')
      fail("glTF version \"" + v + "\" is not supported (only 2.x)");
    const std::string& minV = model_.asset.minVersion;
    if (!minV.empty() && minV != "2.0") fail("requires glTF " + minV + " (only 2.0 is supported)");
  }

  // A .glb's JSON chunk (empty when the container is malformed: tinygltf then says why), or
  // the .gltf's whole text.
  static std::string_view jsonOf(const std::string& bytes) {
    if (bytes.compare(0, 4, "glTF") != 0) return bytes;
    if (bytes.size() < 20) return {};
    uint32_t length = 0, type = 0;
    std::memcpy(&length, bytes.data() + 12, 4);
    std::memcpy(&type, bytes.data() + 16, 4);
    if (type != 0x4E4F534Au || length > bytes.size() - 20) return {};
    return std::string_view(bytes).substr(20, length);
  }

  // ---- [SECTION] the node tree ------------------------------------------------------------------

  GltfModel build() {
    GltfModel out;
    out.path = path_;
    if (model_.meshes.empty()) fail("no meshes in the file");
    const size_t nodeCount = model_.nodes.size();
    if (nodeCount == 0) {
      // Meshes without nodes: each one as it stands.
      for (size_t m = 0; m < model_.meshes.size(); ++m)
        out.parts.push_back({model_.meshes[m].name, mesh(int(m), glm::mat4(1.0f))});
    } else {
      std::vector<int> roots;
      if (!model_.scenes.empty()) {
        const int s = model_.defaultScene >= 0 ? model_.defaultScene : 0;
        if (size_t(s) >= model_.scenes.size()) fail("default scene " + std::to_string(s) + " does not exist");
        roots = model_.scenes[size_t(s)].nodes;
      } else {
        std::vector<bool> isChild(nodeCount, false);
        for (const tinygltf::Node& n : model_.nodes)
          for (int c : n.children)
            if (c >= 0 && size_t(c) < nodeCount) isChild[size_t(c)] = true;
        for (size_t i = 0; i < nodeCount; ++i)
          if (!isChild[i]) roots.push_back(int(i));
      }
      // Depth first without recursion (a corrupt file may nest nodes arbitrarily deep); a node
      // reached twice means a cycle or a shared child, both invalid.
      std::vector<bool> seen(nodeCount, false);
      struct Item { int node; glm::mat4 parent; };
      std::vector<Item> stack;
      for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({*it, glm::mat4(1.0f)});
      while (!stack.empty()) {
        const Item item = stack.back();
        stack.pop_back();
        if (item.node < 0 || size_t(item.node) >= nodeCount) fail("node " + std::to_string(item.node) + " does not exist");
        if (seen[size_t(item.node)]) fail("node " + std::to_string(item.node) + " is reached twice (a cycle?)");
        seen[size_t(item.node)] = true;
        const tinygltf::Node& n = model_.nodes[size_t(item.node)];
        const glm::mat4 world = item.parent * localTransform(n, item.node);
        if (n.mesh >= 0) {
          if (size_t(n.mesh) >= model_.meshes.size())
            fail("node " + std::to_string(item.node) + " uses mesh " + std::to_string(n.mesh) + ", which does not exist");
          out.parts.push_back({n.name.empty() ? model_.meshes[size_t(n.mesh)].name : n.name, mesh(n.mesh, world)});
        }
        for (auto c = n.children.rbegin(); c != n.children.rend(); ++c) stack.push_back({*c, world});
      }
    }
    size_t triangles = 0;
    for (const GltfPart& p : out.parts) triangles += p.mesh.indices.size() / 3;
    if (triangles == 0) fail("no meshes with triangles in the scene");
    return out;
  }

 private:
  static std::string oneLine(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    for (size_t i = 0; (i = s.find('\n', i)) != std::string::npos;) s.replace(i, 1, "; ");
    return s.empty() ? "no reason given" : s;
  }

  glm::mat4 localTransform(const tinygltf::Node& n, int index) const {
    const std::string where = "node " + std::to_string(index);
    if (!n.matrix.empty()) {
      if (n.matrix.size() != 16) fail(where + ": matrix has " + std::to_string(n.matrix.size()) + " numbers, not 16");
      glm::mat4 m;
      for (int i = 0; i < 16; ++i) glm::value_ptr(m)[i] = float(n.matrix[size_t(i)]);  // column-major both
      return m;
    }
    if (!n.translation.empty() && n.translation.size() != 3) fail(where + ": translation is not 3 numbers");
    if (!n.rotation.empty() && n.rotation.size() != 4) fail(where + ": rotation is not 4 numbers");
    if (!n.scale.empty() && n.scale.size() != 3) fail(where + ": scale is not 3 numbers");
    glm::mat4 m(1.0f);
    if (!n.translation.empty())
      m = glm::translate(m, glm::vec3(float(n.translation[0]), float(n.translation[1]), float(n.translation[2])));
    if (!n.rotation.empty()) {
      const glm::quat q(float(n.rotation[3]), float(n.rotation[0]), float(n.rotation[1]), float(n.rotation[2]));
      m *= glm::mat4_cast(glm::length(q) > 0.0f ? glm::normalize(q) : glm::quat(1, 0, 0, 0));
    }
    if (!n.scale.empty()) m = glm::scale(m, glm::vec3(float(n.scale[0]), float(n.scale[1]), float(n.scale[2])));
    return m;
  }

  // ---- [SECTION] accessors: range checks and typed reads ----------------------------------------

  struct Span {
    const unsigned char* data = nullptr;
    size_t stride = 0, count = 0;
    int componentType = 0, components = 0;
    bool normalized = false;
  };

  static size_t componentBytes(int type) {
    switch (type) {
      case TINYGLTF_COMPONENT_TYPE_BYTE:
      case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE: return 1;
      case TINYGLTF_COMPONENT_TYPE_SHORT:
      case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: return 2;
      case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT:
      case TINYGLTF_COMPONENT_TYPE_FLOAT: return 4;
      default: return 0;
    }
  }

  // The accessor `index` (used for `what`), checked against its buffer view and buffer.
  Span accessor(int index, const std::string& what) const {
    if (index < 0 || size_t(index) >= model_.accessors.size())
      fail(what + ": accessor " + std::to_string(index) + " does not exist");
    const tinygltf::Accessor& a = model_.accessors[size_t(index)];
    const std::string where = what + " (accessor " + std::to_string(index) + ")";
    if (a.sparse.isSparse) fail(where + ": sparse accessors are not supported");
    if (a.bufferView < 0 || size_t(a.bufferView) >= model_.bufferViews.size())
      fail(where + ": buffer view " + std::to_string(a.bufferView) + " does not exist");
    const tinygltf::BufferView& bv = model_.bufferViews[size_t(a.bufferView)];
    if (bv.buffer < 0 || size_t(bv.buffer) >= model_.buffers.size())
      fail(where + ": buffer " + std::to_string(bv.buffer) + " does not exist");
    const std::vector<unsigned char>& buf = model_.buffers[size_t(bv.buffer)].data;
    if (bv.byteOffset > buf.size() || bv.byteLength > buf.size() - bv.byteOffset)
      fail(where + ": buffer view " + std::to_string(a.bufferView) + " (bytes " + std::to_string(bv.byteOffset) + " + " +
           std::to_string(bv.byteLength) + ") runs past its buffer of " + std::to_string(buf.size()) + " bytes");
    Span s;
    s.componentType = a.componentType;
    s.components = tinygltf::GetNumComponentsInType(static_cast<uint32_t>(a.type));
    const size_t cb = componentBytes(a.componentType);
    if (cb == 0 || s.components <= 0 || s.components > 16)
      fail(where + ": unsupported component type " + std::to_string(a.componentType) + " / type " + std::to_string(a.type));
    const size_t elem = cb * size_t(s.components);
    s.stride = bv.byteStride ? bv.byteStride : elem;
    if (s.stride < elem) fail(where + ": byte stride " + std::to_string(s.stride) + " is smaller than an element");
    s.count = a.count;
    s.normalized = a.normalized;
    const size_t avail = a.byteOffset <= bv.byteLength ? bv.byteLength - a.byteOffset : 0;
    if (a.byteOffset > bv.byteLength || (s.count > 0 && (elem > avail || (s.count - 1) > (avail - elem) / s.stride)))
      fail(where + ": " + std::to_string(s.count) + " elements from byte " + std::to_string(a.byteOffset) +
           " run past the end of buffer view " + std::to_string(a.bufferView) + " (" + std::to_string(bv.byteLength) +
           " bytes)");
    s.data = buf.data() + bv.byteOffset + a.byteOffset;
    return s;
  }

  static float component(const Span& s, size_t i, int c) {
    const unsigned char* p = s.data + i * s.stride + size_t(c) * componentBytes(s.componentType);
    switch (s.componentType) {
      case TINYGLTF_COMPONENT_TYPE_FLOAT: { float f; std::memcpy(&f, p, 4); return f; }
      case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE: return s.normalized ? float(*p) / 255.0f : float(*p);
      case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: {
        uint16_t u; std::memcpy(&u, p, 2);
        return s.normalized ? float(u) / 65535.0f : float(u);
      }
      case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT: { uint32_t u; std::memcpy(&u, p, 4); return float(u); }
      case TINYGLTF_COMPONENT_TYPE_BYTE: {
        int8_t b; std::memcpy(&b, p, 1);
        return s.normalized ? std::max(float(b) / 127.0f, -1.0f) : float(b);
      }
      case TINYGLTF_COMPONENT_TYPE_SHORT: {
        int16_t b; std::memcpy(&b, p, 2);
        return s.normalized ? std::max(float(b) / 32767.0f, -1.0f) : float(b);
      }
      default: return 0.0f;
    }
  }

  static uint32_t index(const Span& s, size_t i) {
    const unsigned char* p = s.data + i * s.stride;
    switch (s.componentType) {
      case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE: return *p;
      case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: { uint16_t u; std::memcpy(&u, p, 2); return u; }
      default: { uint32_t u; std::memcpy(&u, p, 4); return u; }
    }
  }

  // ---- [SECTION] primitives: triangles, normals, colours ----------------------------------------

  static const char* modeName(int mode) {
    switch (mode) {
      case TINYGLTF_MODE_POINTS: return "POINTS";
      case TINYGLTF_MODE_LINE: return "LINES";
      case TINYGLTF_MODE_LINE_LOOP: return "LINE_LOOP";
      case TINYGLTF_MODE_LINE_STRIP: return "LINE_STRIP";
      default: return "unknown";
    }
  }

  MeshData mesh(int meshIndex, const glm::mat4& world) const {
    const tinygltf::Mesh& m = model_.meshes[size_t(meshIndex)];
    MeshData out;
    for (size_t p = 0; p < m.primitives.size(); ++p)
      primitive(m.primitives[p], "mesh " + std::to_string(meshIndex) + " ('" + m.name + "') primitive " + std::to_string(p),
                world, out);
    return out;
  }

  void primitive(const tinygltf::Primitive& prim, const std::string& where, const glm::mat4& world, MeshData& out) const {
    const int mode = prim.mode < 0 ? TINYGLTF_MODE_TRIANGLES : prim.mode;
    if (mode != TINYGLTF_MODE_TRIANGLES && mode != TINYGLTF_MODE_TRIANGLE_STRIP && mode != TINYGLTF_MODE_TRIANGLE_FAN)
      fail(where + ": unsupported primitive mode " + modeName(mode) + " (" + std::to_string(mode) +
           "); only triangles are drawn");

    const auto pos = prim.attributes.find("POSITION");
    if (pos == prim.attributes.end()) fail(where + ": no POSITION attribute");
    const Span positions = accessor(pos->second, where + " POSITION");
    if (positions.componentType != TINYGLTF_COMPONENT_TYPE_FLOAT || positions.components != 3)
      fail(where + " POSITION: must be VEC3 of FLOAT");
    const size_t n = positions.count;

    Span normals;
    const auto nrm = prim.attributes.find("NORMAL");
    if (nrm != prim.attributes.end()) {
      normals = accessor(nrm->second, where + " NORMAL");
      if (normals.componentType != TINYGLTF_COMPONENT_TYPE_FLOAT || normals.components != 3)
        fail(where + " NORMAL: must be VEC3 of FLOAT");
      if (normals.count != n) fail(where + " NORMAL: " + std::to_string(normals.count) + " normals for " + std::to_string(n) + " positions");
    }
    Span colors;
    const auto col = prim.attributes.find("COLOR_0");
    if (col != prim.attributes.end()) {
      colors = accessor(col->second, where + " COLOR_0");
      const int t = colors.componentType;
      if ((colors.components != 3 && colors.components != 4) ||
          (t != TINYGLTF_COMPONENT_TYPE_FLOAT && t != TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE &&
           t != TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT))
        fail(where + " COLOR_0: must be VEC3 or VEC4 of FLOAT, UNSIGNED_BYTE or UNSIGNED_SHORT");
      if (colors.count != n) fail(where + " COLOR_0: " + std::to_string(colors.count) + " colours for " + std::to_string(n) + " positions");
    }

    Span uvs;
    const auto tex = prim.attributes.find("TEXCOORD_0");
    if (tex != prim.attributes.end()) {
      uvs = accessor(tex->second, where + " TEXCOORD_0");
      const int t = uvs.componentType;
      if (uvs.components != 2 || !(t == TINYGLTF_COMPONENT_TYPE_FLOAT ||
                                   (uvs.normalized && (t == TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE ||
                                                       t == TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT))))
        fail(where + " TEXCOORD_0: must be VEC2 of FLOAT, or of normalized UNSIGNED_BYTE or UNSIGNED_SHORT");
      if (uvs.count != n) fail(where + " TEXCOORD_0: " + std::to_string(uvs.count) + " coordinates for " + std::to_string(n) + " positions");
    }

    glm::vec4 base(1.0f);
    MaterialData material;
    if (prim.material >= 0) {
      material = gltfMaterial(model_, prim.material, images_, path_ + ": " + where);
      const std::vector<double>& f = model_.materials[size_t(prim.material)].pbrMetallicRoughness.baseColorFactor;
      base = glm::vec4(float(f[0]), float(f[1]), float(f[2]), float(f[3]));
    }

    // The vertex order as a list of corners, checked against the vertex count.
    std::vector<uint32_t> corners;
    if (prim.indices >= 0) {
      const Span idx = accessor(prim.indices, where + " indices");
      const int t = idx.componentType;
      if (idx.components != 1 || (t != TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE && t != TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT &&
                                  t != TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT))
        fail(where + " indices: must be SCALAR of UNSIGNED_BYTE, UNSIGNED_SHORT or UNSIGNED_INT");
      corners.resize(idx.count);
      for (size_t i = 0; i < idx.count; ++i) {
        corners[i] = index(idx, i);
        if (corners[i] >= n)
          fail(where + " indices: index " + std::to_string(corners[i]) + " at " + std::to_string(i) + " is past the " +
               std::to_string(n) + " vertices");
      }
    } else {
      corners.resize(n);
      for (size_t i = 0; i < n; ++i) corners[i] = uint32_t(i);
    }
    std::vector<uint32_t> tris;
    if (mode == TINYGLTF_MODE_TRIANGLES) {
      if (corners.size() % 3 != 0) fail(where + ": " + std::to_string(corners.size()) + " corners is not a whole number of triangles");
      tris = std::move(corners);
    } else {
      for (size_t i = 2; i < corners.size(); ++i) {
        if (mode == TINYGLTF_MODE_TRIANGLE_FAN) tris.insert(tris.end(), {corners[0], corners[i - 1], corners[i]});
        else if (i % 2 == 0) tris.insert(tris.end(), {corners[i - 2], corners[i - 1], corners[i]});
        else tris.insert(tris.end(), {corners[i - 1], corners[i - 2], corners[i]});
      }
    }

    const glm::mat3 linear(world);
    const glm::mat3 normalMatrix = glm::transpose(glm::inverse(linear));
    const bool mirrored = glm::determinant(linear) < 0.0f;
    auto position = [&](size_t i) {
      return glm::vec3(world * glm::vec4(component(positions, i, 0), component(positions, i, 1), component(positions, i, 2), 1.0f));
    };
    auto color = [&](size_t i) {
      glm::vec4 c = base;
      if (colors.data)
        c *= glm::vec4(component(colors, i, 0), component(colors, i, 1), component(colors, i, 2),
                       colors.components == 4 ? component(colors, i, 3) : 1.0f);
      return packColor(c);
    };
    auto uv = [&](size_t i) { return uvs.data ? glm::vec2(component(uvs, i, 0), component(uvs, i, 1)) : glm::vec2(0.0f); };
    auto unit = [](const glm::vec3& v) {
      const float l = glm::length(v);
      return l > 1e-20f && std::isfinite(l) ? v / l : glm::vec3(0, 1, 0);
    };

    const auto first = static_cast<uint32_t>(out.vertices.size());
    const auto firstIndex = static_cast<uint32_t>(out.indices.size());
    if (normals.data) {
      out.vertices.reserve(out.vertices.size() + n);
      for (size_t i = 0; i < n; ++i) {
        const glm::vec3 nv(component(normals, i, 0), component(normals, i, 1), component(normals, i, 2));
        out.vertices.push_back({position(i), unit(normalMatrix * nv), color(i), uv(i)});
      }
      for (size_t t = 0; t < tris.size(); t += 3) {
        const uint32_t a = tris[t], b = tris[t + 1], c = tris[t + 2];
        out.indices.insert(out.indices.end(), {first + a, first + (mirrored ? c : b), first + (mirrored ? b : c)});
      }
    } else {
      // Flat normals (the specification's rule when NORMAL is absent): each triangle its own
      // three vertices, facing the way its winding says.
      out.vertices.reserve(out.vertices.size() + tris.size());
      for (size_t t = 0; t < tris.size(); t += 3) {
        glm::vec3 p[3] = {position(tris[t]), position(tris[t + 1]), position(tris[t + 2])};
        if (mirrored) std::swap(p[1], p[2]);
        const glm::vec3 fn = unit(glm::cross(p[1] - p[0], p[2] - p[0]));
        const size_t corner[3] = {tris[t], mirrored ? tris[t + 2] : tris[t + 1], mirrored ? tris[t + 1] : tris[t + 2]};
        const auto v = static_cast<uint32_t>(out.vertices.size());
        for (int k = 0; k < 3; ++k) out.vertices.push_back({p[k], fn, color(corner[k]), uv(corner[k])});
        out.indices.insert(out.indices.end(), {v, v + 1, v + 2});
      }
    }
    // This primitive's triangles are drawn with its material (one equal to an earlier one is shared).
    uint32_t m = 0;
    while (m < out.materials.size() && !(out.materials[m] == material)) ++m;
    if (m == out.materials.size()) out.materials.push_back(std::move(material));
    out.submeshes.push_back({firstIndex, static_cast<uint32_t>(out.indices.size()) - firstIndex, m});
  }

  std::string path_;
  tinygltf::Model model_;
  GltfImages images_;
};

}  // namespace

GltfModel loadGltfModel(const std::string& path) {
  Reader r(path);
  r.parse();
  return r.build();
}

MeshData loadGltf(const std::string& path) { return mergeParts(loadGltfModel(path)); }

PartFilter partsNamed(std::string prefix, bool match) {
  return [prefix = std::move(prefix), match](const GltfPart& p) { return (p.name.rfind(prefix, 0) == 0) == match; };
}

MeshData mergeParts(const GltfModel& model, const PartFilter& keep) {
  MeshData out;
  for (const GltfPart& p : model.parts)
    if (!keep || keep(p)) out.append(p.mesh);
  return out;
}

Bounds meshBounds(const MeshData& mesh) {
  if (mesh.vertices.empty()) return {};
  Bounds b{mesh.vertices.front().position, mesh.vertices.front().position};
  for (const Vertex& v : mesh.vertices) {
    b.min = glm::min(b.min, v.position);
    b.max = glm::max(b.max, v.position);
  }
  return b;
}

}  // namespace pav::render
