// SPIR-V loading and checks, and shader hot reload (shader_watch.h): the watcher's thread
// waits for inotify events on the source folder, compiles with glslc in a child process and hands the result
// to the thread that draws.
//
// [SECTION] SPIR-V: loading a built module, checking any module
// [SECTION] glslc: one compile in a child process, its messages captured
// [SECTION] the watcher: inotify, the thread, apply()
#include "pav/render/shader_watch.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spirv-tools/libspirv.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pav/core/error.h"
#include "pav/core/log.h"
#include "pav/render/renderer.h"
#include "render_local.h"

extern char** environ;

namespace pav::render {
namespace fs = std::filesystem;

// ---- [SECTION] SPIR-V --------------------------------------------------------------------------

namespace detail {

std::vector<uint32_t> loadSpirv(const std::string& path, VkShaderStageFlagBits stage) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) fail("shader '%s' is a directory, not a SPIR-V file", path.c_str());
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    fail("cannot open shader '%s': build the project (glslc compiles shaders/ into the build "
         "tree) or set PAV_SHADER_DIR", path.c_str());
  const std::streamsize size = in.tellg();
  if (size < 20 || size % 4 != 0)
    fail("shader '%s' is not SPIR-V: %lld bytes is not a whole number of 32-bit words of a "
         "module", path.c_str(), static_cast<long long>(size));
  std::vector<uint32_t> words(static_cast<size_t>(size) / 4);
  in.seekg(0);
  in.read(reinterpret_cast<char*>(words.data()), size);
  if (!in) fail("cannot read shader '%s'", path.c_str());
  checkSpirv(words, path, stage);
  return words;
}

void checkSpirv(std::span<const uint32_t> words, const std::string& name, VkShaderStageFlagBits stage) {
  constexpr uint32_t kMagic = 0x07230203;
  if (words.size() < 5)
    fail("shader '%s' is not SPIR-V: %zu words is shorter than a module's header", name.c_str(), words.size());
  if (words[0] != kMagic)
    fail("shader '%s' is not SPIR-V (magic number 0x%08x, expected 0x%08x); rebuild it with "
         "glslc", name.c_str(), words[0], kMagic);
  const uint32_t version = words[1];
  if ((version >> 16) != 1 || ((version >> 8) & 0xff) > 6)
    fail("shader '%s' has an unknown SPIR-V version 0x%08x", name.c_str(), version);
  // The full SPIRV-Tools validator, as the Vulkan spec requires of a module: a driver handed an
  // invalid one may crash rather than fail, so nothing unvalidated reaches vkCreateShaderModule.
  spvtools::SpirvTools tools(SPV_ENV_VULKAN_1_1);
  std::string firstError;
  tools.SetMessageConsumer([&](spv_message_level_t level, const char*, const spv_position_t& pos,
                               const char* message) {
    if (level <= SPV_MSG_ERROR && firstError.empty())
      firstError = "word " + std::to_string(pos.index) + ": " + message;
  });
  if (!tools.Validate(words.data(), words.size()))
    fail("shader '%s' is not valid SPIR-V (%s); rebuild it with glslc", name.c_str(),
         firstError.empty() ? "the validator gave no reason" : firstError.c_str());
  // A valid module's instructions can be walked: look for OpEntryPoint (15) of the stage's
  // execution model (Vertex 0, Fragment 4) named "main".
  const uint32_t model = stage == VK_SHADER_STAGE_VERTEX_BIT ? 0 : stage == VK_SHADER_STAGE_FRAGMENT_BIT ? 4 : ~0u;
  for (size_t at = 5; at < words.size();) {
    const uint32_t count = words[at] >> 16, opcode = words[at] & 0xffff;
    if (count == 0 || at + count > words.size()) break;
    if (opcode == 15 && count >= 4 && words[at + 1] == model &&
        std::strncmp(reinterpret_cast<const char*>(&words[at + 3]), "main", (count - 3) * 4) == 0)
      return;
    at += count;
  }
  fail("shader '%s' has no %s entry point named main", name.c_str(),
       stage == VK_SHADER_STAGE_VERTEX_BIT ? "vertex" : "fragment");
}

}  // namespace detail

// ---- [SECTION] glslc ---------------------------------------------------------------------------

