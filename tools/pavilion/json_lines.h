// The pavilion program's JSON lines (--json): one object per line on stdout, through
// nlohmann-json, keys in the order given, strings escaped, bytes that are not UTF-8 replaced.
// A JSON text made elsewhere (a title's results, a server's or station's stats, which may come
// from the network and arrive cut short) sits in a line as a value: parsed when it parses, a
// string when not, null when empty, so the line is always one valid object.
#pragma once

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace pav::tools {

using JsonLine = nlohmann::ordered_json;

inline JsonLine embeddedJson(const std::string& text) {
  if (text.empty()) return nullptr;
  JsonLine j = JsonLine::parse(text, nullptr, false);
  return j.is_discarded() ? JsonLine(text) : j;
}

inline std::string dumpJsonLine(const JsonLine& j) { return j.dump(-1, ' ', false, JsonLine::error_handler_t::replace); }

inline void printJsonLine(const JsonLine& j) { std::printf("%s\n", dumpJsonLine(j).c_str()); }

}  // namespace pav::tools
