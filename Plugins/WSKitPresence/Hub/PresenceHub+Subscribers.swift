import WSKitContract
import WSKitPubSub
import WSKitRouter

extension PresenceHub {
    /// Subscribes `connection` to `room`'s presence: it gets `$ws:presence_state`, then every
    /// `$ws:presence_diff`. Returns `false` when it was already subscribed.
    func subscribe(_ connection: ConnectionCore, room: String) async throws(PresenceError) -> Bool {
        try checkRoom(room)
        if connection.isClosed { throw PresenceError(.closed, "the connection is closed") }
        let id = ObjectIdentifier(connection)
        let subscriber = try state.withLock { (state: inout State) throws(PresenceError) -> PresenceSubscriber? in
            if state.closed { throw PresenceError(.closed, "presence was shut down") }
            if state.subscriptions[id]?.contains(room) == true { return nil }
            let subscriber = PresenceSubscriber(connection: connection, room: room, member: member(for: connection, &state))
            state.subscriptions[id, default: []].append(room)
            state.subscribers[room, default: []].append(subscriber)
            state.waiting[room, default: []].append(subscriber)
            ensureTimer(&state)
            return subscriber
        }
        guard let subscriber else { return false }
        do {
            try await store.watch(room: room)
            let records = try await store.list(room: room)
            let statePayload = PresencePayload.state(records)
            state.withLock { state in Self.sendState(statePayload, to: subscriber, &state) }
            return true
        } catch {
            _ = unsubscribe(connection, room: room)
            throw error
        }
    }

    /// Sends every local subscriber a fresh state (after diffs may have been lost). Diffs that
    /// arrive meanwhile wait behind it, as for a new subscriber.
    func resendState() async {
        let rooms = state.withLock { state -> [String] in
            for (room, subscribers) in state.subscribers {
                for subscriber in subscribers where subscriber.pending == nil {
                    subscriber.pending = []
                    _ = state.fanOut.remove(subscriber.member, from: room)
                    state.waiting[room, default: []].append(subscriber)
                }
            }
            return Array(state.subscribers.keys)
        }
        for room in rooms {
            let payload: [UInt8]
            do {
                payload = PresencePayload.state(try await store.list(room: room))
            } catch {
                report(error)
                continue
            }
            state.withLock { state in
                for subscriber in state.waiting[room] ?? [] { Self.sendState(payload, to: subscriber, &state) }
            }
        }
    }

    /// Ends `connection`'s subscription to `room`. Returns `false` when it had none.
    @discardableResult
    func unsubscribe(_ connection: ConnectionCore, room: String) -> Bool {
        let id = ObjectIdentifier(connection)
        let (removed, unwatch) = state.withLock { state -> (Bool, Bool) in
            guard let index = state.subscriptions[id]?.firstIndex(of: room) else { return (false, false) }
            state.subscriptions[id]?.remove(at: index)
            if state.subscriptions[id]?.isEmpty == true {
                state.subscriptions[id] = nil
                state.members[id] = nil
            }
            let last = Self.removeSubscriber(connection, room: room, &state)
            stopTimerIfIdle(&state)
            return (true, last)
        }
        if unwatch { store.unwatch(room: room) }
        return removed
    }

    /// The rooms `connection` is subscribed to.
    func subscribedRooms(of connection: ConnectionCore) -> [String] {
        state.withLock { $0.subscriptions[ObjectIdentifier(connection)] ?? [] }
    }

    /// Local subscribers of `room`.
    func subscriberCount(of room: String) -> Int {
        state.withLock { $0.subscribers[room]?.count ?? 0 }
    }

    /// Fans a diff out to the room's local subscribers (the store's sink) through pub/sub's
    /// fan-out (ADR 0063): the envelope is serialised and framed once, each event loop's
    /// subscribers get it in one unit of work on that loop, exactly as a pub/sub broadcast.
    /// Subscribers still waiting for their state queue it instead. The store calls this in its
    /// order, one diff at a time, so every subscriber sees that order.
    func deliver(room: String, diff: [UInt8]) {
        let groups = state.withLock { state -> ContiguousArray<LoopGroup>? in
            if let waiting = state.waiting[room] {
                for subscriber in waiting { subscriber.pending?.append(diff) }
            }
            return state.fanOut.topics[room]?.groups
        }
        guard let groups, !groups.isEmpty else { return }
        let message = PresenceDiffMessage.make(room: room, diff: diff, timestamp: clock.nowMs)
        FanOut.deliver(
            PreparedMessage(message, encoder: FanOut.frameEncoder(of: groups)), to: groups, exclude: nil, counters: counters)
    }

    /// Sends a waiting subscriber its state and the diffs that queued meanwhile, then moves it
    /// into the fan-out index (under the lock). Nothing when it stopped waiting (unsubscribed,
    /// closed, or already served).
    static func sendState(_ payload: [UInt8], to subscriber: PresenceSubscriber, _ state: inout State) {
        guard let pending = subscriber.pending else { return }
        subscriber.pending = nil
        let room = subscriber.room
        state.waiting[room]?.removeAll { $0 === subscriber }
        if state.waiting[room]?.isEmpty == true { state.waiting[room] = nil }
        send(PresenceWire.state, room: room, payload: payload, to: subscriber.connection)
        for diff in pending { send(PresenceWire.diff, room: room, payload: diff, to: subscriber.connection) }
        _ = state.fanOut.insert(subscriber.member, into: room)
    }

    /// Removes `connection`'s subscriber of `room` from every index (under the lock). Returns
    /// whether the room has no local subscriber left.
    static func removeSubscriber(_ connection: ConnectionCore, room: String, _ state: inout State) -> Bool {
        if let position = state.subscribers[room]?.firstIndex(where: { $0.connection === connection }),
           let subscriber = state.subscribers[room]?.remove(at: position) {
            if subscriber.pending != nil {
                subscriber.pending = nil
                state.waiting[room]?.removeAll { $0 === subscriber }
                if state.waiting[room]?.isEmpty == true { state.waiting[room] = nil }
            } else {
                _ = state.fanOut.remove(subscriber.member, from: room)
            }
        }
        guard state.subscribers[room]?.isEmpty ?? true else { return false }
        state.subscribers[room] = nil
        return true
    }

    /// The connection's fan-out member, created at its first subscription (under the lock).
    func member(for connection: ConnectionCore, _ state: inout State) -> TopicMember {
        let id = ObjectIdentifier(connection)
        if let existing = state.members[id] { return existing }
        let frames = connection.encodedFrameTransport
        let mailbox = frames?.deliveryLoop.map {
            state.fanOut.mailbox(for: $0, limit: Self.maxQueuedDiffsPerLoop, counters: counters)
        }
        let member = TopicMember(
            clientId: connection.clientId, frames: frames, connection: connection, mailbox: mailbox, data: { nil })
        state.members[id] = member
        return member
    }

    /// Diffs waiting for one event loop at most (as pub/sub's `maxQueuedDeliveriesPerLoop`):
    /// beyond, that loop's subscribers miss the diff (a loop that cannot keep up sheds load).
    static let maxQueuedDiffsPerLoop = 65_536

    /// Sends `{"type":…,"meta":{"topic":…,"timestamp":…},"payload":<payload>}`.
    static func send(_ type: String, room: String, payload: [UInt8], to connection: ConnectionCore) {
        connection.send(type: type, meta: [PresenceWire.topicKey: .string(room)]) { buffer in
            buffer.append(contentsOf: payloadMember)
            buffer.append(contentsOf: payload)
        }
    }

    static let payloadMember = Array(",\"payload\":".utf8)
}
