// Levelled logging to stderr. printf-style so a message costs no heap allocation; the level is
// set once at start-up (setLevel, or the PAV_LOG environment variable: trace, debug, info,
// warn, error, off). A sink can be installed to capture lines, for tests.
#pragma once

#include <cstdarg>
#include <string_view>

namespace pav::log {

enum class Level { Trace, Debug, Info, Warn, Error, Off };

void setLevel(Level level);
Level level();
// Parses "trace" ... "off"; returns false (and leaves `out` alone) for anything else.
bool parseLevel(std::string_view text, Level& out);
// Reads PAV_LOG if set; a bad value is reported and ignored.
void initFromEnvironment();

// Receives each formatted line (without a trailing newline). nullptr restores stderr.
using Sink = void (*)(Level, const char* line, void* user);
void setSink(Sink sink, void* user);

void write(Level level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void writeV(Level level, const char* fmt, va_list args);

inline bool enabled(Level l) { return l >= level(); }

}  // namespace pav::log

#define PAV_LOG_AT(lvl, ...)                                  \
  do {                                                        \
    if (::pav::log::enabled(lvl)) ::pav::log::write(lvl, __VA_ARGS__); \
  } while (0)
#define PAV_TRACE(...) PAV_LOG_AT(::pav::log::Level::Trace, __VA_ARGS__)
#define PAV_DEBUG(...) PAV_LOG_AT(::pav::log::Level::Debug, __VA_ARGS__)
#define PAV_INFO(...) PAV_LOG_AT(::pav::log::Level::Info, __VA_ARGS__)
#define PAV_WARN(...) PAV_LOG_AT(::pav::log::Level::Warn, __VA_ARGS__)
#define PAV_ERROR(...) PAV_LOG_AT(::pav::log::Level::Error, __VA_ARGS__)
