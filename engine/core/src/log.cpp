// Logging: one formatted line per call into a stack buffer, then to the sink or stderr.
#include "pav/core/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

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
