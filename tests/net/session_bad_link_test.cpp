// A session over the `bad` network profile (50 ms +/- 25 ms each way, 5 % loss, 5 %
// duplicates), through the real conditioner: it keeps running, the interpolated puck stays
// close to where the server had it, and the visitor's own mallet answers the hand at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <vector>

#include "pav/hockey/hockey.h"
#include "pav/net/conditioner.h"
#include "pav/net/server.h"
#include "pav/net/station.h"

namespace pav::net {
namespace {

double seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

// Where a face-off puts the puck on the visitor's side: the hand's jumps cross it, so the puck
// is struck even when the bot scores and the face-offs come to the visitor.
float faceOffX(const SessionStation& s) {
  return (s.seat() == 0 ? -1.0f : 1.0f) * hockey::tableOf(*s.title()).length * 0.18f;
}

TEST(SessionBadLink, KeepsPlayingWithBoundedErrorsAndAResponsiveOwnMallet) {
  hockey::registerHockeyTitle();
  SessionServer server({.title = "hockey", .setup = {.players = 2, .seed = 8, .skill = 2, .durationSeconds = 60}});
  NetProfile bad;
  std::string error;
  ASSERT_TRUE(parseNetProfile("bad", bad, error)) << error;
  NetConditioner wire(server.port(), bad, 12);
  const uint64_t expires = unixSeconds() + 600;
  SessionStation bot({.port = wire.port(), .title = "hockey", .connectToken = issueToken(server.key(), 0, "hockey", expires)});
  SessionStation visitor({.port = wire.port(), .title = "hockey", .connectToken = issueToken(server.key(), 1, "hockey", expires)});
  core::InputFrame hand;
  hand.hands[1].tracked = true;

  std::map<uint64_t, glm::vec3> puckAt;  // the server's puck by tick
  core::StateFrame truth;
  truth.resize(server.schema());
  std::vector<double> puckErrors;
  double puckTravel = 0;
  glm::vec3 prevPuck{0.0f};
  bool havePrev = false;
  struct Jump {
    double at = 0, reached = -1;
    glm::vec3 target;
  };
  std::vector<Jump> jumps;
  const double dt = 1.0 / hockey::kTickRateHz;
  const double start = seconds();
  double nextJump = start + 3.0;
  int side = 0;
  while (seconds() < start + 9.0) {
    const double now = seconds();
    server.update(now, 1);
    server.title().capture(truth);
    puckAt[truth.tick] = truth.objects[0].position;
    // The visitor's hand jumps between two spots 30 cm apart every 0.4 s after warming up.
    if (now >= nextJump && visitor.seat() >= 0) {
      side ^= 1;
      const float x = faceOffX(visitor);
      jumps.push_back({now, -1, {x, 0.0f, side ? 0.15f : -0.15f}});
      nextJump = now + 0.4;
    }
    if (!jumps.empty()) hand.hands[1].position = jumps.back().target;
    else if (visitor.title()) hand.hands[1].position = {faceOffX(visitor), 0.0f, -0.15f};
    bot.update(now, nullptr, 0);
    visitor.update(now, &hand, 0);
    if (visitor.hasView() && !jumps.empty() && jumps.back().reached < 0) {
      const glm::vec3 own = visitor.view().objects[size_t(visitor.title()->ownObject(visitor.seat()))].position;
      if (glm::length(own - jumps.back().target) < 0.01f) jumps.back().reached = now;
    }
    // The bot's interpolated puck against the server's puck at the time the view shows.
    if (bot.hasView() && now > start + 2.0) {
      const auto tick = uint64_t(std::llround(bot.viewTime() / dt));
      const auto it = puckAt.find(tick);
      if (it != puckAt.end()) puckErrors.push_back(glm::length(bot.view().objects[0].position - it->second));
      if (it != puckAt.end() && havePrev) puckTravel += glm::length(it->second - prevPuck);
      if (it != puckAt.end()) prevPuck = it->second, havePrev = true;
    }
  }
  // Still playing, both seats held by their stations, snapshots flowing despite the loss.
  EXPECT_EQ(bot.state(), StationState::Playing);
  EXPECT_EQ(visitor.state(), StationState::Playing);
  EXPECT_EQ(server.connectedStations(), 2);
  EXPECT_GT(bot.stats().snapshots, 350u) << "9 s at 60 Hz, less the loss";
  const NetConditionerStats w = wire.stats();
  EXPECT_GT(w.toClient.dropped + w.toServer.dropped, 20u) << "the link really was bad";
  EXPECT_GT(w.toClient.duplicated, 10u);
  // Positions: the interpolated puck within a few centimetres of the truth at its time.
  const double p50 = percentile(puckErrors, 0.5), p95 = percentile(puckErrors, 0.95);
  std::printf("puck: %d goals; view error over the bad link: p50 %.1f mm, p95 %.1f mm (%zu samples); "
              "interpolation delay %.0f ms; own mallet corrections max %.1f mm\n",
              hockey::matchOf(server.title()).goals ? int(hockey::matchOf(server.title()).goals) : 0, p50 * 1000,
              p95 * 1000, puckErrors.size(), bot.stats().interpolationMs,
              visitor.stats().maxPredictionErrorMm);
  EXPECT_GT(puckErrors.size(), 1000u);
  EXPECT_GT(puckTravel, 2.0) << "the puck moved: the error bound says something";
  EXPECT_LT(p50, 0.02);
  EXPECT_LT(p95, 0.08);
  // Responsive: the own mallet reaches a hand 30 cm away in the time its speed limit needs
  // (60 ms at 5 m/s), not after a round trip of 100 ms or more plus the interpolation delay.
  std::vector<double> reactions;
  for (const Jump& j : jumps)
    if (j.reached >= 0) reactions.push_back(j.reached - j.at);
  ASSERT_GE(reactions.size(), 10u);
  const double slowest = *std::max_element(reactions.begin(), reactions.end());
  std::printf("own mallet reaction over the bad link: median %.0f ms, slowest %.0f ms (%zu jumps); rtt %u ms\n",
              percentile(reactions, 0.5) * 1000, slowest * 1000, reactions.size(), visitor.stats().rttMs);
  EXPECT_GE(visitor.stats().rttMs, 80u) << "the conditioner's 2 x 50 ms";
  EXPECT_LT(percentile(reactions, 0.5), 0.085);
}

}  // namespace
}  // namespace pav::net
