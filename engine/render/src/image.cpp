// Images for materials, on the CPU (material.h): PNG and JPEG files decoded by stb_image
// (libstb-dev's compiled library) into RGBA8, every problem refused with the file's name; and
// the Khronos PBR Neutral tone mapping the shaders apply, for tests to predict a pixel.
//
// The checks come in the order that keeps a bad file cheap: the file's size before a byte is
// read, its signature (PNG or JPEG) before a decoder sees it, the dimensions from its header
// before anything is decoded, and stb_image's own verdict on the rest.
#include "pav/render/material.h"

#include <stb_image.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "pav/core/error.h"

namespace pav::render {
namespace {

[[noreturn]] void refuse(const std::string& name, const std::string& problem) {
  fail("%s: %s", name.c_str(), problem.c_str());
}

bool startsWith(std::span<const uint8_t> b, std::initializer_list<uint8_t> sig) {
  return b.size() >= sig.size() && std::equal(sig.begin(), sig.end(), b.begin());
}

// What a file that is not PNG or JPEG looks like, for a message a person can act on.
std::string formatOf(std::span<const uint8_t> b) {
  if (startsWith(b, {'G', 'I', 'F', '8'})) return "GIF";
  if (startsWith(b, {'B', 'M'})) return "BMP";
  if (startsWith(b, {0xAB, 'K', 'T', 'X'})) return "KTX";
  if (startsWith(b, {'D', 'D', 'S', ' '})) return "DDS";
  if (b.size() >= 12 && startsWith(b, {'R', 'I', 'F', 'F'}) && std::memcmp(b.data() + 8, "WEBP", 4) == 0) return "WebP";
  if (startsWith(b, {'8', 'B', 'P', 'S'})) return "PSD";
  if (startsWith(b, {'#', '?'})) return "Radiance HDR";
  return "";
}

}  // namespace

ImageRef decodeImage(std::span<const uint8_t> bytes, const std::string& name) {
  if (bytes.empty()) refuse(name, "the image file is empty");
  if (bytes.size() > kMaxImageFileBytes) refuse(name, "the image file is over 64 MiB");
  const bool png = startsWith(bytes, {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
  const bool jpeg = startsWith(bytes, {0xFF, 0xD8, 0xFF});
  if (!png && !jpeg) {
    const std::string other = formatOf(bytes);
    refuse(name, "unsupported image format" + (other.empty() ? std::string() : " (" + other + ")") +
                     "; textures must be PNG or JPEG");
  }
  const char* kind = png ? "PNG" : "JPEG";
  const int size = static_cast<int>(bytes.size());
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(bytes.data(), size, &w, &h, &channels))
    refuse(name, std::string("corrupt ") + kind + " (" + stbi_failure_reason() + ")");
  if (w <= 0 || h <= 0) refuse(name, std::string("corrupt ") + kind + " (no pixels)");
  if (uint32_t(w) > kMaxImageSide || uint32_t(h) > kMaxImageSide)
    refuse(name, "the image is " + std::to_string(w) + "x" + std::to_string(h) + ", over the " +
                     std::to_string(kMaxImageSide) + " pixels a side a texture may have");
  stbi_uc* pixels = stbi_load_from_memory(bytes.data(), size, &w, &h, &channels, 4);
  if (!pixels) refuse(name, std::string("corrupt ") + kind + " (" + stbi_failure_reason() + ")");
  auto image = std::make_shared<ImageData>();
  image->name = name;
  image->width = uint32_t(w);
  image->height = uint32_t(h);
  image->rgba.assign(pixels, pixels + size_t(w) * size_t(h) * 4);
  stbi_image_free(pixels);
  return image;
}

ImageRef loadImage(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) refuse(path, "the texture file does not exist");
  if (!std::filesystem::is_regular_file(path, ec)) refuse(path, "not a regular file");
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) refuse(path, "cannot read its size (" + ec.message() + ")");
  if (size > kMaxImageFileBytes) refuse(path, "the image file is over 64 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) refuse(path, std::string("cannot open (") + std::strerror(errno) + ")");
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) refuse(path, "read error");
  return decodeImage(bytes, path);
}

ImageRef makeImage(std::string name, uint32_t width, uint32_t height, std::vector<uint8_t> rgba) {
  PAV_CHECK(width > 0 && height > 0 && width <= kMaxImageSide && height <= kMaxImageSide &&
                rgba.size() == size_t(width) * height * 4,
            "makeImage('%s'): %ux%u with %zu bytes (want width*height*4, at most %u a side)", name.c_str(), width,
            height, rgba.size(), kMaxImageSide);
  auto image = std::make_shared<ImageData>();
  image->name = std::move(name);
  image->width = width;
  image->height = height;
  image->rgba = std::move(rgba);
  return image;
}

// Khronos PBR Neutral (https://github.com/KhronosGroup/ToneMapping/tree/main/PBR_Neutral),
// line for line as in shaders/pbr.glsl.
glm::vec3 toneMapNeutral(const glm::vec3& colorIn) {
  constexpr float kStartCompression = 0.8f - 0.04f;
  constexpr float kDesaturation = 0.15f;
  glm::vec3 color = colorIn;
  const float x = std::min(color.r, std::min(color.g, color.b));
  const float offset = x < 0.08f ? x - 6.25f * x * x : 0.04f;
  color -= offset;
  const float peak = std::max(color.r, std::max(color.g, color.b));
  if (peak < kStartCompression) return color;
  constexpr float d = 1.0f - kStartCompression;
  const float newPeak = 1.0f - d * d / (peak + d - kStartCompression);
  color *= newPeak / peak;
  const float g = 1.0f - 1.0f / (kDesaturation * (peak - newPeak) + 1.0f);
  return glm::mix(color, glm::vec3(newPeak), g);
}

}  // namespace pav::render
