// Diagnostics: logging (one formatted line per call into a stack buffer, then to the sink or
// stderr) and pav::fail / pav::failCall (format once, throw pav::Error).
#include "pav/core/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "pav/core/error.h"

namespace pav::log {
namespace {

std::atomic<Level> gLevel{Level::Info};
std::atomic<Sink> gSink{nullptr};
std::atomic<void*> gSinkUser{nullptr};

const char* tag(Level l) {
  switch (l) {
    case Level::Trace: return "trace";
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warn";
    case Level::Error: return "error";
    case Level::Off: return "off";
  }
  return "?";
}

}  // namespace

void setLevel(Level l) { gLevel.store(l); }
Level level() { return gLevel.load(std::memory_order_relaxed); }

bool parseLevel(std::string_view text, Level& out) {
  static constexpr Level all[] = {Level::Trace, Level::Debug, Level::Info,
                                  Level::Warn,  Level::Error, Level::Off};
  for (Level l : all) {
    if (text == tag(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void initFromEnvironment() {
  const char* env = std::getenv("PAV_LOG");
  if (!env) return;
  Level l;
  if (parseLevel(env, l)) {
    setLevel(l);
  } else {
    write(Level::Warn, "PAV_LOG=%s is not a log level (trace, debug, info, warn, error, off); ignored",
          env);
  }
}

void setSink(Sink sink, void* user) {
  gSinkUser.store(user);
  gSink.store(sink);
}

void writeV(Level l, const char* fmt, va_list args) {
  char line[1024];
  int n = std::snprintf(line, sizeof line, "[%s] ", tag(l));
  if (n < 0) n = 0;
  std::vsnprintf(line + n, sizeof line - static_cast<size_t>(n), fmt, args);
  if (Sink sink = gSink.load()) {
    sink(l, line, gSinkUser.load());
    return;
  }
  std::fprintf(stderr, "%s\n", line);
}

void write(Level l, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  writeV(l, fmt, args);
  va_end(args);
}

}  // namespace pav::log

namespace pav {

void fail(const char* fmt, ...) {
  char buf[2048];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  throw Error(buf);
}

void failCall(const char* call, const char* result, const char* file, int line) {
  const char* base = std::strrchr(file, '/');
  fail("%s failed with %s (%s:%d)", call, result, base ? base + 1 : file, line);
}

}  // namespace pav

#ifdef PAV_SANITIZE
// LeakSanitizer reads this at start-up in every program of the project (all of them log).
// Only whole third-party libraries that keep allocations for the life of the process are
// listed: the Khronos validation layer and Mesa's lavapipe (kept resident in sanitizer builds
// by engine/render/src/context.cpp so they can be named), and D-Bus as SDL uses it. A leak in
// the engine's own code is always reported.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libVkLayer_khronos_validation.so\n"
         "leak:libvulkan_lvp.so\n"
         "leak:libdbus-1.so\n"
         "leak:libopenxr_loader.so\n";  // 1.0.20 keeps ~1.3 KB per xrCreateInstance
}
#endif
