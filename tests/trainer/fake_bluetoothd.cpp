// fake-bluetoothd: BlueZ's D-Bus object tree with a smart trainer behind it, for tests and
// for trying the station without a radio. It owns org.bluez on the system bus (point
// DBUS_SYSTEM_BUS_ADDRESS at a private dbus-daemon) and answers the engine's trainer link
// (engine/trainer) exactly as bluetoothd 5.66 would:
//
//   /                                 org.freedesktop.DBus.ObjectManager
//   /org/bluez/hci0                   org.bluez.Adapter1: StartDiscovery, StopDiscovery,
//                                     SetDiscoveryFilter; Address, Powered, Discovering
//   /org/bluez/hci0/dev_AA_..         org.bluez.Device1 (appears once discovery starts):
//                                     Connect, Disconnect; Address, Name, Alias, UUIDs, RSSI,
//                                     Connected, ServicesResolved, Adapter
//   .../serviceNNNN                   org.bluez.GattService1 (after Connect): Fitness Machine,
//                                     Heart Rate
//   .../serviceNNNN/charMMMM          org.bluez.GattCharacteristic1: ReadValue, WriteValue,
//                                     StartNotify, StopNotify; UUID, Service, Value, Notifying,
//                                     Flags; notifications as PropertiesChanged on Value
//
// Behind it a trainer: resistance from the simulation parameters it was sent (the grade), ERG
// (Set Target Power) held exactly, otherwise a scripted rider pushing --rider-watts on the flat
// and 5 % more per percent of grade; speed from that power on the grade it was sent. Indoor Bike
// Data 4 times a second, the heart rate once a second, a status on every change.
//
// The test's handle, /org/pavilion/fake, org.pavilion.FakeTrainer1:
//   Drop()                   the radio link breaks (Connected false, the GATT objects vanish)
//   Notify(q uuid, ay bytes) sends these bytes as a notification of that characteristic
//   SetRider(d watts)        the scripted rider's flat-road power
//   Deny(y op, y result, u n) the next n requests with this op code are answered with result
//   Requests() -> as         every control point write, in order: "00", "11 ff00 ..." (hex)
//   Grades() -> ad           the grade of every simulation accepted, as sent (fraction)
//   Status() -> (bddd)       connected, ERG target, the power reported last, the grade now
//
// Each control point write and its answer is also printed on stdout, one line each.
// Options: --name NAME --address ADDR --rider-watts W --no-adapter --no-erg
#include <poll.h>
#include <sdbus-c++/sdbus-c++.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pav/trainer/ftms.h"

using namespace pav::trainer;
using Bytes = std::vector<uint8_t>;
using Options = std::map<std::string, sdbus::Variant>;

