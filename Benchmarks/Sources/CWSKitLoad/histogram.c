#include "histogram.h"
#include <string.h>

void histogram_reset(histogram *h) { memset(h, 0, sizeof *h); }

static inline int bucket_of(uint64_t v) {
    if (v < 16) return (int)v;
    int msb = 63 - __builtin_clzll(v);
    int shift = msb - 4;
    return (msb - 3) * 16 + (int)((v >> shift) & 15);
}

static double bucket_mid(int b) {
    if (b < 16) return (double)b;
    int group = b / 16, sub = b % 16;
    int shift = group - 1;
    double lower = (double)((uint64_t)(16 + sub) << shift);
    double upper = (double)((uint64_t)(17 + sub) << shift);
    return (lower + upper) / 2;
}

void histogram_add(histogram *h, uint64_t v) {
    h->counts[bucket_of(v)]++;
    h->count++;
    h->sum += v;
    if (v > h->max) h->max = v;
}

double histogram_quantile_us(const histogram *h, double q) {
    if (h->count == 0) return 0;
    uint64_t rank = (uint64_t)(q * (double)h->count);
    if (rank >= h->count) rank = h->count - 1;
    uint64_t seen = 0;
    for (int b = 0; b < HISTOGRAM_BUCKETS; b++) {
        seen += h->counts[b];
        if (seen > rank) {
            double v = bucket_mid(b);
            if (v > (double)h->max) v = (double)h->max;
            return v / 1000.0;
        }
    }
    return (double)h->max / 1000.0;
}

double histogram_mean_us(const histogram *h) {
    return h->count ? (double)h->sum / (double)h->count / 1000.0 : 0;
}
