// pav::trainer (link): a smart trainer over Bluetooth LE, through BlueZ's D-Bus API on the
// system bus (sdbus-c++). What a station opens when its title asks for a trainer
// (core::kDeviceTrainer): it finds a trainer advertising the Fitness Machine service,
// connects, takes control, keeps the trainer's resistance on the road the rider is on, and
// hands the frame the latest power and cadence.
//
//   trainer::TrainerLink link({.address = "auto", .feel = trainer::kExpoFeel, .who = "pavilion station"});
//   each frame: link.setRoad(road);                 // the title's road under the rider (no wait)
//               const trainer::Reading r = link.reading();   // the latest values (no wait)
//
// All Bluetooth work runs on the link's own thread with its own bus connection: the frame
// never waits on the radio. Its states:
//
//     Starting ─► Searching ─► Connecting ─► Riding ◄─┐
//        │            ▲                        │      │ (reconnected)
//        │            └──────── Lost ◄─────────┘      │
//        │                       └────────────────────┘
//        └─► NoBluez | NoAdapter   (one line said; the station's controllers pedal)
//
// Riding: the control sequence is Request Control, Reset, Start or Resume, then Set Indoor
// Bike Simulation Parameters as the road changes (SimulationPacer: at most 2 a second, on a
// 0.1 % change), or Set Target Power in ERG mode. Each request waits for its Response Code
// indication: control not permitted asks for control again and retries, operation failed and
// no answer retry twice (a simulation that still failed is sent again 2 s later), not supported
// stops that kind of request (no ERG, or no simulation: the trainer resists on its own), invalid
// parameter drops that one value (the next road change, or the next ERG target, is sent).
// Lost (the device's Connected went false, or it vanished): the rider coasts (power 0), the
// link says "trainer lost" and searches for the same trainer again.
//
// scanTrainers() is the blocking discovery `pavilion trainers` prints.
//
// The bus is the system bus: DBUS_SYSTEM_BUS_ADDRESS moves it (the tests' fake bluetoothd on
// a private dbus-daemon, tests/trainer/).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pav/trainer/ftms.h"

namespace pav::trainer {

enum class LinkState : uint8_t { Starting, NoBluez, NoAdapter, Searching, Connecting, Riding, Lost, Stopped };
std::string_view toString(LinkState s);

struct LinkDesc {
  std::string address = "auto";  // "auto": the first trainer found; or "AA:BB:CC:DD:EE:FF"
  Feel feel = kExpoFeel;
  double ergWatts = 0;            // > 0: ERG mode at this target (Set Target Power)
  std::string who = "pavilion";   // starts each log line
  bool quiet = false;             // no log lines on stderr (the tests read log() instead)
  double staleSeconds = 3;        // no Indoor Bike Data for this long: the rider coasts
};

// What the frame reads: plain data, copied under a short lock.
struct Reading {
  LinkState state = LinkState::Starting;
  bool pedalling = false;  // Riding with fresh data: power and cadence are the rider's
  float watts = 0, cadenceRpm = 0, speedKmh = 0;
  int heartRate = 0;
  uint32_t notifications = 0;  // readings taken
  uint32_t refused = 0;        // notifications refused (ftms.h Refusal), all kinds
  uint32_t simulationsSent = 0, targetsSent = 0;
  uint32_t connects = 0;       // times it reached Riding (2: it reconnected once)
  uint32_t losses = 0;
  double lastGradeSent = 0;    // as sent, after the feel
  Features features;
  Range powerRange, resistanceRange;
  char address[18] = {};
  char name[32] = {};
};

class TrainerLink {
 public:
  explicit TrainerLink(LinkDesc desc);
  ~TrainerLink();  // stops the thread (after a D-Bus call in flight: Connect waits 20 s at most), disconnects
  TrainerLink(const TrainerLink&) = delete;
  TrainerLink& operator=(const TrainerLink&) = delete;

  // The road under the rider, before the feel (the title's, drafting in its wind coefficient).
  void setRoad(const Simulation& road);
  // ERG: hold this power (> 0), or back to the road (0).
  void setErgTarget(double watts);
  Reading reading() const;
  // Every line the link has said (the control sequence, the grades sent, losses), in order.
  std::vector<std::string> log() const;

 private:
  struct Worker;
  friend struct Worker;
  void say(const std::string& line);

  const LinkDesc desc_;
  mutable std::mutex mutex_;  // guards what follows it
  Reading reading_;
  Simulation road_;
  bool haveRoad_ = false;
  double ergWatts_ = 0;
  std::vector<std::string> log_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// One device in range, as `pavilion trainers` lists it.
struct FoundDevice {
  std::string name, address;
  std::vector<uint16_t> services;  // the 16-bit ones it advertises (0x1826 a trainer)
  int rssi = 0;
  bool hasRssi = false;
  bool trainer() const;
};
// Discovers for `seconds` and lists the devices advertising a trainer's, a power meter's or a
// heart rate strap's service. Empty with `why` set when there is no BlueZ or no adapter.
std::vector<FoundDevice> scanTrainers(double seconds, std::string& why);

}  // namespace pav::trainer
