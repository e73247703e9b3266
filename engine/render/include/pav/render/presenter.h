// Presenters: how a title meets its visitor at a station, without the title seeing Vulkan,
// OpenXR or a device. The title's simulation (core::Title) runs on the server; a station
// receives its networked state (core::StateFrame) and hands it to the title's presenter,
// which answers everything the host would otherwise have to know the title for:
//
//   meshes() / setMeshes(ids)   the meshes it draws with, uploaded once by the host
//   present(state, scene, cam)  the scene for this state, and a spectator's camera
//   seat(state, out)            where the visitor is: standing at a place (a table side) or
//                               seated in something that moves (a car, a bike), in the scene
//   body(state, out)            what the seat shows of the visitor (body.h): controllers or
//                               gloves at the hands, or the hands on a steering wheel in its
//                               cockpit or on handlebars; the host draws it at the newest pose
//   feel(before, now, cues)     what the visitor feels as the state changes: jolts and rumbles
//                               per hand (and, for titles that want one, in the wheel)
//   sounds() / hear(b, now, cues)  what the visitor hears (sound.h): the title's sounds, declared
//                               once as recipes, and per frame the loops (an engine note by its
//                               rpm and load) and one-shots (a hit by its impulse) in the world
//   hud(state, context, canvas) what the visitor reads: the title's HUD while playing and its
//                               classification at the results, in the visitor's language,
//                               drawn on ui::Canvas (pav/render/ui.h) from its string table
//
// A presenter is made for one seat (pav::titles::makePresenter(title, seat); -1 a spectator)
// from a title after setup, and keeps only the title's static data (the track, the route, the
// table); everything that moves comes from the frame it is given, so the same presenter draws
// a server's session, a station's interpolated view, a replay or a local game. Its calls
// allocate nothing once the meshes are set. How a headset's controllers and a station's
// devices become the seat's InputFrame is the title's own (core::Title::headsetInput,
// deviceInput, desktopInput): it is the rules of play, the server checks nothing else.
//
// Only Vulkan-free headers are involved: scene.h, mesh.h, camera.h (the pav_scene library).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "pav/core/state.h"
#include "pav/core/strings.h"
#include "pav/render/body.h"
#include "pav/render/camera.h"
#include "pav/render/mesh.h"
#include "pav/render/scene.h"
#include "pav/render/sound.h"
#include "pav/render/ui.h"

namespace pav::render {

// Where a visitor is in the title's world.
struct Seat {
  enum class Stance : uint8_t {
    Standing,  // on the floor of a room-scale space (the STAGE), at `eye`'s spot, facing its heading
    Seated,    // the head put on `eye` (a recentered LOCAL space), which moves with the seat
  };
  Stance stance = Stance::Seated;
  Pose eye;         // in the scene's world: the eye of a visitor of average height
  Pose titleFrame;  // the title's own coordinates in the scene's world: InputFrame hands are given in them
};

// What a visitor should feel this frame. A jolt is one short pulse (a puck hit, a gear shift);
// a rumble a buzz that lasts for as long as it is asked for, frame by frame (a kerb).
enum class Feel : uint8_t { Jolt, Rumble };
enum class FeelWhere : uint8_t { LeftHand, RightHand, Wheel };

struct Cue {
  FeelWhere where = FeelWhere::RightHand;
  Feel feel = Feel::Jolt;
  float amplitude = 0;  // 0..1
  float seconds = 0;    // a jolt's length
};

// A wheel's steady forces (a real wheel with force feedback), renewed every frame: a constant
// torque (-1..1 of the wheel's strongest, positive turns the rim clockwise, like a steer of +1)
// and a centring spring and a damper (0..1 of their strongest). Kerbs and knocks come as the
// wheel's rumbles and jolts (FeelWhere::Wheel).
struct WheelForce {
  float torque = 0;
  float spring = 0;
  float damper = 0;
};

// The cues of one frame: a fixed handful, so asking allocates nothing.
class Cues {
 public:
  static constexpr size_t kMax = 8;
  void jolt(FeelWhere where, float amplitude, float seconds) { add({where, Feel::Jolt, amplitude, seconds}); }
  void rumble(FeelWhere where, float amplitude) { add({where, Feel::Rumble, amplitude, 0.0f}); }
  // Both hands (a wheel held in both): the same cue on each.
  void bothHands(Feel feel, float amplitude, float seconds = 0.0f) {
    add({FeelWhere::LeftHand, feel, amplitude, seconds});
    add({FeelWhere::RightHand, feel, amplitude, seconds});
  }
  // The wheel's forces this frame (the last asked wins); null: none asked.
  void wheelForce(const WheelForce& f) { force_ = f, hasForce_ = true; }
  const WheelForce* wheelForce() const { return hasForce_ ? &force_ : nullptr; }
  std::span<const Cue> all() const { return {cues_.data(), count_}; }
  void clear() { count_ = 0, hasForce_ = false; }

