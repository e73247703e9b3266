// What a test (or the shell tests' pav_picture_probe) asks of a rendered picture: where the
// pixels of one colour are. A predicate picks the pixels; the result counts them and gives
// their centroid and bounding box, within a rectangle of the picture given in percent.
//
//   const auto red = [](const uint8_t* c) { return c[0] > 100 && c[1] < 60 && c[2] < 60; };
//   PixelRegion near = findPixels(picture, red);                     // the whole picture
//   PixelRegion panel = findPixels(picture, amber, {20, 45, 80, 95});  // lower centre
//   EXPECT_NEAR(near.x, 128, 2);  EXPECT_GT(near.fraction(), 0.01);
#pragma once

#include <algorithm>
#include <cstdint>

#include "pav/render/picture.h"

namespace pav::test {

// Left, top, right, bottom edges as percent of the width and height (right/bottom exclusive).
struct PercentRect {
  uint32_t left = 0, top = 0, right = 100, bottom = 100;
};

struct PixelRegion {
  uint64_t count = 0;    // pixels that matched
  uint64_t scanned = 0;  // pixels looked at
  double x = 0, y = 0;   // the matches' centroid, in pixels (pixel centres at +0.5)
  uint32_t minX = UINT32_MAX, maxX = 0, minY = UINT32_MAX, maxY = 0;
  double fraction() const { return scanned ? double(count) / double(scanned) : 0.0; }
};

// `hit(const uint8_t* rgba)` says whether a pixel belongs.
template <class Hit>
PixelRegion findPixels(const render::Picture& p, Hit hit, PercentRect area = {}) {
  PixelRegion r;
  const uint32_t x0 = p.width * area.left / 100, x1 = p.width * area.right / 100;
  const uint32_t y0 = p.height * area.top / 100, y1 = p.height * area.bottom / 100;
  for (uint32_t y = y0; y < y1; ++y) {
    for (uint32_t x = x0; x < x1; ++x) {
      ++r.scanned;
      if (!hit(p.pixel(x, y))) continue;
      ++r.count;
      r.x += x + 0.5;
      r.y += y + 0.5;
      r.minX = std::min(r.minX, x), r.maxX = std::max(r.maxX, x);
      r.minY = std::min(r.minY, y), r.maxY = std::max(r.maxY, y);
    }
  }
  if (r.count) r.x /= double(r.count), r.y /= double(r.count);
  return r;
}

// A pixel whose every RGB channel is within `tolerance` of (r, g, b).
struct NearColour {
  int r, g, b, tolerance;
  bool operator()(const uint8_t* c) const {
    const auto near = [&](int have, int want) { return have >= want - tolerance && have <= want + tolerance; };
    return near(c[0], r) && near(c[1], g) && near(c[2], b);
  }
};

}  // namespace pav::test
