// xr-sim internals: the simulated headset runtime's objects and the helpers its files share.
// The only public surface of the library is the loader interface (entry.cpp); everything
// here is hidden (-fvisibility=hidden) and lives in pav::xrsim.
//
// [SECTION] Configuration      config.cpp     PAV_XR_SIM_* environment variables
// [SECTION] Script             script.cpp     head/hand trajectories and controller inputs
// [SECTION] Profiles           profiles.cpp   interaction profiles, their paths and values
// [SECTION] Objects            core.cpp       handles and paths; the objects behind them
// [SECTION] Statistics         output.cpp     frame timing, violations, haptics -> JSON
// [SECTION] Shared helpers     core.cpp       refusals, events, state changes, clock
// [SECTION] API                one declaration per OpenXR function (see loader_interface.h)
//
// The API, by file: entry.cpp (loader interface, xrGetInstanceProcAddr), instance.cpp
// (instance, system, views, paths, events), vulkan.cpp (XR_KHR_vulkan_enable(2)),
// session.cpp (session states), spaces.cpp (spaces, views), swapchain.cpp, frame.cpp
// (frame loop, layer checks), actions.cpp and action_states.cpp (input), output.cpp (PNG,
// statistics).
#pragma once

#define XR_USE_GRAPHICS_API_VULKAN 1
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "loader_interface.h"
#include "vk_context.h"

namespace pav::xrsim {

inline constexpr const char* kRuntimeName = "Pavilion xr-sim";
inline constexpr XrVersion kRuntimeVersion = XR_MAKE_VERSION(0, 1, 0);
inline constexpr XrSystemId kSystemId = 1;  // the one headset
inline constexpr uint32_t kMaxImageSize = 4096;
inline constexpr uint32_t kMaxLayers = 16;
inline constexpr uint32_t kSwapchainImages = 3;

// ---- [SECTION] Configuration --------------------------------------------------------------
struct Config {
  uint32_t viewWidth = 1832, viewHeight = 1920;  // recommended per-eye size
  double hz = 90;
  float ipd = 0.064f;                       // metres
  float stageWidth = 3.0f, stageDepth = 3.0f;  // metres, x by z
  std::string scriptPath;                   // empty: the built-in motion
  uint64_t stopAfterFrames = 0;             // 0: never
  uint64_t loseAfterFrames = 0;             // 0: never
  std::string pngDir;                       // empty: no pictures
  uint64_t pngEvery = 0;                    // 0: only the last frame
  bool pngLast = true;
  std::string statsPath;
  bool handsLatest = false;                 // a hand asked for later than now is where it is now
  std::vector<std::string> profiles;        // preferred interaction profiles, best first
  int logLevel = 1;                         // 0 quiet, 1 refusals, 2 + state changes
  std::string vkDevice;                     // substring of the wanted VkPhysicalDevice name
  std::string presenceFile;                 // XR_EXT_user_presence: "off" in this file takes the headset off
};
// Reads the PAV_XR_SIM_* variables. Returns a message naming the variable on a bad value.
std::optional<std::string> loadConfig(Config& out);

// ---- [SECTION] Script ---------------------------------------------------------------------
enum class Button : uint8_t { A, B, X, Y, Menu, System, Select, Stick, Pad, Thumbrest, Count };
inline constexpr size_t kButtons = static_cast<size_t>(Button::Count);

struct HandInput {
  float trigger = 0, squeeze = 0;
  XrVector2f stick{0, 0}, pad{0, 0};
  std::array<bool, kButtons> pressed{}, touched{};
};
struct MotionSample {
  XrPosef head;        // STAGE space
  XrPosef grip[2];     // STAGE space, [0] left, [1] right
  HandInput input[2];
};

class Script {
 public:
  // The built-in motion: a gentle head sway, hands held in front, no input.
  static Script builtIn();
  // Parses the text format of README.md; on error returns "line N: what".
  static std::optional<std::string> parse(std::string_view text, Script& out);
  static std::optional<std::string> load(const std::string& path, Script& out);

  MotionSample sample(double seconds) const;
  bool isBuiltIn() const { return builtIn_; }

  template <typename T>
  struct Key {
    double t;
    T v;
  };
  template <typename T>
  using Track = std::vector<Key<T>>;

