// A small configuration type: "key = value" lines, '#' comments, typed reads with defaults and
// ranges. Parse errors name the source and line; a read of the wrong type or out of range
// throws pav::Error naming the key, so a bad file stops start-up with a clear message.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pav::core {

class Config {
 public:
  // Parses text; throws pav::Error("<source>:<line>: ...") on a malformed line.
  static Config parse(std::string_view text, std::string_view sourceName = "config");
  // Reads and parses a file; throws pav::Error if it cannot be read or parsed.
  static Config load(const std::string& path);

  void set(std::string key, std::string value);
  bool has(std::string_view key) const;
  std::optional<std::string> raw(std::string_view key) const;

  std::string getString(std::string_view key, std::string fallback) const;
  bool getBool(std::string_view key, bool fallback) const;
  long long getInt(std::string_view key, long long fallback, long long min, long long max) const;
  double getDouble(std::string_view key, double fallback, double min, double max) const;

  size_t size() const { return values_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::string source_ = "config";
};

}  // namespace pav::core
