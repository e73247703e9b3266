// The trainer link's thread: BlueZ over D-Bus, the FTMS control sequence, the readings (see
// link.h for the states and the sequence).
//
// Index: [TrainerLink] the frame's side; [Worker] start, search, connect, control, ride;
//        [Scan] scanTrainers
#include "pav/trainer/link.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "bluez.h"

namespace pav::trainer {

std::string_view toString(LinkState s) {
  switch (s) {
    case LinkState::Starting: return "starting";
    case LinkState::NoBluez: return "no BlueZ";
    case LinkState::NoAdapter: return "no adapter";
    case LinkState::Searching: return "searching";
    case LinkState::Connecting: return "connecting";
    case LinkState::Riding: return "riding";
    case LinkState::Lost: return "trainer lost";
    case LinkState::Stopped: return "stopped";
  }
  return "?";
}

bool FoundDevice::trainer() const {
  return std::find(services.begin(), services.end(), kFitnessMachineService) != services.end();
}

namespace {

std::string hex(std::span<const uint8_t> bytes) {
  std::string s;
  char b[4];
  for (uint8_t v : bytes) {
    std::snprintf(b, sizeof b, s.empty() ? "%02x" : " %02x", v);
    s += b;
  }
  return s;
}

// "Set Indoor Bike Simulation Parameters grade 2.50 % wind 0.000 m/s Crr 0.0040 Cw 0.51 [11 ...]"
std::string describe(const ControlRequest& r) {
  std::string s(toString(ControlOp(r.bytes[0])));
  char b[96] = {};
  Simulation sim;
  if (readSimulation(r.span(), sim))
    std::snprintf(b, sizeof b, " grade %.2f %% wind %.3f m/s Crr %.4f Cw %.2f", sim.grade * 100, sim.windSpeedMs, sim.crr,
                  sim.windResistanceKgPerM);
  else if (ControlOp(r.bytes[0]) == ControlOp::SetTargetPower)
    std::snprintf(b, sizeof b, " %d W", int(int16_t(r.bytes[1] | (r.bytes[2] << 8))));
  return s + b + " [" + hex(r.span()) + "]";
}

using Bytes = std::vector<uint8_t>;

}  // namespace

// =============================================================================================
// [Worker]
// =============================================================================================

struct TrainerLink::Worker {
  enum class Outcome { Done, Unsupported, Invalid, Failed, Lost };

  TrainerLink& link;
  const std::atomic<bool>& stop;
  std::unique_ptr<sdbus::IConnection> bus;
  std::unique_ptr<sdbus::IProxy> root;     // ObjectManager: a device that vanishes
  std::string adapter, devicePath, address, name;
  std::unique_ptr<sdbus::IProxy> device;   // Device1: Connected going false
  std::map<uint16_t, std::string> chars;   // characteristic UUID -> object path
  std::vector<std::unique_ptr<sdbus::IProxy>> subscribed;
  bool lost = false;
  bool connected = false;
  bool needControl = false;
  bool haveResponse = false;
  ControlResponse response;
  bool bikePower = false;                  // Indoor Bike Data carries power (else Cycling Power's)
  double lastData = -1;
  uint32_t refusedSaid = 0;
  SimulationPacer pacer;
  double ergSent = 0;
  bool simulationRefused = false, ergRefused = false;
  bool bluezGone = false;
  double failedAt = -1;                    // a simulation that failed three times: tried again 2 s on
  std::unique_ptr<sdbus::IProxy> daemon;   // org.freedesktop.DBus: bluetoothd exiting

  Worker(TrainerLink& l, const std::atomic<bool>& s) : link(l), stop(s) {}

  void setState(LinkState s) {
    std::lock_guard lock(link.mutex_);
    link.reading_.state = s;
    if (s != LinkState::Riding) {
      link.reading_.pedalling = false;
      link.reading_.watts = link.reading_.cadenceRpm = 0;  // coasting
    }
  }

  void run() {
    if (!start()) return;
    while (!stop) {
      setState(LinkState::Searching);
      if (!search()) break;
      setState(LinkState::Connecting);
      if (connect() && controlSequence()) {
        {
          std::lock_guard lock(link.mutex_);
          ++link.reading_.connects;
        }
        setState(LinkState::Riding);
        link.say("riding on " + name + " (" + address + ")");
        ride();
      }
      if (stop) break;
      {
        std::lock_guard lock(link.mutex_);
        ++link.reading_.losses;
      }
      setState(LinkState::Lost);
      link.say("trainer lost: " + name + " (" + address + "); the rider coasts; reconnecting");
      dropDevice();
      bluez::pump(*bus, 1.0, stop);
    }
    dropDevice();
    setState(LinkState::Stopped);
  }

