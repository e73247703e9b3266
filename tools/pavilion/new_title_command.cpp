// `pavilion new-title <name>`: step one of docs/new-title.md. Writes a small, complete title
// into the source tree: games/<name>/ (CMakeLists.txt calling pav_add_title, the public header,
// the rules, a presenter with its HUD), assets/<name>/strings.json (its words in Chinese and
// English) and tests/<name>/ (a GoogleTest suite). The build finds both by
// itself (games/ and tests/ glob their folders), so the next build has `pavilion play <name>`.
//
// The scaffold's game: each visitor moves a marker with the right hand and touches a target;
// a touch scores and moves the target. It shows every part of the Title contract without
// physics; games/balloons is the complete example with Bullet.
//
// Index: [Templates] the files, as raw strings with {{name}}, {{Class}}, {{Title}};
//        [Checks] the name and the tree; [Command].
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <string_view>

#include "commands.h"
#include "pav/core/title.h"

namespace pav::tools {
namespace {

namespace fs = std::filesystem;

// ---- [Templates] ----------------------------------------------------------------------------

constexpr std::string_view kCMakeLists = R"tpl(# games/{{name}}: {{Title}}, made by `pavilion new-title {{name}}`. The build finds this folder
# by itself; pav_add_title (cmake/PavTitle.cmake) builds pav_{{name}} and registers the title
# (pav::{{name}}::registerTitle) and its presenter (pav::{{name}}::makePresenter).
pav_add_title(NAME {{name}}
  SOURCES src/{{name}}.cpp src/{{name}}_present.cpp
  PRESENTER pav::{{name}}::makePresenter)
# Physics? Add `LIBS pav_physics` above and see games/balloons.
)tpl";

constexpr std::string_view kHeader = R"tpl(// {{Title}}: a pavilion title (made by `pavilion new-title {{name}}`; docs/new-title.md).
// Each visitor moves a marker with the right hand (InputFrame::hands[1]) and touches the
// target in front of them; a touch scores and the target moves. The round lasts 30 s.
//
//   auto title = pav::{{name}}::makeTitle();
//   title->setup({.players = 2, .seed = 7});
//   InputFrame in[2]; title->botInput(0, in[0]); title->botInput(1, in[1]); title->step(in);
#pragma once

#include <memory>

#include "pav/core/title.h"
#include "pav/render/presenter.h"

namespace pav::{{name}} {

constexpr double kTickRateHz = 60.0;
constexpr int kMaxSeats = 4;
// Scalars in the networked state: the seats' scores, then the touches counter.
constexpr int kScore0 = 0, kTouches = kMaxSeats;
// Where seat `seat` of `players` stands: on a line across the room (x), facing -Z; its hand's
// marker starts 1.2 m up, half a metre in front. Room coordinates are the title's.
glm::vec3 standingSpot(int seat, int players);

std::unique_ptr<core::Title> makeTitle();
void registerTitle();  // "{{name}}" in the registry
// How it meets a visitor (the picture, where they stand, what they feel); nullptr if `title`
// is not a {{name}} title.
std::unique_ptr<render::Presenter> makePresenter(const core::Title& title, int seat = -1);

}  // namespace pav::{{name}}
)tpl";

constexpr std::string_view kSource = R"tpl(// {{Title}}, the rules (see {{name}}.h). Deterministic: no clocks, no I/O, all randomness
// from the seed. A target's place is a pure function of the seed, the seat and its score, so
// the network needs only the markers and the scores.
#include "pav/{{name}}/{{name}}.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include <nlohmann/json.hpp>

#include "pav/core/error.h"

namespace pav::{{name}} {
namespace {

constexpr core::TitleInfo kInfo{"{{name}}", "{{Title}}", kTickRateHz, kMaxSeats};
constexpr float kSpeed = 3.0f;   // m/s: how fast a marker follows its hand
constexpr float kReach = 0.15f;  // m: closer than this is a touch
constexpr float kArm = 1.5f;     // m: the farthest a hand gets from its seat's home
constexpr double kRoundSeconds = 30.0;
constexpr std::string_view kScoreNames[kMaxSeats] = {"score_0", "score_1", "score_2", "score_3"};

uint64_t mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
float unit(uint64_t h) { return static_cast<float>(h >> 40) / static_cast<float>(1u << 24); }  // [0, 1)

class {{Class}}Title final : public core::Title {
 public:
  const core::TitleInfo& info() const override { return kInfo; }

