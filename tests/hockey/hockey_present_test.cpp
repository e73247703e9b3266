// The hockey presenter without a GPU: the meshes it lists (the glTF table stretched to the
// loaded table file), the scene it fills from the match (puck and mallets where the title has
// them, each seat's colour), the camera for each seat and the spectator, and the table model
// read from the title's data folder, a bad one named in the error.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pav/core/error.h"
#include "pav/hockey/hockey.h"
#include "pav/hockey/hockey_present.h"
#include "pav/render/gltf.h"

namespace pav::hockey {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<core::Title> titleWith(const std::string& dataDir) {
  auto t = makeHockeyTitle();
  t->setup({.players = 2, .seed = 3, .dataDir = dataDir, .durationSeconds = 1e6});
  return t;
}

// The presenter with mesh ids 0..n-1, so draws name their mesh by its place in meshes().
struct Presented {
  std::vector<render::MeshData> meshes;
  render::Scene scene;
  render::View camera;
};
Presented present(const core::Title& title, int seat) {
  auto p = makeHockeyPresenter(title, seat);
  EXPECT_NE(p, nullptr);
  Presented out;
  out.meshes = p->meshes();
  std::vector<render::MeshId> ids;
  for (uint32_t i = 0; i < out.meshes.size(); ++i) ids.push_back({i, 1});
  p->setMeshes(ids);
  p->present(core::captureNew(title), out.scene, out.camera, 16.0f / 9.0f);
  return out;
}

glm::vec3 translation(const render::DrawItem& d) { return glm::vec3(d.model[3]); }
glm::vec3 forward(const render::Pose& pose) { return pose.orientation * glm::vec3(0, 0, -1); }

struct Bounds {
  glm::vec3 lo{1e9f}, hi{-1e9f};
};
Bounds boundsOf(const render::MeshData& m) {
  Bounds b;
  for (const render::Vertex& v : m.vertices) b.lo = glm::min(b.lo, v.position), b.hi = glm::max(b.hi, v.position);
  return b;
}

// A copy of the project's assets/ in a fresh temporary folder.
std::string copyOfAssets(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("pav-hockey-present-" + name);
  fs::remove_all(dir);
  fs::copy(PAV_TEST_ASSET_DIR, dir, fs::copy_options::recursive);
  return dir.string();
}

TEST(HockeyPresenter, DrawsTheGltfTableAndThePiecesWhereTheMatchHasThem) {
  auto title = titleWith("");
  placePuck(*title, {{0.31f, -0.17f}, {0.0f, 0.0f}});
  const Presented p = present(*title, -1);
  const TableSpec& t = tableOf(*title);
  // Floor, table, puck, mallet, mallet knob, the hall round the table.
  ASSERT_EQ(p.meshes.size(), 6u);
  const render::MeshData model = render::loadGltf(std::string(PAV_TEST_ASSET_DIR) + "/models/hockey_table.gltf");
  EXPECT_EQ(p.meshes[1].vertices.size(), model.vertices.size()) << "the table is the glTF model";
  const Bounds table = boundsOf(p.meshes[1]);
  EXPECT_GT(table.hi.x, t.length * 0.5f);   // rails beyond the playing surface
  EXPECT_LT(table.hi.x, t.length * 0.5f + 0.2f);
  EXPECT_GT(table.hi.z, t.width * 0.5f);
  EXPECT_NEAR(table.lo.y, 0.0f, 0.02f) << "the legs stand on the floor";

  // The hall (its floor the room's), table, puck, two parts per mallet.
  ASSERT_EQ(p.scene.draws.size(), 7u);
  EXPECT_EQ(p.scene.draws[0].mesh.index, 5u) << "the pavilion hall";
  EXPECT_EQ(p.scene.draws[1].mesh.index, 1u);
  const render::DrawItem& puck = p.scene.draws[2];
  EXPECT_EQ(puck.mesh.index, 2u);
  EXPECT_NEAR(translation(puck).x, 0.31f, 1e-5f);
  EXPECT_NEAR(translation(puck).z, -0.17f, 1e-5f);
  EXPECT_NEAR(translation(puck).y, t.surfaceHeight + t.puckHeight * 0.5f, 1e-5f);
  EXPECT_LT(puck.color.r + puck.color.g + puck.color.b, 0.3f) << "a black puck";
  for (int seat = 0; seat < 2; ++seat) {
    const glm::vec2 m = malletOf(*title, seat);
    for (int part = 0; part < 2; ++part) {
      const render::DrawItem& d = p.scene.draws[3 + 2 * seat + part];
      EXPECT_EQ(d.mesh.index, 3u + part);
      EXPECT_NEAR(translation(d).x, m.x, 1e-5f);
      EXPECT_NEAR(translation(d).z, m.y, 1e-5f);
      EXPECT_GT(translation(d).y, t.surfaceHeight);
      // Seat 0 red, seat 1 blue.
      if (seat == 0) EXPECT_GT(d.color.r, 2 * d.color.b);
      else EXPECT_GT(d.color.b, 2 * d.color.r);
    }
  }
}

TEST(HockeyPresenter, EachSeatLooksFromBehindItsGoalTheSpectatorFromTheCorner) {
  auto title = titleWith("");
  const TableSpec& t = tableOf(*title);
  for (int seat = 0; seat < 2; ++seat) {
    const render::View v = present(*title, seat).camera;
    const float side = seat == 0 ? -1.0f : 1.0f;
    EXPECT_GT(side * v.pose.position.x, t.length * 0.5f) << "seat " << seat << " stands behind its goal";
    EXPECT_NEAR(v.pose.position.z, 0.0f, 1e-4f);
    EXPECT_GT(v.pose.position.y, t.surfaceHeight + 0.5f) << "at a standing visitor's eye height";
    EXPECT_LT(side * forward(v.pose).x, -0.5f) << "seat " << seat << " looks down the table";
    EXPECT_LT(forward(v.pose).y, 0.0f);
    EXPECT_GT(v.fov.angleRight - v.fov.angleLeft, v.fov.angleUp - v.fov.angleDown) << "16:9";
  }
  const render::View spectator = present(*title, -1).camera;
  EXPECT_GT(spectator.pose.position.y, 1.5f);
  EXPECT_GT(glm::length(glm::vec2(spectator.pose.position.x, spectator.pose.position.z)), t.length * 0.5f);
  // The table's centre is in front of the spectator.
  const glm::vec3 toCentre = glm::normalize(glm::vec3(0, t.surfaceHeight, 0) - spectator.pose.position);
  EXPECT_GT(glm::dot(forward(spectator.pose), toCentre), 0.95f);
}

TEST(HockeyPresenter, ATableFileOfAnotherSizeStretchesTheModel) {
  const std::string dir = copyOfAssets("small");
  std::ofstream(dir + "/hockey/table.txt") << "length = 1.2\nwidth = 0.7\n";
  auto small = titleWith(dir);
  auto standard = titleWith("");
  const Bounds a = boundsOf(present(*small, -1).meshes[1]), b = boundsOf(present(*standard, -1).meshes[1]);
  EXPECT_NEAR(a.hi.x / b.hi.x, 1.2f / kTable.length, 1e-3f);
  EXPECT_NEAR(a.hi.z / b.hi.z, 0.7f / kTable.width, 1e-3f);
}

TEST(HockeyPresenter, TheTableModelComesFromTheDataFolderABadOneIsNamed) {
  const std::string dir = copyOfAssets("models");
  auto title = titleWith(dir);
  EXPECT_EQ(dataDirOf(*title), dir);
  EXPECT_EQ(present(*title, -1).meshes.size(), 6u) << "an intact copy of the assets draws";

  const std::string model = dir + "/models/hockey_table.gltf";
  fs::resize_file(model, 200);  // truncated: the JSON ends mid-way
  auto presenter = makeHockeyPresenter(*title, -1);
  try {
    presenter->meshes();
    ADD_FAILURE() << "no error for a truncated " << model;
  } catch (const pav::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(model), std::string::npos) << what;
    EXPECT_NE(what.find("not readable as glTF"), std::string::npos) << what;
  }
  fs::remove(model);
  try {
    presenter->meshes();
    ADD_FAILURE() << "no error for a missing " << model;
  } catch (const pav::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(model + ": cannot open"), std::string::npos) << what;
  }
}