 private:
  bool builtIn_ = false;
  double loop_ = 0;
  Track<XrPosef> head_, grip_[2];
  Track<float> trigger_[2], squeeze_[2];
  Track<XrVector2f> stick_[2], pad_[2];
  std::array<Track<bool>, kButtons> pressed_[2], touched_[2];
};

// ---- [SECTION] Profiles -------------------------------------------------------------------
// Components of an input source, as bits: what comes after the identifier in a path.
enum Comp : uint16_t {
  kClick = 1, kTouch = 2, kValue = 4, kForce = 8, kX = 16, kY = 32,
  kVec = 64,     // the identifier itself: a 2D input (thumbstick, trackpad)
  kPose = 128,   // the identifier itself: grip or aim
  kHaptic = 256  // output/haptic
};
enum class Input : uint8_t { Trigger, Squeeze, Thumbstick, Trackpad, Button, Thumbrest, Grip, Aim, Haptic };
struct InputDef {
  const char* id;         // "trigger", "a", "grip", "haptic"
  const char* localized;  // "Trigger"
  Input kind;
  Button button;          // for Input::Button
  uint16_t comps;
  uint8_t hands;          // bit 0 left, bit 1 right
};
struct Profile {
  const char* path;       // "/interaction_profiles/oculus/touch_controller"
  const char* localized;  // "Oculus Touch Controller"
  std::vector<InputDef> inputs;
};
const std::vector<Profile>& profiles();
const Profile* findProfile(std::string_view path);
// A binding path parsed against a profile ("/user/hand/right/input/trigger/value").
struct SourcePath {
  int hand;               // 0 left, 1 right
  const InputDef* input;
  uint16_t comp;          // one Comp bit, or 0 for the identifier without component
};
std::optional<SourcePath> parseSourcePath(const Profile& profile, std::string_view path);
// The component an action of `type` reads from `src`; 0 when the types are incompatible.
uint16_t resolveComponent(const SourcePath& src, XrActionType type);
std::string sourcePathString(int hand, const InputDef& input, uint16_t comp);
// Values of one component of a hand's inputs.
bool readBool(const HandInput& in, const InputDef& def, uint16_t comp);
float readFloat(const HandInput& in, const InputDef& def, uint16_t comp);
XrVector2f readVector(const HandInput& in, const InputDef& def);
// The aim pose relative to the grip pose (a fixed offset, as on real controllers).
XrPosef aimFromGrip();
// "Trigger Value", "Thumbstick X": for xrGetInputSourceLocalizedName.
std::string localizedComponent(const InputDef& def, uint16_t comp);

// ---- [SECTION] Objects --------------------------------------------------------------------
enum class Kind : uint8_t { Instance, Session, Space, Swapchain, ActionSet, Action };
struct Instance;
struct Session;

// Every handle is one of these. Handles are never reused, so a stale handle is detected.
struct Object {
  Object(Kind kind, Instance* instance);
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;
  virtual ~Object();
  const Kind kind;
  Instance* const instance;
  const uint64_t handle;
};
Object* findObject(uint64_t handle, Kind kind);
template <typename T, typename H>
T* lookup(H handle) {
  return static_cast<T*>(findObject(reinterpret_cast<uint64_t>(handle), T::kKind));
}
template <typename H>
H toHandle(const Object& o) {
  return reinterpret_cast<H>(o.handle);
}

class PathTable {
 public:
  XrPath intern(std::string_view path);
  const std::string* name(XrPath path) const;
  XrPath find(std::string_view path) const;  // XR_NULL_PATH when never interned
 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, XrPath> ids_;
};
// Well-formed path: '/'-separated non-empty segments of [a-z0-9-_.], not "." or "..".
bool isWellFormedPath(std::string_view path);
// Well-formed action / action set name: a single path segment.
bool isWellFormedName(std::string_view name);

struct ActionState {
  bool active = false, changed = false;
  bool b = false;
  float f = 0;
  XrVector2f v{0, 0};
  XrTime lastChange = 0;
};
struct BoundSource {
  SourcePath src;
  uint16_t comp;  // resolved for the action's type
  XrPath path;    // the full path, for xrEnumerateBoundSourcesForAction
};
struct ActionSetData;
struct ActionData {
  std::string name, localized;
  XrActionType type;
  std::vector<XrPath> subactionPaths;
  ActionSetData* set;                    // the set outlives its actions' data (shared_ptr)
  std::vector<BoundSource> bound;        // under the session's current profile
  std::map<XrPath, ActionState> states;  // XR_NULL_PATH: all subaction paths together
};
struct ActionSetData {
  std::string name, localized;
  uint32_t priority = 0;
  std::vector<std::shared_ptr<ActionData>> actions;
  bool attached = false;
};

struct Action : Object {
  static constexpr Kind kKind = Kind::Action;
  Action(Instance* inst, std::shared_ptr<ActionData> d) : Object(kKind, inst), data(std::move(d)) {}
  std::shared_ptr<ActionData> data;
};
struct ActionSet : Object {
  static constexpr Kind kKind = Kind::ActionSet;
  explicit ActionSet(Instance* inst) : Object(kKind, inst), data(std::make_shared<ActionSetData>()) {}
  std::shared_ptr<ActionSetData> data;
  std::vector<std::unique_ptr<Action>> actions;
};

struct Space : Object {
  static constexpr Kind kKind = Kind::Space;
  Space(Instance* inst, Session* s) : Object(kKind, inst), session(s) {}
  Session* session;
  bool isAction = false;
  XrReferenceSpaceType refType = XR_REFERENCE_SPACE_TYPE_STAGE;
  std::shared_ptr<ActionData> action;
  XrPath subaction = XR_NULL_PATH;
  XrPosef offset{};
};

struct Swapchain : Object {
  static constexpr Kind kKind = Kind::Swapchain;
  Swapchain(Instance* inst, Session* s) : Object(kKind, inst), session(s) {}
  ~Swapchain() override;
  Session* session;
  XrSwapchainCreateInfo info{};
  VkFormat format = VK_FORMAT_UNDEFINED;
  VkImageAspectFlags aspect = 0;
  VkImageLayout restingLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  bool readable = false;  // created with TRANSFER_SRC, so the runtime can copy it out
  struct Image {
    UniqueMemory memory;  // declared first: the image is destroyed before its memory is freed
    UniqueImage image;
    uint64_t acquisitions = 0;
  };
  std::vector<Image> images;
  std::deque<uint32_t> acquired;    // acquired, oldest first
  bool waited = false;              // the oldest acquired image has been waited on
  int64_t lastReleased = -1;
  uint32_t nextAcquire = 0;
  bool staticReleased = false;
};

struct PendingFrame {
  XrTime displayTime = 0;
  int64_t waitReturnNs = 0;
};
// The most recent projection layer, for the picture of the last frame.
struct SubmittedView {
  uint64_t swapchain = 0;  // handle value: the swapchain may be gone by then
  uint32_t image = 0;
  uint64_t acquisitions = 0;  // of that image when submitted: unchanged means still intact
  XrRect2Di rect{};
  uint32_t arrayIndex = 0;
};

struct Session : Object {
  static constexpr Kind kKind = Kind::Session;
  explicit Session(Instance* inst) : Object(kKind, inst) {}
  ~Session() override;
  std::unique_ptr<VkContext> vk;  // first: destroyed after the swapchains that use it
  std::vector<std::unique_ptr<Swapchain>> swapchains;
  std::vector<std::unique_ptr<Space>> spaces;
  XrSessionState state = XR_SESSION_STATE_UNKNOWN;
  bool running = false, exitRequested = false;
  XrViewConfigurationType viewConfig = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  std::vector<std::shared_ptr<ActionSetData>> attached;
  XrPath currentProfile = XR_NULL_PATH;
  // Frame loop.
  int64_t clockOrigin = 0;   // display time k is clockOrigin + k * period
  int64_t lastK = 0;
  std::deque<PendingFrame> waited;  // xrWaitFrame returns not yet begun
  std::optional<PendingFrame> begun;
  XrTime scriptOrigin = 0;          // predicted display time of the first frame
  XrTime lastPredicted = 0;
  uint64_t framesEnded = 0;
  std::array<SubmittedView, 2> lastProjection{};
  bool haveLastProjection = false;
  bool statsWritten = false;
  int present = -1;  // XR_EXT_user_presence: what the application was last told (-1: nothing yet)
  std::vector<VkFormat> formats;  // swapchain formats the device supports, preferred first
};

// ---- [SECTION] User presence (presence.cpp) ------------------------------------------------
// XR_EXT_user_presence, declared here: Debian's OpenXR headers (1.0.20) predate it.
inline constexpr const char* kUserPresenceName = "XR_EXT_user_presence";
inline constexpr uint32_t kUserPresenceVersion = 1;
inline constexpr XrStructureType kTypeUserPresenceChanged = XrStructureType(1000470000);
inline constexpr XrStructureType kTypeSystemUserPresenceProperties = XrStructureType(1000470001);
struct UserPresenceChangedEXT {
  XrStructureType type;
  const void* next;
  XrSession session;
  XrBool32 isUserPresent;
};
struct SystemUserPresencePropertiesEXT {
  XrStructureType type;
  void* next;
  XrBool32 supportsUserPresence;
};
// Reads PAV_XR_SIM_PRESENCE_FILE (every few frames; at xrBeginSession always) and queues
// XrEventDataUserPresenceChangedEXT when the wearer's presence differs from what the
// application was last told (at the session's begin: always, as the extension asks).
void updatePresence(Session& s, bool begin);

// ---- [SECTION] Statistics -----------------------------------------------------------------
struct HapticPulse {
  double t;  // script seconds
  std::string hand, action;
  float amplitude;
  int64_t durationNs;
  float frequency;
};
struct Stats {
  uint64_t framesWaited = 0, framesBegun = 0, framesEnded = 0, framesDiscarded = 0, framesMissed = 0;
  uint64_t framesWithLayers = 0;
  std::vector<double> appCpuMs;  // xrWaitFrame return -> xrEndFrame, per ended frame
  std::map<std::string, uint64_t> violations;  // "xrEndFrame XR_ERROR_TIME_INVALID" -> count
  std::vector<std::string> violationLog;       // the first few, with detail
  uint64_t violationsTotal = 0;
  std::vector<HapticPulse> haptics;
  uint64_t hapticStops = 0, hapticsUnbound = 0;
  std::vector<std::string> states;
  std::vector<std::string> pngFiles;
  std::string endReason;
};
// Writes the statistics as JSON to config.statsPath (no-op when unset).
void writeStats(const Instance& inst, const Session* session);

struct Instance : Object {
  static constexpr Kind kKind = Kind::Instance;
  Instance() : Object(kKind, this) {}
  ~Instance() override;
  Config config;
  Script script;
  std::string appName;
  bool extVulkan = false, extVulkan2 = false, extDepth = false, extPresence = false;
  PathTable paths;
  std::deque<XrEventDataBuffer> events;
  uint64_t eventsLost = 0;
  bool requirementsQueried = false;
  bool lossPending = false, lost = false;
  XrTime lossTime = 0;
  // Vulkan instances created through xrCreateVulkanInstanceKHR, with the gipa they came from.
  std::vector<std::pair<VkInstance, PFN_vkGetInstanceProcAddr>> vkInstances;
  VkInstance graphicsInstance = VK_NULL_HANDLE;  // from xrGetVulkanGraphicsDevice(2)KHR
  VkPhysicalDevice physicalDevice = VK_NULL_HANDLE;
  struct Suggestion {
    std::shared_ptr<ActionData> action;
    XrPath binding;
  };
  std::map<XrPath, std::vector<Suggestion>> suggested;  // per interaction profile path
  Stats stats;
  // Children, destroyed in reverse order: the session before the action sets.
  std::vector<std::unique_ptr<ActionSet>> actionSets;
  std::unique_ptr<Session> session;
};

// ---- [SECTION] Shared helpers -------------------------------------------------------------
std::mutex& runtimeMutex();
// Monotonic time in nanoseconds: XrTime in this runtime.
int64_t nowNs();
void sleepUntilNs(int64_t t);
// Records a refused call (stats + a line on stderr at log level >= 1) and returns code.
XrResult refuse(Instance& inst, const char* call, XrResult code, const std::string& detail);
const char* resultName(XrResult r);
const char* stateName(XrSessionState s);
void logLine(const Instance& inst, int level, const std::string& line);
// The event queue (bounded; overflow is reported with XrEventDataEventsLost). pushEvent
// copies an event struct into an XrEventDataBuffer.
void pushEventBuffer(Instance& inst, const XrEventDataBuffer& buffer);
template <typename T>
void pushEvent(Instance& inst, const T& ev) {
  static_assert(sizeof(T) <= sizeof(XrEventDataBuffer));
  XrEventDataBuffer b{};
  std::memcpy(&b, &ev, sizeof(T));
  pushEventBuffer(inst, b);
}
// Session state changes (events in order, logged, recorded in the statistics).
void setState(Session& s, XrSessionState state);
// The runtime asks the session to stop (walks down through VISIBLE / SYNCHRONIZED).
void requestStop(Session& s, const std::string& reason);
// The runtime begins losing the instance: LOSS_PENDING, then XR_ERROR_INSTANCE_LOST.
void beginInstanceLoss(Instance& inst, const std::string& reason);
// XR_ERROR_INSTANCE_LOST once the instance is lost, else XR_SUCCESS.
inline XrResult liveness(const Instance& inst) { return inst.lost ? XR_ERROR_INSTANCE_LOST : XR_SUCCESS; }
// The start of most API bodies: look the handle up, refuse a bad one, then a lost instance.
#define PAV_XR_LOOKUP(Type, var, handle)                              \
  Type* var = ::pav::xrsim::lookup<Type>(handle);                     \
  if (!var) return XR_ERROR_HANDLE_INVALID;                           \
  if (XrResult lost_ = ::pav::xrsim::liveness(*var->instance); lost_ != XR_SUCCESS) return lost_
// A successful result, or XR_SESSION_LOSS_PENDING while the session is being lost.
inline XrResult success(const Session& s) {
  return s.state == XR_SESSION_STATE_LOSS_PENDING ? XR_SESSION_LOSS_PENDING : XR_SUCCESS;
}
// Script seconds at an XrTime: zero at the session's first predicted display time.
double scriptSeconds(const Session& s, XrTime t);
// Pose of a space in STAGE space at time t; nullopt when it cannot be located now.
std::optional<XrPosef> spacePose(const Space& space, XrTime t);
// 0 for /user/hand/left, 1 for /user/hand/right, -1 for any other path.
int handIndex(const Instance& inst, XrPath topLevelUserPath);
// Evaluates the session's actions from the script (xrSyncActions).
void evaluateActions(Session& s, XrTime t, const std::vector<std::pair<ActionSetData*, XrPath>>& active);
// Resolves bindings under the current profile and sends INTERACTION_PROFILE_CHANGED.
void chooseInteractionProfile(Session& s);
// The gipa for a VkInstance: the one it was created with through xrCreateVulkanInstanceKHR,
// else the system loader's.
PFN_vkGetInstanceProcAddr instanceProcAddrFor(const Instance& inst, VkInstance vkInstance);
// Ends a session's record: the picture of the last frame, the statistics file. Once.
void finishSession(Session& s);
// Reads back the given views of a projection layer and writes them as PNG files.
void writeEyePictures(Session& s, const std::array<SubmittedView, 2>& views, const std::string& stem);
// Formats, swapchain lookups shared by frame.cpp and swapchain.cpp.
bool isDepthFormat(VkFormat f);
// Two-call idiom for arrays: fills countOutput, checks capacity.
template <typename T, typename Fill>
XrResult twoCall(uint32_t capacity, uint32_t* countOutput, T* out, uint32_t count, Fill fill) {
  if (!countOutput) return XR_ERROR_VALIDATION_FAILURE;
  *countOutput = count;
  if (capacity == 0) return XR_SUCCESS;
  if (capacity < count) return XR_ERROR_SIZE_INSUFFICIENT;
  if (!out) return XR_ERROR_VALIDATION_FAILURE;
  for (uint32_t i = 0; i < count; ++i) fill(out[i], i);
  return XR_SUCCESS;
}
XrResult copyString(const std::string& s, uint32_t capacity, uint32_t* countOutput, char* buffer);

// Runs an API body under the runtime lock; exceptions become XrResult codes (they must not
// cross the C interface). The body takes no argument, or the lock (xrWaitFrame sleeps
// without it).
template <typename F>
XrResult guarded(const char* call, F&& body) {
  std::unique_lock<std::mutex> lock(runtimeMutex());
  try {
    if constexpr (std::is_invocable_v<F, std::unique_lock<std::mutex>&>) {
      return body(lock);
    } else {
      return body();
    }
  } catch (const std::bad_alloc&) {
    return XR_ERROR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pav_xr_sim: %s failed: %s\n", call, e.what());
    return XR_ERROR_RUNTIME_FAILURE;
  }
}

// ---- [SECTION] API ------------------------------------------------------------------------
// Each OpenXR function, declared from its PFN_ type so a signature cannot drift.
namespace api {
#define PAV_XR_DECLARE(name) std::remove_pointer_t<PFN_##name> name;
PAV_XR_GLOBAL_FUNCTIONS(PAV_XR_DECLARE)
PAV_XR_CORE_INSTANCE_FUNCTIONS(PAV_XR_DECLARE)
PAV_XR_VULKAN_ENABLE_FUNCTIONS(PAV_XR_DECLARE)
PAV_XR_VULKAN_ENABLE2_FUNCTIONS(PAV_XR_DECLARE)
#undef PAV_XR_DECLARE
}  // namespace api

}  // namespace pav::xrsim
