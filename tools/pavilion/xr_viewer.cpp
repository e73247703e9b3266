// The pavilion program's headset viewer (see xr_viewer.h).
//
// [SECTION] Opening: runtime, window, context, renderer, session, swapchain, actions
// [SECTION] Frames: controllers in, the title's scene out, the mirror
// [SECTION] Controllers as each title's input, and haptics
#include "xr_viewer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "countdown_panel.h"
#include "demo_scene.h"
#include "pav/core/error.h"
#include "pav/cycling/cycling.h"
#include "pav/driving/driving.h"
#include "pav/hockey/hockey.h"
#include "pav/titles.h"
#include "viewer.h"

namespace pav::tools {
namespace {

// What driving feels like through the wheel: a gear shift a firm 40 ms kick, a kerb a buzz
// that grows with the wheels on it (xr::HapticCues renews it while it lasts).
constexpr float kShiftAmplitude = 0.7f;
constexpr float kShiftSeconds = 0.04f;
constexpr float kKerbAmplitude = 0.25f;

}  // namespace

// ---- [SECTION] Opening ----------------------------------------------------------------------

std::unique_ptr<xr::Runtime> XrViewer::openHeadset(std::string& why) {
  auto opened = xr::Runtime::open({.appName = "pavilion"});
  if (!opened) why = opened.reason;
  return std::move(opened.runtime);
}

XrViewer::XrViewer(std::unique_ptr<xr::Runtime> runtime, const core::Title& title, const RenderOptions& options,
                   bool window, int seat)
    : title_(title),
      seat_(seat < 0 ? 0 : seat),
      hockey_(title.info().id == "hockey"),
      driving_(dynamic_cast<const driving::DrivingTitle*>(&title) != nullptr) {
  presenter_ = titles::makePresenter(title_, seat_);
  PAV_CHECK(presenter_, "no presenter for %.*s", static_cast<int>(title_.info().id.size()), title_.info().id.data());
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
  // Hockey is played standing at the table; the seated titles recenter onto their seat.
  xr_.session = std::make_unique<xr::Session>(
      *xr_.runtime, *xr_.context, xr::SessionDesc{.space = hockey_ ? xr::SpaceKind::Stage : xr::SpaceKind::Local});
  xr_.target = std::make_unique<xr::XrSwapchainTarget>(*xr_.session, *xr_.context);
  const std::string setName(title_.info().id);
  xr_.actions = std::make_unique<xr::Actions>(*xr_.session, setName, title_.info().name);
  // The mirror must not wait for the desktop's refresh: the headset paces this loop.
  if (window) xr_.windowTarget = std::make_unique<render::WindowTarget>(*xr_.context, xr_.window->sdl(),
                                                                        render::WindowTargetDesc{.vsync = false});
  std::vector<render::MeshId> ids;
  for (const render::MeshData& data : presenter_->meshes()) ids.push_back(xr_.renderer->loadMesh(data));
  presenter_->setMeshes(ids);
  panelBox_ = xr_.renderer->loadMesh(demo::countdownMeshData());
  scene_.draws.reserve(128);
  if (hockey_) {
    const hockey::TableSpec& table = hockey::tableOf(title_);
    play_ = xr::PlaySpace::standingAt(demo::seatView(seat_, 1.0f, table).pose, demo::tableFrame(table));
    lastPuckVelocity_ = hockey::puckOf(title_).velocity;
  }
  if (driving_) lastShifts_ = static_cast<const driving::DrivingTitle&>(title_).car(seat_).shifts;
}

XrViewer::~XrViewer() { close(); }

void XrViewer::close() {
  if (!xr_.runtime) return;
  finish();
  if (xr_.renderer) xr_.renderer->waitIdle();
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
  if (inFrame_) endFrame();
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
  if (inFrame_) endFrame();
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
  // Seated titles put the visitor's head on their seat once the headset is on.
  if (!hockey_ && !recentered_ && xr_.session->focused()) recentered_ = xr_.session->recenter(frame_.displayTime);
  xr_.actions->sync(frame_.displayTime);
  controllerInput(input);
  return true;
}

void XrViewer::endFrame() {
  if (!inFrame_) return;
  inFrame_ = false;
  askHaptics();
  pulses_ += static_cast<uint64_t>(haptics_.send(*xr_.actions, frame_.displayTime));
  render::View camera;
  presenter_->present(scene_, camera, 1.0f);
  if (!hockey_) {
    // The seat moves with the car or bike; a title without one seats the visitor at the
    // presenter's camera.
    render::Pose eye = camera.pose;
    seatEye(eye);
    play_ = xr::PlaySpace::seatedAt(eye);
  }
  bool drawn = false;
  if (frame_.shouldRender && xr_.session->locateViews(frame_, play_, views_)) {
    // The notice hangs from the head between the eyes as located for this frame, so it stays
    // put in view while the world turns behind it; both eyes see it at its depth. Seated, a
    // car's bonnet is nearer than 1.2 m low in the view: the panel rides higher there.
    if (countdown_ >= 0) {
      render::Pose head;
      head.position = 0.5f * (views_[0].pose.position + views_[1].pose.position);
      head.orientation = glm::slerp(views_[0].pose.orientation, views_[1].pose.orientation, 0.5f);
      demo::addCountdownPanel(scene_, panelBox_, head, countdown_, {.dropDegrees = hockey_ ? 14.0f : 8.0f});
    }
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
    } else {
      drawn = xr_.renderer->drawFrame(*xr_.target, scene_, views_);
    }
  }
  xr_.session->endFrame(frame_, xr_.target.get());
  if (drawn) mirror();
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

// ---- [SECTION] Controllers as each title's input, and puck hits -------------------------------

void XrViewer::controllerInput(core::InputFrame& input) const {
  const xr::ControllerState& c = xr_.actions->state();
  const xr::HandState& l = c.hands[xr::kLeftHand];
  const xr::HandState& r = c.hands[xr::kRightHand];
  input = {};
  xr_.actions->fill(play_, input);  // hands (hockey: hands[1] is the mallet), trigger, grip, buttons
  const std::string_view id = title_.info().id;
  const float stick = std::abs(r.thumbstick.x) >= std::abs(l.thumbstick.x) ? r.thumbstick.x : l.thumbstick.x;
  if (id == "driving") {
    input.throttle = std::max(l.trigger, r.trigger);
    input.brake = std::max(l.squeeze, r.squeeze);
    input.steer = stick;
    if (std::abs(stick) < 0.15f && l.tracked && r.tracked) {
      // Both hands on a wheel in front of the chest: the wheel turns right when the left hand
      // rises over the right; a quarter turn is full lock.
      const glm::vec3 across = r.grip.position - l.grip.position;
      const float angle = std::atan2(l.grip.position.y - r.grip.position.y, std::max(0.05f, std::hypot(across.x, across.z)));
      input.steer = std::clamp(angle / 1.5707964f, -1.0f, 1.0f);
    }
  } else if (id == "cycling") {
    const float effort = std::max(l.trigger, r.trigger);
    input.pedalPowerWatts = 400.0f * effort;
    input.cadenceRpm = effort > 0.05f ? 60.0f + 40.0f * effort : 0.0f;
    input.steer = stick;
  }
}

bool XrViewer::seatEye(render::Pose& eye) const {
  if (const auto* car = dynamic_cast<const driving::DrivingTitle*>(&title_)) {
    if (seat_ >= car->players()) return false;
    eye = car->driverEye(seat_);
    return true;
  }
  if (const auto* ride = dynamic_cast<const cycling::CyclingTitle*>(&title_)) {
    if (seat_ >= ride->players()) return false;
    const cycling::RiderStats s = ride->stats(seat_);
    eye = cycling::riderEye(cycling::riderPose(ride->route(), seat_, s.distanceM, s.speedMs));
    return true;
  }
  return false;
}

void XrViewer::askHaptics() {
  if (pendingHit_ > 0) haptics_.jolt(xr::kRightHand, std::clamp(pendingHit_ / 4.0f, 0.2f, 1.0f), 0.03f);
  pendingHit_ = 0;
  // Both hands are on the wheel: a shift kicks through it, a kerb's ridges buzz in it.
  for (int hand : {xr::kLeftHand, xr::kRightHand}) {
    if (pendingShift_) haptics_.jolt(hand, kShiftAmplitude, kShiftSeconds);
    if (kerbWheels_ > 0) haptics_.rumble(hand, kKerbAmplitude * float(std::min(kerbWheels_, 2)));
  }
  pendingShift_ = false;
  kerbWheels_ = 0;
}

void XrViewer::afterTick() {
  if (driving_) {
    const driving::CarStatus car = static_cast<const driving::DrivingTitle&>(title_).car(seat_);
    pendingShift_ = pendingShift_ || car.shifts != lastShifts_;
    lastShifts_ = car.shifts;
    kerbWheels_ = std::max(kerbWheels_, car.wheelsOnKerb);
    return;
  }
  if (!hockey_) return;
  // A hit: the puck's velocity jumps while it touches this seat's mallet.
  const hockey::TableSpec& t = hockey::tableOf(title_);
  const hockey::PuckState puck = hockey::puckOf(title_);
  const glm::vec2 mallet = hockey::malletOf(title_, seat_);
  const bool touching = glm::distance(puck.position, mallet) < t.puckRadius + t.malletRadius + 0.02f;
  if (touching && glm::length(puck.velocity - lastPuckVelocity_) > 0.3f)
    pendingHit_ = std::max(pendingHit_, glm::length(puck.velocity));
  lastPuckVelocity_ = puck.velocity;
}

}  // namespace pav::tools
