// Picture I/O through stb (libstb-dev ships the compiled library) and tolerant comparison.
#include "pav/render/picture.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "pav/core/error.h"

namespace pav::render {

void writePng(const std::string& path, const Picture& p) {
  PAV_CHECK(p.width > 0 && p.height > 0 && p.rgba.size() == size_t(p.width) * p.height * 4,
            "writePng('%s'): picture is empty or inconsistent (%ux%u, %zu bytes)", path.c_str(),
            p.width, p.height, p.rgba.size());
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (!stbi_write_png(path.c_str(), static_cast<int>(p.width), static_cast<int>(p.height), 4,
                      p.rgba.data(), static_cast<int>(p.width * 4)))
    fail("cannot write PNG '%s' (is the folder writable?)", path.c_str());
}

Picture readPng(const std::string& path) {
  int w = 0, h = 0, channels = 0;
  stbi_uc* data = stbi_load(path.c_str(), &w, &h, &channels, 4);
  if (!data) fail("cannot read PNG '%s': %s", path.c_str(), stbi_failure_reason());
  Picture p;
  p.width = static_cast<uint32_t>(w);
  p.height = static_cast<uint32_t>(h);
  p.rgba.assign(data, data + size_t(w) * size_t(h) * 4);
  stbi_image_free(data);
  return p;
}

PictureDiff comparePictures(const Picture& a, const Picture& b, int threshold) {
  PictureDiff d;
  d.sameSize = a.width == b.width && a.height == b.height && !a.empty() &&
               a.rgba.size() == b.rgba.size();
  if (!d.sameSize) return d;
  d.pixels = uint64_t(a.width) * a.height;
  uint64_t sum = 0;
  for (uint64_t i = 0; i < d.pixels; ++i) {
    int worst = 0;
    for (int c = 0; c < 3; ++c) {
      const int diff = std::abs(int(a.rgba[i * 4 + c]) - int(b.rgba[i * 4 + c]));
      worst = std::max(worst, diff);
      sum += static_cast<uint64_t>(diff);
    }
    d.maxChannelDiff = std::max(d.maxChannelDiff, worst);
    if (worst > threshold) ++d.mismatched;
  }
  d.meanAbsDiff = double(sum) / double(d.pixels * 3);
  return d;
}

Picture diffPicture(const Picture& a, const Picture& b) {
  Picture d;
  if (a.width != b.width || a.height != b.height || a.rgba.size() != b.rgba.size()) return d;
  d.width = a.width;
  d.height = a.height;
  d.rgba.resize(a.rgba.size());
  for (size_t i = 0; i < a.rgba.size(); i += 4) {
    for (int c = 0; c < 3; ++c) {
      const int diff = std::abs(int(a.rgba[i + c]) - int(b.rgba[i + c]));
      d.rgba[i + c] = static_cast<uint8_t>(std::min(255, diff * 8));
    }
    d.rgba[i + 3] = 255;
  }
  return d;
}

}  // namespace pav::render
