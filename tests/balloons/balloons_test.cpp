// Balloon darts, the example title: determinism, the bot, the networked state, a hand's throw,
// the presenter. Time is ticks, passed explicitly.
#include <gtest/gtest.h>

#include <vector>

#include "pav/balloons/balloons.h"

namespace pav::balloons {
namespace {

constexpr int kSecond = static_cast<int>(kTickRateHz);

void playBots(core::Title& title, int players, int ticks) {
  std::vector<core::InputFrame> in(static_cast<size_t>(players));
  for (int t = 0; t < ticks && !title.finished(); ++t) {
    for (int s = 0; s < players; ++s) title.botInput(s, in[static_cast<size_t>(s)]);
    title.step(in);
  }
}

core::StateFrame captured(const core::Title& title) { return core::captureNew(title); }

uint64_t hashAfter(uint64_t seed, int ticks) {
  auto title = makeTitle();
  title->setup({.players = 3, .seed = seed});
  playBots(*title, 3, ticks);
  return title->stateHash();
}

TEST(BalloonsTest, SameSeedSameHash) {
  EXPECT_EQ(hashAfter(5, 10 * kSecond), hashAfter(5, 10 * kSecond));
  EXPECT_NE(hashAfter(5, 10 * kSecond), hashAfter(6, 10 * kSecond));
}

TEST(BalloonsTest, HardBotPopsBalloonsWithinTenSeconds) {
  auto title = makeTitle();
  title->setup({.players = 1, .seed = 2, .skill = 2});
  playBots(*title, 1, 10 * kSecond);
  const core::StateFrame frame = captured(*title);
  // A throw every 0.7 s, aimed where the balloon will be: nearly all of ~14 throws hit.
  EXPECT_GE(frame.scalars[kScore0], 10.0f) << title->results(false);
  EXPECT_EQ(frame.scalars[kPops], frame.scalars[kScore0]);
}

TEST(BalloonsTest, RoundEndsWithResults) {
  auto title = makeTitle();
  title->setup({.players = 4, .seed = 8, .skill = 0, .durationSeconds = 20});
  playBots(*title, 4, 100 * kSecond);
  EXPECT_TRUE(title->finished());
  EXPECT_EQ(title->tick(), static_cast<uint64_t>(20 * kSecond));
  const std::string json = title->results(true);
  EXPECT_NE(json.find("{\"title\":\"balloons\",\"scores\":["), std::string::npos) << json;
  EXPECT_NE(json.find("\"seconds\":20.0,"), std::string::npos) << json;
}

TEST(BalloonsTest, CaptureApplyContinuesExactly) {
  auto a = makeTitle(), b = makeTitle();
  a->setup({.players = 2, .seed = 11, .skill = 1});
  b->setup({.players = 2, .seed = 11, .skill = 1});
  // Some balloons popped and a ball in the air, but no wind-up under way (a hand's trail is
  // local to each copy): medium bots throw every 120 ticks at phase 8, seat 1 half a period later.
  playBots(*a, 2, 4 * 120 + 20);
  const core::StateFrame frame = captured(*a);
  ASSERT_GT(frame.scalars[kPops], 0.0f);
  b->apply(frame);
  EXPECT_EQ(a->stateHash(), b->stateHash());
  playBots(*a, 2, 5 * kSecond);
  playBots(*b, 2, 5 * kSecond);
  EXPECT_EQ(a->stateHash(), b->stateHash());
  EXPECT_EQ(a->results(true), b->results(true));
}

TEST(BalloonsTest, AThrowOnTriggerReleaseHitsABalloon) {
  auto title = makeTitle();
  title->setup({.players = 1, .seed = 4, .durationSeconds = 5});
  const glm::vec3 balloon = captured(*title).objects[0].position;
  const glm::vec3 hand = restHand(0, 1);
  // Straight at balloon 0 at 20 m/s, lifted by the drop gravity gives over the flight.
  const float flight = glm::length(balloon - hand) / 20.0f;
  const glm::vec3 v = (balloon - hand) / flight + glm::vec3(0, 0.5f * 9.81f * flight, 0);
  const float dt = static_cast<float>(title->dt());
  core::InputFrame in;
  in.hands[1].tracked = true;
  for (int t = 0; t <= 4; ++t) {  // four ticks with the trigger held, moving at v, then let go
    in.hands[1].position = hand + v * (dt * static_cast<float>(t));
    in.hands[1].trigger = t < 4 ? 1.0f : 0.0f;
    title->step({&in, 1});
  }
  EXPECT_GT(captured(*title).objects[kBalloons].position.y, 0.5f) << "the ball is in the air";
  for (int t = 0; t < kSecond && captured(*title).scalars[kScore0] == 0; ++t) title->step({&in, 1});
  const core::StateFrame after = captured(*title);
  EXPECT_EQ(after.scalars[kScore0], 1.0f);
  EXPECT_EQ(after.scalars[kGeneration0], 1.0f) << "balloon 0 popped, a new one took its place";
  EXPECT_LT(after.objects[kBalloons].position.y, -1.0f) << "the ball is back in the pocket";
}

TEST(BalloonsTest, NoThrowWithoutARelease) {
  auto title = makeTitle();
  title->setup({.players = 1, .seed = 4});
  core::InputFrame in;
  in.hands[1].tracked = true;
  in.hands[1].trigger = 1.0f;
  for (int t = 0; t < kSecond; ++t) {
    in.hands[1].position = restHand(0, 1) + glm::vec3(0, 0, -0.05f * static_cast<float>(t));
    title->step({&in, 1});
  }
  EXPECT_LT(captured(*title).objects[kBalloons].position.y, -1.0f);
}

TEST(BalloonsTest, RegisteredAndPresented) {
  registerTitle();
  auto title = core::createTitle("balloons");
  ASSERT_NE(title, nullptr);
  title->setup({.players = 2});
  auto presenter = makePresenter(*title, -1);
  ASSERT_NE(presenter, nullptr);
  std::vector<render::MeshId> ids(presenter->meshes().size());
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = {static_cast<uint32_t>(i), 1};
  presenter->setMeshes(ids);
  render::Scene scene;
  render::View camera;
  presenter->present(captured(*title), scene, camera, 16.0f / 9.0f);
  EXPECT_EQ(scene.draws.size(), 1u + kBalloons);  // the ground and the balloons; the balls are pocketed
}

}  // namespace
}  // namespace pav::balloons
