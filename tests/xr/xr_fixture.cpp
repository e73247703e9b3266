// XrTest: the simulated headset per test, the world in creation order, the frame loop.
#include "xr_fixture.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <glm/gtc/matrix_transform.hpp>

#ifdef PAV_SANITIZE
// LeakSanitizer reads this at start-up: the OpenXR loader's own leak is suppressed (see
// lsan_openxr.supp); pav_core's __lsan_default_suppressions still applies.
extern "C" const char* __lsan_default_options() { return "suppressions=" PAV_XR_LSAN_SUPPRESSIONS; }
#endif

namespace pav::test {
namespace {

// Every variable xr-sim reads; each test starts from none of them set.
constexpr const char* kSimVars[] = {
    "PAV_XR_SIM_SCALE", "PAV_XR_SIM_VIEW",     "PAV_XR_SIM_HZ",        "PAV_XR_SIM_IPD",
    "PAV_XR_SIM_STAGE", "PAV_XR_SIM_SCRIPT",   "PAV_XR_SIM_PROFILES",  "PAV_XR_SIM_STOP_AFTER_FRAMES",
    "PAV_XR_SIM_LOSE_AFTER_FRAMES", "PAV_XR_SIM_PNG_DIR", "PAV_XR_SIM_PNG_EVERY", "PAV_XR_SIM_PNG_LAST",
    "PAV_XR_SIM_STATS", "PAV_XR_SIM_LOG",      "PAV_XR_SIM_VK_DEVICE", "PAV_XR_SIM_HANDS"};

}  // namespace

void XrWorld::shutdown() {
  // A station quits properly first: the session runs out through STOPPING (frames end empty
  // meanwhile), so the runtime records its end (and the last picture) while the swapchains
  // still exist.
  if (session && session->running() && !session->lost()) {
    session->requestExit();
    for (int i = 0; i < 200 && !session->done(); ++i) {
      xr::Frame frame;
      if (session->beginFrame(frame)) session->endFrame(frame, nullptr);
    }
  }
  // Then reverse order of creation. The session and the swapchains are destroyed while the
  // device lives (the runtime frees its images on it); the validation count is read last
  // thing before the context goes.
  actions.reset();
  target.reset();
  session.reset();
  renderer.reset();
  if (context) validationMessages = context->validationMessages();
  context.reset();
  runtime.reset();
}

void XrTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : name)
    if (c == '/') c = '_';
  dir_ = std::string(PAV_TEST_ARTIFACT_DIR) + "/xr/" + name;
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  statsPath_ = dir_ + "/xr-sim-stats.json";
  if (!std::getenv("XDG_RUNTIME_DIR")) {
    // The Vulkan loader and layers want a private runtime folder.
    const std::string xdg = dir_ + "/xdg";
    std::filesystem::create_directories(xdg);
    chmod(xdg.c_str(), 0700);
    setenv("XDG_RUNTIME_DIR", xdg.c_str(), 1);
  }
  for (const char* v : kSimVars) unsetenv(v);
  setenv("XR_RUNTIME_JSON", PAV_XR_SIM_MANIFEST, 1);
  setSimVar("PAV_XR_SIM_VIEW", std::to_string(kEyeSize) + "x" + std::to_string(kEyeSize));
  setSimVar("PAV_XR_SIM_HZ", "90");
  setSimVar("PAV_XR_SIM_STATS", statsPath_);
  setSimVar("PAV_XR_SIM_PNG_DIR", dir_);
}

void XrTest::TearDown() {
  endWorld();
  for (const char* v : kSimVars) unsetenv(v);
}

void XrTest::setSimVar(const std::string& name, const std::string& value) {
  vars_[name] = value;
  setenv(name.c_str(), value.c_str(), 1);
}

void XrTest::setScript(const std::string& text) {
  const std::string path = dir_ + "/script.txt";
  std::ofstream(path) << text;
  setSimVar("PAV_XR_SIM_SCRIPT", path);
}