namespace {

constexpr const char* kAdapter = "org.bluez.Adapter1";
constexpr const char* kDevice = "org.bluez.Device1";
constexpr const char* kService = "org.bluez.GattService1";
constexpr const char* kChar = "org.bluez.GattCharacteristic1";
constexpr const char* kFake = "org.pavilion.FakeTrainer1";

volatile std::sig_atomic_t gStop = 0;

std::string hex(const Bytes& b) {
  std::string s;
  char x[4];
  for (size_t i = 0; i < b.size(); ++i) std::snprintf(x, sizeof x, i ? " %02x" : "%02x", b[i]), s += x;
  return s;
}

void le16(Bytes& b, int v) {
  b.push_back(uint8_t(v & 0xff));
  b.push_back(uint8_t((v >> 8) & 0xff));
}

struct Config {
  std::string name = "Pavilion Fake Trainer";
  std::string address = "C0:FF:EE:00:18:26";
  double riderWatts = 200;
  bool noAdapter = false;
  bool noErg = false;
};

class Characteristic {
 public:
  Characteristic(sdbus::IConnection& bus, const std::string& path, const std::string& service, uint16_t uuid,
                 std::vector<std::string> flags, Bytes value)
      : uuid_(uuid), service_(service), flags_(std::move(flags)), value_(std::move(value)),
        object_(sdbus::createObject(bus, path)) {
    object_->registerMethod("ReadValue").onInterface(kChar).implementedAs([this](const Options&) { return value_; });
    object_->registerMethod("WriteValue").onInterface(kChar).implementedAs([this](const Bytes& v, const Options&) {
      if (!onWrite) throw sdbus::Error("org.bluez.Error.NotPermitted", "Write not permitted");
      onWrite(v);
    });
    object_->registerMethod("StartNotify").onInterface(kChar).implementedAs([this] {
      notifying_ = true;
      object_->emitPropertiesChangedSignal(kChar, {"Notifying"});
    });
    object_->registerMethod("StopNotify").onInterface(kChar).implementedAs([this] {
      notifying_ = false;
      object_->emitPropertiesChangedSignal(kChar, {"Notifying"});
    });
    object_->registerProperty("UUID").onInterface(kChar).withGetter([this] { return uuid128(uuid_); });
    object_->registerProperty("Service").onInterface(kChar).withGetter([this] { return sdbus::ObjectPath(service_); });
    object_->registerProperty("Value").onInterface(kChar).withGetter([this] { return value_; });
    object_->registerProperty("Notifying").onInterface(kChar).withGetter([this] { return notifying_; });
    object_->registerProperty("Flags").onInterface(kChar).withGetter([this] { return flags_; });
    object_->finishRegistration();
    object_->emitInterfacesAddedSignal();
  }
  ~Characteristic() { object_->emitInterfacesRemovedSignal(); }

  // A notification (or indication): the new Value, as BlueZ signals it.
  void notify(const Bytes& v, bool evenIfNotNotifying = false) {
    if (!notifying_ && !evenIfNotNotifying) return;
    value_ = v;
    object_->emitPropertiesChangedSignal(kChar, {"Value"});
  }
  bool notifying() const { return notifying_; }
  std::function<void(const Bytes&)> onWrite;

 private:
  uint16_t uuid_;
  std::string service_;
  std::vector<std::string> flags_;
  Bytes value_;
  bool notifying_ = false;
  std::unique_ptr<sdbus::IObject> object_;
};

class GattService {
 public:
  GattService(sdbus::IConnection& bus, const std::string& path, const std::string& device, uint16_t uuid)
      : uuid_(uuid), device_(device), object_(sdbus::createObject(bus, path)) {
    object_->registerProperty("UUID").onInterface(kService).withGetter([this] { return uuid128(uuid_); });
    object_->registerProperty("Device").onInterface(kService).withGetter([this] { return sdbus::ObjectPath(device_); });
    object_->registerProperty("Primary").onInterface(kService).withGetter([] { return true; });
    object_->finishRegistration();
    object_->emitInterfacesAddedSignal();
  }
  ~GattService() { object_->emitInterfacesRemovedSignal(); }

 private:
  uint16_t uuid_;
  std::string device_;
  std::unique_ptr<sdbus::IObject> object_;
};

class FakeBluez {
 public:
  FakeBluez(sdbus::IConnection& bus, Config config) : bus_(bus), config_(std::move(config)) {
    std::string dev = config_.address;
    std::replace(dev.begin(), dev.end(), ':', '_');
    devicePath_ = "/org/bluez/hci0/dev_" + dev;
    if (!config_.noAdapter) makeAdapter();
    makeHandle();
  }

  // The trainer's quarter-second: the rider, the speed, the notifications.
  void tick(double t) {
    if (!connected_) return;
    if (t - lastData_ >= 0.25) {
      lastData_ = t;
      power_ = erg_ > 0 ? erg_ : std::max(0.0, rider_ * (1 + 5 * sim_.grade));
      const double speedKmh = steadySpeedMs(power_) * 3.6;
      Bytes b;
      le16(b, 0x0044);  // speed (bit 0 clear), cadence, power
      le16(b, int(std::lround(speedKmh * 100)));
      le16(b, int(std::lround((power_ > 0 ? 85.0 : 0.0) * 2)));
      le16(b, int(std::lround(power_)));
      if (chars_.count(kIndoorBikeData)) chars_[kIndoorBikeData]->notify(b);
    }
    if (t - lastHeart_ >= 1.0 && chars_.count(kHeartRateMeasurement)) {
      lastHeart_ = t;
      chars_[kHeartRateMeasurement]->notify({0x00, uint8_t(100 + std::min(80.0, power_ / 5))});
    }
  }