  void setup(const core::TitleSetup& s) override {
    PAV_CHECK(s.players >= 1 && s.players <= kMaxSeats, "{{name}}: %d players; it takes 1 to %d", s.players, kMaxSeats);
    PAV_CHECK(s.skill >= 0 && s.skill <= 2, "{{name}}: skill %d; 0 easy, 1 medium, 2 hard", s.skill);
    setup_ = s;
    tick_ = touches_ = 0;
    endTick_ = static_cast<uint64_t>(std::llround((s.durationSeconds > 0 ? s.durationSeconds : kRoundSeconds) * kTickRateHz));
    score_ = {};
    for (int seat = 0; seat < kMaxSeats; ++seat) marker_[seat] = home(seat);
  }

  void step(std::span<const core::InputFrame> inputs) override {
    PAV_CHECK(endTick_ > 0, "{{name}}: step before setup");
    if (finished()) return;
    const float maxMove = kSpeed / static_cast<float>(kTickRateHz);
    for (int seat = 0; seat < std::min<int>(setup_.players, static_cast<int>(inputs.size())); ++seat) {
      const core::HandInput& hand = inputs[seat].hands[1];
      if (!hand.tracked) continue;  // an untracked hand leaves the marker where it is
      const glm::vec3 d = hand.position - marker_[seat];
      const float len = glm::length(d);
      marker_[seat] += len > maxMove ? d * (maxMove / len) : d;
      if (glm::length(marker_[seat] - target(seat)) < kReach) {
        ++score_[seat];  // and so the target moves on
        ++touches_;
      }
    }
    ++tick_;
  }

  void botInput(int seat, core::InputFrame& out) const override {
    out = {};
    out.hands[1].tracked = true;
    // A bot reaches for its target; an easier one wavers on the way.
    const float wobble = 0.25f * static_cast<float>(2 - setup_.skill) * std::sin(0.05f * static_cast<float>(tick_) + static_cast<float>(seat));
    out.hands[1].position = target(seat) + glm::vec3(wobble, 0.0f, 0.0f);
    out.hands[1].trigger = 1.0f;
  }

  // The server checks every station's input with this before it plays it: the default refuses
  // NaN and clamps the ranges; here the hands also stay within an arm's reach of the seat.
  bool checkInput(int seat, core::InputFrame& in) const override {
    if (!Title::checkInput(seat, in) || seat < 0 || seat >= setup_.players) return false;
    for (core::HandInput& h : in.hands) {
      const glm::vec3 d = h.position - home(seat);
      if (const float len = glm::length(d); h.tracked && len > kArm) h.position = home(seat) + d * (kArm / len);
    }
    return true;
  }

  uint64_t tick() const override { return tick_; }
  bool finished() const override { return tick_ >= endTick_; }

  uint64_t stateHash() const override {
    uint64_t h = core::hashBytes(&tick_, sizeof tick_);
    h = core::hashBytes(marker_.data(), sizeof marker_, h);
    h = core::hashBytes(score_.data(), sizeof score_, h);
    return core::hashBytes(&touches_, sizeof touches_, h);
  }

  std::string results(bool json) const override {
    const double seconds = static_cast<double>(tick_) / kTickRateHz;
    if (json) {  // through nlohmann-json, like every JSON the programs print
      const nlohmann::ordered_json j = {{"title", kInfo.id},
                                        {"scores", std::vector<int>(score_.begin(), score_.begin() + setup_.players)},
                                        {"seconds", std::round(seconds * 100) / 100}};
      return j.dump();
    }
    std::string out = "{{name}}:";
    for (int s = 0; s < setup_.players; ++s) out += " seat " + std::to_string(s) + " " + std::to_string(score_[s]);
    char tail[64];
    std::snprintf(tail, sizeof tail, " after %.1f s", seconds);
    return out + tail;
  }

  // The networked state: objects 2 s and 2 s + 1 are seat s's marker and target (the target is
  // sent for drawing; apply derives it); positions to 1 mm in the play space; no velocities.
  void describe(core::StateSchema& schema) const override {
    schema = {};
    schema.objects = 2 * setup_.players;
    schema.positionMin = {-4.0f, 0.0f, -3.0f};
    schema.positionMax = {4.0f, 3.0f, 3.0f};
    schema.positionResolution = 0.001f;
    for (int s = 0; s < kMaxSeats; ++s) schema.addScalar({kScoreNames[s], 0, 9999, 1});
    schema.addScalar({"touches", 0, 65535, 1, true});  // a counter: each touch is announced reliably
  }

