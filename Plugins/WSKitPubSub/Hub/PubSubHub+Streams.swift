import WSKitRouter

extension PubSubHub {
    /// Fans a message out to this instance's subscribers; on a stream topic it first gets its
    /// offset and is kept, with the stream locked until the fan-out was handed over, so that the
    /// order of offsets is the order of delivery.
    @discardableResult
    func deliverInOrder(_ message: PubSubMessage) -> Int {
        guard let rule = streams.rule(for: message.topic) else { return deliverLocally(message) }
        let now = clock.nowMs
        return streams.withStream(message.topic, rule: rule) { stream in
            deliverLocally(stream.append(message, nowMs: now))
        }
    }

    /// Subscribes a connection to `topic` from `position`: with the topic's stream locked, the
    /// connection joins the topic and gets every kept publication after the position (through
    /// its loop's queue, ahead of any live one), so nothing is missed or repeated.
    func subscribe(
        _ topic: String, from position: StreamPosition?, state: PubSubConnectionState, connection: ConnectionCore
    ) async throws(PubSubError) -> StreamRecovery {
        let name = configuration.topicRules.normalize(topic)
        guard let rule = streams.rule(for: name) else {
            _ = try await subscribe([name], state: state, connection: connection)
            return StreamRecovery(recovered: false, position: nil, replayed: 0)
        }
        if connection.isClosed { throw PubSubError(.connectionClosed, topic: name, message: "The connection is closed") }
        try admit([name], connection: connection)
        let now = clock.nowMs
        let (recovery, added) = try streams.withStream(name, rule: rule) { stream throws(PubSubError) -> (StreamRecovery, Bool) in
            let (member, added) = try join(name, state: state)
            guard added else {
                return (StreamRecovery(recovered: position == stream.position, position: stream.position, replayed: 0), false)
            }
            var replay: [TopicStream.Entry] = []
            var recovered = false
            if let position, position.epoch == stream.epoch, let missed = stream.publications(after: position.offset, nowMs: now) {
                recovered = true
                replay = Array(missed)
            } else if rule.deliversLatestOnSubscribe, let latest = stream.latest(nowMs: now) {
                replay = [latest]
            }
            for entry in replay { send(entry.message, to: member) }
            return (StreamRecovery(recovered: recovered, position: stream.position, replayed: replay.count), true)
        }
        if added { try await confirm([name], state: state, restoring: []) }
        return recovery
    }

    /// Adds the connection's member to `topic` (already admitted), or finds it there.
    private func join(_ topic: String, state: PubSubConnectionState) throws(PubSubError) -> (TopicMember, Bool) {
        let limit = configuration.maxTopicsPerConnection
        return try index.withLock { index throws(PubSubError) -> (TopicMember, Bool) in
            guard let member = state.member, !member.closed else {
                throw PubSubError(.connectionClosed, topic: topic, message: "The connection is closed")
            }
            if member.memberships[topic] != nil { return (member, false) }
            if member.order.count + 1 > limit {
                throw PubSubError(
                    .topicLimitExceeded, topic: topic,
                    message: "At most \(limit) topics per connection (\(member.order.count) subscribed)")
            }
            if index.insert(member, into: topic) { adapter.updateInterest(subscribe: [topic], unsubscribe: []) }
            return (member, true)
        }
    }

    /// Hands one kept publication to one member, through its loop's queue like a live one.
    private func send(_ message: PubSubMessage, to member: TopicMember) {
        let prepared = PreparedMessage(message, encoder: member.frames?.frameEncoder)
        let delivery = Delivery(
            message: prepared, members: [member], exclude: message.excludeClientId, counters: counters)
        if let mailbox = member.mailbox { mailbox.submit(delivery) } else { delivery.run() }
    }
}
