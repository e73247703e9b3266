// A station's sessions, as an agent of the director plays them (`pavilion station --director`):
// the state machine between the StationAgent (orders in, status out) and what plays a session
// or the attract scene. It reads no clock: the caller passes `now` to step(), once a frame.
//
//          launch              shown and started           last kWarnSeconds
//   Idle ---------> Loading --------------------> Playing -------------------> Warning
//    ^                 |  (lobby, 3-2-1 start)        |                           |
//    |                 +------------------------------+---------------------------+
//    |                        ended, refused, stopped by the director, replaced
//    +------------------ Ended <--------------------------------------------------+
//      kEndedShownSeconds later        (a new launch goes straight to Loading)
//
// Loading, Playing and Warning are sessionPhase() (floor_states.h) of the session it plays:
// Loading through the lobby and the 3-2-1 start (the session's server holds the title until
// its start; the player says how far off it is), and the time of play counts from the start.
// The visitor sees the time-up notice while it is Warning. A session that is over for its
// player (its results arrived) may still be shown for a while (the results screen,
// kResultsSeconds, while over()): the station reports Ended meanwhile, a Stop for it changes
// nothing, and a new launch replaces it at once. Between sessions the loop runs the attract
// scene where there is one, until its window is closed.
//
// What plays is behind two small interfaces, at the hardware seam (the window, the headset,
// Vulkan): the pavilion program plays with StationRun and AttractScene (station_command.cpp),
// the tests with plain fakes, against a real director over loopback.
//
//   StationLoop loop(agent, players, {.json = true});
//   while (running) loop.step(clock.elapsed());
//   loop.stop();   // ends what still plays
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "agent.h"
#include "floor_states.h"

namespace pav::director {

// What a player tells the operator's desk (issue 20; live_desk.h): its latest live picture
// (asked for with askPicture(), made from a frame drawn anyway, a few frames later), whether the
// visitor wears the headset, and counts of the visitor's calls for staff and of lost devices.
struct PlayerDesk {
  const uint8_t* jpeg = nullptr;  // the latest picture (valid until the player's next step)
  size_t jpegBytes = 0;
  int width = 0, height = 0;
  uint64_t serial = 0;            // grows with each picture; 0: none yet
  int present = -1;               // 1 the headset is worn, 0 taken off, -1 not known
  uint64_t staffCalls = 0, wheelLosses = 0, trainerLosses = 0;
};

// One session as the station plays it (StationRun in the pavilion program).
class SessionPlayer {
 public:
  virtual ~SessionPlayer() = default;
  // One frame; false once the session is over for this station (ended, refused, closed).
  virtual bool step(double now) = 0;
  // Connected and showing the session to the visitor (not connecting, a first view drawn).
  virtual bool shown() const = 0;
  // Seconds until the play starts (the lobby and the 3-2-1 start), 0 once it has; negative while
  // not known (not yet welcomed by its server).
  virtual double secondsToStart(double now) const {
    (void)now;
    return 0;
  }
  // The session is over and its results are shown (step() goes on until they have been).
  virtual bool over() const { return false; }
  // The time-up notice with this much left; negative: none.
  virtual void setNotice(double secondsLeft) = 0;
  // What the visitor hears, 0 (silent) .. 1 (full): the director's volume and mute.
  virtual void setVolume(float volume01) { (void)volume01; }
  virtual int seat() const = 0;
  // fps, missed frames, round trip, loss and headset; the agent adds the uptime.
  virtual Health health() const = 0;
  // The end: writes the pictures asked for and returns the first one's path, or "".
  virtual std::string finish() = 0;
  // Whether the server refused this station, and why.
  virtual bool refused() const = 0;
  virtual std::string refusal() const = 0;
  // The session's results as JSON text ("" when there are none), its network stats as JSON text.
  virtual std::string results() const = 0;
  virtual std::string statsJson() const = 0;
  virtual uint32_t validationMessages() const = 0;
  // The operator's desk: a picture wanted (the next frame drawn is copied), and the signals.
  virtual void askPicture() {}
  virtual PlayerDesk desk() const { return {}; }
  // Why the session ended for this station when it was not the session's end ("" otherwise):
  // "the headset was off for 30 s".
  virtual std::string leftWhy() const { return {}; }
};

// What the headset or the window shows between sessions (AttractScene in the pavilion program).
class AttractPlayer {
 public:
  virtual ~AttractPlayer() = default;
  // One frame; false once the visitor closed the window (or the headset's session ended).
  virtual bool step(double now) = 0;
  virtual int frames() const = 0;
  virtual uint32_t validationMessages() const = 0;
  // What it shows, for the log: "hockey played by its two bots".
  virtual std::string describe() const = 0;
  virtual void askPicture() {}
  virtual PlayerDesk desk() const { return {}; }
};

// Makes the players. Each call may open a window or a headset.
class StationPlayers {
 public:
  virtual ~StationPlayers() = default;
  // A player for the director's order; the session server is at `host`:order.port.
  virtual std::unique_ptr<SessionPlayer> play(const LaunchOrder& order, const std::string& host) = 0;
  // The attract scene, or null where the station has none (no headset, no window).
  virtual std::unique_ptr<AttractPlayer> attract() = 0;
  // Whether a visitor plays here in a headset (the idle report says so).
  virtual bool headset() const = 0;
};

// How a session ended on this station (StationLoopDesc::onEnd; the pavilion program prints it
// with --json).
struct SessionEnd {
  std::string session, title;
  std::string why;        // "ended", "stopped by the director", "refused: ...", "replaced by session s4", ...
  std::string results;    // JSON text, "" when none
  std::string statsJson;  // JSON text
  std::string picture;    // "" when none
};

struct StationLoopDesc {
  std::function<void(const SessionEnd&)> onEnd;  // after each session, or none
};

class StationLoop {
 public:
  StationLoop(StationAgent& agent, StationPlayers& players, StationLoopDesc desc = {});
  ~StationLoop();
  StationLoop(const StationLoop&) = delete;
  StationLoop& operator=(const StationLoop&) = delete;

