// The operator's desk (issue 20): live views and alerts through a real director, a real station
// agent and its loop over loopback ENet, with the loop's players faked (a real JPEG as their
// picture). The floor's clock here is the test's own (`t`, moved 20 ms a pass), so watches
// that run out and pictures every 2 s are counted on it, whatever the machine's load.
#include <gtest/gtest.h>

#include <stb_image_write.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "director_fixture.h"
#include "live_desk.h"
#include "station_loop.h"

namespace pav::director {
namespace {

// A real 320 x 180 JPEG (a gradient), as a headset's glance makes one.
std::vector<uint8_t> gradientJpeg() {
  std::vector<uint8_t> rgb(320 * 180 * 3);
  for (int y = 0; y < 180; ++y)
    for (int x = 0; x < 320; ++x) {
      uint8_t* p = &rgb[size_t(y * 320 + x) * 3];
      p[0] = uint8_t(x * 255 / 319), p[1] = uint8_t(y * 255 / 179), p[2] = 90;
    }
  std::vector<uint8_t> out;
  stbi_write_jpg_to_func([](void* ctx, void* data, int size) {
    auto* o = static_cast<std::vector<uint8_t>*>(ctx);
    o->insert(o->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  }, &out, 320, 180, 3, rgb.data(), 75);
  return out;
}

struct Desk {
  std::vector<uint8_t> jpeg = gradientJpeg();
  uint64_t serial = 0;
  int asked = 0;
  int present = 1;
  uint64_t calls = 0;
};

class PictureAttract final : public AttractPlayer {
 public:
  explicit PictureAttract(Desk& d) : d_(d) {}
  bool step(double) override {
    // A picture asked for comes a frame later (the glance is encoded once the GPU is done).
    if (pending_) ++d_.serial, pending_ = false;
    return true;
  }
  int frames() const override { return 1; }
  uint32_t validationMessages() const override { return 0; }
  std::string describe() const override { return "a picture"; }
  void askPicture() override {
    ++d_.asked;
    pending_ = true;
  }
  PlayerDesk desk() const override {
    PlayerDesk p;
    p.jpeg = d_.jpeg.data();
    p.jpegBytes = d_.jpeg.size();
    p.width = 320, p.height = 180;
    p.serial = d_.serial;
    p.present = d_.present;
    return p;
  }

 private:
  Desk& d_;
  bool pending_ = false;
};

class PicturePlayers final : public StationPlayers {
 public:
  explicit PicturePlayers(Desk& d) : d_(d) {}
  std::unique_ptr<SessionPlayer> play(const LaunchOrder&, const std::string&) override { return nullptr; }
  std::unique_ptr<AttractPlayer> attract() override { return std::make_unique<PictureAttract>(d_); }
  bool headset() const override { return true; }

 private:
  Desk& d_;
};

class DeskTest : public DirectorTest {
 protected:
  // The director and the loop on the test's clock until `done` (true) or `seconds` of it pass.
  template <typename F>
  bool run(StationLoop& loop, double seconds, F&& done) {
    const double until = t_ + seconds;
    while (t_ < until) {
      t_ += 0.02;
      director_->update(t_, 1);
      loop.step(t_);
      if (done()) return true;
    }
    return false;
  }
  json askAt(const json& request) { return director_->handle(request, t_); }
  double t_ = 0;
};

TEST_F(DeskTest, AStationSendsPicturesOnlyWhileSomeoneWatches) {
  Desk desk;
  PicturePlayers players(desk);
  StationAgent& agent = addAgent("station-1", stationKey_);
  StationLoop loop(agent, players);
  ASSERT_TRUE(run(loop, 10, [&] { return online() == 1; }));
  // Nobody watches: no picture is asked for or sent.
  run(loop, 4, [] { return false; });
  EXPECT_EQ(agent.viewEvery(), 0);
  EXPECT_EQ(agent.viewsSent(), 0u);
  EXPECT_EQ(desk.asked, 0);

  // Someone asks: the station is watched and its picture arrives.
  json reply = askAt({{"command", "view"}, {"station", "1"}});
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  EXPECT_EQ(reply["every"], kViewEverySeconds);
  EXPECT_TRUE(reply["picture"].is_null());
  ASSERT_TRUE(run(loop, 5, [&] { return director_->desk().view("station-1") != nullptr; }));
  reply = askAt({{"command", "view"}, {"station", "station-1"}});
  ASSERT_TRUE(reply["picture"].is_object()) << reply.dump();
  std::string bytes;
  ASSERT_TRUE(net::base64Decode(reply["picture"]["jpeg"].get<std::string>(), net::kMaxViewJpegBytes, bytes));
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin(), bytes.end()), desk.jpeg);
  EXPECT_EQ(reply["picture"]["width"], 320);
  EXPECT_EQ(reply["picture"]["height"], 180);

