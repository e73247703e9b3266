// Network conditioner: the profile parser, then the proxy.
//
// Index
//   [SECTION] Profiles     the named profiles, the key=value parser, the --help line
//   [SECTION] Sockets      loopback addresses and non-blocking ENet sockets
//   [SECTION] State        the slot pool, the due-time heap, the station table, the counters
//   [SECTION] Loop         wait, read both sides, decide each datagram's fate, deliver what is due
//   [SECTION] Owner        NetConditioner: start, stop, snapshot
//
// Everything the loop needs is made before the thread starts: the slot pool and the heap are
// vectors whose capacity is never exceeded (every queued datagram owns a slot), so the loop
// itself never allocates.
#include "pav/net/conditioner.h"

#include <enet/enet.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "pav/core/error.h"
#include "pav/net/transport.h"

namespace pav::net {
namespace {

// ---- [SECTION] Profiles ----------------------------------------------------------------------

struct NamedProfile {
  std::string_view name;
  NetProfile profile;
  std::string_view description;
};

// The numbers and where they come from: net/PROTOCOL.md, "Network conditioner".
constexpr std::array<NamedProfile, 7> kProfiles{{
    {"none", {}, "nothing applied"},
    {"lan", {0.5, 0.2, 0, 0, 0}, "0.5 ms +/- 0.2 ms"},
    {"5g", {10, 5, 0.01, 0, 0}, "10 ms +/- 5 ms, 1 % loss"},
    {"bad", {50, 25, 0.05, 0.05, 0}, "50 ms +/- 25 ms, 5 % loss, 5 % duplicates"},
    {"5g-good",
     {.latencyMs = 12, .jitterMs = 4, .loss = 0.001, .downKbps = 50000, .upKbps = 10000, .queueMs = 100,
      .burstEnter = 0.002, .burstLeave = 0.5, .burstLoss = 0.3, .outageMs = 50, .outagePeriodMs = 60000},
     "50/10 Mbps, 12 +/- 4 ms, 0.1 % loss, short bursts, a 50 ms handover every 60 s"},
    {"5g-edge",
     {.latencyMs = 30, .jitterMs = 15, .loss = 0.002, .downKbps = 2000, .upKbps = 500, .queueMs = 150,
      .burstEnter = 0.01, .burstLeave = 0.25, .burstLoss = 0.5, .outageMs = 300, .outagePeriodMs = 20000},
     "2/0.5 Mbps, 30 +/- 15 ms, burst loss, a 300 ms handover every 20 s"},
    {"wifi-busy",
     {.latencyMs = 15, .jitterMs = 10, .loss = 0.01, .downKbps = 8000, .upKbps = 8000, .queueMs = 80,
      .burstEnter = 0.02, .burstLeave = 0.3, .burstLoss = 0.4},
     "8/8 Mbps, 15 +/- 10 ms, 1 % loss, contention bursts"},
}};
constexpr std::array<std::string_view, kProfiles.size()> kProfileNames{"none",    "lan",     "5g",       "bad",
                                                                       "5g-good", "5g-edge", "wifi-busy"};

constexpr std::string_view kKeyList =
    "keys: latency, jitter, queue, outage, period (ms); loss, dup, reorder, burst_enter, burst_leave, "
    "burst_loss (percent); down, up (kbps)";

constexpr std::string_view kAccepted =
    "accepted: none, lan, 5g, bad, 5g-good, 5g-edge, wifi-busy, or key=value pairs such as "
    "latency=20,jitter=5,loss=2,dup=1,down=2000,outage=300,period=20000 (keys: latency, jitter, queue, "
    "outage, period in ms; loss, dup, reorder, burst_enter, burst_leave, burst_loss in percent; down, up "
    "in kbps), optionally after a name as in bad,loss=0";

// The custom form's keys: where each goes, its unit and its range.
struct ProfileKey {
  std::string_view name;
  std::string_view unit;  // may be written after the number
  std::string_view unitWords;
  double max;
  double NetProfile::*field;
  double scale;  // from what is written to the field's unit
};

constexpr std::array<ProfileKey, 13> kKeys{{
    {"latency", "ms", "ms", 10000, &NetProfile::latencyMs, 1},
    {"jitter", "ms", "ms", 10000, &NetProfile::jitterMs, 1},
    {"loss", "%", "percent", 100, &NetProfile::loss, 0.01},
    {"dup", "%", "percent", 100, &NetProfile::duplicate, 0.01},
    {"reorder", "%", "percent", 100, &NetProfile::reorder, 0.01},
    {"down", "kbps", "kbps", 10000000, &NetProfile::downKbps, 1},
    {"up", "kbps", "kbps", 10000000, &NetProfile::upKbps, 1},
    {"queue", "ms", "ms", 10000, &NetProfile::queueMs, 1},
    {"burst_enter", "%", "percent", 100, &NetProfile::burstEnter, 0.01},
    {"burst_leave", "%", "percent", 100, &NetProfile::burstLeave, 0.01},
    {"burst_loss", "%", "percent", 100, &NetProfile::burstLoss, 0.01},
    {"outage", "ms", "ms", 60000, &NetProfile::outageMs, 1},
    {"period", "ms", "ms", 3600000, &NetProfile::outagePeriodMs, 1},
}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Joins pieces into one message (appending only: GCC 12 warns, wrongly, about prepending).
std::string cat(std::initializer_list<std::string_view> pieces) {
  std::string s;
  for (std::string_view p : pieces) s += p;
  return s;
}

std::string quoted(std::string_view s) { return cat({"\"", s, "\""}); }

const NamedProfile* findProfile(std::string_view name) {
  for (const NamedProfile& p : kProfiles)
    if (p.name == name) return &p;
  return nullptr;
}

// Reads one "key=value" item into `p`; on failure says why in `why`.
bool parsePair(std::string_view key, std::string_view value, NetProfile& p, unsigned& seen, std::string& why) {
  const ProfileKey* k = nullptr;
  for (const ProfileKey& candidate : kKeys)
    if (candidate.name == key) k = &candidate;
  if (!k) {
    why = cat({"unknown key ", quoted(key), " (", kKeyList, ")"});
    return false;
  }
  const unsigned bit = 1u << (k - kKeys.data());
  if (seen & bit) {
    why = cat({quoted(key), " is given twice"});
    return false;
  }
  seen |= bit;
  double v = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  const std::string_view unit = trim(value.substr(static_cast<size_t>(end - value.data())));
  if (value.empty() || ec != std::errc() || (!unit.empty() && unit != k->unit)) {
    why = cat({k->name, " needs a number of ", k->unitWords, ", got ", quoted(value)});
    return false;
  }
  if (!std::isfinite(v) || v < 0 || v > k->max) {
    why = cat({k->name, " must be 0..", std::to_string(static_cast<int>(k->max)), " ", k->unitWords, ", got ",
               quoted(value)});
    return false;
  }
  p.*(k->field) = v * k->scale;
  return true;
}

// What no link can do, though each value is in its range; empty when the profile is possible.
std::string impossible(const NetProfile& p) {
  if (p.outageMs > 0 && p.outagePeriodMs <= p.outageMs)
    return "an outage needs a period longer than itself (outage=300,period=20000)";
  if (p.outageMs <= 0 && p.outagePeriodMs > 0) return "a period needs an outage length (outage=300,period=20000)";
  if (p.burstEnter > 0 && p.burstLeave <= 0) return "bursts entered but never left (burst_leave must be over 0)";
  // The model queues for at least 1 ms (clamped() below): a shorter limit would not be the one asked for.
  if ((p.downKbps > 0 || p.upKbps > 0) && p.queueMs < 1) return "a bandwidth limit needs a queue of 1 ms or more";
  return {};
}

// Values a caller could have set by hand, brought into range (NaN becomes zero; an impossible
// outage or burst is turned off).
NetProfile clamped(const NetProfile& p) {
  const auto clamp = [](double v, double hi) { return std::isfinite(v) ? std::clamp(v, 0.0, hi) : 0.0; };
  NetProfile c{clamp(p.latencyMs, 60000), clamp(p.jitterMs, 60000), clamp(p.loss, 1), clamp(p.duplicate, 1),
               clamp(p.reorder, 1)};
  c.downKbps = clamp(p.downKbps, 1e7);
  c.upKbps = clamp(p.upKbps, 1e7);
  c.queueMs = std::isfinite(p.queueMs) ? std::clamp(p.queueMs, 1.0, 60000.0) : 200;
  c.burstEnter = clamp(p.burstEnter, 1);
  c.burstLeave = clamp(p.burstLeave, 1);
  c.burstLoss = clamp(p.burstLoss, 1);
  c.outageMs = clamp(p.outageMs, 60000);
  c.outagePeriodMs = clamp(p.outagePeriodMs, 3.6e6);
  if (c.outagePeriodMs <= c.outageMs) c.outageMs = c.outagePeriodMs = 0;
  if (c.burstLeave <= 0) c.burstEnter = 0;
  return c;
}

// ---- [SECTION] Sockets -----------------------------------------------------------------------

using Clock = std::chrono::steady_clock;

constexpr int kSocketBufferBytes = 1 << 20;  // the kernel may grant less; bursts need room
constexpr int kReadsPerPass = 256;           // per socket, so one busy station cannot starve the rest
constexpr double kReorderHoldMs = 10;        // plus 2 x jitter, for the profile's `reorder`

ENetAddress loopback(uint16_t port) {
  ENetAddress a{};
  a.host = ENET_HOST_TO_NET_32(0x7F000001u);  // 127.0.0.1
  a.port = port;
  return a;
}

bool sameAddress(const ENetAddress& a, const ENetAddress& b) { return a.host == b.host && a.port == b.port; }

// A non-blocking datagram socket bound to 127.0.0.1:`port`, or ENET_SOCKET_NULL.
ENetSocket openSocket(uint16_t port) {
  ENetSocket s = enet_socket_create(ENET_SOCKET_TYPE_DATAGRAM);
  if (s == ENET_SOCKET_NULL) return s;
  const ENetAddress address = loopback(port);
  bool ok = enet_socket_bind(s, &address) == 0 && enet_socket_set_option(s, ENET_SOCKOPT_NONBLOCK, 1) == 0;
#ifndef _WIN32
  ok = ok && s < FD_SETSIZE;  // select() cannot watch it otherwise
#endif
  if (!ok) {
    enet_socket_destroy(s);
    return ENET_SOCKET_NULL;
  }
  enet_socket_set_option(s, ENET_SOCKOPT_RCVBUF, kSocketBufferBytes);
  enet_socket_set_option(s, ENET_SOCKOPT_SNDBUF, kSocketBufferBytes);
  return s;
}

// ---- [SECTION] State -------------------------------------------------------------------------

enum class Direction : uint8_t { ToServer, ToClient };

struct Client {
  ENetSocket socket = ENET_SOCKET_NULL;  // towards the server; NULL: a free entry
  ENetAddress address{};                 // the station's
  Clock::time_point lastSeen{};
  uint32_t inFlight = 0;  // its queued datagrams, both ways: the entry is not reused before zero
};

struct Pending {
  Clock::time_point due;
  uint64_t order;  // equal due times go out in arrival order
  uint16_t slot;
  uint8_t client;
  Direction direction;
};

// std heaps put the greatest first; the greatest here is the earliest due.
bool dueLater(const Pending& a, const Pending& b) { return a.due != b.due ? a.due > b.due : a.order > b.order; }

}  // namespace

struct NetConditioner::State {
  EnetLibrary enet;  // first: outlives every socket below
  ENetSocket front = ENET_SOCKET_NULL;
  ENetAddress target{};
  uint16_t frontPort = 0;

