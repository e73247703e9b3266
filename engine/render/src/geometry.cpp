// Geometry on the CPU, no Vulkan:
// [SECTION] procedural meshes: box, UV sphere, capped cylinder, subdivided plane. Each face
//           has its own vertices so flat faces light flat.
// [SECTION] cameras: the projection follows OpenXR's convention for Vulkan: four tangents
//           bound the frustum, clip Y points down and depth runs 0 (near) .. 1 (far).
#include "pav/render/camera.h"
#include "pav/render/mesh.h"

#include <algorithm>
#include <cmath>

#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>

namespace pav::render {
namespace {

void quad(MeshData& m, const glm::vec3& a, const glm::vec3& b, const glm::vec3& c,
          const glm::vec3& d, const glm::vec3& n, uint32_t color) {
  const auto base = static_cast<uint32_t>(m.vertices.size());
  // The quad's own 0..1 square: a texture covers each face once.
  const glm::vec2 uv[4] = {{0, 1}, {1, 1}, {1, 0}, {0, 0}};
  int k = 0;
  for (const glm::vec3& p : {a, b, c, d}) m.vertices.push_back({p, n, color, uv[k++]});
  for (uint32_t i : {0u, 1u, 2u, 0u, 2u, 3u}) m.indices.push_back(base + i);
}

}  // namespace

namespace {

// A mesh's material `i` as an index into `into`, which gains it when no equal one is there.
uint32_t mergedMaterial(std::vector<MaterialData>& into, const MaterialData& m) {
  for (size_t k = 0; k < into.size(); ++k)
    if (into[k] == m) return static_cast<uint32_t>(k);
  into.push_back(m);
  return static_cast<uint32_t>(into.size() - 1);
}

// Its submeshes as MeshData says to read them: none and no materials is one default material.
std::vector<Submesh> spans(const MeshData& m) {
  if (!m.submeshes.empty()) return m.submeshes;
  if (m.indices.empty()) return {};
  return {Submesh{0, static_cast<uint32_t>(m.indices.size()), 0}};
}

}  // namespace

void MeshData::append(const MeshData& other) {
  const auto base = static_cast<uint32_t>(vertices.size());
  const auto firstIndex = static_cast<uint32_t>(indices.size());
  if (!(materials.empty() && other.materials.empty())) {
    // Both sides spelled out: each with a material (the default one where it had none).
    submeshes = spans(*this);
    if (materials.empty() && !submeshes.empty()) materials.push_back({});
    const std::vector<MaterialData> fallback(1);
    const std::vector<MaterialData>& theirs = other.materials.empty() ? fallback : other.materials;
    for (Submesh s : spans(other)) {
      s.firstIndex += firstIndex;
      s.material = mergedMaterial(materials, theirs.at(s.material));
      submeshes.push_back(s);
    }
  }
  vertices.insert(vertices.end(), other.vertices.begin(), other.vertices.end());
  indices.reserve(indices.size() + other.indices.size());
  for (uint32_t i : other.indices) indices.push_back(base + i);
}

uint32_t packColor(const glm::vec4& c) {
  const auto byte = [](float x) {
    return static_cast<uint32_t>(std::lround(std::clamp(x, 0.0f, 1.0f) * 255.0f));
  };
  return byte(c.r) | byte(c.g) << 8 | byte(c.b) << 16 | byte(c.a) << 24;
}

MeshData makeBox(const glm::vec3& size, uint32_t color) {
  const glm::vec3 h = size * 0.5f;
  MeshData m;
  m.vertices.reserve(24);
  m.indices.reserve(36);
  // +X, -X, +Y, -Y, +Z, -Z; corners counter-clockwise seen from outside.
  quad(m, {h.x, -h.y, h.z}, {h.x, -h.y, -h.z}, {h.x, h.y, -h.z}, {h.x, h.y, h.z}, {1, 0, 0}, color);
  quad(m, {-h.x, -h.y, -h.z}, {-h.x, -h.y, h.z}, {-h.x, h.y, h.z}, {-h.x, h.y, -h.z}, {-1, 0, 0}, color);
  quad(m, {-h.x, h.y, h.z}, {h.x, h.y, h.z}, {h.x, h.y, -h.z}, {-h.x, h.y, -h.z}, {0, 1, 0}, color);
  quad(m, {-h.x, -h.y, -h.z}, {h.x, -h.y, -h.z}, {h.x, -h.y, h.z}, {-h.x, -h.y, h.z}, {0, -1, 0}, color);
  quad(m, {-h.x, -h.y, h.z}, {h.x, -h.y, h.z}, {h.x, h.y, h.z}, {-h.x, h.y, h.z}, {0, 0, 1}, color);
  quad(m, {h.x, -h.y, -h.z}, {-h.x, -h.y, -h.z}, {-h.x, h.y, -h.z}, {h.x, h.y, -h.z}, {0, 0, -1}, color);
  return m;
}

MeshData makeSphere(float radius, uint32_t rings, uint32_t segments, uint32_t color) {
  rings = std::max(rings, 3u);
  segments = std::max(segments, 3u);
  MeshData m;
  m.vertices.reserve((rings + 1) * (segments + 1));
  for (uint32_t r = 0; r <= rings; ++r) {
    const float theta = glm::pi<float>() * static_cast<float>(r) / static_cast<float>(rings);
    for (uint32_t s = 0; s <= segments; ++s) {
      const float phi = glm::two_pi<float>() * static_cast<float>(s) / static_cast<float>(segments);
      const glm::vec3 n(std::sin(theta) * std::cos(phi), std::cos(theta),
                        -std::sin(theta) * std::sin(phi));
      m.vertices.push_back({n * radius, n, color,
                            {static_cast<float>(s) / static_cast<float>(segments),
                             static_cast<float>(r) / static_cast<float>(rings)}});
    }
  }
  const uint32_t stride = segments + 1;
  for (uint32_t r = 0; r < rings; ++r) {
    for (uint32_t s = 0; s < segments; ++s) {
      const uint32_t a = r * stride + s, b = a + stride;
      // Skip the degenerate triangle at each pole.
      if (r != 0) m.indices.insert(m.indices.end(), {a, b, a + 1});
      if (r != rings - 1) m.indices.insert(m.indices.end(), {a + 1, b, b + 1});
    }
  }
  return m;
}

MeshData makeCylinder(float radius, float height, uint32_t segments, uint32_t color) {
  segments = std::max(segments, 3u);
  const float h = height * 0.5f;
  MeshData m;
  // Side: two vertices per segment edge, smooth normals.
  for (uint32_t s = 0; s <= segments; ++s) {
    const float phi = glm::two_pi<float>() * static_cast<float>(s) / static_cast<float>(segments);
    const glm::vec3 n(std::cos(phi), 0.0f, -std::sin(phi));
    const float u = static_cast<float>(s) / static_cast<float>(segments);
    m.vertices.push_back({n * radius + glm::vec3(0, -h, 0), n, color, {u, 1.0f}});
    m.vertices.push_back({n * radius + glm::vec3(0, h, 0), n, color, {u, 0.0f}});
  }
  for (uint32_t s = 0; s < segments; ++s) {
    const uint32_t a = 2 * s;
    m.indices.insert(m.indices.end(), {a, a + 2, a + 1, a + 1, a + 2, a + 3});
  }
  // Caps: a centre vertex and a fan, facing +Y and -Y.
  for (int side = 0; side < 2; ++side) {
    const float y = side == 0 ? h : -h;
    const glm::vec3 n(0.0f, side == 0 ? 1.0f : -1.0f, 0.0f);
    const auto centre = static_cast<uint32_t>(m.vertices.size());
    m.vertices.push_back({{0.0f, y, 0.0f}, n, color, {0.5f, 0.5f}});
    for (uint32_t s = 0; s <= segments; ++s) {
      const float phi = glm::two_pi<float>() * static_cast<float>(s) / static_cast<float>(segments);
      m.vertices.push_back({{std::cos(phi) * radius, y, -std::sin(phi) * radius}, n, color,
                            {0.5f + 0.5f * std::cos(phi), 0.5f - 0.5f * std::sin(phi)}});
    }
    for (uint32_t s = 0; s < segments; ++s) {
      const uint32_t a = centre + 1 + s;
      if (side == 0) m.indices.insert(m.indices.end(), {centre, a, a + 1});
      else m.indices.insert(m.indices.end(), {centre, a + 1, a});
    }
  }
  return m;
}

MeshData makeRibbon(std::span<const Vertex> edges) {
  MeshData m;
  m.vertices.assign(edges.begin(), edges.end());
  const auto sections = static_cast<uint32_t>(edges.size() / 2);
  m.indices.reserve(sections > 0 ? 6 * (sections - 1) : 0);
  for (uint32_t i = 0; i + 1 < sections; ++i) {
    const uint32_t a = 2 * i, b = a + 1, c = a + 2, d = a + 3;
    const glm::vec3 face = glm::cross(edges[b].position - edges[a].position, edges[c].position - edges[a].position);
    if (glm::dot(face, edges[a].normal) >= 0) m.indices.insert(m.indices.end(), {a, b, c, b, d, c});
    else m.indices.insert(m.indices.end(), {a, c, b, b, c, d});
  }
  return m;
}

MeshData makePlane(float size, uint32_t divisions, uint32_t colorA, uint32_t colorB) {
  divisions = std::max(divisions, 1u);
  const float cell = size / static_cast<float>(divisions);
  const float o = -size * 0.5f;
  MeshData m;
  m.vertices.reserve(4 * divisions * divisions);
  m.indices.reserve(6 * divisions * divisions);
  for (uint32_t z = 0; z < divisions; ++z) {
    for (uint32_t x = 0; x < divisions; ++x) {
      const float x0 = o + cell * static_cast<float>(x), x1 = x0 + cell;
      const float z0 = o + cell * static_cast<float>(z), z1 = z0 + cell;
      const uint32_t c = ((x + z) & 1u) ? colorB : colorA;
      quad(m, {x0, 0, z1}, {x1, 0, z1}, {x1, 0, z0}, {x0, 0, z0}, {0, 1, 0}, c);
    }
  }
  // Texture coordinates in metres from the plane's corner (MaterialData::uvScale tiles them).
  for (Vertex& v : m.vertices) v.uv = {v.position.x - o, v.position.z - o};
  return m;
}

}  // namespace pav::render

