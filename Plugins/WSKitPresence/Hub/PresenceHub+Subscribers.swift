import WSKitContract
import WSKitRouter

extension PresenceHub {
    /// Subscribes `connection` to `room`'s presence: it gets `$ws:presence_state`, then every
    /// `$ws:presence_diff`. Returns `false` when it was already subscribed.
    func subscribe(_ connection: ConnectionCore, room: String) async throws(PresenceError) -> Bool {
        try checkRoom(room)
        if connection.isClosed { throw PresenceError(.closed, "the connection is closed") }
        let id = ObjectIdentifier(connection)
        let subscriber = PresenceSubscriber(connection: connection, room: room)
        let added = try state.withLock { (state: inout State) throws(PresenceError) -> Bool in
            if state.closed { throw PresenceError(.closed, "presence was shut down") }
            if state.subscriptions[id]?.contains(room) == true { return false }
            state.subscriptions[id, default: []].append(room)
            state.subscribers[room, default: []].append(subscriber)
            ensureTimer(&state)
            return true
        }
        guard added else { return false }
        do {
            try await store.watch(room: room)
            let records = try await store.list(room: room)
            let statePayload = PresencePayload.state(records)
            state.withLock { _ in
                // Still subscribed (not closed or unsubscribed meanwhile): the state, then what waited.
                guard let pending = subscriber.pending else { return }
                subscriber.pending = nil
                Self.send(PresenceWire.state, room: room, payload: statePayload, to: connection)
                for diff in pending { Self.send(PresenceWire.diff, room: room, payload: diff, to: connection) }
            }
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
            for subscribers in state.subscribers.values {
                for subscriber in subscribers where subscriber.pending == nil { subscriber.pending = [] }
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
                for subscriber in state.subscribers[room] ?? [] {
                    guard let pending = subscriber.pending else { continue }
                    subscriber.pending = nil
                    Self.send(PresenceWire.state, room: room, payload: payload, to: subscriber.connection)
                    for diff in pending { Self.send(PresenceWire.diff, room: room, payload: diff, to: subscriber.connection) }
                }
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
            if state.subscriptions[id]?.isEmpty == true { state.subscriptions[id] = nil }
            if let subscriber = state.subscribers[room]?.first(where: { $0.connection === connection }) {
                subscriber.pending = nil
            }
            state.subscribers[room]?.removeAll { $0.connection === connection }
            let last = state.subscribers[room]?.isEmpty == true
            if last { state.subscribers[room] = nil }
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

    /// Fans a diff out to the room's local subscribers (the store's sink): the payload is
    /// serialised once; each subscriber gets the envelope head plus a copy of it, or queues it
    /// until its state is sent. Runs under the hub's lock so that every subscriber sees the
    /// store's order.
    func deliver(room: String, diff: [UInt8]) {
        state.withLock { state in
            guard let subscribers = state.subscribers[room] else { return }
            // The envelope is serialised once and, for hosts that take encoded frames, framed
            // once: each subscriber costs one copy into its output buffer (as pub/sub fan-out).
            let encoder = subscribers.lazy.compactMap(\.frames).first?.frameEncoder
            let frame = encoder.map { PresenceFrame(room: room, diff: diff, timestamp: clock.nowMs, encoder: $0) }
            let fanOut = { (bytes: UnsafeRawBufferPointer?) in
                for subscriber in subscribers {
                    if subscriber.pending != nil {
                        subscriber.pending?.append(diff)
                    } else if let bytes, let frames = subscriber.frames {
                        _ = frames.sendEncodedFrames(bytes)
                    } else {
                        Self.send(PresenceWire.diff, room: room, payload: diff, to: subscriber.connection)
                    }
                }
            }
            if let frame { frame.withFrame { fanOut($0) } } else { fanOut(nil) }
        }
    }

    /// Sends `{"type":…,"meta":{"topic":…,"timestamp":…},"payload":<payload>}`.
    static func send(_ type: String, room: String, payload: [UInt8], to connection: ConnectionCore) {
        connection.send(type: type, meta: [PresenceWire.topicKey: .string(room)]) { buffer in
            buffer.append(contentsOf: payloadMember)
            buffer.append(contentsOf: payload)
        }
    }

    static let payloadMember = Array(",\"payload\":".utf8)
}