  // ---- Start: the bus and an adapter ----
  bool start() {
    bluez::Objects objects;
    try {
      bus = sdbus::createSystemBusConnection();
      objects = bluez::managedObjects(*bus);
    } catch (const sdbus::Error& e) {
      setState(LinkState::NoBluez);
      link.say("no BlueZ on the system bus (" + e.getName() + "): the controllers pedal");
      return false;
    }
    adapter = bluez::firstAdapter(objects);
    if (adapter.empty()) {
      setState(LinkState::NoAdapter);
      link.say("no Bluetooth adapter: the controllers pedal");
      return false;
    }
    root = sdbus::createProxy(*bus, bluez::kService, "/");
    root->uponSignal("InterfacesRemoved").onInterface(bluez::kObjectManager)
        .call([this](const sdbus::ObjectPath& path, const std::vector<std::string>& interfaces) {
          if (!devicePath.empty() && path == devicePath &&
              std::find(interfaces.begin(), interfaces.end(), bluez::kDevice) != interfaces.end())
            lost = true;
        });
    root->finishRegistration();
    daemon = sdbus::createProxy(*bus, "org.freedesktop.DBus", "/org/freedesktop/DBus");
    daemon->uponSignal("NameOwnerChanged").onInterface("org.freedesktop.DBus")
        .call([this](const std::string& name, const std::string&, const std::string& owner) {
          if (name == bluez::kService && owner.empty() && connected) lost = true;
        });
    daemon->finishRegistration();
    return true;
  }

  // ---- Search: discovery until a trainer (the one asked for) is in the tree ----
  bool search() {
    const std::string want = link.desc_.address == "auto" ? address : link.desc_.address;
    auto adapterProxy = sdbus::createProxy(*bus, bluez::kService, adapter);
    try {
      std::map<std::string, sdbus::Variant> filter{
          {"UUIDs", sdbus::Variant(std::vector<std::string>{uuid128(kFitnessMachineService)})},
          {"Transport", sdbus::Variant(std::string("le"))}};
      adapterProxy->callMethod("SetDiscoveryFilter").onInterface(bluez::kAdapter).withArguments(filter);
    } catch (const sdbus::Error&) {
    }
    bool discovering = false;
    while (!stop) {
      if (!discovering) {
        try {
          adapterProxy->callMethod("StartDiscovery").onInterface(bluez::kAdapter);
          discovering = true;
        } catch (const sdbus::Error& e) {
          discovering = e.getName() == "org.bluez.Error.InProgress";
        }
      }
      try {
        for (const auto& [path, interfaces] : bluez::managedObjects(*bus)) {
          const auto dev = interfaces.find(bluez::kDevice);
          if (dev == interfaces.end()) continue;
          const auto uuids = bluez::property(dev->second, "UUIDs", std::vector<std::string>{});
          const std::string addr = bluez::property(dev->second, "Address", std::string{});
          const bool ftms = std::any_of(uuids.begin(), uuids.end(),
                                        [](const std::string& u) { return shortUuid(u) == kFitnessMachineService; });
          if (!ftms || (!want.empty() && addr != want)) continue;
          devicePath = path;
          address = addr;
          name = bluez::property(dev->second, "Alias", bluez::property(dev->second, "Name", std::string("a trainer")));
          break;
        }
      } catch (const sdbus::Error& e) {
        // bluetoothd restarting: said once, asked again every 2 s.
        if (!bluezGone) link.say("BlueZ went away (" + e.getName() + "); waiting for it");
        bluezGone = true;
        discovering = false;
        bluez::pump(*bus, 2.0, stop);
        continue;
      }
      bluezGone = false;
      if (!devicePath.empty()) break;
      bluez::pump(*bus, 0.5, stop);
    }
    if (discovering) {
      try {
        adapterProxy->callMethod("StopDiscovery").onInterface(bluez::kAdapter);
      } catch (const sdbus::Error&) {
      }
    }
    return !devicePath.empty() && !stop;
  }

