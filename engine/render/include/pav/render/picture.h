// Pictures on the CPU: RGBA8 pixels read back from a target, written to or read from PNG
// (stb), and compared with a per-pixel tolerance (golden-image tests, stereo checks).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pav::render {

struct Picture {
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> rgba;  // row-major, top row first, 4 bytes a pixel

  const uint8_t* pixel(uint32_t x, uint32_t y) const { return &rgba[(size_t(y) * width + x) * 4]; }
  bool empty() const { return rgba.empty(); }
};

// Throws pav::Error naming the path when the file cannot be written / read / decoded.
void writePng(const std::string& path, const Picture& picture);
Picture readPng(const std::string& path);

struct PictureDiff {
  bool sameSize = false;
  uint64_t pixels = 0;       // pixels compared
  uint64_t mismatched = 0;   // pixels whose largest channel difference exceeds the threshold
  int maxChannelDiff = 0;    // largest difference of any channel of any pixel
  double meanAbsDiff = 0;    // mean absolute difference over all RGB channels
  double mismatchedFraction() const { return pixels ? double(mismatched) / double(pixels) : 1.0; }
};

// Compares RGB (alpha ignored); a pixel mismatches when any channel differs by more than
// `threshold` (0..255).
PictureDiff comparePictures(const Picture& a, const Picture& b, int threshold);

// A picture where each pixel is |a - b| scaled up, to show where two pictures differ.
Picture diffPicture(const Picture& a, const Picture& b);

}  // namespace pav::render
