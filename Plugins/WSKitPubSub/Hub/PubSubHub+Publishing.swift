import WSKitContract
import WSKitRouter

extension PubSubHub {
    /// Publishes a checked message and waits for the adapter. With a loopback adapter the broker
    /// delivers (to this instance too); otherwise the adapter is asked first and, when it
    /// accepted, the local subscribers get it now. A failure means nobody got it.
    func publish(_ message: PubSubMessage) async -> PublishResult {
        if adapter.loopsBack {
            let matched = localCount(message.topic, excluding: message.excludeClientId)
            switch await adapter.publish(message) {
            case let .success(ack): return published(matched: matched, instances: ack.instancesReached)
            case let .failure(error): return failed(message.topic, error)
            }
        }
        switch await adapter.publish(message) {
        case let .success(ack): return published(matched: deliverLocally(message), instances: ack.instancesReached)
        case let .failure(error): return failed(message.topic, error)
        }
    }

    /// ``publish(_:)`` without waiting: a loopback adapter only starts the publish (failures
    /// found later are reported); failures known at once (an outage) are returned.
    func publishNow(_ message: PubSubMessage) -> PublishResult {
        if adapter.loopsBack {
            let matched = localCount(message.topic, excluding: message.excludeClientId)
            switch adapter.post(message) {
            case .success: return published(matched: matched, instances: nil)
            case let .failure(error): return failed(message.topic, error)
            }
        }
        switch adapter.post(message) {
        case .success: return published(matched: deliverLocally(message), instances: nil)
        case let .failure(error): return failed(message.topic, error)
        }
    }

    private func published(matched: Int, instances: Int?) -> PublishResult {
        counters.published.add(1, ordering: .relaxed)
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

    /// The frame encoder of the first subscriber whose host takes encoded frames (hosts encode
    /// alike: RFC 6455), or `nil` when none does.
    private static func frameEncoder(of groups: ContiguousArray<LoopGroup>) -> (any FrameEncoder)? {
        for group in groups {
            for member in group.members { if let frames = member.frames { return frames.frameEncoder } }
        }
        return nil
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
        let prepared = PreparedMessage(message, encoder: Self.frameEncoder(of: groups))
        let exclude = message.excludeClientId
        var matched = 0
        for group in groups {
            var count = group.members.count
            if let exclude {
                for member in group.members where member.clientId == exclude { count -= 1 }
                if count == 0 { continue }
            }
            matched += count
            let delivery = Delivery(message: prepared, members: group.members, exclude: exclude, counters: counters)
            if let mailbox = group.mailbox {
                mailbox.submit(delivery)
            } else {
                delivery.run()
            }
        }
        counters.received.add(1, ordering: .relaxed)
        counters.deliveries.add(matched, ordering: .relaxed)
        return matched
    }
}
