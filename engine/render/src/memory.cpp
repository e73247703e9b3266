// Allocator: first-fit placement in large blocks; Buffer and Image owners on top of it.
#include "pav/render/memory.h"

#include <algorithm>
#include <cstring>

#include "pav/core/log.h"

namespace pav::render {
namespace {

VkDeviceSize alignUp(VkDeviceSize v, VkDeviceSize a) { return (v + a - 1) / a * a; }

}  // namespace

// ---- Allocator -------------------------------------------------------------------------------

Allocator::Allocator(VkPhysicalDevice physical, VkDevice device, VkDeviceSize blockSize)
    : device_(device), blockSize_(blockSize) {
  vkGetPhysicalDeviceMemoryProperties(physical, &props_);
}

Allocator::~Allocator() {
  for (const Block& b : blocks_) {
    if (b.live != 0)
      PAV_WARN("allocator: block of %llu bytes destroyed with %u live allocations",
               static_cast<unsigned long long>(b.size), b.live);
  }
}

uint32_t Allocator::findMemoryType(uint32_t typeBits, MemoryUsage usage) const {
  // Preference lists, best first. The spec guarantees a HOST_VISIBLE|HOST_COHERENT type and a
  // DEVICE_LOCAL type, so the last entry of each list always exists for buffers.
  constexpr VkMemoryPropertyFlags kDevice = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
  constexpr VkMemoryPropertyFlags kHost =
      VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  constexpr VkMemoryPropertyFlags kCached = kHost | VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
  VkMemoryPropertyFlags wanted[2] = {kDevice, kDevice};
  switch (usage) {
    case MemoryUsage::GpuOnly: wanted[0] = kDevice; wanted[1] = 0; break;
    case MemoryUsage::Upload: wanted[0] = kHost | kDevice; wanted[1] = kHost; break;
    case MemoryUsage::Readback: wanted[0] = kCached; wanted[1] = kHost; break;
  }
  for (VkMemoryPropertyFlags flags : wanted) {
    for (uint32_t i = 0; i < props_.memoryTypeCount; ++i) {
      if ((typeBits & (1u << i)) && (props_.memoryTypes[i].propertyFlags & flags) == flags)
        return i;
    }
  }
  fail("no Vulkan memory type fits (type bits 0x%x, usage %d)", typeBits, static_cast<int>(usage));
}

uint32_t Allocator::newBlock(uint32_t memoryType, ResourceKind kind, VkDeviceSize minSize) {
  Block b;
  b.size = std::max(blockSize_, alignUp(minSize, 1u << 20));
  b.memoryType = memoryType;
  b.kind = kind;
  VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  info.allocationSize = b.size;
  info.memoryTypeIndex = memoryType;
  VkDeviceMemory mem = VK_NULL_HANDLE;
  VK_CHECK(vkAllocateMemory(device_, &info, nullptr, &mem));
  b.memory = UniqueMemory(device_, mem);
  if (props_.memoryTypes[memoryType].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
    VK_CHECK(vkMapMemory(device_, mem, 0, VK_WHOLE_SIZE, 0, &b.mapped));
  b.free.push_back({0, b.size});
  blocks_.push_back(std::move(b));
  PAV_DEBUG("allocator: new %s block of %llu MiB in memory type %u",
            kind == ResourceKind::Linear ? "buffer" : "image",
            static_cast<unsigned long long>(blocks_.back().size >> 20), memoryType);
  return static_cast<uint32_t>(blocks_.size() - 1);
}

bool Allocator::placeIn(Block& b, const VkMemoryRequirements& req, Allocation& out) {
  for (size_t i = 0; i < b.free.size(); ++i) {
    Range& r = b.free[i];
    const VkDeviceSize start = alignUp(r.offset, req.alignment);
    const VkDeviceSize end = start + req.size;
    if (end > r.offset + r.size) continue;
    // Split the free range into [r.offset, start) and [end, r.end).
    const Range before{r.offset, start - r.offset};
    const Range after{end, r.offset + r.size - end};
    b.free.erase(b.free.begin() + static_cast<std::ptrdiff_t>(i));
    auto at = b.free.begin() + static_cast<std::ptrdiff_t>(i);
    if (after.size) at = b.free.insert(at, after);
    if (before.size) b.free.insert(at, before);
    out.memory = b.memory.get();
    out.offset = start;
    out.size = end - start;
    out.mapped = b.mapped ? static_cast<char*>(b.mapped) + start : nullptr;
    ++b.live;
    return true;
  }
  return false;
}

Allocation Allocator::allocate(const VkMemoryRequirements& req, MemoryUsage usage,
                               ResourceKind kind) {
  const uint32_t type = findMemoryType(req.memoryTypeBits, usage);
  Allocation a;
  for (uint32_t i = 0; i < blocks_.size(); ++i) {
    Block& b = blocks_[i];
    if (b.memoryType != type || b.kind != kind) continue;
    if (placeIn(b, req, a)) {
      a.block = i;
      return a;
    }
  }
  const uint32_t i = newBlock(type, kind, req.size + req.alignment);
  if (!placeIn(blocks_[i], req, a)) fail("allocator: a fresh block could not hold %llu bytes",
                                         static_cast<unsigned long long>(req.size));
  a.block = i;
  return a;
}

void Allocator::free(const Allocation& a) {
  if (!a) return;
  PAV_CHECK(a.block < blocks_.size() && blocks_[a.block].memory.get() == a.memory,
            "allocator: freeing an allocation this allocator did not make");
  Block& b = blocks_[a.block];
  // Insert sorted, then merge with neighbours.
  auto it = std::lower_bound(b.free.begin(), b.free.end(), a.offset,
                             [](const Range& r, VkDeviceSize off) { return r.offset < off; });
  it = b.free.insert(it, {a.offset, a.size});
  if (it + 1 != b.free.end() && it->offset + it->size == (it + 1)->offset) {
    it->size += (it + 1)->size;
    b.free.erase(it + 1);
  }
  if (it != b.free.begin() && (it - 1)->offset + (it - 1)->size == it->offset) {
    (it - 1)->size += it->size;
    b.free.erase(it);
  }
  --b.live;
}

AllocatorStats Allocator::stats() const {
  AllocatorStats s;
  for (const Block& b : blocks_) {
    ++s.blocks;
    s.allocations += b.live;
    s.reservedBytes += b.size;
    VkDeviceSize freeBytes = 0;
    for (const Range& r : b.free) freeBytes += r.size;
    s.usedBytes += b.size - freeBytes;
  }
  return s;
}

// ---- Buffer ----------------------------------------------------------------------------------

Buffer::Buffer(Allocator& allocator, const BufferDesc& desc) : allocator_(&allocator) {
  PAV_CHECK(desc.size > 0, "Buffer: size must be non-zero");
  const VkDevice device = allocator.device();
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = desc.size;
  info.usage = desc.usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkBuffer buf = VK_NULL_HANDLE;
  VK_CHECK(vkCreateBuffer(device, &info, nullptr, &buf));
  buffer_ = UniqueBuffer(device, buf);
  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(device, buf, &req);
  allocation_ = allocator.allocate(req, desc.memory, ResourceKind::Linear);
  VK_CHECK(vkBindBufferMemory(device, buf, allocation_.memory, allocation_.offset));
  size_ = desc.size;
}

Buffer::~Buffer() { release(); }

void Buffer::release() {
  buffer_.reset();
  if (allocator_) allocator_->free(allocation_);
  allocation_ = {};
  allocator_ = nullptr;
}

Buffer::Buffer(Buffer&& o) noexcept
    : allocator_(std::exchange(o.allocator_, nullptr)),
      buffer_(std::move(o.buffer_)),
      allocation_(std::exchange(o.allocation_, {})),
      size_(o.size_) {}

Buffer& Buffer::operator=(Buffer&& o) noexcept {
  if (this != &o) {
    release();
    allocator_ = std::exchange(o.allocator_, nullptr);
    buffer_ = std::move(o.buffer_);
    allocation_ = std::exchange(o.allocation_, {});
    size_ = o.size_;
  }
  return *this;
}

void Buffer::write(const void* data, VkDeviceSize bytes, VkDeviceSize offset) {
  PAV_CHECK(allocation_.mapped, "Buffer::write on a buffer that is not host-visible");
  PAV_CHECK(offset + bytes <= size_, "Buffer::write of %llu bytes at %llu overflows %llu",
            static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(offset),
            static_cast<unsigned long long>(size_));
  std::memcpy(static_cast<char*>(allocation_.mapped) + offset, data, bytes);
}

// ---- Image -----------------------------------------------------------------------------------

Image::Image(Allocator& allocator, const ImageDesc& desc) : allocator_(&allocator) {
  PAV_CHECK(desc.width > 0 && desc.height > 0, "Image: size %ux%u must be non-zero", desc.width,
            desc.height);
  const VkDevice device = allocator.device();
  layers_ = desc.layers ? desc.layers : 1;
  mipLevels_ = desc.mipLevels ? desc.mipLevels : 1;
  VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
  info.imageType = VK_IMAGE_TYPE_2D;
  info.format = desc.format;
  info.extent = {desc.width, desc.height, 1};
  info.mipLevels = mipLevels_;
  info.arrayLayers = layers_;
  info.samples = desc.samples > 1 ? static_cast<VkSampleCountFlagBits>(desc.samples) : VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = desc.usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  VkImage img = VK_NULL_HANDLE;
  VK_CHECK(vkCreateImage(device, &info, nullptr, &img));
  image_ = UniqueImage(device, img);
  VkMemoryRequirements req;
  vkGetImageMemoryRequirements(device, img, &req);
  allocation_ = allocator.allocate(req, MemoryUsage::GpuOnly, ResourceKind::Optimal);
  VK_CHECK(vkBindImageMemory(device, img, allocation_.memory, allocation_.offset));

  VkImageViewCreateInfo view{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
  view.image = img;
  view.viewType = layers_ > 1 ? VK_IMAGE_VIEW_TYPE_2D_ARRAY : VK_IMAGE_VIEW_TYPE_2D;
  view.format = desc.format;
  view.subresourceRange = {desc.aspect, 0, mipLevels_, 0, layers_};
  VkImageView v = VK_NULL_HANDLE;
  VK_CHECK(vkCreateImageView(device, &view, nullptr, &v));
  view_ = UniqueImageView(device, v);
  format_ = desc.format;
  width_ = desc.width;
  height_ = desc.height;
}

Image::~Image() { release(); }

void Image::release() {
  view_.reset();
  image_.reset();
  if (allocator_) allocator_->free(allocation_);
  allocation_ = {};
  allocator_ = nullptr;
}

Image::Image(Image&& o) noexcept
    : allocator_(std::exchange(o.allocator_, nullptr)),
      image_(std::move(o.image_)),
      view_(std::move(o.view_)),
      allocation_(std::exchange(o.allocation_, {})),
      format_(o.format_),
      width_(o.width_),
      height_(o.height_),
      layers_(o.layers_),
      mipLevels_(o.mipLevels_) {}

Image& Image::operator=(Image&& o) noexcept {
  if (this != &o) {
    release();
    allocator_ = std::exchange(o.allocator_, nullptr);
    image_ = std::move(o.image_);
    view_ = std::move(o.view_);
    allocation_ = std::exchange(o.allocation_, {});
    format_ = o.format_;
    width_ = o.width_;
    height_ = o.height_;
    layers_ = o.layers_;
    mipLevels_ = o.mipLevels_;
  }
  return *this;
}

}  // namespace pav::render
