// GPU memory: a small sub-allocator (Debian 12 has no Vulkan Memory Allocator package) and the
// Buffer / Image owners placed in it.
//
// The allocator asks Vulkan for a few large blocks (64 MiB by default, bigger for a bigger
// request) and places buffers and images inside them with a first-fit free list that merges
// neighbours on free. Buffers and images never share a block, so bufferImageGranularity never
// matters. Host-visible blocks are mapped once for their lifetime.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "pav/render/vk.h"

namespace pav::render {

enum class MemoryUsage {
  GpuOnly,   // device-local; filled by copies
  Upload,    // host-visible, coherent; CPU writes, GPU reads (staging, per-frame uniforms)
  Readback,  // host-visible, cached if possible; GPU writes, CPU reads (screenshots)
};

enum class ResourceKind : uint8_t { Linear, Optimal };  // buffers / optimal-tiling images

struct Allocation {
  VkDeviceMemory memory = VK_NULL_HANDLE;
  VkDeviceSize offset = 0;
  VkDeviceSize size = 0;
  void* mapped = nullptr;  // non-null for host-visible memory
  uint32_t block = UINT32_MAX;
  explicit operator bool() const { return memory != VK_NULL_HANDLE; }
};

struct AllocatorStats {
  uint32_t blocks = 0;
  uint32_t allocations = 0;
  VkDeviceSize reservedBytes = 0;  // sum of block sizes
  VkDeviceSize usedBytes = 0;      // sum of live allocation sizes
};

class Allocator {
 public:
  Allocator(VkPhysicalDevice physical, VkDevice device, VkDeviceSize blockSize = 64ull << 20);
  ~Allocator();
  Allocator(const Allocator&) = delete;
  Allocator& operator=(const Allocator&) = delete;

  // Throws pav::Error when no memory type fits or Vulkan is out of memory.
  Allocation allocate(const VkMemoryRequirements& req, MemoryUsage usage, ResourceKind kind);
  void free(const Allocation& a);

  AllocatorStats stats() const;
  VkDevice device() const { return device_; }

 private:
  struct Range {
    VkDeviceSize offset, size;
  };
  struct Block {
    UniqueMemory memory;
    VkDeviceSize size = 0;
    void* mapped = nullptr;
    uint32_t memoryType = 0;
    ResourceKind kind = ResourceKind::Linear;
    std::vector<Range> free;  // sorted by offset, never adjacent
    uint32_t live = 0;
  };

  uint32_t findMemoryType(uint32_t typeBits, MemoryUsage usage) const;
  bool placeIn(Block& b, const VkMemoryRequirements& req, Allocation& out);
  uint32_t newBlock(uint32_t memoryType, ResourceKind kind, VkDeviceSize minSize);

  VkDevice device_;
  VkDeviceSize blockSize_;
  VkPhysicalDeviceMemoryProperties props_{};
  std::vector<Block> blocks_;
};

struct BufferDesc {
  VkDeviceSize size = 0;
  VkBufferUsageFlags usage = 0;
  MemoryUsage memory = MemoryUsage::GpuOnly;
};

// A VkBuffer placed in the allocator. Move-only; frees its range on destruction.
class Buffer {
 public:
  Buffer() = default;
  Buffer(Allocator& allocator, const BufferDesc& desc);
  ~Buffer();
  Buffer(Buffer&&) noexcept;
  Buffer& operator=(Buffer&&) noexcept;

  VkBuffer get() const { return buffer_.get(); }
  VkDeviceSize size() const { return size_; }
  void* mapped() const { return allocation_.mapped; }
  explicit operator bool() const { return static_cast<bool>(buffer_); }
  // Copies into a host-visible buffer. Host-visible memory is always chosen coherent, so no
  // flush or invalidate is ever needed.
  void write(const void* data, VkDeviceSize bytes, VkDeviceSize offset = 0);

 private:
  void release();
  Allocator* allocator_ = nullptr;
  UniqueBuffer buffer_;
  Allocation allocation_;
  VkDeviceSize size_ = 0;
};

struct ImageDesc {
  uint32_t width = 0, height = 0;
  uint32_t layers = 0;  // 0 means 1
  VkFormat format = VK_FORMAT_UNDEFINED;
  VkImageUsageFlags usage = 0;
  VkImageAspectFlags aspect = VK_IMAGE_ASPECT_COLOR_BIT;
  uint32_t samples = 1;    // a multisampled attachment (MSAA) when more than 1
  uint32_t mipLevels = 0;  // 0 means 1; the view sees them all
};

// A 2D (array) image with its view. Move-only; frees its range on destruction.
class Image {
 public:
  Image() = default;
  Image(Allocator& allocator, const ImageDesc& desc);
  ~Image();
  Image(Image&&) noexcept;
  Image& operator=(Image&&) noexcept;

  VkImage get() const { return image_.get(); }
  VkImageView view() const { return view_.get(); }
  VkFormat format() const { return format_; }
  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }
  uint32_t layers() const { return layers_; }
  uint32_t mipLevels() const { return mipLevels_; }

 private:
  void release();
  Allocator* allocator_ = nullptr;
  UniqueImage image_;
  UniqueImageView view_;
  Allocation allocation_;
  VkFormat format_ = VK_FORMAT_UNDEFINED;
  uint32_t width_ = 0, height_ = 0, layers_ = 0, mipLevels_ = 1;
};

}  // namespace pav::render
