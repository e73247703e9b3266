// xr-sim actions: action sets, actions, suggested bindings, the current interaction profile,
// action states read from the script, haptic pulses recorded for the statistics.
//
// [SECTION] Sets and actions       creation rules (names, subaction paths, immutability)
// [SECTION] Bindings and profile   validation against profiles.cpp, the runtime's choice
// [SECTION] Sync and states        xrSyncActions samples the script; xrGetActionState*
// [SECTION] Haptics and sources    pulses, bound sources, localized names
//
// The runtime picks one interaction profile for both hands when action sets are attached:
// the first of PAV_XR_SIM_PROFILES that the application suggested bindings for, and sends
// XrEventDataInteractionProfileChanged. xrSyncActions samples the script at the most recent
// predicted display time (the frame being prepared), so values are deterministic per frame.
#include <algorithm>
#include <cmath>

#include "xr_sim_local.h"

namespace pav::xrsim {
namespace {

bool isTopLevelUserPath(const std::string& p) {
  return p == "/user/hand/left" || p == "/user/hand/right" || p == "/user/head" || p == "/user/gamepad" ||
         p == "/user/treadmill";
}

}  // namespace

int handIndex(const Instance& inst, XrPath topLevelUserPath) {
  const std::string* name = inst.paths.name(topLevelUserPath);
  if (!name) return -1;
  return *name == "/user/hand/left" ? 0 : *name == "/user/hand/right" ? 1 : -1;
}

// ---- [SECTION] Sets and actions -----------------------------------------------------------
namespace api {

XrResult xrCreateActionSet(XrInstance instance, const XrActionSetCreateInfo* info, XrActionSet* out) {
  return guarded("xrCreateActionSet", [&]() -> XrResult {
    const char* call = "xrCreateActionSet";
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (!info || info->type != XR_TYPE_ACTION_SET_CREATE_INFO || !out) {
      return refuse(*inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrActionSetCreateInfo");
    }
    const std::string name(info->actionSetName, strnlen(info->actionSetName, XR_MAX_ACTION_SET_NAME_SIZE));
    const std::string localized(info->localizedActionSetName,
                                strnlen(info->localizedActionSetName, XR_MAX_LOCALIZED_ACTION_SET_NAME_SIZE));
    if (!isWellFormedName(name)) {
      return refuse(*inst, call, XR_ERROR_PATH_FORMAT_INVALID, "actionSetName '" + name + "' is not of [a-z0-9-_.]");
    }
    if (localized.empty()) return refuse(*inst, call, XR_ERROR_LOCALIZED_NAME_INVALID, "localizedActionSetName is empty");
    for (const auto& set : inst->actionSets) {
      if (set->data->name == name) return refuse(*inst, call, XR_ERROR_NAME_DUPLICATED, "action set '" + name + "'");
      if (set->data->localized == localized) {
        return refuse(*inst, call, XR_ERROR_LOCALIZED_NAME_DUPLICATED, "action set '" + localized + "'");
      }
    }
    auto set = std::make_unique<ActionSet>(inst);
    set->data->name = name;
    set->data->localized = localized;
    set->data->priority = info->priority;
    *out = toHandle<XrActionSet>(*set);
    inst->actionSets.push_back(std::move(set));
    return XR_SUCCESS;
  });
}

XrResult xrDestroyActionSet(XrActionSet actionSet) {
  return guarded("xrDestroyActionSet", [&]() -> XrResult {
    ActionSet* set = lookup<ActionSet>(actionSet);
    if (!set) return XR_ERROR_HANDLE_INVALID;
    // The set's data lives on in any session it is attached to (and in action spaces).
    auto& all = set->instance->actionSets;
    all.erase(std::remove_if(all.begin(), all.end(), [set](const auto& p) { return p.get() == set; }), all.end());
    return XR_SUCCESS;
  });
}

XrResult xrCreateAction(XrActionSet actionSet, const XrActionCreateInfo* info, XrAction* out) {
  return guarded("xrCreateAction", [&]() -> XrResult {
    const char* call = "xrCreateAction";
    PAV_XR_LOOKUP(ActionSet, set, actionSet);
    Instance& inst = *set->instance;
    if (!info || info->type != XR_TYPE_ACTION_CREATE_INFO || !out) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrActionCreateInfo");
    }
    if (set->data->attached) {
      return refuse(inst, call, XR_ERROR_ACTIONSETS_ALREADY_ATTACHED, "'" + set->data->name + "' is attached: immutable");
    }
    const std::string name(info->actionName, strnlen(info->actionName, XR_MAX_ACTION_NAME_SIZE));
    const std::string localized(info->localizedActionName, strnlen(info->localizedActionName, XR_MAX_LOCALIZED_ACTION_NAME_SIZE));
    if (!isWellFormedName(name)) {
      return refuse(inst, call, XR_ERROR_PATH_FORMAT_INVALID, "actionName '" + name + "' is not of [a-z0-9-_.]");
    }
    if (localized.empty()) return refuse(inst, call, XR_ERROR_LOCALIZED_NAME_INVALID, "localizedActionName is empty");
    for (const auto& a : set->actions) {
      if (a->data->name == name) return refuse(inst, call, XR_ERROR_NAME_DUPLICATED, "action '" + name + "'");
      if (a->data->localized == localized) return refuse(inst, call, XR_ERROR_LOCALIZED_NAME_DUPLICATED, "action '" + localized + "'");
    }
    switch (info->actionType) {
      case XR_ACTION_TYPE_BOOLEAN_INPUT:
      case XR_ACTION_TYPE_FLOAT_INPUT:
      case XR_ACTION_TYPE_VECTOR2F_INPUT:
      case XR_ACTION_TYPE_POSE_INPUT:
      case XR_ACTION_TYPE_VIBRATION_OUTPUT:
        break;
      default:
        return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "actionType is not an XrActionType");
    }
    if (info->countSubactionPaths > 0 && !info->subactionPaths) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "subactionPaths is null");
    }
    auto data = std::make_shared<ActionData>();
    for (uint32_t i = 0; i < info->countSubactionPaths; ++i) {
      const XrPath p = info->subactionPaths[i];
      const std::string* pname = inst.paths.name(p);
      if (!pname) return refuse(inst, call, XR_ERROR_PATH_INVALID, "subactionPaths[" + std::to_string(i) + "] is unknown");
      if (!isTopLevelUserPath(*pname)) {
        return refuse(inst, call, XR_ERROR_PATH_UNSUPPORTED, *pname + " is not a top level /user path");
      }
      if (std::find(data->subactionPaths.begin(), data->subactionPaths.end(), p) != data->subactionPaths.end()) {
        return refuse(inst, call, XR_ERROR_PATH_UNSUPPORTED, *pname + " appears twice");
      }
      data->subactionPaths.push_back(p);
    }
    data->name = name;
    data->localized = localized;
    data->type = info->actionType;
    data->set = set->data.get();
    data->states[XR_NULL_PATH] = {};
    for (XrPath p : data->subactionPaths) data->states[p] = {};
    auto action = std::make_unique<Action>(&inst, data);
    set->data->actions.push_back(data);
    *out = toHandle<XrAction>(*action);
    set->actions.push_back(std::move(action));
    return XR_SUCCESS;
  });
}

