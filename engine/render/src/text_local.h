// Internal to the text part of the render room: the FreeType and HarfBuzz handles behind
// FontSet, each in a move-only owner (destroyed in reverse order of creation).
#pragma once

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>

#include <memory>
#include <string>
#include <vector>

#include "pav/render/text.h"

namespace pav::render {
namespace detail {
struct FtLibraryDeleter {
  void operator()(FT_Library l) const;
};
struct FtFaceDeleter {
  void operator()(FT_Face f) const;
};
struct HbFontDeleter {
  void operator()(hb_font_t* f) const;
};
struct HbBufferDeleter {
  void operator()(hb_buffer_t* b) const;
};
}  // namespace detail

struct FontSet::Impl {
  struct Font {
    // The HarfBuzz font references the face: declared after it, so destroyed before it.
    std::unique_ptr<FT_FaceRec_, detail::FtFaceDeleter> face;
    std::unique_ptr<hb_font_t, detail::HbFontDeleter> hb;
    std::string path;
  };
  std::unique_ptr<FT_LibraryRec_, detail::FtLibraryDeleter> library;  // outlives every face
  std::vector<Font> fonts;
  std::unique_ptr<hb_buffer_t, detail::HbBufferDeleter> buffer;
};

}  // namespace pav::render
