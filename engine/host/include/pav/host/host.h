// pav::host: what every program that shows a title to a visitor runs: one loop, and the one
// seam between that loop and what shows the title (a window, pictures, a headset).
//
// A View starts a frame (a headset waits for its display here; a window for nothing), reads the
// visitor's controls where it has a visitor, and says how much time the frame stands for; after
// the simulation has caught up, it shows a StateFrame (the title's networked state: the title's
// presenter draws it, so a view never asks which title it shows). The Loop is the fixed-step
// clock with a clamped residual (core::FixedStep) between the two:
//
//   host::Loop loop({.tickRateHz = info.tickRateHz});
//   while (view.open() && !title.finished())
//     loop.frame(view, &visitorInput,
//                [&](uint64_t tick) { ...bots; title.step(inputs); },      // each fixed tick
//                [&]() -> const core::StateFrame& { title.capture(frame); return frame; });
//
// `pavilion play`, the station's attract scene and `pavilion-xr-bench` run on the Loop; a
// networked station drives the same views from its session (the server's ticks are the clock
// there), and `pavilion replay --png` from its recording. The views themselves (tools/pavilion: WindowView, PictureView, HeadsetView) own the
// Vulkan and OpenXR objects; this room is Vulkan-free, so the loop is tested with plain views.
#pragma once

#include <cstdint>
#include <string>

#include "pav/core/fixed_step.h"
#include "pav/core/state.h"
#include "pav/core/title.h"

namespace pav::host {

// The hardware seam: what shows the title. Three implementations in the pavilion program: a
// window (real time, the desktop visitor's pointer and keys), pictures (no display: as fast as
// it runs), a headset (OpenXR's frame timing, the controllers).
class View {
 public:
  virtual ~View() = default;
  // Starts a frame. Waits where this view paces the loop (a headset), reads the visitor's
  // controls into `visitor` when this view has a visitor and `visitor` is not null (left alone
  // otherwise), and sets `seconds` to the time the frame stands for: the display time since the
  // last frame, the wall clock since the last frame, or one tick for a view that runs as fast as
  // it can. False: no frame now (a headset idle or stopping); the loop calls again.
  virtual bool begin(double tickSeconds, double& seconds, core::InputFrame* visitor) = 0;
  // Shows `state` for the frame begun.
  virtual void end(const core::StateFrame& state) = 0;
  // The next shown frame also goes to a picture (or both eyes' pictures) named from `stem`;
  // shots() counts the pictures taken so far.
  virtual void shootNext(const std::string& stem) = 0;
  virtual int shots() const = 0;
  // False once the view is finished: its window was closed, its headset session ended.
  virtual bool open() const = 0;
};

struct LoopDesc {
  double tickRateHz = 60;
  // The most ticks one frame may run: a stall drops time rather than spiral (a tenth of a
  // second by default).
  int maxTicksPerFrame = 0;
};

// The fixed-step loop: a frame begins, the ticks its time calls for run, the view shows the
// state. Reads no clock: the view says what a frame's time is.
class Loop {
 public:
  explicit Loop(const LoopDesc& desc)
      : clock_({desc.tickRateHz, desc.maxTicksPerFrame > 0 ? desc.maxTicksPerFrame : tenthOfASecond(desc.tickRateHz)}) {}

  // One frame of `view`; `tick(n)` runs once per fixed tick (n counts from 0), `state()` gives
  // what to show afterwards. Returns the ticks run, or -1 when the view had no frame to make.
  template <typename TickFn, typename StateFn>
  int frame(View& view, core::InputFrame* visitor, TickFn&& tick, StateFn&& state) {
    double seconds = 0;
    if (!view.begin(clock_.dt(), seconds, visitor)) return -1;
    const int ticks = clock_.advance(seconds, [&](uint64_t n, double) { tick(n); });
    view.end(state());
    ++frames_;
    return ticks;
  }

  double dt() const { return clock_.dt(); }
  uint64_t ticks() const { return clock_.tick(); }
  uint64_t frames() const { return frames_; }
  double droppedSeconds() const { return clock_.droppedSeconds(); }

 private:
  static int tenthOfASecond(double rateHz) {
    return rateHz >= 10.0 ? static_cast<int>(rateHz / 10.0 + 0.5) : 1;
  }
  core::FixedStep clock_;
  uint64_t frames_ = 0;
};

}  // namespace pav::host
