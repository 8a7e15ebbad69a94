// Counts heap allocations by interposing the allocator entry points. The executable that links
// this file defines malloc & co., so the dynamic linker binds every library's calls (the Swift
// runtime's included) to these; they forward to glibc's __libc_* implementations.
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include "CWSKitBenchSupport.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static int counting = 0;
static uint64_t allocations = 0;
static inline void count(void) {
    if (__builtin_expect(counting, 0)) __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
}

void *malloc(size_t size) {
    count();
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
    count();
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size) {
    count();
    return __libc_realloc(p, size);
}

void free(void *p) { __libc_free(p); }

void *memalign(size_t alignment, size_t size) {
    count();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    count();
    void *p = __libc_memalign(alignment, size);
    if (!p && size) return ENOMEM;
    *out = p;
    return 0;
}

void cwskit_bench_count_allocations(int enabled) { __atomic_store_n(&counting, enabled, __ATOMIC_SEQ_CST); }

uint64_t cwskit_bench_allocations(void) { return __atomic_load_n(&allocations, __ATOMIC_RELAXED); }
