// The ENet transport: RAII owners for the library and a host, and the handshake every
// connection starts with. A station sends Hello {protocol version, title id}; the server
// answers Welcome or Refused {reason}, and a refused station can print why. Channels: 0
// unreliable (inputs, snapshots), 1 reliable (control, events).
//
// Time is never read here: callers pass the milliseconds they are willing to wait.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

struct _ENetHost;
struct _ENetPeer;

namespace pav::net {

constexpr uint32_t kProtocolVersion = 1;
constexpr uint8_t kChannelUnreliable = 0;
constexpr uint8_t kChannelReliable = 1;
constexpr int kChannels = 2;

// enet_initialize / enet_deinitialize, reference-counted: any number may exist.
class EnetLibrary {
 public:
  EnetLibrary();
  ~EnetLibrary();
  EnetLibrary(const EnetLibrary&) = delete;
  EnetLibrary& operator=(const EnetLibrary&) = delete;
};

// ---- The handshake, as messages on the reliable channel --------------------------------------

enum class MessageType : uint8_t { Hello = 1, Welcome = 2, Refused = 3 };

struct Hello {
  uint32_t protocol = kProtocolVersion;
  std::string title;  // at most 31 characters, [a-z0-9_-]
};
struct Refused {
  std::string reason;  // at most 200 characters
};

// Encode into `out` (returns bytes written, 0 if it does not fit); decode returns false for a
// malformed message of that type.
size_t encodeHello(const Hello& m, std::span<uint8_t> out);
bool decodeHello(std::span<const uint8_t> in, Hello& m);
size_t encodeWelcome(std::span<uint8_t> out);
size_t encodeRefused(const Refused& m, std::span<uint8_t> out);
bool decodeRefused(std::span<const uint8_t> in, Refused& m);
// The type of a message, or false for an empty or unknown one.
bool peekType(std::span<const uint8_t> in, MessageType& type);

// ---- A host ----------------------------------------------------------------------------------

struct HostEvent {
  enum class Kind { Connected, Disconnected, Received } kind;
  _ENetPeer* peer;
  uint8_t channel;
  std::span<const uint8_t> data;  // valid during the callback only
};

class Host {
 public:
  // A server on 127.0.0.1:`port` (0: any free port) for `maxPeers` stations, or a client
  // (maxPeers = 1, no port). Throws pav::Error with the reason when ENet cannot create it.
  static Host server(uint16_t port, int maxPeers);
  static Host client();
  ~Host();
  Host(Host&& other) noexcept;
  Host& operator=(Host&&) = delete;
  Host(const Host&) = delete;

  uint16_t port() const;
  // Starts connecting to host:port; the Connected event follows from poll().
  _ENetPeer* connect(const std::string& host, uint16_t port);
  // Waits up to `timeoutMs` for the first event, then drains what is queued, calling `on`.
  // Returns the number of events handled.
  int poll(uint32_t timeoutMs, const std::function<void(const HostEvent&)>& on);
  bool send(_ENetPeer* peer, uint8_t channel, std::span<const uint8_t> data, bool reliable);
  void disconnect(_ENetPeer* peer);
  void flush();
  // Datagrams that reached this host's socket, valid or not (ENet drops malformed ones).
  uint64_t datagramsReceived() const;

 private:
  explicit Host(_ENetHost* host);
  _ENetHost* host_;
};

}  // namespace pav::net
