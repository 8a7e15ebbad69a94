import Glibc

/// Runs blocking test code (socket reads, `usleep` polling) on a thread of its own and awaits it.
///
/// Swift Testing runs tests on the cooperative thread pool, which has one thread per core (two
/// here). A test that blocks one of those threads starves every async test running beside it —
/// router handlers, clocks and timers stop making progress. Socket tests therefore do their
/// blocking work through this function.
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let box = Unmanaged.passRetained(BlockingJob {
            continuation.resume(with: Result { try body() })
        }).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            Unmanaged<BlockingJob>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, box)
        if result == 0 {
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