// The visitor's seat stands behind their goal with the table's frame on the surface, and a puck
// struck by their own mallet is felt in the right hand, harder for a harder hit; the other
// mallet's hits and a puck gliding past are not.
TEST(HockeyPresenter, ThePuckHitByYourMalletJoltsYourRightHand) {
  auto title = titleWith("");
  const TableSpec& t = tableOf(*title);
  auto presenter = makeHockeyPresenter(*title, 0);
  core::StateSchema schema;
  title->describe(schema);
  core::StateFrame before, after;
  before.resize(schema);
  title->capture(before);
  render::Seat seat;
  ASSERT_TRUE(presenter->seat(before, seat));
  EXPECT_EQ(seat.stance, render::Seat::Stance::Standing);
  EXPECT_LT(seat.eye.position.x, -t.length * 0.5f);
  EXPECT_NEAR(seat.titleFrame.position.y, t.surfaceHeight, 1e-6f);

  // A real hit: the puck waits in front of seat 0's mallet, the hand drives the mallet through
  // it. Felt whether the visitor's frames come every 10 ms or one stalls for 125 ms.
  const glm::vec2 mallet = malletOf(*title, 0);
  core::InputFrame in[2];
  in[0].hands[1] = {.position = {mallet.x + 0.6f, 0.0f, mallet.y}, .tracked = true};
  in[1].hands[1] = {.position = {0.6f, 0.0f, 0.0f}, .tracked = true};
  render::Cues cues;
  for (int ticksPerFrame : {60, 5}) {
    auto match = titleWith("");
    placePuck(*match, {{mallet.x + 0.15f, mallet.y}, {0.0f, 0.0f}});
    match->capture(before);
    cues.clear();
    for (int frame = 0; frame < 30 && cues.all().empty(); ++frame) {
      for (int tick = 0; tick < ticksPerFrame; ++tick) match->step(in);
      after.resize(schema);
      match->capture(after);
      presenter->feel(before, after, cues);
      before = after;
    }
    ASSERT_EQ(cues.all().size(), 1u) << "the hit was felt, " << ticksPerFrame << " ticks a frame";
    EXPECT_GT(glm::length(puckOf(*match).velocity), 1.0f);
  }
  EXPECT_EQ(cues.all()[0].where, render::FeelWhere::RightHand);
  EXPECT_EQ(cues.all()[0].feel, render::Feel::Jolt);
  EXPECT_GE(cues.all()[0].amplitude, 0.2f);

  // The same change of state seen from seat 1 (far from its mallet): nothing.
  auto other = makeHockeyPresenter(*title, 1);
  core::StateFrame hitBefore = before;
  render::Cues none;
  // A jump in the puck's velocity away from every mallet (a rail): nothing either.
  hitBefore.objects[0].position = {0.0f, 0.0f, 0.0f};
  hitBefore.objects[0].velocity = {0.0f, 0.0f, 0.0f};
  core::StateFrame hitAfter = hitBefore;
  hitAfter.objects[0].velocity = {-3.0f, 0.0f, 0.0f};
  presenter->feel(hitBefore, hitAfter, none);
  other->feel(hitBefore, hitAfter, none);
  EXPECT_TRUE(none.all().empty());
  // Near seat 0's mallet, the same jump is a hit, and a harder one feels harder.
  hitBefore.objects[0].position = hitBefore.objects[1].position + glm::vec3(0.08f, 0.0f, 0.0f);
  hitAfter.objects[0].position = hitBefore.objects[0].position;
  render::Cues soft, hard;
  hitAfter.objects[0].velocity = {1.0f, 0.0f, 0.0f};
  presenter->feel(hitBefore, hitAfter, soft);
  hitAfter.objects[0].velocity = {3.5f, 0.0f, 0.0f};
  presenter->feel(hitBefore, hitAfter, hard);
  ASSERT_EQ(soft.all().size(), 1u);
  ASSERT_EQ(hard.all().size(), 1u);
  EXPECT_GT(hard.all()[0].amplitude, soft.all()[0].amplitude);
  other->feel(hitBefore, hitAfter, none);
  EXPECT_TRUE(none.all().empty()) << "seat 1 does not feel seat 0's hit";
}

}  // namespace
}  // namespace pav::hockey
