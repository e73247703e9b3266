// xr-sim spaces: reference spaces (VIEW, LOCAL, STAGE), action spaces for the controllers'
// grip and aim poses, xrLocateSpace (with velocities) and xrLocateViews.
//
// Everything is computed in STAGE space from the script at the requested time, so any time
// can be located, past or predicted. STAGE's origin is the centre of the play area on the
// floor; LOCAL's is the head's position at script time 0 with only its yaw kept; VIEW is the
// head. The eyes sit IPD/2 either side of the head along its +X, looking along its -Z, with
// the asymmetric fields of view of a typical headset (wider towards the outside).
#include <algorithm>
#include <cmath>

#include "pose_math.h"
#include "xr_sim_local.h"

namespace pav::xrsim {
namespace {

constexpr double kDeg = kPi / 180.0;
// Per-eye field of view: outer 54, inner 40, up 48, down 50 degrees.
XrFovf eyeFov(int eye) {
  const float outer = static_cast<float>(54 * kDeg), inner = static_cast<float>(40 * kDeg);
  const float up = static_cast<float>(48 * kDeg), down = static_cast<float>(50 * kDeg);
  return eye == 0 ? XrFovf{-outer, inner, up, -down} : XrFovf{-inner, outer, up, -down};
}

bool isSupportedReferenceSpace(XrReferenceSpaceType t) {
  return t == XR_REFERENCE_SPACE_TYPE_VIEW || t == XR_REFERENCE_SPACE_TYPE_LOCAL || t == XR_REFERENCE_SPACE_TYPE_STAGE;
}

// A relative pose located at t, or nullopt.
std::optional<XrPosef> relativePose(const Space& space, const Space& base, XrTime t) {
  const auto a = spacePose(space, t);
  const auto b = spacePose(base, t);
  if (!a || !b) return std::nullopt;
  return compose(inverse(*b), *a);
}

}  // namespace

std::optional<XrPosef> spacePose(const Space& space, XrTime t) {
  const Session& s = *space.session;
  const Script& script = s.instance->script;
  const MotionSample m = script.sample(scriptSeconds(s, t));
  if (!space.isAction) {
    switch (space.refType) {
      case XR_REFERENCE_SPACE_TYPE_VIEW:
        return compose(m.head, space.offset);
      case XR_REFERENCE_SPACE_TYPE_LOCAL: {
        const XrPosef h0 = script.sample(0).head;
        return compose(XrPosef{yawOnly(h0.orientation), h0.position}, space.offset);
      }
      default:
        return space.offset;
    }
  }
  // An action space is located while its action is active and bound to a pose. With
  // PAV_XR_SIM_HANDS=latest the hands' tracker predicts nothing: asked for a time still to
  // come, it answers with where the hand is now, so a pose located later is a newer one.
  const MotionSample hm = s.instance->config.handsLatest && t > nowNs() ? script.sample(scriptSeconds(s, nowNs())) : m;
  const ActionData& a = *space.action;
  const auto st = a.states.find(space.subaction);
  if (st == a.states.end() || !st->second.active) return std::nullopt;
  const int wantHand = space.subaction == XR_NULL_PATH ? -1 : handIndex(*s.instance, space.subaction);
  for (const BoundSource& b : a.bound) {
    if (b.comp != kPose || (wantHand >= 0 && b.src.hand != wantHand)) continue;
    XrPosef pose = hm.grip[b.src.hand];
    if (b.src.input->kind == Input::Aim) pose = compose(pose, aimFromGrip());
    return compose(pose, space.offset);
  }
  return std::nullopt;
}

namespace api {

XrResult xrEnumerateReferenceSpaces(XrSession session, uint32_t capacity, uint32_t* countOutput,
                                    XrReferenceSpaceType* spaces) {
  return guarded("xrEnumerateReferenceSpaces", [&]() -> XrResult {
    PAV_XR_LOOKUP(Session, s, session);
    static constexpr XrReferenceSpaceType kTypes[] = {XR_REFERENCE_SPACE_TYPE_VIEW, XR_REFERENCE_SPACE_TYPE_LOCAL,
                                                      XR_REFERENCE_SPACE_TYPE_STAGE};
    const XrResult r = twoCall(capacity, countOutput, spaces, 3u, [](XrReferenceSpaceType& t, uint32_t i) { t = kTypes[i]; });
    return r == XR_SUCCESS ? success(*s) : r;
  });
}

XrResult xrCreateReferenceSpace(XrSession session, const XrReferenceSpaceCreateInfo* info, XrSpace* out) {
  return guarded("xrCreateReferenceSpace", [&]() -> XrResult {
    const char* call = "xrCreateReferenceSpace";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_REFERENCE_SPACE_CREATE_INFO || !out) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrReferenceSpaceCreateInfo");
    }
    if (!isSupportedReferenceSpace(info->referenceSpaceType)) {
      return refuse(inst, call, XR_ERROR_REFERENCE_SPACE_UNSUPPORTED,
                    "type " + std::to_string(info->referenceSpaceType) + " (VIEW, LOCAL and STAGE are supported)");
    }
    if (!isValidPose(info->poseInReferenceSpace)) {
      return refuse(inst, call, XR_ERROR_POSE_INVALID, "poseInReferenceSpace is not a unit quaternion and finite position");
    }
    auto space = std::make_unique<Space>(&inst, s);
    space->refType = info->referenceSpaceType;
    space->offset = info->poseInReferenceSpace;
    *out = toHandle<XrSpace>(*space);
    s->spaces.push_back(std::move(space));
    return success(*s);
  });
}

