// Counting C++ heap allocations in tests of per-frame and per-tick paths.
//
// A program that links pav_alloc_counter has the global operator new replaced by one that
// counts while a CountAllocations is alive (on any thread). Not for sanitizer builds: ASan
// owns operator new. The driver (Mesa, C) and other C code allocate with malloc and are not
// counted; the claim these tests make is about the engine's own code.
#pragma once

#include <cstdint>

namespace pav::test {

class CountAllocations {
 public:
  CountAllocations();   // starts counting from zero
  ~CountAllocations();  // stops counting
  CountAllocations(const CountAllocations&) = delete;
  CountAllocations& operator=(const CountAllocations&) = delete;
  uint64_t count() const;
};

// Heap allocations in steady frames: `frame()` runs one (a title stepped and its presenters'
// hud() drawn, say); `warmUp` frames first, then `counted` frames are counted.
template <class Frame>
uint64_t steadyAllocations(Frame&& frame, int warmUp = 30, int counted = 60 * 30) {
  for (int i = 0; i < warmUp; ++i) frame();
  CountAllocations counting;
  for (int i = 0; i < counted; ++i) frame();
  return counting.count();
}

}  // namespace pav::test
