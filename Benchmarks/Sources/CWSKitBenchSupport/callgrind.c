// callgrind client requests, when valgrind's headers were there at build time.
#include "CWSKitBenchSupport.h"
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define CWSKIT_HAVE_CALLGRIND 1
#endif
#endif

void cwskit_bench_callgrind_toggle(void) {
#ifdef CWSKIT_HAVE_CALLGRIND
    CALLGRIND_TOGGLE_COLLECT;
#endif
}

int cwskit_bench_running_on_valgrind(void) {
#ifdef CWSKIT_HAVE_CALLGRIND
    return RUNNING_ON_VALGRIND ? 1 : 0;
#else
    return 0;
#endif
}
