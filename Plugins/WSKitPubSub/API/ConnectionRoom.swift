import WSKitContract
import WSKitRouter

/// A room from one connection's point of view (`ctx.room("lobby")`): a topic whose subscribers
/// are its members.
///
/// Presence is local: ``peers(excludingSelf:)`` and ``count(excludingSelf:)`` see the members
/// connected to **this** instance (in join order; a user with two connections appears twice).
/// Broadcasts reach members on every instance.
///
/// ```swift
/// router.onOpen { ctx in
///     let room = ctx.room("lobby")
///     try await room.join()
///     ctx.send(Presence.self, .init(names: room.peers().map(\.name)))
///     await room.broadcast(Joined.self, .init(name: ctx.data.name), options: .excludingSelf)
/// }
/// router.onClose { ctx in   // still a member here: the topics are dropped after onClose
///     await ctx.room("lobby").broadcast(Left.self, .init(name: ctx.data.name), options: .excludingSelf)
/// }
/// ```
public struct ConnectionRoom<ConnectionData: Sendable, Plugins: PubSubInstalled>: Sendable {
    /// The room's name as given (its topic, normalised when used).
    public let name: String
    @usableFromInline let connection: RouterConnection<ConnectionData, Plugins>

    init(name: String, connection: RouterConnection<ConnectionData, Plugins>) {
        self.name = name
        self.connection = connection
    }

    private var room: Room<ConnectionData, Plugins> { Room(name: name, runtime: connection.runtime) }

    /// Joins the room (subscribes to its topic). Returns `false` when already a member.
    @discardableResult
    public func join() async throws(PubSubError) -> Bool {
        try await Topics(connection: connection).subscribe(name)
    }

    /// Leaves the room. Returns `false` when not a member.
    @discardableResult
    public func leave() -> Bool {
        Topics(connection: connection).unsubscribe(name)
    }

    /// Whether this connection is a member.
    public var isMember: Bool { Topics(connection: connection).has(name) }

    /// The members' connection data on this instance, in join order.
    public func peers(excludingSelf: Bool = false) -> [ConnectionData] {
        room.peers(excluding: excludingSelf ? connection.clientId : nil)
    }

    /// The members' connection ids on this instance, in join order.
    public func peerIds(excludingSelf: Bool = false) -> [String] {
        room.peerIds(excluding: excludingSelf ? connection.clientId : nil)
    }

    /// How many members are on this instance.
    public func count(excludingSelf: Bool = false) -> Int {
        room.count(excluding: excludingSelf ? connection.clientId : nil)
    }

    /// Publishes an `M` to every member (on every instance), this connection included unless
    /// `options` exclude it (``PublishOptions/excludingSelf``; without `exclude`, nobody is
    /// skipped). Authorised as a publish by this connection.
    @inlinable @discardableResult
    public func broadcast<M: Message>(
        _ type: M.Type, _ payload: M.Payload, options: PublishOptions = PublishOptions()
    ) async -> PublishResult {
        await connection.publish(M.self, payload, to: name, options: options, excludesSelfByDefault: false)
    }

    /// Publishes an `M` without payload to every member; see ``broadcast(_:_:options:)``.
    @inlinable @discardableResult
    public func broadcast<M: Message>(
        _ type: M.Type, options: PublishOptions = PublishOptions()
    ) async -> PublishResult where M.Payload == Empty {
        await broadcast(M.self, Empty(), options: options)
    }
}
