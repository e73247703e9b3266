// pav::trainer (bytes): the Bluetooth Fitness Machine Service as bytes, and how a road is felt.
// Everything here is pure: no D-Bus, no clocks read, no allocation. The BlueZ link
// (pav/trainer/link.h) moves these bytes; the fuzzers (tests/fuzz/fuzz_ftms.cpp) feed them
// hostile ones.
//
// Every parser of what a trainer sends returns a Refusal: None when the bytes are a
// reading a real machine can send, otherwise why not (too short, flags the spec reserves,
// a length that does not match the flags, a value no person or trainer produces: power
// 0xFFFF, 150 km/h). A refused packet changes nothing in `out` and is counted by the link.
//
// Index:
//   [UUIDs]        service and characteristic numbers, the Bluetooth base UUID
//   [Reading]      IndoorBikeData (0x2AD2), MachineStatus (0x2ADA), Features (0x2ACC),
//                  Range (0x2AD6 / 0x2AD8), ControlResponse (0x2AD9), heart rate, power
//   [Writing]      the control point's requests
//   [Feel]         Road, Feel (expo / real), feltSimulation, SimulationPacer
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace pav::trainer {

// =============================================================================================
// [UUIDs]
// =============================================================================================

inline constexpr uint16_t kFitnessMachineService = 0x1826;
inline constexpr uint16_t kCyclingPowerService = 0x1818;
inline constexpr uint16_t kHeartRateService = 0x180D;
inline constexpr uint16_t kMachineFeature = 0x2ACC;
inline constexpr uint16_t kIndoorBikeData = 0x2AD2;
inline constexpr uint16_t kResistanceRange = 0x2AD6;
inline constexpr uint16_t kPowerRange = 0x2AD8;
inline constexpr uint16_t kControlPoint = 0x2AD9;
inline constexpr uint16_t kMachineStatus = 0x2ADA;
inline constexpr uint16_t kCyclingPowerMeasurement = 0x2A63;
inline constexpr uint16_t kHeartRateMeasurement = 0x2A37;

// "00002ad2-0000-1000-8000-00805f9b34fb", as BlueZ writes UUIDs (lower case).
std::string uuid128(uint16_t shortUuid);
// The 16-bit number of a UUID on the Bluetooth base, or 0 when it is not one.
uint16_t shortUuid(std::string_view uuid);

// =============================================================================================
// [Reading] what a trainer sends (notifications, indications, reads)
// =============================================================================================

enum class Refusal : uint8_t {
  None,      // a reading
  Short,     // fewer bytes than the flags (or the op code) call for
  Long,      // bytes left over after the fields the flags announce
  Flags,     // flags or an op code the spec reserves
  Power,     // below 0 (0xFFFF is -1) or above kMaxPowerW
  Speed,     // above kMaxSpeedKmh
  Cadence,   // above kMaxCadenceRpm
  HeartRate, // above kMaxHeartRate
  Range,     // a supported range whose minimum is above its maximum, or a zero step
};
std::string_view toString(Refusal r);

inline constexpr float kMaxPowerW = 3000;      // a sprinter peaks near 2000 W
inline constexpr float kMaxSpeedKmh = 120;     // an indoor bike's wheel, never faster
inline constexpr float kMaxCadenceRpm = 250;
inline constexpr int kMaxHeartRate = 250;

// Indoor Bike Data (FTMS 4.9): flags (uint16 LE) then the fields they announce. Only the
// fields the rider's input needs are kept; the others are checked for length and skipped.
struct BikeData {
  bool hasSpeed = false, hasCadence = false, hasPower = false, hasHeartRate = false;
  float speedKmh = 0;    // 0.01 km/h on the wire
  float cadenceRpm = 0;  // 0.5 rpm on the wire
  float powerW = 0;      // sint16 W
  int heartRate = 0;     // uint8 bpm
};
Refusal parseBikeData(std::span<const uint8_t> bytes, BikeData& out);

// Fitness Machine Status (FTMS 4.17): an op code and its parameters.
enum class StatusOp : uint8_t {
  Reset = 0x01, StoppedByUser = 0x02, StoppedBySafetyKey = 0x03, StartedByUser = 0x04,
  TargetPowerChanged = 0x08, SimulationChanged = 0x12, ControlPermissionLost = 0xFF,
};
struct MachineStatus {
  uint8_t op = 0;
  int16_t targetPowerW = 0;     // TargetPowerChanged
  int16_t gradeHundredths = 0;  // SimulationChanged: grade in 0.01 %
};
Refusal parseMachineStatus(std::span<const uint8_t> bytes, MachineStatus& out);

// Fitness Machine Feature (FTMS 4.3): two uint32 LE bit fields.
struct Features {
  uint32_t machine = 0;  // bit 1 cadence, bit 14 power measurement
  uint32_t target = 0;   // bit 2 resistance, bit 3 power (ERG), bit 13 simulation parameters
  bool cadence() const { return machine & (1u << 1); }
  bool powerMeasurement() const { return machine & (1u << 14); }
  bool resistanceTarget() const { return target & (1u << 2); }
  bool powerTarget() const { return target & (1u << 3); }
  bool simulation() const { return target & (1u << 13); }
};
Refusal parseFeatures(std::span<const uint8_t> bytes, Features& out);

// Supported Resistance Level Range (0x2AD6: sint16 0.1, step uint16 0.1) and Supported Power
// Range (0x2AD8: sint16 W, step uint16 W): minimum, maximum, increment in the field's units.
struct Range {
  float minimum = 0, maximum = 0, step = 0;
};
Refusal parseRange(std::span<const uint8_t> bytes, float resolution, Range& out);

// The Control Point's indication: 0x80, the request's op code, the result.
enum class ResultCode : uint8_t {
  Success = 0x01, NotSupported = 0x02, InvalidParameter = 0x03, OperationFailed = 0x04,
  ControlNotPermitted = 0x05,
};
std::string_view toString(ResultCode r);
struct ControlResponse {
  uint8_t request = 0;
  ResultCode result = ResultCode::Success;
};
Refusal parseControlResponse(std::span<const uint8_t> bytes, ControlResponse& out);

// Heart Rate Measurement (0x2A37): flags (uint8), the rate as uint8 or uint16, then optional
// energy and RR intervals (checked for length).
Refusal parseHeartRate(std::span<const uint8_t> bytes, int& bpm);
// Cycling Power Measurement (0x2A63): flags (uint16), instantaneous power (sint16 W), then
// optional fields (not read).
Refusal parseCyclingPower(std::span<const uint8_t> bytes, float& watts);

// =============================================================================================
// [Writing] the Control Point's requests (written with a response; answered by indication)
// =============================================================================================

enum class ControlOp : uint8_t {
  RequestControl = 0x00, Reset = 0x01, SetTargetPower = 0x05, StartOrResume = 0x07,
  SetSimulation = 0x11, Response = 0x80,
};
std::string_view toString(ControlOp op);

// The road as the trainer's resistance model takes it (FTMS 4.16.2.18), SI units.
struct Simulation {
  double windSpeedMs = 0;                // positive is a headwind
  double grade = 0;                      // rise / run
  double crr = 0.004;
  double windResistanceKgPerM = 0.196;   // Cw = 1/2 rho CdA
};

// A request, up to 7 bytes: `size` of them used.
struct ControlRequest {
  std::array<uint8_t, 7> bytes{};
  uint8_t size = 0;
  std::span<const uint8_t> span() const { return {bytes.data(), size}; }
};
ControlRequest requestControl();
ControlRequest resetMachine();
ControlRequest startOrResume();
ControlRequest setTargetPower(double watts);  // sint16 W, clamped
// Op code, then LE: wind sint16 (0.001 m/s), grade sint16 (0.01 %), Crr uint8 (0.0001), Cw
// uint8 (0.01 kg/m). Out-of-range values clamp to the field's limits; NaN reads 0.
ControlRequest setSimulation(const Simulation& sim);
// The request's parameters back (what a trainer reads): false unless it is a 7-byte 0x11.
bool readSimulation(std::span<const uint8_t> bytes, Simulation& out);

// =============================================================================================
// [Feel] how the route reaches the legs
// =============================================================================================

// How the route's grade is felt: a share of it uphill, a smaller share downhill, within a
// cap. "expo" is a station's default: visitors in street clothes on a strange bike ride the
// whole route, the climbs felt but never a wall, the descents not a free-wheel drop. Speed is
// never the trainer's: the title's model computes it from the power (the trainer only
// resists). Drafting reaches the legs as a lower wind coefficient (the title's CdA factor).
struct Feel {
  double gradeShare = 0.5;    // of an uphill grade
  double descentShare = 0.25; // of a downhill grade
  double maxGrade = 0.08;     // either way, after the shares
};
inline constexpr Feel kExpoFeel{};
inline constexpr Feel kRealFeel{1.0, 1.0, 0.20};
// "expo" or "real" with an optional uphill share: "expo", "expo:0.6", "real". False on
// anything else (the flag's message names the forms).
bool parseFeel(std::string_view text, Feel& out);

double feltGrade(const Feel& feel, double grade);
Simulation feltSimulation(const Feel& feel, const Simulation& road);

// The simulation updates: at most kMaxPerSecond, and only when the grade sent would move
// by kGradeStep or more (or the wind coefficient by kCwStep: a rider moving into or out of
// a draft). Time is passed in.
class SimulationPacer {
 public:
  static constexpr double kMinInterval = 0.5;  // seconds: 2 per second
  static constexpr double kGradeStep = 0.001;  // 0.1 %
  static constexpr double kCwStep = 0.02;      // kg/m
  // True when `sim` should be sent at `now`; the caller then calls sent().
  bool due(double now, const Simulation& sim) const;
  void sent(double now, const Simulation& sim);
  void reset() { any_ = false; }

 private:
  bool any_ = false;
  double at_ = 0;
  Simulation last_;
};

}  // namespace pav::trainer
