/// How long to wait between reconnect attempts: exponential, capped, with jitter.
///
/// The n-th consecutive failed attempt (0-based) waits `initial * multiplier^n`, capped at
/// `maximum`, then scaled by a random factor in `1 - jitter ... 1 + jitter` (and capped again).
/// The attempt count resets once a connection completes its handshake.
public struct RedisReconnectBackoff: Sendable, Hashable {
    /// The first delay. Default 100 ms.
    public var initial: Duration
    /// The longest delay. Default 10 s.
    public var maximum: Duration
    /// The growth factor per failed attempt. Default 2.
    public var multiplier: Double
    /// The relative spread, 0 (none) to 1. Default 0.2 (±20 %), so that many instances do not
    /// reconnect in lockstep after an outage.
    public var jitter: Double

    /// Creates a policy; every parameter defaults to the value documented on its property.
    public init(
        initial: Duration = .milliseconds(100),
        maximum: Duration = .seconds(10),
        multiplier: Double = 2,
        jitter: Double = 0.2
    ) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The delay before attempt `attempt + 1`, given a uniform random number in `0 ..< 1`.
    public func delay(afterFailedAttempt attempt: Int, random: Double) -> Duration {
        let initialSeconds = Self.seconds(initial)
        let maximumSeconds = Self.seconds(maximum)
        var base = initialSeconds
        var step = 0
        while step < attempt, base < maximumSeconds {
            base *= max(multiplier, 1)
            step += 1
        }
        base = min(base, maximumSeconds)
        let spread = min(max(jitter, 0), 1)
        let factor = 1 - spread + 2 * spread * min(max(random, 0), 1)
        let seconds = min(max(base * factor, 0), maximumSeconds)
        return .nanoseconds(Int64(seconds * 1e9))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
