// A glance: a small JPEG of what a visitor sees, for an operator's live view (issue 20). The
// renderer copies the first view (the left eye) of a frame it draws anyway into a host buffer
// the caller keeps (Renderer::drawFrame with a Glance); a few frames later, when the copy is
// done (Renderer::glanceReady), encodeGlance() crops its centre to 16:9, scales it to
// kGlanceWidth x kGlanceHeight and encodes it (stb_image_write) into a fixed buffer. Nothing is
// drawn twice and, after the first glance of a size, nothing is allocated.
//
//   Glance glance;  GlanceJpeg jpeg;
//   renderer.drawFrame(target, scene, views, glance);          // this frame, and a copy
//   ... later frames ...
//   if (renderer.glanceReady(glance) && encodeGlance(glance, jpeg)) send(jpeg.bytes, jpeg.size);
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "pav/render/memory.h"

namespace pav::render {

inline constexpr uint32_t kGlanceWidth = 320, kGlanceHeight = 180;
inline constexpr size_t kMaxGlanceBytes = 20 * 1024;  // net::kMaxViewJpegBytes

struct Glance {
  Buffer buffer;              // host-visible; the first view's pixels, 4 bytes each
  uint32_t width = 0, height = 0;
  bool bgra = false;          // the target's colour is B8G8R8A8
  bool pending = false;       // copied by a frame not yet known to be done
  uint64_t readyAfter = 0;    // Renderer frames after which the copy is done
};

struct GlanceJpeg {
  std::array<uint8_t, kGlanceWidth * kGlanceHeight * 3> rgb{};
  std::array<uint8_t, kMaxGlanceBytes> bytes{};
  size_t size = 0;            // of bytes
  int quality = 0;            // the JPEG quality that fitted
  uint64_t serial = 0;        // grows with each picture encoded
};

// Encodes a done glance (pending cleared); false when even the lowest quality does not fit
// kMaxGlanceBytes (then `out` keeps its previous picture).
bool encodeGlance(Glance& glance, GlanceJpeg& out);

}  // namespace pav::render
