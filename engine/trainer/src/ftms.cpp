// The Fitness Machine Service as bytes (see ftms.h).
//
// Index: [UUIDs] [Reading] [Writing] [Feel]
#include "pav/trainer/ftms.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace pav::trainer {
namespace {

uint16_t le16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
int16_t sle16(const uint8_t* p) { return int16_t(le16(p)); }
uint32_t le32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }

void putLe16(uint8_t* out, uint16_t v) {
  out[0] = uint8_t(v & 0xff);
  out[1] = uint8_t(v >> 8);
}

// Scale to the field's resolution, round to nearest, clamp to what the field can hold.
template <typename Int>
Int toField(double value, double resolution) {
  if (std::isnan(value)) return Int(0);
  const double lo = double(std::numeric_limits<Int>::min());
  const double hi = double(std::numeric_limits<Int>::max());
  if (!std::isfinite(value)) return value > 0 ? Int(hi) : Int(lo);
  return Int(std::clamp(std::round(value / resolution), lo, hi));
}

constexpr double kWindResolution = 0.001;    // m/s
constexpr double kGradeResolution = 0.0001;  // 0.01 % as a fraction
constexpr double kCrrResolution = 0.0001;
constexpr double kCwResolution = 0.01;       // kg/m

constexpr char kBaseSuffix[] = "-0000-1000-8000-00805f9b34fb";

}  // namespace

// =============================================================================================
// [UUIDs]
// =============================================================================================

std::string uuid128(uint16_t s) {
  char head[9];
  std::snprintf(head, sizeof head, "0000%04x", unsigned(s));
  return std::string(head) + kBaseSuffix;
}

uint16_t shortUuid(std::string_view u) {
  if (u.size() != 36 || u.substr(0, 4) != "0000") return 0;
  const std::string_view suffix = u.substr(8);
  if (suffix.size() != sizeof kBaseSuffix - 1) return 0;
  for (size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(suffix[i])) != kBaseSuffix[i]) return 0;
  unsigned v = 0;
  for (char c : u.substr(4, 4)) {
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return 0;
    v = v * 16 + unsigned(d);
  }
  return uint16_t(v);
}

// =============================================================================================
// [Reading]
// =============================================================================================

std::string_view toString(Refusal r) {
  switch (r) {
    case Refusal::None: return "none";
    case Refusal::Short: return "too short";
    case Refusal::Long: return "bytes beyond its fields";
    case Refusal::Flags: return "reserved flags or op code";
    case Refusal::Power: return "impossible power";
    case Refusal::Speed: return "impossible speed";
    case Refusal::Cadence: return "impossible cadence";
    case Refusal::HeartRate: return "impossible heart rate";
    case Refusal::Range: return "impossible range";
  }
  return "?";
}

Refusal parseBikeData(std::span<const uint8_t> b, BikeData& out) {
  if (b.size() < 2) return Refusal::Short;
  const uint16_t flags = le16(b.data());
  if (flags & 0xE000) return Refusal::Flags;  // bits 13..15 are reserved
  // Field sizes in flag order: bit 0 is inverted ("more data": speed absent when set).
  constexpr uint8_t kSize[13] = {2, 2, 2, 2, 3, 2, 2, 2, 5, 1, 1, 2, 2};
  size_t need = 2;
  for (int bit = 0; bit < 13; ++bit) {
    const bool present = bit == 0 ? !(flags & 1u) : (flags & (1u << bit)) != 0;
    if (present) need += kSize[bit];
  }
  if (b.size() < need) return Refusal::Short;
  if (b.size() > need) return Refusal::Long;
  BikeData d;
  size_t at = 2;
  for (int bit = 0; bit < 13; ++bit) {
    const bool present = bit == 0 ? !(flags & 1u) : (flags & (1u << bit)) != 0;
    if (!present) continue;
    const uint8_t* p = b.data() + at;
    switch (bit) {
      case 0: d.hasSpeed = true, d.speedKmh = float(le16(p)) * 0.01f; break;
      case 2: d.hasCadence = true, d.cadenceRpm = float(le16(p)) * 0.5f; break;
      case 6: d.hasPower = true, d.powerW = float(sle16(p)); break;
      case 9: d.hasHeartRate = true, d.heartRate = p[0]; break;
      default: break;
    }
    at += kSize[bit];
  }
  if (d.hasPower && (d.powerW < 0 || d.powerW > kMaxPowerW)) return Refusal::Power;
  if (d.hasSpeed && d.speedKmh > kMaxSpeedKmh) return Refusal::Speed;
  if (d.hasCadence && d.cadenceRpm > kMaxCadenceRpm) return Refusal::Cadence;
  if (d.hasHeartRate && d.heartRate > kMaxHeartRate) return Refusal::HeartRate;
  out = d;
  return Refusal::None;
}

