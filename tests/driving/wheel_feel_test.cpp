// What a seat at a real wheel feels and what a motion seat is told, from the driving title's
// real physics: the force model (the front tyres' self-aligning torque from btRaycastVehicle,
// a centring spring, a damper), a kerb and a collision played through ForceFeedback on SDL's
// virtual wheel (whose rumble callback records what the driver receives), and the car's
// motion as Live for Speed OutSim packets over loopback UDP, decoded here by the packet's
// published layout.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "pav/driving/driving.h"
#include "pav/platform/force_feedback.h"
#include "pav/platform/motion_out.h"
#include "pav/platform/platform.h"
#include "pav/render/presenter.h"
#include "virtual_wheel.h"

namespace pav::driving {
namespace {

struct Race {
  DrivingTitle title;
  std::unique_ptr<render::Presenter> presenter;
  core::StateFrame frame, before;
  explicit Race(int players) {
    title.setup({.players = players, .seed = 1, .skill = 1, .dataDir = PAV_TEST_ASSET_DIR});
    presenter = makeDrivingPresenter(title, 0);
    frame = core::captureNew(title);
    before = frame;
  }
  // One tick with car 0 on `in` (the others parked), and what the seat feels of it.
  render::Cues tick(const core::InputFrame& in) {
    std::vector<core::InputFrame> inputs(size_t(title.players()));
    inputs[0] = in;
    before = frame;
    title.step(inputs);
    title.capture(frame);
    render::Cues cues;
    presenter->feel(before, frame, cues);
    return cues;
  }
  // A straight stretch: the sample furthest from any kerb near the start.
  float straightS() const {
    const Track& t = title.track();
    for (const TrackSample& smp : t.samples)
      if (!smp.kerb && smp.curvature < 0.002f && smp.s > 20.0f) return smp.s;
    return 0.0f;
  }
};

Uint16 motorOf(float a) { return Uint16(std::lround(a * 65535.0f)); }

// The wheel's torque after `seconds` at `speed` with the steering held at `steer`.
struct Corner {
  float torque = 0, lateralG = 0;
};
Corner holdSteer(float speed, float steer, float seconds = 0.5f) {
  Race race(1);
  race.title.placeCar(0, race.straightS(), 0.0f, speed);
  core::InputFrame in;
  in.steer = steer;
  in.throttle = speed > 0 ? 0.35f : 0.0f;  // about holding the speed
  render::Cues cues;
  for (int t = 0; t < int(seconds * 240); ++t) cues = race.tick(in);
  const render::WheelForce* f = cues.wheelForce();
  EXPECT_NE(f, nullptr) << "a seat always has its wheel's forces";
  const core::ObjectState& car = race.frame.objects[0];
  // Lateral acceleration of a car turning steadily: speed times yaw rate.
  return {f ? f->torque : 0.0f, glm::length(car.velocity) * std::fabs(car.angularVelocity.y) / 9.81f};
}

// ---- the force model ---------------------------------------------------------------------------

TEST(WheelForce, TheModelPullsWithTheAligningTorqueSpringsAtRestAndDamps) {
  const CarTuning t;
  const render::WheelForce rest = wheelForce(t, 0.0f, 0.0f);
  EXPECT_FLOAT_EQ(rest.torque, 0.0f);
  EXPECT_FLOAT_EQ(rest.spring, kWheelSpringAtRest) << "parked: a centring spring";
  EXPECT_GT(rest.damper, 0.0f);
  EXPECT_FLOAT_EQ(wheelForce(t, kWheelSpringFadeMps + 1, 0).spring, 0.0f) << "at speed the tyres centre it";
  EXPECT_GT(wheelForce(t, 20, 100).torque, 0.0f);
  EXPECT_LT(wheelForce(t, 20, -100).torque, 0.0f);
  EXPECT_GT(wheelForce(t, 20, 200).torque, wheelForce(t, 20, 100).torque) << "more torque, more force";
  EXPECT_FLOAT_EQ(wheelForce(t, 20, 1e6f).torque, 1.0f) << "clamped";
}

TEST(WheelForce, FromTheTyresZeroAtRest) {
  const Corner rest = holdSteer(0.0f, 0.0f, 1.0f);
  EXPECT_LT(std::fabs(rest.torque), 0.01f);
  const Corner parkedTurned = holdSteer(0.0f, 0.8f, 1.0f);
  EXPECT_LT(std::fabs(parkedTurned.torque), 0.02f) << "a parked car's tyres carry no side force";
}

TEST(WheelForce, FromTheTyresItsSignFollowsTheSteering) {
  const Corner right = holdSteer(15.0f, 0.25f), left = holdSteer(15.0f, -0.25f);
  std::printf("at 15 m/s: steer right torque %.3f (%.2f g), left %.3f (%.2f g)\n", right.torque, right.lateralG,
              left.torque, left.lateralG);
  EXPECT_LT(right.torque, -0.05f) << "steered right, the rim pulls back left";
  EXPECT_GT(left.torque, 0.05f) << "steered left, the rim pulls back right";
}

TEST(WheelForce, FromTheTyresItRisesWithSpeedAndLateralG) {
  float lastTorque = 0, lastG = 0;
  for (float speed : {6.0f, 12.0f, 20.0f}) {
    const Corner c = holdSteer(speed, 0.15f);
    std::printf("speed %4.1f m/s: torque %.3f, lateral %.2f g\n", speed, c.torque, c.lateralG);
    EXPECT_GT(c.lateralG, lastG) << speed;
    EXPECT_GT(std::fabs(c.torque), lastTorque) << speed;
    lastTorque = std::fabs(c.torque), lastG = c.lateralG;
  }
}

// ---- kerbs and collisions on a virtual wheel --------------------------------------------------

TEST(WheelFeel, AKerbRumblesTheVirtualWheelByTheWheelsOnIt) {
  platform::Wheels wheels;
  test::RumbleWheel device;
  wheels.update();
  ASSERT_TRUE(wheels.state().present);
  platform::ForceFeedback feedback;
  Race race(1);
  const Track& track = race.title.track();
  int k = 0;
  while (!track.samples[size_t(k)].kerb) ++k;
  const TrackSample& smp = track.samples[size_t(k)];
  // The left wheels on the kerb.
  race.title.placeCar(0, smp.s, -(smp.halfWidth - 0.5f * kKerbWidthM - race.title.tuning().wheelHalfTrack), 5.0f);
  race.title.capture(race.frame);
  render::Cues cues;
  race.presenter->feel(race.frame, race.frame, cues);
  feedback.play(wheels, cues, 1.0);
  std::vector<test::RumbleCall> calls;
  for (const test::RumbleCall& c : device.calls)
    if (c.low) calls.push_back(c);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].low, motorOf(2 * kKerbRumblePerWheel)) << "two wheels on the kerb";
  EXPECT_EQ(calls[0].high, motorOf(2 * kKerbRumblePerWheel * platform::kHighMotorShare));
}

