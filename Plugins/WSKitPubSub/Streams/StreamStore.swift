import Synchronization

/// The streams of one hub: the history rules, and one ``TopicStream`` per topic that has been
/// published to or recovered from, each behind its own lock (appending and fanning out are
/// atomic per topic; topics do not wait for each other).
final class StreamStore: Sendable {
    /// One topic's lock and stream.
    final class Slot: Sendable {
        let stream: Mutex<TopicStream>
        init(_ stream: TopicStream) { self.stream = Mutex(stream) }
    }

    let rules: [HistoryRule]
    /// The adapter, when it keeps streams in its broker (then offsets come from there).
    let shared: (any StreamingPubSubAdapter)?
    private let slots = Mutex<[String: Slot]>([:])

    init(rules: [HistoryRule], adapter: any PubSubAdapter) {
        self.rules = rules
        shared = rules.isEmpty || !adapter.loopsBack ? nil : adapter as? any StreamingPubSubAdapter
    }

    /// The rule of `topic` (normalised), or `nil` when it keeps no history.
    @inline(__always)
    func rule(for topic: String) -> HistoryRule? {
        if rules.isEmpty { return nil }
        return rules.first { topic.hasPrefix($0.prefix) }
    }

    /// Runs `body` with `topic`'s stream locked (creating the stream, with a new epoch, first).
    func withStream<R, E: Error>(
        _ topic: String, rule: HistoryRule, _ body: (TopicStream) throws(E) -> R
    ) throws(E) -> R {
        let slot = slots.withLock { slots -> Slot in
            if let slot = slots[topic] { return slot }
            let slot = Slot(TopicStream(rule: rule, epoch: Self.makeEpoch()))
            slots[topic] = slot
            return slot
        }
        return try slot.stream.withLock { stream throws(E) -> R in try body(stream) }
    }

    /// A new random epoch: 16 lowercase hex digits.
    static func makeEpoch() -> String {
        let value = UInt64.random(in: .min ... .max)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
