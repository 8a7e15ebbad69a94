import WSKitRouter

extension PubSubHub {
    /// Fans a message out to this instance's subscribers; on a stream topic it first gets its
    /// offset and is kept, with the stream locked until the fan-out was handed over, so that the
    /// order of offsets is the order of delivery.
    @discardableResult
    func deliverInOrder(_ message: PubSubMessage) -> Int {
        guard streams.shared == nil, let rule = streams.rule(for: message.topic) else { return deliverLocally(message) }
        let now = clock.nowMs
        return streams.withStream(message.topic, rule: rule) { stream in
            deliverLocally(stream.append(message, nowMs: now))
        }
    }

    /// Subscribes a connection to `topic` from `position`: with the topic's stream locked, the
    /// connection joins the topic and gets every kept publication after the position (through
    /// its loop's queue, ahead of any live one), so nothing is missed or repeated.
    ///
    /// - Parameter announce: builds a message for the connection that is sent before the replay
    ///   (the `$ws:subscribed` answer), in the same order as the replay and live publications.
    func subscribe(
        _ topic: String, from position: StreamPosition?, state: PubSubConnectionState, connection: ConnectionCore,
        announce: (@Sendable (String, StreamRecovery) -> PubSubMessage)? = nil
    ) async throws(PubSubError) -> StreamRecovery {
        let name = configuration.topicRules.normalize(topic)
        guard let rule = streams.rule(for: name) else {
            _ = try await subscribe([name], state: state, connection: connection)
            let recovery = StreamRecovery(recovered: false, position: nil, replayed: 0)
            if let announce, let member = index.withLock({ _ in state.member }) { send(announce(name, recovery), to: member) }
            return recovery
        }
        if connection.isClosed { throw PubSubError(.connectionClosed, topic: name, message: "The connection is closed") }
        try admit([name], connection: connection)
        if let shared = streams.shared {
            return try await subscribe(name, rule: rule, from: position, state: state, shared: shared, announce: announce)
        }
        let now = clock.nowMs
        let (recovery, added) = try streams.withStream(name, rule: rule) { stream throws(PubSubError) -> (StreamRecovery, Bool) in
            let (member, added) = try join(name, state: state)
            guard added else {
                let recovery = StreamRecovery(recovered: position == stream.position, position: stream.position, replayed: 0)
                if let announce { send(announce(name, recovery), to: member) }
                return (recovery, false)
            }
            var replay: [TopicStream.Entry] = []
            var recovered = false
            if let position, position.epoch == stream.epoch, let missed = stream.publications(after: position.offset, nowMs: now) {
                recovered = true
                replay = Array(missed)
            } else if rule.deliversLatestOnSubscribe, let latest = stream.latest(nowMs: now) {
                replay = [latest]
            }
            let recovery = StreamRecovery(recovered: recovered, position: stream.position, replayed: replay.count)
            if let announce { send(announce(name, recovery), to: member) }
            for entry in replay { send(entry.message, to: member) }
            return (recovery, true)
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

    // MARK: Streams kept by the broker

    /// A publication of a broker-kept stream arrived with its position: stamped, held for the
    /// subscriptions recovering the topic that passed their sync marker, and fanned out, with the
    /// topic's stream locked.
    @discardableResult
    func deliverStamped(_ message: PubSubMessage, at position: StreamPosition) -> Int {
        guard let rule = streams.rule(for: message.topic) else { return deliverLocally(message) }
        var stamped = message
        stamped.body = StreamStamp.stamp(message.body, topic: message.topic, epoch: position.epoch, offset: position.offset)
        return streams.withStream(message.topic, rule: rule) { stream in
            for buffer in stream.recovering where buffer.synced { buffer.held.append(stamped) }
            return deliverLocally(stamped)
        }
    }

    /// A sync marker arrived: the subscription waiting for it holds what follows.
    func streamSynced(topic: String, token: String) {
        guard let rule = streams.rule(for: topic) else { return }
        let buffer = streams.withStream(topic, rule: rule) { stream -> RecoveryBuffer? in
            guard let buffer = stream.recovering.first(where: { $0.token == token }) else { return nil }
            buffer.synced = true
            return buffer
        }
        buffer?.signal()
    }

    /// Recovery from a broker-kept stream: interest first (so that live publications reach this
    /// instance), then the history read, atomic with a sync marker; publications after the marker
    /// are held; once both are in, with the stream locked, the connection gets the missed
    /// publications, then the held ones, and joins the topic.
    private func subscribe(
        _ name: String, rule: HistoryRule, from position: StreamPosition?, state: PubSubConnectionState,
        shared: any StreamingPubSubAdapter, announce: (@Sendable (String, StreamRecovery) -> PubSubMessage)?
    ) async throws(PubSubError) -> StreamRecovery {
        let buffer = RecoveryBuffer(token: UUIDv7.make())
        streams.withStream(name, rule: rule) { $0.recovering.append(buffer) }
        // The recovery holds the topic until the connection has joined it (or given up): if the
        // instance's last other subscriber leaves meanwhile, its interest stays, and no live
        // publication is lost between the history read and the join.
        func release() {
            index.withLock { index in
                if index.unpin(name) { adapter.updateInterest(subscribe: [], unsubscribe: [name]) }
            }
        }
        func abandon() {
            streams.withStream(name, rule: rule) { stream in stream.recovering.removeAll { $0 === buffer } }
            release()
        }
        index.withLock { index in
            if index.pin(name) { adapter.updateInterest(subscribe: [name], unsubscribe: []) }
        }
        if case let .failure(error) = await adapter.confirmInterest([name]) {
            abandon()
            throw PubSubError(.adapterError, topic: name, message: "The subscription could not be confirmed: \(error)")
        }
        let history: StreamHistory
        switch await shared.history(of: name, after: position, rule: rule, syncToken: buffer.token) {
        case let .success(read): history = read
        case let .failure(error):
            abandon()
            throw PubSubError(.adapterError, topic: name, message: "The history could not be read: \(error)")
        }
        guard await buffer.wait(timeout: .seconds(10)) else {
            abandon()
            throw PubSubError(.adapterError, topic: name, message: "The history's sync marker did not arrive")
        }
        defer { release() }
        let recovery = try streams.withStream(name, rule: rule) { stream throws(PubSubError) -> StreamRecovery in
            stream.recovering.removeAll { $0 === buffer }
            let (member, added) = try join(name, state: state)
            let current = StreamPosition(epoch: history.epoch, offset: history.top)
            guard added else {
                let recovery = StreamRecovery(recovered: position == current, position: current, replayed: 0)
                if let announce { send(announce(name, recovery), to: member) }
                return recovery
            }
            var replay: [PubSubMessage] = []
            var recovered = false
            if let position, position.epoch == history.epoch {
                if position.offset == history.top {
                    recovered = true
                } else if position.offset < history.top, let first = history.entries.first, first.offset <= position.offset &+ 1 {
                    recovered = true
                    for entry in history.entries where entry.offset > position.offset {
                        replay.append(stamp(entry.message, epoch: history.epoch, offset: entry.offset))
                    }
                }
            }
            if !recovered, rule.deliversLatestOnSubscribe, let latest = history.entries.last {
                replay.append(stamp(latest.message, epoch: history.epoch, offset: latest.offset))
            }
            let recovery = StreamRecovery(recovered: recovered, position: current, replayed: replay.count)
            if let announce { send(announce(name, recovery), to: member) }
            replay += buffer.held
            for message in replay { send(message, to: member) }
            return recovery
        }
        return recovery
    }

    private func stamp(_ message: PubSubMessage, epoch: String, offset: UInt64) -> PubSubMessage {
        var stamped = message
        stamped.body = StreamStamp.stamp(message.body, topic: message.topic, epoch: epoch, offset: offset)
        return stamped
    }
}
