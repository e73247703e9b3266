// The ENet transport over real loopback hosts: the handshake's messages, HOST:PORT parsing, a
// station welcomed, a station of another protocol version or title refused with a reason it can
// print, and a server that shrugs off garbage datagrams.
#include <gtest/gtest.h>

#include <enet/enet.h>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "pav/core/log.h"
#include "pav/net/protocol.h"
#include "pav/net/transport.h"

namespace pav::net {
namespace {

TEST(Handshake, MessagesRoundTripAndBadOnesAreRefused) {
  std::array<uint8_t, 256> buf{};
  const size_t n = encodeHello({kProtocolVersion, "hockey"}, buf);
  ASSERT_GT(n, 0u);
  Hello hello;
  ASSERT_TRUE(decodeHello(std::span<const uint8_t>(buf.data(), n), hello));
  EXPECT_EQ(hello.protocol, kProtocolVersion);
  EXPECT_EQ(hello.title, "hockey");
  MessageType type{};
  ASSERT_TRUE(peekType(std::span<const uint8_t>(buf.data(), n), type));
  EXPECT_EQ(type, MessageType::Hello);

  Refused refused;
  EXPECT_FALSE(decodeRefused(std::span<const uint8_t>(buf.data(), n), refused)) << "a Hello is not a Refused";
  EXPECT_EQ(encodeHello({kProtocolVersion, std::string(40, 'x')}, buf), 0u) << "title too long";
  const size_t bad = encodeHello({kProtocolVersion, "Hockey!"}, buf);
  ASSERT_GT(bad, 0u);
  EXPECT_FALSE(decodeHello(std::span<const uint8_t>(buf.data(), bad), hello)) << "not a title id";
  for (size_t cut = 0; cut < n; ++cut)
    EXPECT_FALSE(decodeHello(std::span<const uint8_t>(buf.data(), cut), hello)) << "cut to " << cut;
}

TEST(Address, HostPortIsParsedAndBadOnesAreRefused) {
  std::string host = "unchanged";
  uint16_t port = 1;
  ASSERT_TRUE(parseHostPort("127.0.0.1:7700", host, port));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 7700);
  ASSERT_TRUE(parseHostPort("director.local:65535", host, port));
  EXPECT_EQ(host, "director.local");
  EXPECT_EQ(port, 65535);
  ASSERT_TRUE(parseHostPort("::1:9", host, port)) << "the last colon splits";
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 9);
  host = "unchanged", port = 1;
  for (const char* bad : {"", "7700", ":7700", "host:", "host:0", "host:65536", "host:123456", "host:77a0",
                          "host:-1", "host: 7700", "host:+7700"}) {
    EXPECT_FALSE(parseHostPort(bad, host, port)) << "'" << bad << "'";
    EXPECT_EQ(host, "unchanged") << "'" << bad << "'";
    EXPECT_EQ(port, 1) << "'" << bad << "'";
  }
}

// A tiny server that runs the handshake for one title and protocol.
struct Server {
  EnetLibrary enet;
  Host host = Host::server(0, 8);
  int welcomed = 0, refused = 0, malformed = 0;
  void serve(uint32_t ms) {
    host.poll(ms, [&](const HostEvent& e) {
      if (e.kind != HostEvent::Kind::Received) return;
      Hello hello;
      std::array<uint8_t, 256> out{};
      if (!decodeHello(e.data, hello)) {
        ++malformed;
        return;
      }
      std::string reason;
      if (hello.protocol != kProtocolVersion)
        reason = "protocol " + std::to_string(hello.protocol) + ", server speaks " + std::to_string(kProtocolVersion);
      else if (hello.title != "hockey")
        reason = "this session plays hockey, not " + hello.title;
      const size_t n = reason.empty() ? encodeWelcome(Welcome{.title = "hockey"}, out) : encodeRefused({reason}, out);
      host.send(e.peer, kChannelReliable, std::span<const uint8_t>(out.data(), n), true);
      ++(reason.empty() ? welcomed : refused);
    });
  }
};

