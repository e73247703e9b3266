// The floor's states and its clock: what a station and a session can be, the one rule that says
// whether a session is loading, playing, in its time-up warning or over, and every timing rule
// of the floor, named once. Header only and free of ENet, Vulkan and JSON, so that the director
// (director.cpp), the station's loop (station_loop.cpp) and the time-up panel of the session
// screens (tools/pavilion/session_screens.h) all read the same rule:
//
//   const SessionPhase phase = sessionPhase({.started = shown, .remaining = left});
//   if (phase == SessionPhase::Warning) run.setNotice(left);
//
// On the wire (the control channel) and in the floor's JSON (ctl, the dashboard) the states are
// their lowercase names: toString() writes them, parse*() reads them and refuses anything else
// with nullopt, never an exception: the names come from the network.
//
//   Station:  idle -> loading -> playing -> warning -> ended -> idle     (offline: silent, director's view)
//   Session:  starting -> loading -> playing -> warning -> ended
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pav::director {

// ---- [States] ------------------------------------------------------------------------------------

// A station as the floor sees it. A station reports Idle..Ended; Offline is the director's word
// for one it has not heard from (a station never reports it).
enum class StationState : uint8_t { Idle, Loading, Playing, Warning, Ended, Offline };
// A session: Starting while its server comes up, then the phases of sessionPhase().
enum class SessionState : uint8_t { Starting, Loading, Playing, Warning, Ended };
// What sessionPhase() says of a session that has a server.
enum class SessionPhase : uint8_t { Loading, Playing, Warning, Ended };

namespace detail {
inline constexpr std::array<std::string_view, 6> kStationNames = {"idle", "loading", "playing", "warning", "ended", "offline"};
inline constexpr std::array<std::string_view, 5> kSessionNames = {"starting", "loading", "playing", "warning", "ended"};

template <typename E, size_t N>
constexpr std::optional<E> parseName(const std::array<std::string_view, N>& names, std::string_view text) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}
}  // namespace detail

constexpr std::string_view toString(StationState s) { return detail::kStationNames[static_cast<size_t>(s)]; }
constexpr std::string_view toString(SessionState s) { return detail::kSessionNames[static_cast<size_t>(s)]; }
constexpr std::string_view toString(SessionPhase p) { return detail::kSessionNames[static_cast<size_t>(p) + 1]; }

// The state with this exact lowercase name; nullopt for anything else ("Playing", "", "paused").
constexpr std::optional<StationState> parseStationState(std::string_view text) {
  return detail::parseName<StationState>(detail::kStationNames, text);
}
constexpr std::optional<SessionState> parseSessionState(std::string_view text) {
  return detail::parseName<SessionState>(detail::kSessionNames, text);
}

// The names follow the enums' order; a phase is a session state less Starting.
static_assert(toString(StationState::Offline) == "offline" && toString(SessionState::Ended) == "ended");
static_assert(toString(SessionPhase::Loading) == "loading" && toString(SessionPhase::Ended) == "ended");

// A phase as a station and as a session state (same names).
constexpr StationState stationState(SessionPhase p) {
  switch (p) {
    case SessionPhase::Loading: return StationState::Loading;
    case SessionPhase::Playing: return StationState::Playing;
    case SessionPhase::Warning: return StationState::Warning;
    case SessionPhase::Ended: break;
  }
  return StationState::Ended;
}
constexpr SessionState sessionState(SessionPhase p) {
  switch (p) {
    case SessionPhase::Loading: return SessionState::Loading;
    case SessionPhase::Playing: return SessionState::Playing;
    case SessionPhase::Warning: return SessionState::Warning;
    case SessionPhase::Ended: break;
  }
  return SessionState::Ended;
}
// What a station's report says of its session: the phase it is in; nullopt when the station is
// in none (idle, or offline).
constexpr std::optional<SessionState> sessionStateOf(StationState s) {
  switch (s) {
    case StationState::Loading: return SessionState::Loading;
    case StationState::Playing: return SessionState::Playing;
    case StationState::Warning: return SessionState::Warning;
    case StationState::Ended: return SessionState::Ended;
    case StationState::Idle:
    case StationState::Offline: break;
  }
  return std::nullopt;
}
// A station in a session that is on its way or under way (it counts as playing it).
constexpr bool showsSession(StationState s) { return s == StationState::Playing || s == StationState::Warning; }

// ---- [Phase] -------------------------------------------------------------------------------------

// The time-up warning: the last kWarnSeconds of a session, shown to the visitor as the time-up
// panel (its bar is full at kWarnSeconds) and to the operator as the "warning" state.
inline constexpr double kWarnSeconds = 30.0;

struct PhaseInput {
  bool over = false;       // its server has finished, or it was stopped
  bool started = false;    // a station shows it (or did: a session never goes back to loading)
  double remaining = 0;    // seconds of it left
};