  void capture(core::StateFrame& out) const override {
    PAV_CHECK(static_cast<int>(out.objects.size()) == 2 * setup_.players, "{{name}}: capture into a frame of another size");
    out.tick = tick_;
    for (int s = 0; s < setup_.players; ++s) {
      out.objects[2 * s] = {marker_[s], glm::quat(1, 0, 0, 0), glm::vec3(0), glm::vec3(0)};
      out.objects[2 * s + 1] = {target(s), glm::quat(1, 0, 0, 0), glm::vec3(0), glm::vec3(0)};
    }
    for (int s = 0; s < kMaxSeats; ++s) out.scalars[kScore0 + s] = static_cast<float>(score_[s]);
    out.scalars[kTouches] = static_cast<float>(std::min<uint64_t>(touches_, 65535));
  }

  void apply(const core::StateFrame& in) override {
    PAV_CHECK(static_cast<int>(in.objects.size()) == 2 * setup_.players, "{{name}}: not a {{name}} frame");
    tick_ = in.tick;
    for (int s = 0; s < setup_.players; ++s) marker_[s] = in.objects[2 * s].position;
    for (int s = 0; s < kMaxSeats; ++s) score_[s] = static_cast<int>(std::lround(in.scalars[kScore0 + s]));
    touches_ = static_cast<uint64_t>(std::lround(in.scalars[kTouches]));
  }

  int ownObject(int seat) const override { return 2 * seat; }  // a station predicts its marker

 private:
  glm::vec3 home(int seat) const { return standingSpot(seat, setup_.players) + glm::vec3(0.0f, 1.2f, -0.5f); }
  glm::vec3 target(int seat) const {
    const uint64_t h = mix(setup_.seed ^ mix(uint64_t(seat) << 32 | uint64_t(score_[seat])));
    return home(seat) + glm::vec3(0.8f * (unit(h) - 0.5f), 0.8f * (unit(mix(h)) - 0.5f), -0.3f * unit(mix(h + 1)));
  }

  core::TitleSetup setup_;
  uint64_t tick_ = 0, endTick_ = 0, touches_ = 0;
  std::array<glm::vec3, kMaxSeats> marker_{};
  std::array<int, kMaxSeats> score_{};
};

}  // namespace

glm::vec3 standingSpot(int seat, int players) {
  return {1.0f * (static_cast<float>(seat) - 0.5f * static_cast<float>(players - 1)), 0.0f, 0.0f};
}

std::unique_ptr<core::Title> makeTitle() { return std::make_unique<{{Class}}Title>(); }

void registerTitle() { core::registerTitle(kInfo.id, makeTitle); }

}  // namespace pav::{{name}}
)tpl";

constexpr std::string_view kPresenter = R"tpl(// {{Title}}, how it meets a visitor: drawn from the networked state, so the same code draws a
// server's round, a station's view and a replay. Meshes are uploaded once; present() fills the
// scene; seat() stands the visitor on their spot; feel() jolts their hand at each touch; hud()
// shows their score, in words from assets/{{name}}/strings.json.
#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

#include "pav/{{name}}/{{name}}.h"

namespace pav::{{name}} {
namespace {

enum Mesh { kGround, kMarker, kTarget, kMeshCount };

class {{Class}}Presenter final : public render::Presenter {
 public:
  explicit {{Class}}Presenter(int seat) : seat_(seat) {}

  std::vector<render::MeshData> meshes() const override {
    std::vector<render::MeshData> m;
    m.push_back(render::makePlane(20.0f, 20, render::packColor({0.4f, 0.42f, 0.45f, 1}), render::packColor({0.32f, 0.34f, 0.37f, 1})));
    m.push_back(render::makeSphere(0.06f));
    m.push_back(render::makeSphere(0.1f));
    return m;
  }
  void setMeshes(std::span<const render::MeshId> ids) override { std::copy_n(ids.begin(), std::min<size_t>(ids.size(), kMeshCount), ids_); }

