// The link model: what a cellular or busy Wi-Fi link does to one direction of traffic, as plain
// arithmetic on a clock the caller passes in. The network conditioner (conditioner.h) runs one
// per direction on the wall clock; tests run it on their own clock, so its statistics can be
// asserted exactly and never depend on the machine's load.
//
//   LinkModel down(LinkDirection{.kbps = 2000, .queueMs = 150}, burst, outage, /*seed*/ 7);
//   const LinkFate f = down.admit(nowMs, bytes);   // per datagram, in arrival order
//   if (f.kind == LinkFate::Kind::Sent) deliverAt(f.departMs + latency);
//
// Three effects, applied in this order to each datagram:
//   outage     scheduled handovers: the link is dead for `lengthMs` every `periodMs`, the first
//              starting at `periodMs` (the link starts up); what arrives then is lost;
//   burst loss the Gilbert-Elliott two-state model, stepped once per datagram: from Good to Bad
//              with probability `enter`, back with `leave`; lost with probability `goodLoss` in
//              Good and `badLoss` in Bad. The mean burst is 1 / leave datagrams, and the long-run
//              loss is goodLoss + (badLoss - goodLoss) * enter / (enter + leave);
//   bandwidth  a token bucket of `kbps` (0: unlimited) holding up to kBucketBytes, with a FIFO
//              queue in front: a datagram leaves when the bucket holds its size, so a queue
//              builds up and its depth becomes delay; a datagram that would wait longer than
//              `queueMs` is dropped (a router's tail drop).
// Decisions come from a seeded std::mt19937_64, read the same way on every standard library.
// No allocation: a LinkModel is a few numbers.
#pragma once

#include <cstdint>
#include <random>

namespace pav::net {

struct LinkDirection {
  double kbps = 0;       // bandwidth, kilobits per second; 0: unlimited
  double queueMs = 200;  // the longest a datagram may wait in the queue before it is dropped
};

struct BurstLoss {
  double enter = 0;     // per datagram, Good -> Bad, 0..1
  double leave = 1;     // per datagram, Bad -> Good, 0..1 (0 with enter > 0 is refused: a link that never recovers)
  double goodLoss = 0;  // loss in Good, 0..1
  double badLoss = 0;   // loss in Bad, 0..1
};

struct Outages {
  double lengthMs = 0;  // 0: none
  double periodMs = 0;  // one every this long; must be longer than lengthMs
};

struct LinkFate {
  enum class Kind : uint8_t { Sent, Outage, BurstLost, QueueFull } kind = Kind::Sent;
  double departMs = 0;  // Sent: when it leaves the queue (arrival + queueing delay)
};

class LinkModel {
 public:
  static constexpr double kBucketBytes = 3000;  // two full datagrams may go at once (line rate)

  LinkModel() : LinkModel({}, {}, {}, 1) {}
  LinkModel(const LinkDirection& direction, const BurstLoss& burst, const Outages& outages, uint64_t seed);

  // Whether the link is inside a scheduled outage at `ms`.
  bool inOutage(double ms) const;
  // The fate of a datagram of `bytes` arriving at `nowMs` (non-decreasing between calls).
  LinkFate admit(double nowMs, int bytes);
  // The queueing delay a datagram arriving at `nowMs` would see now, ms.
  double queueDelayMs(double nowMs) const;
  bool inBadState() const { return bad_; }

  // Uniform in [0, 1): the same sequence on every standard library.
  double unit() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

 private:
  LinkDirection direction_;
  BurstLoss burst_;
  Outages outages_;
  std::mt19937_64 rng_;
  bool bad_ = false;
  double tokens_ = kBucketBytes;  // the bucket's content at tokenMs_
  double tokenMs_ = -1e300;       // the last departure (the queue's tail)
};

}  // namespace pav::net