 private:
  void makeAdapter() {
    adapter_ = sdbus::createObject(bus_, "/org/bluez/hci0");
    adapter_->registerMethod("StartDiscovery").onInterface(kAdapter).implementedAs([this] {
      if (discovering_) throw sdbus::Error("org.bluez.Error.InProgress", "Operation already in progress");
      discovering_ = true;
      adapter_->emitPropertiesChangedSignal(kAdapter, {"Discovering"});
      if (!device_) makeDevice();
    });
    adapter_->registerMethod("StopDiscovery").onInterface(kAdapter).implementedAs([this] {
      if (!discovering_) throw sdbus::Error("org.bluez.Error.Failed", "No discovery started");
      discovering_ = false;
      adapter_->emitPropertiesChangedSignal(kAdapter, {"Discovering"});
    });
    adapter_->registerMethod("SetDiscoveryFilter").onInterface(kAdapter).implementedAs([](const Options&) {});
    adapter_->registerProperty("Address").onInterface(kAdapter).withGetter([] { return std::string("00:1A:7D:DA:71:13"); });
    adapter_->registerProperty("Powered").onInterface(kAdapter).withGetter([] { return true; });
    adapter_->registerProperty("Discovering").onInterface(kAdapter).withGetter([this] { return discovering_; });
    adapter_->finishRegistration();
  }

  void makeDevice() {
    device_ = sdbus::createObject(bus_, devicePath_);
    device_->registerMethod("Connect").onInterface(kDevice).implementedAs([this] {
      if (connected_) throw sdbus::Error("org.bluez.Error.AlreadyConnected", "Already Connected");
      connect();
    });
    device_->registerMethod("Disconnect").onInterface(kDevice).implementedAs([this] { disconnect("the engine disconnected"); });
    device_->registerProperty("Address").onInterface(kDevice).withGetter([this] { return config_.address; });
    device_->registerProperty("Name").onInterface(kDevice).withGetter([this] { return config_.name; });
    device_->registerProperty("Alias").onInterface(kDevice).withGetter([this] { return config_.name; });
    device_->registerProperty("UUIDs").onInterface(kDevice).withGetter([] {
      return std::vector<std::string>{uuid128(kFitnessMachineService), uuid128(kHeartRateService)};
    });
    device_->registerProperty("RSSI").onInterface(kDevice).withGetter([] { return int16_t(-58); });
    device_->registerProperty("Connected").onInterface(kDevice).withGetter([this] { return connected_; });
    device_->registerProperty("ServicesResolved").onInterface(kDevice).withGetter([this] { return connected_; });
    device_->registerProperty("Adapter").onInterface(kDevice).withGetter([] { return sdbus::ObjectPath("/org/bluez/hci0"); });
    device_->finishRegistration();
    device_->emitInterfacesAddedSignal();
  }

