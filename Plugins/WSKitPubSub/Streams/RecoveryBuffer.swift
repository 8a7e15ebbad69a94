import Synchronization

/// One subscription recovering from a broker-kept stream: the sync marker it waits for, and the
/// publications that arrived after the marker, held (stamped, in offset order) until the
/// subscription merges them after the history. `held` and `synced` are guarded by the stream's
/// lock.
final class RecoveryBuffer: @unchecked Sendable {
    let token: String
    /// The marker arrived: every publication in the history was delivered, later ones are held.
    var synced = false
    var held: [PubSubMessage] = []
    private let waiter = Mutex<(done: Bool, timedOut: Bool, continuation: CheckedContinuation<Void, Never>?)>((false, false, nil))

    init(token: String) {
        self.token = token
    }

    /// Wakes ``wait(timeout:)``.
    func signal() {
        let continuation = waiter.withLock { state -> CheckedContinuation<Void, Never>? in
            state.done = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }

    /// Waits for ``signal()``; `false` after `timeout`.
    func wait(timeout: Duration) async -> Bool {
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.wake()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = waiter.withLock { state -> Bool in
                if state.done || state.timedOut { return true }
                state.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        return waiter.withLock { $0.done }
    }

    /// Resumes the waiter without marking it done (the timeout).
    private func wake() {
        let continuation = waiter.withLock { state -> CheckedContinuation<Void, Never>? in
            state.timedOut = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }
}
