// xr-sim action states: xrSyncActions reads the script's controller state through the bound
// input sources; xrGetActionState* return what the last sync saw; haptic pulses are recorded;
// bound sources and their localized names are reported.
//
// Combining several bound sources (OpenXR 1.0, section 11.4): boolean actions OR them, float
// actions take the value of largest magnitude, vector2 actions the longest vector, pose
// actions the first bound source. A state is active when its set is active in the last
// xrSyncActions, the session is FOCUSED and at least one source is bound.
// changedSinceLastSync is only ever true between two syncs that were both active.
#include <algorithm>
#include <cmath>

#include "xr_sim_local.h"

namespace pav::xrsim {
namespace {

constexpr int64_t kMinHapticNs = 10'000'000;  // XR_MIN_HAPTIC_DURATION: one 10 ms pulse

// Is a bound source under `key` (XR_NULL_PATH: any hand) and in an active set entry?
bool sourceCounts(const Instance& inst, const BoundSource& b, XrPath key, const std::vector<XrPath>& activeFilters) {
  if (key != XR_NULL_PATH && handIndex(inst, key) != b.src.hand) return false;
  for (XrPath f : activeFilters) {
    if (f == XR_NULL_PATH || handIndex(inst, f) == b.src.hand) return true;
  }
  return false;
}

bool isAttachedTo(const Session& s, const ActionData& a) {
  for (const auto& set : s.attached) {
    if (set.get() == a.set) return true;
  }
  return false;
}

// Common checks of xrGetActionState*, xrApplyHapticFeedback and friends.
XrResult findActionChecked(Session& s, const char* call, XrAction handle, XrPath subaction, XrActionType type,
                    ActionData** out) {
  Instance& inst = *s.instance;
  const Action* action = lookup<Action>(handle);
  if (!action || action->instance != &inst) return refuse(inst, call, XR_ERROR_HANDLE_INVALID, "unknown action");
  ActionData& a = *action->data;
  if (!isAttachedTo(s, a)) {
    return refuse(inst, call, XR_ERROR_ACTIONSET_NOT_ATTACHED, "the action set of '" + a.name + "' is not attached");
  }
  if (a.type != type) return refuse(inst, call, XR_ERROR_ACTION_TYPE_MISMATCH, "'" + a.name + "' has another type");
  if (subaction != XR_NULL_PATH) {
    if (!inst.paths.name(subaction)) return refuse(inst, call, XR_ERROR_PATH_INVALID, "unknown subactionPath");
    if (std::find(a.subactionPaths.begin(), a.subactionPaths.end(), subaction) == a.subactionPaths.end()) {
      return refuse(inst, call, XR_ERROR_PATH_UNSUPPORTED,
                    *inst.paths.name(subaction) + " is not a subaction path of '" + a.name + "'");
    }
  }
  *out = &a;
  return XR_SUCCESS;
}

XrResult findStateAction(Session& s, const char* call, const XrActionStateGetInfo* info, XrActionType type,
                         ActionData** out) {
  if (!info || info->type != XR_TYPE_ACTION_STATE_GET_INFO) {
    return refuse(*s.instance, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrActionStateGetInfo");
  }
  return findActionChecked(s, call, info->action, info->subactionPath, type, out);
}

}  // namespace

void evaluateActions(Session& s, XrTime t, const std::vector<std::pair<ActionSetData*, XrPath>>& active) {
  Instance& inst = *s.instance;
  const MotionSample m = inst.script.sample(scriptSeconds(s, t));
  for (const auto& set : s.attached) {
    std::vector<XrPath> filters;
    for (const auto& [a, p] : active) {
      if (a == set.get()) filters.push_back(p);
    }
    for (const auto& action : set->actions) {
      for (auto& [key, st] : action->states) {
        ActionState next;
        bool any = false;
        for (const BoundSource& b : action->bound) {
          if (!sourceCounts(inst, b, key, filters)) continue;
          const HandInput& in = m.input[b.src.hand];
          const InputDef& def = *b.src.input;
          any = true;
          switch (action->type) {
            case XR_ACTION_TYPE_BOOLEAN_INPUT:
              next.b = next.b || readBool(in, def, b.comp);
              break;
            case XR_ACTION_TYPE_FLOAT_INPUT: {
              const float f = readFloat(in, def, b.comp);
              if (std::fabs(f) > std::fabs(next.f)) next.f = f;
              break;
            }
            case XR_ACTION_TYPE_VECTOR2F_INPUT: {
              const XrVector2f v = readVector(in, def);
              if (v.x * v.x + v.y * v.y > next.v.x * next.v.x + next.v.y * next.v.y) next.v = v;
              break;
            }
            default:
              break;
          }
        }
        next.active = any && s.state == XR_SESSION_STATE_FOCUSED;
        if (!next.active) next = ActionState{};
        const bool differs = next.b != st.b || next.f != st.f || next.v.x != st.v.x || next.v.y != st.v.y;
        next.changed = next.active && st.active && differs;
        next.lastChange = (next.changed || (next.active && !st.active)) ? t : st.lastChange;
        st = next;
      }
    }
  }
}

namespace api {

XrResult xrSyncActions(XrSession session, const XrActionsSyncInfo* info) {
  return guarded("xrSyncActions", [&]() -> XrResult {
    const char* call = "xrSyncActions";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_ACTIONS_SYNC_INFO || (info->countActiveActionSets > 0 && !info->activeActionSets)) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrActionsSyncInfo");
    }
    if (s->attached.empty()) return refuse(inst, call, XR_ERROR_ACTIONSET_NOT_ATTACHED, "no action set is attached");
    std::vector<std::pair<ActionSetData*, XrPath>> active;
    for (uint32_t i = 0; i < info->countActiveActionSets; ++i) {
      const XrActiveActionSet& a = info->activeActionSets[i];
      const ActionSet* set = lookup<ActionSet>(a.actionSet);
      if (!set || set->instance != &inst) return refuse(inst, call, XR_ERROR_HANDLE_INVALID, "unknown action set");
      const bool attached = std::any_of(s->attached.begin(), s->attached.end(), [&](const auto& d) { return d == set->data; });
      if (!attached) return refuse(inst, call, XR_ERROR_ACTIONSET_NOT_ATTACHED, "'" + set->data->name + "' is not attached");
      if (a.subactionPath != XR_NULL_PATH) {
        const std::string* name = inst.paths.name(a.subactionPath);
        if (!name) return refuse(inst, call, XR_ERROR_PATH_INVALID, "unknown subactionPath");
        if (name->rfind("/user/", 0) != 0) return refuse(inst, call, XR_ERROR_PATH_UNSUPPORTED, *name + " is not a /user path");
      }
      active.emplace_back(set->data.get(), a.subactionPath);
    }
    const XrTime t = s->lastPredicted > 0 ? s->lastPredicted : nowNs();
    if (s->state != XR_SESSION_STATE_FOCUSED) {
      evaluateActions(*s, t, {});  // everything inactive
      return XR_SESSION_NOT_FOCUSED;
    }
    evaluateActions(*s, t, active);
    return success(*s);
  });
}

XrResult xrGetActionStateBoolean(XrSession session, const XrActionStateGetInfo* info, XrActionStateBoolean* state) {
  return guarded("xrGetActionStateBoolean", [&]() -> XrResult {
    const char* call = "xrGetActionStateBoolean";
    PAV_XR_LOOKUP(Session, s, session);
    ActionData* a = nullptr;
    if (XrResult r = findStateAction(*s, call, info, XR_ACTION_TYPE_BOOLEAN_INPUT, &a); r != XR_SUCCESS) return r;
    if (!state || state->type != XR_TYPE_ACTION_STATE_BOOLEAN) {
      return refuse(*s->instance, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrActionStateBoolean");
    }
    const ActionState& st = a->states[info->subactionPath];
    state->currentState = st.b ? XR_TRUE : XR_FALSE;
    state->changedSinceLastSync = st.changed ? XR_TRUE : XR_FALSE;
    state->lastChangeTime = st.lastChange;
    state->isActive = st.active ? XR_TRUE : XR_FALSE;
    return success(*s);
  });
}

XrResult xrGetActionStateFloat(XrSession session, const XrActionStateGetInfo* info, XrActionStateFloat* state) {
  return guarded("xrGetActionStateFloat", [&]() -> XrResult {
    const char* call = "xrGetActionStateFloat";
    PAV_XR_LOOKUP(Session, s, session);
    ActionData* a = nullptr;
    if (XrResult r = findStateAction(*s, call, info, XR_ACTION_TYPE_FLOAT_INPUT, &a); r != XR_SUCCESS) return r;
    if (!state || state->type != XR_TYPE_ACTION_STATE_FLOAT) {
      return refuse(*s->instance, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrActionStateFloat");
    }
    const ActionState& st = a->states[info->subactionPath];
    state->currentState = st.f;
    state->changedSinceLastSync = st.changed ? XR_TRUE : XR_FALSE;
    state->lastChangeTime = st.lastChange;
    state->isActive = st.active ? XR_TRUE : XR_FALSE;
    return success(*s);
  });
}

XrResult xrGetActionStateVector2f(XrSession session, const XrActionStateGetInfo* info, XrActionStateVector2f* state) {
  return guarded("xrGetActionStateVector2f", [&]() -> XrResult {
    const char* call = "xrGetActionStateVector2f";
    PAV_XR_LOOKUP(Session, s, session);
    ActionData* a = nullptr;
    if (XrResult r = findStateAction(*s, call, info, XR_ACTION_TYPE_VECTOR2F_INPUT, &a); r != XR_SUCCESS) return r;
    if (!state || state->type != XR_TYPE_ACTION_STATE_VECTOR2F) {
      return refuse(*s->instance, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrActionStateVector2f");
    }
    const ActionState& st = a->states[info->subactionPath];
    state->currentState = st.v;
    state->changedSinceLastSync = st.changed ? XR_TRUE : XR_FALSE;
    state->lastChangeTime = st.lastChange;
    state->isActive = st.active ? XR_TRUE : XR_FALSE;
    return success(*s);
  });
}

XrResult xrGetActionStatePose(XrSession session, const XrActionStateGetInfo* info, XrActionStatePose* state) {
  return guarded("xrGetActionStatePose", [&]() -> XrResult {
    const char* call = "xrGetActionStatePose";
    PAV_XR_LOOKUP(Session, s, session);
    ActionData* a = nullptr;
    if (XrResult r = findStateAction(*s, call, info, XR_ACTION_TYPE_POSE_INPUT, &a); r != XR_SUCCESS) return r;
    if (!state || state->type != XR_TYPE_ACTION_STATE_POSE) {
      return refuse(*s->instance, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrActionStatePose");
    }
    state->isActive = a->states[info->subactionPath].active ? XR_TRUE : XR_FALSE;
    return success(*s);
  });
}

// ---- Haptics and sources ------------------------------------------------------------------
XrResult xrApplyHapticFeedback(XrSession session, const XrHapticActionInfo* info, const XrHapticBaseHeader* feedback) {
  return guarded("xrApplyHapticFeedback", [&]() -> XrResult {
    const char* call = "xrApplyHapticFeedback";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_HAPTIC_ACTION_INFO || !feedback) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrHapticActionInfo and feedback");
    }
    ActionData* a = nullptr;
    if (XrResult r = findActionChecked(*s, call, info->action, info->subactionPath, XR_ACTION_TYPE_VIBRATION_OUTPUT, &a);
        r != XR_SUCCESS) {
      return r;
    }
    if (feedback->type != XR_TYPE_HAPTIC_VIBRATION) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "feedback must be XrHapticVibration");
    }
    const auto& v = *reinterpret_cast<const XrHapticVibration*>(feedback);
    if (!(v.amplitude >= 0 && v.amplitude <= 1) || !(v.frequency >= 0)) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "amplitude must be in 0..1 and frequency >= 0");
    }
    if (s->state != XR_SESSION_STATE_FOCUSED) return XR_SESSION_NOT_FOCUSED;  // not felt, not recorded
    const XrTime t = s->lastPredicted > 0 ? s->lastPredicted : nowNs();
    bool any = false;
    for (const BoundSource& b : a->bound) {
      if (b.comp != kHaptic || (info->subactionPath != XR_NULL_PATH && handIndex(inst, info->subactionPath) != b.src.hand)) continue;
      any = true;
      inst.stats.haptics.push_back({scriptSeconds(*s, t), b.src.hand == 0 ? "/user/hand/left" : "/user/hand/right", a->name,
                                    v.amplitude, v.duration <= 0 ? kMinHapticNs : v.duration, v.frequency});
    }
    if (!any) ++inst.stats.hapticsUnbound;
    return success(*s);
  });
}