  void connect() {
    const std::string ftms = devicePath_ + "/service000a", hr = devicePath_ + "/service0020";
    services_.push_back(std::make_unique<GattService>(bus_, ftms, devicePath_, kFitnessMachineService));
    services_.push_back(std::make_unique<GattService>(bus_, hr, devicePath_, kHeartRateService));
    auto add = [&](const std::string& service, const char* name, uint16_t uuid, std::vector<std::string> flags, Bytes value) {
      chars_[uuid] = std::make_unique<Characteristic>(bus_, service + name, service, uuid, std::move(flags), std::move(value));
    };
    // Features: cadence, power measurement; targets: resistance, power (unless --no-erg), simulation.
    const uint32_t target = (1u << 2) | (config_.noErg ? 0u : (1u << 3)) | (1u << 13);
    add(ftms, "/char000b", kMachineFeature, {"read"},
        {0x02, 0x40, 0x00, 0x00, uint8_t(target), uint8_t(target >> 8), uint8_t(target >> 16), uint8_t(target >> 24)});
    add(ftms, "/char000d", kIndoorBikeData, {"notify"}, {});
    add(ftms, "/char0010", kResistanceRange, {"read"}, {0x00, 0x00, 0xe8, 0x03, 0x0a, 0x00});  // 0..100.0 step 1.0
    add(ftms, "/char0012", kPowerRange, {"read"}, {0x00, 0x00, 0xd0, 0x07, 0x01, 0x00});       // 0..2000 W step 1
    add(ftms, "/char0014", kControlPoint, {"write", "indicate"}, {});
    add(ftms, "/char0017", kMachineStatus, {"notify"}, {});
    add(hr, "/char0021", kHeartRateMeasurement, {"notify"}, {});
    chars_[kControlPoint]->onWrite = [this](const Bytes& v) { onControl(v); };
    connected_ = true;
    control_ = false;
    device_->emitPropertiesChangedSignal(kDevice, {"Connected", "ServicesResolved"});
    say("connected");
  }

  void disconnect(const char* why) {
    if (!connected_) return;
    connected_ = false;
    control_ = false;
    erg_ = 0;
    device_->emitPropertiesChangedSignal(kDevice, {"Connected", "ServicesResolved"});
    chars_.clear();
    services_.clear();
    say(std::string("disconnected: ") + why);
  }

  void status(Bytes b) {
    if (chars_.count(kMachineStatus)) chars_[kMachineStatus]->notify(b);
  }

  // The control point: every write logged, answered by an indication (or refused like BlueZ
  // refuses a write when indications are off).
  void onControl(const Bytes& v) {
    if (!chars_[kControlPoint]->notifying())
      throw sdbus::Error("org.bluez.Error.NotPermitted", "CCC descriptor improperly configured");
    requests_.push_back(hex(v));
    const uint8_t op = v.empty() ? 0xff : v[0];
    uint8_t result = 0x01;
    auto deny = denials_.find(op);
    if (v.empty()) {
      result = 0x03;
    } else if (deny != denials_.end() && deny->second.second > 0) {
      result = deny->second.first;
      --deny->second.second;
    } else if (op != 0x00 && !control_) {
      result = 0x05;
    } else {
      switch (op) {
        case 0x00: control_ = true; break;
        case 0x01: erg_ = 0, sim_ = Simulation{}, status({0x01}); break;
        case 0x07: status({0x04}); break;
        case 0x05:
          if (config_.noErg) { result = 0x02; break; }
          if (v.size() != 3) { result = 0x03; break; }
          erg_ = double(int16_t(v[1] | (v[2] << 8)));
          status({0x08, v[1], v[2]});
          break;
        case 0x11:
          if (!readSimulation(v, sim_)) { result = 0x03; break; }
          erg_ = 0;
          grades_.push_back(sim_.grade);
          status({0x12, v[1], v[2], v[3], v[4], v[5], v[6]});
          break;
        default: result = 0x02; break;
      }
    }
    char line[160];
    std::snprintf(line, sizeof line, "control point <- [%s] -> %s", hex(v).c_str(),
                  std::string(toString(ResultCode(result))).c_str());
    if (op == 0x11 && result == 0x01) {
      char more[64];
      std::snprintf(more, sizeof more, " (grade %.2f %%, Cw %.2f)", sim_.grade * 100, sim_.windResistanceKgPerM);
      std::strncat(line, more, sizeof line - std::strlen(line) - 1);
    }
    say(line);
    chars_[kControlPoint]->notify({0x80, op, result});
  }

