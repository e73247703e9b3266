// Drawing a title in a headset through OpenXR (engine/xr): the pavilion program's XR
// counterpart of Viewer, used by `play --xr` and by `station` when a runtime is present.
//
// Everything title-specific comes from the title and its presenter, never from its name:
//   the seat       Presenter::seat: standing (STAGE space, the visitor on the seat's spot) or
//                  seated (LOCAL space, recentered once onto the seat's eye, which moves with
//                  the car or bike); a title without a seat seats the visitor at its camera
//   the controls   Title::headsetInput turns both controllers (hands in the title's
//                  coordinates, triggers, grips, sticks, buttons) into the seat's InputFrame
//   the haptics    Presenter::feel compares the state the visitor saw last frame with this
//                  frame's; its hand cues become pulses (xr::HapticCues)
//   the body       Presenter::body says what the seat shows of the visitor (controllers,
//                  gloves, a wheel in its cockpit, handlebars); it is drawn at the hands located
//                  again just before drawing (after xrLocateViews), not at the tick's input
// What the visitor reads (text(): the HUD, the session screens) hangs from the head in both eyes. The window,
// where there is a display, mirrors the left eye. xrWaitFrame paces the caller: one
// beginFrame / endFrame pair per display frame.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>

#include <glm/glm.hpp>

#include "commands.h"
#include "pav/core/title.h"
#include "pav/platform/platform.h"
#include "pav/render/presenter.h"
#include "pav/render/render.h"
#include "host_text.h"
#include "pav/xr/xr.h"

namespace pav::tools {

class XrViewer {
 public:
  // Finds the runtime and the headset. nullptr with `why` set (one line) when there is none:
  // the caller falls back to a window or headless.
  static std::unique_ptr<xr::Runtime> openHeadset(std::string& why);
  // Draws `title` (set up; its static data and its controls) in the headset of `runtime`, for
  // the visitor in `seat` (-1: a spectator, seated at the presenter's camera, whose controllers
  // play nothing: the attract scene); a window (where there is a display) mirrors the left eye. Throws
  // pav::Error on start-up failures.
  XrViewer(std::unique_ptr<xr::Runtime> runtime, const core::Title& title, const RenderOptions& options, bool window,
           int seat);
  ~XrViewer();
  XrViewer(const XrViewer&) = delete;
  XrViewer& operator=(const XrViewer&) = delete;

  // Waits for the headset's next frame and samples the controllers into `input` (this seat's
  // InputFrame). False when there is no frame to make now (idle, stopping, done).
  bool beginFrame(core::InputFrame& input);
  // Display time since the previous frame: what the simulation advances by.
  double frameSeconds() const { return frameSeconds_; }
  // Display frames the visitor missed so far: steps of the runtime's predicted display time
  // longer than one period (the compositor showed an old frame again).
  uint64_t missedFrames() const { return missed_; }
  // Draws `state` (the title's networked state as the visitor sees it now) for this frame,
  // sends what the change since the last frame feels like, ends it, mirrors the left eye.
  void endFrame(const core::StateFrame& state);
  // What the visitor reads over the title in both eyes (the title's HUD, the session screens):
  // set it before each frame (HostText::set).
  HostText& text() { return *text_; }
  // The next drawn frame's eyes go to <stem>-left.png and <stem>-right.png.
  void shootNext(const std::string& stem) { pendingShot_ = stem; }

  // Live view (issue 20): the next drawn frame's left eye is copied as it is drawn (nothing
  // drawn twice) and, once the GPU is done with it, encoded into glance() (its serial grows).
  void askGlance() { glanceAsked_ = true; }
  const render::GlanceJpeg& glance() const { return glanceJpeg_; }
  // Calls for staff so far: both grips held kCallHoldSeconds (once per hold).
  uint64_t staffCalls() const { return staffCalls_; }
  static constexpr double kCallHoldSeconds = 2.0;
  // The visitor wears the headset (XR_EXT_user_presence): 1, 0, or -1 when not known.
  int userPresent() const { return xr_.session ? xr_.session->userPresent() : -1; }

