import WSKitContract
import WSKitMetrics
import WSKitRouter

/// Where a publish stands after its synchronous part (``PubSubHub/submit(_:to:timestamp:exclude:publisher:mode:)``).
@usableFromInline
enum PublishSubmission: Sendable {
    /// Settled: refused, failed, or published without waiting.
    case settled(PublishResult)
    /// Checked and framed; the adapter's acknowledgement is awaited next.
    case awaitingAdapter(PubSubMessage)

    /// The result of an ``PublishMode/immediate`` submission (always settled).
    @usableFromInline
    var settledResult: PublishResult {
        switch self {
        case let .settled(result): result
        case let .awaitingAdapter(message):
            preconditionFailure("an immediate publish to \(message.topic) was left awaiting the adapter")
        }
    }
}

extension PubSubHub {
    /// Every publish goes through here: an `async` entry point awaits ``publish(_:to:timestamp:exclude:publisher:mode:)``,
    /// `publishNow` calls ``submit(_:to:timestamp:exclude:publisher:mode:)`` with ``PublishMode/immediate``.
    @usableFromInline
    func publish(
        _ content: PublishContent, to topic: String, timestamp: Int64, exclude: String?, publisher: ConnectionCore?,
        mode: PublishMode
    ) async -> PublishResult {
        switch submit(content, to: topic, timestamp: timestamp, exclude: exclude, publisher: publisher, mode: mode) {
        case let .settled(result): return result
        case let .awaitingAdapter(message):
            let result = await dispatch(message)
            if result.isPublished { notifyPublished(content, topic: message.topic, publisher: publisher) }
            return result
        }
    }

    /// The synchronous part of a publish: checks and frames it; with ``PublishMode/immediate``
    /// also hands it to the adapter and the local subscribers (never suspends).
    @usableFromInline
    func submit(
        _ content: PublishContent, to topic: String, timestamp: Int64, exclude: String?, publisher: ConnectionCore?,
        mode: PublishMode
    ) -> PublishSubmission {
        let message: PubSubMessage
        switch prepare(content, to: topic, timestamp: timestamp, exclude: exclude, publisher: publisher) {
        case let .success(prepared): message = prepared
        case let .failure(error): return .settled(failure(error))
        }
        guard mode == .immediate else { return .awaitingAdapter(message) }
        let result = dispatchNow(message)
        if result.isPublished { notifyPublished(content, topic: message.topic, publisher: publisher) }
        return .settled(result)
    }

    /// Tells the router's observers about a published typed message (raw bytes are not reported).
    private func notifyPublished(_ content: PublishContent, topic: String, publisher: ConnectionCore?) {
        guard case let .envelope(type, payload, meta) = content else { return }
        notify(PublishRecord(topic: topic, type: type, payload: payload, meta: meta, publisherClientId: publisher?.clientId))
    }

    /// Publishes a checked message and waits for the adapter. With a loopback adapter the broker
    /// delivers (to this instance too); otherwise the adapter is asked first and, when it
    /// accepted, the local subscribers get it now. A failure means nobody got it.
    private func dispatch(_ message: PubSubMessage) async -> PublishResult {
        if adapter.loopsBack {
            let matched = localCount(message.topic, excluding: message.excludeClientId)
            let outcome: Result<PubSubAcknowledgement, PubSubAdapterError>
            if let shared = streams.shared, let rule = streams.rule(for: message.topic) {
                outcome = await shared.publish(message, appendingTo: rule)
            } else {
                outcome = await adapter.publish(message)
            }
            switch outcome {
            case let .success(ack): return published(matched: matched, instances: ack.instancesReached)
            case let .failure(error): return failed(message.topic, error)
            }
        }
        switch await adapter.publish(message) {
        case let .success(ack): return published(matched: deliverInOrder(message), instances: ack.instancesReached)
        case let .failure(error): return failed(message.topic, error)
        }
    }

    /// ``dispatch(_:)`` without waiting: a loopback adapter only starts the publish (failures
    /// found later are reported); failures known at once (an outage) are returned.
    private func dispatchNow(_ message: PubSubMessage) -> PublishResult {
        if adapter.loopsBack {
            let matched = localCount(message.topic, excluding: message.excludeClientId)
            let outcome: Result<Void, PubSubAdapterError>
            if let shared = streams.shared, let rule = streams.rule(for: message.topic) {
                outcome = shared.post(message, appendingTo: rule)
            } else {
                outcome = adapter.post(message)
            }
            switch outcome {
            case .success: return published(matched: matched, instances: nil)
            case let .failure(error): return failed(message.topic, error)
            }
        }
        switch adapter.post(message) {
        case .success: return published(matched: deliverInOrder(message), instances: nil)
        case let .failure(error): return failed(message.topic, error)
        }
    }

    private func published(matched: Int, instances: Int?) -> PublishResult {
        counters.published.add(1, ordering: .relaxed)
        metrics.count(.pubSubPublishes, 1)
        return .published(PublishReceipt(matched: matched, instancesReached: instances, adapter: adapter.name))
    }

    private func failed(_ topic: String, _ error: PubSubAdapterError) -> PublishResult {
        counters.failedPublishes.add(1, ordering: .relaxed)
        return .failed(PublishError(.adapterError, topic: topic, adapterError: error, message: "Not published: \(error)"))
    }

    /// Local subscribers of `topic` but the excluded connection.
    func localCount(_ topic: String, excluding exclude: String?) -> Int {
        index.withLock { index -> Int in
            guard let entry = index.topics[topic] else { return 0 }
            guard let exclude else { return entry.count }
            var count = entry.count
            for group in entry.groups {
                for member in group.members where member.clientId == exclude { count -= 1 }
            }
            return count
        }
    }

    /// Fans a message out to this instance's subscribers: the frame is encoded once; each loop's
    /// members get it in one unit of work on that loop (inline when the caller is on it).
    /// Returns the subscribers matched.
    @discardableResult
    func deliverLocally(_ message: PubSubMessage) -> Int {
        guard let groups = index.withLock({ $0.topics[message.topic]?.groups }), !groups.isEmpty else {
            counters.received.add(1, ordering: .relaxed)
            return 0
        }
        let prepared = PreparedMessage(message, encoder: FanOut.frameEncoder(of: groups))
        let matched = FanOut.deliver(prepared, to: groups, exclude: message.excludeClientId, counters: counters)
        counters.received.add(1, ordering: .relaxed)
        metrics.count(.pubSubDeliveries, matched)
        return matched
    }
}
