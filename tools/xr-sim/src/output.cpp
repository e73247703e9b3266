// xr-sim output: what the runtime writes for people and tests to look at.
//
// [SECTION] Eye pictures   each eye of a projection layer as PNG (PAV_XR_SIM_PNG_DIR):
//                          the released image is copied to a host buffer on the
//                          application's queue (as a compositor reads it), then written
//                          with stb. Files: <dir>/frame-NNNNNN-left.png (every
//                          PAV_XR_SIM_PNG_EVERY frames) and <dir>/last-left.png (the last
//                          frame, at session end), and -right.png.
// [SECTION] Statistics     a JSON file (PAV_XR_SIM_STATS) written when the session ends:
//                          frame counts, missed frames, application CPU time per frame,
//                          refused calls by code, haptic pulses, session states, pictures.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <stb_image_write.h>

#include "xr_sim_local.h"

namespace pav::xrsim {

// ---- [SECTION] Eye pictures ---------------------------------------------------------------
namespace {

bool isPicturable(VkFormat f) {
  return f == VK_FORMAT_R8G8B8A8_SRGB || f == VK_FORMAT_B8G8R8A8_SRGB || f == VK_FORMAT_R8G8B8A8_UNORM ||
         f == VK_FORMAT_B8G8R8A8_UNORM;
}
bool isBgra(VkFormat f) { return f == VK_FORMAT_B8G8R8A8_SRGB || f == VK_FORMAT_B8G8R8A8_UNORM; }

}  // namespace

void writeEyePictures(Session& s, const std::array<SubmittedView, 2>& views, const std::string& stem) {
  Instance& inst = *s.instance;
  VkContext& vk = *s.vk;
  const DeviceFns& fn = vk.fn();
  // Everything to copy, checked first: a picture of the wrong image is worse than none.
  struct Eye {
    const Swapchain* sc;
    const SubmittedView* view;
    VkDeviceSize offset;
  };
  std::vector<Eye> eyes;
  VkDeviceSize total = 0;
  for (const SubmittedView& v : views) {
    const Swapchain* sc = static_cast<const Swapchain*>(findObject(v.swapchain, Kind::Swapchain));
    std::string why;
    if (!sc || sc->session != &s) {
      why = "its swapchain was destroyed";
    } else if (!isPicturable(sc->format) || !sc->readable) {
      why = "the swapchain's format cannot be pictured";
    } else if (sc->images[v.image].acquisitions != v.acquisitions) {
      why = "the image was acquired again since";
    }
    if (!why.empty()) {
      logLine(inst, 1, "no picture '" + stem + "': " + why);
      return;
    }
    eyes.push_back({sc, &v, total});
    total += static_cast<VkDeviceSize>(v.rect.extent.width) * v.rect.extent.height * 4;
  }

  UniqueMemory memory;  // declared first: the buffer is destroyed before its memory is freed
  UniqueBuffer buffer;
  VkBufferCreateInfo bi{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  bi.size = total;
  bi.usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  bi.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkBuffer rawBuffer = VK_NULL_HANDLE;
  if (fn.createBuffer(vk.device(), &bi, nullptr, &rawBuffer) != VK_SUCCESS) return;
  buffer = UniqueBuffer(&fn, vk.device(), rawBuffer);
  VkMemoryRequirements req{};
  fn.getBufferMemoryRequirements(vk.device(), rawBuffer, &req);
  VkMemoryAllocateInfo ai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  ai.allocationSize = req.size;
  ai.memoryTypeIndex =
      vk.memoryType(req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
  VkDeviceMemory rawMemory = VK_NULL_HANDLE;
  if (ai.memoryTypeIndex == UINT32_MAX || fn.allocateMemory(vk.device(), &ai, nullptr, &rawMemory) != VK_SUCCESS) return;
  memory = UniqueMemory(&fn, vk.device(), rawMemory);
  if (fn.bindBufferMemory(vk.device(), rawBuffer, rawMemory, 0) != VK_SUCCESS) return;

  const VkResult r = vk.submitAndWait([&](VkCommandBuffer cmd) {
    for (const Eye& e : eyes) {
      VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
      b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
      b.image = e.sc->images[e.view->image].image.get();
      b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, e.view->arrayIndex, 1};
      // The application's rendering (earlier on this queue) must be finished and visible.
      b.srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT;
      b.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
      b.oldLayout = e.sc->restingLayout;
      b.newLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
      fn.cmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0,
                            nullptr, 1, &b);
      VkBufferImageCopy region{};
      region.bufferOffset = e.offset;
      region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, e.view->arrayIndex, 1};
      region.imageOffset = {e.view->rect.offset.x, e.view->rect.offset.y, 0};
      region.imageExtent = {static_cast<uint32_t>(e.view->rect.extent.width),
                            static_cast<uint32_t>(e.view->rect.extent.height), 1};
      fn.cmdCopyImageToBuffer(cmd, b.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, rawBuffer, 1, &region);
      // Back to the resting layout for the application's next use of the image.
      b.srcAccessMask = 0;
      b.dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT;
      b.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
      b.newLayout = e.sc->restingLayout;
      fn.cmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, nullptr, 0,
                            nullptr, 1, &b);
    }
    VkBufferMemoryBarrier hb{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER};
    hb.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    hb.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    hb.srcQueueFamilyIndex = hb.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    hb.buffer = rawBuffer;
    hb.size = VK_WHOLE_SIZE;
    fn.cmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 0, nullptr, 1, &hb, 0,
                          nullptr);
  });
  if (r != VK_SUCCESS) {
    logLine(inst, 1, "no picture '" + stem + "': the read-back failed");
    return;
  }
  void* mapped = nullptr;
  if (fn.mapMemory(vk.device(), rawMemory, 0, VK_WHOLE_SIZE, 0, &mapped) != VK_SUCCESS) return;
  std::error_code ec;
  std::filesystem::create_directories(inst.config.pngDir, ec);
  static const char* const kEye[2] = {"left", "right"};
  for (size_t i = 0; i < eyes.size(); ++i) {
    const Eye& e = eyes[i];
    const int w = e.view->rect.extent.width, h = e.view->rect.extent.height;
    std::vector<uint8_t> rgba(static_cast<size_t>(w) * h * 4);
    std::memcpy(rgba.data(), static_cast<const uint8_t*>(mapped) + e.offset, rgba.size());
    const bool bgra = isBgra(e.sc->format);
    for (size_t p = 0; p < rgba.size(); p += 4) {
      if (bgra) std::swap(rgba[p], rgba[p + 2]);
      rgba[p + 3] = 255;  // the display is opaque: alpha is not shown
    }
    const std::string path = inst.config.pngDir + "/" + stem + "-" + kEye[i] + ".png";
    if (stbi_write_png(path.c_str(), w, h, 4, rgba.data(), w * 4)) {
      inst.stats.pngFiles.push_back(path);
    } else {
      logLine(inst, 1, "cannot write " + path);
    }
  }
  fn.unmapMemory(vk.device(), rawMemory);
}

