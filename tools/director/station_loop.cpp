// A station's sessions between the agent and the players: orders, the session's phase, the
// attract scene, the status the agent reports.
#include "station_loop.h"

#include <algorithm>
#include <cstdio>

namespace pav::director {

StationLoop::StationLoop(StationAgent& agent, StationPlayers& players, StationLoopDesc desc)
    : agent_(agent), players_(players), desc_(std::move(desc)) {}

StationLoop::~StationLoop() = default;

double StationLoop::remaining(double now) const {
  if (!run_) return 0;
  return std::max(0.0, order_.seconds - std::max(0.0, now - launchedAt_ - order_.startsIn));
}

void StationLoop::step(double now) {
  agent_.update(now, run_ || attract_ ? 0 : 10);
  if (std::optional<LaunchOrder> next = agent_.takeLaunch()) {
    if (run_) endSession("replaced by session " + next->session, now);
    stopAttract("a session starts");
    start(*next, now);
  }
  // A stop for a session this station no longer plays is stale: dropped. It is carried out after
  // the session's step: the director's Stop at time up follows the server's end, and both can
  // wait in the same frame (a slow one, a loaded machine); the step reads the end first, and a
  // session whose results are on the screen is over already: the Stop waits for them.
  const std::optional<std::string> stop = agent_.takeStop();
  if (std::optional<StationAgent::Volume> v = agent_.takeVolume()) {
    volume_ = v->muted ? 0.0f : float(v->volume) / 100.0f;
    const std::string line = "volume " + std::to_string(v->volume) + (v->muted ? ", muted" : "");
    std::fprintf(stderr, "pavilion station: %s\n", line.c_str());
    agent_.log(line);
    if (run_) run_->setVolume(volume_);
  }
  if (run_ && !run_->step(now)) {
    const std::string left = run_->leftWhy();
    endSession(run_->refused() ? "refused: " + run_->refusal() : left.empty() ? "ended" : "left: " + left, now);
  }
  if (stop && run_ && *stop == order_.session && !run_->over()) endSession("stopped by the director", now);
  if (!run_) stepAttract(now);
  serveDesk(now);
  report(now);
}

void StationLoop::serveDesk(double now) {
  if (!run_ && !attract_) {
    present_ = -1;
    return;
  }
  const PlayerDesk d = run_ ? run_->desk() : attract_->desk();
  present_ = d.present;
  if (agent_.viewDue(now)) {
    if (d.serial != 0 && d.serial != seen_.serial) {
      agent_.sendView({d.jpeg, d.jpegBytes}, d.width, d.height, now);
    } else if (run_) {
      run_->askPicture();
    } else {
      attract_->askPicture();
    }
  }
  // Alerts only while a session plays: a visitor between sessions is the staff's already.
  if (run_) {
    if (d.staffCalls > seen_.staffCalls) agent_.alert("call", "the visitor calls for staff (both grips or a wheel button held 2 s)");
    if (d.wheelLosses > seen_.wheelLosses) agent_.alert("wheel", "the wheel was unplugged");
    if (d.trainerLosses > seen_.trainerLosses) agent_.alert("trainer", "the trainer was lost");
  }
  seen_ = d;
}

void StationLoop::stop(double now) {
  stopAttract("the station stops");
  if (run_) endSession("ended: the station stopped", now);
  report(now);  // the director hears the end, not the last frame's state
}

void StationLoop::start(const LaunchOrder& order, double now) {
  order_ = order;
  launchedAt_ = now;
  warned_ = false;
  run_ = players_.play(order_, agent_.directorHost());
  seen_ = {};
  run_->setVolume(volume_);
  state_ = StationState::Loading;
  const std::string line = "session " + order_.session + ": " + order_.title + " for " +
                           std::to_string(static_cast<int>(order_.seconds + 0.5)) + " s (" + order_.difficulty +
                           "), starts in " + std::to_string(static_cast<int>(order_.startsIn + 0.5)) + " s, language " +
                           std::string(core::toString(order_.lang));
  std::fprintf(stderr, "pavilion station: %s\n", line.c_str());
  agent_.log(line);
}

void StationLoop::endSession(const std::string& why, double now) {
  SessionEnd end;
  end.session = order_.session;
  end.title = order_.title;
  end.why = why;
  end.picture = run_->finish();
  end.results = run_->results();
  end.statsJson = run_->statsJson();
  const std::string line =
      "session " + end.session + " (" + end.title + ") " + why + (end.results.empty() ? "" : ": " + end.results);
  std::fprintf(stderr, "pavilion station: %s\n", line.c_str());
  agent_.log(line);
  if (!end.picture.empty()) agent_.log("picture " + end.picture);
  if (desc_.onEnd) desc_.onEnd(end);
  ++played_;
  code_ = std::max(code_, run_->validationMessages() > 0 ? 3 : 0);
  run_.reset();
  seen_ = {};
  endedAt_ = now;
  state_ = StationState::Ended;
}

void StationLoop::stepAttract(double now) {
  if (attractClosed_) return;
  if (!attract_) {
    attract_ = players_.attract();
    if (!attract_) return;
    seen_ = {};
    std::fprintf(stderr, "pavilion station: attract scene: %s\n", attract_->describe().c_str());
  }
  if (!attract_->step(now)) {
    stopAttract("the window was closed or the headset's session ended");
    attractClosed_ = true;
  }
}

void StationLoop::stopAttract(const char* why) {
  if (!attract_) return;
  std::fprintf(stderr, "pavilion station: attract scene stopped after %d frame(s) (%s)\n", attract_->frames(), why);
  if (const uint32_t v = attract_->validationMessages(); v > 0) {
    std::fprintf(stderr, "pavilion station: the validation layer reported %u message(s) in the attract scene\n", v);
    code_ = std::max(code_, 3);
  }
  attract_.reset();
}

void StationLoop::report(double now) {
  if (run_) {
    const double left = remaining(now);
    // Loading until the first view and the start; a reconnecting station still counts as
    // playing; one showing the results has ended.
    const bool started = run_->shown() && run_->secondsToStart(now) == 0;
    state_ = stationState(sessionPhase({.over = run_->over(), .started = started, .remaining = left}));
    if (state_ == StationState::Warning && !warned_) {
      warned_ = true;
      agent_.log("session " + order_.session + ": time-up warning, " + std::to_string(static_cast<int>(left)) + " s left");
    }
    // The visitor sees the warning too: the time left in the headset, the window, the pictures.
    run_->setNotice(state_ == StationState::Warning ? left : -1.0);
    status_.title = order_.title;
    status_.session = order_.session;
    status_.remaining = left;
    status_.seat = run_->seat();
    status_.health = run_->health();
    status_.health.present = present_;
  } else {
    state_ = now - endedAt_ < kEndedShownSeconds ? StationState::Ended : StationState::Idle;
    status_.title.clear();
    status_.session.clear();
    status_.remaining = 0;
    status_.seat = -1;
    status_.health = {};
    status_.health.headset = players_.headset();
    status_.health.present = present_;
  }
  status_.state = state_;
  agent_.setStatus(status_);
}

}  // namespace pav::director
