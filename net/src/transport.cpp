// ENet transport: the library and host owners, and parseHostPort.
#include "pav/net/transport.h"

#include <enet/enet.h>
#ifndef _WIN32
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>
#endif

#include <atomic>
#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <mutex>
#include <utility>

#include "pav/core/error.h"
#include "pav/core/log.h"
#include "pav/net/bitstream.h"

namespace pav::net {
namespace {

std::mutex gLibraryMutex;
int gLibraryUsers = 0;

// ENet allocates a packet (and often its data) for every send and receive. Its allocator
// callbacks come here: blocks are recycled by size class, so once a session has warmed up
// no send or receive reaches the system heap. Blocks are never returned to the system; the
// pool's size is the peak ENet ever needed. Thread-safe: hosts may live on several threads.
class EnetPool {
 public:
  static constexpr int kClasses = 12;       // 64 B .. 128 KiB; larger goes straight to malloc
  static constexpr size_t kHeader = 16;     // keeps the block 16-byte aligned
  static constexpr uint8_t kDirect = 0xff;

  void* allocate(size_t size) {
    int c = 0;
    while (c < kClasses && (size_t(64) << c) < size) ++c;
    void* block = nullptr;
    if (c < kClasses) {
      std::lock_guard lock(mutex_[c]);
      if (free_[c]) {
        block = free_[c];
        free_[c] = link(block);
      }
    }
    if (!block) {
      heapAllocations_.fetch_add(1, std::memory_order_relaxed);
      const size_t bytes = kHeader + (c < kClasses ? size_t(64) << c : size);
      block = std::malloc(bytes);
      if (!block) return nullptr;
      if (c == kClasses) *reinterpret_cast<uint64_t*>(static_cast<uint8_t*>(block) + 8) = bytes;
      const uint64_t now = heapBytes_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
      uint64_t peak = peak_.load(std::memory_order_relaxed);
      while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
      }
      *static_cast<uint8_t*>(block) = c < kClasses ? uint8_t(c) : kDirect;
    }
    return static_cast<uint8_t*>(block) + kHeader;
  }

  void release(void* p) {
    if (!p) return;
    void* block = static_cast<uint8_t*>(p) - kHeader;
    const uint8_t c = *static_cast<uint8_t*>(block);
    if (c == kDirect) {
      heapBytes_.fetch_sub(*reinterpret_cast<uint64_t*>(static_cast<uint8_t*>(block) + 8), std::memory_order_relaxed);
      return std::free(block);
    }
    std::lock_guard lock(mutex_[c]);
    link(block) = free_[c];
    free_[c] = block;
  }

  uint64_t heapAllocations() const { return heapAllocations_.load(std::memory_order_relaxed); }
  uint64_t heapBytes() const { return heapBytes_.load(std::memory_order_relaxed); }
  uint64_t heapBytesPeak() const { return peak_.load(std::memory_order_relaxed); }

 private:
  // Header: byte 0 the size class; bytes 8..15 the free list's link while the block is free.
  static void*& link(void* block) { return *reinterpret_cast<void**>(static_cast<uint8_t*>(block) + 8); }

  std::mutex mutex_[kClasses];
  void* free_[kClasses] = {};
  std::atomic<uint64_t> heapAllocations_{0};
  std::atomic<uint64_t> heapBytes_{0}, peak_{0};
};

void limit(ENetHost* h) {
  h->maximumPacketSize = kMaxHostPacketBytes;
  h->maximumWaitingData = kMaxPeerWaitingBytes;
}

EnetPool& pool() {
  static EnetPool* p = new EnetPool;  // outlives every host, including static ones
  return *p;
}

}  // namespace

EnetLibrary::EnetLibrary() {
  std::lock_guard lock(gLibraryMutex);
  static const ENetCallbacks callbacks{[](size_t n) { return pool().allocate(n); },
                                       [](void* p) { pool().release(p); }, [] { std::abort(); }};
  if (gLibraryUsers++ == 0 && enet_initialize_with_callbacks(ENET_VERSION, &callbacks) != 0) {
    --gLibraryUsers;
    fail("cannot initialise ENet (enet_initialize failed)");
  }
}

EnetLibrary::~EnetLibrary() {
  std::lock_guard lock(gLibraryMutex);
  if (--gLibraryUsers == 0) enet_deinitialize();
}

// ---- Host ------------------------------------------------------------------------------------

Host::Host(_ENetHost* host) : host_(host) {}

Host::Host(Host&& other) noexcept : host_(std::exchange(other.host_, nullptr)) {}

Host::~Host() {
  if (host_) enet_host_destroy(host_);
}

Host Host::server(uint16_t port, int maxPeers, const std::string& bind) {
  ENetAddress address{};
  if (enet_address_set_host(&address, bind.c_str()) != 0) fail("cannot resolve the address '%s' to listen on", bind.c_str());
  address.port = port;
  ENetHost* h = enet_host_create(&address, static_cast<size_t>(maxPeers), kChannels, 0, 0);
  if (!h) fail("cannot listen on %s:%u (port in use?)", bind.c_str(), port);
  if (port == 0) enet_socket_get_address(h->socket, &h->address);  // the port the OS chose
  limit(h);
  return Host(h);
}

Host Host::client() {
  ENetHost* h = enet_host_create(nullptr, 1, kChannels, 0, 0);
  if (!h) fail("cannot create an ENet client host");
  limit(h);
  return Host(h);
}

