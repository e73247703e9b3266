// The string tables (pav/core/strings.h): loading and checking a table, numbers and fixed
// buffers for per-frame text.
#include "pav/core/strings.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pav/core/error.h"

namespace pav::core {

std::optional<Lang> parseLang(std::string_view text) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string t = lower(text);
  auto is = [&](std::string_view base) {
    return t == base || (t.size() > base.size() && t.compare(0, base.size(), base) == 0 &&
                         (t[base.size()] == '-' || t[base.size()] == '_'));
  };
  // Traditional Chinese is not Simplified: refused rather than shown in the wrong script.
  if (t == "zh-hant" || t == "zh-tw" || t == "zh-hk") return std::nullopt;
  if (is("zh")) return Lang::Zh;
  if (is("en")) return Lang::En;
  return std::nullopt;
}

std::string_view toString(Lang lang) { return lang == Lang::Zh ? "zh" : "en"; }

namespace {

// The {name} placeholders of a string, as a sorted set.
std::set<std::string> placeholders(std::string_view text) {
  std::set<std::string> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    const size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) break;
    out.emplace(text.substr(i + 1, close - i - 1));
    i = close;
  }
  return out;
}

bool validUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

}  // namespace

StringTable StringTable::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("string table " + path + ": cannot be read (missing or unreadable)");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

StringTable StringTable::parse(std::string_view json, const std::string& name) {
  nlohmann::ordered_json doc;
  try {
    doc = nlohmann::ordered_json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    throw Error("string table " + name + ": not JSON (" + e.what() + ")");
  }
  if (!doc.is_object()) throw Error("string table " + name + ": not a JSON object of keys");
  StringTable table;
  table.name_ = name;
  for (const auto& [key, entry] : doc.items()) {
    const std::string where = "string table " + name + ", key \"" + key + "\": ";
    if (key.empty()) throw Error("string table " + name + ": an empty key");
    if (!entry.is_object()) throw Error(where + "not an object of languages ({\"zh\": ..., \"en\": ...})");
    for (const auto& [lang, value] : entry.items())
      if (!parseLang(lang) || (lang != "zh" && lang != "en"))
        throw Error(where + "unknown language \"" + lang + "\" (the tables have \"zh\" and \"en\")");
    std::array<std::string, kLangs.size()> texts;
    for (Lang lang : kLangs) {
      const std::string code(toString(lang));
      if (!entry.contains(code)) throw Error(where + "missing in \"" + code + "\"");
      const auto& value = entry.at(code);
      if (!value.is_string()) throw Error(where + "the \"" + code + "\" value is not a string");
      std::string text = value.get<std::string>();
      if (text.empty()) throw Error(where + "the \"" + code + "\" string is empty");
      if (!validUtf8(text)) throw Error(where + "the \"" + code + "\" string is not UTF-8");
      if (text.size() > TextBuffer::kCapacity / 2)
        throw Error(where + "the \"" + code + "\" string is longer than " + std::to_string(TextBuffer::kCapacity / 2) +
                    " bytes");
      texts[static_cast<size_t>(lang)] = std::move(text);
    }
    if (placeholders(texts[0]) != placeholders(texts[1]))
      throw Error(where + "the languages have different {placeholders}");
    table.keys_.push_back(key);
    table.texts_.push_back(std::move(texts));
  }
  return table;
}

StringId StringTable::id(std::string_view key) const {
  const auto it = std::find(keys_.begin(), keys_.end(), key);
  if (it == keys_.end()) throw Error("string table " + name_ + ": no key \"" + std::string(key) + "\"");
  return StringId{static_cast<uint32_t>(it - keys_.begin())};
}

bool StringTable::has(std::string_view key) const { return std::find(keys_.begin(), keys_.end(), key) != keys_.end(); }

std::string_view StringTable::get(StringId id, Lang lang) const {
  if (id.index >= texts_.size()) return "?";
  return texts_[id.index][static_cast<size_t>(lang)];
}

void StringTable::forEach(
    const std::function<void(std::string_view key, Lang lang, std::string_view text)>& visit) const {
  for (size_t i = 0; i < keys_.size(); ++i)
    for (Lang lang : kLangs) visit(keys_[i], lang, texts_[i][static_cast<size_t>(lang)]);
}

Number::Number(double value, int decimals) {
  decimals = std::clamp(decimals, 0, 6);
  if (!std::isfinite(value)) {
    data_[0] = '-', data_[1] = '-';
    size_ = 2;
    return;
  }
  // Beyond what a HUD shows: clamp instead of printing an exponent.
  value = std::clamp(value, -1e15, 1e15);
  const int n = std::snprintf(data_.data(), data_.size(), "%.*f", decimals, value);
  size_ = n < 0 ? 0 : std::min(static_cast<size_t>(n), data_.size() - 1);
  // "-0" and "-0.0" read as a fault on a speedometer.
  if (size_ > 1 && data_[0] == '-' && std::all_of(data_.begin() + 1, data_.begin() + static_cast<long>(size_),
                                                    [](char c) { return c == '0' || c == '.'; })) {
    std::copy(data_.begin() + 1, data_.begin() + static_cast<long>(size_), data_.begin());
    --size_;
  }
}

void TextBuffer::append(std::string_view text) {
  size_t room = kCapacity - size_;
  size_t n = std::min(room, text.size());
  // Cut at a whole character: never leave a lead byte without its continuation bytes.
  if (n < text.size())
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  std::copy_n(text.data(), n, data_.data() + size_);
  size_ += n;
}

std::string_view TextBuffer::format(std::string_view pattern, std::initializer_list<Arg> args) {
  size_ = 0;
  size_t i = 0;
  while (i < pattern.size()) {
    const size_t open = pattern.find('{', i);
    if (open == std::string_view::npos) {
      append(pattern.substr(i));
      break;
    }
    append(pattern.substr(i, open - i));
    const size_t close = pattern.find('}', open + 1);
    if (close == std::string_view::npos) {
      append(pattern.substr(open));
      break;
    }
    const std::string_view name = pattern.substr(open + 1, close - open - 1);
    const Arg* arg = std::find_if(args.begin(), args.end(), [&](const Arg& a) { return a.name == name; });
    append(arg != args.end() ? arg->value : pattern.substr(open, close - open + 1));
    i = close + 1;
  }
  return view();
}

}  // namespace pav::core
