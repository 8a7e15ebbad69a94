import WSKit

/// The chat application: the router with the protocol's handlers and the lifecycle hooks that
/// join rooms and track presence. History is injected and presence is the presence plugin's,
/// so the same router serves one process or many; pushes go through the pub/sub plugin. A room's
/// topic keeps its recent pushes (a stream, docs/recovery.md): a pane that reconnects with
/// `?recover=1` resubscribes from the last offset it saw and receives what it missed, or is told
/// `recovered: false` and re-reads the history. A publish that fails (Redis down) loses only the
/// live push: rows are in the history.
public enum ChatRouter {
    /// Builds the router.
    public static func make(store: HistoryStore) -> Router<ChatSession, DemoPlugins> {
        let router = Router<ChatSession, DemoPlugins>()

        router.onOpen { ctx in
            let member = RoomMember(userId: ctx.clientId, displayName: ctx.data.displayName)
            let room = ctx.room(DemoPlugins.topic(of: ctx.data.room))
            // With `?recover=1` the client subscribes itself, from its last position.
            if !ctx.data.recovers { try await room.join() }
            // The Online list: this pane is tracked, and receives the room's presence
            // ($ws:presence_state, then $ws:presence_diff).
            try await ctx.presence.track(ctx.data.room, key: ctx.clientId, meta: ["displayName": .string(ctx.data.displayName)])
            try await ctx.presence.subscribe(ctx.data.room)
            _ = await room.broadcast(UserJoined.self, member, options: .excludingSelf)
        }

        router.onClose { ctx in
            // Untracked first (the plugin would after this hook): whoever hears USER_LEFT and asks
            // LIST_PRESENCE no longer finds the member, on any process.
            await ctx.presence.untrack(ctx.data.room)
            let member = RoomMember(userId: ctx.clientId, displayName: ctx.data.displayName)
            _ = await ctx.room(DemoPlugins.topic(of: ctx.data.room)).broadcast(UserLeft.self, member, options: .excludingSelf)
        }

        router.rpc(ListHistory.self) { ctx in
            let limit = ctx.payload.limit ?? ListHistory.defaultLimit
            return .init(messages: try unavailable("The history store") { try store.list(room: ctx.data.room, limit: limit) })
        }

        router.rpc(ListPresence.self) { ctx in
            let users = try await unavailable("Presence") {
                try await ctx.presence.list(ctx.data.room).map { user in
                    RoomMember(userId: user.key, displayName: user.metas.first?.fields["displayName"]?.stringValue ?? user.key)
                }
            }
            return .init(selfUserId: ctx.clientId, users: users.sorted(by: byName))
        }

        router.rpc(SendMessage.self) { ctx in
            let row = ChatRow(
                id: UUIDv7.make(), ts: ctx.clock.nowMs, userId: ctx.clientId,
                displayName: ctx.data.displayName, text: ctx.payload.text)
            try unavailable("The history store") { try store.append(row, room: ctx.data.room) }
            // Stored first, then pushed to everyone in the room, the sender included.
            _ = await ctx.room(DemoPlugins.topic(of: ctx.data.room)).broadcast(RoomMessage.self, row)
            return .init(id: row.id)
        }

        router.rpc(ClearHistory.self) { ctx in
            try unavailable("The history store") { try store.clear(room: ctx.data.room) }
            // Answered first, then the room is told.
            ctx.reply()
            let cleared = HistoryCleared.Payload(
                ts: ctx.clock.nowMs, clearedByUserId: ctx.clientId, clearedByDisplayName: ctx.data.displayName)
            _ = await ctx.room(DemoPlugins.topic(of: ctx.data.room)).broadcast(HistoryCleared.self, cleared)
        }
        return router
    }

    /// Presence order: display name (case-insensitive), then id.
    static func byName(_ a: RoomMember, _ b: RoomMember) -> Bool {
        let (x, y) = (a.displayName.lowercased(), b.displayName.lowercased())
        return x != y ? x < y : a.userId < b.userId
    }

    /// Runs `body`; a failure of the store or presence becomes `UNAVAILABLE` "<what> is
    /// unavailable: <error>" for the caller.
    @discardableResult
    static func unavailable<T>(_ what: String, _ body: () throws -> T) throws(WireError) -> T {
        do { return try body() } catch { throw WireError(code: .unavailable, message: "\(what) is unavailable: \(error)") }
    }

    /// The async form of ``unavailable(_:_:)-(_,()->T)``.
    @discardableResult
    static func unavailable<T>(_ what: String, _ body: () async throws -> T) async throws(WireError) -> T {
        do { return try await body() } catch { throw WireError(code: .unavailable, message: "\(what) is unavailable: \(error)") }
    }
}