  // Quit: the session runs out through STOPPING and EXITING (keep calling beginFrame).
  void requestExit() {
    if (xr_.session) xr_.session->requestExit();
  }
  // Ends the session properly if it still runs (bounded), for the end of a command.
  void finish();
  // finish(), then everything destroyed in reverse order; validationMessages() stays valid.
  void close();
  bool done() const { return !xr_.session || xr_.session->done(); }
  bool lost() const { return xr_.session && xr_.session->lost(); }
  const std::string& endReason() const { return xr_.session->endReason(); }
  std::string describe() const;
  int shots() const { return shots_; }
  // The last frame begun: its timing marks (xr::Frame), for the benchmark.
  const xr::Frame& frame() const { return frame_; }
  uint64_t hapticPulses() const { return pulses_; }
  // The visitor's head (between the eyes) as located for the last frame drawn, in the scene's
  // world; false before the first: what the listener follows (station_sound.h).
  bool head(render::Pose& out) const {
    if (!haveHead_) return false;
    out = head_;
    return true;
  }
  // The hands as located for the last frame drawn (late: after the views), in the play space,
  // and as the frame's controls sampled them (early: at beginFrame, what the ticks used).
  const xr::ControllerState& drawnHands() const { return late_; }
  const xr::ControllerState& sampledHands() const { return xr_.actions->state(); }
  // The play space and the eyes of the last frame drawn (the tests project the body with them).
  const xr::PlaySpace& playSpace() const { return play_; }
  const std::array<render::View, 2>& views() const { return views_; }
  uint32_t validationMessages() const { return xr_.context ? xr_.context->validationMessages() : validation_; }

 private:
  void controllerInput(core::InputFrame& input);
  void mirror();
  // The play space for `state`: the presenter's seat, or seated at `camera`.
  void placeSeat(const core::StateFrame& state, const render::View& camera);
  void sendHaptics(const core::StateFrame& state);
  // The visitor's body for `state` at the hands located now (late), appended to the scene.
  void drawBody(const core::StateFrame& state);

  const core::Title& title_;
  const int seat_;
  std::unique_ptr<render::Presenter> presenter_;
  render::Seat::Stance stance_ = render::Seat::Stance::Seated;
  // In creation order; destroyed in reverse (the runtime last).
  struct Owned {
    std::unique_ptr<xr::Runtime> runtime;
    std::optional<platform::Video> video;
    std::optional<platform::Window> window;
    std::unique_ptr<render::Context> context;
    std::unique_ptr<render::Renderer> renderer;
    std::unique_ptr<xr::Session> session;
    std::unique_ptr<xr::XrSwapchainTarget> target;
    std::unique_ptr<xr::Actions> actions;
    std::unique_ptr<render::WindowTarget> windowTarget;
  } xr_;
  xr::PlaySpace play_;
  render::Scene scene_;
  render::BodyDrawer body_;
  xr::ControllerState late_;
  std::optional<HostText> text_;  // the HUD and the session screens: CPU data, may outlive the context
  xr::Frame frame_;
  bool inFrame_ = false;
  render::Pose head_;
  bool haveHead_ = false;
  std::array<render::View, 2> views_{};
  XrTime lastDisplay_ = 0;
  double frameSeconds_ = 0;
  uint64_t missed_ = 0;
  bool recentered_ = false;
  std::string pendingShot_;
  int shots_ = 0;
  uint32_t validation_ = 0;
  core::StateFrame seen_;  // what the visitor saw last frame (for Presenter::feel)
  bool seenAny_ = false;
  render::Cues cues_;
  xr::HapticCues haptics_;
  uint64_t pulses_ = 0;
  bool glanceAsked_ = false;
  XrTime gripsSince_ = 0;  // display time both grips were first held (0: not held)
  bool called_ = false;    // this hold called already
  uint64_t staffCalls_ = 0;
  render::Glance glance_;
  render::GlanceJpeg glanceJpeg_;
};

}  // namespace pav::tools
