// Glyph coverage: every string of every string table the pavilion ships (the engine's and each
// title's, assets/**/strings.json), in every language, has all its characters in the configured
// fonts, so a visitor never meets a missing-glyph box. The characters that fill placeholders
// (digits, signs, separators) are checked too. Then the same through the shaper: laying a
// string out counts no missing glyph.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "pav/core/strings.h"
#include "pav/render/text.h"

namespace pav::render {
namespace {

// The codepoints of UTF-8 text (the tables are checked as UTF-8 at load).
std::vector<char32_t> codepoints(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

// A string without its {placeholders} (what a visitor reads around the numbers).
std::string withoutPlaceholders(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '{') {
      const size_t close = s.find('}', i);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::vector<std::filesystem::path> shippedTables() {
  std::vector<std::filesystem::path> tables;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(PAV_ASSET_DIR))
    if (entry.path().filename() == "strings.json") tables.push_back(entry.path());
  return tables;
}

TEST(GlyphCoverage, EveryStringOfEveryTableIsInTheFonts) {
  FontSet fonts;
  const auto tables = shippedTables();
  // The engine's and the four titles' at least.
  ASSERT_GE(tables.size(), 5u) << "string tables under " << PAV_ASSET_DIR;
  size_t strings = 0, characters = 0;
  for (const auto& path : tables) {
    const auto table = core::StringTable::load(path.string());
    table.forEach([&](std::string_view key, core::Lang lang, std::string_view text) {
      ++strings;
      for (char32_t cp : codepoints(withoutPlaceholders(text))) {
        ++characters;
        EXPECT_TRUE(fonts.covers(cp)) << path.string() << " \"" << key << "\" (" << core::toString(lang)
                                      << "): U+" << std::hex << uint32_t(cp) << " is in no font";
      }
    });
  }
  // What fills the placeholders: numbers, times, gaps, percentages.
  for (char32_t cp : codepoints("0123456789:.,-+%/ −–")) EXPECT_TRUE(fonts.covers(cp)) << "U+" << std::hex << uint32_t(cp);
  EXPECT_GT(strings, 100u);
  RecordProperty("strings", int(strings));
  RecordProperty("characters", int(characters));
}

TEST(GlyphCoverage, ShapingEveryStringDrawsNoMissingGlyph) {
  FontSet fonts;
  std::vector<ShapedGlyph> glyphs;
  for (const auto& path : shippedTables()) {
    const auto table = core::StringTable::load(path.string());
    table.forEach([&](std::string_view key, core::Lang lang, std::string_view text) {
      const uint64_t before = fonts.missingGlyphs();
      fonts.shape(text, glyphs);
      EXPECT_EQ(fonts.missingGlyphs(), before) << path.string() << " \"" << key << "\" (" << core::toString(lang) << ")";
      EXPECT_FALSE(glyphs.empty()) << key;
    });
  }
  // The check can fail: a character no font has is counted.
  const uint64_t before = fonts.missingGlyphs();
  fonts.shape("\U000F0000", glyphs);  // a private-use plane: in no Debian font
  EXPECT_EQ(fonts.missingGlyphs(), before + 1);
}

}  // namespace
}  // namespace pav::render
