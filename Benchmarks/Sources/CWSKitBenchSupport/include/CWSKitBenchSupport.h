// In-process helpers of the micro benchmarks: an allocation counter (malloc and friends are
// interposed in the wskit-bench executable) and callgrind collection toggles.
#ifndef CWSKIT_BENCH_SUPPORT_H
#define CWSKIT_BENCH_SUPPORT_H
#include <stdint.h>

/// Starts or stops counting allocations (off by default, so a server run by wskit-bench pays one
/// predictable branch per malloc).
void cwskit_bench_count_allocations(int enabled);
/// Allocations (malloc, calloc, realloc, aligned allocations) counted so far, on every thread.
uint64_t cwskit_bench_allocations(void);

/// Heap bytes in use (glibc's mallinfo2 `uordblks`).
uint64_t cwskit_bench_heap_in_use(void);

/// Toggles callgrind's collection (a no-op when not running under callgrind or built without
/// valgrind's headers). Run callgrind with --collect-atstart=no and toggle around the measured loop.
void cwskit_bench_callgrind_toggle(void);
/// Whether this process runs under valgrind.
int cwskit_bench_running_on_valgrind(void);

#endif
