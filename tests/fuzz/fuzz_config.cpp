// Fuzz target: core::Config::parse, the "key = value" text of the titles' data files.
//
// Input: the text. The parser is checked against what config.h promises, read independently
// here: lines split at '\n', '#' starts a comment, blank lines skipped, otherwise "key = value"
// with the key of [A-Za-z0-9_.-], both sides trimmed of spaces, tabs and '\r', the last value
// of a key winning. Properties:
//   - parse throws pav::Error (and nothing else) exactly when some line is malformed, and the
//     message names the source and a line that exists;
//   - accepted: exactly the expected keys, each with its expected value;
//   - every typed read returns a value inside the range asked for, or throws pav::Error;
//   - the keys and values written back as "key = value" lines parse to the same config.
#include <map>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "pav/core/config.h"
#include "pav/core/error.h"

using namespace pav;

namespace {

using Expected = std::map<std::string, std::string, std::less<>>;

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool keyChars(std::string_view k) {
  if (k.empty()) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

// What the text should give; false when some line is malformed.
bool expect(std::string_view text, Expected& out, int& lines) {
  lines = 0;
  bool ok = true;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++lines;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || !keyChars(trim(line.substr(0, eq)))) {
      ok = false;
      continue;
    }
    out[std::string(trim(line.substr(0, eq)))] = std::string(trim(line.substr(eq + 1)));
  }
  return ok;
}

template <typename Fn>
void readsOrRefuses(Fn&& read, const char* what, const std::string& key) {
  try {
    read();
  } catch (const Error&) {
  } catch (...) {
    FUZZ_CHECK(false, "%s of key '%s' threw something other than pav::Error", what, key.c_str());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Expected expected;
  int lines = 0;
  const bool wellFormed = expect(text, expected, lines);

  core::Config cfg;
  try {
    cfg = core::Config::parse(text, "fuzz.cfg");
  } catch (const Error& e) {
    FUZZ_CHECK(!wellFormed, "refused a well-formed text: %s", e.what());
    const std::string_view what = e.what();
    FUZZ_CHECK(what.starts_with("fuzz.cfg:"), "the message does not name the source: %s", e.what());
    const int line = std::atoi(e.what() + 9);
    FUZZ_CHECK(line >= 1 && line <= lines, "the message names line %d of %d", line, lines);
    return 0;
  } catch (...) {
    FUZZ_CHECK(false, "parse threw something other than pav::Error");
  }
  FUZZ_CHECK(wellFormed, "accepted a text with a malformed line");
  FUZZ_CHECK(cfg.size() == expected.size(), "%zu keys, expected %zu", cfg.size(), expected.size());

  std::string rewritten;
  for (const auto& entry : expected) {
    const std::string& key = entry.first;  // not a structured binding: lambdas below capture it
    const std::string& value = entry.second;
    const auto raw = cfg.raw(key);
    FUZZ_CHECK(cfg.has(key) && raw && *raw == value, "key '%s': '%s', expected '%s'", key.c_str(),
               raw ? raw->c_str() : "(missing)", value.c_str());
    FUZZ_CHECK(cfg.getString(key, "fallback") == value, "getString('%s') differs from raw", key.c_str());
    readsOrRefuses([&] { cfg.getBool(key, false); }, "getBool", key);
    readsOrRefuses(
        [&] {
          const long long v = cfg.getInt(key, 0, -1000, 1000);
          FUZZ_CHECK(v >= -1000 && v <= 1000, "getInt('%s') = %lld outside [-1000, 1000]", key.c_str(), v);
        },
        "getInt", key);
    readsOrRefuses(
        [&] {
          const double v = cfg.getDouble(key, 0, -1e6, 1e6);
          FUZZ_CHECK(std::isfinite(v) && v >= -1e6 && v <= 1e6, "getDouble('%s') = %g outside [-1e6, 1e6]", key.c_str(),
                     v);
        },
        "getDouble", key);
    rewritten += key + " = " + value + "\n";
  }

  try {
    const core::Config again = core::Config::parse(rewritten, "rewritten");
    FUZZ_CHECK(again.size() == cfg.size(), "written back: %zu keys, not %zu", again.size(), cfg.size());
    for (const auto& [key, value] : expected)
      FUZZ_CHECK(again.raw(key) == value, "written back, key '%s' changed", key.c_str());
  } catch (const Error& e) {
    FUZZ_CHECK(false, "the config written back is refused: %s", e.what());
  }
  return 0;
}