XrResult xrGetReferenceSpaceBoundsRect(XrSession session, XrReferenceSpaceType type, XrExtent2Df* bounds) {
  return guarded("xrGetReferenceSpaceBoundsRect", [&]() -> XrResult {
    PAV_XR_LOOKUP(Session, s, session);
    if (!bounds) return refuse(*s->instance, "xrGetReferenceSpaceBoundsRect", XR_ERROR_VALIDATION_FAILURE, "bounds is null");
    if (!isSupportedReferenceSpace(type)) return XR_ERROR_REFERENCE_SPACE_UNSUPPORTED;
    if (type != XR_REFERENCE_SPACE_TYPE_STAGE) {
      *bounds = {0, 0};
      return XR_SPACE_BOUNDS_UNAVAILABLE;
    }
    *bounds = {s->instance->config.stageWidth, s->instance->config.stageDepth};
    return success(*s);
  });
}

XrResult xrCreateActionSpace(XrSession session, const XrActionSpaceCreateInfo* info, XrSpace* out) {
  return guarded("xrCreateActionSpace", [&]() -> XrResult {
    const char* call = "xrCreateActionSpace";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_ACTION_SPACE_CREATE_INFO || !out) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrActionSpaceCreateInfo");
    }
    const Action* action = lookup<Action>(info->action);
    if (!action || action->instance != &inst) return refuse(inst, call, XR_ERROR_HANDLE_INVALID, "unknown action");
    if (action->data->type != XR_ACTION_TYPE_POSE_INPUT) {
      return refuse(inst, call, XR_ERROR_ACTION_TYPE_MISMATCH, "'" + action->data->name + "' is not a pose action");
    }
    if (info->subactionPath != XR_NULL_PATH) {
      if (!inst.paths.name(info->subactionPath)) return refuse(inst, call, XR_ERROR_PATH_INVALID, "unknown subactionPath");
      const auto& subs = action->data->subactionPaths;
      if (std::find(subs.begin(), subs.end(), info->subactionPath) == subs.end()) {
        return refuse(inst, call, XR_ERROR_PATH_UNSUPPORTED,
                      *inst.paths.name(info->subactionPath) + " is not a subaction path of '" + action->data->name + "'");
      }
    }
    if (!isValidPose(info->poseInActionSpace)) {
      return refuse(inst, call, XR_ERROR_POSE_INVALID, "poseInActionSpace is not a unit quaternion and finite position");
    }
    auto space = std::make_unique<Space>(&inst, s);
    space->isAction = true;
    space->action = action->data;
    space->subaction = info->subactionPath;
    space->offset = info->poseInActionSpace;
    *out = toHandle<XrSpace>(*space);
    s->spaces.push_back(std::move(space));
    return success(*s);
  });
}

XrResult xrDestroySpace(XrSpace space) {
  return guarded("xrDestroySpace", [&]() -> XrResult {
    Space* sp = lookup<Space>(space);
    if (!sp) return XR_ERROR_HANDLE_INVALID;
    auto& all = sp->session->spaces;
    all.erase(std::remove_if(all.begin(), all.end(), [sp](const auto& p) { return p.get() == sp; }), all.end());
    return XR_SUCCESS;
  });
}