uint16_t Host::port() const { return host_->address.port; }

_ENetPeer* Host::connect(const std::string& host, uint16_t port) {
  ENetAddress address{};
  if (enet_address_set_host(&address, host.c_str()) != 0) fail("cannot resolve '%s'", host.c_str());
  address.port = port;
  ENetPeer* peer = enet_host_connect(host_, &address, kChannels, 0);
  if (!peer) fail("no free peer slot to connect to %s:%u", host.c_str(), port);
  return peer;
}

int Host::pollRaw(uint32_t timeoutMs, void (*call)(void*, const HostEvent&), void* context) {
  const auto on = [&](const HostEvent& e) { call(context, e); };
  int handled = 0;
  ENetEvent e;
  int r = enet_host_service(host_, &e, timeoutMs);
  while (r > 0) {
    ++handled;
    switch (e.type) {
      case ENET_EVENT_TYPE_CONNECT: on({HostEvent::Kind::Connected, e.peer, 0, {}}); break;
      case ENET_EVENT_TYPE_DISCONNECT: on({HostEvent::Kind::Disconnected, e.peer, 0, {}}); break;
      case ENET_EVENT_TYPE_RECEIVE:
        on({HostEvent::Kind::Received, e.peer, e.channelID,
            std::span<const uint8_t>(e.packet->data, e.packet->dataLength)});
        enet_packet_destroy(e.packet);
        break;
      default: break;
    }
    r = enet_host_check_events(host_, &e);
  }
  return handled;
}

bool Host::send(_ENetPeer* peer, uint8_t channel, std::span<const uint8_t> data, bool reliable) {
  ENetPacket* packet = enet_packet_create(data.data(), data.size(), reliable ? ENET_PACKET_FLAG_RELIABLE : ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT);
  if (!packet) return false;
  if (enet_peer_send(peer, channel, packet) != 0) {
    enet_packet_destroy(packet);
    return false;
  }
  return true;
}

void Host::disconnect(_ENetPeer* peer) { enet_peer_disconnect(peer, 0); }
void Host::reset(_ENetPeer* peer) { enet_peer_reset(peer); }
void Host::disconnectLater(_ENetPeer* peer) { enet_peer_disconnect_later(peer, 0); }

Host::LinkInfo Host::link(const _ENetPeer* peer) {
  return {peer->roundTripTime, peer->roundTripTimeVariance, float(peer->packetLoss) / float(ENET_PEER_PACKET_LOSS_SCALE)};
}

void Host::setTimeouts(_ENetPeer* peer, uint32_t timeoutMs, uint32_t pingMs) {
  // ENet disconnects when an unacknowledged reliable packet is older than the minimum and its
  // retry limit is used up, or when it is older than the maximum, whichever comes first.
  enet_peer_timeout(peer, 8, timeoutMs / 2, timeoutMs);
  enet_peer_ping_interval(peer, pingMs);
}

uint64_t EnetLibrary::heapAllocations() { return pool().heapAllocations(); }
uint64_t EnetLibrary::heapBytes() { return pool().heapBytes(); }
uint64_t EnetLibrary::heapBytesPeak() { return pool().heapBytesPeak(); }

std::string Host::address(const _ENetPeer* peer) {
  char text[64] = "?";
  enet_address_get_host_ip(&peer->address, text, sizeof text);
  return std::string(text) + ":" + std::to_string(peer->address.port);
}

uint32_t Host::machine(const _ENetPeer* peer) { return peer->address.host; }

void Host::setUserData(_ENetPeer* peer, void* data) { peer->data = data; }
void* Host::userData(const _ENetPeer* peer) { return peer->data; }
void Host::flush() { enet_host_flush(host_); }

uint64_t Host::datagramsReceived() const { return host_->totalReceivedPackets; }
uint64_t Host::bytesReceived() const { return host_->totalReceivedData; }

bool Host::markDscp(int dscp) {
  if (dscp == kDscpOff) return true;
  if (dscp < 0 || dscp > 63) {
    PAV_WARN("net: DSCP %d is outside 0..63; traffic goes unmarked", dscp);
    return false;
  }
#ifndef _WIN32
  const int tos = dscp << 2;  // the low two bits are ECN's
  if (setsockopt(host_->socket, IPPROTO_IP, IP_TOS, &tos, sizeof tos) == 0) return true;
  PAV_WARN("net: the system refused DSCP %d marking (%s); traffic goes unmarked", dscp, std::strerror(errno));
#else
  PAV_WARN("net: DSCP marking is not supported here; traffic goes unmarked");
#endif
  return false;
}

int Host::dscp() const {
#ifndef _WIN32
  int tos = 0;
  socklen_t size = sizeof tos;
  if (getsockopt(host_->socket, IPPROTO_IP, IP_TOS, &tos, &size) != 0) return -1;
  return (tos & 0xff) >> 2;
#else
  return -1;
#endif
}

bool parseHostPort(std::string_view text, std::string& host, uint16_t& port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string_view::npos)
    return false;
  unsigned long p = 0;
  for (char c : digits) p = p * 10 + unsigned(c - '0');
  if (p == 0 || p > 65535) return false;
  host.assign(text.substr(0, colon));
  port = static_cast<uint16_t>(p);
  return true;
}

}  // namespace pav::net
