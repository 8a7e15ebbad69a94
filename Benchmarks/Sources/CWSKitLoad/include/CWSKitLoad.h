// The load generator of the benchmark suite (`wskit-bench load ...`): a single-threaded epoll
// WebSocket client written in C so that it is never the bottleneck of what it measures.
#ifndef CWSKIT_LOAD_H
#define CWSKIT_LOAD_H

/// Runs the load generator with command-line arguments (argv[0] is the mode: echo, bcast, hold).
/// Prints one JSON object per line on stdout; returns the process exit status.
int cwskit_load_main(int argc, char **argv);

#endif
