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

}  // namespace pav::test
