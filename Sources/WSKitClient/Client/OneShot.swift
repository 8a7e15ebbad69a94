/// A value delivered once, awaited by any number of tasks; awaiting tasks that are cancelled get
/// `onCancel` run (once) and keep waiting for the value, which the cancel handler is expected to
/// supply.
final class OneShot<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiters: [CheckedContinuation<Value, Never>] = []
    }

    private let state = Locked(State())

    init() {}

    /// Delivers the value; false (and nothing happens) when one was already delivered.
    @discardableResult
    func complete(_ value: Value) -> Bool {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, Never>]? in
            guard state.value == nil else { return nil }
            state.value = value
            defer { state.waiters = [] }
            return state.waiters
        }
        guard let waiters else { return false }
        for waiter in waiters { waiter.resume(returning: value) }
        return true
    }

    /// The value, if delivered.
    var peek: Value? { state.withLock { $0.value } }

    /// Waits for the value. When the task is cancelled, runs `onCancel`, which must complete the
    /// value (for example with a cancellation error).
    func value(onCancel: @escaping @Sendable () -> Void) async -> Value {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
                let ready = state.withLock { state -> Value? in
                    if let value = state.value { return value }
                    state.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            onCancel()
        }
    }
}
