// Glances (pav/render/glance.h): the first view of a drawn frame copied for a live view, then
// scaled and encoded as a small JPEG into fixed buffers.
#include <algorithm>
#include <cstring>

#include <stb_image_write.h>

#include "pav/render/context.h"
#include "pav/render/renderer.h"

namespace pav::render {

bool Renderer::drawFrame(Target& target, const Scene& scene, std::span<const View> views, Glance& glance) {
  if (glance.pending || !target.canCapture()) return drawFrame(target, scene, views);
  const VkExtent2D extent = target.extent();
  if (extent.width == 0 || extent.height == 0) return drawFrame(target, scene, views);
  const VkDeviceSize bytes = VkDeviceSize(extent.width) * extent.height * 4;
  if (!glance.buffer || glance.buffer.size() < bytes) {
    // Once per size: a glance's buffer is kept for the next ones. The old one may still be
    // read by a frame in flight only if one was pending, which it is not here.
    glance.buffer = Buffer(context_.allocator(), {bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUsage::Readback});
  }
  copyViews_ = 1;
  const bool drawn = record(target, scene, views, &glance.buffer);
  copyViews_ = 0;
  if (!drawn || !lastFrameCopied_) return drawn;
  const VkFormat color = target.format().color;
  glance.width = lastCopiedExtent_.width;
  glance.height = lastCopiedExtent_.height;
  glance.bgra = color == VK_FORMAT_B8G8R8A8_SRGB || color == VK_FORMAT_B8G8R8A8_UNORM;
  glance.pending = true;
  // record() waits for a slot's fence before reusing it: once framesInFlight more frames have
  // begun, this one is done.
  glance.readyAfter = frameIndex_ + framesInFlight_;
  return drawn;
}

bool Renderer::glanceReady(const Glance& glance) const { return glance.pending && frameIndex_ >= glance.readyAfter; }

namespace {

struct Sink {
  GlanceJpeg* out;
  size_t size;
  bool overflow;
};

void write(void* context, void* data, int size) {
  Sink& s = *static_cast<Sink*>(context);
  if (s.overflow || size < 0 || s.size + size_t(size) > s.out->bytes.size()) {
    s.overflow = true;
    return;
  }
  std::memcpy(s.out->bytes.data() + s.size, data, size_t(size));
  s.size += size_t(size);
}

}  // namespace

bool encodeGlance(Glance& glance, GlanceJpeg& out) {
  glance.pending = false;
  const auto* src = static_cast<const uint8_t*>(glance.buffer.mapped());
  if (!src || glance.width == 0 || glance.height == 0) return false;
  // The centre of the view at 16:9, each output pixel the mean of a 2 x 2 of samples.
  uint32_t cw = glance.width, ch = glance.width * kGlanceHeight / kGlanceWidth;
  if (ch > glance.height) {
    ch = glance.height;
    cw = glance.height * kGlanceWidth / kGlanceHeight;
  }
  const uint32_t x0 = (glance.width - cw) / 2, y0 = (glance.height - ch) / 2;
  const int r = glance.bgra ? 2 : 0, b = glance.bgra ? 0 : 2;
  for (uint32_t y = 0; y < kGlanceHeight; ++y) {
    for (uint32_t x = 0; x < kGlanceWidth; ++x) {
      int sum[3] = {0, 0, 0};
      for (uint32_t dy = 0; dy < 2; ++dy)
        for (uint32_t dx = 0; dx < 2; ++dx) {
          const uint32_t sx = x0 + std::min(cw - 1, (2 * x + dx) * cw / (2 * kGlanceWidth));
          const uint32_t sy = y0 + std::min(ch - 1, (2 * y + dy) * ch / (2 * kGlanceHeight));
          const uint8_t* p = src + (size_t(sy) * glance.width + sx) * 4;
          sum[0] += p[r], sum[1] += p[1], sum[2] += p[b];
        }
      uint8_t* d = &out.rgb[(size_t(y) * kGlanceWidth + x) * 3];
      d[0] = uint8_t(sum[0] / 4), d[1] = uint8_t(sum[1] / 4), d[2] = uint8_t(sum[2] / 4);
    }
  }
  for (const int quality : {75, 55, 35, 20}) {
    Sink sink{&out, 0, false};
    if (stbi_write_jpg_to_func(write, &sink, int(kGlanceWidth), int(kGlanceHeight), 3, out.rgb.data(), quality) &&
        !sink.overflow) {
      out.size = sink.size;
      out.quality = quality;
      ++out.serial;
      return true;
    }
  }
  return false;
}

}  // namespace pav::render
