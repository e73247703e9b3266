// The hockey presenter: the table is the glTF model, the moving pieces are procedural
// cylinders sized from the table file, everything that moves comes from the state frame.
#include "pav/hockey/hockey_present.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <glm/gtc/matrix_transform.hpp>

#include "hockey_hud.h"
#include "hockey_sound.h"
#include "pav/hockey/hockey.h"
#include "pav/render/gltf.h"

#ifndef PAV_ASSET_DIR
#define PAV_ASSET_DIR "assets"
#endif

namespace pav::hockey {
namespace {

using render::packColor;

glm::mat4 at(const glm::vec3& p) { return glm::translate(glm::mat4(1.0f), p); }
glm::vec2 flat(const glm::vec3& v) { return {v.x, v.z}; }
glm::vec2 onTable(const core::ObjectState& o) { return flat(o.position); }

// The title's data folder (`pavilion play --data DIR`) has the models in DIR/models; without one,
// the built-in assets/. A missing or damaged model throws pav::Error naming the file (loadGltf).
std::string modelPath(const std::string& dataDir, const char* name) {
  return (dataDir.empty() ? std::string(PAV_ASSET_DIR) : dataDir) + "/models/" + name + ".gltf";
}

// A hit: the puck's velocity jumps by more than this (m/s) between two frames, and where it
// turned was within kHitReachM of the mallet's edge on the mallet's way between them.
constexpr float kHitVelocityJump = 0.3f;
constexpr float kHitReachM = 0.03f;
constexpr float kHitJoltSeconds = 0.03f;

float cross(glm::vec2 a, glm::vec2 b) { return a.x * b.y - a.y * b.x; }

// Where the puck turned between two frames, however far apart (a stalled frame): where its
// incoming path (from p0 along v0) meets its outgoing one (back from p1 against v1). A puck at
// rest turned where it lay; paths that do not cross (head on, or parallel) turned at the end
// of the incoming one that is nearer the outgoing one.
glm::vec2 turnPoint(glm::vec2 p0, glm::vec2 v0, glm::vec2 p1, glm::vec2 v1) {
  if (glm::length(v0) < 1e-3f) return p0;
  const float det = cross(v0, v1);
  if (std::abs(det) > 1e-4f * glm::length(v0) * std::max(glm::length(v1), 1e-3f)) {
    // p0 + v0 t = p1 - v1 u  =>  v0 t + v1 u = p1 - p0.
    const float t = cross(p1 - p0, v1) / det;
    if (t >= 0.0f) return p0 + v0 * t;
  }
  return glm::distance(p0, p1) < glm::distance(p0 + v0 * 1e-3f, p1) ? p0 : p1;
}

// The distance from p to the segment a-b.
float toSegment(glm::vec2 p, glm::vec2 a, glm::vec2 b) {
  const glm::vec2 ab = b - a;
  const float len2 = glm::dot(ab, ab);
  const float t = len2 > 0 ? std::clamp(glm::dot(p - a, ab) / len2, 0.0f, 1.0f) : 0.0f;
  return glm::distance(p, a + ab * t);
}

class HockeyPresenter final : public render::Presenter {
 public:
  HockeyPresenter(const core::Title& title, int seat)
      : table_(tableOf(title)), dataDir_(dataDirOf(title)), seat_(seat == 0 || seat == 1 ? seat : -1) {}

  std::vector<render::MeshData> meshes() const override {
    std::vector<render::MeshData> m = pieceMeshData(table_);
    // The model is the standard table (kTable); another table file stretches it to fit.
    render::MeshData table = render::loadGltf(modelPath(dataDir_, "hockey_table"));
    const glm::vec3 stretch{table_.length / kTable.length, table_.surfaceHeight / kTable.surfaceHeight,
                            table_.width / kTable.width};
    for (render::Vertex& v : table.vertices) v.position *= stretch;
    m.insert(m.begin() + 1, std::move(table));  // floor, table, puck, mallet, knob
    m.push_back(render::loadGltf(modelPath(dataDir_, "pavilion_hall")));  // the hall round the table
    return m;
  }

  void setMeshes(std::span<const render::MeshId> ids) override {
    if (ids.size() < 6) return;
    const render::MeshId pieces[] = {ids[0], ids[2], ids[3], ids[4]};
    pieces_ = pieceMeshesFrom(pieces);
    tableMesh_ = ids[1];
    hallMesh_ = ids[5];
  }

  void present(const core::StateFrame& state, render::Scene& scene, render::View& camera, float aspect) const override {
    scene.draws.clear();
    drawRoom(pieces_, scene);
    scene.draws.front().mesh = hallMesh_;  // the pavilion hall, its wooden floor where the room's floor is
    scene.draws.push_back({tableMesh_, glm::mat4(1.0f), {1, 1, 1, 1}});
    if (state.objects.size() >= 3) {
      const glm::vec2 mallets[2] = {onTable(state.objects[1]), onTable(state.objects[2])};
      drawPieces(pieces_, table_, onTable(state.objects[0]), mallets, scene);
    }
    camera = {};  // near and far planes as any View starts with
    if (seat_ >= 0) {
      camera.pose = seatEye(seat_, table_);
      camera.fov = render::Fov::symmetric(glm::radians(70.0f), aspect);
    } else {
      camera.pose = render::Pose::lookAt({-1.9f, 2.1f, 2.6f}, {0.0f, 0.7f, -0.2f});
      camera.fov = render::Fov::symmetric(glm::radians(55.0f), aspect);
    }
  }

