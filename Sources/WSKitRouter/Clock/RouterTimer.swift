/// A timer started with ``RouterClock/schedule(after:_:)``.
public struct RouterTimer: Sendable {
    private let cancelAction: @Sendable () -> Void

    /// Creates a timer handle from the clock's cancel operation (which must be idempotent).
    public init(cancel: @escaping @Sendable () -> Void) {
        cancelAction = cancel
    }

    /// Cancels the timer. Idempotent; does nothing once it has fired.
    public func cancel() { cancelAction() }
}
