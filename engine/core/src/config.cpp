// Config: parse "key = value" text, then typed and range-checked reads.
#include "pav/core/config.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "pav/core/error.h"

namespace pav::core {
namespace {

std::string_view trim(std::string_view s) {
  const auto notSpace = [](char c) { return c != ' ' && c != '\t' && c != '\r'; };
  while (!s.empty() && !notSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && !notSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool validKey(std::string_view k) {
  if (k.empty()) return false;
  for (char c : k) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Config Config::parse(std::string_view text, std::string_view sourceName) {
  Config cfg;
  cfg.source_ = std::string(sourceName);
  int lineNo = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++lineNo;
    const size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos)
      fail("%s:%d: expected 'key = value', got '%.*s'", cfg.source_.c_str(), lineNo,
           static_cast<int>(line.size()), line.data());
    const std::string_view key = trim(line.substr(0, eq));
    const std::string_view value = trim(line.substr(eq + 1));
    if (!validKey(key))
      fail("%s:%d: '%.*s' is not a valid key (letters, digits, '_', '.', '-')",
           cfg.source_.c_str(), lineNo, static_cast<int>(key.size()), key.data());
    cfg.values_[std::string(key)] = std::string(value);
  }
  return cfg;
}

Config Config::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read config file '%s'", path.c_str());
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

void Config::set(std::string key, std::string value) { values_[std::move(key)] = std::move(value); }

bool Config::has(std::string_view key) const { return values_.find(key) != values_.end(); }

std::optional<std::string> Config::raw(std::string_view key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Config::getString(std::string_view key, std::string fallback) const {
  auto v = raw(key);
  return v ? *v : std::move(fallback);
}

bool Config::getBool(std::string_view key, bool fallback) const {
  const auto v = raw(key);
  if (!v) return fallback;
  if (*v == "true" || *v == "1" || *v == "yes" || *v == "on") return true;
  if (*v == "false" || *v == "0" || *v == "no" || *v == "off") return false;
  fail("%s: %.*s = '%s' is not a boolean (true/false, yes/no, on/off, 1/0)", source_.c_str(),
       static_cast<int>(key.size()), key.data(), v->c_str());
}

long long Config::getInt(std::string_view key, long long fallback, long long min,
                         long long max) const {
  const auto v = raw(key);
  if (!v) return fallback;
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || errno == ERANGE)
    fail("%s: %.*s = '%s' is not an integer", source_.c_str(), static_cast<int>(key.size()),
         key.data(), v->c_str());
  if (x < min || x > max)
    fail("%s: %.*s = %lld is out of range [%lld, %lld]", source_.c_str(),
         static_cast<int>(key.size()), key.data(), x, min, max);
  return x;
}

double Config::getDouble(std::string_view key, double fallback, double min, double max) const {
  const auto v = raw(key);
  if (!v) return fallback;
  char* end = nullptr;
  const double x = std::strtod(v->c_str(), &end);
  if (v->empty() || *end != '\0' || !std::isfinite(x))
    fail("%s: %.*s = '%s' is not a number", source_.c_str(), static_cast<int>(key.size()),
         key.data(), v->c_str());
  if (x < min || x > max)
    fail("%s: %.*s = %g is out of range [%g, %g]", source_.c_str(), static_cast<int>(key.size()),
         key.data(), x, min, max);
  return x;
}

}  // namespace pav::core