XrResult xrStopHapticFeedback(XrSession session, const XrHapticActionInfo* info) {
  return guarded("xrStopHapticFeedback", [&]() -> XrResult {
    const char* call = "xrStopHapticFeedback";
    PAV_XR_LOOKUP(Session, s, session);
    if (!info || info->type != XR_TYPE_HAPTIC_ACTION_INFO) {
      return refuse(*s->instance, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrHapticActionInfo");
    }
    ActionData* a = nullptr;
    if (XrResult r = findActionChecked(*s, call, info->action, info->subactionPath, XR_ACTION_TYPE_VIBRATION_OUTPUT, &a);
        r != XR_SUCCESS) {
      return r;
    }
    if (s->state != XR_SESSION_STATE_FOCUSED) return XR_SESSION_NOT_FOCUSED;
    ++s->instance->stats.hapticStops;
    return success(*s);
  });
}

XrResult xrEnumerateBoundSourcesForAction(XrSession session, const XrBoundSourcesForActionEnumerateInfo* info,
                                          uint32_t capacity, uint32_t* countOutput, XrPath* sources) {
  return guarded("xrEnumerateBoundSourcesForAction", [&]() -> XrResult {
    const char* call = "xrEnumerateBoundSourcesForAction";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_BOUND_SOURCES_FOR_ACTION_ENUMERATE_INFO) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrBoundSourcesForActionEnumerateInfo");
    }
    const Action* action = lookup<Action>(info->action);
    if (!action || action->instance != &inst) return refuse(inst, call, XR_ERROR_HANDLE_INVALID, "unknown action");
    if (!std::any_of(s->attached.begin(), s->attached.end(), [&](const auto& d) { return d.get() == action->data->set; })) {
      return refuse(inst, call, XR_ERROR_ACTIONSET_NOT_ATTACHED, "the action's set is not attached");
    }
    const auto& bound = action->data->bound;
    const XrResult r = twoCall(capacity, countOutput, sources, static_cast<uint32_t>(bound.size()),
                               [&](XrPath& p, uint32_t i) { p = bound[i].path; });
    return r == XR_SUCCESS ? success(*s) : r;
  });
}