// Connects, says hello, returns the server's answer (Welcome, or the refusal's reason).
std::optional<std::string> handshake(Server& server, const Hello& hello) {
  Host client = Host::client();
  _ENetPeer* peer = client.connect("127.0.0.1", server.host.port());
  std::optional<std::string> answer;
  bool sent = false;
  for (int i = 0; i < 400 && !answer; ++i) {
    server.serve(1);
    client.poll(1, [&](const HostEvent& e) {
      if (e.kind == HostEvent::Kind::Connected && !sent) {
        std::array<uint8_t, 256> buf{};
        const size_t n = encodeHello(hello, buf);
        client.send(peer, kChannelReliable, std::span<const uint8_t>(buf.data(), n), true);
        sent = true;
      } else if (e.kind == HostEvent::Kind::Received) {
        MessageType type{};
        Refused refused;
        if (peekType(e.data, type) && type == MessageType::Welcome) answer = "welcome";
        else if (decodeRefused(e.data, refused)) answer = refused.reason;
      }
    });
  }
  return answer;
}

TEST(Transport, AStationIsWelcomedOverLoopback) {
  Server server;
  EXPECT_NE(server.host.port(), 0);
  EXPECT_EQ(handshake(server, {kProtocolVersion, "hockey"}), std::optional<std::string>("welcome"));
  EXPECT_EQ(server.welcomed, 1);
}

TEST(Transport, OtherVersionsAndTitlesAreRefusedWithAReason) {
  Server server;
  const auto version = handshake(server, {kProtocolVersion + 1, "hockey"});
  ASSERT_TRUE(version.has_value());
  EXPECT_NE(version->find("protocol " + std::to_string(kProtocolVersion + 1) + ", server speaks " + std::to_string(kProtocolVersion)),
            std::string::npos)
      << *version;
  const auto title = handshake(server, {kProtocolVersion, "driving"});
  ASSERT_TRUE(title.has_value());
  EXPECT_NE(title->find("not driving"), std::string::npos) << *title;
  EXPECT_EQ(server.refused, 2);
}

TEST(Transport, GarbageDatagramsDoNotDisturbTheServer) {
  Server server;
  // Raw UDP junk at the server's port, as a broken or hostile machine on the LAN would send.
  ENetSocket sock = enet_socket_create(ENET_SOCKET_TYPE_DATAGRAM);
  ASSERT_NE(sock, ENET_SOCKET_NULL);
  ENetAddress to{};
  enet_address_set_host(&to, "127.0.0.1");
  to.port = server.host.port();
  std::mt19937 rng(9);
  std::array<uint8_t, 512> junk{};
  for (int i = 0; i < 500; ++i) {
    for (auto& b : junk) b = static_cast<uint8_t>(rng());
    ENetBuffer buffer{junk.data(), 1 + rng() % junk.size()};
    enet_socket_send(sock, &to, &buffer, 1);
    if (i % 50 == 0) server.serve(1);
  }
  enet_socket_destroy(sock);
  for (int i = 0; i < 20; ++i) server.serve(1);
  EXPECT_GT(server.host.datagramsReceived(), 0u) << "the junk must have reached the server";
  EXPECT_EQ(server.welcomed + server.refused, 0);
  // And the server still does its job.
  EXPECT_EQ(handshake(server, {kProtocolVersion, "hockey"}), std::optional<std::string>("welcome"));
}

// A hostile peer with ENet's own 32 MiB limits sends a flood of 60 KiB packets and packets of
// 1 MiB: the server's host refuses the big ones at their first fragment and never holds more
// than its per-peer bound (before the limits, each 1 MiB packet was reassembled in full). The
// attacker is another process, so the ENet pool's peak here is the server's alone.
TEST(Transport, AHostilePeerCannotMakeAHostHoldMoreThanItsBound) {
  EnetLibrary enet;
  Host server = Host::server(0, 4);
  const uint16_t port = server.port();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // the attacker: ENet's defaults, 4 x 1 MiB and 64 x 60 KiB, for 3 s
    ENetHost* attacker = enet_host_create(nullptr, 1, 2, 0, 0);
    ENetAddress to{};
    enet_address_set_host(&to, "127.0.0.1");
    to.port = port;
    ENetPeer* peer = attacker ? enet_host_connect(attacker, &to, 2, 0) : nullptr;
    std::vector<uint8_t> big(1 << 20, 0xab), medium(60 * 1024, 0xcd);
    bool sent = false;
    ENetEvent ev;
    for (int i = 0; peer && i < 3000; ++i) {
      while (enet_host_service(attacker, &ev, 1) > 0)
        if (ev.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(ev.packet);
      if (!sent && peer->state == ENET_PEER_STATE_CONNECTED) {
        sent = true;
        for (int k = 0; k < 64; ++k)
          enet_peer_send(peer, uint8_t(k % 2), enet_packet_create(medium.data(), medium.size(), ENET_PACKET_FLAG_RELIABLE));
        for (int k = 0; k < 4; ++k) enet_peer_send(peer, uint8_t(k % 2), enet_packet_create(big.data(), big.size(), ENET_PACKET_FLAG_RELIABLE));
      }
    }
    _exit(sent ? 0 : 3);
  }
  _ENetPeer* seen = nullptr;
  size_t biggest = 0, waitingPeak = 0;
  int received = 0;
  const uint64_t before = EnetLibrary::heapBytesPeak();
  int status = 0;
  for (int i = 0; i < 20000 && waitpid(child, &status, WNOHANG) == 0; ++i) {
    server.poll(1, [&](const HostEvent& e) {
      if (e.kind == HostEvent::Kind::Connected) seen = e.peer;
      if (e.kind == HostEvent::Kind::Received) biggest = std::max(biggest, e.data.size()), ++received;
    });
    if (seen) waitingPeak = std::max(waitingPeak, seen->totalWaitingData);
  }
  if (waitpid(child, &status, WNOHANG) == 0) kill(child, SIGKILL), waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the attacker never connected";
  const uint64_t grew = EnetLibrary::heapBytesPeak() - before;
  EXPECT_GT(received, 0) << "packets within the limit still arrive";
  EXPECT_LE(biggest, size_t(60 * 1024)) << "no packet above the limit was delivered";
  EXPECT_LE(waitingPeak, kMaxPeerWaitingBytes + kMaxHostPacketBytes);
  EXPECT_LT(grew, uint64_t(512 * 1024)) << "the pool's peak grew by " << grew << " bytes";
  RecordProperty("pool_peak_growth_bytes", std::to_string(grew));
  RecordProperty("peer_waiting_peak_bytes", std::to_string(waitingPeak));
}

