// Force feedback in the visitor's wheel (force_feedback.h): SDL2's haptic API for a wheel
// with force feedback, SDL_JoystickRumble for a game pad.
//
// Index: [Device]  setting up the device Wheels has open: haptic effects or rumble
//        [Haptic]  the steady forces, a kerb's sine and a knock's, rate-limited
//        [Rumble]  a pad's two motors
#include "pav/platform/force_feedback.h"

#include <SDL2/SDL.h>

#include <algorithm>
#include <cmath>

#include "pav/core/log.h"
#include "pav/platform/platform.h"

namespace pav::platform {

const char* feedbackPathName(FeedbackPath p) {
  switch (p) {
    case FeedbackPath::Haptic: return "force feedback";
    case FeedbackPath::Rumble: return "rumble";
    default: return "none";
  }
}

void ForceFeedback::HapticCloser::operator()(_SDL_Haptic* h) const { SDL_HapticClose(h); }

ForceFeedback::ForceFeedback(const ForceFeedbackDesc& desc)
    : desc_(desc), scale_(float(std::clamp(desc.strength, 0, 100)) / 100.0f) {}

ForceFeedback::~ForceFeedback() {
  haptic_.reset();  // SDL_HapticClose destroys its effects
  if (subsystem_) SDL_QuitSubSystem(SDL_INIT_HAPTIC);
}

// ---- [Device] -----------------------------------------------------------------------------

namespace {

// The strongest cue of a kind for the wheel this frame.
const render::Cue* strongest(const render::Cues& cues, render::Feel feel) {
  const render::Cue* best = nullptr;
  for (const render::Cue& c : cues.all())
    if (c.where == render::FeelWhere::Wheel && c.feel == feel && (!best || c.amplitude > best->amplitude)) best = &c;
  return best;
}

Sint16 level(float v) { return Sint16(std::lround(std::clamp(v, -1.0f, 1.0f) * 32767.0f)); }
Uint16 motor(float v) { return Uint16(std::lround(std::clamp(v, 0.0f, 1.0f) * 65535.0f)); }
Uint32 millis(double s) { return Uint32(std::max(1.0, std::round(s * 1000.0))); }

SDL_HapticEffect condition(Uint16 type, float k) {
  SDL_HapticEffect e;
  SDL_zero(e);
  e.type = type;
  e.condition.direction.type = SDL_HAPTIC_STEERING_AXIS;
  e.condition.length = SDL_HAPTIC_INFINITY;
  e.condition.right_sat[0] = e.condition.left_sat[0] = motor(k);
  e.condition.right_coeff[0] = e.condition.left_coeff[0] = level(k);
  return e;
}

SDL_HapticEffect constantForce(float torque) {
  SDL_HapticEffect e;
  SDL_zero(e);
  e.type = SDL_HAPTIC_CONSTANT;
  e.constant.direction.type = SDL_HAPTIC_STEERING_AXIS;  // positive: towards the axis's + (right)
  e.constant.length = SDL_HAPTIC_INFINITY;
  e.constant.level = level(torque);
  return e;
}

SDL_HapticEffect sine(float amplitude, Uint16 periodMs, Uint32 length) {
  SDL_HapticEffect e;
  SDL_zero(e);
  e.type = SDL_HAPTIC_SINE;
  e.periodic.direction.type = SDL_HAPTIC_STEERING_AXIS;
  e.periodic.period = periodMs;
  e.periodic.magnitude = level(amplitude);
  e.periodic.length = length;
  return e;
}

constexpr Uint16 kKerbPeriodMs = 25;   // a kerb's ridges at speed: 40 Hz
constexpr Uint16 kKnockPeriodMs = 60;  // a knock: one or two heavy swings

}  // namespace

void ForceFeedback::openFor(Wheels& wheels) {
  device_ = wheels.instance();
  haptic_.reset();
  constant_ = spring_ = damper_ = kerb_ = knock_ = -1;
  sent_ = {};
  kerbSent_ = 0;
  lowSent_ = highSent_ = 0;
  joltUntil_ = rumbleUntil_ = lastUpdate_ = -1e9;
  path_ = FeedbackPath::None;
  SDL_Joystick* j = wheels.joystick();
  if (!j || scale_ <= 0) return;
  if (!subsystem_ && SDL_WasInit(SDL_INIT_HAPTIC) == 0) subsystem_ = SDL_InitSubSystem(SDL_INIT_HAPTIC) == 0;
  if (SDL_WasInit(SDL_INIT_HAPTIC) != 0 && SDL_JoystickIsHaptic(j) == 1) {
    haptic_.reset(SDL_HapticOpenFromJoystick(j));
    if (haptic_) {
      SDL_Haptic* h = haptic_.get();
      const unsigned int can = SDL_HapticQuery(h);
      const auto make = [&](unsigned int kind, SDL_HapticEffect e, bool run) {
        if (!(can & kind)) return -1;
        const int id = SDL_HapticNewEffect(h, &e);
        if (id >= 0 && run) SDL_HapticRunEffect(h, id, 1);
        return id;
      };
      constant_ = make(SDL_HAPTIC_CONSTANT, constantForce(0), true);
      spring_ = make(SDL_HAPTIC_SPRING, condition(SDL_HAPTIC_SPRING, 0), true);
      damper_ = make(SDL_HAPTIC_DAMPER, condition(SDL_HAPTIC_DAMPER, 0), true);
      kerb_ = make(SDL_HAPTIC_SINE, sine(0, kKerbPeriodMs, SDL_HAPTIC_INFINITY), false);
      knock_ = make(SDL_HAPTIC_SINE, sine(0, kKnockPeriodMs, 100), false);
      if (constant_ >= 0 || spring_ >= 0) {
        path_ = FeedbackPath::Haptic;
        PAV_INFO("force feedback: %s (constant %s, spring %s, damper %s, sine %s)", wheels.deviceName().c_str(),
                 constant_ >= 0 ? "yes" : "no", spring_ >= 0 ? "yes" : "no", damper_ >= 0 ? "yes" : "no",
                 kerb_ >= 0 ? "yes" : "no");
        return;
      }
      haptic_.reset();
    }
  }
  if (SDL_JoystickHasRumble(j)) {
    path_ = FeedbackPath::Rumble;
    PAV_INFO("force feedback: %s rumbles (no force feedback)", wheels.deviceName().c_str());
  }
}

void ForceFeedback::play(Wheels& wheels, const render::Cues& cues, double seconds) {
  if (wheels.instance() != device_) openFor(wheels);
  if (path_ == FeedbackPath::None) return;
  const bool due = seconds - lastUpdate_ >= desc_.minUpdateS;
  const uint64_t before = updates_;
  if (path_ == FeedbackPath::Haptic) playHaptic(cues, seconds, due);
  else playRumble(wheels, cues, seconds, due);
  if (updates_ != before) lastUpdate_ = seconds;
}

// ---- [Haptic] -----------------------------------------------------------------------------

void ForceFeedback::playHaptic(const render::Cues& cues, double seconds, bool due) {
  SDL_Haptic* h = haptic_.get();
  // A knock at once (an event, not a level), unless one is still playing.
  if (const render::Cue* jolt = strongest(cues, render::Feel::Jolt); jolt && knock_ >= 0 && seconds >= joltUntil_) {
    SDL_HapticEffect e = sine(jolt->amplitude * scale_, kKnockPeriodMs, millis(jolt->seconds));
    if (SDL_HapticUpdateEffect(h, knock_, &e) == 0 && SDL_HapticRunEffect(h, knock_, 1) == 0) ++updates_;
    joltUntil_ = seconds + jolt->seconds;
  }
  if (!due) return;
  const render::WheelForce* asked = cues.wheelForce();
  const render::WheelForce want = asked ? render::WheelForce{asked->torque * scale_, asked->spring * scale_, asked->damper * scale_}
                                        : render::WheelForce{};
  const auto moved = [&](float now, float was) {
    return std::fabs(now - was) >= desc_.minChange || (now == 0.0f && was != 0.0f);
  };
  if (constant_ >= 0 && moved(want.torque, sent_.torque)) {
    SDL_HapticEffect e = constantForce(want.torque);
    if (SDL_HapticUpdateEffect(h, constant_, &e) == 0) ++updates_, sent_.torque = want.torque;
  }
  if (spring_ >= 0 && moved(want.spring, sent_.spring)) {
    SDL_HapticEffect e = condition(SDL_HAPTIC_SPRING, want.spring);
    if (SDL_HapticUpdateEffect(h, spring_, &e) == 0) ++updates_, sent_.spring = want.spring;
  }
  if (damper_ >= 0 && moved(want.damper, sent_.damper)) {
    SDL_HapticEffect e = condition(SDL_HAPTIC_DAMPER, want.damper);
    if (SDL_HapticUpdateEffect(h, damper_, &e) == 0) ++updates_, sent_.damper = want.damper;
  }
  const render::Cue* rumble = strongest(cues, render::Feel::Rumble);
  const float kerb = rumble ? rumble->amplitude * scale_ : 0.0f;
  if (kerb_ >= 0 && moved(kerb, kerbSent_)) {
    if (kerb > 0) {
      SDL_HapticEffect e = sine(kerb, kKerbPeriodMs, SDL_HAPTIC_INFINITY);
      if (SDL_HapticUpdateEffect(h, kerb_, &e) == 0 && (kerbSent_ > 0 || SDL_HapticRunEffect(h, kerb_, 1) == 0))
        ++updates_, kerbSent_ = kerb;
    } else if (SDL_HapticStopEffect(h, kerb_) == 0) {
      ++updates_, kerbSent_ = 0;
    }
  }
}

// ---- [Rumble] -----------------------------------------------------------------------------

void ForceFeedback::playRumble(Wheels& wheels, const render::Cues& cues, double seconds, bool due) {
  SDL_Joystick* j = wheels.joystick();
  if (!j) return;
  const auto send = [&](Uint16 low, Uint16 high, double hold) {
    if (SDL_JoystickRumble(j, low, high, millis(hold)) != 0) return;
    ++updates_;
    lowSent_ = low, highSent_ = high;
    rumbleUntil_ = seconds + hold;
  };
  // A jolt at once, both motors, for its length; it wins until it is over.
  if (const render::Cue* jolt = strongest(cues, render::Feel::Jolt); jolt && seconds >= joltUntil_) {
    const Uint16 m = motor(jolt->amplitude * scale_);
    send(m, m, jolt->seconds);
    joltUntil_ = seconds + jolt->seconds;
    return;
  }
  if (seconds < joltUntil_ || !due) return;
  const render::Cue* rumble = strongest(cues, render::Feel::Rumble);
  const float a = rumble ? rumble->amplitude * scale_ : 0.0f;
  const Uint16 low = motor(a), high = motor(a * kHighMotorShare);
  if (low == 0 && high == 0) {
    if ((lowSent_ || highSent_) && seconds < rumbleUntil_) send(0, 0, 0.0);
    lowSent_ = highSent_ = 0;
    return;
  }
  // A new level, or the held one about to run out: tell the device.
  if (low != lowSent_ || high != highSent_ || seconds >= rumbleUntil_ - kRumbleHoldS / 2) send(low, high, kRumbleHoldS);
}

}  // namespace pav::platform
