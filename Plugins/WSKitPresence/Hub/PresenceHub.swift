import Synchronization
import WSKitContract
import WSKitPubSub
import WSKitRouter

/// The presence engine of one router: this instance's tracked connections, the local
/// subscribers of each room, the lease heartbeat, and the bridge to the store (ADR 0062).
///
/// Created by ``PresencePlugin`` when the router is built and kept as router state; the APIs
/// (`ctx.presence`, `runtime.presence`) drive it. All methods are thread-safe. Lock order: the
/// store's lock, then the hub's, then a connection's send lock; the hub never calls the store
/// while holding its lock.
public final class PresenceHub: Sendable {
    struct Track {
        var record: PresenceRecord
        let connection: ObjectIdentifier
    }

    struct State {
        var instanceId: String
        var nextRef: UInt64 = 0
        /// ref → track (this instance's entries).
        var tracks: [String: Track] = [:]
        /// connection → room → ref.
        var byConnection: [ObjectIdentifier: [String: String]] = [:]
        /// room → local subscribers.
        var subscribers: [String: [PresenceSubscriber]] = [:]
        /// room → the subscribers still waiting for their state (diffs queue in their `pending`).
        var waiting: [String: [PresenceSubscriber]] = [:]
        /// room → the members whose state was sent, grouped by event loop: where diffs fan out.
        var fanOut = TopicIndex()
        /// connection → its fan-out member (while it has subscriptions).
        var members: [ObjectIdentifier: TopicMember] = [:]
        /// connection → rooms it subscribed to.
        var subscriptions: [ObjectIdentifier: [String]] = [:]
        var timer: RouterTimer?
        var ticking = false
        /// A write to the store failed: the next heartbeat re-registers everything.
        var dirty = false
        var resyncing = false
        var closed = false
    }

    let settings: PresencePlugin
    let store: any PresenceStore
    let clock: any RouterClock
    let state: Mutex<State>
    /// Fan-out counters (deliveries, and frames or hops dropped under backpressure).
    let counters = HubCounters()
    private let reporter = Mutex<(@Sendable (RouterErrorEvent) -> Void)?>(nil)

    init(settings: PresencePlugin, clock: any RouterClock) {
        self.settings = settings
        store = settings.store
        self.clock = clock
        state = Mutex(State(instanceId: Self.makeInstanceId()))
    }

    /// The sink to attach to the store.
    func makeSink() -> PresenceSink {
        PresenceSink(
            receive: { [weak self] room, diff in self?.deliver(room: room, diff: diff) },
            resend: { [weak self] in
                guard let self else { return }
                Task { await self.resendState() }
            })
    }

    /// This instance's current id (random per process start, and new after the instance lost its
    /// lease or a write failed).
    public var instanceId: String { state.withLock { $0.instanceId } }

