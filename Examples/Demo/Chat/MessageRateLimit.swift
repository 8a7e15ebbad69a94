import Synchronization
import WSKit

/// A token bucket per connection: `capacity` messages at once, refilled at `perSecond` — the
/// demo's "at most 10 messages per second from one connection". Used as router middleware: a
/// message over the limit is answered `RESOURCE_EXHAUSTED` with `retryAfterMs` and not handled.
public final class MessageRateLimit: Sendable {
    private struct Bucket {
        var tokens: Double
        var last: Int64
    }

    /// Burst size.
    public let capacity: Int
    /// Tokens added per second.
    public let perSecond: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// Creates a limiter.
    public init(capacity: Int = 10, perSecond: Double = 10) {
        self.capacity = capacity
        self.perSecond = perSecond
    }

    /// Takes one token for `key` at `now` (Unix ms); returns nil when allowed, or the milliseconds
    /// until a token is available.
    public func consume(_ key: String, now: Int64) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: Double(capacity), last: now)
            let elapsed = Double(max(0, now - bucket.last)) / 1000
            bucket.tokens = min(Double(capacity), bucket.tokens + elapsed * perSecond)
            bucket.last = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / perSecond * 1000).rounded(.up)))
        }
    }

    /// Forgets a connection's bucket.
    public func forget(_ key: String) {
        _ = buckets.withLock { $0.removeValue(forKey: key) }
    }

    /// The middleware: one token per routed message of the connection.
    public func middleware<Data: Sendable, Plugins: PluginSet>() -> Middleware<Data, Plugins> {
        Middleware { ctx, next in
            if let retryAfterMs = self.consume(ctx.clientId, now: ctx.clock.nowMs) {
                ctx.error(
                    .resourceExhausted, "Rate limit exceeded: at most \(self.capacity) messages per second",
                    details: ["capacity": .number(Double(self.capacity))], retryAfterMs: retryAfterMs)
                return
            }
            try await next()
        }
    }
}