namespace {

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Runs `glslc <flags> -o out source` with its output in `log`; its exit status, or -1 if it
// could not be started (the reason in `log`'s place: errno's text).
int runGlslc(const std::string& glslc, const fs::path& source, const fs::path& out, const fs::path& log,
             std::string& startError) {
  std::vector<std::string> args{glslc};
  std::istringstream flags(PAV_GLSLC_FLAGS);
  for (std::string flag; flags >> flag;) args.push_back(flag);
  args.insert(args.end(), {"-o", out.string(), source.string()});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, glslc.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    startError = "cannot run " + glslc + ": " + std::strerror(spawned);
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

// A private folder for glslc's output, removed with this object.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pav-shaders-XXXXXX").string();
    if (!mkdtemp(pattern.data())) fail("shader hot reload: cannot make a folder in %s", pattern.c_str());
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

std::string defaultShaderSourceDir() {
  if (const char* env = std::getenv("PAV_SHADER_SOURCE_DIR")) return env;
  std::error_code ec;
  return fs::is_directory(PAV_SHADER_SOURCE_DIR, ec) ? PAV_SHADER_SOURCE_DIR : "";
}

ShaderWatcher::Compiled ShaderWatcher::compile() const {
  Compiled result;
  try {
    TempDir temp;
    std::vector<uint32_t>* outputs[2] = {&result.vertex, &result.fragment};
    const VkShaderStageFlagBits stages[2] = {VK_SHADER_STAGE_VERTEX_BIT, VK_SHADER_STAGE_FRAGMENT_BIT};
    for (int i = 0; i < 2; ++i) {
      const std::string name = Renderer::kShaderSources[i];
      const fs::path out = temp.path / (name + ".spv"), log = temp.path / (name + ".txt");
      std::string startError;
      const int code = runGlslc(desc_.glslc, fs::path(desc_.sourceDir) / name, out, log, startError);
      if (code != 0) {
        result.message += (result.message.empty() ? "" : "\n") +
                          (code < 0 ? startError : readText(log));
        if (code > 0 && result.message.empty()) result.message = "glslc exited " + std::to_string(code);
        continue;
      }
      *outputs[i] = detail::loadSpirv(out.string(), stages[i]);
    }
    result.ok = result.message.empty();
  } catch (const std::exception& e) {
    result.ok = false;
    result.message = e.what();
  }
  return result;
}

// ---- [SECTION] the watcher ---------------------------------------------------------------------

ShaderWatcher::ShaderWatcher(ShaderWatchDesc desc) : desc_(std::move(desc)) {
  if (desc_.sourceDir.empty()) desc_.sourceDir = defaultShaderSourceDir();
  if (desc_.glslc.empty()) desc_.glslc = PAV_GLSLC;
  PAV_CHECK(!desc_.sourceDir.empty(),
            "shader hot reload: no shader sources (the source tree's shaders/ is gone; give the folder)");
  for (const char* name : Renderer::kShaderSources) {
    std::error_code ec;
    PAV_CHECK(fs::is_regular_file(fs::path(desc_.sourceDir) / name, ec),
              "shader hot reload: %s has no %s (the folder of the GLSL sources, shaders/ in the source tree)",
              desc_.sourceDir.c_str(), name);
  }
  PAV_CHECK(desc_.glslc.find('/') == std::string::npos || access(desc_.glslc.c_str(), X_OK) == 0,
            "shader hot reload: cannot run %s (install glslc)", desc_.glslc.c_str());
  PAV_CHECK(desc_.quietSeconds > 0 && desc_.quietSeconds <= 10, "shader hot reload: quiet time %g s out of (0, 10]",
            desc_.quietSeconds);
  // Watched from here on, before the thread starts: a change right after this is a change.
  inotify_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  PAV_CHECK(inotify_ >= 0, "shader hot reload: inotify_init1: %s", std::strerror(errno));
  constexpr uint32_t kEvents = IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB;
  if (inotify_add_watch(inotify_, desc_.sourceDir.c_str(), kEvents) < 0) {
    const int error = errno;
    close(inotify_);
    fail("shader hot reload: cannot watch %s: %s", desc_.sourceDir.c_str(), std::strerror(error));
  }
  message_.reserve(256);
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

ShaderWatcher::~ShaderWatcher() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
  close(inotify_);
}

bool ShaderWatcher::drain() const {
  alignas(inotify_event) char buffer[4096];
  bool any = false;
  for (;;) {
    const ssize_t n = read(inotify_, buffer, sizeof buffer);
    if (n > 0) {
      any = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return any;  // EAGAIN: nothing more waiting
  }
}

void ShaderWatcher::run(std::stop_token stop) {
  pollfd watch{inotify_, POLLIN, 0};
  const int quietMs = static_cast<int>(desc_.quietSeconds * 1000);
  while (!stop.stop_requested()) {
    // Wakes at least every 0.1 s to see a stop request; idles without allocating.
    if (poll(&watch, 1, 100) <= 0 || !drain()) continue;
    // An editor may save in steps (truncate, write, rename): compile once the folder is still.
    while (!stop.stop_requested() && poll(&watch, 1, quietMs) > 0) drain();
    if (stop.stop_requested()) return;
    Compiled compiled = compile();
    std::lock_guard lock(mutex_);
    pending_ = std::move(compiled);
    ready_.store(true, std::memory_order_release);
  }
}

ShaderWatcher::Result ShaderWatcher::apply(Renderer& renderer) {
  if (!ready_.load(std::memory_order_acquire)) return Result::Unchanged;
  Compiled compiled;
  {
    std::lock_guard lock(mutex_);
    compiled = std::move(pending_);
    ready_.store(false, std::memory_order_relaxed);
  }
  if (compiled.ok) {
    try {
      renderer.replaceShaders(compiled.vertex, compiled.fragment);
      ++reloads_;
      message_.clear();
      PAV_INFO("shaders: reloaded %s and %s from %s", Renderer::kShaderSources[0], Renderer::kShaderSources[1],
               desc_.sourceDir.c_str());
      return Result::Reloaded;
    } catch (const std::exception& e) {
      compiled.message = e.what();
    }
  }
  ++failures_;
  message_ = compiled.message;
  PAV_WARN("shaders: the change did not compile; keeping the shaders in use:\n%s", message_.c_str());
  return Result::Failed;
}

}  // namespace pav::render
