/// Which topics keep history (a stream), and how much (``PubSubPlugin/history``).
///
/// A topic matching a rule is a **stream**: every publish to it gets an offset, strictly
/// increasing within the stream's epoch, and is kept for recovery (``Topics/subscribe(_:from:)``).
/// The first rule whose prefix matches wins; topics matching none keep no history (today's
/// behaviour).
///
/// ```swift
/// PubSubPlugin(history: [
///     HistoryRule(prefix: "room:", size: 500, ttl: .seconds(300)),
///     .latest(prefix: "price:"),          // keep only the last publication
/// ])
/// ```
public struct HistoryRule: Sendable, Hashable {
    /// Topics (normalised) that start with this; `""` matches every topic.
    public var prefix: String
    /// The most publications kept (at least 1); older ones are trimmed.
    public var size: Int
    /// How long a publication is kept; `nil` keeps it until trimmed by ``size``.
    public var ttl: Duration?
    /// Whether a subscription that cannot (or does not ask to) recover still receives the latest
    /// publication ("latest value" mode).
    public var deliversLatestOnSubscribe: Bool

    /// Creates a rule.
    public init(prefix: String, size: Int, ttl: Duration? = nil, deliversLatestOnSubscribe: Bool = false) {
        self.prefix = prefix
        self.size = size
        self.ttl = ttl
        self.deliversLatestOnSubscribe = deliversLatestOnSubscribe
    }

    /// "Latest value" mode: keeps only the last publication and hands it to every new subscriber.
    public static func latest(prefix: String, ttl: Duration? = nil) -> HistoryRule {
        HistoryRule(prefix: prefix, size: 1, ttl: ttl, deliversLatestOnSubscribe: true)
    }

    /// The TTL in milliseconds (`nil`: none).
    var ttlMs: Int64? {
        guard let ttl else { return nil }
        let (seconds, attoseconds) = ttl.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
