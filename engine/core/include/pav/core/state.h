// A title's networked state: what travels from the server to the stations, and how precisely.
//
// A title describes its state once (after setup) as a StateSchema: a fixed number of objects
// (puck and mallets, cars, riders), each with a position and, as the schema asks, an
// orientation, a linear and an angular velocity; and a few named scalars (score, clock, laps).
// Every field has a range and a precision, so the network codec can quantize it with a bounded
// error and range-check it on arrival. Each tick the server captures a StateFrame; a station
// applies the server's frame to its own copy of the title before replaying its inputs
// (prediction), and interpolates the other objects between frames.
//
//   StateSchema schema;  title.describe(schema);      // once, after setup
//   StateFrame frame;    frame.resize(schema);        // allocates once
//   title.capture(frame);                              // per tick: no allocation
//   other.apply(frame);                                // a station takes the server's state
//
// Counter scalars (goals, laps) mark events: when one goes up, the server tells the stations
// on the reliable channel, so a goal is never missed even when snapshots are lost.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

namespace pav::core {

constexpr int kMaxScalars = 32;  // 8 riders x 4 (cycling); an event names one in 5 bits
constexpr int kMaxObjects = 4096;

struct ScalarField {
  std::string_view name;  // "score_left", "clock", ...
  float min = 0, max = 1;
  float resolution = 1;   // the quantization step; the error is at most half of it
  bool counter = false;   // an event count: each increase is announced reliably
};

struct StateSchema {
  int objects = 0;
  // Positions: a box and a step (metres).
  glm::vec3 positionMin{-1.0f}, positionMax{1.0f};
  float positionResolution = 0.001f;
  // Orientation as smallest-three with this many bits per component (0: not sent, identity).
  int orientationBits = 0;
  // Velocities: each component within +/- max, in steps of resolution (max 0: not sent).
  float velocityMax = 0, velocityResolution = 0.01f;
  float angularMax = 0, angularResolution = 0.01f;
  std::array<ScalarField, kMaxScalars> scalars{};
  int scalarCount = 0;

  void addScalar(const ScalarField& f) {
    if (scalarCount < kMaxScalars) scalars[scalarCount++] = f;
  }
};

struct ObjectState {
  glm::vec3 position{0.0f};
  glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};
  glm::vec3 velocity{0.0f};
  glm::vec3 angularVelocity{0.0f};
};

struct StateFrame {
  uint64_t tick = 0;  // the state after this many steps
  std::vector<ObjectState> objects;
  std::array<float, kMaxScalars> scalars{};

  void resize(const StateSchema& schema) { objects.assign(static_cast<size_t>(schema.objects), ObjectState{}); }
};

}  // namespace pav::core