TEST(WheelFeel, ACollisionJoltsTheVirtualWheel) {
  platform::Wheels wheels;
  test::RumbleWheel device;
  wheels.update();
  platform::ForceFeedback feedback;
  Race race(2);
  const float s = race.straightS();
  race.title.placeCar(1, s + 10.0f, 0.0f, 0.0f);  // parked ahead
  race.title.placeCar(0, s, 0.0f, 15.0f);         // coming at it
  race.title.capture(race.frame);
  float knock = 0;
  int knockTick = -1;
  for (int t = 0; t < 240 && knockTick < 0; ++t) {
    const render::Cues cues = race.tick({});
    for (const render::Cue& c : cues.all())
      if (c.where == render::FeelWhere::Wheel && c.feel == render::Feel::Jolt) knock = c.amplitude, knockTick = t;
    feedback.play(wheels, cues, double(race.frame.tick) / 240.0);
  }
  ASSERT_GE(knockTick, 0) << "the cars met within a second";
  std::printf("knock at tick %d, amplitude %.2f\n", knockTick, knock);
  EXPECT_GE(knock, 0.3f);
  ASSERT_FALSE(device.calls.empty());
  EXPECT_EQ(device.calls[0].low, motorOf(knock));
  EXPECT_EQ(device.calls[0].high, motorOf(knock)) << "a jolt runs both motors";

  // The same run with nothing ahead: no knock.
  Race alone(1);
  alone.title.placeCar(0, s, 0.0f, 15.0f);
  alone.title.capture(alone.frame);
  for (int t = 0; t < 240; ++t)
    for (const render::Cue& c : alone.tick({}).all()) EXPECT_NE(c.feel, render::Feel::Jolt) << "tick " << t;
}

// ---- OutSim over loopback ---------------------------------------------------------------------

struct OutSimPacket {
  uint32_t timeMs;
  float angVel[3], heading, pitch, roll, accel[3], vel[3];
  int32_t pos[3];
  int32_t id;
};

// LFS's OutSimPack, little-endian, read field by field.
bool decode(const uint8_t* b, size_t n, OutSimPacket& p) {
  if (n != 64 && n != 68) return false;
  const auto u32 = [&](size_t at) {
    return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
  };
  const auto f32 = [&](size_t at) {
    const uint32_t bits = u32(at);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  };
  p.timeMs = u32(0);
  for (int i = 0; i < 3; ++i) p.angVel[i] = f32(4 + 4 * i);
  p.heading = f32(16), p.pitch = f32(20), p.roll = f32(24);
  for (int i = 0; i < 3; ++i) p.accel[i] = f32(28 + 4 * i), p.vel[i] = f32(40 + 4 * i), p.pos[i] = int32_t(u32(52 + 4 * i));
  p.id = n == 68 ? int32_t(u32(64)) : -1;
  return true;
}

