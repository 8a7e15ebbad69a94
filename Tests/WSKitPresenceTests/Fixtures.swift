import WSKitContract
import WSKitMessaging
import WSKitPresence
import WSKitRouter
import WSKitTesting
import WSKitValidation

/// Per-connection data: the signed-in user.
struct User: Sendable, Equatable {
    var id: String
    var name: String
    var device: String = "web"
}

/// Client → server: track me in a room (and optionally watch its presence).
struct EnterRoom: Message {
    struct Payload: Codable, Sendable, Equatable {
        var room: String
        var watch: Bool = false
    }
    static let type = "ENTER_ROOM"
}

/// Client → server: watch a room's presence without being tracked.
struct WatchRoom: Message {
    struct Payload: Codable, Sendable, Equatable { var room: String }
    static let type = "WATCH_ROOM"
}

/// Client → server: change my status in a room.
struct SetStatus: Message {
    struct Payload: Codable, Sendable, Equatable {
        var room: String
        var status: String
    }
    static let type = "SET_STATUS"
}

/// Client → server: stop being tracked in a room.
struct LeaveRoom: Message {
    struct Payload: Codable, Sendable, Equatable { var room: String }
    static let type = "LEAVE_ROOM"
}

struct PresencePlugins: MessagingInstalled, PresenceInstalled {
    var messaging = MessagingPlugin()
    var presence: PresencePlugin

    init(presence: PresencePlugin = PresencePlugin()) {
        self.presence = presence
    }
}

/// The presence app of these tests: rooms entered by message, status updates, watching.
func presenceRouter() -> Router<User, PresencePlugins> {
    let router = Router<User, PresencePlugins>()
    router.on(EnterRoom.self) { ctx in
        try await ctx.presence.track(
            ctx.payload.room, key: ctx.data.id,
            meta: ["name": .string(ctx.data.name), "device": .string(ctx.data.device), "status": "online"])
        if ctx.payload.watch { try await ctx.presence.subscribe(ctx.payload.room) }
    }
    router.on(WatchRoom.self) { ctx in
        try await ctx.presence.subscribe(ctx.payload.room)
    }
    router.on(SetStatus.self) { ctx in
        try await ctx.presence.update(
            ctx.payload.room,
            meta: ["name": .string(ctx.data.name), "device": .string(ctx.data.device), "status": .string(ctx.payload.status)])
    }
    router.on(LeaveRoom.self) { ctx in
        await ctx.presence.untrack(ctx.payload.room)
    }
    return router
}

/// A client-side presence model fed with a test connection's frames, the way the browser and
/// Swift clients keep theirs.
struct ClientView {
    var model = PresenceModel()
    var events: [PresenceEvent] = []
    var consumed = 0

    /// Applies the frames received since the last call.
    mutating func sync<P: PluginSet>(_ connection: TestConnection<User, P>) throws {
        let frames = connection.frames
        for frame in frames[consumed...] {
            let envelope = Envelope(type: frame.type, meta: frame.meta, payload: frame.payload)
            if let applied = try model.apply(envelope) { events += applied }
        }
        consumed = frames.count
    }

    /// `key: cameOnline/wentOffline` lines for compact assertions.
    var log: [String] {
        events.map { event in
            switch event {
            case let .join(key, cameOnline, joined): "+\(key)\(cameOnline ? " online" : "")×\(joined.count)"
            case let .leave(key, wentOffline, left): "-\(key)\(wentOffline ? " offline" : "")×\(left.count)"
            }
        }
    }
}

extension TestConnection {
    /// The presence frames received (state and diffs).
    var presenceFrames: [TestFrame] {
        frames.filter { $0.type == PresenceWire.state || $0.type == PresenceWire.diff }
    }
}
