// FontSet: fonts found through fontconfig (or given as files), opened with FreeType, shaped
// with HarfBuzz run by run, each run in the first font that has its characters.
//
// [SECTION] owners of FreeType, HarfBuzz and fontconfig handles
// [SECTION] finding and opening the fonts
// [SECTION] shaping
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-ft.h>
#include <hb.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <filesystem>
#include <strings.h>

#include "pav/core/error.h"
#include "pav/core/log.h"
#include "pav/render/text.h"
#include "text_local.h"

namespace pav::render {

// ---- [SECTION] owners ------------------------------------------------------------------------

namespace {

struct FcConfigDeleter {
  void operator()(FcConfig* c) const { FcConfigDestroy(c); }
};
struct FcPatternDeleter {
  void operator()(FcPattern* p) const { FcPatternDestroy(p); }
};
using FcPatternPtr = std::unique_ptr<FcPattern, FcPatternDeleter>;

std::string allPackages(const FontDesc& desc) {
  std::string s;
  for (const FontFamily& f : desc.families) s += (s.empty() ? "" : " ") + f.package;
  return s.empty() ? std::string("fonts-noto-cjk fonts-dejavu-core") : s;
}

// Decodes one UTF-8 sequence at `i`, advancing it; a malformed one gives U+FFFD for one byte.
char32_t nextCodepoint(std::string_view s, size_t& i) {
  const uint8_t c = static_cast<uint8_t>(s[i]);
  size_t n = 0;
  char32_t cp = 0;
  if (c < 0x80) {
    ++i;
    return c;
  } else if ((c & 0xE0) == 0xC0) {
    n = 1, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 2, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 3, cp = c & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + n >= s.size()) {
    ++i;
    return 0xFFFD;
  }
  for (size_t k = 1; k <= n; ++k) {
    const uint8_t b = static_cast<uint8_t>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += n + 1;
  return cp;
}

}  // namespace

void detail::FtFaceDeleter::operator()(FT_Face f) const { FT_Done_Face(f); }
void detail::FtLibraryDeleter::operator()(FT_Library l) const { FT_Done_FreeType(l); }
void detail::HbFontDeleter::operator()(hb_font_t* f) const { hb_font_destroy(f); }
void detail::HbBufferDeleter::operator()(hb_buffer_t* b) const { hb_buffer_destroy(b); }

// ---- [SECTION] finding and opening the fonts ---------------------------------------------------

namespace {

// The file and face index fontconfig has for `family`, or false when it has no such family
// (fontconfig always matches something: the family of the match is checked).
bool findFamily(FcConfig* config, const std::string& family, std::string& file, int& index) {
  FcPatternPtr pattern(FcPatternCreate());
  FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
  FcPatternAddInteger(pattern.get(), FC_WEIGHT, FC_WEIGHT_REGULAR);
  FcPatternAddInteger(pattern.get(), FC_SLANT, FC_SLANT_ROMAN);
  FcConfigSubstitute(config, pattern.get(), FcMatchPattern);
  FcDefaultSubstitute(pattern.get());
  FcResult result = FcResultNoMatch;
  FcPatternPtr match(FcFontMatch(config, pattern.get(), &result));
  if (!match) return false;
  bool named = false;
  FcChar8* value = nullptr;
  for (int n = 0; FcPatternGetString(match.get(), FC_FAMILY, n, &value) == FcResultMatch; ++n)
    if (strcasecmp(reinterpret_cast<const char*>(value), family.c_str()) == 0) named = true;
  if (!named || FcPatternGetString(match.get(), FC_FILE, 0, &value) != FcResultMatch) return false;
  file = reinterpret_cast<const char*>(value);
  index = 0;
  FcPatternGetInteger(match.get(), FC_INDEX, 0, &index);
  return true;
}

}  // namespace

FontSet::FontSet(const FontDesc& desc) : impl_(std::make_unique<Impl>()), pixelSize_(desc.pixelSize) {
  PAV_CHECK(desc.pixelSize >= 8 && desc.pixelSize <= 256, "fonts: base pixel size %u out of 8..256", desc.pixelSize);
  FT_Library lib = nullptr;
  if (FT_Init_FreeType(&lib) != 0) fail("fonts: FreeType would not start");
  impl_->library.reset(lib);

  struct Wanted {
    std::string file;
    int index = 0;
  };
  std::vector<Wanted> wanted;
  if (!desc.paths.empty()) {
    for (const std::string& p : desc.paths) {
      Wanted w{p, 0};
      const size_t hash = p.rfind('#');
      if (hash != std::string::npos) {
        w.file = p.substr(0, hash);
        w.index = std::atoi(p.c_str() + hash + 1);
      }
      std::error_code ec;
      if (!std::filesystem::is_regular_file(w.file, ec))
        fail("fonts: font file '%s' not found (the pavilion's fonts come from the Debian packages %s: "
             "apt-get install %s, or tools/install-deps.sh)",
             w.file.c_str(), allPackages(desc).c_str(), allPackages(desc).c_str());
      wanted.push_back(w);
    }
  } else {
    PAV_CHECK(!desc.families.empty(), "fonts: neither font files nor families given");
    std::unique_ptr<FcConfig, FcConfigDeleter> config(FcInitLoadConfigAndFonts());
    if (!config) fail("fonts: fontconfig would not start (Debian: fontconfig)");
    for (const FontFamily& f : desc.families) {
      Wanted w;
      if (!findFamily(config.get(), f.family, w.file, w.index))
        fail("fonts: no font '%s' on this machine: install the Debian package %s (apt-get install %s, or "
             "tools/install-deps.sh)",
             f.family.c_str(), f.package.c_str(), f.package.c_str());
      wanted.push_back(w);
    }
  }
  for (const Wanted& w : wanted) {
    FT_Face face = nullptr;
    const FT_Error err = FT_New_Face(lib, w.file.c_str(), w.index, &face);
    if (err != 0)
      fail("fonts: FreeType cannot open '%s' face %d (error %d): reinstall the package that provides it (%s)",
           w.file.c_str(), w.index, err, allPackages(desc).c_str());
    Impl::Font font;
    font.face.reset(face);
    if (FT_Set_Pixel_Sizes(face, 0, desc.pixelSize) != 0)
      fail("fonts: '%s' has no scalable outlines at %u px", w.file.c_str(), desc.pixelSize);
    font.hb.reset(hb_ft_font_create_referenced(face));
    // Unhinted advances: the same at every size the text is drawn at.
    hb_ft_font_set_load_flags(font.hb.get(), FT_LOAD_NO_HINTING);
    font.path = w.file + (w.index ? "#" + std::to_string(w.index) : "");
    PAV_DEBUG("fonts: %s (%s)", font.path.c_str(), face->family_name ? face->family_name : "?");
    impl_->fonts.push_back(std::move(font));
  }
  impl_->buffer.reset(hb_buffer_create());
  PAV_CHECK(hb_buffer_allocation_successful(impl_->buffer.get()), "fonts: HarfBuzz could not make a buffer");
}

FontSet::~FontSet() = default;

size_t FontSet::fontCount() const { return impl_->fonts.size(); }
const std::string& FontSet::fontPath(size_t i) const { return impl_->fonts.at(i).path; }
float FontSet::ascender() const { return float(impl_->fonts[0].face->size->metrics.ascender) / 64.0f; }
float FontSet::descender() const { return float(impl_->fonts[0].face->size->metrics.descender) / 64.0f; }

bool FontSet::covers(char32_t cp) const {
  for (const Impl::Font& f : impl_->fonts)
    if (FT_Get_Char_Index(f.face.get(), cp) != 0) return true;
  return false;
}

// ---- [SECTION] shaping ------------------------------------------------------------------------

float FontSet::shape(std::string_view utf8, std::vector<ShapedGlyph>& out) {
  out.clear();
  auto& fonts = impl_->fonts;
  hb_buffer_t* buf = impl_->buffer.get();
  // Which font a codepoint goes to: the first that has it; none: the first (its .notdef).
  uint32_t missingHere = 0;
  const auto fontFor = [&](char32_t cp, int current) -> int {
    if (current >= 0 && FT_Get_Char_Index(fonts[size_t(current)].face.get(), cp) != 0) return current;
    for (size_t i = 0; i < fonts.size(); ++i)
      if (FT_Get_Char_Index(fonts[i].face.get(), cp) != 0) return int(i);
    if (cp >= 0x20) ++missingHere;
    return current >= 0 ? current : 0;
  };
  float pen = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    const size_t runStart = i;
    const int font = fontFor(nextCodepoint(utf8, i), -1);
    size_t runEnd = i;
    while (runEnd < utf8.size()) {
      size_t j = runEnd;
      const char32_t cp = nextCodepoint(utf8, j);
      // Spaces and marks stay in the current run when its font has them.
      if (fontFor(cp, font) != font) break;
      runEnd = j;
    }
    hb_buffer_clear_contents(buf);
    hb_buffer_add_utf8(buf, utf8.data(), int(utf8.size()), unsigned(runStart), int(runEnd - runStart));
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(fonts[size_t(font)].hb.get(), buf, nullptr, 0);
    unsigned count = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &count);
    const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &count);
    for (unsigned g = 0; g < count; ++g) {
      out.push_back({uint16_t(font), info[g].codepoint, pen + float(pos[g].x_offset) / 64.0f,
                     float(pos[g].y_offset) / 64.0f});
      pen += float(pos[g].x_advance) / 64.0f;
    }
    i = runEnd;
  }
  if (missingHere) {
    missing_ += missingHere;
    const double now =
        std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (now - lastMissingLog_ >= 1.0) {
      lastMissingLog_ = now;
      PAV_WARN("text: %u character(s) of \"%.*s\" are in no font (drawn as boxes; %llu so far)", missingHere,
               static_cast<int>(utf8.size()), utf8.data(), static_cast<unsigned long long>(missing_));
    }
  }
  return pen;
}

}  // namespace pav::render
