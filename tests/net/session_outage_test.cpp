// Outages (handovers) in a real session: a SessionServer and two SessionStations playing hockey
// over real ENet hosts, one of them behind a NetConditioner that cuts its link. Real time, so
// every wait is bounded generously and ends as soon as its condition holds; nothing asserts how
// long anything took, and what depends on the cut's length is judged from the length measured.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
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

struct Outage {
  SessionServer server;
  NetConditioner wire;
  std::unique_ptr<SessionStation> near, far;  // far: behind the conditioner
  NetProfile clean, cut;
  // Frames drawn by the far station, and how often its predicted tick went backwards.
  uint64_t frames = 0, backwards = 0;
  uint64_t lastPredicted = 0;
  // What the far station told its visitor (linkState), frames of each kind.
  uint64_t linkFrames[3] = {0, 0, 0};

  explicit Outage(double awaySeconds)
      : server({.title = "hockey", .setup = {.players = 2, .seed = 5, .skill = 1, .durationSeconds = 120},
                .awaySeconds = awaySeconds}),
        wire(server.port(), NetProfile{}, 3) {
    hockey::registerHockeyTitle();
    cut.loss = 1.0;  // everything lost, both ways: what a handover does
    const auto token = [&](int seat) { return issueToken(server.key(), seat, "hockey", unixSeconds() + 600); };
    near = std::make_unique<SessionStation>(StationDesc{.port = server.port(), .title = "hockey", .connectToken = token(0)});
    far = std::make_unique<SessionStation>(StationDesc{.port = wire.port(), .title = "hockey", .connectToken = token(1)});
  }
  template <typename Until>
  void run(double s, Until until) {
    const double end = seconds() + s;
    while (seconds() < end && !until()) {
      server.update(seconds(), 1);
      near->update(seconds(), nullptr, 0);
      far->update(seconds(), nullptr, 0);
      if (far->title() && far->hasView()) {
        ++frames;
        ++linkFrames[size_t(far->linkState(seconds()))];
        const uint64_t predicted = far->title()->tick();
        backwards += predicted < lastPredicted;
        lastPredicted = predicted;
      }
    }
  }
  void run(double s) {
    run(s, [] { return false; });
  }
  bool playing() const {
    return near->state() == StationState::Playing && far->state() == StationState::Playing &&
           near->stats().snapshots > 20 && far->stats().snapshots > 20;
  }
  // Cuts the far link for about `s` seconds; returns how long it was really cut.
  double cutFor(double s, uint64_t& predictedDuring) {
    wire.setProfile(cut);
    const double start = seconds();
    const uint64_t before = far->title()->tick();
    run(s);
    predictedDuring = far->title()->tick() - before;
    wire.setProfile(clean);
    return seconds() - start;
  }
};

TEST(SessionOutage, AShortHandoverIsRiddenOutAndRecorded) {
  Outage o(0);  // the title's awaySeconds: 1 s for hockey
  o.run(20.0, [&] { return o.playing(); });
  ASSERT_TRUE(o.playing());
  uint64_t predicted = 0;
  const double cut = o.cutFor(0.35, predicted);
  // The own object went on being predicted through the outage, at the title's rate.
  const double rate = o.far->title()->info().tickRateHz;
  EXPECT_GT(double(predicted), cut * rate * 0.5) << "predicted " << predicted << " ticks in " << cut << " s";
  // Back: snapshots flow again, the outage is on both sides' records.
  const uint64_t n = o.far->stats().snapshots;
  o.run(10.0, [&] {
    return o.far->stats().snapshots > n + 30 && o.far->stats().outages >= 1 &&
           o.server.stats().stations[1].outages >= 1;
  });
  const StationStats& st = o.far->stats();
  ASSERT_GE(st.outages, 1u);
  EXPECT_GE(st.longestOutageMs, 200) << "snapshots stopped for about the cut";
  ASSERT_FALSE(st.recentOutages.empty());
  EXPECT_GE(st.recentOutages.back().correctionMm, 0.0);
  const SeatStats& seat = o.server.stats().stations[1];
  EXPECT_GE(seat.outages, 1u);
  EXPECT_GE(seat.longestOutageMs, 150);
  EXPECT_EQ(o.far->state(), StationState::Playing);
  if (cut < 0.6) {  // a starved machine can stretch the cut: judged from its measured length
    EXPECT_EQ(seat.botHandovers, 0u) << "shorter than the title's limit: no bot";
  }
  EXPECT_EQ(o.server.stats().stations[0].outages, 0u) << "the near station saw none";
  EXPECT_GT(o.frames, 0u);
  EXPECT_EQ(o.backwards, 0u) << "the own object's prediction never went back in time";
  EXPECT_NE(o.far->statsJson().find("\"recent_outages\":[{\"ms\":"), std::string::npos) << o.far->statsJson();
  EXPECT_NE(o.server.statsJson().find("\"bot_handovers\":"), std::string::npos);
}

TEST(SessionOutage, AnOutagePastTheLimitHandsTheSeatToTheBotUntilTheLinkReturns) {
  Outage o(0.3);
  o.run(20.0, [&] { return o.playing(); });
  ASSERT_TRUE(o.playing());
  uint64_t predicted = 0;
  o.cutFor(1.0, predicted);
  o.run(10.0, [&] { return o.server.stats().stations[1].botHandovers >= 1 && !o.server.stats().stations[1].botPlaying; });
  const SeatStats& seat = o.server.stats().stations[1];
  EXPECT_GE(seat.botHandovers, 1u) << "a second without input is past 0.3 s";
  EXPECT_GT(seat.botTicks, 0u);
  EXPECT_FALSE(seat.botPlaying) << "the link is back: the station plays again";
  EXPECT_EQ(o.far->state(), StationState::Playing);
  EXPECT_EQ(o.server.stats().stations[0].botHandovers, 0u);
  EXPECT_NE(o.server.statsLine().find("outages"), std::string::npos);
}

TEST(SessionOutage, TheStationTellsItsVisitorWhenTheLinkIsLostAndWhenTheBotPlays) {
  Outage o(0);  // the title's limit (1 s for hockey), which the station also uses
  o.run(20.0, [&] { return o.playing(); });
  ASSERT_TRUE(o.playing());
  EXPECT_EQ(o.far->linkState(seconds()), LinkState::Ok);
  EXPECT_EQ(o.linkFrames[1] + o.linkFrames[2], 0u) << "nothing to say while the link holds";
  uint64_t predicted = 0;
  const double cut = o.cutFor(1.6, predicted);
  ASSERT_GT(cut, 1.5);
  EXPECT_GT(o.linkFrames[size_t(LinkState::Interrupted)], 0u) << "half a second without the server: reconnecting";
  EXPECT_GT(o.linkFrames[size_t(LinkState::BotPlays)], 0u) << "past the title's limit: the computer plays";
  // The link is back: snapshots flow and the notice goes; the server handed the seat over too.
  // (The server's stats refresh once a second.)
  o.run(10.0, [&] {
    const SeatStats& seat = o.server.stats().stations[1];
    return o.far->linkState(seconds()) == LinkState::Ok && seat.botHandovers >= 1 && !seat.botPlaying;
  });
  EXPECT_EQ(o.far->linkState(seconds()), LinkState::Ok);
  EXPECT_GE(o.server.stats().stations[1].botHandovers, 1u);
  EXPECT_STREQ(linkName(LinkState::BotPlays), "bot");
}

}  // namespace
}  // namespace pav::net