  // ---- Connect: Device1.Connect, the GATT tree, the features, the subscriptions ----
  Bytes readValue(uint16_t uuid) {
    Bytes value;
    auto proxy = sdbus::createProxy(*bus, bluez::kService, chars.at(uuid));
    proxy->callMethod("ReadValue").onInterface(bluez::kGattChar)
        .withArguments(std::map<std::string, sdbus::Variant>{}).withTimeout(std::chrono::seconds(10)).storeResultsTo(value);
    return value;
  }

  bool connect() {
    lost = false;
    connected = false;
    {
      std::lock_guard lock(link.mutex_);
      std::snprintf(link.reading_.address, sizeof link.reading_.address, "%s", address.c_str());
      std::snprintf(link.reading_.name, sizeof link.reading_.name, "%s", name.c_str());
    }
    try {
      device = sdbus::createProxy(*bus, bluez::kService, devicePath);
      device->uponSignal("PropertiesChanged").onInterface(bluez::kProperties)
          .call([this](const std::string& iface, const bluez::Properties& changed, const std::vector<std::string>&) {
            if (iface != bluez::kDevice) return;
            const auto c = changed.find("Connected");
            if (c != changed.end() && !bluez::property(changed, "Connected", true) && connected) lost = true;
          });
      device->finishRegistration();
      link.say("connecting to " + name + " (" + address + ")");
      try {
        device->callMethod("Connect").onInterface(bluez::kDevice).withTimeout(std::chrono::seconds(20));
      } catch (const sdbus::Error& e) {
        if (e.getName() != "org.bluez.Error.AlreadyConnected") throw;
      }
      connected = true;
      // The GATT tree is there once ServicesResolved is true.
      bool resolved = false;
      for (int i = 0; i < 150 && !resolved && !stop && !lost; ++i) {
        sdbus::Variant v;
        device->callMethod("Get").onInterface(bluez::kProperties).withArguments(bluez::kDevice, "ServicesResolved").storeResultsTo(v);
        resolved = v.get<bool>();
        if (!resolved) bluez::pump(*bus, 0.1, stop);
      }
      if (!resolved) return say("its services were not resolved"), false;
      if (!resolveCharacteristics()) return false;
      readFeatures();
      subscribe();
      return !lost;
    } catch (const sdbus::Error& e) {
      link.say("could not connect: " + e.getName() + ": " + e.getMessage());
      return false;
    }
  }

  bool say(const std::string& line) {
    link.say(line);
    return false;
  }

  bool resolveCharacteristics() {
    chars.clear();
    const bluez::Objects objects = bluez::managedObjects(*bus);
    std::map<std::string, uint16_t> services;  // of this device
    for (const auto& [path, interfaces] : objects) {
      const auto s = interfaces.find(bluez::kGattService);
      if (s != interfaces.end() && std::string(bluez::property(s->second, "Device", sdbus::ObjectPath{})) == devicePath)
        services[path] = shortUuid(bluez::property(s->second, "UUID", std::string{}));
    }
    for (const auto& [path, interfaces] : objects) {
      const auto c = interfaces.find(bluez::kGattChar);
      if (c == interfaces.end()) continue;
      const std::string service = bluez::property(c->second, "Service", sdbus::ObjectPath{});
      if (services.count(service)) chars[shortUuid(bluez::property(c->second, "UUID", std::string{}))] = path;
    }
    if (!chars.count(kIndoorBikeData) || !chars.count(kControlPoint))
      return say(name + " has no Indoor Bike Data or no Control Point: not a trainer the station can drive");
    std::string sensors;
    if (chars.count(kCyclingPowerMeasurement)) sensors += ", a power meter";
    if (chars.count(kHeartRateMeasurement)) sensors += ", a heart rate strap";
    link.say("services: fitness machine" + sensors);
    return true;
  }

