// ENet transport: library and host owners, and the handshake messages (through the same
// bit streams as everything else, so their reads are range-checked too).
#include "pav/net/transport.h"

#include <enet/enet.h>

#include <atomic>
#include <mutex>
#include <utility>

#include "pav/core/error.h"
#include "pav/net/bitstream.h"

namespace pav::net {
namespace {

std::mutex gLibraryMutex;
int gLibraryUsers = 0;

constexpr size_t kMaxTitle = 31;
constexpr size_t kMaxReason = 200;

// A short string: its length, then its bytes; a read longer than `maxLength` fails.
template <typename Stream>
bool serializeString(Stream& s, std::string& text, size_t maxLength) {
  uint32_t n = static_cast<uint32_t>(text.size());
  if (!serializeInt(s, n, 0, static_cast<int64_t>(maxLength))) return false;
  if constexpr (Stream::kReading) text.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t c = static_cast<unsigned char>(text[i]);
    if (!serializeBits(s, c, 8)) return false;
    if constexpr (Stream::kReading) text[i] = static_cast<char>(c);
  }
  return true;
}

bool validTitle(const std::string& t) {
  if (t.empty()) return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

template <typename Stream>
bool serializeType(Stream& s, MessageType& type) {
  uint32_t t = static_cast<uint32_t>(type);
  if (!serializeInt(s, t, 1, 3)) return false;
  type = static_cast<MessageType>(t);
  return true;
}

template <typename Fn>
size_t encode(std::span<uint8_t> out, Fn&& body) {
  BitWriter w(out);
  if (!body(w)) return 0;
  w.flush();
  return w.overflowed() ? 0 : w.bytes();
}

}  // namespace

EnetLibrary::EnetLibrary() {
  std::lock_guard lock(gLibraryMutex);
  if (gLibraryUsers++ == 0 && enet_initialize() != 0) {
    --gLibraryUsers;
    fail("cannot initialise ENet (enet_initialize failed)");
  }
}

EnetLibrary::~EnetLibrary() {
  std::lock_guard lock(gLibraryMutex);
  if (--gLibraryUsers == 0) enet_deinitialize();
}

// ---- Handshake messages ----------------------------------------------------------------------

size_t encodeHello(const Hello& m, std::span<uint8_t> out) {
  if (m.title.size() > kMaxTitle) return 0;
  Hello copy = m;
  return encode(out, [&](BitWriter& w) {
    MessageType t = MessageType::Hello;
    return serializeType(w, t) && serializeBits(w, copy.protocol, 32) && serializeString(w, copy.title, kMaxTitle);
  });
}

bool decodeHello(std::span<const uint8_t> in, Hello& m) {
  BitReader r(in);
  MessageType t{};
  return serializeType(r, t) && t == MessageType::Hello && serializeBits(r, m.protocol, 32) &&
         serializeString(r, m.title, kMaxTitle) && validTitle(m.title);
}

size_t encodeWelcome(std::span<uint8_t> out) {
  return encode(out, [](BitWriter& w) {
    MessageType t = MessageType::Welcome;
    return serializeType(w, t);
  });
}

size_t encodeRefused(const Refused& m, std::span<uint8_t> out) {
  Refused copy = m;
  if (copy.reason.size() > kMaxReason) copy.reason.resize(kMaxReason);
  return encode(out, [&](BitWriter& w) {
    MessageType t = MessageType::Refused;
    return serializeType(w, t) && serializeString(w, copy.reason, kMaxReason);
  });
}

bool decodeRefused(std::span<const uint8_t> in, Refused& m) {
  BitReader r(in);
  MessageType t{};
  return serializeType(r, t) && t == MessageType::Refused && serializeString(r, m.reason, kMaxReason);
}

bool peekType(std::span<const uint8_t> in, MessageType& type) {
  BitReader r(in);
  return serializeType(r, type);
}

// ---- Host ------------------------------------------------------------------------------------

Host::Host(_ENetHost* host) : host_(host) {}

Host::Host(Host&& other) noexcept : host_(std::exchange(other.host_, nullptr)) {}

Host::~Host() {
  if (host_) enet_host_destroy(host_);
}

Host Host::server(uint16_t port, int maxPeers) {
  ENetAddress address{};
  enet_address_set_host(&address, "127.0.0.1");
  address.port = port;
  ENetHost* h = enet_host_create(&address, static_cast<size_t>(maxPeers), kChannels, 0, 0);
  if (!h) fail("cannot listen on 127.0.0.1:%u (port in use?)", port);
  if (port == 0) enet_socket_get_address(h->socket, &h->address);  // the port the OS chose
  return Host(h);
}

Host Host::client() {
  ENetHost* h = enet_host_create(nullptr, 1, kChannels, 0, 0);
  if (!h) fail("cannot create an ENet client host");
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

int Host::poll(uint32_t timeoutMs, const std::function<void(const HostEvent&)>& on) {
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
  ENetPacket* packet = enet_packet_create(data.data(), data.size(), reliable ? ENET_PACKET_FLAG_RELIABLE : 0);
  if (!packet) return false;
  if (enet_peer_send(peer, channel, packet) != 0) {
    enet_packet_destroy(packet);
    return false;
  }
  return true;
}

void Host::disconnect(_ENetPeer* peer) { enet_peer_disconnect(peer, 0); }
void Host::flush() { enet_host_flush(host_); }
uint64_t Host::datagramsReceived() const { return host_->totalReceivedPackets; }

}  // namespace pav::net
