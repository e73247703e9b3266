// pav::fail / pav::failCall: format once, throw pav::Error.
#include "pav/core/error.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

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