XrResult xrDestroyAction(XrAction action) {
  return guarded("xrDestroyAction", [&]() -> XrResult {
    Action* a = lookup<Action>(action);
    if (!a) return XR_ERROR_HANDLE_INVALID;
    for (const auto& set : a->instance->actionSets) {
      auto& list = set->actions;
      const auto it = std::find_if(list.begin(), list.end(), [a](const auto& p) { return p.get() == a; });
      if (it == list.end()) continue;
      if (!set->data->attached) {  // once attached, the set's actions stay for its sessions
        auto& data = set->data->actions;
        data.erase(std::remove(data.begin(), data.end(), a->data), data.end());
      }
      list.erase(it);
      break;
    }
    return XR_SUCCESS;
  });
}

// ---- [SECTION] Bindings and profile -------------------------------------------------------
XrResult xrSuggestInteractionProfileBindings(XrInstance instance, const XrInteractionProfileSuggestedBinding* suggested) {
  return guarded("xrSuggestInteractionProfileBindings", [&]() -> XrResult {
    const char* call = "xrSuggestInteractionProfileBindings";
    PAV_XR_LOOKUP(Instance, inst, instance);
    if (!suggested || suggested->type != XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING ||
        suggested->countSuggestedBindings == 0 || !suggested->suggestedBindings) {
      return refuse(*inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrInteractionProfileSuggestedBinding with bindings");
    }
    const std::string* profileName = inst->paths.name(suggested->interactionProfile);
    if (!profileName) return refuse(*inst, call, XR_ERROR_PATH_INVALID, "unknown interactionProfile path");
    const Profile* profile = findProfile(*profileName);
    if (!profile) return refuse(*inst, call, XR_ERROR_PATH_UNSUPPORTED, *profileName + " is not a known interaction profile");
    std::vector<Instance::Suggestion> list;
    for (uint32_t i = 0; i < suggested->countSuggestedBindings; ++i) {
      const XrActionSuggestedBinding& b = suggested->suggestedBindings[i];
      const Action* action = lookup<Action>(b.action);
      if (!action || action->instance != inst) return refuse(*inst, call, XR_ERROR_HANDLE_INVALID, "unknown action");
      if (action->data->set->attached) {
        return refuse(*inst, call, XR_ERROR_ACTIONSETS_ALREADY_ATTACHED, "'" + action->data->name + "' is already attached");
      }
      const std::string* path = inst->paths.name(b.binding);
      if (!path) return refuse(*inst, call, XR_ERROR_PATH_INVALID, "binding " + std::to_string(i) + " is an unknown path");
      if (!parseSourcePath(*profile, *path)) {
        return refuse(*inst, call, XR_ERROR_PATH_UNSUPPORTED, *path + " is not a path of " + *profileName);
      }
      list.push_back({action->data, b.binding});
    }
    inst->suggested[suggested->interactionProfile] = std::move(list);  // replaces earlier suggestions
    return XR_SUCCESS;
  });
}

}  // namespace api

