import WSKitContract
import WSKitRouter

extension RouterContext where Plugins: PresenceInstalled {
    /// This connection's presence: track it in rooms, update its meta, subscribe to rooms'
    /// presence, list a room.
    public var presence: ConnectionPresence { ConnectionPresence(connection: connection) }
}

/// One connection's presence (`ctx.presence`).
///
/// Every call is safe from any context, `onClose` included (a closed connection cannot be
/// tracked or subscribed: `CLOSED`). The plugin untracks and unsubscribes a connection after
/// the application's `onClose` hooks.
public struct ConnectionPresence: Sendable {
    let hub: PresenceHub?
    let connection: ConnectionCore

    /// The presence of `connection` (a context's, or a harness connection's).
    public init(connection: ConnectionCore) {
        self.connection = connection
        hub = connection.routerState(PresenceHub.self)
    }

    private func requireHub() throws(PresenceError) -> PresenceHub {
        guard let hub else { throw PresenceError(.notInstalled, "the presence plugin is not installed (check PluginSet.installedPlugins)") }
        return hub
    }

    /// Tracks this connection in `room` under `key` with `meta` (display name, device, status…;
    /// fields beginning with `$` are reserved). Tracking a room again replaces the entry (a
    /// leave and a join for subscribers). Returns the entry's ref.
    ///
    /// - Throws: `INVALID_ROOM`, `INVALID_KEY`, `INVALID_META`, `CLOSED`; `UNAVAILABLE` when the
    ///   store is unreachable — the entry is then kept here and written at the next heartbeat
    ///   after the store is back.
    @discardableResult
    public func track(_ room: String, key: String, meta: JSONObject = [:]) async throws(PresenceError) -> String {
        try await requireHub().track(connection, room: room, key: key, meta: meta)
    }

    /// Replaces this connection's meta in `room` (subscribers see a leave of the old ref and a
    /// join of the new one, whose meta carries `$prev`). Returns the new ref.
    ///
    /// - Throws: `NOT_TRACKED` when the connection is not tracked in `room`, and the errors of
    ///   ``track(_:key:meta:)``.
    @discardableResult
    public func update(_ room: String, meta: JSONObject) async throws(PresenceError) -> String {
        try await requireHub().track(connection, room: room, key: nil, meta: meta)
    }

    /// Stops tracking this connection in `room`. Returns `false` when it was not tracked there.
    @discardableResult
    public func untrack(_ room: String) async -> Bool {
        guard let hub else { return false }
        return await hub.untrack(connection, room: room)
    }

    /// The rooms this connection is tracked in, sorted.
    public var trackedRooms: [String] { hub?.trackedRooms(of: connection) ?? [] }

    /// Subscribes this connection to `room`'s presence: `$ws:presence_state` at once, then a
    /// `$ws:presence_diff` for every change, in order. Returns `false` when already subscribed.
    ///
    /// - Throws: `INVALID_ROOM`, `CLOSED`, `UNAVAILABLE` (nothing subscribed).
    @discardableResult
    public func subscribe(_ room: String) async throws(PresenceError) -> Bool {
        try await requireHub().subscribe(connection, room: room)
    }

    /// Ends the subscription to `room`'s presence. Returns `false` when there was none.
    @discardableResult
    public func unsubscribe(_ room: String) -> Bool {
        hub?.unsubscribe(connection, room: room) ?? false
    }

    /// The rooms whose presence this connection receives, in subscription order.
    public var subscribedRooms: [String] { hub?.subscribedRooms(of: connection) ?? [] }

    /// The users present in `room` on every instance, sorted by key.
    public func list(_ room: String) async throws(PresenceError) -> [PresenceUser] {
        try await requireHub().list(room)
    }
}