  void present(const core::StateFrame& state, render::Scene& scene, render::View& camera, float aspect) const override {
    scene.draws.clear();
    scene.light = {};
    scene.draws.push_back({ids_[kGround], glm::mat4(1.0f)});
    for (size_t i = 0; i < state.objects.size(); ++i) {
      const bool marker = i % 2 == 0;
      scene.draws.push_back({ids_[marker ? kMarker : kTarget], glm::translate(glm::mat4(1.0f), state.objects[i].position),
                             marker ? glm::vec4(0.1f, 0.4f, 0.9f, 1) : glm::vec4(1.0f, 0.6f, 0.1f, 1)});
    }
    camera = {};
    if (!eyeOf(state, camera.pose)) camera.pose = render::Pose::lookAt({0.0f, 1.8f, 2.5f}, {0.0f, 1.1f, -0.6f});
    camera.fov = render::Fov::symmetric(glm::radians(60.0f), aspect);
  }

  // Standing on the seat's spot, eyes 1.6 m up, looking along -Z; the title's coordinates are
  // the room's.
  bool seat(const core::StateFrame& state, render::Seat& out) const override {
    render::Pose eye;
    if (!eyeOf(state, eye)) return false;
    out = {render::Seat::Stance::Standing, eye, {}};
    return true;
  }

  // A touch scores: a short kick in the right hand, the one that moves the marker.
  void feel(const core::StateFrame& before, const core::StateFrame& now, render::Cues& cues) override {
    if (seat_ >= 0 && seat_ < kMaxSeats && now.scalars[kScore0 + seat_] > before.scalars[kScore0 + seat_])
      cues.jolt(render::FeelWhere::RightHand, 0.8f, 0.05f);
  }

  // What the visitor reads: their score low in the view, the final score at the results
  // (docs/new-title.md, "The HUD"). Ids are looked up once per table (a missing key throws,
  // naming it); per frame the text goes into a kept TextBuffer: nothing allocates.
  void hud(const core::StateFrame& state, const render::HudContext& context, render::ui::Canvas& canvas) override {
    if (!context.strings || context.stage == render::HudStage::Lobby) return;  // the host draws the lobby
    if (context.strings != strings_)
      strings_ = context.strings, scoreId_ = strings_->id("hud.score"), finalId_ = strings_->id("hud.final");
    const int seat = std::clamp(seat_, 0, kMaxSeats - 1);  // a spectator follows seat 0
    const bool results = context.stage == render::HudStage::Results;
    const core::Number score(std::lround(state.scalars[kScore0 + seat]));
    score_.format(strings_->get(results ? finalId_ : scoreId_, context.lang), {{"score", score.view()}});
    canvas.panel({.pose = {{0.0f, results ? 0.0f : -0.3f, -1.2f}}, .size = {0.5f, 0.12f},
                  .anchor = render::ui::Anchor::Head, .onTop = true});
    canvas.text(render::ui::slot("{{name}}.score"), {0.0f, -0.02f}, score_.view(),
                {.height = 0.06f, .align = render::ui::Align::Center});
  }

 private:
  bool eyeOf(const core::StateFrame& state, render::Pose& eye) const {
    const int players = static_cast<int>(state.objects.size()) / 2;
    if (seat_ < 0 || seat_ >= players) return false;
    const glm::vec3 at = standingSpot(seat_, players) + glm::vec3(0.0f, 1.6f, 0.0f);
    eye = render::Pose::lookAt(at, at + glm::vec3(0.0f, 0.0f, -1.0f));
    return true;
  }

  int seat_;
  render::MeshId ids_[kMeshCount];
  const core::StringTable* strings_ = nullptr;  // the table the ids below come from
  core::StringId scoreId_, finalId_;
  core::TextBuffer score_;
};

}  // namespace

std::unique_ptr<render::Presenter> makePresenter(const core::Title& title, int seat) {
  if (title.info().id != "{{name}}") return nullptr;
  return std::make_unique<{{Class}}Presenter>(seat);
}

}  // namespace pav::{{name}}
)tpl";

