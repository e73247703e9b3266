// The ENet transport: RAII owners for the library and a host. Channels: 0 unreliable
// (inputs, snapshots), 1 reliable (handshake, control, events); the messages are in
// protocol.h. Also parseHostPort, the "HOST:PORT" every command line takes (no ENet needed).
//
// Time is never read here: callers pass the milliseconds they are willing to wait.
#pragma once

#include <cstdint>
#include <type_traits>
#include <span>
#include <string>
#include <string_view>

struct _ENetHost;
struct _ENetPeer;

namespace pav::net {

constexpr uint8_t kChannelUnreliable = 0;
constexpr uint8_t kChannelReliable = 1;
constexpr int kChannels = 2;
// What one peer may make a host hold (ENet's defaults are 32 MiB each): a packet is at most
// kMaxHostPacketBytes (a control message's 64 KiB body and its envelope; the session's own
// are under 1.2 KB), and a peer's packets waiting to be read or reassembled at most
// kMaxPeerWaitingBytes (ENet refuses more once it is reached, so at most that plus one packet).
constexpr size_t kMaxHostPacketBytes = 72 * 1024;
constexpr size_t kMaxPeerWaitingBytes = 128 * 1024;

// QoS marking (DSCP, RFC 2474): the session's traffic asks for Expedited Forwarding (46, RFC
// 3246), which Wi-Fi WMM puts in its voice queue and a 5G core can map to a low-latency QoS flow
// (3GPP TS 23.501, 5QI 3 "real-time gaming"); the pavilion's control channel asks for AF21
// (18), a lower class. One ENet host has one socket, so a host's packets share one mark: the
// session's reliable handshake and events go with its game traffic. -1: leave the socket alone.
constexpr int kDscpGame = 46;     // EF
constexpr int kDscpControl = 18;  // AF21
constexpr int kDscpOff = -1;

// "HOST:PORT" as an operator types it (127.0.0.1:7700, director.local:7700): the host is what
// comes before the last colon (never empty), the port 1..65535 in at most five digits. False,
// with `host` and `port` untouched, for anything else; the caller says what it wanted.
bool parseHostPort(std::string_view text, std::string& host, uint16_t& port);

// enet_initialize / enet_deinitialize, reference-counted: any number may exist. ENet's
// allocations go to a pool that recycles blocks by size, so a running session's sends and
// receives do not reach the system heap.
class EnetLibrary {
 public:
  EnetLibrary();
  ~EnetLibrary();
  // Blocks the pool has taken from the system heap so far (all threads): flat once warm.
  static uint64_t heapAllocations();
  // Bytes ENet holds from the system heap now (the pool's blocks and larger ones in use), and
  // the most it ever held: what a hostile peer could make a host hold shows here.
  static uint64_t heapBytes();
  static uint64_t heapBytesPeak();
  EnetLibrary(const EnetLibrary&) = delete;
  EnetLibrary& operator=(const EnetLibrary&) = delete;
};

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
  // (maxPeers = 1, no port). Both take kChannels channels and the limits above. Throws pav::Error with the reason when ENet cannot create it.
  // `bind` is the address to listen on ("0.0.0.0" for a pavilion LAN).
  static Host server(uint16_t port, int maxPeers, const std::string& bind = "127.0.0.1");
  static Host client();
  ~Host();
  Host(Host&& other) noexcept;
  Host& operator=(Host&&) = delete;
  Host(const Host&) = delete;

  uint16_t port() const;
  // Marks every datagram this host sends with `dscp` (0..63; kDscpOff does nothing). A socket
  // option the system refuses turns marking off for this host with one warning line, and
  // returns false; the traffic flows unmarked. Also false for a value outside 0..63.
  bool markDscp(int dscp);
  // The DSCP the socket carries now, read back from the system; -1 when it cannot be read.
  int dscp() const;
  // Starts connecting to host:port; the Connected event follows from poll().
  _ENetPeer* connect(const std::string& host, uint16_t port);
  // Waits up to `timeoutMs` for the first event, then drains what is queued, calling `on`.
  // Returns the number of events handled.
  // `on` is any callable taking const HostEvent& (no std::function: nothing is allocated).
  template <typename F>
  int poll(uint32_t timeoutMs, F&& on) {
    using Fn = std::remove_reference_t<F>;
    return pollRaw(timeoutMs, [](void* c, const HostEvent& e) { (*static_cast<Fn*>(c))(e); }, &on);
  }
  // A peer's link as ENet measures it (round trip from its acknowledgements).
  struct LinkInfo {
    uint32_t rttMs = 0, rttVarianceMs = 0;
    float loss = 0;  // packets lost, 0..1 (ENet's running estimate)
  };
  static LinkInfo link(const _ENetPeer* peer);
  // Dead-peer detection: a peer silent for `timeoutMs` is disconnected (ENet's defaults take 5
  // to 30 s); pings every `pingMs` keep an idle link measured.
  static void setTimeouts(_ENetPeer* peer, uint32_t timeoutMs, uint32_t pingMs);
  // The peer's address as text, "127.0.0.1:51234" (for logs).
  static std::string address(const _ENetPeer* peer);
  // The peer's IPv4 address alone (network order): which machine it is, to count its connections.
  static uint32_t machine(const _ENetPeer* peer);
  static void setUserData(_ENetPeer* peer, void* data);
  static void* userData(const _ENetPeer* peer);
  // Drops the peer at once, without telling it (what a crash looks like to the other side).
  void reset(_ENetPeer* peer);
  bool send(_ENetPeer* peer, uint8_t channel, std::span<const uint8_t> data, bool reliable);
  void disconnect(_ENetPeer* peer);
  // Disconnects once the packets queued for the peer are sent (a refusal's reason).
  void disconnectLater(_ENetPeer* peer);
  void flush();
  // Datagrams that reached this host's socket, valid or not (ENet drops malformed ones).
  uint64_t datagramsReceived() const;
  // Their bytes (UDP payloads: ENet's headers included, IP and UDP headers not).
  uint64_t bytesReceived() const;

 private:
  explicit Host(_ENetHost* host);
  int pollRaw(uint32_t timeoutMs, void (*call)(void*, const HostEvent&), void* context);
  _ENetHost* host_;
};

}  // namespace pav::net