  void readFeatures() {
    Features features;
    Range power, resistance;
    if (chars.count(kMachineFeature)) {
      const Bytes b = readValue(kMachineFeature);
      if (parseFeatures(b, features) != Refusal::None) link.say("its feature bits are malformed: [" + hex(b) + "]");
    }
    if (chars.count(kPowerRange)) parseRange(readValue(kPowerRange), 1.0f, power);
    if (chars.count(kResistanceRange)) parseRange(readValue(kResistanceRange), 0.1f, resistance);
    char line[160];
    std::snprintf(line, sizeof line, "features 0x%08x/0x%08x: simulation %s, ERG %s; power %g..%g W step %g; resistance %g..%g",
                  features.machine, features.target, features.simulation() ? "yes" : "no",
                  features.powerTarget() ? "yes" : "no", power.minimum, power.maximum, power.step, resistance.minimum,
                  resistance.maximum);
    link.say(line);
    std::lock_guard lock(link.mutex_);
    link.reading_.features = features;
    link.reading_.powerRange = power;
    link.reading_.resistanceRange = resistance;
  }

  void subscribe() {
    subscribed.clear();
    bikePower = false;
    lastData = -1;
    for (uint16_t uuid : {kIndoorBikeData, kMachineStatus, kControlPoint, kCyclingPowerMeasurement, kHeartRateMeasurement}) {
      if (!chars.count(uuid)) continue;
      auto proxy = sdbus::createProxy(*bus, bluez::kService, chars.at(uuid));
      proxy->uponSignal("PropertiesChanged").onInterface(bluez::kProperties)
          .call([this, uuid](const std::string& iface, const bluez::Properties& changed, const std::vector<std::string>&) {
            if (iface != bluez::kGattChar || !changed.count("Value")) return;
            Bytes value;
            try {
              value = changed.at("Value").get<Bytes>();
            } catch (const sdbus::Error&) {
              return refuse(uuid, Refusal::Flags, value);
            }
            onValue(uuid, value);
          });
      proxy->finishRegistration();
      proxy->callMethod("StartNotify").onInterface(bluez::kGattChar);
      subscribed.push_back(std::move(proxy));
    }
  }

  void refuse(uint16_t uuid, Refusal why, const Bytes& value) {
    uint32_t refused;
    {
      std::lock_guard lock(link.mutex_);
      refused = ++link.reading_.refused;
    }
    // The first few said in full, then every hundredth: a babbling trainer does not flood the log.
    if (refusedSaid < 8 || refused % 100 == 0) {
      ++refusedSaid;
      char head[80];
      std::snprintf(head, sizeof head, "refused from 0x%04x: %s (%u refused) [", unsigned(uuid),
                    std::string(toString(why)).c_str(), refused);
      link.say(head + hex(value) + "]");
    }
  }

  void onValue(uint16_t uuid, const Bytes& value) {
    Refusal why = Refusal::None;
    switch (uuid) {
      case kIndoorBikeData: {
        BikeData d;
        if ((why = parseBikeData(value, d)) != Refusal::None) break;
        lastData = bluez::now();
        std::lock_guard lock(link.mutex_);
        Reading& r = link.reading_;
        ++r.notifications;
        if (d.hasPower) bikePower = true, r.watts = d.powerW;
        if (d.hasCadence) r.cadenceRpm = d.cadenceRpm;
        if (d.hasSpeed) r.speedKmh = d.speedKmh;
        if (d.hasHeartRate) r.heartRate = d.heartRate;
        break;
      }
      case kCyclingPowerMeasurement: {
        float watts = 0;
        if ((why = parseCyclingPower(value, watts)) != Refusal::None) break;
        std::lock_guard lock(link.mutex_);
        if (!bikePower) link.reading_.watts = watts;
        break;
      }
      case kHeartRateMeasurement: {
        int bpm = 0;
        if ((why = parseHeartRate(value, bpm)) != Refusal::None) break;
        std::lock_guard lock(link.mutex_);
        link.reading_.heartRate = bpm;
        break;
      }
      case kMachineStatus: {
        MachineStatus s;
        if ((why = parseMachineStatus(value, s)) != Refusal::None) break;
        if (s.op == uint8_t(StatusOp::ControlPermissionLost)) {
          needControl = true;
          link.say("the trainer took control back: asking again");
        }
        break;
      }
      case kControlPoint: {
        ControlResponse r;
        if ((why = parseControlResponse(value, r)) != Refusal::None) break;
        response = r;
        haveResponse = true;
        break;
      }
      default:
        break;
    }
    if (why != Refusal::None) refuse(uuid, why, value);
  }

