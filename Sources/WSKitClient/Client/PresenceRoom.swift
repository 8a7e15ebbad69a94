import WSKitContract

extension WebSocketClient {
    /// Keeps a live model of `room`'s presence from the `$ws:presence_state` and
    /// `$ws:presence_diff` messages the server sends once the application subscribed this
    /// connection to the room (`docs/presence.md`).
    ///
    /// ```swift
    /// let lobby = client.presence(of: "lobby")
    /// lobby.onJoin { key, cameOnline, _ in if cameOnline { print("\(key) came online") } }
    /// lobby.onLeave { key, wentOffline, _ in if wentOffline { print("\(key) went offline") } }
    /// try client.send(JoinRoom.self, .init(room: "lobby"))   // the server subscribes us
    /// print(lobby.users.map(\.key))
    /// ```
    /// After a reconnect the server sends a fresh state (when the application subscribes the new
    /// connection again); it is merged as a diff, so the model is rebuilt without duplicates and
    /// the handlers see only real changes.
    public func presence(of room: String) -> PresenceRoom {
        let presence = PresenceRoom(room: room)
        let handle: MessageDispatcher.MessageHandler = { [weak presence] envelope, dispatcher, _ in
            guard let presence, envelope.meta[PresenceWire.topicKey]?.stringValue == room else { return }
            do {
                try presence.apply(envelope)
            } catch {
                dispatcher.report(.handlerFailed(type: envelope.type, error: String(describing: error)))
            }
        }
        let subscriptions = [
            dispatcher.register(type: PresenceWire.state, handle), dispatcher.register(type: PresenceWire.diff, handle),
        ]
        presence.bind(subscriptions)
        return presence
    }
}

/// One room's presence as a client sees it (``WebSocketClient/presence(of:)``): the users with
/// the metas of their connections, and handlers for joins and leaves with user-level
/// online/offline. Thread-safe; handlers run on the client's delivery task, in message order.
public final class PresenceRoom: Sendable {
    /// A join handler: the key, whether the user came online (had no connection before), the
    /// metas that joined.
    public typealias JoinHandler = @Sendable (_ key: String, _ cameOnline: Bool, _ joined: [PresenceMeta]) -> Void
    /// A leave handler: the key, whether the user went offline (no connection left), the metas
    /// that left.
    public typealias LeaveHandler = @Sendable (_ key: String, _ wentOffline: Bool, _ left: [PresenceMeta]) -> Void

    private struct State {
        var model = PresenceModel()
        var nextId: UInt64 = 0
        var joins: [(UInt64, JoinHandler)] = []
        var leaves: [(UInt64, LeaveHandler)] = []
        var changes: [(UInt64, @Sendable ([PresenceEvent]) -> Void)] = []
        var registrations: [Subscription] = []
    }

    /// The room.
    public let room: String
    private let state = Locked(State())

    init(room: String) {
        self.room = room
    }

    deinit {
        for registration in state.withLock({ $0.registrations }) { registration.cancel() }
    }

    func bind(_ registrations: [Subscription]) {
        state.withLock { $0.registrations = registrations }
    }

    /// Applies a presence envelope and calls the handlers.
    func apply(_ envelope: Envelope) throws {
        let (events, joins, leaves, changes) = try state.withLock { state in
            let events = try state.model.apply(envelope) ?? []
            return (events, state.joins.map(\.1), state.leaves.map(\.1), state.changes.map(\.1))
        }
        guard !events.isEmpty else { return }
        for event in events {
            switch event {
            case let .join(key, cameOnline, joined): for handler in joins { handler(key, cameOnline, joined) }
            case let .leave(key, wentOffline, left): for handler in leaves { handler(key, wentOffline, left) }
            }
        }
        for handler in changes { handler(events) }
    }

    // MARK: The model

    /// The users present, sorted by key.
    public var users: [PresenceUser] { state.withLock { $0.model.users } }

    /// The metas of `key`'s connections (empty when absent).
    public func metas(of key: String) -> [PresenceMeta] { state.withLock { $0.model.metas(of: key) } }

    /// Whether `key` has at least one connection in the room.
    public func isOnline(_ key: String) -> Bool { state.withLock { $0.model.isOnline(key) } }

    /// How many users are present.
    public var count: Int { state.withLock { $0.model.count } }

    /// Whether a state has arrived.
    public var isSynced: Bool { state.withLock { $0.model.isSynced } }

    // MARK: Handlers

    /// Calls `handler` for every join (`cameOnline`: the user's first connection).
    @discardableResult
    public func onJoin(_ handler: @escaping JoinHandler) -> Subscription {
        let id = state.withLock { state -> UInt64 in
            state.nextId += 1
            state.joins.append((state.nextId, handler))
            return state.nextId
        }
        return Subscription { [weak self] in self?.state.withLock { $0.joins.removeAll { $0.0 == id } } }
    }

    /// Calls `handler` for every leave (`wentOffline`: the user's last connection left).
    @discardableResult
    public func onLeave(_ handler: @escaping LeaveHandler) -> Subscription {
        let id = state.withLock { state -> UInt64 in
            state.nextId += 1
            state.leaves.append((state.nextId, handler))
            return state.nextId
        }
        return Subscription { [weak self] in self?.state.withLock { $0.leaves.removeAll { $0.0 == id } } }
    }

    /// Calls `handler` with the events of each state or diff that changed something.
    @discardableResult
    public func onChange(_ handler: @escaping @Sendable ([PresenceEvent]) -> Void) -> Subscription {
        let id = state.withLock { state -> UInt64 in
            state.nextId += 1
            state.changes.append((state.nextId, handler))
            return state.nextId
        }
        return Subscription { [weak self] in self?.state.withLock { $0.changes.removeAll { $0.0 == id } } }
    }

    /// Stops following the room (the model keeps its last content).
    public func stop() {
        for registration in state.withLock({ $0.registrations }) { registration.cancel() }
    }
}
