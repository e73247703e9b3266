// The hockey presenter: the table is the glTF model, the moving pieces are procedural
// cylinders sized from the table file. Views as in tools/pavilion's demo room.
#include "pav/hockey/hockey_present.h"

#include <algorithm>
#include <string>

#include <glm/gtc/matrix_transform.hpp>

#include "pav/hockey/hockey.h"
#include "pav/render/gltf.h"

#ifndef PAV_ASSET_DIR
#define PAV_ASSET_DIR "assets"
#endif

namespace pav::hockey {
namespace {

using render::packColor;

glm::mat4 at(const glm::vec3& p) { return glm::translate(glm::mat4(1.0f), p); }

// The title's data folder (`pavilion play --data DIR`) has the models in DIR/models; without one,
// the built-in assets/. A missing or damaged model throws pav::Error naming the file (loadGltf).
std::string modelPath(const std::string& dataDir, const char* name) {
  return (dataDir.empty() ? std::string(PAV_ASSET_DIR) : dataDir) + "/models/" + name + ".gltf";
}

class HockeyPresenter final : public render::Presenter {
 public:
  HockeyPresenter(const core::Title& title, int seat) : title_(title), seat_(seat) {}

  std::vector<render::MeshData> meshes() const override {
    const TableSpec& t = tableOf(title_);
    std::vector<render::MeshData> m;
    m.push_back(render::makePlane(24.0f, 24, packColor({0.42f, 0.44f, 0.47f, 1}), packColor({0.30f, 0.32f, 0.35f, 1})));
    // The model is the standard table (kTable); another table file stretches it to fit.
    render::MeshData table = render::loadGltf(modelPath(dataDirOf(title_), "hockey_table"));
    const glm::vec3 stretch{t.length / kTable.length, t.surfaceHeight / kTable.surfaceHeight, t.width / kTable.width};
    for (render::Vertex& v : table.vertices) v.position *= stretch;
    m.push_back(std::move(table));
    m.push_back(render::makeCylinder(t.puckRadius, t.puckHeight, 40));
    m.push_back(render::makeCylinder(t.malletRadius, t.malletHeight * 0.45f, 40));
    m.push_back(render::makeCylinder(t.malletRadius * 0.45f, t.malletHeight * 0.55f, 32));
    return m;
  }

  void setMeshes(std::span<const render::MeshId> ids) override {
    std::copy_n(ids.begin(), std::min<size_t>(ids.size(), 5), ids_);
  }

  void present(render::Scene& scene, render::View& camera, float aspect) const override {
    const TableSpec& t = tableOf(title_);
    scene.draws.clear();
    scene.light = {};
    scene.clearColor = {0.50f, 0.64f, 0.82f, 1.0f};
    scene.draws.push_back({ids_[0], glm::mat4(1.0f), {1, 1, 1, 1}});
    scene.draws.push_back({ids_[1], glm::mat4(1.0f), {1, 1, 1, 1}});
    const float y = t.surfaceHeight;
    const glm::vec2 puck = puckOf(title_).position;
    scene.draws.push_back({ids_[2], at({puck.x, y + t.puckHeight * 0.5f, puck.y}), {0.05f, 0.05f, 0.06f, 1}});
    const glm::vec4 malletColor[2] = {{0.85f, 0.12f, 0.10f, 1}, {0.10f, 0.35f, 0.85f, 1}};
    for (int i = 0; i < 2; ++i) {
      const glm::vec2 m = malletOf(title_, i);
      scene.draws.push_back({ids_[3], at({m.x, y + t.malletHeight * 0.225f, m.y}), malletColor[i]});
      scene.draws.push_back({ids_[4], at({m.x, y + t.malletHeight * 0.725f, m.y}), malletColor[i]});
    }
    camera = {};  // near and far planes as any View starts with
    if (seat_ == 0 || seat_ == 1) {
      const float side = seat_ == 0 ? -1.0f : 1.0f;
      camera.pose = render::Pose::lookAt({side * (t.length * 0.5f + 0.45f), 1.6f, 0.0f}, {-side * t.length * 0.1f, y, 0.0f});
      camera.fov = render::Fov::symmetric(glm::radians(70.0f), aspect);
    } else {
      camera.pose = render::Pose::lookAt({-1.9f, 2.1f, 2.6f}, {0.0f, 0.7f, -0.2f});
      camera.fov = render::Fov::symmetric(glm::radians(55.0f), aspect);
    }
  }

 private:
  const core::Title& title_;
  int seat_;
  render::MeshId ids_[5];  // floor, table, puck, mallet, mallet knob
};

}  // namespace

std::unique_ptr<render::Presenter> makeHockeyPresenter(const core::Title& title, int seat) {
  if (title.info().id != "hockey") return nullptr;
  return std::make_unique<HockeyPresenter>(title, seat);
}

}  // namespace pav::hockey
