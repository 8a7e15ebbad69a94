import Synchronization

extension RouterClock {
    /// Suspends for `duration` of this clock's time (at millisecond resolution); throws `CancellationError` as soon as
    /// the calling task is cancelled (an RPC abort, deadline or disconnect), and cancels its timer.
    ///
    /// Handlers should wait with this rather than `Task.sleep`, so that a test harness's fake clock
    /// controls the wait.
    public func sleep(for duration: Duration) async throws {
        let gate = SleepGate()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                guard gate.install(continuation) else { return }
                gate.setTimer(schedule(after: duration) { gate.finish(cancelled: false) })
            }
        } onCancel: {
            gate.finish(cancelled: true)
        }
    }
}

/// Joins a sleeping continuation, its timer and cancellation, whichever comes first.
final class SleepGate: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Void, any Error>?
        var timer: RouterTimer?
        var cancelled = false
        var done = false
    }

    private let state = Mutex(State())

    /// Stores the continuation; resumes it at once (and returns `false`) if cancellation won.
    func install(_ continuation: CheckedContinuation<Void, any Error>) -> Bool {
        let cancelledEarly = state.withLock { state -> Bool in
            if state.cancelled {
                state.done = true
                return true
            }
            state.continuation = continuation
            return false
        }
        if cancelledEarly { continuation.resume(throwing: CancellationError()) }
        return !cancelledEarly
    }

    /// Keeps the timer so cancellation can stop it; stops it at once if already done.
    func setTimer(_ timer: RouterTimer) {
        let stopNow = state.withLock { state -> Bool in
            if state.done { return true }
            state.timer = timer
            return false
        }
        if stopNow { timer.cancel() }
    }

    /// Resumes the sleeper once: normally when the timer fires, with `CancellationError` when the
    /// task is cancelled.
    func finish(cancelled: Bool) {
        let (continuation, timer) = state.withLock { state -> (CheckedContinuation<Void, any Error>?, RouterTimer?) in
            if state.done { return (nil, nil) }
            if state.continuation == nil {
                // Cancelled before the continuation was installed: install() will see it.
                if cancelled { state.cancelled = true }
                return (nil, nil)
            }
            state.done = true
            let pair = (state.continuation, state.timer)
            state.continuation = nil
            state.timer = nil
            return pair
        }
        guard let continuation else { return }
        if cancelled {
            timer?.cancel()
            continuation.resume(throwing: CancellationError())
        } else {
            continuation.resume()
        }
    }
}