  bool seat(const core::StateFrame&, render::Seat& out) const override {
    if (seat_ < 0) return false;
    out = {render::Seat::Stance::Standing, seatEye(seat_, table_), tableFrame(table_)};
    return true;
  }

  // Gloved hands where the controllers are: the right one over the visitor's mallet, which
  // follows it across the table (the title's headset mapping).
  void body(const core::StateFrame&, render::Body& out) const override {
    out = {};
    out.hands = render::Body::Hands::Gloves;
  }

  void feel(const core::StateFrame& before, const core::StateFrame& now, render::Cues& cues) override {
    if (seat_ < 0 || before.objects.size() < 3 || now.objects.size() < 3) return;
    const size_t mine = static_cast<size_t>(1 + seat_);
    const glm::vec2 v0 = flat(before.objects[0].velocity), v1 = flat(now.objects[0].velocity);
    if (glm::length(v1 - v0) <= kHitVelocityJump) return;
    const glm::vec2 turn = turnPoint(onTable(before.objects[0]), v0, onTable(now.objects[0]), v1);
    const float reach = table_.puckRadius + table_.malletRadius + kHitReachM;
    if (toSegment(turn, onTable(before.objects[mine]), onTable(now.objects[mine])) < reach)
      cues.jolt(render::FeelWhere::RightHand, std::clamp(glm::length(v1) / 4.0f, 0.2f, 1.0f), kHitJoltSeconds);
  }

  // Air hum, the puck's slide, hits, clacks and the horn (hockey_sound.h).
  std::span<const render::SoundSpec> sounds() const override { return hockeySounds(); }
  void hear(const core::StateFrame& before, const core::StateFrame& now, render::SoundCues& cues) override {
    sounds_.hear(before, now, cues);
  }

  // The scoreboard over the far end, the goal banner and the final score (hockey_hud.h).
  void hud(const core::StateFrame& state, const render::HudContext& context, render::ui::Canvas& canvas) override {
    hud_.draw(state, context, canvas);
  }

 private:
  const TableSpec table_;
  const std::string dataDir_;
  const int seat_;
  HockeyHud hud_{table_, seat_};
  HockeySounds sounds_{table_};
  PieceMeshes pieces_;
  render::MeshId tableMesh_, hallMesh_;
};

}  // namespace

std::unique_ptr<render::Presenter> makeHockeyPresenter(const core::Title& title, int seat) {
  if (title.info().id != "hockey") return nullptr;
  return std::make_unique<HockeyPresenter>(title, seat);
}

// ---- The room and the pieces ------------------------------------------------------------------

std::vector<render::MeshData> pieceMeshData(const TableSpec& t) {
  std::vector<render::MeshData> m;
  m.push_back(render::makePlane(24.0f, 24, packColor({0.42f, 0.44f, 0.47f, 1}), packColor({0.30f, 0.32f, 0.35f, 1})));
  m.push_back(render::makeCylinder(t.puckRadius, t.puckHeight, 40));
  m.push_back(render::makeCylinder(t.malletRadius, t.malletHeight * 0.45f, 40));
  m.push_back(render::makeCylinder(t.malletRadius * 0.45f, t.malletHeight * 0.55f, 32));
  return m;
}

PieceMeshes pieceMeshesFrom(std::span<const render::MeshId> ids) {
  PieceMeshes m;
  render::MeshId* fields[] = {&m.floor, &m.puck, &m.mallet, &m.knob};
  for (size_t i = 0; i < std::size(fields) && i < ids.size(); ++i) *fields[i] = ids[i];
  return m;
}

void drawRoom(const PieceMeshes& m, render::Scene& scene) {
  scene.light = {};
  scene.shadows = {.cascades = 1, .distance = 6.0f};  // one map over the table and the room around it
  scene.clearColor = {0.50f, 0.64f, 0.82f, 1.0f};
  scene.sky = {}, scene.sky.enabled = true;
  scene.draws.push_back({m.floor, glm::mat4(1.0f), {1, 1, 1, 1}});
}

void drawPieces(const PieceMeshes& m, const TableSpec& t, glm::vec2 puck, const glm::vec2 (&mallets)[2],
                render::Scene& scene) {
  const float y = t.surfaceHeight;
  scene.draws.push_back({m.puck, at({puck.x, y + t.puckHeight * 0.5f, puck.y}), {0.05f, 0.05f, 0.06f, 1}});
  const glm::vec4 malletColor[2] = {{0.85f, 0.12f, 0.10f, 1}, {0.10f, 0.35f, 0.85f, 1}};
  for (int i = 0; i < 2; ++i) {
    const glm::vec3 base{mallets[i].x, y, mallets[i].y};
    scene.draws.push_back({m.mallet, at(base + glm::vec3(0, t.malletHeight * 0.225f, 0)), malletColor[i]});
    scene.draws.push_back({m.knob, at(base + glm::vec3(0, t.malletHeight * 0.725f, 0)), malletColor[i]});
  }
}

render::Pose seatEye(int seat, const TableSpec& table) {
  const float side = seat == 0 ? -1.0f : 1.0f;
  return render::Pose::lookAt({side * (table.length * 0.5f + 0.45f), 1.6f, 0.0f},
                              {-side * table.length * 0.1f, table.surfaceHeight, 0.0f});
}

render::Pose tableFrame(const TableSpec& table) {
  render::Pose p;
  p.position = {0.0f, table.surfaceHeight, 0.0f};
  return p;
}

}  // namespace pav::hockey
