// Balloon darts, how it looks: drawn from the networked state (capture), so the same code
// draws a server's round and a station's copy of it.
#include <algorithm>

#include <glm/gtc/matrix_transform.hpp>
#include "pav/balloons/balloons.h"

namespace pav::balloons {
namespace {

enum Mesh { kGround, kBalloon, kBall, kMeshCount };
constexpr glm::vec4 kColours[4] = {{0.9f, 0.1f, 0.1f, 1}, {0.1f, 0.4f, 0.9f, 1}, {0.95f, 0.8f, 0.1f, 1}, {0.7f, 0.2f, 0.8f, 1}};

class BalloonsPresenter final : public render::Presenter {
 public:
  BalloonsPresenter(const core::Title& title, int seat) : title_(title), seat_(seat) {}
  std::vector<render::MeshData> meshes() const override {
    return {render::makePlane(30.0f, 30, render::packColor({0.36f, 0.55f, 0.3f, 1}), render::packColor({0.3f, 0.5f, 0.26f, 1})),
            render::makeSphere(kBalloonRadius, 16, 24), render::makeSphere(kBallRadius, 8, 12)};
  }
  void setMeshes(std::span<const render::MeshId> ids) override {
    std::copy_n(ids.begin(), std::min<size_t>(ids.size(), kMeshCount), ids_);
  }
  void present(render::Scene& scene, render::View& camera, float aspect) const override {
    core::StateSchema schema;
    title_.describe(schema);
    if (frame_.objects.size() != static_cast<size_t>(schema.objects)) frame_.resize(schema);  // allocates once
    title_.capture(frame_);
    scene.draws.clear();
    scene.light = {}, scene.clearColor = {0.5f, 0.7f, 0.95f, 1.0f};
    scene.draws.push_back({ids_[kGround], glm::mat4(1.0f)});
    for (int i = 0; i < static_cast<int>(frame_.objects.size()); ++i) {
      const glm::mat4 at = glm::translate(glm::mat4(1.0f), frame_.objects[i].position);
      if (i < kBalloons)  // taller than wide; a new balloon (the next generation) has the next colour
        scene.draws.push_back({ids_[kBalloon], glm::scale(at, {1.0f, 1.2f, 1.0f}),
                               kColours[(i + static_cast<int>(frame_.scalars[kGeneration0 + i])) % 4]});
      else if (frame_.objects[i].position.y > -1.0f)  // a ball in flight
        scene.draws.push_back({ids_[kBall], at, {1, 1, 1, 1}});
    }
    // A visitor sees from their place on the line; a spectator from behind everyone.
    const int players = schema.objects - kBalloons;
    const glm::vec3 eye = seat_ >= 0 ? restHand(seat_, players) + glm::vec3(-0.2f, 0.35f, 0.25f) : glm::vec3(0, 2.4f, 3.5f);
    camera.pose = render::Pose::lookAt(eye, {eye.x * 0.5f, 1.8f, -5.5f});
    camera.fov = render::Fov::symmetric(glm::radians(seat_ >= 0 ? 75.0f : 60.0f), aspect);
  }
 private:
  const core::Title& title_;
  int seat_;
  mutable core::StateFrame frame_;  // present() is const; the frame is only a scratch copy
  render::MeshId ids_[kMeshCount];
};

}  // namespace

std::unique_ptr<render::Presenter> makePresenter(const core::Title& title, int seat) {
  return title.info().id == "balloons" ? std::make_unique<BalloonsPresenter>(title, seat) : nullptr;
}

}  // namespace pav::balloons