XrResult xrLocateSpace(XrSpace space, XrSpace baseSpace, XrTime time, XrSpaceLocation* location) {
  return guarded("xrLocateSpace", [&]() -> XrResult {
    const char* call = "xrLocateSpace";
    PAV_XR_LOOKUP(Space, sp, space);
    Instance& inst = *sp->instance;
    const Space* base = lookup<Space>(baseSpace);
    if (!base) return XR_ERROR_HANDLE_INVALID;
    if (base->session != sp->session) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "space and baseSpace belong to different sessions");
    }
    if (!location || location->type != XR_TYPE_SPACE_LOCATION) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "location must be XrSpaceLocation");
    }
    if (time <= 0) return refuse(inst, call, XR_ERROR_TIME_INVALID, "time " + std::to_string(time) + " is not positive");
    XrSpaceVelocity* velocity = nullptr;
    for (auto* n = static_cast<XrBaseOutStructure*>(location->next); n; n = n->next) {
      if (n->type == XR_TYPE_SPACE_VELOCITY) velocity = reinterpret_cast<XrSpaceVelocity*>(n);
    }
    const auto rel = relativePose(*sp, *base, time);
    location->locationFlags = 0;
    location->pose = identityPose();
    if (velocity) velocity->velocityFlags = 0;
    if (rel) {
      location->pose = *rel;
      location->locationFlags = XR_SPACE_LOCATION_ORIENTATION_VALID_BIT | XR_SPACE_LOCATION_POSITION_VALID_BIT |
                                XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT | XR_SPACE_LOCATION_POSITION_TRACKED_BIT;
      // Velocities by central differences over +-5 ms of the same trajectory.
      constexpr int64_t h = 5'000'000;
      const auto before = relativePose(*sp, *base, time - h);
      const auto after = relativePose(*sp, *base, time + h);
      if (velocity && before && after) {
        velocity->linearVelocity = scale(sub(after->position, before->position), 1e9f / (2 * h));
        velocity->angularVelocity = angularVelocity(before->orientation, after->orientation, 2e-9 * h);
        velocity->velocityFlags = XR_SPACE_VELOCITY_LINEAR_VALID_BIT | XR_SPACE_VELOCITY_ANGULAR_VALID_BIT;
      }
    }
    return success(*sp->session);
  });
}

XrResult xrLocateViews(XrSession session, const XrViewLocateInfo* info, XrViewState* viewState, uint32_t capacity,
                       uint32_t* countOutput, XrView* views) {
  return guarded("xrLocateViews", [&]() -> XrResult {
    const char* call = "xrLocateViews";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_VIEW_LOCATE_INFO || !viewState || viewState->type != XR_TYPE_VIEW_STATE) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrViewLocateInfo and an XrViewState");
    }
    if (info->viewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) {
      return refuse(inst, call, XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED, "only PRIMARY_STEREO");
    }
    if (info->displayTime <= 0) {
      return refuse(inst, call, XR_ERROR_TIME_INVALID, "displayTime " + std::to_string(info->displayTime) + " is not positive");
    }
    const Space* base = lookup<Space>(info->space);
    if (!base || base->session != s) return refuse(inst, call, XR_ERROR_HANDLE_INVALID, "space is not a space of this session");
    if (views && capacity >= 2 && (views[0].type != XR_TYPE_VIEW || views[1].type != XR_TYPE_VIEW)) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "views must be XrView");
    }
    const auto basePose = spacePose(*base, info->displayTime);
    const MotionSample m = inst.script.sample(scriptSeconds(*s, info->displayTime));
    viewState->viewStateFlags = 0;
    if (basePose) {
      viewState->viewStateFlags = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT |
                                  XR_VIEW_STATE_ORIENTATION_TRACKED_BIT | XR_VIEW_STATE_POSITION_TRACKED_BIT;
    }
    const float half = inst.config.ipd / 2;
    const XrResult r = twoCall(capacity, countOutput, views, 2u, [&](XrView& v, uint32_t eye) {
      const XrPosef eyeInHead{identityQuat(), {eye == 0 ? -half : half, 0, 0}};
      v.pose = basePose ? compose(inverse(*basePose), compose(m.head, eyeInHead)) : identityPose();
      v.fov = eyeFov(static_cast<int>(eye));
    });
    return r == XR_SUCCESS ? success(*s) : r;
  });
}

}  // namespace api
}  // namespace pav::xrsim
