// The BlueZ side of the trainer link (private to pav_trainer): the object tree as BlueZ's
// ObjectManager gives it, and a pump that dispatches a connection's signals for a while.
#pragma once

#include <sdbus-c++/sdbus-c++.h>

#include <atomic>
#include <map>
#include <string>
#include <vector>

namespace pav::trainer::bluez {

inline constexpr const char* kService = "org.bluez";
inline constexpr const char* kAdapter = "org.bluez.Adapter1";
inline constexpr const char* kDevice = "org.bluez.Device1";
inline constexpr const char* kGattService = "org.bluez.GattService1";
inline constexpr const char* kGattChar = "org.bluez.GattCharacteristic1";
inline constexpr const char* kProperties = "org.freedesktop.DBus.Properties";
inline constexpr const char* kObjectManager = "org.freedesktop.DBus.ObjectManager";

using Properties = std::map<std::string, sdbus::Variant>;
using Objects = std::map<sdbus::ObjectPath, std::map<std::string, Properties>>;

// GetManagedObjects on org.bluez's "/". Throws sdbus::Error.
Objects managedObjects(sdbus::IConnection& bus);
// The first adapter's path, or "".
std::string firstAdapter(const Objects& objects);

// A property's value, or `fallback` when absent or of another type.
template <typename T>
T property(const Properties& props, const std::string& name, T fallback) {
  const auto it = props.find(name);
  if (it == props.end()) return fallback;
  try {
    return it->second.get<T>();
  } catch (const sdbus::Error&) {
    return fallback;
  }
}

// Dispatches the connection's incoming messages (signal handlers run here, on the caller's
// thread) for `seconds`, or until `stop` or `until()` holds.
template <typename Until>
void pump(sdbus::IConnection& bus, double seconds, const std::atomic<bool>& stop, Until until);
void pump(sdbus::IConnection& bus, double seconds, const std::atomic<bool>& stop);
// One round: whatever is waiting, then a wait of at most `waitSeconds` for more.
void pumpOnce(sdbus::IConnection& bus, double waitSeconds);

// The time on the link's clock (steady, seconds).
double now();

template <typename Until>
void pump(sdbus::IConnection& bus, double seconds, const std::atomic<bool>& stop, Until until) {
  const double end = now() + seconds;
  while (!stop && !until()) {
    const double left = end - now();
    if (left <= 0) return;
    pumpOnce(bus, left < 0.05 ? left : 0.05);
  }
}

}  // namespace pav::trainer::bluez
