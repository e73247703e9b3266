// xr-sim core: the handle registry, paths, the clock, the event queue, session state changes
// and the record of refused calls. No OpenXR entry point lives here; the other files use
// these helpers under the runtime lock (guarded() in xr_sim_local.h).
//
// [SECTION] Handles and paths
// [SECTION] Clock and log
// [SECTION] Events and session states
#include <atomic>
#include <chrono>
#include <thread>

#include <openxr/openxr_reflection.h>

#include "xr_sim_local.h"

namespace pav::xrsim {

// ---- [SECTION] Handles and paths ----------------------------------------------------------
namespace {
std::unordered_map<uint64_t, Object*>& registry() {
  static std::unordered_map<uint64_t, Object*> objects;
  return objects;
}
// Handle values count up from a base that makes them easy to spot in a debugger, and are
// never reused: a destroyed handle stays invalid forever.
uint64_t nextHandle() {
  static uint64_t next = 0x5100;
  return next += 0x10;
}
}  // namespace

Object::Object(Kind k, Instance* inst) : kind(k), instance(inst), handle(nextHandle()) { registry()[handle] = this; }
Object::~Object() { registry().erase(handle); }

Object* findObject(uint64_t handle, Kind kind) {
  const auto it = registry().find(handle);
  return (it != registry().end() && it->second->kind == kind) ? it->second : nullptr;
}

XrPath PathTable::intern(std::string_view path) {
  const std::string key(path);
  if (const auto it = ids_.find(key); it != ids_.end()) return it->second;
  names_.push_back(key);
  const XrPath id = names_.size();  // never XR_NULL_PATH
  ids_.emplace(key, id);
  return id;
}
const std::string* PathTable::name(XrPath path) const {
  return (path >= 1 && path <= names_.size()) ? &names_[path - 1] : nullptr;
}
XrPath PathTable::find(std::string_view path) const {
  const auto it = ids_.find(std::string(path));
  return it == ids_.end() ? XR_NULL_PATH : it->second;
}

namespace {
bool isPathChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'; }
}  // namespace

bool isWellFormedName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!isPathChar(c)) return false;
  }
  return true;
}

bool isWellFormedPath(std::string_view path) {
  if (path.size() < 2 || path.front() != '/' || path.back() == '/') return false;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view seg = path.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == ".." || !isWellFormedName(seg)) return false;
    start = end + 1;
  }
  return true;
}

XrResult copyString(const std::string& s, uint32_t capacity, uint32_t* countOutput, char* buffer) {
  if (!countOutput) return XR_ERROR_VALIDATION_FAILURE;
  const uint32_t count = static_cast<uint32_t>(s.size() + 1);
  *countOutput = count;
  if (capacity == 0) return XR_SUCCESS;
  if (capacity < count) return XR_ERROR_SIZE_INSUFFICIENT;
  if (!buffer) return XR_ERROR_VALIDATION_FAILURE;
  std::memcpy(buffer, s.c_str(), count);
  return XR_SUCCESS;
}

// ---- [SECTION] Clock and log --------------------------------------------------------------
std::mutex& runtimeMutex() {
  static std::mutex m;
  return m;
}

int64_t nowNs() {
  // steady_clock is CLOCK_MONOTONIC on Linux: XrTime values stay comparable with
  // timespecs an application might convert itself.
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void sleepUntilNs(int64_t t) {
  const int64_t now = nowNs();
  if (t > now) std::this_thread::sleep_for(std::chrono::nanoseconds(t - now));
}

const char* resultName(XrResult r) {
  switch (r) {
#define PAV_XR_RESULT_CASE(name, value) \
  case name:                            \
    return #name;
    XR_LIST_ENUM_XrResult(PAV_XR_RESULT_CASE)
#undef PAV_XR_RESULT_CASE
    default:
      return "XR_UNKNOWN_RESULT";
  }
}

const char* stateName(XrSessionState s) {
  switch (s) {
#define PAV_XR_STATE_CASE(name, value) \
  case name:                           \
    return #name + 17; /* without "XR_SESSION_STATE_" */
    XR_LIST_ENUM_XrSessionState(PAV_XR_STATE_CASE)
#undef PAV_XR_STATE_CASE
    default:
      return "UNKNOWN_STATE";
  }
}

void logLine(const Instance& inst, int level, const std::string& line) {
  if (inst.config.logLevel >= level) std::fprintf(stderr, "pav_xr_sim: %s\n", line.c_str());
}

XrResult refuse(Instance& inst, const char* call, XrResult code, const std::string& detail) {
  Stats& st = inst.stats;
  ++st.violationsTotal;
  ++st.violations[std::string(call) + " " + resultName(code)];
  if (st.violationLog.size() < 32) st.violationLog.push_back(std::string(call) + ": " + resultName(code) + ": " + detail);
  logLine(inst, 1, std::string("refused ") + call + " with " + resultName(code) + ": " + detail);
  return code;
}

// ---- [SECTION] Events and session states --------------------------------------------------
void pushEventBuffer(Instance& inst, const XrEventDataBuffer& buffer) {
  // A real runtime's queue is bounded; past the bound the oldest events are dropped and an
  // XrEventDataEventsLost tells the application how many.
  constexpr size_t kMaxEvents = 64;
  if (inst.events.size() >= kMaxEvents) {
    inst.events.pop_front();
    ++inst.eventsLost;
  }
  inst.events.push_back(buffer);
}

void setState(Session& s, XrSessionState state) {
  Instance& inst = *s.instance;
  logLine(inst, 2, std::string("session ") + stateName(s.state) + " -> " + stateName(state));
  s.state = state;
  XrEventDataSessionStateChanged ev{XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED};
  ev.session = toHandle<XrSession>(s);
  ev.state = state;
  ev.time = nowNs();
  pushEvent(inst, ev);
  inst.stats.states.push_back(stateName(state));
}

void requestStop(Session& s, const std::string& reason) {
  if (!s.running || s.state == XR_SESSION_STATE_STOPPING || s.state == XR_SESSION_STATE_LOSS_PENDING) return;
  s.exitRequested = true;
  if (s.instance->stats.endReason.empty()) s.instance->stats.endReason = reason;
  logLine(*s.instance, 2, "stop requested: " + reason);
  // The states step down one at a time, as the specification's state diagram requires.
  if (s.state == XR_SESSION_STATE_FOCUSED) setState(s, XR_SESSION_STATE_VISIBLE);
  if (s.state == XR_SESSION_STATE_VISIBLE || s.state == XR_SESSION_STATE_READY) {
    setState(s, XR_SESSION_STATE_SYNCHRONIZED);
  }
  setState(s, XR_SESSION_STATE_STOPPING);
}

void beginInstanceLoss(Instance& inst, const std::string& reason) {
  if (inst.lossPending) return;
  inst.lossPending = true;
  inst.lossTime = nowNs();
  if (inst.stats.endReason.empty()) inst.stats.endReason = reason;
  logLine(inst, 2, "instance loss: " + reason);
  if (inst.session) setState(*inst.session, XR_SESSION_STATE_LOSS_PENDING);
  XrEventDataInstanceLossPending ev{XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING};
  ev.lossTime = inst.lossTime;
  pushEvent(inst, ev);
}

double scriptSeconds(const Session& s, XrTime t) {
  if (s.scriptOrigin == 0) return 0.0;  // before the first frame the script holds still
  return static_cast<double>(t - s.scriptOrigin) * 1e-9;
}

Instance::~Instance() {
  session.reset();  // explicitly first: sessions reference action data and paths
  actionSets.clear();
}

}  // namespace pav::xrsim
