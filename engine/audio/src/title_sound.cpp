// A title heard: the presenter's cues and the session's through the mixer, each frame, with the
// listener at the visitor's head (or the seat's eye, or the camera).
#include "pav/audio/audio.h"
#include "pav/core/log.h"

namespace pav::audio {

TitleSound::TitleSound(Audio& audio, render::Presenter& presenter)
    : audio_(audio), presenter_(presenter), cues_(presenter.sounds().size()), sessionCues_(sessionSounds().size()) {
  titleBank_ = audio_.addSounds(presenter_.sounds());
  sessionBank_ = audio_.addSounds(sessionSounds());
}

void TitleSound::frame(const core::StateFrame& state, double seconds, render::HudStage stage, double secondsToStart,
                       const render::Pose* head) {
  if (head) {
    head_ = *head;
  } else {
    render::Seat seat;
    if (presenter_.seat(state, seat)) {
      head_ = seat.eye;
    } else {
      presenter_.present(state, scratch_, camera_, 16.0f / 9.0f);
      head_ = camera_.pose;
    }
  }
  cues_.clear();
  sessionCues_.clear();
  // The first frame has nothing before it: it is its own `before` (no change, so no one-shot).
  presenter_.hear(haveBefore_ ? before_ : state, state, cues_);
  session_.hear(stage, secondsToStart, sessionCues_);
  if (cues_.unknown() > 0 && !saidUnknown_) {
    saidUnknown_ = true;
    PAV_ERROR("audio: the title cued sound %u, which its presenter does not declare (it has %zu)",
              unsigned(cues_.firstUnknown()), presenter_.sounds().size());
  }
  audio_.listen(head_, seconds);
  audio_.begin();
  audio_.submit(titleBank_, cues_.all());
  audio_.submit(sessionBank_, sessionCues_.all());
  audio_.end();
  before_ = state;  // the same size every frame: the copy reuses its storage
  haveBefore_ = true;
}

}  // namespace pav::audio
