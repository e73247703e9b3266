// Proves the counter can see an allocation, in every test program that links it: without this,
// a "zero allocations" test would also pass if the replacement were not in effect.
#include <gtest/gtest.h>

#include <vector>

#include "alloc_counter.h"

TEST(AllocationCounter, SeesAllocations) {
  pav::test::CountAllocations counting;
  auto* v = new std::vector<int>(100);
  const uint64_t seen = counting.count();
  delete v;
  EXPECT_GE(seen, 2u);
}
