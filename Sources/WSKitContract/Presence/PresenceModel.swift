/// A client's view of one room's presence, kept from `$ws:presence_state` and
/// `$ws:presence_diff` messages (the Phoenix `Presence` client rules, ADR 0062):
///
/// - **State replaces, as a diff.** A state is compared with what the model holds; only the
///   differences become events. After a reconnect the server sends a fresh state, so the model
///   is rebuilt without duplicates and without spurious joins or leaves.
/// - **Diffs wait for the state.** Until the first state (and after ``markStale()``), diffs are
///   buffered and applied right after the next state.
/// - **Joins merge by ref, leaves remove by ref**; a key without metas is removed. Within one
///   diff, joins are applied before leaves, so a meta update (leave of the old ref, join of the
///   new one) never makes its user go offline.
///
/// ```swift
/// var lobby = PresenceModel()
/// for event in try lobby.apply(envelope) ?? [] {
///     if case let .join(key, true, _) = event { print("\(key) came online") }
/// }
/// ```
public struct PresenceModel: Sendable {
    /// Key → metas (oldest first).
    public private(set) var metasByKey: [String: [PresenceMeta]] = [:]
    /// Whether a state has been applied since creation or the last ``markStale()``.
    public private(set) var isSynced = false
    private var buffered: [JSONValue] = []
    /// The most diffs buffered before a state; older ones are dropped (the state supersedes them).
    public var maxBufferedDiffs = 10_000

    /// Creates an empty model (not synced).
    public init() {}

    /// The users, sorted by key.
    public var users: [PresenceUser] {
        metasByKey.keys.sorted().map { PresenceUser(key: $0, metas: metasByKey[$0] ?? []) }
    }

    /// The metas of `key` (empty when the user is not present).
    public func metas(of key: String) -> [PresenceMeta] { metasByKey[key] ?? [] }

    /// Whether `key` has at least one meta.
    public func isOnline(_ key: String) -> Bool { !(metasByKey[key] ?? []).isEmpty }

    /// How many users (keys) are present.
    public var count: Int { metasByKey.count }

    /// Marks the model stale (the connection dropped): later diffs wait for the next state. The
    /// users stay listed until that state says otherwise.
    public mutating func markStale() {
        isSynced = false
        buffered.removeAll()
    }

    /// Applies a presence message of any room; `nil` when `envelope` is not a presence message.
    public mutating func apply(_ envelope: Envelope) throws(PresenceModelError) -> [PresenceEvent]? {
        switch envelope.type {
        case PresenceWire.state: return try applyState(envelope.payload ?? .object([:]))
        case PresenceWire.diff: return try applyDiff(envelope.payload ?? .object([:]))
        default: return nil
        }
    }

    /// Applies a `$ws:presence_state` payload, then any buffered diffs.
    public mutating func applyState(_ payload: JSONValue) throws(PresenceModelError) -> [PresenceEvent] {
        let incoming = try Self.parseGroups(payload, field: "state")
        var joins: [String: [PresenceMeta]] = [:]
        var leaves: [String: [PresenceMeta]] = [:]
        for (key, metas) in incoming {
            let current = Set((metasByKey[key] ?? []).map(\.ref))
            let added = metas.filter { !current.contains($0.ref) }
            if !added.isEmpty { joins[key] = added }
        }
        for (key, metas) in metasByKey {
            let kept = Set((incoming[key] ?? []).map(\.ref))
            let removed = metas.filter { !kept.contains($0.ref) }
            if !removed.isEmpty { leaves[key] = removed }
        }
        var events = merge(joins: joins, leaves: leaves)
        isSynced = true
        let pending = buffered
        buffered.removeAll()
        for diff in pending { events += try applyDiff(diff) }
        return events
    }

    /// Applies a `$ws:presence_diff` payload (buffered until a state when not synced).
    public mutating func applyDiff(_ payload: JSONValue) throws(PresenceModelError) -> [PresenceEvent] {
        guard isSynced else {
            if buffered.count >= maxBufferedDiffs { buffered.removeFirst() }
            buffered.append(payload)
            return []
        }
        guard case let .object(object) = payload else { throw PresenceModelError("a presence diff must be an object") }
        let joins = try Self.parseGroups(object["joins"] ?? .object([:]), field: "joins")
        let leaves = try Self.parseGroups(object["leaves"] ?? .object([:]), field: "leaves")
        return merge(joins: joins, leaves: leaves)
    }

    /// Joins first (merge by ref), then leaves (remove by ref); events in key order.
    private mutating func merge(joins: [String: [PresenceMeta]], leaves: [String: [PresenceMeta]]) -> [PresenceEvent] {
        var events: [PresenceEvent] = []
        for key in joins.keys.sorted() {
            guard let joined = joins[key], !joined.isEmpty else { continue }
            var metas = metasByKey[key] ?? []
            let cameOnline = metas.isEmpty
            for meta in joined {
                if let index = metas.firstIndex(where: { $0.ref == meta.ref }) { metas[index] = meta } else { metas.append(meta) }
            }
            metasByKey[key] = metas
            events.append(.join(key: key, cameOnline: cameOnline, joined: joined))
        }
        for key in leaves.keys.sorted() {
            guard let left = leaves[key], var metas = metasByKey[key] else { continue }
            let refs = Set(left.map(\.ref))
            let removed = metas.filter { refs.contains($0.ref) }
            guard !removed.isEmpty else { continue }
            metas.removeAll { refs.contains($0.ref) }
            metasByKey[key] = metas.isEmpty ? nil : metas
            events.append(.leave(key: key, wentOffline: metas.isEmpty, left: removed))
        }
        return events
    }

    /// `{"<key>": {"metas": [...]}}` → key → metas.
    static func parseGroups(_ value: JSONValue, field: String) throws(PresenceModelError) -> [String: [PresenceMeta]] {
        guard case let .object(object) = value else { throw PresenceModelError("presence \(field) must be an object") }
        var groups: [String: [PresenceMeta]] = [:]
        for (key, entry) in object {
            guard case let .array(items)? = entry["metas"] else {
                throw PresenceModelError("presence \(field).\(key) has no metas array")
            }
            var metas: [PresenceMeta] = []
            metas.reserveCapacity(items.count)
            for item in items {
                guard let meta = PresenceMeta(wire: item) else {
                    throw PresenceModelError("presence \(field).\(key) has a meta without a string $ref")
                }
                metas.append(meta)
            }
            groups[key] = metas
        }
        return groups
    }
}

/// A presence message that does not have the documented shape.
public struct PresenceModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
