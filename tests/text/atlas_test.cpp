// The text part of engine/render without a GPU: fonts found through fontconfig, a missing font
// named with its Debian package, shaping with fallback, a character no font has drawn as a
// counted box, and the glyph atlas's least-recently-used eviction.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "pav/core/error.h"
#include "pav/render/text.h"

namespace pav::test {
namespace {

render::FontSet& fonts() {
  static render::FontSet set;  // the default: fontconfig's Noto Sans CJK SC, then DejaVu Sans
  return set;
}

// The glyphs of `utf8`, one each, in order (shaped by the product's FontSet).
std::vector<render::ShapedGlyph> glyphsOf(std::string_view utf8) {
  std::vector<render::ShapedGlyph> out;
  fonts().shape(utf8, out);
  return out;
}

// The bytes of a glyph's cell in the atlas (its bitmap's rectangle).
std::vector<uint8_t> cellBytes(const render::GlyphAtlas& atlas, const render::AtlasGlyph& g) {
  std::vector<uint8_t> bytes;
  const uint32_t x0 = uint32_t(g.u0 * float(atlas.size()) + 0.5f), y0 = uint32_t(g.v0 * float(atlas.size()) + 0.5f);
  for (uint32_t y = 0; y < uint32_t(g.height); ++y)
    for (uint32_t x = 0; x < uint32_t(g.width); ++x) bytes.push_back(atlas.pixels()[size_t(y0 + y) * atlas.size() + x0 + x]);
  return bytes;
}

TEST(Fonts, NotoCjkScComesFirstAndDejaVuBacksItUp) {
  ASSERT_EQ(fonts().fontCount(), 2u);
  EXPECT_NE(fonts().fontPath(0).find("NotoSansCJK"), std::string::npos) << fonts().fontPath(0);
  EXPECT_NE(fonts().fontPath(1).find("DejaVuSans"), std::string::npos) << fonts().fontPath(1);
  EXPECT_TRUE(fonts().covers(U'速'));
  EXPECT_TRUE(fonts().covers(U'A'));
  EXPECT_GT(fonts().ascender(), 30.0f);  // 48 px base size
}

TEST(Fonts, AMissingFontFileNamesThePackageToInstall) {
  try {
    render::FontSet set({.paths = {"/nonexistent/NotoSansCJK-Regular.ttc#2"}});
    FAIL() << "a font file that is not there was accepted";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/nonexistent/NotoSansCJK-Regular.ttc"), std::string::npos) << what;
    EXPECT_NE(what.find("fonts-noto-cjk"), std::string::npos) << what;
    EXPECT_NE(what.find("fonts-dejavu-core"), std::string::npos) << what;
  }
}

TEST(Fonts, AFamilyFontconfigLacksNamesItsPackage) {
  try {
    render::FontSet set({.families = {{"Pavilion Nonexistent Sans", "fonts-pavilion-nonexistent"}}});
    FAIL() << "a family fontconfig does not have was accepted (it matched a substitute)";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("Pavilion Nonexistent Sans"), std::string::npos) << what;
    EXPECT_NE(what.find("apt-get install fonts-pavilion-nonexistent"), std::string::npos) << what;
  }
}

TEST(Fonts, AConfiguredPathIsUsed) {
  render::FontSet set({.paths = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"}});
  ASSERT_EQ(set.fontCount(), 1u);
  std::vector<render::ShapedGlyph> out;
  EXPECT_GT(set.shape("Lap 2/3", out), 100.0f);
  EXPECT_EQ(out.size(), 7u);
}

TEST(Shaping, LatinAndChineseShapeInTheFirstFontAndAdvance) {
  const auto latin = glyphsOf("GOAL!");
  ASSERT_EQ(latin.size(), 5u);
  for (size_t i = 1; i < latin.size(); ++i) EXPECT_GT(latin[i].x, latin[i - 1].x);
  std::vector<render::ShapedGlyph> out;
  const float width = fonts().shape("进球！", out);
  ASSERT_EQ(out.size(), 3u);
  for (const auto& g : out) {
    EXPECT_EQ(g.font, 0u);
    EXPECT_NE(g.glyph, 0u);
  }
  EXPECT_NEAR(width, 3 * 48.0f, 1.0f);  // CJK characters are one em wide
}

TEST(Shaping, ACharacterNoFontHasDrawsAVisibleBoxAndIsCounted) {
  // U+0378 is unassigned; U+10FFFD a private-use character of the last plane.
  ASSERT_FALSE(fonts().covers(U'\u0378'));
  ASSERT_FALSE(fonts().covers(U'\U0010FFFD'));
  const uint64_t before = fonts().missingGlyphs();
  std::vector<render::ShapedGlyph> out;
  fonts().shape("A\u0378B\U0010FFFD", out);
  EXPECT_EQ(fonts().missingGlyphs(), before + 2);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[1].glyph, 0u);  // .notdef
  EXPECT_EQ(out[3].glyph, 0u);
  render::GlyphAtlas atlas(fonts(), {.size = 256, .cell = 72, .spread = 8});
  const render::AtlasGlyph& box = atlas.get(out[1].font, out[1].glyph);
  EXPECT_GT(box.width, 20.0f) << "the .notdef box has no ink";
  EXPECT_GT(box.height, 20.0f);
  // Valid text counts nothing.
  fonts().shape("第 2 圈", out);
  EXPECT_EQ(fonts().missingGlyphs(), before + 2);
}

TEST(Shaping, MalformedUtf8BecomesReplacementCharactersWithoutCrashing) {
  std::vector<render::ShapedGlyph> out;
  const std::string bad = std::string("ok") + char(0xE8) + char(0xBF) + "\xff" + char(0xC0);
  fonts().shape(bad, out);
  EXPECT_GE(out.size(), 3u);
  fonts().shape("", out);
  EXPECT_TRUE(out.empty());
}

TEST(Atlas, TheLeastRecentlyUsedGlyphIsEvictedAndComesBackTheSame) {
  render::GlyphAtlas atlas(fonts(), {.size = 288, .cell = 72, .spread = 8});  // 4 x 4 cells
  ASSERT_EQ(atlas.capacity(), 16u);
  const auto glyphs = glyphsOf("一二三四五六七八九十百千万亿零两");  // 16 distinct
  ASSERT_EQ(glyphs.size(), 16u);
  std::vector<std::vector<uint8_t>> first;
  std::vector<render::AtlasGlyph> placed;
  for (const auto& g : glyphs) {
    atlas.tick();
    const render::AtlasGlyph& a = atlas.get(g.font, g.glyph);
    placed.push_back(a);
    first.push_back(cellBytes(atlas, a));
  }
  EXPECT_EQ(atlas.used(), 16u);
  EXPECT_EQ(atlas.evictions(), 0u);
  // Use the first one again: the second becomes the least recently used.
  atlas.tick();
  atlas.get(glyphs[0].font, glyphs[0].glyph);
  const auto extra = glyphsOf("球");
  atlas.tick();
  atlas.get(extra[0].font, extra[0].glyph);
  EXPECT_EQ(atlas.evictions(), 1u);
  EXPECT_FALSE(atlas.contains(glyphs[1].font, glyphs[1].glyph)) << "the least recently used glyph stayed";
  EXPECT_TRUE(atlas.contains(glyphs[0].font, glyphs[0].glyph)) << "a glyph used again was evicted";
  for (size_t i = 2; i < glyphs.size(); ++i) EXPECT_TRUE(atlas.contains(glyphs[i].font, glyphs[i].glyph)) << i;
  // Asked again, it comes back (evicting the next oldest) with the same field and placement.
  atlas.tick();
  const uint64_t rasterised = atlas.rasterised();
  const render::AtlasGlyph& again = atlas.get(glyphs[1].font, glyphs[1].glyph);
  EXPECT_EQ(atlas.rasterised(), rasterised + 1);
  EXPECT_EQ(again.left, placed[1].left);
  EXPECT_EQ(again.top, placed[1].top);
  EXPECT_EQ(again.width, placed[1].width);
  EXPECT_EQ(again.height, placed[1].height);
  EXPECT_EQ(cellBytes(atlas, again), first[1]);
  EXPECT_FALSE(atlas.contains(glyphs[2].font, glyphs[2].glyph));
}

TEST(Atlas, TheDirtyRectangleCoversNewGlyphsAndIsTakenOnce) {
  render::GlyphAtlas atlas(fonts(), {.size = 288, .cell = 72, .spread = 8});
  render::AtlasRect all = atlas.takeDirty();  // the first upload is the whole picture
  EXPECT_EQ(all.x1, 288u);
  EXPECT_TRUE(atlas.takeDirty().empty());
  const uint64_t gen = atlas.generation();
  const auto g = glyphsOf("速");
  const render::AtlasGlyph& a = atlas.get(g[0].font, g[0].glyph);
  EXPECT_GT(atlas.generation(), gen);
  const render::AtlasRect d = atlas.takeDirty();
  EXPECT_LE(d.x0, uint32_t(a.u0 * 288));
  EXPECT_GE(d.x1, uint32_t(a.u1 * 288));
  EXPECT_TRUE(atlas.takeDirty().empty());
  // A glyph already there changes nothing.
  atlas.get(g[0].font, g[0].glyph);
  EXPECT_TRUE(atlas.takeDirty().empty());
}

TEST(Atlas, TheFieldIsHighInsideTheGlyphAndLowOutside) {
  render::GlyphAtlas atlas(fonts(), {.size = 288, .cell = 72, .spread = 8});
  const auto g = glyphsOf("l");  // a vertical stem about 4 px wide at 48 px
  const render::AtlasGlyph& a = atlas.get(g[0].font, g[0].glyph);
  const std::vector<uint8_t> bytes = cellBytes(atlas, a);
  const uint32_t w = uint32_t(a.width), h = uint32_t(a.height);
  const uint8_t* row = &bytes[(h / 2) * w];
  const uint8_t peak = *std::max_element(row, row + w);
  // 128 on the outline, 16 a pixel (128 / spread): the stem's middle is 2 px inside.
  EXPECT_GT(peak, 150) << "inside the stem";
  EXPECT_LT(peak, 175);
  EXPECT_LT(row[0], 40) << "left edge of the cell, a spread away from the ink";
}

}  // namespace
}  // namespace pav::test