  // Watched for 10 s (asked every second): a picture every 2 s.
  const uint64_t before = agent.viewsSent();
  for (int i = 0; i < 10; ++i) {
    askAt({{"command", "view"}, {"station", "station-1"}});
    run(loop, 1, [] { return false; });
  }
  const uint64_t watched = agent.viewsSent() - before;
  EXPECT_GE(watched, 4u);
  EXPECT_LE(watched, 6u);

  // Enlarged: a picture a second.
  askAt({{"command", "view"}, {"station", "station-1"}, {"fast", true}});
  ASSERT_TRUE(run(loop, 2, [&] { return agent.viewEvery() == kViewFastSeconds; }));

  // Nobody asks any more: the watch runs out, the station is told, and no picture follows.
  ASSERT_TRUE(run(loop, kWatchLeaseSeconds + 2, [&] { return agent.viewEvery() == 0; }));
  const uint64_t stopped = agent.viewsSent();
  run(loop, 6, [] { return false; });
  EXPECT_EQ(agent.viewsSent(), stopped);
  EXPECT_EQ(director_->desk().watched(t_), 0u);
}

TEST_F(DeskTest, AViewOfAnUnknownStationOrABadRequestIsRefusedClearly) {
  json reply = askAt({{"command", "view"}, {"station", "station-9"}});
  EXPECT_FALSE(reply.value("ok", true));
  EXPECT_EQ(reply["error"], "unknown station 'station-9'");
  reply = askAt({{"command", "view"}, {"station", 3}});
  EXPECT_EQ(reply["error"], "which station? (\"station\": a name or number, as a string)");
}

TEST_F(DeskTest, AStationsAlertIsListedOnceUntilAcknowledged) {
  Desk desk;
  PicturePlayers players(desk);
  StationAgent& agent = addAgent("station-2", stationKey_);
  StationLoop loop(agent, players);
  ASSERT_TRUE(run(loop, 10, [&] { return online() == 1; }));
  agent.alert("call", "both grips");
  agent.alert("call", "both grips again");  // the same kind while one is open: nothing new
  agent.alert("wheel", "unplugged");
  ASSERT_TRUE(run(loop, 5, [&] { return director_->desk().openAlerts() == 2; }));
  run(loop, 0.5, [] { return false; });
  json alerts = askAt({{"command", "alerts"}});
  ASSERT_TRUE(alerts.value("ok", false));
  ASSERT_EQ(alerts["alerts"].size(), 2u) << alerts.dump();
  EXPECT_EQ(alerts["alerts"][0]["kind"], "wheel");  // newest first
  EXPECT_EQ(alerts["alerts"][1]["kind"], "call");
  EXPECT_EQ(alerts["alerts"][1]["station"], "station-2");
  const uint64_t call = alerts["alerts"][1]["id"];

  // The published floor (the dashboard's) carries the open alerts.
  run(loop, 1, [] { return false; });
  EXPECT_EQ(director_->floor()["alerts"].size(), 2u);

  json ack = askAt({{"command", "ack"}, {"id", std::to_string(call)}});
  ASSERT_TRUE(ack.value("ok", false)) << ack.dump();
  EXPECT_EQ(askAt({{"command", "ack"}, {"id", call}})["error"], "alert " + std::to_string(call) + " was acknowledged already");
  EXPECT_EQ(askAt({{"command", "ack"}, {"id", 99}})["error"], "no alert 99 (open: " + std::to_string(call + 1) + ")");
  EXPECT_EQ(askAt({{"command", "ack"}, {"id", "x7"}})["error"],
            "bad alert id \"x7\": alerts are numbered from 1 (pavilion ctl alerts lists them)");
  EXPECT_EQ(askAt({{"command", "ack"}, {"id", -3}})["error"],
            "bad alert id -3: alerts are numbered from 1 (pavilion ctl alerts lists them)");
  alerts = askAt({{"command", "alerts"}});
  ASSERT_EQ(alerts["alerts"].size(), 1u);
  EXPECT_EQ(askAt({{"command", "alerts"}, {"all", true}})["alerts"].size(), 2u);
  // Acknowledged, the same kind can be raised again.
  agent.alert("call", "once more");
  ASSERT_TRUE(run(loop, 5, [&] { return director_->desk().openAlerts() == 2; }));
}

// Stalled: a station that suddenly misses frames is an alert; one that is slow all along (a CPU
// renderer at a few frames a second) is not: its frame rate is on its card. Reports a second apart.
TEST(LiveDeskStall, ASuddenStallIsAnAlertASteadilySlowStationIsNot) {
  LiveDesk desk;
  uint64_t slow = 0, fast = 0;
  for (int second = 0; second < 60; ++second) {
    slow += 55;  // 5 of 60 frames drawn
    fast += second % 7 == 0 ? 2 : 0;
    desk.health("slow", slow, -1, true, second);
    desk.health("fast", fast, -1, true, second);
  }
  EXPECT_EQ(desk.openAlerts(), 0u) << desk.alertsJson(true).dump();
  // The station at full rate stalls for three quarters of a second.
  fast += 45;
  desk.health("fast", fast, -1, true, 60);
  ASSERT_EQ(desk.openAlerts(), 1u);
  json alert = desk.alertsJson(false)[0];
  EXPECT_EQ(alert["station"], "fast");
  EXPECT_EQ(alert["kind"], "stalled");
  EXPECT_EQ(alert["detail"], "45 frames missed in a second");
  // The slow one freezes for seven seconds between two reports: far over its usual.
  slow += 420;
  desk.health("slow", slow, -1, true, 61);
  ASSERT_EQ(desk.openAlerts(), 2u);
  alert = desk.alertsJson(false)[0];
  EXPECT_EQ(alert["station"], "slow");
  EXPECT_EQ(alert["detail"], "420 frames missed in a second");
  // A station that restarted counts from its new run; its first reports judge nothing.
  desk.health("fresh", 900, -1, true, 62);
  desk.health("fresh", 1000, -1, true, 63);
  desk.health("fresh", 3, -1, true, 64);
  EXPECT_EQ(desk.openAlerts(), 2u);
}

TEST_F(DeskTest, BadViewsAndAlertsAreRefusedWholeWithTheirReason) {
  const json hello = {{"name", "station-3"}, {"version", "t"}, {"state", "idle"}};
  director_->receiveDecoded(1, net::Role::Station, net::ControlType::Register, hello, 0);
  const std::vector<uint8_t> jpeg = gradientJpeg();
  const std::string good = net::base64Encode(jpeg);
  const auto refusedFor = [&](const json& body, net::ControlType type = net::ControlType::View) {
    const uint64_t before = director_->refusedMessages();
    director_->receiveDecoded(1, net::Role::Station, type, body, 1);
    return director_->refusedMessages() - before;
  };
  EXPECT_EQ(refusedFor({{"jpeg", "not base64!"}, {"width", 320}, {"height", 180}}), 1u);
  EXPECT_EQ(refusedFor({{"jpeg", net::base64Encode(std::vector<uint8_t>(net::kMaxViewJpegBytes + 1, 0xFF))},
                        {"width", 320}, {"height", 180}}), 1u);
  EXPECT_EQ(refusedFor({{"jpeg", net::base64Encode(std::vector<uint8_t>{1, 2, 3, 4, 5})}, {"width", 320}, {"height", 180}}), 1u);
  EXPECT_EQ(refusedFor({{"jpeg", good}, {"width", 99999}, {"height", 180}}), 1u);
  EXPECT_EQ(refusedFor({{"jpeg", good}, {"width", 320.5}, {"height", 180}}), 1u);
  EXPECT_EQ(refusedFor({{"jpeg", 7}, {"width", 320}, {"height", 180}}), 1u);
  EXPECT_EQ(director_->desk().view("station-3"), nullptr);
  EXPECT_EQ(refusedFor({{"jpeg", good}, {"width", 320}, {"height", 180}}), 0u);
  ASSERT_NE(director_->desk().view("station-3"), nullptr);
  EXPECT_EQ(director_->desk().view("station-3")->jpeg.size(), jpeg.size());
  // Faster than the rate limit: refused, the first kept.
  EXPECT_EQ(refusedFor({{"jpeg", good}, {"width", 320}, {"height", 180}}), 1u);
  EXPECT_EQ(director_->desk().views(), 1u);
  // Alerts: only the kinds a station raises, with text for detail.
  EXPECT_EQ(refusedFor({{"kind", "stalled"}}, net::ControlType::Alert), 1u);
  EXPECT_EQ(refusedFor({{"kind", "fire"}}, net::ControlType::Alert), 1u);
  EXPECT_EQ(refusedFor({{"kind", "call"}, {"detail", 5}}, net::ControlType::Alert), 1u);
  EXPECT_EQ(director_->desk().openAlerts(), 0u);
  // A view or alert before the station registered is refused too.
  EXPECT_EQ(director_->receiveDecoded(2, net::Role::Station, net::ControlType::Alert, {{"kind", "call"}}, 1), json());
  EXPECT_EQ(director_->desk().openAlerts(), 0u);
}

TEST_F(DeskTest, TheDirectorRaisesStallsAndHeadsetsTakenOffFromHealth) {
  json report = {{"name", "station-4"}, {"version", "t"}, {"state", "playing"}, {"missedFrames", 0}, {"present", true}};
  director_->receiveDecoded(1, net::Role::Station, net::ControlType::Register, report, 0);
  report.erase("name");
  report.erase("version");
  for (int k = 1; k <= kStalledUsualReports + 1; ++k) {  // a few a second: its usual, no stall
    report["missedFrames"] = k;
    director_->receiveDecoded(1, net::Role::Station, net::ControlType::Health, report, k);
  }
  EXPECT_EQ(director_->desk().openAlerts(), 0u);
  report["missedFrames"] = kStalledUsualReports + 1 + kStalledMissedFrames + 1;
  director_->receiveDecoded(1, net::Role::Station, net::ControlType::Health, report, 2);
  report["present"] = false;
  director_->receiveDecoded(1, net::Role::Station, net::ControlType::Health, report, 3);
  const json alerts = director_->handle({{"command", "alerts"}}, 3);
  ASSERT_EQ(alerts["alerts"].size(), 2u) << alerts.dump();
  EXPECT_EQ(alerts["alerts"][0]["kind"], "headset");
  EXPECT_EQ(alerts["alerts"][1]["kind"], "stalled");
  EXPECT_EQ(director_->floor()["stations"].size(), 0u);  // not yet published (update() publishes)
  director_->update(4, 0);
  EXPECT_EQ(director_->floor()["stations"][0]["health"]["present"], false);
  // A presence that is not a boolean is refused.
  report["present"] = "off";
  const uint64_t before = director_->refusedMessages();
  director_->receiveDecoded(1, net::Role::Station, net::ControlType::Health, report, 5);
  EXPECT_EQ(director_->refusedMessages(), before + 1);
}

TEST(Base64, RoundTripsAndRefusesWhatIsNotIt) {
  const std::vector<uint8_t> bytes = {0, 1, 2, 250, 251, 252, 253};
  std::string out;
  ASSERT_TRUE(net::base64Decode(net::base64Encode(bytes), 100, out));
  EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.end()), bytes);
  EXPECT_FALSE(net::base64Decode(net::base64Encode(bytes), 6, out));  // over the limit
  EXPECT_FALSE(net::base64Decode("AAE=x", 100, out));
  EXPECT_FALSE(net::base64Decode("%%%%", 100, out));
  EXPECT_TRUE(net::base64Decode("", 100, out));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace pav::director

