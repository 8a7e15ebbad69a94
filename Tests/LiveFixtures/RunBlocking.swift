import Glibc

/// Runs blocking test code (socket reads, `usleep` polling) on a thread of its own and awaits it.
///
/// Swift Testing runs tests on the cooperative thread pool, which has one thread per core (two
/// here). A test that blocks one of those threads starves every async test running beside it —
/// router handlers, clocks and timers stop making progress. Socket tests therefore do their
/// blocking work through this function. It stays in the calling task (only the executor
/// changes), so `#expect` inside `body` is attributed to the running test.
public func runBlocking<T: Sendable>(_ body: @Sendable () throws -> T) async throws -> T {
    try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) {
        // Hop onto the preferred executor before running the synchronous body.
        await Task.yield()
        return try body()
    }
}

/// A task executor that runs every job on a fresh thread, so jobs may block freely.
final class ThreadPerJobExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = ThreadPerJobExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let box = Unmanaged.passRetained(BlockingJob { job.runSynchronously(on: executor) }).toOpaque()
        var thread = pthread_t()
        if pthread_create(&thread, nil, { context in
            Unmanaged<BlockingJob>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, box) == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<BlockingJob>.fromOpaque(box).takeRetainedValue().run()
        }
    }
}

private final class BlockingJob {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
