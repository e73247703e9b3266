// pav_picture_probe: for shell tests that check what a picture shows. Reads a PNG (through the
// render room's own reader) and prints the fraction of its pixels whose every RGB channel is
// within TOL of the colour R G B, as one number with four decimals.
//   pav_picture_probe shot.png 255 0 255 15      ->  0.7312
// Exit 0; 2 with a message for a bad command line or a picture that cannot be read.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "picture_regions.h"
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
    const pav::test::NearColour colour{want[0], want[1], want[2], tolerance};
    std::printf("%.4f\n", pav::test::findPixels(picture, colour).fraction());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pav_picture_probe: %s\n", e.what());
    return 2;
  }
}