    /// 48 random bits in hex: unique per process start.
    static func makeInstanceId() -> String {
        let value = UInt64.random(in: 0 ..< (1 << 48))
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// The instance that wrote a ref (`<instance>.<n>`).
    static func instance(of ref: String) -> String {
        guard let dot = ref.lastIndex(of: ".") else { return ref }
        return String(ref[..<dot])
    }

    /// Connects the hub to the router's `onError` hooks (first binding stays).
    func bindReporter(_ report: @escaping @Sendable (RouterErrorEvent) -> Void) {
        reporter.withLock { if $0 == nil { $0 = report } }
    }

    func report(_ error: PresenceError) {
        settings.onStoreError?(error)
        reporter.withLock { $0 }?(RouterErrorEvent(phase: .plugin, error: error))
    }

    // MARK: Validation

    func checkRoom(_ room: String) throws(PresenceError) {
        let count = room.utf8.count
        if count == 0 || count > settings.maxRoomBytes {
            throw PresenceError(.invalidRoom, "a room name must be 1 to \(settings.maxRoomBytes) bytes long")
        }
        if settings.allowsAnyRoomCharacter { return }
        for byte in room.utf8 where !Self.isRoomByte(byte) {
            throw PresenceError(.invalidRoom, "a room name may contain only letters, digits and : _ . / -")
        }
    }

    static func isRoomByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
             UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "."),
             UInt8(ascii: "/"), UInt8(ascii: "-"): true
        default: false
        }
    }

    func encodeMeta(_ meta: JSONObject) throws(PresenceError) -> [UInt8] {
        for (key, _) in meta where key.hasPrefix("$") {
            throw PresenceError(.invalidMeta, "meta field \"\(key)\" is reserved (fields beginning with $)")
        }
        var bytes: [UInt8] = []
        JSON.serialize(.object(meta), into: &bytes)
        if bytes.count > settings.maxMetaBytes {
            throw PresenceError(.invalidMeta, "the meta is \(bytes.count) bytes (at most \(settings.maxMetaBytes))")
        }
        return bytes
    }

    // MARK: Tracking

    /// Tracks `connection` in `room` under `key` (or replaces its entry there: a leave of the old
    /// ref and a join of the new one). Returns the new ref.
    func track(
        _ connection: ConnectionCore, room: String, key: String?, meta: JSONObject
    ) async throws(PresenceError) -> String {
        try checkRoom(room)
        if let key, key.isEmpty || key.utf8.count > settings.maxKeyBytes {
            throw PresenceError(.invalidKey, "a presence key must be 1 to \(settings.maxKeyBytes) bytes long")
        }
        let metaBytes = try encodeMeta(meta)
        if connection.isClosed { throw PresenceError(.closed, "the connection is closed") }
        let id = ObjectIdentifier(connection)
        let step = try state.withLock { (state: inout State) throws(PresenceError) -> (PresenceRecord, PresenceRecord?, String) in
            if state.closed { throw PresenceError(.closed, "presence was shut down") }
            let previous = state.byConnection[id]?[room].flatMap { state.tracks[$0]?.record }
            guard let resolvedKey = key ?? previous?.key else {
                throw PresenceError(.notTracked, "this connection is not tracked in \"\(room)\"")
            }
            let ref = Self.nextRef(&state)
            let record = PresenceRecord(room: room, key: resolvedKey, ref: ref, meta: metaBytes)
            if let previous { state.tracks[previous.ref] = nil }
            state.tracks[ref] = Track(record: record, connection: id)
            state.byConnection[id, default: [:]][room] = ref
            ensureTimer(&state)
            return (record, previous, state.instanceId)
        }
        try await write(step.0, replacing: step.1, instance: step.2)
        return step.0.ref
    }

    static func nextRef(_ state: inout State) -> String {
        state.nextRef += 1
        return "\(state.instanceId).\(state.nextRef)"
    }

    /// Writes a join to the store; a lost lease re-registers the instance (which writes this
    /// entry too), other failures mark the hub dirty (the next heartbeat writes everything).
    private func write(_ record: PresenceRecord, replacing previous: PresenceRecord?, instance: String) async throws(PresenceError) {
        do {
            try await store.join(
                record, replacing: previous, instance: instance, lease: settings.lease,
                diff: PresencePayload.join(record, replacing: previous))
        } catch {
            if error.code == .leaseLost {
                await resync()
                return
            }
            state.withLock { $0.dirty = true }
            throw error
        }
        await removeIfGone([record])
    }

    /// Leaves records that were untracked while their join was on its way to the store.
    private func removeIfGone(_ records: [PresenceRecord]) async {
        let gone = state.withLock { state in records.filter { state.tracks[$0.ref] == nil } }
        for record in gone {
            try? await store.leave(record, instance: Self.instance(of: record.ref), diff: PresencePayload.leave(record))
        }
    }

    /// Stops tracking `connection` in `room`. Returns `false` when it was not tracked there.
    func untrack(_ connection: ConnectionCore, room: String) async -> Bool {
        let id = ObjectIdentifier(connection)
        let record = state.withLock { state -> PresenceRecord? in
            guard let ref = state.byConnection[id]?.removeValue(forKey: room) else { return nil }
            if state.byConnection[id]?.isEmpty == true { state.byConnection[id] = nil }
            let record = state.tracks.removeValue(forKey: ref)?.record
            stopTimerIfIdle(&state)
            return record
        }
        guard let record else { return false }
        await remove([record])
        return true
    }

    private func remove(_ records: [PresenceRecord]) async {
        for record in records {
            do {
                try await store.leave(record, instance: Self.instance(of: record.ref), diff: PresencePayload.leave(record))
            } catch {
                // The entry stays in the store until the instance re-registers or its lease ends.
                state.withLock { $0.dirty = true }
                report(error)
            }
        }
    }

    /// The rooms `connection` is tracked in.
    func trackedRooms(of connection: ConnectionCore) -> [String] {
        state.withLock { $0.byConnection[ObjectIdentifier(connection)].map { Array($0.keys).sorted() } ?? [] }
    }

    /// Untracks and unsubscribes a connection that closed (the plugin's close hook).
    func connectionClosed(_ connection: ConnectionCore) async {
        let id = ObjectIdentifier(connection)
        let (records, unwatched) = state.withLock { state -> ([PresenceRecord], [String]) in
            let refs = state.byConnection.removeValue(forKey: id) ?? [:]
            let records = refs.values.compactMap { state.tracks.removeValue(forKey: $0)?.record }
            var unwatched: [String] = []
            for room in state.subscriptions.removeValue(forKey: id) ?? [] where Self.removeSubscriber(connection, room: room, &state) {
                unwatched.append(room)
            }
            state.members[id] = nil
            stopTimerIfIdle(&state)
            return (records, unwatched)
        }
        for room in unwatched { store.unwatch(room: room) }
        await remove(records.sorted { $0.room < $1.room })
    }

    // MARK: Listing

    /// The room's users, sorted by key, each with its metas (oldest first).
    func list(_ room: String) async throws(PresenceError) -> [PresenceUser] {
        try checkRoom(room)
        let records = try await store.list(room: room)
        var order: [String] = []
        var metas: [String: [PresenceMeta]] = [:]
        for record in records {
            if metas[record.key] == nil { order.append(record.key) }
            metas[record.key, default: []].append(record.presenceMeta)
        }
        return order.sorted().map { PresenceUser(key: $0, metas: metas[$0] ?? []) }
    }
}
