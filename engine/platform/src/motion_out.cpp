// A motion seat's telemetry as Live for Speed's OutSim packets over UDP (motion_out.h).
//
// Index: [Target]  HOST:PORT
//        [Packet]  the object's motion on LFS's axes, OutSimPack's bytes
//        [Socket]  a non-blocking UDP socket, 60 packets a second of the state's time
#include "pav/platform/motion_out.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>

#include "pav/core/error.h"

namespace pav::platform {

// ---- [Target] -----------------------------------------------------------------------------

MotionTarget parseMotionTarget(const std::string& text) {
  const auto bad = [&](const char* why) {
    fail("--motion-out '%s': %s (expected HOST:PORT, e.g. 127.0.0.1:4123 or [::1]:4123)", text.c_str(), why);
  };
  std::string host, port;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos) bad("an IPv6 address without its ']'");
    host = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') bad("no ':PORT' after the address");
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos) bad("no ':PORT'");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) bad("an IPv6 address goes in brackets");
  }
  if (host.empty()) bad("no host");
  int value = 0;
  const auto r = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || r.ec != std::errc() || r.ptr != port.data() + port.size()) bad("the port is not a number");
  if (value < 1 || value > 65535) bad("the port is not in 1..65535");
  return {host, uint16_t(value)};
}

// ---- [Packet] -----------------------------------------------------------------------------

namespace {

// Engine axes (y up, +z forward, +x left) to LFS's (X right, Y forward, Z up).
glm::vec3 lfs(const glm::vec3& v) { return {-v.x, v.z, v.y}; }

template <class T>
void put(uint8_t*& at, T value) {
  static_assert(sizeof(T) == 4);
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  for (int i = 0; i < 4; ++i) *at++ = uint8_t(bits >> (8 * i));  // little-endian on every host
}

int32_t fixed(double metres) {
  return int32_t(std::clamp(std::llround(metres * 65536.0), (long long)INT32_MIN, (long long)INT32_MAX));
}

float finite(float v) { return std::isfinite(v) ? v : 0.0f; }

}  // namespace

MotionSample motionOf(const core::ObjectState& o, double seconds, const glm::vec3& velocityBefore, double dt) {
  MotionSample m;
  m.seconds = seconds;
  const float len = glm::length(o.orientation);
  const glm::quat q = len > 0 && std::isfinite(len) ? o.orientation / len : glm::quat(1, 0, 0, 0);
  const glm::vec3 f = lfs(q * glm::vec3(0, 0, 1));   // forward
  const glm::vec3 r = lfs(q * glm::vec3(-1, 0, 0));  // right
  const glm::vec3 u = lfs(q * glm::vec3(0, 1, 0));   // up
  m.heading = std::atan2(-f.x, f.y);
  m.pitch = std::asin(std::clamp(f.z, -1.0f, 1.0f));
  m.roll = std::atan2(-r.z, u.z);
  m.angularVelocity = lfs(o.angularVelocity);
  m.velocity = lfs(o.velocity);
  m.acceleration = dt > 0 ? lfs((o.velocity - velocityBefore) / float(dt)) : glm::vec3(0.0f);
  m.position = glm::dvec3(lfs(o.position));
  return m;
}

size_t encodeOutSim(const MotionSample& m, int id, std::array<uint8_t, kOutSimBytesWithId>& out) {
  uint8_t* at = out.data();
  const double ms = std::clamp(std::round(m.seconds * 1000.0), 0.0, 4294967295.0);
  put(at, uint32_t(ms));
  for (int i = 0; i < 3; ++i) put(at, finite(m.angularVelocity[i]));
  put(at, finite(m.heading)), put(at, finite(m.pitch)), put(at, finite(m.roll));
  for (int i = 0; i < 3; ++i) put(at, finite(m.acceleration[i]));
  for (int i = 0; i < 3; ++i) put(at, finite(m.velocity[i]));
  for (int i = 0; i < 3; ++i) put(at, fixed(std::isfinite(m.position[i]) ? m.position[i] : 0.0));
  if (id >= 0) put(at, int32_t(id));
  return size_t(at - out.data());
}

// ---- [Socket] -----------------------------------------------------------------------------

MotionOut::MotionOut(const MotionTarget& target, const MotionDesc& desc) : desc_(desc) {
  describe_ = (target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host) + ":" +
              std::to_string(target.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(target.port);
  if (const int e = getaddrinfo(target.host.c_str(), port.c_str(), &hints, &found); e != 0 || !found)
    fail("--motion-out %s: cannot resolve '%s': %s", describe_.c_str(), target.host.c_str(), gai_strerror(e));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(found, freeaddrinfo);
  fd_ = ::socket(found->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail("--motion-out %s: cannot make a UDP socket: %s", describe_.c_str(), std::strerror(errno));
  addressLength_ = uint32_t(std::min<size_t>(found->ai_addrlen, address_.size()));
  std::memcpy(address_.data(), found->ai_addr, addressLength_);
}

MotionOut::~MotionOut() {
  if (fd_ >= 0) ::close(fd_);
}

void MotionOut::offer(const core::ObjectState& object, double seconds) {
  if (last_ >= 0 && seconds >= last_ && seconds - last_ < 1.0 / kMotionHz - 1e-9) return;
  const bool continues = last_ >= 0 && seconds > last_ && seconds - last_ < 1.0;
  const MotionSample m = motionOf(object, seconds, lastVelocity_, continues ? seconds - last_ : 0.0);
  last_ = seconds;
  lastVelocity_ = object.velocity;
  std::array<uint8_t, kOutSimBytesWithId> packet;
  const size_t n = encodeOutSim(m, desc_.id, packet);
  const ssize_t r = ::sendto(fd_, packet.data(), n, MSG_DONTWAIT | MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(address_.data()), socklen_t(addressLength_));
  if (r == ssize_t(n)) ++sent_;
  else ++dropped_;  // full, unreachable (ECONNREFUSED from an earlier packet): the next one may go
}

}  // namespace pav::platform
