// Fuzz target: the smart trainer's notifications and reads (pav/trainer/ftms.h), which cross
// the Bluetooth link from a device the station does not control.
//
// Input: a first byte picking the parser, then the packet. Properties:
//   - Indoor Bike Data that parses has power in 0..3000 W, speed 0..120 km/h, cadence
//     0..250 rpm, heart rate 0..250, all finite; a refused packet leaves `out` as it was;
//   - a status that parses has a known op code; a target power in 0..3000 W;
//   - a supported range that parses has minimum <= maximum and a positive step;
//   - a control point response that parses answers with one of the five result codes;
//   - heart rate 0..250, cycling power 0..3000 W;
//   - a simulation request read back re-encodes to the same 7 bytes, and any grade felt through
//     any feel stays within that feel's cap.
#include <cmath>
#include <cstring>
#include <string_view>

#include "fuzz_common.h"
#include "pav/trainer/ftms.h"

using namespace pav::trainer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::span<const uint8_t> b(data + 1, size - 1);
  switch (data[0] % 9) {
    case 0: {
      BikeData d;
      d.powerW = 77;
      const Refusal r = parseBikeData(b, d);
      if (r != Refusal::None) {
        FUZZ_CHECK(d.powerW == 77 && !d.hasPower, "a refused packet (%d) changed the reading", int(r));
        break;
      }
      FUZZ_CHECK(std::isfinite(d.powerW) && d.powerW >= 0 && d.powerW <= kMaxPowerW, "power %g", d.powerW);
      FUZZ_CHECK(std::isfinite(d.speedKmh) && d.speedKmh >= 0 && d.speedKmh <= kMaxSpeedKmh, "speed %g", d.speedKmh);
      FUZZ_CHECK(d.cadenceRpm >= 0 && d.cadenceRpm <= kMaxCadenceRpm, "cadence %g", d.cadenceRpm);
      FUZZ_CHECK(d.heartRate >= 0 && d.heartRate <= kMaxHeartRate, "heart rate %d", d.heartRate);
      break;
    }
    case 1: {
      MachineStatus s;
      if (parseMachineStatus(b, s) != Refusal::None) break;
      FUZZ_CHECK(s.op != 0, "op code 0 is reserved");
      FUZZ_CHECK(s.targetPowerW >= 0 && s.targetPowerW <= kMaxPowerW, "target %d", int(s.targetPowerW));
      break;
    }
    case 2: {
      Features f;
      if (parseFeatures(b, f) == Refusal::None) FUZZ_CHECK(b.size() == 8, "features from %zu bytes", b.size());
      break;
    }
    case 3: {
      Range r;
      if (parseRange(b, b.empty() || b[0] & 1 ? 1.0f : 0.1f, r) != Refusal::None) break;
      FUZZ_CHECK(r.minimum <= r.maximum && r.step > 0, "range %g..%g step %g", r.minimum, r.maximum, r.step);
      break;
    }
    case 4: {
      ControlResponse c;
      if (parseControlResponse(b, c) != Refusal::None) break;
      FUZZ_CHECK(uint8_t(c.result) >= 1 && uint8_t(c.result) <= 5, "result %d", int(c.result));
      FUZZ_CHECK(!toString(c.result).empty() && toString(c.result) != "?", "unnamed result");
      break;
    }
    case 5: {
      int bpm = -1;
      if (parseHeartRate(b, bpm) == Refusal::None) FUZZ_CHECK(bpm >= 0 && bpm <= kMaxHeartRate, "bpm %d", bpm);
      break;
    }
    case 6: {
      float w = -1;
      if (parseCyclingPower(b, w) == Refusal::None) FUZZ_CHECK(w >= 0 && w <= kMaxPowerW, "power %g", w);
      break;
    }
    case 7: {
      Simulation sim;
      if (readSimulation(b, sim)) {
        const ControlRequest again = setSimulation(sim);
        FUZZ_CHECK(again.size == 7 && std::memcmp(again.bytes.data(), b.data(), 7) == 0, "re-encoding changed the bytes");
      }
      if (b.size() >= 16) {
        double grade, share;
        std::memcpy(&grade, b.data(), 8);
        std::memcpy(&share, b.data() + 8, 8);
        Feel feel = kExpoFeel;
        if (std::isfinite(share) && share > 0 && share <= 1) feel.gradeShare = share;
        const double g = feltGrade(feel, grade);
        FUZZ_CHECK(std::isfinite(g) && std::abs(g) <= feel.maxGrade, "felt %g from %g", g, grade);
      }
      break;
    }
    default: {
      const std::string_view text(reinterpret_cast<const char*>(b.data()), b.size());
      (void)shortUuid(text);
      Feel f;
      if (parseFeel(text, f)) FUZZ_CHECK(f.gradeShare > 0 && f.gradeShare <= 1, "share %g", f.gradeShare);
      break;
    }
  }
  return 0;
}
