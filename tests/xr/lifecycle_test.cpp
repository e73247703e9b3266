// The session's whole life through the real loader and the simulated headset: begun on READY,
// into focus, out through STOPPING to EXITING when the application quits or the runtime asks
// it to stop; instance loss as a state, not a crash, with a fresh instance working after it;
// and no runtime at all as a clean result with its reason in the log.
#include <algorithm>
#include <vector>

#include "xr_fixture.h"

namespace pav::test {
namespace {

using xr::SessionState;
using States = std::vector<SessionState>;

std::string describe(const States& states) {
  std::string s;
  for (SessionState st : states) s += std::string(s.empty() ? "" : " ") + xr::stateName(st);
  return s;
}

class XrLifecycle : public XrTest {};

TEST_F(XrLifecycle, RunsIntoFocusThenQuitsThroughStoppingAndExiting) {
  XrWorld& w = world();
  buildTestScene(*w.renderer, scene_);
  const xr::PlaySpace play;  // the stage is the world
  EXPECT_TRUE(w.session->history().empty() || w.session->history().front() == SessionState::Idle);

  std::vector<XrTime> displayTimes;
  uint64_t focusedFrames = 0;
  runFrames(0, play, [&](xr::Frame& frame) {
    displayTimes.push_back(frame.displayTime);
    if (w.session->focused() && ++focusedFrames == 5) w.session->requestExit();
  });

  EXPECT_TRUE(w.session->done());
  EXPECT_FALSE(w.session->lost());
  EXPECT_FALSE(w.session->running());
  EXPECT_EQ(w.session->state(), SessionState::Exiting);
  EXPECT_EQ(w.session->endReason(), "the application asked to quit");
  const States expected = {SessionState::Idle,         SessionState::Ready,   SessionState::Synchronized,
                           SessionState::Visible,      SessionState::Focused, SessionState::Visible,
                           SessionState::Synchronized, SessionState::Stopping, SessionState::Idle,
                           SessionState::Exiting};
  EXPECT_EQ(w.session->history(), expected) << describe(w.session->history());

  // Every frame begun was ended with the display time xrWaitFrame gave it, in order.
  const xr::SessionStats st = w.session->stats();  // a copy: the session goes before the checks below
  EXPECT_EQ(st.beginCount, 1u);
  EXPECT_EQ(st.framesBegun, st.framesEnded);
  EXPECT_GE(st.framesEnded, 7u);
  EXPECT_GT(st.framesWithLayers, 0u);
  EXPECT_LT(st.framesWithLayers, st.framesEnded) << "frames before VISIBLE must carry no layers";
  ASSERT_GE(displayTimes.size(), 2u);
  for (size_t i = 1; i < displayTimes.size(); ++i) EXPECT_GT(displayTimes[i], displayTimes[i - 1]);

  endWorld();
  const nlohmann::json stats = simStats();
  EXPECT_EQ(stats["violations"]["total"], 0) << stats["violations"].dump(2);
  EXPECT_EQ(stats["frames"]["ended"], st.framesEnded);
  EXPECT_EQ(stats["frames"]["withLayers"], st.framesWithLayers);
  EXPECT_EQ(stats["frames"]["discarded"], 0);
}

TEST_F(XrLifecycle, TheRuntimeStoppingTheSessionEndsItProperly) {
  setSimVar("PAV_XR_SIM_STOP_AFTER_FRAMES", "20");
  XrWorld& w = world();
  buildTestScene(*w.renderer, scene_);
  runFrames(0, xr::PlaySpace{});  // no request from us: the runtime ends it

  EXPECT_TRUE(w.session->done());
  EXPECT_FALSE(w.session->lost());
  EXPECT_EQ(w.session->endReason(), "the runtime ended the session");
  EXPECT_EQ(w.session->stats().framesEnded, 20u);
  const States& h = w.session->history();
  ASSERT_GE(h.size(), 3u);
  EXPECT_EQ(States(h.end() - 3, h.end()), (States{SessionState::Stopping, SessionState::Idle, SessionState::Exiting}))
      << describe(h);
  EXPECT_NE(std::find(h.begin(), h.end(), SessionState::Focused), h.end()) << describe(h);

  endWorld();
  const nlohmann::json stats = simStats();
  EXPECT_EQ(stats["violations"]["total"], 0) << stats["violations"].dump(2);
  EXPECT_EQ(stats["frames"]["ended"], 20);
  EXPECT_NE(stats["endReason"].get<std::string>().find("STOP_AFTER_FRAMES"), std::string::npos);
}

TEST_F(XrLifecycle, InstanceLossIsAStateAndAFreshInstanceWorksAfterIt) {
  setSimVar("PAV_XR_SIM_LOSE_AFTER_FRAMES", "12");
  {
    XrWorld& w = world();
    buildTestScene(*w.renderer, scene_);
    const uint64_t frames = runFrames(0, xr::PlaySpace{});
    EXPECT_TRUE(w.session->done());
    EXPECT_TRUE(w.session->lost());
    EXPECT_TRUE(w.runtime->lost());
    EXPECT_FALSE(w.session->running());
    EXPECT_GE(frames, 12u);
    EXPECT_LE(frames, 14u) << "the loop must stop soon after the loss";
    EXPECT_NE(w.session->endReason().find("XR_ERROR_INSTANCE_LOST"), std::string::npos) << w.session->endReason();
    // Quitting a lost session is harmless.
    w.session->requestExit();
    endWorld();  // destroying everything on a lost instance: no throw, no validation message
  }
  const nlohmann::json stats = simStats();
  EXPECT_EQ(stats["violations"]["total"], 0) << stats["violations"].dump(2);

  // A station starts over with a new instance once the runtime is back.
  unsetenv("PAV_XR_SIM_LOSE_AFTER_FRAMES");
  XrWorld& again = world();
  buildTestScene(*again.renderer, scene_);
  runFrames(8, xr::PlaySpace{});
  EXPECT_FALSE(again.session->lost());
  EXPECT_TRUE(again.session->running());
  EXPECT_EQ(again.session->stats().framesEnded, 8u);
}

TEST_F(XrLifecycle, QuittingBeforeTheFirstFrameEndsCleanly) {
  XrWorld& w = world();
  w.session->pollEvents();  // IDLE, READY: begun
  EXPECT_TRUE(w.session->running());
  w.session->requestExit();
  runFrames(0, xr::PlaySpace{});
  EXPECT_TRUE(w.session->done());
  EXPECT_EQ(w.session->state(), SessionState::Exiting);
  EXPECT_EQ(w.session->stats().framesEnded, 0u);
}

TEST_F(XrLifecycle, NoRuntimeAtAllIsACleanResultAndTheLogSaysWhy) {
  const std::string missing = dir() + "/no-such-runtime.json";
  setenv("XR_RUNTIME_JSON", missing.c_str(), 1);
  LogCapture log;
  xr::Runtime::Opened opened;
  ASSERT_NO_THROW(opened = xr::Runtime::open({}));
  EXPECT_FALSE(opened);
  EXPECT_EQ(opened.runtime, nullptr);
  EXPECT_EQ(opened.availability, xr::Availability::NoRuntime);
  EXPECT_NE(opened.reason.find("no OpenXR runtime"), std::string::npos) << opened.reason;
  EXPECT_TRUE(opened.reason.find("XR_ERROR_RUNTIME_UNAVAILABLE") != std::string::npos ||
              opened.reason.find("XR_ERROR_RUNTIME_FAILURE") != std::string::npos)
      << opened.reason;
  EXPECT_NE(opened.reason.find(missing), std::string::npos) << "the reason names where the loader looked";
  EXPECT_TRUE(log.contains("[warn] xr: no OpenXR runtime")) << log.all();
}

}  // namespace
}  // namespace pav::test