TEST(MotionOut, OutSimPacketsOverLoopbackCarryTheCarsRealMotion) {
  const int listener = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&at), sizeof at), 0);
  socklen_t len = sizeof at;
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&at), &len), 0);
  const int port = ntohs(at.sin_port);

  platform::MotionOut motion(platform::parseMotionTarget("127.0.0.1:" + std::to_string(port)), {.id = 7});
  Race race(1);
  std::vector<core::StateFrame> frames;  // by tick
  frames.push_back(race.frame);
  std::vector<OutSimPacket> packets;
  const auto receive = [&] {
    uint8_t buffer[256];
    for (;;) {
      const ssize_t n = ::recv(listener, buffer, sizeof buffer, 0);
      if (n < 0) return;
      OutSimPacket p;
      ASSERT_TRUE(decode(buffer, size_t(n), p)) << n << " bytes";
      packets.push_back(p);
    }
  };
  constexpr int kTicks = 20 * 240;
  for (int t = 0; t < kTicks; ++t) {
    core::InputFrame in;
    race.title.botInput(0, in);
    race.tick(in);
    frames.push_back(race.frame);
    motion.offer(race.frame.objects[0], double(race.frame.tick) / 240.0);
    receive();
  }
  // Loopback delivers at once as a rule; a packet still on its way under load is waited for
  // (bounded generously, ending as soon as every packet sent is in).
  for (int waited = 0; packets.size() < motion.sent() && waited < 500; ++waited) {
    pollfd in{listener, POLLIN, 0};
    ::poll(&in, 1, 10);
    receive();
  }
  ::close(listener);
  EXPECT_EQ(motion.dropped(), 0u);
  ASSERT_EQ(packets.size(), motion.sent());
  EXPECT_NEAR(double(packets.size()), 20.0 * platform::kMotionHz, 2.0) << "60 a second of the race's time";

  float minHeading = 10, maxHeading = -10;
  for (size_t i = 0; i < packets.size(); ++i) {
    const OutSimPacket& p = packets[i];
    const size_t tick = size_t(std::lround(double(p.timeMs) * 240.0 / 1000.0));
    ASSERT_LT(tick, frames.size());
    const core::ObjectState& car = frames[tick].objects[0];
    SCOPED_TRACE(tick);
    EXPECT_EQ(p.id, 7);
    // LFS's axes: X right (-x), Y forward (z), Z up (y).
    EXPECT_FLOAT_EQ(p.vel[0], -car.velocity.x);
    EXPECT_FLOAT_EQ(p.vel[1], car.velocity.z);
    EXPECT_FLOAT_EQ(p.vel[2], car.velocity.y);
    EXPECT_FLOAT_EQ(p.angVel[2], car.angularVelocity.y);
    EXPECT_NEAR(p.pos[0] / 65536.0, -car.position.x, 1e-4);
    EXPECT_NEAR(p.pos[1] / 65536.0, car.position.z, 1e-4);
    EXPECT_NEAR(p.pos[2] / 65536.0, car.position.y, 1e-4);
    const glm::vec3 f = car.orientation * glm::vec3(0, 0, 1);
    EXPECT_NEAR(std::remainder(p.heading - std::atan2(f.x, f.z), 6.2831853f), 0.0f, 1e-3f);
    EXPECT_LT(std::fabs(p.pitch), 0.2f) << "a flat circuit";
    EXPECT_LT(std::fabs(p.roll), 0.2f);
    if (i > 0) {
      const OutSimPacket& q = packets[i - 1];
      // The time between them from their ticks (Time is whole milliseconds; a tick is 4.17 ms).
      const float dt = float(std::lround(double(p.timeMs) * 0.24) - std::lround(double(q.timeMs) * 0.24)) / 240.0f;
      ASSERT_GT(dt, 0.0f);
      EXPECT_NEAR(p.accel[1], (p.vel[1] - q.vel[1]) / dt, 0.05f + 0.02f * std::fabs(p.accel[1]));
      // The heading turns as the yaw rate says (the heading's anticlockwise is +y's).
      const float turned = std::remainder(p.heading - q.heading, 6.2831853f);
      EXPECT_NEAR(turned, 0.5f * (p.angVel[2] + q.angVel[2]) * dt, 0.01f);
    }
    minHeading = std::min(minHeading, p.heading), maxHeading = std::max(maxHeading, p.heading);
  }
  EXPECT_GT(maxHeading - minHeading, 0.5f) << "the car went round a corner";
  EXPECT_GT(race.title.car(0).s, 100.0f) << "and got going";
}

}  // namespace
}  // namespace pav::driving
