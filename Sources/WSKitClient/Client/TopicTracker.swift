import WSKitContract

/// A place in a server topic's stream, as the client tracks it: the epoch and the offset of the
/// last publication received (`meta.epoch`, `meta.offset`).
public struct TopicPosition: Sendable, Hashable, CustomStringConvertible {
    /// The stream's epoch.
    public var epoch: String
    /// The offset of the last publication received.
    public var offset: UInt64

    /// Creates a position.
    public init(epoch: String, offset: UInt64) {
        self.epoch = epoch
        self.offset = offset
    }

    /// `epoch:offset`.
    public var description: String { "\(epoch):\(offset)" }
}

/// The server's answer to a topic subscription (`$ws:subscribed`), sent on ``WebSocketClient/subscribe(topic:)``
/// and after every reconnect, before the replayed publications reach the handlers.
public struct TopicSubscriptionEvent: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// `true`: every publication missed since the last one received is replayed next, in order,
    /// then live ones. `false`: they could not be recovered (or this is the first subscription, or
    /// the topic keeps no history) — reload the state from its source.
    public var recovered: Bool
    /// How many publications are replayed.
    public var replayed: Int
    /// The stream's position the server answered with, if the topic keeps history.
    public var position: TopicPosition?
    /// The server's error code when the subscription was refused (`ACL_SUBSCRIBE`, …), else `nil`.
    public var errorCode: String?
    /// The server's error message, when refused.
    public var errorMessage: String?
}

/// The topics this client subscribed to on the server and the last position seen in each
/// (guarded by its `Locked`).
struct TopicTracker {
    /// Topic → last position (`nil` until a publication or answer carried one).
    var topics: [String: TopicPosition?] = [:]
    var observers: [UInt64: AsyncStream<TopicSubscriptionEvent>.Continuation] = [:]
    var nextObserver: UInt64 = 0

    /// The `$ws:subscribe` request for `topic` from its last position.
    func request(_ topic: String) -> [UInt8] {
        var payload: JSONObject = ["topic": .string(topic)]
        if let known = topics[topic], let position = known {
            payload["epoch"] = .string(position.epoch)
            payload["offset"] = .number(Double(position.offset))
        }
        var bytes: [UInt8] = []
        Envelope.serialize(type: "$ws:subscribe", meta: [:], payload: .object(payload), into: &bytes)
        return bytes
    }

    /// Notes the position of an inbound message; returns the event when it is a `$ws:subscribed`
    /// answer (which the handlers do not see).
    mutating func observe(_ envelope: Envelope) -> TopicSubscriptionEvent? {
        if envelope.type == "$ws:subscribed" {
            guard let fields = envelope.payload?.objectValue, let topic = fields["topic"]?.stringValue else { return nil }
            let error = fields["error"]?.objectValue
            var position: TopicPosition?
            if let epoch = fields["epoch"]?.stringValue, let offset = fields["offset"]?.intValue, offset >= 0 {
                position = TopicPosition(epoch: epoch, offset: UInt64(offset))
            }
            let recovered = fields["recovered"]?.boolValue ?? false
            // Recovered: the replay that follows moves the position. Not recovered: live
            // publications follow the answered position.
            if error == nil, !recovered, topics[topic] != nil { topics[topic] = .some(position) }
            // A refusal ends the subscription; a broker failure is retried (see observeTopics).
            if let code = error?["code"]?.stringValue, code != "ADAPTER_ERROR" { topics[topic] = nil }
            return TopicSubscriptionEvent(
                topic: topic, recovered: recovered, replayed: fields["replayed"]?.intValue ?? 0, position: position,
                errorCode: error?["code"]?.stringValue, errorMessage: error?["message"]?.stringValue)
        }
        guard let topic = envelope.meta["topic"]?.stringValue, topics[topic] != nil,
              let epoch = envelope.meta["epoch"]?.stringValue, let offset = envelope.meta["offset"]?.intValue, offset >= 0
        else { return nil }
        topics[topic] = .some(TopicPosition(epoch: epoch, offset: UInt64(offset)))
        return nil
    }
}

extension WebSocketClient {
    /// Subscribes to a server topic (`$ws:subscribe`; the server needs
    /// `PubSubPlugin(clientSubscriptions: true)`) and keeps it subscribed: after every reconnect
    /// the client resubscribes from the last position it received, so the server replays what
    /// was missed (in order, before live publications) or answers `recovered: false`. The answers
    /// arrive on ``topicEvents()``; publications reach the `on(_:)` handlers as usual.
    /// Subscribing while offline is sent when the connection opens.
    public func subscribe(topic: String) {
        let bytes = topicState.withLock { tracker -> [UInt8] in
            if tracker.topics[topic] == nil { tracker.topics[topic] = .some(nil) }
            return tracker.request(topic)
        }
        if let open = core.withLock({ $0.machine.state == .open ? $0.connection : nil }) { _ = open.send(utf8Text: bytes) }
    }

    /// Unsubscribes from a server topic (`$ws:unsubscribe`) and forgets its position.
    public func unsubscribe(topic: String) {
        let known = topicState.withLock { $0.topics.removeValue(forKey: topic) != nil }
        guard known else { return }
        var bytes: [UInt8] = []
        Envelope.serialize(type: "$ws:unsubscribe", meta: [:], payload: .object(["topic": .string(topic)]), into: &bytes)
        if let open = core.withLock({ $0.machine.state == .open ? $0.connection : nil }) { _ = open.send(utf8Text: bytes) }
    }

    /// The last position received on `topic` (`nil` when not subscribed or none yet).
    public func position(of topic: String) -> TopicPosition? {
        topicState.withLock { $0.topics[topic] ?? nil }
    }

    /// The server's answers to topic subscriptions, from now on (each reconnect answers again).
    public func topicEvents() -> AsyncStream<TopicSubscriptionEvent> {
        let (stream, continuation) = AsyncStream<TopicSubscriptionEvent>.makeStream()
        let id = topicState.withLock { tracker -> UInt64 in
            tracker.nextObserver &+= 1
            tracker.observers[tracker.nextObserver] = continuation
            return tracker.nextObserver
        }
        continuation.onTermination = { [weak self] _ in self?.topicState.withLock { _ = $0.observers.removeValue(forKey: id) } }
        return stream
    }

    /// Resubscribes every topic from its last position on the connection that just opened
    /// (before the offline queue is sent).
    func resubscribeTopics(on connection: WebSocketClientConnection) {
        let requests = topicState.withLock { tracker in tracker.topics.keys.sorted().map { tracker.request($0) } }
        for bytes in requests { _ = connection.send(utf8Text: bytes) }
    }

    /// Tracks positions; `true` when the message was a subscription answer (not for handlers).
    func observeTopics(_ envelope: Envelope) -> Bool {
        guard envelope.type == "$ws:subscribed" || envelope.meta["offset"] != nil else { return false }
        let (event, observers) = topicState.withLock { tracker in (tracker.observe(envelope), Array(tracker.observers.values)) }
        guard let event else { return false }
        for observer in observers { observer.yield(event) }
        if event.errorCode == "ADAPTER_ERROR" {
            // The server's broker failed: ask again in a second, from the same position.
            let clock = configuration.clock
            Task { [weak self] in
                try? await clock.sleep(for: .seconds(1))
                guard let self, self.topicState.withLock({ $0.topics[event.topic] != nil }) else { return }
                let bytes = self.topicState.withLock { $0.request(event.topic) }
                if let open = self.core.withLock({ $0.machine.state == .open ? $0.connection : nil }) { _ = open.send(utf8Text: bytes) }
            }
        }
        return true
    }
}