// ---- [SECTION] Statistics -----------------------------------------------------------------
namespace {

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

}  // namespace

void writeStats(const Instance& inst, const Session* session) {
  if (inst.config.statsPath.empty()) return;
  const Stats& st = inst.stats;
  nlohmann::json j;
  j["runtime"] = kRuntimeName;
  j["application"] = inst.appName;
  j["displayHz"] = inst.config.hz;
  j["view"] = {inst.config.viewWidth, inst.config.viewHeight};
  j["script"] = inst.config.scriptPath.empty() ? "built-in" : inst.config.scriptPath;
  j["frames"] = {{"waited", st.framesWaited},       {"begun", st.framesBegun},   {"ended", st.framesEnded},
                 {"discarded", st.framesDiscarded}, {"missed", st.framesMissed}, {"withLayers", st.framesWithLayers}};
  double sum = 0;
  for (double v : st.appCpuMs) sum += v;
  j["appCpuMs"] = {{"mean", st.appCpuMs.empty() ? 0.0 : sum / static_cast<double>(st.appCpuMs.size())},
                   {"p50", percentile(st.appCpuMs, 0.5)},
                   {"p99", percentile(st.appCpuMs, 0.99)},
                   {"max", st.appCpuMs.empty() ? 0.0 : *std::max_element(st.appCpuMs.begin(), st.appCpuMs.end())}};
  j["violations"] = {{"total", st.violationsTotal}, {"byCall", st.violations}, {"first", st.violationLog}};
  nlohmann::json pulses = nlohmann::json::array();
  for (const HapticPulse& p : st.haptics) {
    pulses.push_back({{"t", p.t},
                      {"hand", p.hand},
                      {"action", p.action},
                      {"amplitude", p.amplitude},
                      {"durationNs", p.durationNs},
                      {"frequency", p.frequency}});
  }
  j["haptics"] = {{"pulses", pulses}, {"stops", st.hapticStops}, {"unbound", st.hapticsUnbound}};
  j["states"] = st.states;
  j["png"] = st.pngFiles;
  j["endReason"] = st.endReason.empty() ? "session ended" : st.endReason;
  if (session) {
    const std::string* profile = inst.paths.name(session->currentProfile);
    j["interactionProfile"] = profile ? *profile : "";
  }
  std::ofstream out(inst.config.statsPath);
  out << j.dump(2) << "\n";
  if (!out) logLine(inst, 1, "cannot write the statistics to " + inst.config.statsPath);
}

}  // namespace pav::xrsim
