// The trainer link against the fake bluetoothd on a private dbus-daemon: the engine's code
// talks to it as to BlueZ (only DBUS_SYSTEM_BUS_ADDRESS differs). Every wait ends as soon as
// its condition holds and is bounded generously; nothing is timed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "pav/cycling/cycling.h"
#include "pav/trainer/link.h"
#include "private_bus.h"

using namespace pav;
using namespace pav::trainer;
using pav::test::eventually;
using pav::test::PrivateBus;

namespace {

constexpr const char* kFake = "org.pavilion.FakeTrainer1";

LinkDesc quiet(double ergWatts = 0) {
  LinkDesc d;
  d.quiet = true;
  d.ergWatts = ergWatts;
  return d;
}

bool riding(const TrainerLink& link) {
  const Reading r = link.reading();
  return r.state == LinkState::Riding && r.pedalling;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

}  // namespace

TEST(TrainerLink, TakesControlResetsStartsThenSendsTheRoad) {
  PrivateBus bus;
  ASSERT_TRUE(bus.up());
  ASSERT_TRUE(bus.startFake());
  // Another app holds control at first: the first Request Control is refused.
  bus.handle()->callMethod("Deny").onInterface(kFake).withArguments(uint8_t(0x00), uint8_t(0x05), uint32_t(1));
  TrainerLink link(quiet());
  link.setRoad({.grade = 0.04});
  ASSERT_TRUE(eventually([&] { return link.reading().simulationsSent >= 1 && riding(link); })) << joined(link.log());
  const std::vector<std::string> requests = bus.requests();
  ASSERT_GE(requests.size(), 5u);
  EXPECT_EQ(requests[0], "00") << "Request Control";
  EXPECT_EQ(requests[1], "00") << "Request Control again, after control not permitted";
  EXPECT_EQ(requests[2], "01") << "Reset";
  EXPECT_EQ(requests[3], "07") << "Start or Resume";
  EXPECT_EQ(requests[4], "11 00 00 c8 00 28 14") << "4 % felt as 2.00 % (0x00c8), Crr 0.004, Cw 0.20";
  const Reading r = link.reading();
  EXPECT_TRUE(r.features.simulation() && r.features.powerTarget());
  EXPECT_FLOAT_EQ(r.powerRange.maximum, 2000.0f);
  EXPECT_FLOAT_EQ(r.resistanceRange.maximum, 100.0f);
  EXPECT_STREQ(r.address, "C0:FF:EE:00:18:26");
  // The scripted rider: 200 W on the flat, 5 % more per percent of the 2 % it feels.
  EXPECT_TRUE(eventually([&] { return std::abs(link.reading().watts - 220.0f) < 0.5f; })) << link.reading().watts;
  EXPECT_GT(link.reading().cadenceRpm, 0.0f);
  EXPECT_TRUE(eventually([&] { return link.reading().heartRate > 0; })) << "the heart rate strap beside it";
}

TEST(TrainerLink, SimulationGradesFollowTheRoutesGradeWithinQuantisation) {
  PrivateBus bus;
  ASSERT_TRUE(bus.up());
  ASSERT_TRUE(bus.startFake());
  const cycling::Route route = cycling::Route::load(std::string(PAV_TEST_ASSET_DIR) + "/cycling/route.txt");
  TrainerLink link(quiet());
  ASSERT_TRUE(eventually([&] { return link.reading().state == LinkState::Riding; })) << joined(link.log());
  // The route's stretches in order, as a rider meets them: each one's grade, felt through the
  // expo preset, reaches the trainer as the FTMS field holds it (0.01 %). Stretches whose felt
  // grade differs by half a percent or more from the last one checked, ten at most (each costs
  // the pacer's half second).
  double lastFelt = 1e9;
  int checked = 0;
  for (const cycling::RoutePoint& p : route.points()) {
    if (p.distanceM >= route.length()) break;
    const double grade = route.gradeAt(p.distanceM + 1);
    const double felt = feltGrade(kExpoFeel, grade);
    if (std::abs(felt - lastFelt) < 0.005 || checked >= 10) continue;
    lastFelt = felt;
    link.setRoad({.grade = grade});
    const double expected = std::round(felt * 1e4) / 1e4;
    ASSERT_TRUE(eventually([&] {
      const std::vector<double> g = bus.grades();
      return !g.empty() && std::abs(g.back() - expected) < 0.5e-4;
    })) << "route grade " << grade << " felt " << felt << "; the trainer has " << (bus.grades().empty() ? -1 : bus.grades().back());
    EXPECT_LE(std::abs(expected), 0.08 + 1e-12);
    ++checked;
  }
  EXPECT_GE(checked, 3) << "the route has climbs and descents to check";
  // A wobble under 0.1 % sends nothing more.
  const size_t sent = bus.grades().size();
  link.setRoad({.grade = (lastFelt >= 0 ? lastFelt / kExpoFeel.gradeShare : lastFelt / kExpoFeel.descentShare) + 0.0003});
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_EQ(bus.grades().size(), sent);
}

TEST(TrainerLink, ErgTargetsAreFollowed) {
  PrivateBus bus;
  ASSERT_TRUE(bus.up());
  ASSERT_TRUE(bus.startFake());
  TrainerLink link(quiet(250));
  link.setRoad({.grade = 0.05});
  ASSERT_TRUE(eventually([&] { return std::abs(link.reading().watts - 250.0f) < 0.5f; })) << joined(link.log());
  EXPECT_EQ(std::get<1>(bus.status()), 250.0);
  link.setErgTarget(150);
  ASSERT_TRUE(eventually([&] { return std::abs(link.reading().watts - 150.0f) < 0.5f; })) << joined(link.log());
  EXPECT_TRUE(eventually([&] { return link.reading().targetsSent == 2u; })) << link.reading().targetsSent;
  const std::vector<std::string> requests = bus.requests();
  EXPECT_NE(std::find(requests.begin(), requests.end(), "05 fa 00"), requests.end());
  EXPECT_NE(std::find(requests.begin(), requests.end(), "05 96 00"), requests.end());
  // Back to the road: the simulation goes out again at once.
  link.setErgTarget(0);
  ASSERT_TRUE(eventually([&] { return !bus.grades().empty() && std::abs(bus.grades().back() - 0.025) < 0.5e-4; }));
}

TEST(TrainerLink, EveryResponseCodeIsHandled) {
  PrivateBus bus;
  ASSERT_TRUE(bus.up());
  ASSERT_TRUE(bus.startFake());
  auto deny = [&](uint8_t op, uint8_t result, uint32_t n) {
    bus.handle()->callMethod("Deny").onInterface(kFake).withArguments(op, result, n);
  };
  deny(0x01, 0x02, 1);  // Reset not supported: the ride goes on
  deny(0x11, 0x04, 1);  // the first simulation fails once: sent again at once
  TrainerLink link(quiet());
  link.setRoad({.grade = 0.02});
  ASSERT_TRUE(eventually([&] { return link.reading().simulationsSent >= 1; })) << joined(link.log());
  std::vector<std::string> requests = bus.requests();
  ASSERT_GE(requests.size(), 5u);
  EXPECT_EQ(requests[1], "01");
  EXPECT_EQ(requests[2], "07") << "Start after a Reset that is not supported";
  EXPECT_EQ(requests[3], requests[4]) << "operation failed: the same simulation again";
  // Invalid parameter drops that value; the next road change goes out.
  deny(0x11, 0x03, 1);
  link.setRoad({.grade = 0.06});
  ASSERT_TRUE(eventually([&] { return bus.requests().size() >= 6; }));
  link.setRoad({.grade = 0.08});
  ASSERT_TRUE(eventually([&] { return !bus.grades().empty() && std::abs(bus.grades().back() - 0.04) < 0.5e-4; }))
      << joined(link.log());
  // Control not permitted in the middle of the ride (the trainer's own app took it): control
  // is asked for again and the request retried.
  deny(0x11, 0x05, 1);
  link.setRoad({.grade = 0.10});
  ASSERT_TRUE(eventually([&] { return std::abs(bus.grades().back() - 0.05) < 0.5e-4; })) << joined(link.log());
  requests = bus.requests();
  EXPECT_EQ(requests[requests.size() - 2], "00") << joined(requests);
  // ERG not supported: said once, not repeated; the road stays with the trainer.
  deny(0x05, 0x02, 100);
  link.setErgTarget(200);
  ASSERT_TRUE(eventually([&] { return joined(link.log()).find("no ERG on this trainer") != std::string::npos; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  requests = bus.requests();
  EXPECT_EQ(std::count(requests.begin(), requests.end(), "05 c8 00"), 1) << joined(requests);
  EXPECT_EQ(link.reading().state, LinkState::Riding);
}

TEST(TrainerLink, ATrainerLostMidRideCoastsAndReconnects) {
  PrivateBus bus;
  ASSERT_TRUE(bus.up());
  ASSERT_TRUE(bus.startFake());
  TrainerLink link(quiet());
  link.setRoad({.grade = 0.02});
  ASSERT_TRUE(eventually([&] { return riding(link); })) << joined(link.log());
  bus.handle()->callMethod("Drop").onInterface(kFake);
  ASSERT_TRUE(eventually([&] { return link.reading().losses >= 1; })) << joined(link.log());
  ASSERT_TRUE(eventually([&] { return link.reading().connects >= 2 && riding(link); })) << joined(link.log());
  const std::string log = joined(link.log());
  EXPECT_NE(log.find("trainer lost"), std::string::npos) << log;
  // The control sequence ran again on the new connection, and the road went out again.
  const std::vector<std::string> requests = bus.requests();
  EXPECT_EQ(std::count(requests.begin(), requests.end(), "00"), 2) << joined(requests);
  EXPECT_TRUE(eventually([&] { return bus.grades().size() >= 2; }));
  EXPECT_TRUE(eventually([&] { return link.reading().watts > 0; }));
}

TEST(TrainerLink, ALostTrainerCoasts) {
  PrivateBus bus;
  ASSERT_TRUE(bus.up());
  ASSERT_TRUE(bus.startFake());
  TrainerLink link(quiet());
  ASSERT_TRUE(eventually([&] { return riding(link); })) << joined(link.log());
  bus.stopFake();  // bluetoothd gone mid-ride: nothing answers, nothing arrives
  ASSERT_TRUE(eventually([&] { return !link.reading().pedalling; })) << joined(link.log());
  EXPECT_EQ(link.reading().watts, 0.0f);
}

TEST(TrainerLink, MalformedNotificationsAreRefusedAndCounted) {
  PrivateBus bus;
  ASSERT_TRUE(bus.up());
  ASSERT_TRUE(bus.startFake());
  TrainerLink link(quiet());
  ASSERT_TRUE(eventually([&] { return riding(link); })) << joined(link.log());
  const uint32_t before = link.reading().refused;
  const std::vector<std::pair<uint16_t, std::vector<uint8_t>>> bad = {
      {kIndoorBikeData, {0x44}},                                   // short
      {kIndoorBikeData, {0x44, 0x80, 0x10, 0x27, 0xb4, 0, 0xc8, 0}},  // reserved flag bit 15
      {kIndoorBikeData, {0x44, 0x00, 0x10, 0x27, 0xb4, 0, 0xff, 0xff}},  // power 0xFFFF
      {kIndoorBikeData, {0x44, 0x00, 0x98, 0x3a, 0xb4, 0, 0xc8, 0}},     // 150 km/h
      {kMachineStatus, {0x12, 0x00}},                              // short status
      {kControlPoint, {0x80, 0x11}},                               // short response
      {kHeartRateMeasurement, {0x01, 0x2c, 0x01}},                 // 300 bpm
  };
  for (const auto& [uuid, bytes] : bad)
    bus.handle()->callMethod("Notify").onInterface(kFake).withArguments(uuid, bytes);
  ASSERT_TRUE(eventually([&] { return link.reading().refused >= before + bad.size(); })) << joined(link.log());
  EXPECT_EQ(link.reading().refused, before + bad.size());
  // Never the glitch as power: the rider's watts stay the scripted rider's.
  for (int i = 0; i < 20; ++i) {
    const Reading r = link.reading();
    EXPECT_LE(r.watts, 250.0f);
    EXPECT_LE(r.speedKmh, 120.0f);
    EXPECT_LE(r.heartRate, 250);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(link.reading().state, LinkState::Riding);
}

TEST(TrainerLink, NoBluezOrNoAdapterIsOneLine) {
  {
    PrivateBus bus;
    ASSERT_TRUE(bus.up());
    TrainerLink link(quiet());  // a bus with no org.bluez on it
    ASSERT_TRUE(eventually([&] { return link.reading().state == LinkState::NoBluez; })) << joined(link.log());
    EXPECT_EQ(link.log().size(), 1u) << joined(link.log());
  }
  {
    PrivateBus bus;
    ASSERT_TRUE(bus.up());
    ASSERT_TRUE(bus.startFake({"--no-adapter"}));
    TrainerLink link(quiet());
    ASSERT_TRUE(eventually([&] { return link.reading().state == LinkState::NoAdapter; })) << joined(link.log());
    EXPECT_EQ(link.log().size(), 1u) << joined(link.log());
    std::string why;
    EXPECT_TRUE(scanTrainers(0.1, why).empty());
    EXPECT_EQ(why, "no Bluetooth adapter");
  }
}

TEST(TrainerLink, ScanListsTheTrainerWithItsServicesAndSignal) {
  PrivateBus bus;
  ASSERT_TRUE(bus.up());
  ASSERT_TRUE(bus.startFake({"--name", "Test Kickr", "--address", "AA:BB:CC:00:11:22"}));
  std::string why;
  const std::vector<FoundDevice> found = scanTrainers(0.3, why);
  ASSERT_EQ(found.size(), 1u) << why;
  EXPECT_EQ(found[0].name, "Test Kickr");
  EXPECT_EQ(found[0].address, "AA:BB:CC:00:11:22");
  EXPECT_TRUE(found[0].trainer());
  EXPECT_NE(std::find(found[0].services.begin(), found[0].services.end(), kHeartRateService), found[0].services.end());
  EXPECT_TRUE(found[0].hasRssi);
  EXPECT_EQ(found[0].rssi, -58);
}
