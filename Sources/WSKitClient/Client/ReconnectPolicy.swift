/// When and how fast `WebSocketClient` reconnects after a connection fails or drops.
///
/// The delay before reconnect attempt *n* (1, 2, …) is `min(maxDelay, initialDelay × 2^(n−1))`;
/// with full jitter the client waits a uniformly random fraction of it, which spreads a crowd of
/// clients out after a server restart. The attempt counter resets when a connection opens.
///
/// Closes that say "do not come back" are not retried: by default close codes 1008 (policy
/// violation, what auth middleware sends), 4401 and 4403 (application auth refusals), and
/// HTTP 401 and 403 answers to the upgrade. A rejected TLS certificate (expired, wrong host,
/// unknown CA) is never retried either (`TransportError.isTerminal`).
public struct ReconnectPolicy: Sendable {
    /// How the delay is randomised.
    public enum Jitter: Sendable, Hashable {
        /// Wait a uniformly random duration in `0 … delay` ("full jitter").
        case full
        /// Wait exactly `delay`.
        case none
    }

    /// Whether the client reconnects at all.
    public var isEnabled: Bool
    /// The delay bound of the first attempt. Default 300 ms.
    public var initialDelay: Duration
    /// The largest delay bound. Default 10 s.
    public var maxDelay: Duration
    /// Consecutive failed attempts after which the client gives up; nil retries forever (default).
    public var maxAttempts: Int?
    /// The randomisation. Default `.full`.
    public var jitter: Jitter
    /// Close codes after which the client stays closed. Default 1008, 4401, 4403.
    public var terminalCloseCodes: Set<UInt16>
    /// HTTP statuses (answering the upgrade) after which the client stays closed. Default 401, 403.
    public var terminalHTTPStatuses: Set<Int>
    /// Decides instead of the two sets, when set: return true to reconnect after this close.
    public var shouldReconnect: (@Sendable (WebSocketCloseInfo) -> Bool)?

    /// Creates a policy; every parameter has the default documented on its property.
    public init(
        isEnabled: Bool = true,
        initialDelay: Duration = .milliseconds(300),
        maxDelay: Duration = .seconds(10),
        maxAttempts: Int? = nil,
        jitter: Jitter = .full,
        terminalCloseCodes: Set<UInt16> = [1008, 4401, 4403],
        terminalHTTPStatuses: Set<Int> = [401, 403],
        shouldReconnect: (@Sendable (WebSocketCloseInfo) -> Bool)? = nil
    ) {
        self.isEnabled = isEnabled
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxAttempts = maxAttempts
        self.jitter = jitter
        self.terminalCloseCodes = terminalCloseCodes
        self.terminalHTTPStatuses = terminalHTTPStatuses
        self.shouldReconnect = shouldReconnect
    }

    /// No reconnection.
    public static var disabled: ReconnectPolicy { ReconnectPolicy(isEnabled: false) }

    /// The delay bound of attempt `attempt` (1-based), before jitter.
    public func delayBound(forAttempt attempt: Int) -> Duration {
        guard attempt > 1 else { return min(initialDelay, maxDelay) }
        var delay = initialDelay
        for _ in 1 ..< min(attempt, 64) {
            delay = delay * 2
            if delay >= maxDelay { return maxDelay }
        }
        return min(delay, maxDelay)
    }

    /// The delay before attempt `attempt` (1-based); `unit` is a random number in `0 ..< 1`.
    public func delay(forAttempt attempt: Int, unit: Double) -> Duration {
        let bound = delayBound(forAttempt: attempt)
        switch jitter {
        case .none: return bound
        case .full: return bound * min(max(unit, 0), 1)
        }
    }

    /// Whether the close allows a reconnect (ignoring `isEnabled` and `maxAttempts`).
    public func allowsReconnect(after close: WebSocketCloseInfo) -> Bool {
        if let shouldReconnect { return shouldReconnect(close) }
        if let status = close.httpStatus, terminalHTTPStatuses.contains(status.code) { return false }
        if case .transport(let error) = close.cause, error.isTerminal { return false }
        switch close.cause {
        case .serverClosed, .protocolViolation:
            return !terminalCloseCodes.contains(close.code.rawValue)
        default:
            return true
        }
    }
}
