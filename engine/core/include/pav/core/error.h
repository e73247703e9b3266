// Errors. Start-up failures throw pav::Error with a message a person can act on; the program's
// main catches it, prints it and exits non-zero. Run-time failures (a minimised window, a lost
// connection) are states the caller queries, not exceptions.
//
// PAV_CHECK(cond, fmt, ...) throws with the condition's text, file and line. Rooms that wrap a
// C API add their own macro on top of pav::failCall (VK_CHECK in render, XR_CHECK in xr).
#pragma once

#include <stdexcept>
#include <string>

namespace pav {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// Formats a message printf-style and throws pav::Error.
[[noreturn]] void fail(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Throws pav::Error naming the failed call, its result and where it was made.
[[noreturn]] void failCall(const char* call, const char* result, const char* file, int line);

}  // namespace pav

#define PAV_CHECK(cond, ...)                                                      \
  do {                                                                            \
    if (!(cond)) ::pav::fail(__VA_ARGS__);                                        \
  } while (0)
