import Synchronization
import WSKitRouter

/// One running RPC on the server: its exchange, deadline timer and progress throttle (the
/// client's request handle is `WSKitClient.RPCCall`).
@usableFromInline
final class RunningRPC: Sendable {
    let exchange: MessageExchange
    @usableFromInline let deadline: Int64?

    private struct State {
        var timer: RouterTimer?
        var stopped = false
        var lastProgressAt: Int64?
    }

    private let state = Mutex(State())

    init(exchange: MessageExchange, deadline: Int64?) {
        self.exchange = exchange
        self.deadline = deadline
    }

    func setTimer(_ timer: RouterTimer) {
        let stopNow = state.withLock { state -> Bool in
            if state.stopped { return true }
            state.timer = timer
            return false
        }
        if stopNow { timer.cancel() }
    }

    func stopTimer() {
        let timer = state.withLock { state -> RouterTimer? in
            state.stopped = true
            defer { state.timer = nil }
            return state.timer
        }
        timer?.cancel()
    }

    /// Whether a progress update may go out now under a throttle window; reserves the slot.
    @usableFromInline
    func admitProgress(now: Int64, window: Int?) -> Bool {
        state.withLock { state in
            if let window, window > 0, let last = state.lastProgressAt, now - last < Int64(window) { return false }
            state.lastProgressAt = now
            return true
        }
    }
}
