// Session: creation with the Vulkan binding, the event-driven state machine, reference spaces
// and recentering, and the pose arithmetic of PlaySpace. The frame loop is in frame.cpp.
//
// [SECTION] Creation
// [SECTION] Events and states
// [SECTION] Spaces and recentering
// [SECTION] PlaySpace and pose arithmetic
#include "pav/xr/session.h"

#include <cmath>

#include "pav/core/log.h"
#include "pav/render/context.h"
#include "pav/xr/runtime.h"
#include "xr_local.h"

namespace pav::xr {

const char* stateName(SessionState s) {
  switch (s) {
    case SessionState::Unknown: return "UNKNOWN";
    case SessionState::Idle: return "IDLE";
    case SessionState::Ready: return "READY";
    case SessionState::Synchronized: return "SYNCHRONIZED";
    case SessionState::Visible: return "VISIBLE";
    case SessionState::Focused: return "FOCUSED";
    case SessionState::Stopping: return "STOPPING";
    case SessionState::LossPending: return "LOSS_PENDING";
    case SessionState::Exiting: return "EXITING";
  }
  return "?";
}

const char* spaceName(SpaceKind k) { return k == SpaceKind::Stage ? "STAGE" : "LOCAL"; }

namespace {

SessionState fromXr(XrSessionState s) {
  switch (s) {
    case XR_SESSION_STATE_IDLE: return SessionState::Idle;
    case XR_SESSION_STATE_READY: return SessionState::Ready;
    case XR_SESSION_STATE_SYNCHRONIZED: return SessionState::Synchronized;
    case XR_SESSION_STATE_VISIBLE: return SessionState::Visible;
    case XR_SESSION_STATE_FOCUSED: return SessionState::Focused;
    case XR_SESSION_STATE_STOPPING: return SessionState::Stopping;
    case XR_SESSION_STATE_LOSS_PENDING: return SessionState::LossPending;
    case XR_SESSION_STATE_EXITING: return SessionState::Exiting;
    default: return SessionState::Unknown;
  }
}

XrReferenceSpaceType toXr(SpaceKind k) {
  return k == SpaceKind::Stage ? XR_REFERENCE_SPACE_TYPE_STAGE : XR_REFERENCE_SPACE_TYPE_LOCAL;
}

}  // namespace

// ---- [SECTION] Creation -------------------------------------------------------------------

Session::Session(Runtime& runtime, render::Context& context, const SessionDesc& desc)
    : runtime_(runtime), context_(context), desc_(desc) {
  PAV_CHECK(runtime.minVulkanVersion() != 0 || runtime.maxVulkanVersion() != 0,
            "xr::Session: the render::Context must be created with the runtime's Vulkan creator "
            "(ContextDesc::creator = runtime.vulkanCreator())");
  XrGraphicsBindingVulkan2KHR binding{XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR};
  binding.instance = context.instance();
  binding.physicalDevice = context.physicalDevice();
  binding.device = context.device();
  binding.queueFamilyIndex = context.queueFamily();
  binding.queueIndex = 0;
  XrSessionCreateInfo info{XR_TYPE_SESSION_CREATE_INFO};
  info.next = &binding;
  info.systemId = runtime.system();
  XR_CHECK(xrCreateSession(runtime.instance(), &info, session_.put()));

  const XrSession s = session_;
  const auto offered = detail::enumerate<XrReferenceSpaceType>(
      [&](uint32_t cap, uint32_t* n, XrReferenceSpaceType* out) { return xrEnumerateReferenceSpaces(s, cap, n, out); },
      "xrEnumerateReferenceSpaces");
  const auto has = [&](XrReferenceSpaceType t) {
    for (XrReferenceSpaceType o : offered)
      if (o == t) return true;
    return false;
  };
  spaceKind_ = desc.space;
  if (spaceKind_ == SpaceKind::Stage && !has(XR_REFERENCE_SPACE_TYPE_STAGE)) {
    PAV_WARN("xr: the runtime has no STAGE space (no room-scale boundary set up); using LOCAL");
    spaceKind_ = SpaceKind::Local;
  }
  createPlaySpace(render::Pose{});
  XrReferenceSpaceCreateInfo viewInfo{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};
  viewInfo.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_VIEW;
  viewInfo.poseInReferenceSpace = detail::identityPose();
  XR_CHECK(xrCreateReferenceSpace(session_, &viewInfo, view_.put()));
  PAV_DEBUG("xr: session created, play space %s", spaceName(spaceKind_));
}

Session::~Session() {
  // A session still running is ended first where the runtime lets us (a quick quit): the
  // runtime then sees a proper end rather than a vanished application.
  if (!running_ || lost_) return;
  try {
    if (XR_SUCCEEDED(xrRequestExitSession(session_))) {
      for (int i = 0; i < 100 && running_ && !lost_; ++i) {
        pollEvents();
        if (running_) detail::sleepMs(1);
      }
    }
  } catch (const std::exception& e) {
    PAV_WARN("xr: ending the session on destruction: %s", e.what());
  }
}

// ---- [SECTION] Events and states ----------------------------------------------------------

void Session::pollEvents() {
  if (runtime_.lost()) {
    if (!lost_) setLost("the instance was lost", XR_ERROR_INSTANCE_LOST);
    return;
  }
  for (;;) {
    XrEventDataBuffer ev{XR_TYPE_EVENT_DATA_BUFFER};
    const XrResult r = xrPollEvent(runtime_.instance(), &ev);
    if (r == XR_EVENT_UNAVAILABLE) return;
    if (XR_FAILED(r)) {
      if (isLoss(r)) {
        setLost("xrPollEvent", r);
        return;
      }
      failCall("xrPollEvent", resultName(r), __FILE__, __LINE__);
    }
    switch (ev.type) {
      case XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED: {
        const auto& e = reinterpret_cast<const XrEventDataSessionStateChanged&>(ev);
        if (e.session == session_.get()) handleStateChange(e.state);
        break;
      }
      case XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING:
        setLost("the runtime is losing the instance (XrEventDataInstanceLossPending)", XR_ERROR_INSTANCE_LOST);
        return;  // nothing more will come
      case XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED:
        ++stats_.profileChanges;
        break;
      case XR_TYPE_EVENT_DATA_REFERENCE_SPACE_CHANGE_PENDING: {
        const auto& e = reinterpret_cast<const XrEventDataReferenceSpaceChangePending&>(ev);
        if (e.session == session_.get() && e.referenceSpaceType == toXr(spaceKind_)) {
          ++stats_.spaceChanges;
          // The runtime moved our reference space (a recentering of its own): keep the
          // visitor on the title's seat by recentering again on the next frame.
          if (recentered_) pendingRecenter_ = true;
          PAV_INFO("xr: the runtime moves the %s space", spaceName(spaceKind_));
        }
        break;
      }
      case kTypeEventDataUserPresenceChanged: {
        const auto& e = reinterpret_cast<const EventDataUserPresenceChangedEXT&>(ev);
        if (e.session == session_.get()) {
          present_ = e.isUserPresent == XR_TRUE ? 1 : 0;
          ++stats_.presenceChanges;
          PAV_INFO("xr: the headset is %s", present_ ? "on (the visitor is present)" : "off (the visitor took it off)");
        }
        break;
      }
      case XR_TYPE_EVENT_DATA_EVENTS_LOST: {
        const auto& e = reinterpret_cast<const XrEventDataEventsLost&>(ev);
        PAV_WARN("xr: the runtime dropped %u event(s)", e.lostEventCount);
        break;
      }
      default:
        break;
    }
  }
}

void Session::handleStateChange(XrSessionState xrState) {
  const SessionState s = fromXr(xrState);
  state_ = s;
  history_.push_back(s);
  PAV_DEBUG("xr: session %s", stateName(s));
  switch (s) {
    case SessionState::Ready: {
      XrSessionBeginInfo begin{XR_TYPE_SESSION_BEGIN_INFO};
      begin.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
      if (check(xrBeginSession(session_, &begin), "xrBeginSession")) {
        running_ = true;
        ++stats_.beginCount;
      }
      break;
    }
    case SessionState::Stopping:
      // No frame is open here: events are polled between frames.
      frameBegun_ = false;
      if (running_ && check(xrEndSession(session_), "xrEndSession")) running_ = false;
      break;
    case SessionState::Exiting:
      exiting_ = true;
      running_ = false;
      if (endReason_.empty())
        endReason_ = exitRequested_ ? "the application asked to quit" : "the runtime ended the session";
      PAV_INFO("xr: session over: %s", endReason_.c_str());
      break;
    case SessionState::LossPending:
      setLost("the runtime is losing the session (LOSS_PENDING)", XR_ERROR_SESSION_LOST);
      break;
    default:
      break;
  }
}

void Session::requestExit() {
  if (exitRequested_ || done()) return;
  exitRequested_ = true;
  if (running_) {
    check(xrRequestExitSession(session_), "xrRequestExitSession");
  } else {
    // Never began (or already ended): nothing to stop.
    exiting_ = true;
    endReason_ = "the application asked to quit";
  }
}

void Session::setLost(const char* why, XrResult r) {
  // A session loss may be followed by the instance's (LOSS_PENDING, then the instance-loss
  // event): the reason names the worse.
  const bool instance = r == XR_ERROR_INSTANCE_LOST;
  if (instance) runtime_.markLost();
  if (lost_ && !(instance && !instanceLost_)) return;
  lost_ = true;
  instanceLost_ = instanceLost_ || instance;
  running_ = false;
  frameBegun_ = false;
  endReason_ = std::string(why) + " (" + resultName(r) + ")";
  PAV_WARN("xr: %s: the session is over", endReason_.c_str());
}

bool Session::check(XrResult r, const char* call) {
  if (XR_SUCCEEDED(r)) return true;
  if (isLoss(r)) {
    setLost(call, r);
    return false;
  }
  failCall(call, resultName(r), __FILE__, __LINE__);
}

// ---- [SECTION] Spaces and recentering -----------------------------------------------------

void Session::createPlaySpace(const render::Pose& offset) {
  XrReferenceSpaceCreateInfo info{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};
  info.referenceSpaceType = toXr(spaceKind_);
  info.poseInReferenceSpace = detail::toXr(offset);
  UniqueSpace fresh;
  XR_CHECK(xrCreateReferenceSpace(session_, &info, fresh.put()));
  space_ = std::move(fresh);
  spaceOffset_ = offset;
}

bool Session::locateHead(XrTime time, render::Pose& out) const {
  if (lost_ || time <= 0) return false;
  XrSpaceLocation loc{XR_TYPE_SPACE_LOCATION};
  const XrResult r = xrLocateSpace(view_, space_, time, &loc);
  if (XR_FAILED(r)) return false;
  constexpr XrSpaceLocationFlags kValid = XR_SPACE_LOCATION_ORIENTATION_VALID_BIT | XR_SPACE_LOCATION_POSITION_VALID_BIT;
  if ((loc.locationFlags & kValid) != kValid) return false;
  out = detail::toPose(loc.pose);
  return true;
}

bool Session::recenter(XrTime time) {
  render::Pose head;
  if (!locateHead(time, head)) return false;
  // The head in the reference space itself (the play space may be recentered already).
  const render::Pose inReference = compose(spaceOffset_, head);
  render::Pose offset;
  offset.orientation = yawOnly(inReference.orientation);
  offset.position = inReference.position;
  if (spaceKind_ == SpaceKind::Stage) offset.position.y = 0.0f;  // STAGE keeps its floor
  createPlaySpace(offset);
  recentered_ = true;
  PAV_INFO("xr: recentered the %s space on the head at (%.2f, %.2f, %.2f)", spaceName(spaceKind_),
           double(offset.position.x), double(inReference.position.y), double(offset.position.z));
  return true;
}

// ---- [SECTION] PlaySpace and pose arithmetic -----------------------------------------------

render::Pose compose(const render::Pose& a, const render::Pose& b) {
  render::Pose out;
  out.position = a.position + a.orientation * b.position;
  out.orientation = glm::normalize(a.orientation * b.orientation);
  return out;
}

render::Pose inverse(const render::Pose& p) {
  render::Pose out;
  out.orientation = glm::conjugate(glm::normalize(p.orientation));
  out.position = -(out.orientation * p.position);
  return out;
}

glm::quat yawOnly(const glm::quat& q) {
  // The heading of the view direction (-Z) on the floor; looking straight up or down it is
  // undefined, and the head's up vector (+Y) gives it instead.
  glm::vec3 f = q * glm::vec3(0.0f, 0.0f, -1.0f);
  if (f.x * f.x + f.z * f.z < 1e-6f) {
    const glm::vec3 up = q * glm::vec3(0.0f, 1.0f, 0.0f);
    f = f.y < 0 ? up : -up;
  }
  const float yaw = std::atan2(-f.x, -f.z);
  return glm::angleAxis(yaw, glm::vec3(0.0f, 1.0f, 0.0f));
}

PlaySpace PlaySpace::standingAt(const render::Pose& eye, const render::Pose& titleFrame) {
  PlaySpace s;
  s.origin.position = {eye.position.x, 0.0f, eye.position.z};
  s.origin.orientation = yawOnly(eye.orientation);
  s.titleFrame = titleFrame;
  return s;
}

PlaySpace PlaySpace::seatedAt(const render::Pose& eye, const render::Pose& titleFrame) {
  PlaySpace s;
  s.origin.position = eye.position;
  s.origin.orientation = yawOnly(eye.orientation);
  s.titleFrame = titleFrame;
  return s;
}

render::Pose PlaySpace::toTitle(const render::Pose& inPlaySpace) const {
  return compose(inverse(titleFrame), toWorld(inPlaySpace));
}

glm::vec3 PlaySpace::vectorToTitle(const glm::vec3& v) const {
  return glm::conjugate(glm::normalize(titleFrame.orientation)) * (origin.orientation * v);
}

}  // namespace pav::xr
