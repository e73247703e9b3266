// The BlueZ object tree and the link's pump (see bluez.h).
#include "bluez.h"

#include <poll.h>

#include <chrono>

namespace pav::trainer::bluez {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Objects managedObjects(sdbus::IConnection& bus) {
  auto root = sdbus::createProxy(bus, kService, "/");
  Objects objects;
  root->callMethod("GetManagedObjects").onInterface(kObjectManager).withTimeout(std::chrono::seconds(5)).storeResultsTo(objects);
  return objects;
}

std::string firstAdapter(const Objects& objects) {
  for (const auto& [path, interfaces] : objects)
    if (interfaces.count(kAdapter)) return path;
  return {};
}

void pumpOnce(sdbus::IConnection& bus, double waitSeconds) {
  while (bus.processPendingRequest()) {
  }
  const sdbus::IConnection::PollData data = bus.getEventLoopPollData();
  int waitMs = int(waitSeconds * 1000);
  if (data.timeout_usec != UINT64_MAX) {
    // An absolute CLOCK_MONOTONIC time (sd-bus's next timer): wake for it.
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    const uint64_t nowUs = uint64_t(ts.tv_sec) * 1000000u + uint64_t(ts.tv_nsec) / 1000u;
    const uint64_t dueMs = data.timeout_usec > nowUs ? (data.timeout_usec - nowUs + 999) / 1000 : 0;
    if (dueMs < uint64_t(waitMs)) waitMs = int(dueMs);
  }
  pollfd fd{data.fd, data.events, 0};
  ::poll(&fd, 1, waitMs);
  while (bus.processPendingRequest()) {
  }
}

void pump(sdbus::IConnection& bus, double seconds, const std::atomic<bool>& stop) {
  pump(bus, seconds, stop, [] { return false; });
}

}  // namespace pav::trainer::bluez
