// The replaced global operator new / delete behind CountAllocations. Both sides use malloc /
// free, so they pair correctly (GCC 12 cannot see that and warns; silenced in CMake).
#include "alloc_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> gCounting{false};
std::atomic<uint64_t> gAllocations{0};
}  // namespace

void* operator new(std::size_t n) {
  if (gCounting.load(std::memory_order_relaxed)) gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace pav::test {

CountAllocations::CountAllocations() {
  gAllocations = 0;
  gCounting = true;
}
CountAllocations::~CountAllocations() { gCounting = false; }
uint64_t CountAllocations::count() const { return gAllocations.load(); }

}  // namespace pav::test
