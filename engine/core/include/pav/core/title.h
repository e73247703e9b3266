// The Title contract: what a pavilion experience (driving, cycling, hockey, ...) supplies to
// the engine. The engine owns the loop, the clock, the XR session and the network; a title
// owns its rules and its simulated world, and answers a few calls:
//
//   setup(desc)          build the world for N players from the title's data files
//   step(inputs)         one fixed tick of 1 / info().tickRateHz seconds; deterministic:
//                        no clocks, no I/O, no heap allocation once set up
//   botInput(p, out)     what a bot visitor in seat p does now (same rules as a person)
//   desktopInput(c,p,o)  a desktop visitor's pointer and keys as seat p's input (optional)
//   headsetInput(c,p,o)  a visitor's headset controllers as seat p's input (optional)
//   deviceInput(d,p,o)   the devices the title asked for (TitleInfo::devices) over that (optional)
//   trainerRoad(p, out)  the road seat p's smart trainer should resist as, now (optional)
//   checkInput(p, in)    a station's input as the server receives it: refused or clamped to the
//                        seat's limits before the server stores it (optional; a default)
//   stateHash()          a hash of everything simulated, for determinism checks
//   results(json)        one line: lap times, distance and speed, or the score
//   describe(schema)     what of the state travels over the network, with ranges and precision
//   capture(frame)       the networked state now (server, every tick it sends)
//   apply(frame)         take a server's state, so stepping continues from it (station rewind)
//   ownObject(seat)      the object a seat drives (its station predicts it)
//
// The same step runs on the server and, for prediction, on a station. Inputs are
// device-independent (InputFrame): a wheel, a trainer, a controller or a bot all fill it.
// Drawing (what state maps to a scene), the visitor's seat and what they feel come with each
// title's presenter (pav/render/presenter.h), registered beside it by pav_add_title.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include "pav/core/state.h"

namespace pav::core {

constexpr int kMaxPlayers = 8;
// The widest an input may be (Title::checkInput's default; the wire carries no more).
constexpr float kMaxPedalWatts = 3000;
constexpr float kMaxCadenceRpm = 250;
constexpr float kMaxHandReach = 4;  // metres from the play space's origin, each axis

struct HandInput {
  glm::vec3 position{0.0f};  // in the title's play space (metres)
  glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};
  float trigger = 0;  // 0..1
  float grip = 0;     // 0..1
  bool tracked = false;
};

// A visitor at a desktop (a station's window, no headset): the pointer over the window (0..1
// from the top left), its left button, and the keys (arrows or WASD, Space).
struct DesktopControls {
  float pointerX = 0.5f, pointerY = 0.5f;
  bool pointerDown = false;
  bool left = false, right = false, up = false, down = false, space = false;
};

// A visitor in a headset: both controllers as the runtime read them this frame. The hands'
// grip poses are in the title's coordinates (the presenter's Seat::titleFrame says where
// those are); buttons are the headset's bits, the left hand's in the low byte and the right
// hand's in the next (xr::ButtonBit: primary, secondary, menu, stick, trigger, squeeze).
struct HeadsetControls {
  HandInput hands[2];                       // 0 left, 1 right
  glm::vec2 thumbsticks[2]{glm::vec2(0.0f), glm::vec2(0.0f)};  // -1..1, +y forward
  uint32_t buttons = 0;
};

// The devices a station opens for a title that asks for them (TitleInfo::devices, bits).
enum DeviceBit : uint32_t {
  kDeviceWheel = 1u << 0,    // a driving wheel with pedals, or a game controller
  kDeviceTrainer = 1u << 1,  // a smart trainer under a real bike
};

// What the title's devices read this frame.
struct DeviceReadings {
  struct Wheel {
    bool touched = false;  // one is open and was moved from its rest: it drives
    float steer = 0, throttle = 0, brake = 0;
  } wheel;
  struct Trainer {
    bool present = false;
    float watts = 0, cadenceRpm = 0;
  } trainer;
};

// What a smart trainer (kDeviceTrainer) should resist as for a seat now: the road under the
// rider, in SI units, before any feel the station applies (pav/trainer/ftms.h, Feel).
struct TrainerRoad {
  double grade = 0;                     // rise / run
  double windSpeedMs = 0;               // positive is a headwind
  double crr = 0.004;                   // rolling resistance coefficient
  double windResistanceKgPerM = 0.196;  // Cw = 1/2 rho CdA: drafting lowers it
};

// One player's input for one tick, whatever the device.
struct InputFrame {
  float steer = 0;            // -1 full left .. +1 full right
  float throttle = 0;         // 0..1
  float brake = 0;            // 0..1
  float pedalPowerWatts = 0;  // at the pedals
  float cadenceRpm = 0;
  HandInput hands[2];         // 0 left, 1 right
  uint32_t buttons = 0;       // title-defined bits
};
static_assert(std::is_trivially_copyable_v<InputFrame>, "inputs travel as plain bytes");

struct TitleInfo {
  std::string_view id;    // "hockey": the command-line name
  std::string_view name;  // "Robotic air hockey"
  double tickRateHz = 60;
  int maxPlayers = 1;
  uint32_t devices = 0;   // DeviceBit: what a station opens for a visitor of this title
  bool showcase = false;  // its bots play a match worth watching: a station may show it between sessions
  // A seat whose inputs stop reaching the server this long (a link outage, a handover) is played
  // by the title's bot until they return; shorter outages repeat the seat's last input.
  double awaySeconds = 1.0;
  bool adaptiveSkill = false;  // its bots play kSkillFair: they keep a visitor's match close
};

