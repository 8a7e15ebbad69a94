// Samples of CPU time and memory from /proc: the servers under test, the whole machine, ourselves.
#ifndef CWSKIT_LOAD_PROCSTAT_H
#define CWSKIT_LOAD_PROCSTAT_H

/// VmRSS of a process in KiB, or -1.
long procstat_rss_kb(int pid);
/// User + system CPU seconds of a whole process (all threads), or -1.
double procstat_cpu_s(int pid);
/// Busy CPU seconds of the whole machine (all cores), from /proc/stat.
double procstat_machine_busy_s(void);
/// User + system CPU seconds of this process.
double procstat_self_cpu_s(void);
/// Monotonic nanoseconds.
unsigned long long procstat_now_ns(void);

#endif
