// Rigid-pose arithmetic on OpenXR's own types (XrPosef, XrQuaternionf, XrVector3f).
//
// Conventions (OpenXR's): right-handed, +Y up, -Z forward, metres; a pose maps points of its
// own frame into its parent frame, so compose(a, b) is "b expressed in a's parent" and
// inverse(a) maps the parent into a. Quaternions are (x, y, z, w) and unit length.
#pragma once

#include <openxr/openxr.h>

#include <cmath>

namespace pav::xrsim {

inline constexpr double kPi = 3.14159265358979323846;

inline XrVector3f add(XrVector3f a, XrVector3f b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline XrVector3f sub(XrVector3f a, XrVector3f b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline XrVector3f scale(XrVector3f a, float s) { return {a.x * s, a.y * s, a.z * s}; }
inline XrVector3f lerp(XrVector3f a, XrVector3f b, float t) { return add(a, scale(sub(b, a), t)); }
inline float length(XrVector3f a) { return std::sqrt(a.x * a.x + a.y * a.y + a.z * a.z); }

inline XrQuaternionf identityQuat() { return {0, 0, 0, 1}; }
inline XrPosef identityPose() { return {identityQuat(), {0, 0, 0}}; }

inline XrQuaternionf mul(XrQuaternionf a, XrQuaternionf b) {
  return {a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y, a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
          a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w, a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z};
}
inline XrQuaternionf conjugate(XrQuaternionf q) { return {-q.x, -q.y, -q.z, q.w}; }
inline float quatLength(XrQuaternionf q) { return std::sqrt(q.x * q.x + q.y * q.y + q.z * q.z + q.w * q.w); }
inline XrQuaternionf normalize(XrQuaternionf q) {
  const float n = quatLength(q);
  return n > 0 ? XrQuaternionf{q.x / n, q.y / n, q.z / n, q.w / n} : identityQuat();
}

// A runtime must reject poses whose orientation is not a unit quaternion
// (XR_ERROR_POSE_INVALID). The spec leaves the tolerance to the runtime; 1e-3 on the norm
// accepts float rounding of any honestly normalized quaternion.
inline bool isUnit(XrQuaternionf q) {
  const float n = quatLength(q);
  return std::isfinite(n) && std::fabs(n - 1.0f) < 1e-3f;
}
inline bool isFinite(XrVector3f v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }
inline bool isValidPose(const XrPosef& p) { return isUnit(p.orientation) && isFinite(p.position); }

inline XrVector3f rotate(XrQuaternionf q, XrVector3f v) {
  const XrQuaternionf p{v.x, v.y, v.z, 0};
  const XrQuaternionf r = mul(mul(q, p), conjugate(q));
  return {r.x, r.y, r.z};
}

inline XrPosef compose(const XrPosef& a, const XrPosef& b) {
  return {normalize(mul(a.orientation, b.orientation)), add(a.position, rotate(a.orientation, b.position))};
}
inline XrPosef inverse(const XrPosef& a) {
  const XrQuaternionf qi = conjugate(a.orientation);
  return {qi, rotate(qi, scale(a.position, -1.0f))};
}

inline XrQuaternionf axisAngle(XrVector3f axis, double radians) {
  const float s = static_cast<float>(std::sin(radians / 2));
  return {axis.x * s, axis.y * s, axis.z * s, static_cast<float>(std::cos(radians / 2))};
}

// Yaw about +Y, then pitch about the yawed +X, then roll about the resulting -Z (the look
// direction), all in degrees: the way a head turns, nods and tilts.
inline XrQuaternionf fromYawPitchRoll(double yawDeg, double pitchDeg, double rollDeg) {
  const double d = kPi / 180.0;
  const XrQuaternionf yaw = axisAngle({0, 1, 0}, yawDeg * d);
  const XrQuaternionf pitch = axisAngle({1, 0, 0}, pitchDeg * d);
  const XrQuaternionf roll = axisAngle({0, 0, -1}, rollDeg * d);
  return normalize(mul(mul(yaw, pitch), roll));
}

// Only the rotation about +Y: what a gravity-aligned space (LOCAL) keeps of a head pose.
inline XrQuaternionf yawOnly(XrQuaternionf q) {
  const XrVector3f fwd = rotate(q, {0, 0, -1});
  const double yaw = std::atan2(-fwd.x, -fwd.z);
  return axisAngle({0, 1, 0}, yaw);
}

inline XrQuaternionf slerp(XrQuaternionf a, XrQuaternionf b, float t) {
  float dot = a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w;
  if (dot < 0) {  // the short way round
    b = {-b.x, -b.y, -b.z, -b.w};
    dot = -dot;
  }
  if (dot > 0.9995f) {
    return normalize({a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.z + (b.z - a.z) * t, a.w + (b.w - a.w) * t});
  }
  const float theta = std::acos(dot);
  const float s = std::sin(theta);
  const float wa = std::sin((1 - t) * theta) / s;
  const float wb = std::sin(t * theta) / s;
  return normalize({a.x * wa + b.x * wb, a.y * wa + b.y * wb, a.z * wa + b.z * wb, a.w * wa + b.w * wb});
}

inline XrPosef interpolate(const XrPosef& a, const XrPosef& b, float t) {
  return {slerp(a.orientation, b.orientation, t), lerp(a.position, b.position, t)};
}

// Angular velocity (rad/s, in the parent frame) that turns a into b over dt seconds.
inline XrVector3f angularVelocity(XrQuaternionf a, XrQuaternionf b, double dt) {
  XrQuaternionf d = mul(b, conjugate(a));
  if (d.w < 0) d = {-d.x, -d.y, -d.z, -d.w};
  const float sinHalf = std::sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
  if (sinHalf < 1e-9f || dt <= 0) return {0, 0, 0};
  const float angle = 2.0f * std::atan2(sinHalf, d.w);
  return scale({d.x / sinHalf, d.y / sinHalf, d.z / sinHalf}, static_cast<float>(angle / dt));
}

}  // namespace pav::xrsim