constexpr std::string_view kTestCMakeLists = R"tpl(# tests/{{name}}: found by tests/CMakeLists.txt because games/{{name}} is a title.
add_executable(pav_{{name}}_tests {{name}}_test.cpp)
target_link_libraries(pav_{{name}}_tests PRIVATE pav_{{name}} GTest::gtest_main)
target_include_directories(pav_{{name}}_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)  # recording_canvas.h
target_compile_definitions(pav_{{name}}_tests PRIVATE PAV_TEST_ASSET_DIR="${PROJECT_SOURCE_DIR}/assets")
gtest_discover_tests(pav_{{name}}_tests DISCOVERY_TIMEOUT 60)
)tpl";

constexpr std::string_view kTest = R"tpl(// {{Title}}: the title's own tests. Time is ticks, passed explicitly; every test asserts an
// outcome (a hash, a score), not just that nothing crashed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pav/core/strings.h"
#include "pav/{{name}}/{{name}}.h"
#include "recording_canvas.h"

namespace pav::{{name}} {
namespace {

// Runs `ticks` steps with bots in every seat.
void playBots(core::Title& title, int players, int ticks) {
  std::vector<core::InputFrame> in(static_cast<size_t>(players));
  for (int t = 0; t < ticks && !title.finished(); ++t) {
    for (int s = 0; s < players; ++s) title.botInput(s, in[static_cast<size_t>(s)]);
    title.step(in);
  }
}

uint64_t hashAfter(uint64_t seed, int ticks) {
  auto title = makeTitle();
  title->setup({.players = 2, .seed = seed});
  playBots(*title, 2, ticks);
  return title->stateHash();
}

TEST({{Class}}Test, SameSeedSameHash) {
  EXPECT_EQ(hashAfter(3, 600), hashAfter(3, 600));
  EXPECT_NE(hashAfter(3, 600), hashAfter(4, 600));
}

TEST({{Class}}Test, BotsScoreAndTheRoundEnds) {
  auto title = makeTitle();
  title->setup({.players = 2, .seed = 1, .skill = 2});
  playBots(*title, 2, 100000);
  EXPECT_TRUE(title->finished());
  core::StateSchema schema;
  title->describe(schema);
  core::StateFrame frame;
  frame.resize(schema);
  title->capture(frame);
  EXPECT_GT(frame.scalars[kScore0], 5.0f) << title->results(false);
  EXPECT_NE(title->results(true).find("\"title\":\"{{name}}\""), std::string::npos);
}

TEST({{Class}}Test, CaptureApplyContinuesExactly) {
  auto a = makeTitle(), b = makeTitle();
  a->setup({.players = 2, .seed = 9});
  b->setup({.players = 2, .seed = 9});
  playBots(*a, 2, 200);
  core::StateSchema schema;
  a->describe(schema);
  core::StateFrame frame;
  frame.resize(schema);
  a->capture(frame);
  b->apply(frame);
  EXPECT_EQ(a->stateHash(), b->stateHash());
  playBots(*a, 2, 300);
  playBots(*b, 2, 300);
  EXPECT_EQ(a->stateHash(), b->stateHash());
}

TEST({{Class}}Test, RegisteredAndPresented) {
  registerTitle();
  auto title = core::createTitle("{{name}}");
  ASSERT_NE(title, nullptr);
  title->setup({.players = 1});
  auto presenter = makePresenter(*title, 0);
  ASSERT_NE(presenter, nullptr);
  const std::vector<render::MeshData> meshes = presenter->meshes();
  std::vector<render::MeshId> ids(meshes.size());
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = {static_cast<uint32_t>(i), 1};
  presenter->setMeshes(ids);
  core::StateSchema schema;
  title->describe(schema);
  core::StateFrame before, now;
  before.resize(schema);
  title->capture(before);
  render::Scene scene;
  render::View camera;
  presenter->present(before, scene, camera, 16.0f / 9.0f);
  EXPECT_EQ(scene.draws.size(), 3u);  // the ground, a marker and its target
  render::Seat seat;
  ASSERT_TRUE(presenter->seat(before, seat));
  EXPECT_EQ(seat.stance, render::Seat::Stance::Standing);
  EXPECT_NEAR(seat.eye.position.y, 1.6f, 1e-4f);
}

TEST({{Class}}Test, ATouchIsFeltInTheRightHand) {
  auto title = makeTitle();
  title->setup({.players = 1, .seed = 3});
  auto presenter = makePresenter(*title, 0);
  core::StateSchema schema;
  title->describe(schema);
  core::StateFrame before, now;
  before.resize(schema);
  now.resize(schema);
  title->capture(before);
  // The hand goes to the target (object 1): the marker follows and touches it.
  core::InputFrame in;
  in.hands[1].tracked = true;
  in.hands[1].position = before.objects[1].position;
  for (int t = 0; t < 120; ++t) title->step({&in, 1});
  title->capture(now);
  ASSERT_GT(now.scalars[kScore0], before.scalars[kScore0]) << "the marker reached the target";
  render::Cues cues;
  presenter->feel(before, now, cues);
  ASSERT_EQ(cues.all().size(), 1u);
  EXPECT_EQ(cues.all()[0].where, render::FeelWhere::RightHand);
  render::Cues none;
  presenter->feel(now, now, none);
  EXPECT_TRUE(none.all().empty()) << "no touch, nothing felt";
}

// The HUD: the words come from the title's table, in both languages; the visitor's score shows.
TEST({{Class}}Test, TheHudShowsTheScoreInBothLanguages) {
  const auto table = core::StringTable::load(std::string(PAV_TEST_ASSET_DIR) + "/{{name}}/strings.json");
  for (const char* key : {"title.name", "howto.controllers.1", "howto.controllers.2"}) EXPECT_TRUE(table.has(key)) << key;
  auto title = makeTitle();
  title->setup({.players = 1, .seed = 3});
  playBots(*title, 1, 600);
  core::StateSchema schema;
  title->describe(schema);
  core::StateFrame frame;
  frame.resize(schema);
  title->capture(frame);
  const std::string score = std::to_string(static_cast<int>(frame.scalars[kScore0]));
  auto presenter = makePresenter(*title, 0);
  test::RecordingCanvas canvas;
  presenter->hud(frame, {.lang = core::Lang::En, .strings = &table}, canvas);
  EXPECT_TRUE(canvas.hasText("Score " + score));
  canvas.clear();
  presenter->hud(frame, {.lang = core::Lang::Zh, .strings = &table, .stage = render::HudStage::Results}, canvas);
  EXPECT_TRUE(canvas.hasText("最终得分 " + score));
}

}  // namespace
}  // namespace pav::{{name}}
)tpl";