  // Owned by the thread once it runs.
  std::array<Client, kMaxClients> clients{};
  std::vector<uint8_t> bytes = std::vector<uint8_t>(size_t{kPoolSlots} * kMaxDatagram);
  std::array<uint16_t, kPoolSlots> sizes{};
  std::vector<uint16_t> freeSlots;  // a stack of free slot indices
  std::vector<Pending> queue;       // a heap by due time, capacity kPoolSlots
  std::array<uint8_t, kMaxDatagram> scratch{};  // where a datagram with no slot is read to
  std::mt19937_64 rng;
  uint64_t seed;
  uint64_t order = 0;
  NetProfile profile;
  LinkModel up, down;  // station -> server, server -> station
  Clock::time_point started = Clock::now();
  NetConditionerStats local;

  // Shared with the owner's thread.
  mutable std::mutex mutex;
  NetConditionerStats published;
  NetProfile nextProfile;
  bool profileChanged = false;
  std::atomic<bool> stop{false};
  std::thread thread;  // started last, joined by ~NetConditioner

  State(uint16_t targetPort, const NetProfile& p, uint64_t seed)
      : target(loopback(targetPort)), rng(seed), seed(seed), profile(clamped(p)) {
    makeLinks();
    freeSlots.reserve(kPoolSlots);
    for (int i = kPoolSlots - 1; i >= 0; --i) freeSlots.push_back(static_cast<uint16_t>(i));
    queue.reserve(kPoolSlots);
  }
  ~State() {
    for (Client& c : clients)
      if (c.socket != ENET_SOCKET_NULL) enet_socket_destroy(c.socket);
    if (front != ENET_SOCKET_NULL) enet_socket_destroy(front);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  uint8_t* slotData(int slot) { return bytes.data() + static_cast<size_t>(slot) * kMaxDatagram; }
  int takeSlot() {
    if (freeSlots.empty()) return -1;
    const int slot = freeSlots.back();
    freeSlots.pop_back();
    return slot;
  }
  void releaseSlot(int slot) { freeSlots.push_back(static_cast<uint16_t>(slot)); }
  void makeLinks() {
    up = makeLinkModel(profile, false, seed ^ 0x5550u);
    down = makeLinkModel(profile, true, seed ^ 0xD0D0u);
  }
  double msSinceStart(Clock::time_point t) const {
    return std::chrono::duration<double, std::milli>(t - started).count();
  }
  ConditionerStats& counters(Direction d) { return d == Direction::ToServer ? local.toServer : local.toClient; }
  // Uniform in [0, 1), the same on every standard library (unlike uniform_real_distribution).
  double unit() { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

  void run();
  bool wait(ENetSocketSet& readable);
  void readStations(Clock::time_point now);
  void readServer(int client, Clock::time_point now);
  int clientFor(const ENetAddress& from, Clock::time_point now);
  void admit(int slot, int size, int client, Direction d, Clock::time_point now);
  void schedule(int slot, int client, Direction d, Clock::time_point departs);
  void deliverDue(Clock::time_point now);
  void forgetIdleClients(Clock::time_point now);
  void sync();
};

// ---- [SECTION] Loop --------------------------------------------------------------------------

void NetConditioner::State::run() {
  Clock::time_point lastSweep = Clock::now();
  while (!stop.load(std::memory_order_relaxed)) {
    ENetSocketSet readable;
    const bool any = wait(readable);
    const Clock::time_point now = Clock::now();
    if (any && ENET_SOCKETSET_CHECK(readable, front)) readStations(now);
    for (int i = 0; i < kMaxClients; ++i)
      if (any && clients[i].socket != ENET_SOCKET_NULL && ENET_SOCKETSET_CHECK(readable, clients[i].socket))
        readServer(i, now);
    deliverDue(Clock::now());
    if (now - lastSweep > std::chrono::seconds(1)) {
      forgetIdleClients(now);
      lastSweep = now;
    }
    sync();
  }
}

// Waits up to a millisecond for a readable socket, less when a delivery is already due.
// Returns whether `readable` says which sockets to read.
bool NetConditioner::State::wait(ENetSocketSet& readable) {
  ENET_SOCKETSET_EMPTY(readable);
  ENET_SOCKETSET_ADD(readable, front);
  ENetSocket highest = front;
  for (const Client& c : clients) {
    if (c.socket == ENET_SOCKET_NULL) continue;
    ENET_SOCKETSET_ADD(readable, c.socket);
    highest = std::max(highest, c.socket);
  }
  const uint32_t timeoutMs = !queue.empty() && queue.front().due <= Clock::now() ? 0 : 1;
  return enet_socketset_select(highest, &readable, nullptr, timeoutMs) > 0;
}

void NetConditioner::State::readStations(Clock::time_point now) {
  for (int i = 0; i < kReadsPerPass; ++i) {
    const int slot = takeSlot();
    ENetBuffer buffer{slot >= 0 ? slotData(slot) : scratch.data(), kMaxDatagram};
    ENetAddress from{};
    const int n = enet_socket_receive(front, &from, &buffer, 1);
    if (n <= 0) {  // 0: nothing more; -1: an error or an oversized datagram, already consumed
      if (slot >= 0) releaseSlot(slot);
      if (n == 0) return;
      continue;
    }
    ++local.toServer.received;
    const int client = clientFor(from, now);
    if (slot < 0 || client < 0) {
      ++local.toServer.overflow;
      if (slot >= 0) releaseSlot(slot);
      continue;
    }
    clients[client].lastSeen = now;
    admit(slot, n, client, Direction::ToServer, now);
  }
}

void NetConditioner::State::readServer(int client, Clock::time_point now) {
  for (int i = 0; i < kReadsPerPass; ++i) {
    const int slot = takeSlot();
    ENetBuffer buffer{slot >= 0 ? slotData(slot) : scratch.data(), kMaxDatagram};
    ENetAddress from{};
    const int n = enet_socket_receive(clients[client].socket, &from, &buffer, 1);
    const bool fromServer = n > 0 && sameAddress(from, target);  // anyone else is not carried
    if (!fromServer) {
      if (slot >= 0) releaseSlot(slot);
      if (n == 0) return;
      continue;
    }
    ++local.toClient.received;
    if (slot < 0) {
      ++local.toClient.overflow;
      continue;
    }
    admit(slot, n, client, Direction::ToClient, now);
  }
}

// The station table entry for `from`, opened on its first datagram; -1 when the table is full.
int NetConditioner::State::clientFor(const ENetAddress& from, Clock::time_point now) {
  int unused = -1;
  for (int i = 0; i < kMaxClients; ++i) {
    if (clients[i].socket == ENET_SOCKET_NULL) {
      if (unused < 0) unused = i;
    } else if (sameAddress(clients[i].address, from)) {
      return i;
    }
  }
  if (unused < 0) return -1;
  const ENetSocket s = openSocket(0);
  if (s == ENET_SOCKET_NULL) return -1;
  clients[unused] = {s, from, now, 0};
  ++local.clients;
  return unused;
}

// One datagram's fate: lost, or queued with its delay, and perhaps queued twice.
void NetConditioner::State::admit(int slot, int size, int client, Direction d, Clock::time_point now) {
  ConditionerStats& count = counters(d);
  sizes[slot] = static_cast<uint16_t>(size);
  const double nowMs = msSinceStart(now);
  const LinkFate fate = (d == Direction::ToServer ? up : down).admit(nowMs, size);
  if (fate.kind != LinkFate::Kind::Sent) {
    ++count.dropped;
    ++(fate.kind == LinkFate::Kind::Outage      ? count.outageLost
       : fate.kind == LinkFate::Kind::BurstLost ? count.burstLost
                                                : count.queueLost);
    releaseSlot(slot);
    return;
  }
  count.maxQueueMs = std::max(count.maxQueueMs, fate.departMs - nowMs);
  const Clock::time_point departs =
      now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(fate.departMs - nowMs));
  schedule(slot, client, d, departs);
  if (unit() < profile.duplicate) {
    ++count.duplicated;
    const int copy = takeSlot();
    if (copy < 0) {
      ++count.overflow;
      return;
    }
    std::memcpy(slotData(copy), slotData(slot), static_cast<size_t>(size));
    sizes[copy] = static_cast<uint16_t>(size);
    schedule(copy, client, d, departs);
  }
}

void NetConditioner::State::schedule(int slot, int client, Direction d, Clock::time_point departs) {
  double ms = profile.latencyMs + (2 * unit() - 1) * profile.jitterMs;
  if (unit() < profile.reorder) ms += 2 * profile.jitterMs + kReorderHoldMs;
  const auto delay = std::chrono::duration<double, std::milli>(std::max(ms, 0.0));
  const Clock::time_point due = departs + std::chrono::duration_cast<Clock::duration>(delay);
  queue.push_back({due, order++, static_cast<uint16_t>(slot), static_cast<uint8_t>(client), d});
  std::push_heap(queue.begin(), queue.end(), dueLater);
  ++clients[client].inFlight;
}

void NetConditioner::State::deliverDue(Clock::time_point now) {
  while (!queue.empty() && queue.front().due <= now) {
    std::pop_heap(queue.begin(), queue.end(), dueLater);
    const Pending p = queue.back();
    queue.pop_back();
    Client& c = clients[p.client];
    ENetBuffer buffer{slotData(p.slot), sizes[p.slot]};
    const int sent = p.direction == Direction::ToServer ? enet_socket_send(c.socket, &target, &buffer, 1)
                                                        : enet_socket_send(front, &c.address, &buffer, 1);
    ++(sent > 0 ? counters(p.direction).forwarded : counters(p.direction).overflow);
    if (sent > 0) counters(p.direction).bytesForwarded += sizes[p.slot];
    releaseSlot(p.slot);
    --c.inFlight;
  }
}

// Stations come and go (a demo's headset restarts on a new port); a silent one's entry is freed
// once nothing of its is in flight.
void NetConditioner::State::forgetIdleClients(Clock::time_point now) {
  for (Client& c : clients) {
    if (c.socket == ENET_SOCKET_NULL || c.inFlight > 0 || now - c.lastSeen < std::chrono::seconds(kClientIdleSeconds))
      continue;
    enet_socket_destroy(c.socket);
    c = Client{};
    --local.clients;
  }
}

// Publishes the counters and picks up a new profile, once per pass.
void NetConditioner::State::sync() {
  local.inFlight = static_cast<uint32_t>(queue.size());
  std::lock_guard lock(mutex);
  published = local;
  if (profileChanged) {
    profile = nextProfile;
    profileChanged = false;
    makeLinks();
  }
}

// ---- [SECTION] Owner -------------------------------------------------------------------------

NetConditioner::NetConditioner(uint16_t targetPort, const NetProfile& profile, uint64_t seed, uint16_t frontPort)
    : state_(std::make_unique<State>(targetPort, profile, seed)) {
  state_->front = openSocket(frontPort);
  if (state_->front == ENET_SOCKET_NULL)
    fail("cannot open the network conditioner on 127.0.0.1:%u (port in use?)", frontPort);
  ENetAddress bound{};
  if (enet_socket_get_address(state_->front, &bound) != 0) fail("cannot read the network conditioner's port");
  state_->frontPort = bound.port;
  State* s = state_.get();  // stable: the thread never sees the owner, which may move
  s->thread = std::thread([s] { s->run(); });
}

NetConditioner::~NetConditioner() {
  if (!state_) return;  // moved from
  state_->stop.store(true, std::memory_order_relaxed);
  if (state_->thread.joinable()) state_->thread.join();
}

NetConditioner::NetConditioner(NetConditioner&& other) noexcept = default;

uint16_t NetConditioner::port() const { return state_->frontPort; }

NetConditionerStats NetConditioner::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->published;
}

void NetConditioner::setProfile(const NetProfile& profile) {
  std::lock_guard lock(state_->mutex);
  state_->nextProfile = clamped(profile);
  state_->profileChanged = true;
}

// ---- Profiles (public) -----------------------------------------------------------------------

bool parseNetProfile(std::string_view text, NetProfile& out, std::string& error) {
  const auto refuse = [&](const std::string& why) {
    error = cat({"network profile ", quoted(text), ": ", why, "; ", kAccepted});
    return false;
  };
  if (trim(text).empty()) return refuse("empty");
  NetProfile p;
  unsigned seen = 0;
  std::string_view rest = text;
  for (bool first = true;; first = false) {
    const size_t comma = rest.find(',');
    const std::string_view item = trim(rest.substr(0, comma));
    const size_t eq = item.find('=');
    if (item.empty()) return refuse("an empty item between commas");
    if (eq == std::string_view::npos) {
      if (!first) return refuse(cat({quoted(item), " is not key=value (a name may only come first)"}));
      const NamedProfile* named = findProfile(item);
      if (!named) return refuse(cat({"unknown name ", quoted(item)}));
      p = named->profile;
    } else {
      std::string why;
      if (!parsePair(trim(item.substr(0, eq)), trim(item.substr(eq + 1)), p, seen, why)) return refuse(why);
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (const std::string why = impossible(p); !why.empty()) return refuse(why);
  out = p;
  error.clear();
  return true;
}

std::span<const std::string_view> netProfileNames() { return kProfileNames; }

std::string netProfileHelp() {
  std::string help;
  for (const NamedProfile& p : kProfiles)
    help += cat({p.name, " (", p.description, "), "});
  help += "or latency=MS,jitter=MS,loss=PCT,dup=PCT,reorder=PCT,down=KBPS,up=KBPS,queue=MS,burst_enter=PCT,"
          "burst_leave=PCT,burst_loss=PCT,outage=MS,period=MS, optionally after a name (5g-edge,outage=0)";
  return help;
}

LinkModel makeLinkModel(const NetProfile& profile, bool towardsStation, uint64_t seed) {
  const NetProfile p = clamped(profile);
  return LinkModel({towardsStation ? p.downKbps : p.upKbps, p.queueMs},
                   {p.burstEnter, p.burstLeave, p.loss, p.burstLoss}, {p.outageMs, p.outagePeriodMs}, seed);
}

}  // namespace pav::net