// The one rule: over is Ended; not started yet is Loading; the last kWarnSeconds are Warning;
// Playing in between.
constexpr SessionPhase sessionPhase(const PhaseInput& in) {
  if (in.over) return SessionPhase::Ended;
  if (!in.started) return SessionPhase::Loading;
  return in.remaining <= kWarnSeconds ? SessionPhase::Warning : SessionPhase::Playing;
}

// How much of the warning is left, 1 (kWarnSeconds or more) down to 0 (time up): the time-up
// panel's bar. `warnSeconds` is kWarnSeconds unless a caller draws a different bar.
constexpr double warningShare(double secondsLeft, double warnSeconds = kWarnSeconds) {
  const double share = secondsLeft / (warnSeconds > 1e-3 ? warnSeconds : 1e-3);
  return share < 0 ? 0 : share > 1 ? 1 : share;
}

// ---- [Timing] ------------------------------------------------------------------------------------
// Every other timing rule of the floor, in seconds.

// The session's timeline as the visitor sees it: a lobby (welcome, the title, how to play),
// the 3-2-1 start, the play (its last kWarnSeconds the time-up warning), the results, then the
// attract scene. The session server holds the title for the lobby and the start (holdSeconds).
inline constexpr double kStartSeconds = 3.0;          // the 3-2-1 start, after the lobby
inline constexpr double kResultsSeconds = 10.0;       // the results screen, after the end
inline constexpr double kDefaultLobbySeconds = 10.0;  // a director's launch (ctl launch --lobby)
inline constexpr double kServerLobbySeconds = 5.0;    // a standalone `pavilion server` (--lobby)
inline constexpr double kMaxLobbySeconds = 600.0;     // the longest lobby a launch may ask for
inline constexpr double kMinBudgetKbps = 16.0;        // a launch's budget per station: below this not one snapshot fits
inline constexpr double kMaxBudgetKbps = 1000000.0;   // ...and above it (1 Gbps) no link is short (pavilion server --budget-kbps)
// The session server's hold for a lobby of `lobby` seconds: the lobby then the start; a lobby
// of 0 is no hold at all (the play starts at once: tests, a quick replay of a setting).
constexpr double holdSeconds(double lobby) { return lobby > 0 ? lobby + kStartSeconds : 0.0; }

inline constexpr double kServerStartSeconds = 15.0;  // a session server that does not listen by then failed
inline constexpr double kUnseenServerSeconds = 5.0;  // a rebuilt session (no server pid) with no station online this long is over
inline constexpr double kTimeUpMarginSeconds = 2.0;  // a server that ends with less left than this ended on time ("time up")
inline constexpr double kOverrunSeconds = 10.0;      // a server still running this long past the session's end is ended
inline constexpr double kOfflineSeconds = 3.0;       // a station silent this long is offline (DirectorDesc's default)
inline constexpr double kEndedListedSeconds = 5.0;   // an ended session stays on the floor this long (DirectorDesc's default)
inline constexpr double kPublishSeconds = 0.5;       // the dashboard's copy of the floor is at most this old (the clocks)
inline constexpr double kQueuedAnswerSeconds = 5.0;  // a dashboard request waits this long for the director's loop
inline constexpr double kEndedShownSeconds = 3.0;    // a station reports "ended" this long after its session, then "idle"
inline constexpr double kReconnectSeconds = 1.0;     // a station agent tries the director again this often
inline constexpr double kHealthSeconds = 1.0;        // a station agent reports its health this often
inline constexpr double kHandshakeSeconds = 2.0;     // a connection not through its handshake by then is dropped
                                                     // (a station: greeting and Register; an operator: greeting)
inline constexpr double kSilentPeerSeconds = 6.0;    // a connection with no accepted message this long is dropped
inline constexpr double kLogWindowSeconds = 10.0;    // log lines caused by unauthenticated traffic: at most
inline constexpr int kLogLinesPerWindow = 20;        // this many per window, then one line with the count left out
inline constexpr int kMaxSessions = 16;              // sessions running at once (DirectorDesc's default)
inline constexpr double kMoveHandoverSeconds = 1.5;  // a moved seat's new station is launched no sooner (the server's
                                                     // holder rule: a holder silent 1 s gives way to the seat's token)
inline constexpr double kMoveWaitSeconds = 10.0;     // ...and no later, even if the old station never said it let go
// ENet on a control connection (director and agent): a silent peer is dropped after 3 to 6 s
// (the minimum is half the limit), pinged every half second; the 3 s offline rule above is the
// director's own and comes first.
inline constexpr uint32_t kPeerTimeoutMs = 6000;
inline constexpr uint32_t kPeerPingMs = 500;

}  // namespace pav::director
