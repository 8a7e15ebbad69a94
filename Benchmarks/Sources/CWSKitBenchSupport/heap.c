// Heap bytes in use, from glibc's mallinfo2 (not visible through Swift's Glibc module).
#include <malloc.h>
#include "CWSKitBenchSupport.h"

uint64_t cwskit_bench_heap_in_use(void) { return (uint64_t)mallinfo2().uordblks; }
