// The OpenXR session: its state machine, the frame loop and the play space.
//
// State machine (driven by the runtime's events, handled in pollEvents):
//   IDLE ──► READY: xrBeginSession ──► SYNCHRONIZED ──► VISIBLE ──► FOCUSED
//   ... ──► STOPPING: xrEndSession ──► IDLE ──► EXITING: done()
//   LOSS_PENDING (session) or an instance-loss event: done() and lost(); destroy and start over
// requestExit() asks the runtime to stop (xrRequestExitSession) and the same path runs to
// EXITING, so quitting always ends the session properly.
//
// One frame (raylib's Begin/End pairs):
//   xr::Frame frame;
//   if (session.beginFrame(frame)) {            // events, xrWaitFrame (paces), xrBeginFrame
//     actions.sync(frame.displayTime);          // hands at the predicted display time
//     ... step the title, fill the scene ...
//     if (frame.shouldRender && session.locateViews(frame, playSpace, views))  // late
//       renderer.drawFrame(target, scene, views);
//     session.endFrame(frame, target);          // projection layer (+ depth), or no layers
//   }
//   if (session.done()) leave the loop;
//
// Play space: STAGE (standing, the floor's centre) or LOCAL (seated); recenter() makes the
// head's current position and heading the play space's origin, so PlaySpace::seatedAt puts
// the visitor's head on the title's seat.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "pav/render/camera.h"
#include "pav/xr/handles.h"
#include "pav/xr/play_space.h"

namespace pav::render {
class Context;
}

namespace pav::xr {

class Runtime;
class XrSwapchainTarget;

enum class SessionState : uint8_t {
  Unknown, Idle, Ready, Synchronized, Visible, Focused, Stopping, LossPending, Exiting
};
const char* stateName(SessionState s);

enum class SpaceKind : uint8_t { Stage, Local };
const char* spaceName(SpaceKind k);

struct SessionDesc {
  SpaceKind space = SpaceKind::Stage;  // falls back to LOCAL (logged) without a STAGE
  float nearZ = 0.05f, farZ = 200.0f;  // of the views drawn, and of the depth layer
};

// One frame, from beginFrame to endFrame.
struct Frame {
  uint64_t index = 0;           // frames begun by this session, from 1
  XrTime displayTime = 0;       // xrWaitFrame's prediction; the time every pose is located at
  XrDuration period = 0;        // the display's refresh period (ns)
  bool shouldRender = false;    // the runtime will show what is submitted
  bool viewsLocated = false;    // locateViews succeeded: the layer has views
  XrView views[2]{};            // as located, in the play space (the layer's poses and fovs)
  // Steady-clock nanoseconds, for frame timing figures.
  int64_t waitReturnNs = 0, locateNs = 0, endNs = 0;
};

struct SessionStats {
  uint64_t framesBegun = 0, framesEnded = 0;
  uint64_t framesWithLayers = 0;     // a projection layer was submitted
  uint64_t framesDiscarded = 0;      // xrBeginFrame said XR_FRAME_DISCARDED
  uint64_t beginCount = 0;           // xrBeginSession calls (sessions may restart)
  uint64_t profileChanges = 0;       // INTERACTION_PROFILE_CHANGED events
  uint64_t presenceChanges = 0;      // XR_EXT_user_presence events
  uint64_t spaceChanges = 0;         // REFERENCE_SPACE_CHANGE_PENDING events for our space
};

class Session {
 public:
  // Creates the session on `context`'s device (which the runtime created through
  // Runtime::vulkanCreator) and the play space. Throws pav::Error on failure.
  Session(Runtime& runtime, render::Context& context, const SessionDesc& desc = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // ---- State machine ------------------------------------------------------------------------
  // Handles every queued event (begin on READY, end on STOPPING, exit, loss).
  void pollEvents();
  SessionState state() const { return state_; }
  bool running() const { return running_; }        // between xrBeginSession and xrEndSession
  bool focused() const { return state_ == SessionState::Focused; }
  // The visitor wears the headset (XR_EXT_user_presence): 1 on, 0 off, -1 not known (the
  // runtime does not sense it, or has not said yet).
  int userPresent() const { return present_; }
  bool done() const { return exiting_ || lost_; }  // leave the loop, destroy the session
  bool lost() const { return lost_; }              // the session or the whole instance is gone
  // Ask to quit: xrRequestExitSession while running (the loop then sees STOPPING and EXITING),
  // or done at once when the session never began.
  void requestExit();
  const std::vector<SessionState>& history() const { return history_; }  // every state seen
  const std::string& endReason() const { return endReason_; }

  // ---- Frames -------------------------------------------------------------------------------
  // Polls events; while running, waits for the frame (xrWaitFrame) and begins it. False when
  // there is no frame to make now (not running, done, lost): the caller loops; beginFrame
  // sleeps a little itself while the session is idle so that loop does not spin.
  bool beginFrame(Frame& frame);
  // Locates the eyes at the frame's display time in the play space and gives their views in
  // the scene's world. Call as late as possible before recording. False when the runtime
  // cannot locate them (then draw nothing and end the frame without layers).
  bool locateViews(Frame& frame, const PlaySpace& space, std::array<render::View, 2>& out);
  // Ends the frame: a projection layer with `target`'s images (and depth) when views were
  // located and the target released an image this frame, else no layers.
  void endFrame(Frame& frame, XrSwapchainTarget* target = nullptr);

  // ---- Spaces -------------------------------------------------------------------------------
  XrSpace space() const { return space_; }  // the play space
  SpaceKind spaceKind() const { return spaceKind_; }
  XrSpace viewSpace() const { return view_; }
  // The head (VIEW) in the play space at `time`; false when untracked.
  bool locateHead(XrTime time, render::Pose& out) const;
  // Makes the head's position and heading at `time` the play space's origin (for STAGE the
  // floor point under the head). False when the head cannot be located now.
  bool recenter(XrTime time);
  bool recentered() const { return recentered_; }

  // ---- Access -------------------------------------------------------------------------------
  XrSession handle() const { return session_; }
  Runtime& runtime() const { return runtime_; }
  render::Context& context() const { return context_; }
  const SessionDesc& desc() const { return desc_; }
  const SessionStats& stats() const { return stats_; }
  uint64_t interactionProfileChanges() const { return stats_.profileChanges; }

 private:
  void handleStateChange(XrSessionState state);
  void setLost(const char* why, XrResult r);
  // Checks a frame-loop call: losses become states (false), other failures throw.
  bool check(XrResult r, const char* call);
  void createPlaySpace(const render::Pose& offset);

  Runtime& runtime_;
  render::Context& context_;
  SessionDesc desc_;
  UniqueSession session_;
  UniqueSpace view_;   // after the session: destroyed first
  UniqueSpace space_;
  SpaceKind spaceKind_ = SpaceKind::Stage;
  render::Pose spaceOffset_;       // of the play space in its reference space
  SessionState state_ = SessionState::Unknown;
  std::vector<SessionState> history_;
  std::string endReason_;
  bool running_ = false;
  bool exiting_ = false;
  bool lost_ = false;
  bool instanceLost_ = false;
  bool exitRequested_ = false;
  bool recentered_ = false;
  bool pendingRecenter_ = false;  // the runtime moved our reference space: recenter again
  bool frameBegun_ = false;
  uint64_t frameIndex_ = 0;
  Frame lastFrame_;  // the frame begun last: ended empty if its caller never ended it
  SessionStats stats_;
  int present_ = -1;
};

}  // namespace pav::xr
