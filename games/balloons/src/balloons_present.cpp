// Balloon darts, how it meets a visitor: drawn from the networked state, so the same code draws
// a server's round, a station's view of it and a replay; a visitor stands on the line and
// feels each of their pops in the throwing hand.
#include <algorithm>

#include <glm/gtc/matrix_transform.hpp>
#include "pav/balloons/balloons.h"

namespace pav::balloons {
namespace {

enum Mesh { kGround, kBalloon, kBall, kMeshCount };
constexpr glm::vec4 kColours[4] = {{0.9f, 0.1f, 0.1f, 1}, {0.1f, 0.4f, 0.9f, 1}, {0.95f, 0.8f, 0.1f, 1}, {0.7f, 0.2f, 0.8f, 1}};

class BalloonsPresenter final : public render::Presenter {
 public:
  explicit BalloonsPresenter(int seat) : seat_(seat) {}
  std::vector<render::MeshData> meshes() const override {
    return {render::makePlane(30.0f, 30, render::packColor({0.36f, 0.55f, 0.3f, 1}), render::packColor({0.3f, 0.5f, 0.26f, 1})),
            render::makeSphere(kBalloonRadius, 16, 24), render::makeSphere(kBallRadius, 8, 12)};
  }
  void setMeshes(std::span<const render::MeshId> ids) override {
    std::copy_n(ids.begin(), std::min<size_t>(ids.size(), kMeshCount), ids_);
  }
  void present(const core::StateFrame& state, render::Scene& scene, render::View& camera, float aspect) const override {
    scene.draws.clear();
    scene.light = {}, scene.clearColor = {0.5f, 0.7f, 0.95f, 1.0f};
    scene.draws.push_back({ids_[kGround], glm::mat4(1.0f)});
    for (int i = 0; i < static_cast<int>(state.objects.size()); ++i) {
      const glm::mat4 at = glm::translate(glm::mat4(1.0f), state.objects[i].position);
      if (i < kBalloons)  // taller than wide; a new balloon (the next generation) has the next colour
        scene.draws.push_back({ids_[kBalloon], glm::scale(at, {1.0f, 1.2f, 1.0f}),
                               kColours[(i + static_cast<int>(state.scalars[kGeneration0 + i])) % 4]});
      else if (state.objects[i].position.y > -1.0f)  // a ball in flight
        scene.draws.push_back({ids_[kBall], at, {1, 1, 1, 1}});
    }
    // A visitor sees from their place on the line; a spectator from behind everyone.
    camera.pose = seat_ >= 0 ? eye(state) : render::Pose::lookAt({0, 2.4f, 3.5f}, {0, 1.8f, -5.5f});
    camera.fov = render::Fov::symmetric(glm::radians(seat_ >= 0 ? 75.0f : 60.0f), aspect);
  }
  // Standing on the line behind the resting hand; the title's coordinates are the room's.
  bool seat(const core::StateFrame& state, render::Seat& out) const override {
    if (seat_ < 0) return false;
    out = {render::Seat::Stance::Standing, eye(state), {}};
    return true;
  }
  // A pop of one of this visitor's throws: a short kick in the throwing hand.
  void feel(const core::StateFrame& before, const core::StateFrame& now, render::Cues& cues) override {
    if (seat_ >= 0 && seat_ < kMaxSeats && now.scalars[kScore0 + seat_] > before.scalars[kScore0 + seat_])
      cues.jolt(render::FeelWhere::RightHand, 0.6f, 0.05f);
  }

 private:
  render::Pose eye(const core::StateFrame& state) const {
    const int players = std::max(1, static_cast<int>(state.objects.size()) - kBalloons);
    const glm::vec3 at = restHand(seat_, players) + glm::vec3(-0.2f, 0.35f, 0.25f);
    return render::Pose::lookAt(at, {at.x * 0.5f, 1.8f, -5.5f});
  }

  int seat_;
  render::MeshId ids_[kMeshCount];
};

}  // namespace

std::unique_ptr<render::Presenter> makePresenter(const core::Title& title, int seat) {
  return title.info().id == "balloons" ? std::make_unique<BalloonsPresenter>(seat) : nullptr;
}

}  // namespace pav::balloons