void chooseInteractionProfile(Session& s) {
  Instance& inst = *s.instance;
  XrPath chosen = XR_NULL_PATH;
  for (const std::string& name : inst.config.profiles) {
    const XrPath p = inst.paths.find(name);
    if (p != XR_NULL_PATH && inst.suggested.count(p)) {
      chosen = p;
      break;
    }
  }
  const Profile* profile = chosen ? findProfile(*inst.paths.name(chosen)) : nullptr;
  for (const auto& set : s.attached) {
    for (const auto& action : set->actions) {
      action->bound.clear();
      if (!profile) continue;
      for (const Instance::Suggestion& sug : inst.suggested[chosen]) {
        if (sug.action != action) continue;
        const auto src = parseSourcePath(*profile, *inst.paths.name(sug.binding));
        const uint16_t comp = src ? resolveComponent(*src, action->type) : 0;
        if (!comp) continue;  // a type that cannot read this input: not bound
        if (!action->subactionPaths.empty()) {
          const XrPath hand = inst.paths.find(src->hand == 0 ? "/user/hand/left" : "/user/hand/right");
          const auto& subs = action->subactionPaths;
          if (std::find(subs.begin(), subs.end(), hand) == subs.end()) continue;
        }
        action->bound.push_back({*src, comp, inst.paths.intern(sourcePathString(src->hand, *src->input, comp))});
      }
    }
  }
  if (chosen != s.currentProfile) {
    s.currentProfile = chosen;
    logLine(inst, 2, "interaction profile: " + (chosen ? *inst.paths.name(chosen) : std::string("none")));
    XrEventDataInteractionProfileChanged ev{XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED};
    ev.session = toHandle<XrSession>(s);
    pushEvent(inst, ev);
  }
}

namespace api {

XrResult xrAttachSessionActionSets(XrSession session, const XrSessionActionSetsAttachInfo* info) {
  return guarded("xrAttachSessionActionSets", [&]() -> XrResult {
    const char* call = "xrAttachSessionActionSets";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!info || info->type != XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO || info->countActionSets == 0 || !info->actionSets) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrSessionActionSetsAttachInfo with action sets");
    }
    if (!s->attached.empty()) {
      return refuse(inst, call, XR_ERROR_ACTIONSETS_ALREADY_ATTACHED, "this session already has its action sets");
    }
    std::vector<std::shared_ptr<ActionSetData>> sets;
    for (uint32_t i = 0; i < info->countActionSets; ++i) {
      const ActionSet* set = lookup<ActionSet>(info->actionSets[i]);
      if (!set || set->instance != &inst) return refuse(inst, call, XR_ERROR_HANDLE_INVALID, "unknown action set");
      sets.push_back(set->data);
    }
    for (const auto& set : sets) set->attached = true;
    s->attached = std::move(sets);
    chooseInteractionProfile(*s);
    return success(*s);
  });
}

XrResult xrGetCurrentInteractionProfile(XrSession session, XrPath topLevelUserPath, XrInteractionProfileState* state) {
  return guarded("xrGetCurrentInteractionProfile", [&]() -> XrResult {
    const char* call = "xrGetCurrentInteractionProfile";
    PAV_XR_LOOKUP(Session, s, session);
    Instance& inst = *s->instance;
    if (!state || state->type != XR_TYPE_INTERACTION_PROFILE_STATE) {
      return refuse(inst, call, XR_ERROR_VALIDATION_FAILURE, "needs an XrInteractionProfileState");
    }
    if (s->attached.empty()) return refuse(inst, call, XR_ERROR_ACTIONSET_NOT_ATTACHED, "no action set is attached");
    const std::string* name = inst.paths.name(topLevelUserPath);
    if (!name) return refuse(inst, call, XR_ERROR_PATH_INVALID, "unknown topLevelUserPath");
    if (!isTopLevelUserPath(*name)) return refuse(inst, call, XR_ERROR_PATH_UNSUPPORTED, *name + " is not a top level /user path");
    state->interactionProfile = handIndex(inst, topLevelUserPath) >= 0 ? s->currentProfile : XR_NULL_PATH;
    return success(*s);
  });
}

}  // namespace api
}  // namespace pav::xrsim