namespace pav::director {
namespace {

// The measure of issue 20: the control channel's traffic into the director with 16 stations
// watched (a picture each every 2 s), then with nobody watching (health once a second only).
// The picture is PAV_DESK_PICTURE (a station's real live view, e.g. from xr.station.desk's
// playing.jpg) or the gradient. Counted on the director's socket: ENet's datagrams and bytes
// (UDP payloads; add 28 bytes of IPv4 and UDP headers per datagram for the wire).
TEST_F(DeskTest, SixteenWatchedStationsAndThenNone) {
  Desk shared;
  if (const char* path = std::getenv("PAV_DESK_PICTURE")) {
    std::ifstream in(path, std::ios::binary);
    shared.jpeg.assign(std::istreambuf_iterator<char>(in), {});
    ASSERT_GE(shared.jpeg.size(), 4u) << path;
  }
  constexpr int kStations = 16;
  std::vector<std::unique_ptr<Desk>> desks;
  std::vector<std::unique_ptr<PicturePlayers>> players;
  std::vector<std::unique_ptr<StationLoop>> loops;
  for (int i = 0; i < kStations; ++i) {
    desks.push_back(std::make_unique<Desk>(shared));
    players.push_back(std::make_unique<PicturePlayers>(*desks.back()));
    loops.push_back(std::make_unique<StationLoop>(addAgent("station-" + std::to_string(i + 1), stationKey_), *players.back()));
  }
  const auto pass = [&](double seconds, bool watch) {
    const double until = t_ + seconds;
    double nextAsk = 0;
    while (t_ < until) {
      t_ += 0.02;
      if (watch && t_ >= nextAsk) {  // the dashboard's cards, each asked every 2 s
        nextAsk = t_ + 2;
        for (int i = 0; i < kStations; ++i) askAt({{"command", "view"}, {"station", std::to_string(i + 1)}});
      }
      director_->update(t_, 0);
      for (auto& l : loops) l->step(t_);
    }
  };
  for (int i = 0; i < 100 && online() < size_t(kStations); ++i) pass(1, false);
  ASSERT_EQ(online(), size_t(kStations));
  pass(4, true);  // every station watched and sending
  struct Count {
    uint64_t datagrams, bytes, views;
  };
  const auto count = [&] { return Count{director_->controlDatagrams(), director_->controlBytes(), director_->desk().views()}; };
  const Count a = count();
  const double watchedSeconds = 20;
  pass(watchedSeconds, true);
  const Count b = count();
  pass(kWatchLeaseSeconds + 3, false);  // the watches run out
  const Count c = count();
  const double idleSeconds = 20;
  pass(idleSeconds, false);
  const Count d = count();
  const double watchedKbps = double(b.bytes - a.bytes + 28 * (b.datagrams - a.datagrams)) * 8 / 1000 / watchedSeconds;
  const double idleKbps = double(d.bytes - c.bytes + 28 * (d.datagrams - c.datagrams)) * 8 / 1000 / idleSeconds;
  std::printf("desk measure: %d stations watched, picture %zu bytes: %.1f views/s, %.0f datagrams/s, %.1f kbps into the "
              "director; nobody watching: %llu views, %.0f datagrams/s, %.1f kbps\n",
              kStations, shared.jpeg.size(), double(b.views - a.views) / watchedSeconds,
              double(b.datagrams - a.datagrams) / watchedSeconds, watchedKbps,
              static_cast<unsigned long long>(d.views - c.views), double(d.datagrams - c.datagrams) / idleSeconds, idleKbps);
  // A picture every 2 s from each: 8 a second (the first of a watch comes at once, so a little more).
  EXPECT_GE(double(b.views - a.views) / watchedSeconds, 7.0);
  EXPECT_LE(double(b.views - a.views) / watchedSeconds, 9.0);
  EXPECT_EQ(d.views, c.views);  // nobody watches: no picture
  EXPECT_LT(idleKbps * 5, watchedKbps);
}

}  // namespace
}  // namespace pav::director
