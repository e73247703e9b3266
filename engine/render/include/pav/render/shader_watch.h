// Shader hot reload for desktop development. A ShaderWatcher watches the GLSL sources (the
// source tree's shaders/ by default) through inotify, and when a file there changes (an
// include too) it compiles the renderer's shaders (Renderer::kShaderSources) with glslc and
// the build's own flags, on a thread of its own, so a frame never waits for glslc. The thread that draws calls apply() once a frame: a
// finished compile is swapped into the renderer between frames; a glslc error keeps the old
// shaders and hands back glslc's message.
//
//   render::ShaderWatcher watcher({});            // shaders/ of the source tree, the build's glslc
//   for (;;) {
//     watcher.apply(renderer);                    // Unchanged most frames, allocating nothing
//     renderer.drawFrame(target, scene, views);
//   }
//
// Only the shaders' code reloads: a change to their interface (the Frame block, the push
// constants, the vertex inputs) needs the C++ side too (renderer.h), and a rebuild.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace pav::render {

class Renderer;

struct ShaderWatchDesc {
  std::string sourceDir;        // the GLSL sources; empty: defaultShaderSourceDir()
  std::string glslc;            // empty: the glslc the build used (PAV_GLSLC), else "glslc"
  double quietSeconds = 0.1;    // compile once the folder has been still this long (editors save in steps)
};

// The source tree's shaders/ as the build saw it (empty if this binary was built elsewhere
// and the folder is gone); PAV_SHADER_SOURCE_DIR overrides.
std::string defaultShaderSourceDir();

class ShaderWatcher {
 public:
  enum class Result { Unchanged, Reloaded, Failed };

  // Throws pav::Error when the folder lacks one of the renderer's shader sources or glslc
  // cannot be found. Nothing is compiled until a file changes.
  explicit ShaderWatcher(ShaderWatchDesc desc = {});
  ~ShaderWatcher();  // stops and joins the thread
  ShaderWatcher(const ShaderWatcher&) = delete;
  ShaderWatcher& operator=(const ShaderWatcher&) = delete;

  // Call between frames on the thread that draws. Reloaded: a compile finished and its
  // shaders are in use from the next frame; Failed: glslc (or the driver) refused the change,
  // message() says why and the renderer keeps the shaders it had. Logs either. Unchanged
  // (most calls) reads one atomic flag and allocates nothing.
  Result apply(Renderer& renderer);

  const std::string& message() const { return message_; }
  const std::string& sourceDir() const { return desc_.sourceDir; }
  uint64_t reloads() const { return reloads_; }
  uint64_t failures() const { return failures_; }

 private:
  struct Compiled {
    bool ok = false;
    std::vector<uint32_t> vertex, fragment;
    std::string message;
  };

  Compiled compile() const;
  void run(std::stop_token stop);
  // Reads every waiting inotify event; true if there was one. Allocates nothing.
  bool drain() const;

  ShaderWatchDesc desc_;
  int inotify_ = -1;  // closed by the destructor, after the thread has stopped
  std::mutex mutex_;
  Compiled pending_;  // guarded by mutex_
  std::atomic<bool> ready_{false};
  std::string message_;
  uint64_t reloads_ = 0, failures_ = 0;
  std::jthread thread_;  // last: started after everything it reads, joined first
};

}  // namespace pav::render