XrWorld& XrTest::world(const XrWorldDesc& desc) {
  if (world_) return *world_;
  auto opened = xr::Runtime::open(desc.runtime);
  if (!opened) throw std::runtime_error("no OpenXR runtime for the test: " + opened.reason);
  auto w = std::make_unique<XrWorld>();
  w->runtime = std::move(opened.runtime);
  render::ContextDesc cd;
  cd.validation = render::Toggle::On;
  cd.syncValidation = std::getenv("PAV_NO_SYNC_VALIDATION") == nullptr;
  cd.appName = "pav_xr_tests";
  cd.creator = w->runtime->vulkanCreator();
  w->context = std::make_unique<render::Context>(cd);
  if (!w->context->validationEnabled())
    throw std::runtime_error("XR tests need the Khronos validation layer (vulkan-validationlayers)");
  w->renderer = std::make_unique<render::Renderer>(*w->context, render::RendererDesc{0, PAV_TEST_SHADER_DIR});
  w->session = std::make_unique<xr::Session>(*w->runtime, *w->context, desc.session);
  w->target = std::make_unique<xr::XrSwapchainTarget>(*w->session, *w->context, desc.swapchain);
  if (desc.actionSet) w->actions = std::make_unique<xr::Actions>(*w->session, desc.actionSet, desc.actionSet);
  world_ = std::move(w);
  return *world_;
}

void XrTest::endWorld() {
  if (!world_) return;
  world_->shutdown();
  EXPECT_EQ(world_->validationMessages, 0u)
      << "the validation layer reported problems during this test (see the log above)";
  world_.reset();
}

uint64_t XrTest::runFrames(uint64_t frames, const xr::PlaySpace& play,
                           const std::function<void(xr::Frame&)>& perFrame) {
  XrWorld& w = *world_;
  uint64_t begun = 0;
  int idle = 0;
  while (!w.session->done() && (frames == 0 || begun < frames)) {
    xr::Frame frame;
    if (!w.session->beginFrame(frame)) {
      if (++idle > 2000) {
        ADD_FAILURE() << "no frame in 2000 polls; the session is " << xr::stateName(w.session->state());
        break;
      }
      continue;
    }
    ++begun;
    if (w.actions) w.actions->sync(frame.displayTime);
    if (perFrame) perFrame(frame);
    if (frame.shouldRender && w.session->locateViews(frame, play, lastViews_))
      w.renderer->drawFrame(*w.target, scene_, lastViews_);
    w.session->endFrame(frame, w.target.get());
    lastFrame_ = frame;
  }
  return begun;
}

nlohmann::json XrTest::simStats() const {
  std::ifstream in(statsPath_);
  if (!in) {
    ADD_FAILURE() << "xr-sim wrote no statistics to " << statsPath_;
    return nlohmann::json::object();
  }
  return nlohmann::json::parse(in);
}

void buildTestScene(render::Renderer& renderer, render::Scene& scene) {
  const render::MeshId plane = renderer.loadMesh(render::makePlane(8.0f, 8, render::packColor({0.5f, 0.5f, 0.5f, 1}),
                                                                   render::packColor({0.3f, 0.3f, 0.3f, 1})));
  const render::MeshId box = renderer.loadMesh(render::makeBox({1, 1, 1}));
  scene.draws.clear();
  scene.clearColor = {0.5f, 0.64f, 0.82f, 1.0f};
  scene.draws.push_back({plane, glm::mat4(1.0f), {1, 1, 1, 1}});
  for (int i = 0; i < 4; ++i) {
    const glm::vec3 at{-1.5f + float(i), 0.5f, -2.0f};
    scene.draws.push_back({box, glm::scale(glm::translate(glm::mat4(1.0f), at), glm::vec3(0.4f)),
                           {0.2f + 0.2f * float(i), 0.4f, 0.8f - 0.2f * float(i), 1}});
  }
}

// ---- LogCapture ------------------------------------------------------------------------------

LogCapture::LogCapture() { log::setSink(&LogCapture::sink, this); }
LogCapture::~LogCapture() { log::setSink(nullptr, nullptr); }

void LogCapture::sink(log::Level, const char* line, void* user) {
  std::fprintf(stderr, "%s\n", line);  // still shown
  static_cast<LogCapture*>(user)->lines_.emplace_back(line);
}

bool LogCapture::contains(const std::string& text) const {
  for (const std::string& l : lines_)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

std::string LogCapture::all() const {
  std::ostringstream os;
  for (const std::string& l : lines_) os << l << "\n";
  return os.str();
}

}  // namespace pav::test
