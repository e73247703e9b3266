// Every word a visitor reads, in each language the pavilion speaks: the string tables. The
// engine owns one (the lobby, the start, the time-up notice, the results: assets/engine/
// strings.json) and each title owns its own (<dataDir>/<title id>/strings.json: its name, how
// to play it, its HUD). A table is a JSON object of keys, each with a string per language:
//
//   { "hud.speed": { "zh": "{kmh} 公里/小时", "en": "{kmh} km/h" },
//     "title.name": { "zh": "虚拟驾驶", "en": "Virtual driving" } }
//
// Loading checks the whole file: a key missing a language, a value that is not a string, a
// placeholder in one language and not the other, or a file that is not such an object stops
// start-up with a pav::Error that names the file and the key. Look a key up once (id()), then
// per frame by id; fill placeholders into a TextBuffer, which allocates nothing:
//
//   const auto table = StringTable::load(dir + "/driving/strings.json");
//   const StringId speed = table.id("hud.speed");                 // at start: throws if missing
//   TextBuffer line;                                              // kept, reused every frame
//   line.format(table.get(speed, lang), {{"kmh", Number(kmh, 0).view()}});
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pav::core {

enum class Lang : uint8_t { Zh, En };  // zh-Hans (Simplified Chinese), English
inline constexpr std::array<Lang, 2> kLangs = {Lang::Zh, Lang::En};

// "zh", "zh-Hans", "zh-CN" -> Zh; "en", "en-US", "en-GB" -> En; anything else: nullopt.
std::optional<Lang> parseLang(std::string_view text);
// "zh" or "en": the names on command lines, in control messages and in the tables.
std::string_view toString(Lang lang);

// A key of a loaded table (its index there).
struct StringId {
  uint32_t index = UINT32_MAX;
  bool valid() const { return index != UINT32_MAX; }
};

class StringTable {
 public:
  StringTable() = default;
  // Reads and checks `path` (see the top of this header). Throws pav::Error naming the file and,
  // where one is at fault, the key.
  static StringTable load(const std::string& path);
  // The same from text (`name` stands for the file in messages).
  static StringTable parse(std::string_view json, const std::string& name);

  // The key's id. Throws pav::Error naming the table and the key when it has no such key.
  StringId id(std::string_view key) const;
  bool has(std::string_view key) const;
  // The string of an id from this table, in `lang`. No allocation.
  std::string_view get(StringId id, Lang lang) const;
  // By key (start-up, tools, tests): throws like id().
  std::string_view get(std::string_view key, Lang lang) const { return get(id(key), lang); }

  const std::string& name() const { return name_; }
  size_t size() const { return keys_.size(); }
  // Every key and its string in every language, in file order (the glyph coverage test).
  void forEach(const std::function<void(std::string_view key, Lang lang, std::string_view text)>& visit) const;

 private:
  std::string name_;
  std::vector<std::string> keys_;
  std::vector<std::array<std::string, kLangs.size()>> texts_;
};

// A number as text, on the stack: Number(12.345, 1).view() is "12.3"; Number(7) is "7".
class Number {
 public:
  explicit Number(double value, int decimals = 0);
  std::string_view view() const { return {data_.data(), size_}; }

 private:
  std::array<char, 32> data_{};
  size_t size_ = 0;
};

// Text of bounded length for per-frame strings: a fixed buffer, never the heap. What does not
// fit is cut at a whole UTF-8 character.
class TextBuffer {
 public:
  static constexpr size_t kCapacity = 256;
  struct Arg {
    std::string_view name;   // the placeholder's name, without braces
    std::string_view value;  // what replaces it
  };
  // `pattern` with every {name} replaced by its argument's value; a {name} without an argument
  // stays as it is (the table check makes that a programming error caught by tests). Returns view().
  std::string_view format(std::string_view pattern, std::initializer_list<Arg> args = {});
  void clear() { size_ = 0; }
  void append(std::string_view text);
  std::string_view view() const { return {data_.data(), size_}; }

 private:
  std::array<char, kCapacity> data_{};
  size_t size_ = 0;
};

}  // namespace pav::core