// ---- QoS marking -----------------------------------------------------------------------------

// The TOS byte of the next datagram that reaches `fd` (IP_RECVTOS), or -1 within `ms`.
int tosOfNextDatagram(int fd, int ms) {
  for (int waited = 0; waited < ms; waited += 5) {
    uint8_t data[2048];
    iovec io{data, sizeof data};
    alignas(cmsghdr) uint8_t control[64];
    msghdr m{};
    m.msg_iov = &io;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    if (recvmsg(fd, &m, MSG_DONTWAIT) > 0) {
      for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) return *CMSG_DATA(c);
      return -2;  // arrived without its TOS
    }
    usleep(5000);
  }
  return -1;
}

TEST(Qos, HostsMarkTheirDatagramsAndReadTheMarkBack) {
  EnetLibrary enet;
  Host game = Host::client();
  EXPECT_EQ(game.dscp(), 0) << "unmarked until asked";
  EXPECT_TRUE(game.markDscp(kDscpGame));
  EXPECT_EQ(game.dscp(), 46) << "EF, read back with getsockopt";
  Host control = Host::server(0, 2);
  EXPECT_TRUE(control.markDscp(kDscpControl));
  EXPECT_EQ(control.dscp(), 18) << "AF21";
  EXPECT_TRUE(control.markDscp(kDscpOff)) << "off leaves the socket as it is";
  EXPECT_EQ(control.dscp(), 18);

  // What goes on the wire carries the mark: a plain UDP socket reads the TOS byte of ENet's
  // connect request.
  const int sink = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(sink, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(sink, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ASSERT_EQ(getsockname(sink, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const int on = 1;
  ASSERT_EQ(setsockopt(sink, IPPROTO_IP, IP_RECVTOS, &on, sizeof on), 0);
  game.connect("127.0.0.1", ntohs(a.sin_port));
  game.flush();
  EXPECT_EQ(tosOfNextDatagram(sink, 5000), 46 << 2) << "DSCP EF in the TOS byte";
  close(sink);
}

TEST(Qos, AnImpossibleMarkIsRefusedWithOneLineAndTrafficFlowsUnmarked) {
  EnetLibrary enet;
  struct Lines {
    std::vector<std::string> text;
  } lines;
  log::setSink([](log::Level, const char* line, void* user) { static_cast<Lines*>(user)->text.push_back(line); },
               &lines);
  Host host = Host::client();
  EXPECT_FALSE(host.markDscp(64));
  EXPECT_FALSE(host.markDscp(-7));
  log::setSink(nullptr, nullptr);
  EXPECT_EQ(host.dscp(), 0) << "left unmarked";
  ASSERT_EQ(lines.text.size(), 2u);
  EXPECT_NE(lines.text[0].find("DSCP 64 is outside 0..63; traffic goes unmarked"), std::string::npos) << lines.text[0];
}

}  // namespace
}  // namespace pav::net
