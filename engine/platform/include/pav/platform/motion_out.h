// pav::platform motion out: a motion seat's telemetry, sent as Live for Speed's OutSim
// packets over UDP (what SimTools- and FlyPT-style motion platforms read), from the seat's own
// object in the title's networked state (core::Title::ownObject): a car, a bike.
//
//   MotionOut motion(parseMotionTarget("192.168.1.20:4123"));  // throws pav::Error: bad HOST:PORT
//   each frame: motion.offer(state.objects[own], double(state.tick) * dt);   // the state's time
//
// 60 packets a second of the state's time at most (kMotionHz): offer() may be called every
// frame, as fast as it runs. Sending never blocks: the socket is non-blocking and a packet
// the system will not take now is dropped and counted.
//
// The packet (OutSimPack, little-endian, 64 bytes, 68 with an ID; LFS's InSim.txt):
//   unsigned Time            ms of the state's time
//   float AngVel[3]          rad/s, world axes
//   float Heading, Pitch, Roll  rad: heading anticlockwise from above, 0 facing +Y; pitch nose
//                            up; roll right side down
//   float Accel[3]           m/s^2, world axes: the change of Vel between packets
//   float Vel[3]             m/s, world axes
//   int   Pos[3]             1/65536 m, world axes
//   int   ID                 (optional) MotionDesc::id
// LFS's world axes: X east (right), Y north (forward), Z up. The engine's are y up with a
// title's forward along +z and its left along +x, so X = -x, Y = z, Z = y (a rotation, so
// the angular velocity maps the same way).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "pav/core/state.h"

namespace pav::platform {

constexpr double kMotionHz = 60.0;
constexpr size_t kOutSimBytes = 64, kOutSimBytesWithId = 68;

struct MotionTarget {
  std::string host;  // as given
  uint16_t port = 0;
};
// "HOST:PORT" (a name or an IPv4 address; "[v6]:PORT" for IPv6). Throws pav::Error with
// what is wrong and an example.
MotionTarget parseMotionTarget(const std::string& text);

struct MotionSample {
  double seconds = 0;
  glm::vec3 angularVelocity{0.0f};  // LFS axes
  float heading = 0, pitch = 0, roll = 0;
  glm::vec3 acceleration{0.0f}, velocity{0.0f};  // LFS axes
  glm::dvec3 position{0.0};                      // LFS axes, m
};
// An object's motion on LFS's axes; `accelerationFrom`: its velocity `dt` seconds earlier.
MotionSample motionOf(const core::ObjectState& o, double seconds, const glm::vec3& velocityBefore, double dt);
// The OutSimPack bytes (kOutSimBytes, or kOutSimBytesWithId with an id >= 0).
size_t encodeOutSim(const MotionSample& m, int id, std::array<uint8_t, kOutSimBytesWithId>& out);

struct MotionDesc {
  int id = -1;  // OutSim's ID field (LFS's OutSim ID option); < 0: the 64-byte packet
};

// The UDP sender. Resolves the target once, at construction (throws pav::Error naming the
// target when it cannot be resolved or the socket cannot be made).
class MotionOut {
 public:
  explicit MotionOut(const MotionTarget& target, const MotionDesc& desc = {});
  ~MotionOut();
  MotionOut(const MotionOut&) = delete;
  MotionOut& operator=(const MotionOut&) = delete;

  // The seat's object at the state's time `seconds`: a packet when 1/kMotionHz has passed
  // since the last one (time going back, a new session: starts again).
  void offer(const core::ObjectState& object, double seconds);
  uint64_t sent() const { return sent_; }
  uint64_t dropped() const { return dropped_; }
  const std::string& describe() const { return describe_; }  // "192.168.1.20:4123"

 private:
  int fd_ = -1;
  MotionDesc desc_;
  std::array<uint8_t, 128> address_{};  // sockaddr_storage's bytes
  uint32_t addressLength_ = 0;
  std::string describe_;
  double last_ = -1;
  glm::vec3 lastVelocity_{0.0f};
  uint64_t sent_ = 0, dropped_ = 0;
};

}  // namespace pav::platform