Refusal parseMachineStatus(std::span<const uint8_t> b, MachineStatus& out) {
  if (b.empty()) return Refusal::Short;
  const uint8_t op = b[0];
  // Parameter bytes per op code (FTMS table 4.26); -1: reserved.
  int params = -1;
  switch (op) {
    case 0x01: case 0x03: case 0x04: case 0x0E: case 0xFF: params = 0; break;
    case 0x02: case 0x07: case 0x0F: case 0x14: params = 1; break;
    case 0x05: case 0x06: case 0x08: case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D:
    case 0x13: case 0x15: params = 2; break;
    case 0x10: params = 4; break;
    case 0x11: params = 6; break;  // targeted speed ranges (time in zones), kept short here
    case 0x12: params = 6; break;
    default: return Refusal::Flags;
  }
  if (b.size() < size_t(1 + params)) return Refusal::Short;
  if (b.size() > size_t(1 + params)) return Refusal::Long;
  MachineStatus s;
  s.op = op;
  if (op == 0x08) {
    s.targetPowerW = sle16(&b[1]);
    if (s.targetPowerW < 0 || s.targetPowerW > kMaxPowerW) return Refusal::Power;
  }
  if (op == 0x12) s.gradeHundredths = sle16(&b[3]);
  out = s;
  return Refusal::None;
}

Refusal parseFeatures(std::span<const uint8_t> b, Features& out) {
  if (b.size() < 8) return Refusal::Short;
  if (b.size() > 8) return Refusal::Long;
  out.machine = le32(&b[0]);
  out.target = le32(&b[4]);
  return Refusal::None;
}

Refusal parseRange(std::span<const uint8_t> b, float resolution, Range& out) {
  if (b.size() < 6) return Refusal::Short;
  if (b.size() > 6) return Refusal::Long;
  Range r{float(sle16(&b[0])) * resolution, float(sle16(&b[2])) * resolution, float(le16(&b[4])) * resolution};
  if (r.minimum > r.maximum || r.step <= 0) return Refusal::Range;
  out = r;
  return Refusal::None;
}

std::string_view toString(ResultCode r) {
  switch (r) {
    case ResultCode::Success: return "success";
    case ResultCode::NotSupported: return "not supported";
    case ResultCode::InvalidParameter: return "invalid parameter";
    case ResultCode::OperationFailed: return "operation failed";
    case ResultCode::ControlNotPermitted: return "control not permitted";
  }
  return "?";
}

Refusal parseControlResponse(std::span<const uint8_t> b, ControlResponse& out) {
  if (b.size() < 3) return Refusal::Short;
  if (b[0] != uint8_t(ControlOp::Response) || b[2] < 0x01 || b[2] > 0x05) return Refusal::Flags;
  // Only a spin down's response carries parameters (4 bytes); a response to anything else is 3.
  if (b.size() > (b[1] == 0x13 ? 7u : 3u)) return Refusal::Long;
  out.request = b[1];
  out.result = ResultCode(b[2]);
  return Refusal::None;
}

Refusal parseHeartRate(std::span<const uint8_t> b, int& bpm) {
  if (b.empty()) return Refusal::Short;
  const uint8_t flags = b[0];
  if (flags & 0xE0) return Refusal::Flags;
  const size_t rate = (flags & 1u) ? 2 : 1;
  size_t need = 1 + rate + ((flags & 0x08) ? 2 : 0);
  if (b.size() < need) return Refusal::Short;
  if ((flags & 0x10) ? (b.size() - need) % 2 != 0 : b.size() != need)
    return Refusal::Long;  // RR intervals come in uint16s
  const int v = rate == 2 ? le16(&b[1]) : b[1];
  if (v > kMaxHeartRate) return Refusal::HeartRate;
  bpm = v;
  return Refusal::None;
}

Refusal parseCyclingPower(std::span<const uint8_t> b, float& watts) {
  if (b.size() < 4) return Refusal::Short;
  if (le16(&b[0]) & 0xE000) return Refusal::Flags;
  const float w = float(sle16(&b[2]));
  if (w < 0 || w > kMaxPowerW) return Refusal::Power;
  watts = w;
  return Refusal::None;
}

