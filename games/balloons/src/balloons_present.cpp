// Balloon darts, how it meets a visitor: drawn from the networked state, so the same code draws
// a server's round, a station's view of it and a replay; a visitor stands on the line, feels
// each of their pops in the throwing hand and reads their score and the time left.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <glm/gtc/matrix_transform.hpp>
#include "pav/balloons/balloons.h"

namespace pav::balloons {
namespace {

enum Mesh { kGround, kBalloon, kBall, kMeshCount };
namespace ui = render::ui;
constexpr glm::vec4 kColours[4] = {{0.9f, 0.1f, 0.1f, 1}, {0.1f, 0.4f, 0.9f, 1}, {0.95f, 0.8f, 0.1f, 1}, {0.7f, 0.2f, 0.8f, 1}};

// A pop: a sharp burst of noise with a little ring.
constexpr render::SoundSpec kSounds[] = {
    {.name = "balloons.pop", .synth = render::Synth::Hit, .seconds = 0.12f, .baseHz = 900.0f, .lowHz = 500.0f,
     .highHz = 9000.0f, .decaySeconds = 0.02f, .attackSeconds = 0.0005f, .gain = 0.9f, .referenceDistance = 2.0f,
     .priority = 200}};

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
    scene.sky = {}, scene.sky.enabled = true;
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
  // A pop where a balloon was, each time one bursts (its generation moves on).
  std::span<const render::SoundSpec> sounds() const override { return kSounds; }
  void hear(const core::StateFrame& before, const core::StateFrame& now, render::SoundCues& cues) override {
    const int n = std::min({kBalloons, int(before.objects.size()), int(now.objects.size())});
    for (int i = 0; i < n; ++i)
      if (now.scalars[kGeneration0 + i] != before.scalars[kGeneration0 + i])
        cues.play(0, before.objects[size_t(i)].position, glm::vec3(0.0f), 1.0f);
  }
  // What the visitor reads (docs/new-title.md, "The HUD"): a panel low in the view with their
  // score and the time left (a spectator: every seat's score), and every seat's score at the
  // results. The ids are looked up once per table; per frame the words go into TextBuffer
  // members and numbers through core::Number: no heap allocation per frame.
  void hud(const core::StateFrame& state, const render::HudContext& context, ui::Canvas& canvas) override {
    if (!context.strings || context.stage == render::HudStage::Lobby) return;  // the host draws the lobby
    const core::StringTable& t = *context.strings;
    if (&t != strings_)  // a new table: look the keys up (a missing one throws, naming it)
      strings_ = &t, text_ = {t.id("hud.score"), t.id("hud.time_left"), t.id("hud.results"), t.id("hud.seat"), t.id("hud.you")};
    const core::Lang lang = context.lang;
    const int players = std::clamp(static_cast<int>(state.objects.size()) - kBalloons, 0, kMaxSeats);
    const auto score = [&](int seat) { return core::Number(std::lround(state.scalars[kScore0 + seat])); };

    if (context.stage == render::HudStage::Results) {  // every seat's score, yours marked
      canvas.panel({.pose = {{0.0f, 0.0f, -1.5f}}, .size = {0.7f, 0.16f + 0.08f * players}, .anchor = ui::Anchor::Head, .onTop = true});
      const float top = 0.04f * players;
      canvas.text(ui::slot("balloons.results"), {0.0f, top}, t.get(text_.results, lang), {.height = 0.06f, .align = ui::Align::Center});
      for (int s = 0; s < players; ++s) {
        const float y = top - 0.08f * static_cast<float>(s + 1);
        const glm::vec4 colour = s == seat_ ? glm::vec4(1.0f, 0.85f, 0.3f, 1.0f) : glm::vec4(1.0f);
        seats_[s].format(t.get(text_.seat, lang), {{"n", core::Number(s + 1).view()}});
        if (s == seat_) seats_[s].append("  "), seats_[s].append(t.get(text_.you, lang));
        canvas.text(ui::slot("balloons.seat", s), {-0.3f, y}, seats_[s].view(), {.height = 0.05f, .color = colour});
        canvas.text(ui::slot("balloons.points", s), {0.3f, y}, score(s).view(), {.height = 0.05f, .color = colour, .align = ui::Align::Right});
      }
      return;
    }
    // Playing: low in the view, 1.2 m ahead, over whatever is behind it.
    const int rows = seat_ >= 0 ? 1 : players;
    canvas.panel({.pose = {{0.0f, -0.32f, -1.2f}}, .size = {0.56f, 0.05f + 0.07f * rows}, .anchor = ui::Anchor::Head, .onTop = true});
    for (int r = 0; r < rows; ++r) {
      const int s = seat_ >= 0 ? seat_ : r;
      const float y = 0.035f * (rows - 1) - 0.07f * r - 0.015f;
      scores_[s].format(t.get(text_.score, lang), {{"score", score(s).view()}});
      canvas.text(ui::slot("balloons.score", s), {-0.25f, y}, scores_[s].view(), {.height = 0.05f, .color = kColours[s]});
    }
    if (context.secondsLeft >= 0) {  // m:ss, rounded up: 0:00 is the end
      const long left = std::lround(std::ceil(context.secondsLeft));
      char clock[48];
      std::snprintf(clock, sizeof clock, "%ld:%02ld", left / 60, left % 60);
      time_.format(t.get(text_.timeLeft, lang), {{"time", clock}});
      canvas.text(ui::slot("balloons.time"), {0.25f, 0.035f * (rows - 1) - 0.015f}, time_.view(), {.height = 0.045f, .align = ui::Align::Right});
    }
  }

 private:
  render::Pose eye(const core::StateFrame& state) const {
    const int players = std::max(1, static_cast<int>(state.objects.size()) - kBalloons);
    const glm::vec3 at = restHand(seat_, players) + glm::vec3(-0.2f, 0.35f, 0.25f);
    return render::Pose::lookAt(at, {at.x * 0.5f, 1.8f, -5.5f});
  }

  int seat_;
  render::MeshId ids_[kMeshCount];
  // The HUD: the table its ids come from, and the text it keeps between frames.
  const core::StringTable* strings_ = nullptr;
  struct {
    core::StringId score, timeLeft, results, seat, you;
  } text_{};
  core::TextBuffer scores_[kMaxSeats], seats_[kMaxSeats], time_;
};

}  // namespace

std::unique_ptr<render::Presenter> makePresenter(const core::Title& title, int seat) {
  return title.info().id == "balloons" ? std::make_unique<BalloonsPresenter>(seat) : nullptr;
}

}  // namespace pav::balloons