// Every word a visitor reads, in Chinese and English (pav/core/strings.h): the lobby shows the
// name and how to play; the HUD its score. Translate title.name: the scaffold cannot.
constexpr std::string_view kStrings = R"tpl({
  "title.name": { "zh": "{{Title}}", "en": "{{Title}}" },
  "howto.controllers.1": { "zh": "用右手移动小球，去碰前方的目标。", "en": "Move the marker with your right hand and touch the target ahead." },
  "howto.controllers.2": { "zh": "每碰到一次得 1 分，尽量多得分！", "en": "Every touch scores a point. Score as many as you can!" },
  "hud.score": { "zh": "得分 {score}", "en": "Score {score}" },
  "hud.final": { "zh": "最终得分 {score}", "en": "Final score {score}" }
}
)tpl";

struct Template {
  const char* path;  // {{name}} substituted too
  std::string_view text;
};
constexpr std::array<Template, 7> kFiles = {{
    {"games/{{name}}/CMakeLists.txt", kCMakeLists},
    {"games/{{name}}/include/pav/{{name}}/{{name}}.h", kHeader},
    {"games/{{name}}/src/{{name}}.cpp", kSource},
    {"games/{{name}}/src/{{name}}_present.cpp", kPresenter},
    {"assets/{{name}}/strings.json", kStrings},
    {"tests/{{name}}/CMakeLists.txt", kTestCMakeLists},
    {"tests/{{name}}/{{name}}_test.cpp", kTest},
}};

std::string substitute(std::string_view text, const std::string& name, const std::string& cls, const std::string& title) {
  std::string out(text);
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{{name}}", name}, {"{{Class}}", cls}, {"{{Title}}", title}})
    for (size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size())) out.replace(at, key.size(), value);
  return out;
}

// ---- [Checks] -------------------------------------------------------------------------------

