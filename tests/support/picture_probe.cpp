// pav_picture_probe: for shell tests that check what a picture shows. Reads a PNG (through the
// render room's own reader) and prints the fraction of its pixels whose every RGB channel is
// within TOL of the colour R G B, as one number with four decimals.
//   pav_picture_probe shot.png 255 0 255 15      ->  0.7312
// Exit 0; 2 with a message for a bad command line or a picture that cannot be read.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "pav/render/picture.h"

namespace {

bool number(const char* text, int lo, int hi, int& out) {
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < lo || v > hi) return false;
  out = static_cast<int>(v);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int want[3] = {0, 0, 0}, tolerance = 0;
  if (argc != 6 || !number(argv[2], 0, 255, want[0]) || !number(argv[3], 0, 255, want[1]) ||
      !number(argv[4], 0, 255, want[2]) || !number(argv[5], 0, 255, tolerance)) {
    std::fprintf(stderr, "usage: pav_picture_probe PICTURE.png R G B TOL (each 0-255)\n");
    return 2;
  }
  try {
    const pav::render::Picture picture = pav::render::readPng(argv[1]);
    uint64_t matching = 0;
    for (uint32_t y = 0; y < picture.height; ++y)
      for (uint32_t x = 0; x < picture.width; ++x) {
        const uint8_t* c = picture.pixel(x, y);
        bool near = true;
        for (int i = 0; i < 3; ++i) near = near && std::abs(int(c[i]) - want[i]) <= tolerance;
        matching += near;
      }
    const double pixels = double(picture.width) * double(picture.height);
    std::printf("%.4f\n", pixels > 0 ? double(matching) / pixels : 0.0);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pav_picture_probe: %s\n", e.what());
    return 2;
  }
}
