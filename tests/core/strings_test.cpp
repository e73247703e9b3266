// The string tables: what a table must hold to load, how a bad one is refused (naming the file
// and the key), and text filled in fixed buffers.
#include "pav/core/strings.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "pav/core/error.h"

namespace pav::core {
namespace {

std::string refusal(std::string_view json) {
  try {
    StringTable::parse(json, "t.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Strings, LanguagesByName) {
  EXPECT_EQ(parseLang("zh"), Lang::Zh);
  EXPECT_EQ(parseLang("zh-Hans"), Lang::Zh);
  EXPECT_EQ(parseLang("zh_CN"), Lang::Zh);
  EXPECT_EQ(parseLang("EN"), Lang::En);
  EXPECT_EQ(parseLang("en-GB"), Lang::En);
  EXPECT_FALSE(parseLang("zh-Hant"));
  EXPECT_FALSE(parseLang("fr"));
  EXPECT_FALSE(parseLang(""));
  EXPECT_FALSE(parseLang("english"));
  EXPECT_EQ(toString(Lang::Zh), "zh");
  EXPECT_EQ(toString(Lang::En), "en");
}

TEST(Strings, TableLoadsBothLanguagesInOrder) {
  const auto t = StringTable::parse(R"({"b": {"zh": "乙", "en": "B"}, "a": {"en": "A {n}", "zh": "甲{n}"}})", "t.json");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.get("b", Lang::Zh), "乙");
  EXPECT_EQ(t.get(t.id("a"), Lang::En), "A {n}");
  EXPECT_TRUE(t.has("a"));
  EXPECT_FALSE(t.has("c"));
  std::vector<std::string> seen;
  t.forEach([&](std::string_view key, Lang lang, std::string_view) { seen.push_back(std::string(key) + ":" + std::string(toString(lang))); });
  EXPECT_EQ(seen, (std::vector<std::string>{"b:zh", "b:en", "a:zh", "a:en"}));
}

TEST(Strings, BadTablesNameTheFileAndTheKey) {
  EXPECT_NE(refusal(R"({"go": {"zh": "开始"}})").find("t.json, key \"go\": missing in \"en\""), std::string::npos);
  EXPECT_NE(refusal(R"({"go": {"zh": "开始", "en": 3}})").find("key \"go\": the \"en\" value is not a string"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"go": "start"})").find("key \"go\": not an object"), std::string::npos);
  EXPECT_NE(refusal(R"({"go": {"zh": "", "en": "Go"}})").find("\"zh\" string is empty"), std::string::npos);
  EXPECT_NE(refusal(R"({"go": {"zh": "开始", "en": "Go", "fr": "Allez"}})").find("unknown language \"fr\""),
            std::string::npos);
  EXPECT_NE(refusal(R"({"lap": {"zh": "第{n}圈", "en": "Lap {lap}"}})").find("key \"lap\": the languages have different"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"go": {"zh": "开始", "en": "Go"})").find("t.json: not JSON"), std::string::npos);
  EXPECT_NE(refusal(R"(["go"])").find("t.json: not a JSON object"), std::string::npos);
  // Bytes that are not UTF-8: the JSON parser refuses them already.
  EXPECT_NE(refusal("{\"go\": {\"zh\": \"\xff\", \"en\": \"Go\"}}").find("t.json: not JSON"), std::string::npos);
  EXPECT_EQ(refusal(R"({"go": {"zh": "开始", "en": "Go"}})"), "");

  const auto t = StringTable::parse(R"({"go": {"zh": "开始", "en": "Go"}})", "t.json");
  try {
    (void)t.id("stop");
    FAIL() << "a missing key was found";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("t.json: no key \"stop\""), std::string::npos) << e.what();
  }
}

TEST(Strings, MissingFileIsNamed) {
  try {
    StringTable::load("/nonexistent/strings.json");
    FAIL() << "loaded a missing file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/strings.json"), std::string::npos) << e.what();
  }
}

TEST(Strings, FormatFillsPlaceholders) {
  TextBuffer b;
  EXPECT_EQ(b.format("第{lap}/{laps}圈", {{"lap", Number(2).view()}, {"laps", "3"}}), "第2/3圈");
  EXPECT_EQ(b.format("{kmh} km/h", {{"kmh", Number(87.6).view()}}), "88 km/h");
  EXPECT_EQ(b.format("{missing} and {"), "{missing} and {");
  EXPECT_EQ(b.format("plain"), "plain");
  EXPECT_EQ(Number(12.345, 1).view(), "12.3");
  EXPECT_EQ(Number(-0.04, 1).view(), "0.0");
  EXPECT_EQ(Number(-3.0).view(), "-3");
  EXPECT_EQ(Number(std::nan("")).view(), "--");
}

TEST(Strings, BufferCutsAtAWholeCharacter) {
  TextBuffer b;
  std::string many;
  for (int i = 0; i < 200; ++i) many += "进";  // 3 bytes each: 600 bytes
  b.format("{x}", {{"x", many}});
  EXPECT_LE(b.view().size(), TextBuffer::kCapacity);
  EXPECT_EQ(b.view().size() % 3, 0u);  // whole characters only
  EXPECT_EQ(b.view().substr(0, 3), "进");
}

// Every shipped table loads: each key has both languages with the same placeholders.
TEST(Strings, ShippedTablesLoad) {
  int tables = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(PAV_ASSET_DIR)) {
    if (entry.path().filename() != "strings.json") continue;
    SCOPED_TRACE(entry.path().string());
    const auto t = StringTable::load(entry.path().string());
    EXPECT_GT(t.size(), 0u);
    ++tables;
  }
  RecordProperty("tables", tables);
}

}  // namespace
}  // namespace pav::core