constexpr std::string_view kKeywords[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
    "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
    "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
    "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
    "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
    "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
    "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
    "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    "final", "override", "import", "module"};
// Names the engine already uses for a namespace, a library or a folder under games/.
constexpr std::string_view kEngineNames[] = {"core", "render", "physics", "platform", "net", "xr", "tools", "titles",
                                             "include", "demo", "scene", "std", "glm", "pav", "test", "tests"};

// Empty when `name` can be a title's id, else why not.
std::string nameProblem(const std::string& name) {
  if (!std::regex_match(name, std::regex("[a-z][a-z0-9_]*")))
    return "a title name is lowercase letters, digits and underscores, starting with a letter (e.g. rockets)";
  if (name.size() > 32) return "a title name is at most 32 characters";
  if (name.find("__") != std::string::npos || name.back() == '_') return "a title name has no double or trailing underscore (C++ reserves them)";
  if (std::find(std::begin(kKeywords), std::end(kKeywords), name) != std::end(kKeywords))
    return "'" + name + "' is a C++ keyword; the title's namespace is pav::<name>";
  if (std::find(std::begin(kEngineNames), std::end(kEngineNames), name) != std::end(kEngineNames))
    return "'" + name + "' is a name the engine already uses";
  return {};
}

// The source tree: `root` if given, else the first folder up from here with games/ and cmake/PavTitle.cmake.
fs::path findRoot(const std::string& root) {
  const auto isRoot = [](const fs::path& p) {
    return fs::exists(p / "games" / "CMakeLists.txt") && fs::exists(p / "cmake" / "PavTitle.cmake") && fs::is_directory(p / "tests");
  };
  if (!root.empty()) return isRoot(root) ? fs::absolute(root) : fs::path();
  for (fs::path p = fs::current_path(); ; p = p.parent_path()) {
    if (isRoot(p)) return p;
    if (p == p.root_path()) return {};
  }
}

}  // namespace

// ---- [Command] ------------------------------------------------------------------------------

void addNewTitleCommand(CLI::App& app, NewTitleOptions& o) {
  CLI::App* cmd = app.add_subcommand("new-title", "Write a new title (games/<name>/, tests/<name>/) that builds, plays and passes its test");
  cmd->add_option("name", o.name, "The title's id: lowercase letters, digits, underscores (e.g. rockets)")->required();
  cmd->add_option("--root", o.root, "The pavilion source tree (default: the one around the current folder)");
}

int runNewTitle(const NewTitleOptions& o) {
  if (const std::string why = nameProblem(o.name); !why.empty()) {
    std::fprintf(stderr, "pavilion new-title: '%s': %s\n", o.name.c_str(), why.c_str());
    return 2;
  }
  const fs::path root = findRoot(o.root);
  if (root.empty()) {
    std::fprintf(stderr, "pavilion new-title: %s is not a pavilion source tree (no games/CMakeLists.txt and cmake/PavTitle.cmake); "
                 "run it inside one or pass --root\n", o.root.empty() ? "the current folder" : o.root.c_str());
    return 2;
  }
  registerAllTitles();
  const std::vector<std::string> ids = core::titleIds();
  if (fs::exists(root / "games" / o.name) || fs::exists(root / "tests" / o.name) ||
      fs::exists(root / "assets" / o.name / "strings.json") ||
      std::find(ids.begin(), ids.end(), o.name) != ids.end()) {
    std::fprintf(stderr, "pavilion new-title: '%s' already exists (games/%s or tests/%s); pick another name\n", o.name.c_str(),
                 o.name.c_str(), o.name.c_str());
    return 2;
  }
  // rocket_league: class RocketLeagueTitle, shown as "Rocket league".
  const auto up = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; };
  std::string cls, title;
  bool upper = true;
  for (char c : o.name) {
    if (c != '_') cls += upper ? up(c) : c;
    title += c == '_' ? ' ' : title.empty() ? up(c) : c;
    upper = c == '_';
  }
  for (const Template& t : kFiles) {
    const fs::path path = root / substitute(t.path, o.name, cls, title);
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << substitute(t.text, o.name, cls, title);
    if (!out) {
      std::fprintf(stderr, "pavilion new-title: cannot write %s\n", path.c_str());
      return 1;
    }
    std::printf("wrote %s\n", fs::relative(path, root).c_str());
  }
  std::printf("\nNext: build (the build finds games/%s by itself), then\n"
              "  pavilion play %s --headless   (bots play a round)\n"
              "  ctest -R %sTest   (its tests)\n"
              "and read docs/new-title.md.\n", o.name.c_str(), o.name.c_str(), cls.c_str());
  return 0;
}

}  // namespace pav::tools