// =============================================================================================
// [Writing]
// =============================================================================================

std::string_view toString(ControlOp op) {
  switch (op) {
    case ControlOp::RequestControl: return "Request Control";
    case ControlOp::Reset: return "Reset";
    case ControlOp::SetTargetPower: return "Set Target Power";
    case ControlOp::StartOrResume: return "Start or Resume";
    case ControlOp::SetSimulation: return "Set Indoor Bike Simulation Parameters";
    case ControlOp::Response: return "Response Code";
  }
  return "?";
}

namespace {
ControlRequest opOnly(ControlOp op) {
  ControlRequest r;
  r.bytes[0] = uint8_t(op);
  r.size = 1;
  return r;
}
}  // namespace

ControlRequest requestControl() { return opOnly(ControlOp::RequestControl); }
ControlRequest resetMachine() { return opOnly(ControlOp::Reset); }
ControlRequest startOrResume() { return opOnly(ControlOp::StartOrResume); }

ControlRequest setTargetPower(double watts) {
  ControlRequest r = opOnly(ControlOp::SetTargetPower);
  putLe16(&r.bytes[1], uint16_t(toField<int16_t>(std::clamp(watts, 0.0, double(kMaxPowerW)), 1.0)));
  r.size = 3;
  return r;
}

ControlRequest setSimulation(const Simulation& sim) {
  ControlRequest r = opOnly(ControlOp::SetSimulation);
  putLe16(&r.bytes[1], uint16_t(toField<int16_t>(sim.windSpeedMs, kWindResolution)));
  putLe16(&r.bytes[3], uint16_t(toField<int16_t>(sim.grade, kGradeResolution)));
  r.bytes[5] = toField<uint8_t>(sim.crr, kCrrResolution);
  r.bytes[6] = toField<uint8_t>(sim.windResistanceKgPerM, kCwResolution);
  r.size = 7;
  return r;
}

bool readSimulation(std::span<const uint8_t> b, Simulation& out) {
  if (b.size() != 7 || b[0] != uint8_t(ControlOp::SetSimulation)) return false;
  out.windSpeedMs = sle16(&b[1]) * kWindResolution;
  out.grade = sle16(&b[3]) * kGradeResolution;
  out.crr = b[5] * kCrrResolution;
  out.windResistanceKgPerM = b[6] * kCwResolution;
  return true;
}

// =============================================================================================
// [Feel]
// =============================================================================================

bool parseFeel(std::string_view text, Feel& out) {
  if (text == "real") return out = kRealFeel, true;
  if (text.substr(0, 4) != "expo") return false;
  Feel f = kExpoFeel;
  if (text.size() > 4) {
    if (text[4] != ':' || text.size() > 16) return false;
    const std::string share(text.substr(5));
    char* end = nullptr;
    const double v = std::strtod(share.c_str(), &end);
    if (share.empty() || end != share.c_str() + share.size() || !(v > 0 && v <= 1)) return false;
    f.gradeShare = v;
  }
  out = f;
  return true;
}

double feltGrade(const Feel& feel, double grade) {
  if (!std::isfinite(grade)) return 0;
  const double g = grade * (grade >= 0 ? feel.gradeShare : feel.descentShare);
  return std::clamp(g, -feel.maxGrade, feel.maxGrade);
}

Simulation feltSimulation(const Feel& feel, const Simulation& road) {
  Simulation s = road;
  s.grade = feltGrade(feel, road.grade);
  return s;
}

bool SimulationPacer::due(double now, const Simulation& sim) const {
  if (!any_) return true;
  if (now - at_ < kMinInterval) return false;
  // Compared as sent: quantised to the field's 0.01 %, so a grade wandering by less than a
  // step around a rounding edge does not count as a change.
  const double grade = std::round(sim.grade / kGradeResolution) * kGradeResolution;
  const double last = std::round(last_.grade / kGradeResolution) * kGradeResolution;
  return std::abs(grade - last) >= kGradeStep - 1e-9 ||
         std::abs(sim.windResistanceKgPerM - last_.windResistanceKgPerM) >= kCwStep;
}

void SimulationPacer::sent(double now, const Simulation& sim) {
  any_ = true;
  at_ = now;
  last_ = sim;
}

}  // namespace pav::trainer