  // ---- Control: a request and its Response Code ----
  Outcome request(const ControlRequest& r, int depth = 0) {
    const std::string what = describe(r);
    for (int attempt = 0; attempt < 3 && !stop; ++attempt) {
      haveResponse = false;
      link.say("-> " + what);
      try {
        auto cp = sdbus::createProxy(*bus, bluez::kService, chars.at(kControlPoint));
        cp->callMethod("WriteValue").onInterface(bluez::kGattChar)
            .withArguments(Bytes(r.bytes.begin(), r.bytes.begin() + r.size),
                           std::map<std::string, sdbus::Variant>{{"type", sdbus::Variant(std::string("request"))}})
            .withTimeout(std::chrono::seconds(10));
      } catch (const sdbus::Error& e) {
        link.say("<- the write failed: " + e.getName());
        bluez::pump(*bus, 0.5, stop, [&] { return lost; });
        if (lost) return Outcome::Lost;
        continue;
      }
      bluez::pump(*bus, 3.0, stop, [&] { return lost || (haveResponse && response.request == r.bytes[0]); });
      if (lost) return Outcome::Lost;
      if (!haveResponse || response.request != r.bytes[0]) {
        link.say("<- no answer in 3 s");
        continue;
      }
      link.say("<- " + std::string(toString(response.result)));
      switch (response.result) {
        case ResultCode::Success: return Outcome::Done;
        case ResultCode::NotSupported: return Outcome::Unsupported;
        case ResultCode::InvalidParameter: return Outcome::Invalid;
        case ResultCode::ControlNotPermitted:
          if (r.bytes[0] == uint8_t(ControlOp::RequestControl)) {
            bluez::pump(*bus, 1.0, stop, [&] { return lost; });  // another app holds it: a moment
          } else if (depth == 0) {
            const Outcome again = request(requestControl(), depth + 1);
            if (again != Outcome::Done) return again;
          }
          break;
        case ResultCode::OperationFailed:
          bluez::pump(*bus, 0.5, stop, [&] { return lost; });
          break;
      }
    }
    return Outcome::Failed;
  }

  bool controlSequence() {
    if (request(requestControl()) != Outcome::Done) return say("the trainer did not give control"), false;
    // Reset and Start may be refused as not supported by simpler trainers: the ride goes on.
    if (request(resetMachine()) == Outcome::Lost) return false;
    if (request(startOrResume()) == Outcome::Lost) return false;
    pacer.reset();
    ergSent = 0;
    simulationRefused = ergRefused = false;
    needControl = false;
    return !lost;
  }

  // ---- Ride: the road (or the ERG target) to the trainer until it is lost ----
  void ride() {
    while (!stop && !lost) {
      bluez::pumpOnce(*bus, 0.05);
      const double t = bluez::now();
      Simulation road;
      bool haveRoad;
      double erg;
      {
        std::lock_guard lock(link.mutex_);
        road = link.road_;
        haveRoad = link.haveRoad_;
        erg = link.ergWatts_;
        Reading& r = link.reading_;
        // Fresh data pedals; stale data (a trainer gone quiet) coasts.
        r.pedalling = lastData >= 0 && t - lastData < link.desc_.staleSeconds;
        if (!r.pedalling) r.watts = r.cadenceRpm = 0;
      }
      if (needControl) {
        needControl = false;
        if (request(requestControl()) == Outcome::Lost) break;
        pacer.reset();
        ergSent = 0;
      }
      if (erg > 0) {
        if (std::abs(erg - ergSent) >= 1 && !ergRefused) {
          const Outcome o = request(setTargetPower(erg));
          if (o == Outcome::Lost) break;
          ergSent = erg;  // an invalid or failed target is not repeated until the operator changes it
          if (o == Outcome::Unsupported) ergRefused = true, link.say("no ERG on this trainer");
          std::lock_guard lock(link.mutex_);
          if (o == Outcome::Done) ++link.reading_.targetsSent;
        }
        continue;
      }
      if (ergSent > 0) ergSent = 0, pacer.reset();  // back to the road: send it now
      if (!haveRoad || simulationRefused) continue;
      if (failedAt >= 0 && t - failedAt >= 2.0) failedAt = -1, pacer.reset();
      const Simulation sim = feltSimulation(link.desc_.feel, road);
      if (!pacer.due(t, sim)) continue;
      pacer.sent(t, sim);
      const ControlRequest packet = setSimulation(sim);
      const Outcome o = request(packet);
      if (o == Outcome::Lost) break;
      if (o == Outcome::Unsupported) simulationRefused = true, link.say("no simulation mode: the trainer resists on its own");
      // Invalid: this road is not for this trainer; the next change is sent as usual.
      if (o == Outcome::Failed) failedAt = t;
      if (o == Outcome::Done) {
        Simulation as;
        readSimulation(packet.span(), as);
        std::lock_guard lock(link.mutex_);
        ++link.reading_.simulationsSent;
        link.reading_.lastGradeSent = as.grade;
      }
    }
  }