  // One pass: the director's traffic (waiting up to 10 ms for it when nothing is drawn), its
  // orders, a frame of the session or of the attract scene, and the station's status.
  void step(double now);
  // Ends the session still playing ("ended: the station stopped") and the attract scene.
  void stop(double now);

  StationState state() const { return state_; }
  // The session playing or last played ("" before the first).
  const std::string& session() const { return order_.session; }
  // Seconds of the session's play left at `now`, as the station counts them from its order
  // (the whole length until the start).
  double remaining(double now) const;
  int played() const { return played_; }
  // 3 once the validation layer reported a message (in a session or the attract scene), else 0.
  int exitCode() const { return code_; }
  bool attractShown() const { return attract_ != nullptr; }

 private:
  void start(const LaunchOrder& order, double now);
  void endSession(const std::string& why, double now);
  void stepAttract(double now);
  void stopAttract(const char* why);
  void report(double now);
  void serveDesk(double now);  // pictures for the director while watched; the visitor's calls and lost devices as alerts

  StationAgent& agent_;
  StationPlayers& players_;
  StationLoopDesc desc_;
  StationState state_ = StationState::Idle;
  std::unique_ptr<SessionPlayer> run_;
  std::unique_ptr<AttractPlayer> attract_;
  bool attractClosed_ = false;
  LaunchOrder order_;
  double launchedAt_ = 0, endedAt_ = -1e9;
  float volume_ = 1.0f;  // the director's volume for this station's visitors (muted: 0)
  bool warned_ = false;
  int played_ = 0, code_ = 0;
  StationStatus status_;  // kept, so that a frame's report allocates nothing
  PlayerDesk seen_;       // the player's desk as last served (reset for each player)
  int present_ = -1;
};

}  // namespace pav::director
