import WSKitContract

/// How `WebSocketClient.request(_:_:retry:)` retries a request that failed.
///
/// A server error is retried when the error says so (`retryable`, or else the code's default:
/// `DEADLINE_EXCEEDED`, `RESOURCE_EXHAUSTED`, `UNAVAILABLE`, `ABORTED`), after `retryAfterMs` when
/// the server gave one, otherwise after an exponential, fully jittered backoff. `retryAfterMs: null`
/// means retrying cannot succeed, and is never retried. Timeouts and lost connections are retried
/// only when enabled, since the request may have taken effect.
public struct RetryPolicy: Sendable {
    /// Total attempts, the first included. Default 3.
    public var maxAttempts: Int
    /// The backoff bound of the first retry when the server suggests no delay. Default 100 ms.
    public var initialDelay: Duration
    /// The largest backoff bound. Default 5 s.
    public var maxDelay: Duration
    /// The longest `retryAfterMs` honoured; a server asking for longer ends the retries. Default 60 s.
    public var maxRetryAfter: Duration
    /// Retry after `.timeout`. Default false.
    public var retriesTimeouts: Bool
    /// Retry after `.connectionClosed` (the retry waits in the offline queue for the reconnect).
    /// Default false.
    public var retriesConnectionLoss: Bool

    /// Creates a policy; every parameter has the default documented on its property.
    public init(
        maxAttempts: Int = 3,
        initialDelay: Duration = .milliseconds(100),
        maxDelay: Duration = .seconds(5),
        maxRetryAfter: Duration = .seconds(60),
        retriesTimeouts: Bool = false,
        retriesConnectionLoss: Bool = false
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.retriesTimeouts = retriesTimeouts
        self.retriesConnectionLoss = retriesConnectionLoss
    }

    /// Three attempts, 100 ms … 5 s backoff, server errors only.
    public static var `default`: RetryPolicy { RetryPolicy() }

    /// The wait before retry number `retry` (1-based) after `error`, or nil to stop.
    /// `unit` is a random number in `0 ..< 1` (full jitter of the backoff).
    public func delay(after error: WebSocketClientError, retry: Int, unit: Double) -> Duration? {
        guard retry < maxAttempts else { return nil }
        let backoff = ReconnectPolicy(initialDelay: initialDelay, maxDelay: maxDelay).delay(forAttempt: retry, unit: unit)
        switch error {
        case .server(let wire):
            guard wire.shouldRetry else { return nil }
            if let milliseconds = wire.retryAfterMs {
                let wait = Duration.milliseconds(milliseconds)
                return wait <= maxRetryAfter ? wait : nil
            }
            return backoff
        case .timeout:
            return retriesTimeouts ? backoff : nil
        case .connectionClosed:
            return retriesConnectionLoss ? backoff : nil
        case .validation, .connectionFailed, .state, .cancelled:
            return nil
        }
    }
}