  void dropDevice() {
    const bool wasLost = lost;
    subscribed.clear();
    if (device && connected && !wasLost) {
      try {
        device->callMethod("Disconnect").onInterface(bluez::kDevice).withTimeout(std::chrono::seconds(5));
      } catch (const sdbus::Error&) {
      }
    }
    device.reset();
    connected = false;
    chars.clear();
    devicePath.clear();  // found again by address
  }
};

// =============================================================================================
// [TrainerLink]
// =============================================================================================

TrainerLink::TrainerLink(LinkDesc desc) : desc_(std::move(desc)) {
  ergWatts_ = desc_.ergWatts;
  thread_ = std::thread([this] {
    Worker worker(*this, stop_);
    try {
      worker.run();
    } catch (const std::exception& e) {  // a BlueZ that answers nonsense: a state, not a crash
      say(std::string("stopped: ") + e.what());
      std::lock_guard lock(mutex_);
      reading_.state = LinkState::Stopped;
      reading_.pedalling = false;
    }
  });
}

TrainerLink::~TrainerLink() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void TrainerLink::setRoad(const Simulation& road) {
  std::lock_guard lock(mutex_);
  road_ = road;
  haveRoad_ = true;
}

void TrainerLink::setErgTarget(double watts) {
  std::lock_guard lock(mutex_);
  ergWatts_ = std::max(0.0, watts);
}

Reading TrainerLink::reading() const {
  std::lock_guard lock(mutex_);
  return reading_;
}

std::vector<std::string> TrainerLink::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

void TrainerLink::say(const std::string& line) {
  if (!desc_.quiet) std::fprintf(stderr, "%s: trainer: %s\n", desc_.who.c_str(), line.c_str());
  std::lock_guard lock(mutex_);
  if (log_.size() < 100000) log_.push_back(line);
}

// =============================================================================================
// [Scan]
// =============================================================================================

std::vector<FoundDevice> scanTrainers(double seconds, std::string& why) {
  std::vector<FoundDevice> found;
  try {
    auto bus = sdbus::createSystemBusConnection();
    const std::string adapter = bluez::firstAdapter(bluez::managedObjects(*bus));
    if (adapter.empty()) {
      why = "no Bluetooth adapter";
      return found;
    }
    auto proxy = sdbus::createProxy(*bus, bluez::kService, adapter);
    bool discovering = true;
    try {
      proxy->callMethod("StartDiscovery").onInterface(bluez::kAdapter);
    } catch (const sdbus::Error& e) {
      discovering = false;
      if (e.getName() != "org.bluez.Error.InProgress") throw;
    }
    const std::atomic<bool> never{false};
    bluez::pump(*bus, seconds, never);
    for (const auto& [path, interfaces] : bluez::managedObjects(*bus)) {
      const auto dev = interfaces.find(bluez::kDevice);
      if (dev == interfaces.end()) continue;
      FoundDevice d;
      d.address = bluez::property(dev->second, "Address", std::string{});
      d.name = bluez::property(dev->second, "Alias", bluez::property(dev->second, "Name", std::string{}));
      for (const std::string& u : bluez::property(dev->second, "UUIDs", std::vector<std::string>{})) {
        const uint16_t s = shortUuid(u);
        if (s == kFitnessMachineService || s == kCyclingPowerService || s == kHeartRateService) d.services.push_back(s);
      }
      const auto rssi = dev->second.find("RSSI");
      if (rssi != dev->second.end()) {
        d.rssi = bluez::property<int16_t>(dev->second, "RSSI", 0);
        d.hasRssi = true;
      }
      if (!d.services.empty()) found.push_back(std::move(d));
    }
    if (discovering) proxy->callMethod("StopDiscovery").onInterface(bluez::kAdapter);
  } catch (const sdbus::Error& e) {
    why = "no BlueZ on the system bus (" + e.getName() + ")";
  }
  return found;
}

}  // namespace pav::trainer