 private:
  void add(const Cue& c) {
    if (count_ < kMax && c.amplitude > 0) cues_[count_++] = c;
  }
  std::array<Cue, kMax> cues_{};
  size_t count_ = 0;
  WheelForce force_{};
  bool hasForce_ = false;
};

// Where the visitor's session is, as the host tells a presenter's HUD. The host draws the
// lobby, the 3-2-1 start and the time-up notice itself (from the engine's string table); the
// presenter draws its HUD in Playing and Warning, and its classification in Results.
enum class HudStage : uint8_t { Lobby, Start, Playing, Warning, Results };
// Start is the last kHudStartSeconds before the play (the host's 3-2-1).
inline constexpr double kHudStartSeconds = 3.0;

struct HudContext {
  core::Lang lang = core::Lang::Zh;
  const core::StringTable* strings = nullptr;  // the title's own table (<dataDir>/<id>/strings.json)
  HudStage stage = HudStage::Playing;
  double secondsLeft = -1;  // of the session; negative: no limit known (a local game)
  double secondsToStart = -1;  // Lobby and Start: until the play starts; negative: not known
  Pose head;                // the visitor's head (the camera in a window) in the scene's world
  // The visitor's comfort setting: how strong a seated title's tunnelling vignette may get
  // (0 off .. 1 full), drawn in both eyes as a panel on the head; the host sets it.
  float vignette = 0.0f;
};

class Presenter {
 public:
  virtual ~Presenter() = default;
  // The meshes to upload, once. Their ids come back through setMeshes in the same order.
  virtual std::vector<MeshData> meshes() const = 0;
  virtual void setMeshes(std::span<const MeshId> ids) = 0;
  // Fills `scene` (clearing it first; its storage is reused) for `state` and sets `camera` to
  // a spectator's (or, for a seat, that visitor's flat-screen) view with the given aspect ratio.
  virtual void present(const core::StateFrame& state, Scene& scene, View& camera, float aspect) const = 0;
  // The visitor's seat in `state`. False: the title has no seat for this one; the host seats
  // the visitor at the camera present() chose.
  virtual bool seat(const core::StateFrame& state, Seat& out) const {
    (void)state, (void)out;
    return false;
  }
  // What the seat shows of its visitor in `state` (body.h); the host draws it at the hands as
  // located just before the frame is drawn. Default: the controllers, wherever they are.
  virtual void body(const core::StateFrame& state, Body& out) const {
    (void)state;
    out = Body{};
  }
  // What the change from `before` to `now` (consecutive frames the visitor saw) feels like.
  // Appends to `cues`. Non-const: a presenter may remember what it needs between frames.
  virtual void feel(const core::StateFrame& before, const core::StateFrame& now, Cues& cues) {
    (void)before, (void)now, (void)cues;
  }
  // The title's sounds (sound.h), synthesized once by the host's audio; a cue names one by its
  // index here. The span stays valid for the presenter's life.
  virtual std::span<const SoundSpec> sounds() const { return {}; }
  // What sounds in the change from `before` to `now` (consecutive frames the visitor saw):
  // appends to `cues` every loop that should go on and every one-shot that starts, positioned in
  // the scene's world. Allocates nothing. Non-const like feel().
  virtual void hear(const core::StateFrame& before, const core::StateFrame& now, SoundCues& cues) {
    (void)before, (void)now, (void)cues;
  }
  // What the visitor reads over `state`: panels in the world (a scoreboard over the table) or on
  // the head (ui::Anchor::Head: a speedometer). Per frame: allocates nothing once its slots are
  // laid out. Non-const: a presenter may remember what it needs between frames (a goal's time).
  virtual void hud(const core::StateFrame& state, const HudContext& context, ui::Canvas& canvas) {
    (void)state, (void)context, (void)canvas;
  }
};

}  // namespace pav::render