// ---- [SECTION] cameras -------------------------------------------------------------------

namespace pav::render {

Fov Fov::symmetric(float verticalRadians, float aspect) {
  const float halfV = verticalRadians * 0.5f;
  const float halfH = std::atan(std::tan(halfV) * aspect);
  return {-halfH, halfH, halfV, -halfV};
}

Pose Pose::lookAt(const glm::vec3& eye, const glm::vec3& target) {
  // glm::lookAt builds world->view; its inverse rotation is the camera's orientation.
  const glm::mat4 view = glm::lookAt(eye, target, glm::vec3(0, 1, 0));
  Pose p;
  p.position = eye;
  p.orientation = glm::quat_cast(glm::transpose(glm::mat3(view)));
  return p;
}

glm::mat4 View::viewMatrix() const {
  const glm::mat3 r = glm::mat3_cast(pose.orientation);
  const glm::mat3 rt = glm::transpose(r);
  glm::mat4 m(rt);
  m[3] = glm::vec4(-(rt * pose.position), 1.0f);
  return m;
}

glm::mat4 View::projectionMatrix() const { return projectionFromFov(fov, nearZ, farZ); }

glm::mat4 projectionFromFov(const Fov& fov, float n, float f) {
  const float l = std::tan(fov.angleLeft), r = std::tan(fov.angleRight);
  const float u = std::tan(fov.angleUp), d = std::tan(fov.angleDown);
  const float w = r - l, h = u - d;
  glm::mat4 m(0.0f);  // m[column][row]
  m[0][0] = 2.0f / w;
  m[2][0] = (r + l) / w;
  m[1][1] = -2.0f / h;  // Vulkan clip Y points down
  m[2][1] = -(u + d) / h;
  m[2][2] = f / (n - f);
  m[3][2] = n * f / (n - f);
  m[2][3] = -1.0f;
  return m;
}

std::array<View, 2> stereoViews(const Pose& head, float ipd, const Fov& left, const Fov& right,
                                float nearZ, float farZ) {
  const glm::vec3 offset = head.orientation * glm::vec3(ipd * 0.5f, 0.0f, 0.0f);
  std::array<View, 2> v;
  v[0].pose = {head.position - offset, head.orientation};
  v[1].pose = {head.position + offset, head.orientation};
  v[0].fov = left;
  v[1].fov = right;
  for (View& e : v) {
    e.nearZ = nearZ;
    e.farZ = farZ;
  }
  return v;
}

}  // namespace pav::render
