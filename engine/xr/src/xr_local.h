// Internal to the xr room: conversions between OpenXR's and the engine's math types, and the
// two-call idiom. OpenXR and the engine agree on axes (right-handed, +Y up, -Z forward) and
// units (metres, radians), so the conversions copy numbers and rename fields.
#pragma once

#include <cstdint>
#include <vector>

#include "pav/render/camera.h"
#include "pav/xr/handles.h"

namespace pav::xr::detail {

inline render::Pose toPose(const XrPosef& p) {
  render::Pose out;
  out.position = {p.position.x, p.position.y, p.position.z};
  out.orientation = glm::quat(p.orientation.w, p.orientation.x, p.orientation.y, p.orientation.z);
  return out;
}

inline XrPosef toXr(const render::Pose& p) {
  XrPosef out;
  out.position = {p.position.x, p.position.y, p.position.z};
  out.orientation = {p.orientation.x, p.orientation.y, p.orientation.z, p.orientation.w};
  return out;
}

inline render::Fov toFov(const XrFovf& f) { return {f.angleLeft, f.angleRight, f.angleUp, f.angleDown}; }

inline XrPosef identityPose() {
  XrPosef p{};
  p.orientation.w = 1.0f;
  return p;
}

// Steady-clock nanoseconds (frame timing only; poses use the runtime's XrTime).
int64_t nowNs();
void sleepMs(int ms);

// The two-call idiom for arrays of plain values (formats, reference spaces, ...).
template <typename T, typename Call>
std::vector<T> enumerate(Call call, const char* what) {
  uint32_t n = 0;
  XrResult r = call(0u, &n, nullptr);
  if (XR_FAILED(r)) ::pav::failCall(what, resultName(r), __FILE__, __LINE__);
  std::vector<T> out(n);
  r = call(n, &n, out.data());
  if (XR_FAILED(r)) ::pav::failCall(what, resultName(r), __FILE__, __LINE__);
  out.resize(n);
  return out;
}

}  // namespace pav::xr::detail