XrResult xrGetInputSourceLocalizedName(XrSession session, const XrInputSourceLocalizedNameGetInfo* info,
                                       uint32_t capacity, uint32_t* countOutput, char* buffer) {
  return guarded("xrGetInputSourceLocalizedName", [&]() -> XrResult {
    const char* call = "xrGetInputSourceLocalizedName";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_INPUT_SOURCE_LOCALIZED_NAME_GET_INFO || info->whichComponents == 0) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrInputSourceLocalizedNameGetInfo with components");
    }
    if (s->attached.empty()) return refuse(inst, call, XR_ERROR_ACTIONSET_NOT_ATTACHED, "no action set is attached");
    const std::string* path = inst.paths.name(info->sourcePath);
    if (!path) return refuse(inst, call, XR_ERROR_PATH_INVALID, "unknown sourcePath");
    const Profile* profile = s->currentProfile ? findProfile(*inst.paths.name(s->currentProfile)) : nullptr;
    const auto src = profile ? parseSourcePath(*profile, *path) : std::nullopt;
    if (!src) return refuse(inst, call, XR_ERROR_PATH_UNSUPPORTED, *path + " is not a source of the current profile");
    std::string name;
    auto add = [&](const std::string& part) { name += (name.empty() ? "" : " ") + part; };
    if (info->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_USER_PATH_BIT) add(src->hand == 0 ? "Left Hand" : "Right Hand");
    if (info->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_INTERACTION_PROFILE_BIT) add(profile->localized);
    if (info->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_COMPONENT_BIT) add(localizedComponent(*src->input, src->comp));
    const XrResult r = copyString(name, capacity, countOutput, buffer);
    return r == XR_SUCCESS ? success(*s) : r;
  });
}

}  // namespace api
}  // namespace pav::xrsim
