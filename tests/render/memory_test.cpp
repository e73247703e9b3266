// The sub-allocator on a real Vulkan device: placement honours alignment, live ranges never
// overlap, freed space is merged and reused, big requests get their own block, and buffers
// and images round-trip real data through the GPU.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>

#include "render_fixture.h"

namespace pav::test {
namespace {

using render::Allocation;
using render::Allocator;
using render::MemoryUsage;
using render::ResourceKind;

class Memory : public RenderTest {};

TEST_F(Memory, PlacementsAreAlignedDisjointAndInFewBlocks) {
  Allocator alloc(context().physicalDevice(), context().device(), 4u << 20);
  std::mt19937 rng(7);
  std::vector<Allocation> live;
  VkMemoryRequirements req{};
  req.memoryTypeBits = ~0u;
  for (int i = 0; i < 300; ++i) {
    req.size = 1 + rng() % 40000;
    req.alignment = VkDeviceSize(1) << (rng() % 9);  // 1 .. 256
    const Allocation a = alloc.allocate(req, MemoryUsage::Upload, ResourceKind::Linear);
    ASSERT_TRUE(a);
    EXPECT_EQ(a.offset % req.alignment, 0u);
    EXPECT_GE(a.size, req.size);
    ASSERT_NE(a.mapped, nullptr);  // host-visible memory is mapped for its lifetime
    live.push_back(a);
  }
  // No two live ranges in the same memory overlap.
  std::vector<Allocation> sorted = live;
  std::sort(sorted.begin(), sorted.end(), [](const Allocation& a, const Allocation& b) {
    return a.memory != b.memory ? a.memory < b.memory : a.offset < b.offset;
  });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i].memory == sorted[i - 1].memory) {
      EXPECT_LE(sorted[i - 1].offset + sorted[i - 1].size, sorted[i].offset);
    }
  }
  const auto s = alloc.stats();
  EXPECT_EQ(s.allocations, 300u);
  EXPECT_LE(s.blocks, 4u) << "about 6 MiB of requests should fit in a few 4 MiB blocks";
  for (const Allocation& a : live) alloc.free(a);
  EXPECT_EQ(alloc.stats().usedBytes, 0u);
  EXPECT_EQ(alloc.stats().allocations, 0u);
}

TEST_F(Memory, FreedSpaceIsMergedAndReused) {
  Allocator alloc(context().physicalDevice(), context().device(), 1u << 20);
  VkMemoryRequirements req{};
  req.memoryTypeBits = ~0u;
  req.alignment = 256;
  req.size = 256 << 10;  // four of these fill the 1 MiB block exactly
  Allocation a[4];
  for (auto& x : a) x = alloc.allocate(req, MemoryUsage::GpuOnly, ResourceKind::Linear);
  EXPECT_EQ(alloc.stats().blocks, 1u);
  // Free two neighbours; a request of twice the size must land in the merged hole.
  alloc.free(a[1]);
  alloc.free(a[2]);
  req.size = 512 << 10;
  const Allocation big = alloc.allocate(req, MemoryUsage::GpuOnly, ResourceKind::Linear);
  EXPECT_EQ(big.memory, a[0].memory);
  EXPECT_EQ(big.offset, a[1].offset);
  EXPECT_EQ(alloc.stats().blocks, 1u);
  alloc.free(big);
  alloc.free(a[0]);
  alloc.free(a[3]);
  EXPECT_EQ(alloc.stats().usedBytes, 0u);
}

TEST_F(Memory, RequestsLargerThanABlockGetTheirOwn) {
  Allocator alloc(context().physicalDevice(), context().device(), 1u << 20);
  VkMemoryRequirements req{};
  req.memoryTypeBits = ~0u;
  req.alignment = 64;
  req.size = 5u << 20;
  const Allocation a = alloc.allocate(req, MemoryUsage::GpuOnly, ResourceKind::Linear);
  ASSERT_TRUE(a);
  EXPECT_GE(alloc.stats().reservedBytes, VkDeviceSize(5u << 20));
  alloc.free(a);
}

TEST_F(Memory, BuffersAndImagesNeverShareABlock) {
  Allocator alloc(context().physicalDevice(), context().device());
  VkMemoryRequirements req{};
  req.memoryTypeBits = ~0u;
  req.alignment = 256;
  req.size = 4096;
  const Allocation buffer = alloc.allocate(req, MemoryUsage::GpuOnly, ResourceKind::Linear);
  const Allocation image = alloc.allocate(req, MemoryUsage::GpuOnly, ResourceKind::Optimal);
  EXPECT_NE(buffer.memory, image.memory);
  alloc.free(buffer);
  alloc.free(image);
}

TEST_F(Memory, DataRoundTripsThroughDeviceLocalBuffers) {
  // Upload -> device-local -> read-back, through real copies on the queue.
  render::Allocator& alloc = context().allocator();
  constexpr VkDeviceSize kBytes = 1 << 20;
  std::vector<uint32_t> data(kBytes / 4);
  std::iota(data.begin(), data.end(), 12345u);
  render::Buffer upload(alloc, {kBytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, MemoryUsage::Upload});
  render::Buffer device(alloc, {kBytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                MemoryUsage::GpuOnly});
  render::Buffer back(alloc, {kBytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUsage::Readback});
  upload.write(data.data(), kBytes);
  context().submitNow([&](VkCommandBuffer cmd) {
    const VkBufferCopy region{0, 0, kBytes};
    vkCmdCopyBuffer(cmd, upload.get(), device.get(), 1, &region);
    VkMemoryBarrier b{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    b.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &b, 0,
                         nullptr, 0, nullptr);
    vkCmdCopyBuffer(cmd, device.get(), back.get(), 1, &region);
    b.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &b, 0,
                         nullptr, 0, nullptr);
  });
  EXPECT_EQ(std::memcmp(back.mapped(), data.data(), kBytes), 0);
}

TEST_F(Memory, MovedOwnersFreeExactlyOnce) {
  render::Allocator& alloc = context().allocator();
  const auto before = alloc.stats().allocations;
  {
    render::Buffer a(alloc, {4096, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, MemoryUsage::GpuOnly});
    render::Buffer b = std::move(a);
    render::Buffer c;
    c = std::move(b);
    EXPECT_FALSE(a);
    EXPECT_TRUE(c);
    render::Image img(alloc, {64, 32, 2, VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_USAGE_SAMPLED_BIT});
    render::Image moved = std::move(img);
    EXPECT_EQ(moved.layers(), 2u);
    EXPECT_EQ(alloc.stats().allocations, before + 2);
  }
  EXPECT_EQ(alloc.stats().allocations, before);
}

TEST_F(Memory, WritePastTheEndIsRefused) {
  render::Buffer b(context().allocator(), {64, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, MemoryUsage::Upload});
  const char bytes[128] = {};
  EXPECT_THROW(b.write(bytes, sizeof bytes), pav::Error);
  render::Buffer gpu(context().allocator(), {64, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, MemoryUsage::GpuOnly});
  if (!gpu.mapped()) {
    EXPECT_THROW(gpu.write(bytes, 16), pav::Error);
  }
}

}  // namespace
}  // namespace pav::test
