// A log-linear histogram of nanosecond values (16 sub-buckets per power of two, about 6% precision).
#ifndef CWSKIT_LOAD_HISTOGRAM_H
#define CWSKIT_LOAD_HISTOGRAM_H
#include <stdint.h>

#define HISTOGRAM_BUCKETS 1024

typedef struct histogram {
    uint64_t counts[HISTOGRAM_BUCKETS];
    uint64_t count;
    uint64_t sum;
    uint64_t max;
} histogram;

void histogram_reset(histogram *h);
void histogram_add(histogram *h, uint64_t value);
/// The value at quantile q (0...1), in microseconds; 0 when empty.
double histogram_quantile_us(const histogram *h, double q);
/// The mean, in microseconds; 0 when empty.
double histogram_mean_us(const histogram *h);

#endif
