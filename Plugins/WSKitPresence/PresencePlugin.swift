import WSKitContract
import WSKitRouter

/// Presence: who is in a room, across every instance — users with several connections (tabs,
/// devices), metadata per connection, and subscribers that receive the room's state once and
/// then only what changes (ADR 0062, `docs/presence.md`).
///
/// ```swift
/// struct AppPlugins: MessagingInstalled, PresenceInstalled {
///     var messaging = MessagingPlugin()
///     var presence = PresencePlugin()   // or PresencePlugin(store: RedisPresenceStore(configuration: …))
/// }
/// router.on(JoinRoom.self) { ctx in
///     try await ctx.presence.track(ctx.payload.room, key: ctx.data.userId,
///                                  meta: ["name": .string(ctx.data.name), "device": "web"])
///     try await ctx.presence.subscribe(ctx.payload.room)   // opt-in: state, then diffs
/// }
/// router.on(SetStatus.self) { ctx in
///     try await ctx.presence.update("lobby", meta: ["name": .string(ctx.data.name), "status": "away"])
/// }
/// let users = try await runtime.presence.list("lobby")   // one entry per key, with its metas
/// ```
/// - **Track** a connection in a room under a key with a JSON meta; track again or ``ConnectionPresence/update(_:meta:)``
///   to change the meta (a leave of the old ref and a join of a new one). Closing the connection
///   untracks it everywhere.
/// - **Subscribe** (opt-in, per connection and room): `$ws:presence_state` first, then
///   `$ws:presence_diff` `{joins, leaves}` with only the changed metas. Tracked connections that
///   do not subscribe receive nothing, so a 10,000-member room costs no traffic unless asked.
/// - **Across instances** with a shared store (``InMemoryPresenceStore`` in one process,
///   `RedisPresenceStore` across processes): each instance's entries live under a lease it renews
///   every ``heartbeatInterval``; an instance that stops renewing has its entries removed, and
///   their leaves broadcast, within ``lease`` + ``heartbeatInterval`` (20 s by default).
public struct PresencePlugin: RouterPlugin {
    /// Where presence lives (default: ``InMemoryPresenceStore``, one process).
    public var store: any PresenceStore
    /// How long an instance's entries outlive its last lease renewal (default 15 s).
    public var lease: Duration
    /// How often the lease is renewed and expired instances are swept (default 5 s); at most
    /// half of ``lease``.
    public var heartbeatInterval: Duration
    /// The largest serialised meta, in bytes (default 1,024).
    public var maxMetaBytes: Int
    /// The longest presence key, in UTF-8 bytes (default 256).
    public var maxKeyBytes: Int
    /// The longest room name, in UTF-8 bytes (default 128).
    public var maxRoomBytes: Int
    /// Whether room names may contain any character (default `false`: letters, digits and
    /// `: _ . / -`, like pub/sub topics). Stores take any string; the restriction keeps room
    /// names readable in logs and Redis keys.
    public var allowsAnyRoomCharacter: Bool
    /// Sees every store failure (outages, failed writes), for logs. They also go to the router's
    /// `onError` hooks.
    public var onStoreError: (@Sendable (PresenceError) -> Void)?

    /// Creates the plugin; every parameter has the documented default.
    public init(
        store: any PresenceStore = InMemoryPresenceStore(), lease: Duration = .seconds(15),
        heartbeatInterval: Duration = .seconds(5), maxMetaBytes: Int = 1_024, maxKeyBytes: Int = 256,
        maxRoomBytes: Int = 128, allowsAnyRoomCharacter: Bool = false,
        onStoreError: (@Sendable (PresenceError) -> Void)? = nil
    ) {
        self.store = store
        self.lease = lease
        self.heartbeatInterval = heartbeatInterval
        self.maxMetaBytes = maxMetaBytes
        self.maxKeyBytes = maxKeyBytes
        self.maxRoomBytes = maxRoomBytes
        self.allowsAnyRoomCharacter = allowsAnyRoomCharacter
        self.onStoreError = onStoreError
    }

    /// The longest time, after an instance stops renewing, before its entries are removed:
    /// ``lease`` plus one ``heartbeatInterval`` (the sweep of a surviving instance).
    public var expiryBound: Duration { lease + heartbeatInterval }

    /// Creates the router's ``PresenceHub`` (attached to the store) and the close hook that
    /// untracks and unsubscribes each connection.
    public func install<ConnectionData: Sendable, Plugins: PluginSet>(
        into installation: PluginInstallation<ConnectionData, Plugins>
    ) throws {
        if heartbeatInterval.wholeMilliseconds < 1 { installation.fail("heartbeatInterval must be at least 1 ms") }
        if lease < heartbeatInterval * 2 { installation.fail("lease must be at least twice heartbeatInterval") }
        if maxMetaBytes < 2 { installation.fail("maxMetaBytes must be at least 2") }
        if maxKeyBytes < 1 { installation.fail("maxKeyBytes must be at least 1") }
        if maxRoomBytes < 1 { installation.fail("maxRoomBytes must be at least 1") }
        let hub = PresenceHub(settings: self, clock: installation.clock)
        do {
            try store.attach(hub.makeSink())
        } catch {
            installation.fail("the \(store.name) presence store cannot be attached: \(error)")
        }
        installation.routerState(hub)
        installation.onOpen { context in
            let runtime = context.connection.runtime
            hub.bindReporter { [weak runtime] event in runtime?.report(event) }
        }
        installation.onClose { context in
            await hub.connectionClosed(context.connection)
        }
    }
}
