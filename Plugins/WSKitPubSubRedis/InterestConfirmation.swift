import Synchronization
import WSKitPubSub

/// The outcome of one `SUBSCRIBE`, awaited by every subscription that needs it.
final class InterestConfirmation: Sendable {
    private struct State {
        var outcome: Result<Void, PubSubAdapterError>?
        var waiters: [CheckedContinuation<Result<Void, PubSubAdapterError>, Never>] = []
    }

    private let state = Mutex(State())

    func resolve(_ outcome: Result<Void, PubSubAdapterError>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Result<Void, PubSubAdapterError>, Never>] in
            guard state.outcome == nil else { return [] }
            state.outcome = outcome
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }

    func value() async -> Result<Void, PubSubAdapterError> {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Result<Void, PubSubAdapterError>? in
                if let outcome = state.outcome { return outcome }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}