  void makeHandle() {
    handle_ = sdbus::createObject(bus_, "/org/pavilion/fake");
    handle_->registerMethod("Drop").onInterface(kFake).implementedAs([this] { disconnect("dropped by the test"); });
    handle_->registerMethod("Notify").onInterface(kFake).implementedAs([this](uint16_t uuid, const Bytes& v) {
      if (!chars_.count(uuid)) throw sdbus::Error("org.pavilion.Error.NoSuchCharacteristic", "not connected, or no such characteristic");
      chars_[uuid]->notify(v, true);
    });
    handle_->registerMethod("SetRider").onInterface(kFake).implementedAs([this](double w) { rider_ = w; });
    handle_->registerMethod("Deny").onInterface(kFake).implementedAs([this](uint8_t op, uint8_t result, uint32_t n) {
      denials_[op] = {result, n};
    });
    handle_->registerMethod("Requests").onInterface(kFake).implementedAs([this] { return requests_; });
    handle_->registerMethod("Grades").onInterface(kFake).implementedAs([this] { return grades_; });
    handle_->registerMethod("Status").onInterface(kFake).implementedAs([this] {
      return sdbus::Struct<bool, double, double, double>{connected_, erg_, power_, sim_.grade};
    });
    handle_->finishRegistration();
  }

  // The speed at which `watts` holds the bike on the grade it was sent (bisection).
  double steadySpeedMs(double watts) const {
    const double m = 85, g = 9.81, theta = std::atan(sim_.grade);
    auto net = [&](double v) {
      return watts * 0.98 - (m * g * (std::sin(theta) + sim_.crr * std::cos(theta)) + sim_.windResistanceKgPerM * v * v) * v;
    };
    double lo = 0, hi = 30;
    if (net(hi) > 0) return hi;
    for (int i = 0; i < 50; ++i) (net((lo + hi) / 2) > 0 ? lo : hi) = (lo + hi) / 2;
    return lo;
  }

  void say(const std::string& line) { std::printf("fake-bluetoothd: %s\n", line.c_str()), std::fflush(stdout); }

  sdbus::IConnection& bus_;
  Config config_;
  std::string devicePath_;
  std::unique_ptr<sdbus::IObject> adapter_, device_, handle_;
  std::vector<std::unique_ptr<GattService>> services_;
  std::map<uint16_t, std::unique_ptr<Characteristic>> chars_;
  std::map<uint8_t, std::pair<uint8_t, uint32_t>> denials_;
  std::vector<std::string> requests_;
  std::vector<double> grades_;
  bool discovering_ = false, connected_ = false, control_ = false;
  Simulation sim_;
  double erg_ = 0, rider_ = 200, power_ = 0, lastData_ = -1, lastHeart_ = -1;

 public:
  void setRider(double w) { rider_ = w; }
};

double seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool more = i + 1 < argc;
    if (a == "--name" && more) config.name = argv[++i];
    else if (a == "--address" && more) config.address = argv[++i];
    else if (a == "--rider-watts" && more) config.riderWatts = std::atof(argv[++i]);
    else if (a == "--no-adapter") config.noAdapter = true;
    else if (a == "--no-erg") config.noErg = true;
    else {
      std::fprintf(stderr, "fake-bluetoothd: unknown argument '%s' (--name N --address A --rider-watts W --no-adapter --no-erg)\n",
                   a.c_str());
      return 2;
    }
  }
  std::signal(SIGTERM, [](int) { gStop = 1; });
  std::signal(SIGINT, [](int) { gStop = 1; });
  try {
    auto bus = sdbus::createSystemBusConnection("org.bluez");
    bus->addObjectManager("/", sdbus::floating_slot);
    FakeBluez bluez(*bus, config);
    bluez.setRider(config.riderWatts);
    std::printf("fake-bluetoothd: org.bluez on %s\n", std::getenv("DBUS_SYSTEM_BUS_ADDRESS") ? std::getenv("DBUS_SYSTEM_BUS_ADDRESS") : "the system bus");
    std::fflush(stdout);
    while (!gStop) {
      while (bus->processPendingRequest()) {
      }
      const auto data = bus->getEventLoopPollData();
      pollfd fd{data.fd, data.events, 0};
      ::poll(&fd, 1, 20);
      while (bus->processPendingRequest()) {
      }
      bluez.tick(seconds());
    }
  } catch (const sdbus::Error& e) {
    std::fprintf(stderr, "fake-bluetoothd: %s: %s\n", e.getName().c_str(), e.getMessage().c_str());
    return 1;
  }
  return 0;
}
