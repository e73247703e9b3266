// The pavilion program's headset viewer (see xr_viewer.h).
//
// [SECTION] Opening: runtime, window, context, renderer, session, swapchain, actions
// [SECTION] Frames: controllers in, the title's scene out, the mirror
// [SECTION] Controllers as the title's input, the seat, and haptics
#include "xr_viewer.h"

#include <cstdio>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "pav/core/error.h"
#include "pav/titles.h"
#include "viewer.h"

namespace pav::tools {

// ---- [SECTION] Opening ----------------------------------------------------------------------

std::unique_ptr<xr::Runtime> XrViewer::openHeadset(std::string& why) {
  auto opened = xr::Runtime::open({.appName = "pavilion"});
  if (!opened) why = opened.reason;
  return std::move(opened.runtime);
}

XrViewer::XrViewer(std::unique_ptr<xr::Runtime> runtime, const core::Title& title, const RenderOptions& options,
                   bool window, int seat)
    : title_(title), seat_(seat) {
  presenter_ = titles::makePresenter(title_, seat_);
  PAV_CHECK(presenter_, "no presenter for %.*s", static_cast<int>(title_.info().id.size()), title_.info().id.data());
  text_.emplace(options.fonts);  // first: a missing font stops start-up here, naming its package, before any window
  // The seat's stance picks the reference space: standing on the stage, or seated and
  // recentered. It is read from the title's state now (set up: the start of the session).
  seen_ = core::captureNew(title_);
  render::Seat seat0;
  if (presenter_->seat(seen_, seat0)) stance_ = seat0.stance;
  xr_.runtime = std::move(runtime);
  render::ContextDesc desc = contextDesc(options);
  if (window) {
    xr_.video.emplace();
    xr_.window.emplace(*xr_.video, platform::WindowDesc{std::string("Pavilion (headset mirror): ") +
                                                            std::string(title_.info().name), 960, 540, true, false});
    desc.presentation = true;
    desc.instanceExtensions = xr_.window->vulkanInstanceExtensions();
  }
  desc.creator = xr_.runtime->vulkanCreator();
  xr_.context = std::make_unique<render::Context>(desc);
  xr_.renderer = std::make_unique<render::Renderer>(*xr_.context, render::RendererDesc{0, options.shaderDir});
  const bool standing = stance_ == render::Seat::Stance::Standing;
  xr_.session = std::make_unique<xr::Session>(
      *xr_.runtime, *xr_.context, xr::SessionDesc{.space = standing ? xr::SpaceKind::Stage : xr::SpaceKind::Local});
  xr_.target = std::make_unique<xr::XrSwapchainTarget>(*xr_.session, *xr_.context,
                                                       xr::SwapchainDesc{.samples = options.msaa});
  const std::string setName(title_.info().id);
  xr_.actions = std::make_unique<xr::Actions>(*xr_.session, setName, title_.info().name);
  // The mirror must not wait for the desktop's refresh: the headset paces this loop.
  if (window) xr_.windowTarget = std::make_unique<render::WindowTarget>(*xr_.context, xr_.window->sdl(),
                                                                        render::WindowTargetDesc{.vsync = false, .samples = options.msaa});
  std::vector<render::MeshId> ids;
  for (const render::MeshData& data : presenter_->meshes()) ids.push_back(xr_.renderer->loadMesh(data));
  presenter_->setMeshes(ids);
  ids.clear();
  for (const render::MeshData& data : render::BodyDrawer::meshes()) ids.push_back(xr_.renderer->loadMesh(data));
  body_.setMeshes(ids);
  scene_.draws.reserve(128);
  scene_.ui.reserve(4096);
  // The play space from the first frame on: the seat where the session starts.
  render::View camera;
  presenter_->present(seen_, scene_, camera, 1.0f);
  placeSeat(seen_, camera);
}

XrViewer::~XrViewer() { close(); }

void XrViewer::close() {
  if (!xr_.runtime) return;
  finish();
  if (xr_.renderer) xr_.renderer->waitIdle();
  glance_ = {};  // its buffer before the allocator that made it
  xr_.windowTarget.reset();
  xr_.actions.reset();
  xr_.target.reset();
  xr_.session.reset();
  xr_.renderer.reset();
  if (xr_.context) validation_ = xr_.context->validationMessages();
  xr_.context.reset();
  xr_.window.reset();
  xr_.video.reset();
  xr_.runtime.reset();
}

void XrViewer::finish() {
  if (!xr_.session || xr_.session->done()) return;
  if (inFrame_) endFrame(seen_);
  xr_.session->requestExit();
  for (int i = 0; i < 200 && !xr_.session->done(); ++i) {
    xr::Frame frame;
    if (xr_.session->beginFrame(frame)) xr_.session->endFrame(frame, nullptr);
  }
}

std::string XrViewer::describe() const {
  const xr::RuntimeInfo& info = xr_.runtime->info();
  const VkExtent2D e = xr_.target->extent();
  return info.systemName + " through " + info.runtimeName + ", " + std::to_string(e.width) + "x" +
         std::to_string(e.height) + " per eye";
}

// ---- [SECTION] Frames -----------------------------------------------------------------------

bool XrViewer::beginFrame(core::InputFrame& input) {
  if (inFrame_) endFrame(seen_);
  if (xr_.window) {
    platform::WindowEvents events;
    xr_.window->pump(events);
    if (events.quit || events.escape) xr_.session->requestExit();
    if (events.resized) xr_.windowTarget->markResized();
  }
  if (!xr_.session->beginFrame(frame_)) return false;
  inFrame_ = true;
  frameSeconds_ = lastDisplay_ ? double(frame_.displayTime - lastDisplay_) * 1e-9 : double(frame_.period) * 1e-9;
  // The runtime's display times step by one period a frame; a longer step skipped frames.
  if (lastDisplay_ && frame_.period > 0) {
    const double periods = double(frame_.displayTime - lastDisplay_) / double(frame_.period);
    if (periods > 1.5) missed_ += static_cast<uint64_t>(periods + 0.5) - 1;
  }
  lastDisplay_ = frame_.displayTime;
  // A seated visitor's head goes onto the seat once the headset is on.
  if (stance_ == render::Seat::Stance::Seated && !recentered_ && xr_.session->focused())
    recentered_ = xr_.session->recenter(frame_.displayTime);
  xr_.actions->sync(frame_.displayTime);
  controllerInput(input);
  return true;
}

void XrViewer::endFrame(const core::StateFrame& state) {
  if (!inFrame_) return;
  inFrame_ = false;
  sendHaptics(state);
  render::View camera;
  presenter_->present(state, scene_, camera, 1.0f);
  placeSeat(state, camera);
  bool drawn = false;
  if (frame_.shouldRender && xr_.session->locateViews(frame_, play_, views_)) {
    // The HUD and the session screens: world panels where the presenter puts them, head panels
    // from the head between the eyes as located for this frame, so they stay put in view while
    // the world turns behind them; both eyes see them at their depth.
    render::Pose head;
    head.position = 0.5f * (views_[0].pose.position + views_[1].pose.position);
    head.orientation = glm::slerp(views_[0].pose.orientation, views_[1].pose.orientation, 0.5f);
    head_ = head, haveHead_ = true;
    drawBody(state);
    text_->draw(state, head, *presenter_, scene_);
    if (!pendingShot_.empty()) {
      const auto eyes = xr_.renderer->capture(*xr_.target, scene_, views_);
      if (eyes.size() == 2) {
        std::filesystem::create_directories(std::filesystem::path(pendingShot_).parent_path());
        render::writePng(pendingShot_ + "-left.png", eyes[0]);
        render::writePng(pendingShot_ + "-right.png", eyes[1]);
        ++shots_;
        pendingShot_.clear();
      }
      drawn = !eyes.empty();
    } else if (glanceAsked_) {
      drawn = xr_.renderer->drawFrame(*xr_.target, scene_, views_, glance_);
      glanceAsked_ = !glance_.pending;
    } else {
      drawn = xr_.renderer->drawFrame(*xr_.target, scene_, views_);
    }
  }
  xr_.session->endFrame(frame_, xr_.target.get());
  if (drawn) mirror();
  // A glance copied a few frames ago is done: scaled and encoded now, into kept buffers.
  if (xr_.renderer->glanceReady(glance_)) render::encodeGlance(glance_, glanceJpeg_);
}

void XrViewer::mirror() {
  if (!xr_.windowTarget) return;
  const VkExtent2D e = xr_.windowTarget->extent();
  if (e.width == 0 || e.height == 0) return;
  // The left eye's place and height of view, at the window's shape.
  render::View v = views_[0];
  v.fov = render::Fov::symmetric(views_[0].fov.angleUp - views_[0].fov.angleDown, float(e.width) / float(e.height));
  xr_.renderer->drawFrame(*xr_.windowTarget, scene_, {&v, 1});
}

// ---- [SECTION] Controllers as the title's input, the seat, and haptics ------------------------

void XrViewer::controllerInput(core::InputFrame& input) {
  core::HeadsetControls controls;
  xr_.actions->controls(play_, controls);
  // Both grips held a while: the visitor calls for staff (an alert to the operators), in a
  // session or as a spectator alike.
  if (controls.hands[0].grip > 0.8f && controls.hands[1].grip > 0.8f) {
    if (gripsSince_ == 0) gripsSince_ = frame_.displayTime;
    if (!called_ && double(frame_.displayTime - gripsSince_) * 1e-9 >= kCallHoldSeconds) {
      called_ = true;
      ++staffCalls_;
      std::fprintf(stderr, "pavilion: the visitor calls for staff (both grips held %.0f s)\n", kCallHoldSeconds);
    }
  } else {
    gripsSince_ = 0;
    called_ = false;
  }
  if (seat_ < 0) return;  // a spectator (the attract scene) plays nothing
  title_.headsetInput(controls, seat_, input);
}

void XrViewer::placeSeat(const core::StateFrame& state, const render::View& camera) {
  render::Seat seat{render::Seat::Stance::Seated, camera.pose, {}};
  presenter_->seat(state, seat);
  // The stance chose the session's space: a standing one stays on its spot on the stage; a
  // seated one moves with its seat.
  play_ = stance_ == render::Seat::Stance::Standing ? xr::PlaySpace::standingAt(seat.eye, seat.titleFrame)
                                                    : xr::PlaySpace::seatedAt(seat.eye, seat.titleFrame);
}

void XrViewer::drawBody(const core::StateFrame& state) {
  // The newest poses: the grips located again at the frame's display time, now that the ticks
  // and the scene are done, so the hands drawn lag the real ones by no more than the runtime's
  // own prediction.
  xr_.actions->locateHands(frame_.displayTime, late_);
  render::BodyHands hands;
  for (size_t h = 0; h < 2; ++h) {
    hands.tracked[h] = late_.hands[h].tracked;
    if (hands.tracked[h]) hands.grip[h] = play_.toWorld(late_.hands[h].grip);
  }
  render::Body body;
  presenter_->body(state, body);
  body_.draw(body, hands, scene_);
}

void XrViewer::sendHaptics(const core::StateFrame& state) {
  cues_.clear();
  if (seenAny_) presenter_->feel(seen_, state, cues_);
  haptics_.ask(cues_.all());  // the hands' cues; a wheel's forces are the wheel's own
  pulses_ += static_cast<uint64_t>(haptics_.send(*xr_.actions, frame_.displayTime));
  if (&state != &seen_) seen_ = state;  // the same size each frame: no allocation
  seenAny_ = true;
}

}  // namespace pav::tools
