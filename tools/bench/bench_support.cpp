// bench_support.h's out-of-line parts: the counting allocators, and the helpers the real-time
// network benchmarks share.
//
// Index
//   [SECTION] Heap allocation counting
//   [SECTION] Samples and sessions
//
// ---- [SECTION] Heap allocation counting ---------------------------------------------------------
// operator new: replaced for the whole program (both it and delete use malloc / free, so
// they pair; GCC's pairing check cannot see that and is silenced for this file in CMake).
// malloc / calloc / realloc: a definition in the executable interposes on glibc's for every
// shared library too (ENet, Bullet, the Vulkan driver), and forwards to glibc's own entry
// points, so the heap itself is unchanged; free needs no counting and is left alone.
// Per-thread counts are thread_local in the executable (static TLS: touching them never
// allocates, so malloc may use them).
#include "bench_support.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <mutex>
#include <new>

#include "pav/cycling/cycling.h"
#include "pav/driving/driving.h"
#include "pav/hockey/hockey.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PAV_BENCH_COUNT_NEW 0
#else
#define PAV_BENCH_COUNT_NEW 1
#endif
#if PAV_BENCH_COUNT_NEW && defined(__GLIBC__)
#define PAV_BENCH_COUNT_MALLOC 1
#else
#define PAV_BENCH_COUNT_MALLOC 0
#endif

namespace {
std::atomic<uint64_t> gNews{0}, gMallocs{0};
thread_local uint64_t tNews = 0, tMallocs = 0;
}  // namespace

#if PAV_BENCH_COUNT_NEW
void* operator new(std::size_t n) {
  gNews.fetch_add(1, std::memory_order_relaxed);
  ++tNews;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

#if PAV_BENCH_COUNT_MALLOC
extern "C" {
void* __libc_malloc(size_t n);
void* __libc_calloc(size_t count, size_t n);
void* __libc_realloc(void* p, size_t n);

void* malloc(size_t n) noexcept {
  gMallocs.fetch_add(1, std::memory_order_relaxed);
  ++tMallocs;
  return __libc_malloc(n);
}
void* calloc(size_t count, size_t n) noexcept {
  gMallocs.fetch_add(1, std::memory_order_relaxed);
  ++tMallocs;
  return __libc_calloc(count, n);
}
void* realloc(void* p, size_t n) noexcept {
  gMallocs.fetch_add(1, std::memory_order_relaxed);
  ++tMallocs;
  return __libc_realloc(p, n);
}
}
#endif

namespace pav::bench {

bool countingNews() { return PAV_BENCH_COUNT_NEW != 0; }
bool countingMallocs() { return PAV_BENCH_COUNT_MALLOC != 0; }

HeapCounts processHeap() {
  return {gNews.load(std::memory_order_relaxed), gMallocs.load(std::memory_order_relaxed)};
}

HeapCounts threadHeap() { return {tNews, tMallocs}; }

// ---- [SECTION] Samples and sessions -------------------------------------------------------------

double percentile(std::vector<double> samples, double q) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const auto rank = size_t(std::clamp(q * double(samples.size()) + 0.5, 1.0, double(samples.size())));
  return samples[rank - 1];
}

double netMeasureSeconds() {
  if (const char* s = std::getenv("PAV_BENCH_NET_SECONDS"))
    if (const double v = std::atof(s); v > 0) return v;
  return 2.0;
}

void registerTitlesOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    hockey::registerHockeyTitle();
    driving::registerDrivingTitle();
    cycling::registerCyclingTitle();
  });
}

}  // namespace pav::bench