// Bot skills, by name on every command line and in the dashboard. "fair" adapts to the
// visitor (a title with TitleInfo::adaptiveSkill keeps the match close); a title whose bots do
// not adapt plays it as medium (skillFor).
enum : int { kSkillEasy = 0, kSkillMedium = 1, kSkillHard = 2, kSkillFair = 3 };
inline constexpr const char* kSkillList = "easy, medium, hard, fair";
// "easy", "medium", "hard", "fair", or the numbers 0..3; -1 for anything else.
int parseSkill(std::string_view text);
const char* skillName(int skill);  // "easy" .. "fair"; "?" out of range
int skillFor(const TitleInfo& info, int skill);

// Driving aids, by name on the command line (a title whose visitors drive reads them; others
// ignore them). Off: the car as it is. Light: traction control and braking before corners.
// Expo: those and steering toward the racing line, for a first-timer at a pavilion (a
// station's default). Part of the session's rules: the server's step applies them.
enum : int { kAssistsOff = 0, kAssistsLight = 1, kAssistsExpo = 2 };
inline constexpr const char* kAssistList = "off, light, expo";
// "off", "light", "expo", or the numbers 0..2; -1 for anything else.
int parseAssists(std::string_view text);
const char* assistsName(int assists);  // "off" .. "expo"; "?" out of range

struct TitleSetup {
  int players = 1;         // seats in use, 1..maxPlayers
  uint64_t seed = 1;       // all randomness in the title comes from this
  int skill = 1;           // bots: kSkillEasy, kSkillMedium, kSkillHard or kSkillFair
  std::string dataDir;     // where the title's asset files are, its presenter's models in
                           // <dataDir>/models (empty: the built-in assets/)
  double durationSeconds = 0;  // 0: the title's own length (race laps, match clock)
  int assists = kAssistsOff;   // driving aids (kAssistsOff .. kAssistsExpo)
};

class Title {
 public:
  virtual ~Title() = default;
  virtual const TitleInfo& info() const = 0;
  // Throws pav::Error naming the file and the problem when a data file is missing or bad.
  virtual void setup(const TitleSetup& setup) = 0;
  // inputs.size() == players given to setup.
  virtual void step(std::span<const InputFrame> inputs) = 0;
  virtual void botInput(int player, InputFrame& out) const = 0;
  // A desktop visitor's controls as `player`'s input. The default drives: left and right
  // steer, up is the throttle, down the brake; Space or the pointer's button pulls the right
  // hand's trigger and sets button bit 0. A title whose seats are played with the hands maps
  // the pointer into its play space (hockey: onto the visitor's half of the table).
  virtual void desktopInput(const DesktopControls& controls, int player, InputFrame& out) const;
  // A headset visitor's controllers as `player`'s input. The default hands them on as they
  // are: both hands (a title played with the hands reads hands[1], the right, as the one that
  // plays), their triggers and grips, and the buttons.
  virtual void headsetInput(const HeadsetControls& controls, int player, InputFrame& out) const;
  // The devices over the headset's or the desktop's input in `out`. The default: a touched
  // wheel takes the steering and the pedals (applyWheel); a trainer the power and cadence.
  virtual void deviceInput(const DeviceReadings& devices, int player, InputFrame& out) const;
  // The road `player`'s trainer should resist as now; false (the default) when the title has
  // none (a trainer then keeps its last setting). Read by the station each frame: no allocation.
  virtual bool trainerRoad(int player, TrainerRoad& out) const {
    (void)player, (void)out;
    return false;
  }
  // A station's input for `player`, as the session server received it, checked against what
  // the seat can do before it is stored and stepped: false refuses it (counted by the server);
  // otherwise out-of-range fields are clamped in place. The default refuses non-finite values
  // and clamps to InputFrame's ranges (steer -1..1, throttle, brake, trigger and grip 0..1,
  // power 0..kMaxPedalWatts, cadence 0..kMaxCadenceRpm, hands within kMaxHandReach of the
  // origin, orientation normalised). A title played with the hands clamps them further to the
  // seat's reachable space (hockey: its half of the table; balloons: an arm's reach of its
  // spot), calling this default first. Deterministic, no allocation: it runs per input.
  virtual bool checkInput(int player, InputFrame& in) const;
  virtual uint64_t tick() const = 0;
  virtual bool finished() const = 0;
  virtual uint64_t stateHash() const = 0;
  virtual std::string results(bool json) const = 0;

  // The networked state (state.h). Valid after setup; capture allocates nothing.
  virtual void describe(StateSchema& schema) const = 0;
  virtual void capture(StateFrame& out) const = 0;
  // Continue from a server's (quantized) state and tick. Whatever the frame does not carry
  // (contact caches, suspension, sleep timers) is kept or rebuilt; the error this leaves is
  // what the station's reconciliation blends out.
  virtual void apply(const StateFrame& in) = 0;
  // The object that seat's visitor drives, or -1 when the title has none for it.
  virtual int ownObject(int seat) const = 0;

  double dt() const { return 1.0 / info().tickRateHz; }
};

// A new frame sized by the title's schema, holding its state now. Allocates: for setting up
// (a host's first frame, a test), not per tick, where capture() into a kept frame is the way.
StateFrame captureNew(const Title& title);

// A touched wheel's steering and pedals over `out`'s (clamped); an untouched one changes nothing.
void applyWheel(const DeviceReadings::Wheel& wheel, InputFrame& out);

// The registry: titles add themselves by id; tools create them by name.
using TitleFactory = std::function<std::unique_ptr<Title>()>;
void registerTitle(std::string_view id, TitleFactory factory);
std::unique_ptr<Title> createTitle(std::string_view id);  // nullptr if unknown
std::vector<std::string> titleIds();                      // sorted

// 64-bit FNV-1a over raw bytes, for state hashes.
inline uint64_t hashBytes(const void* data, size_t n, uint64_t h = 1469598103934665603ull) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

}  // namespace pav::core
