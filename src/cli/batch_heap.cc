#include "cli/batch_heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace lava::cli {

void prepare_batch_heap() {
  // Many short-lived allocations: growing the heap in large steps and never trimming it
  // avoids most brk/mmap calls.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 32 << 20);
  mallopt(M_ARENA_MAX, 1);
  // Page faults dominate the cost of building big structures on virtual machines; huge
  // pages on the heap turn thousands of faults into a few. Growing the heap first (a block
  // under the mmap threshold, freed back to the top) makes the advice cover the memory
  // the work will use, not just the little already there. Untouched pages cost nothing.
  if (void* block = std::malloc(48 << 20)) {
    const uintptr_t huge = uintptr_t{2} << 20;
    auto start = (reinterpret_cast<uintptr_t>(block) + huge - 1) & ~(huge - 1);
    auto top = reinterpret_cast<uintptr_t>(sbrk(0)) & ~(huge - 1);
    if (top > start) madvise(reinterpret_cast<void*>(start), top - start, MADV_HUGEPAGE);
    std::free(block);
  }
}

}  // namespace lava::cli
