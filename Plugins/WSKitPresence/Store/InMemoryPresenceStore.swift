import Synchronization
import WSKitRouter

/// Presence in one process (the default store): one router, or several routers of one process
/// sharing it — the multi-instance semantics of ``PresenceStore`` (leases, expiry, dead instance
/// ids) without Redis, driven by a clock a test can fake.
///
/// ```swift
/// let clock = FakeClock()
/// let store = InMemoryPresenceStore(clock: clock)
/// let a = try TestHarness(router, plugins: AppPlugins(presence: PresencePlugin(store: store)), clock: clock)
/// let b = try TestHarness(router, plugins: AppPlugins(presence: PresencePlugin(store: store)), clock: clock)
/// store.cutOff(instance: b.runtime.presence.instanceId)   // b stops renewing: a sees its leaves
/// ```
public final class InMemoryPresenceStore: PresenceStore {
    private struct Entry {
        var record: PresenceRecord
        var sequence: UInt64
    }

    private struct Instance {
        var leaseUntil: Int64
        /// ref → room
        var refs: [String: String] = [:]
    }

    private struct State {
        var rooms: [String: [String: Entry]] = [:]
        var instances: [String: Instance] = [:]
        var dead: Set<String> = []
        var cutOff: Set<String> = []
        var sinks: [PresenceSink] = []
        var sequence: UInt64 = 0
    }

    private let state = Mutex(State())
    private let clock: any RouterClock

    /// Creates a store whose leases follow `clock` (the system clock by default; give a test the
    /// harness's fake clock).
    public init(clock: any RouterClock = SystemClock()) {
        self.clock = clock
    }

    /// `"memory"`.
    public var name: String { "memory" }

    /// Adds a sink; any number of routers may share the store.
    public func attach(_ sink: PresenceSink) throws(PresenceError) {
        state.withLock { $0.sinks.append(sink) }
    }

    // MARK: Simulation

    /// Simulates an instance that hangs or loses its connection to the store: its calls fail
    /// with `unavailable` and its lease is no longer renewed, so it expires.
    public func cutOff(instance: String) {
        _ = state.withLock { $0.cutOff.insert(instance) }
    }

    /// Ends ``cutOff(instance:)``: the instance reaches the store again (and finds out whether
    /// its lease survived).
    public func restore(instance: String) {
        _ = state.withLock { $0.cutOff.remove(instance) }
    }

    /// How many entries the store holds (every room, every instance).
    public var entryCount: Int { state.withLock { $0.rooms.values.reduce(0) { $0 + $1.count } } }

    // MARK: PresenceStore

    /// Writes the record (and removes `previous`) and delivers the diff.
    public func join(
        _ record: PresenceRecord, replacing previous: PresenceRecord?, instance: String, lease: Duration, diff: [UInt8]
    ) async throws(PresenceError) {
        let now = clock.nowMs
        try state.withLock { (state: inout State) throws(PresenceError) in
            try Self.check(instance, in: state)
            if state.instances[instance] == nil {
                state.instances[instance] = Instance(leaseUntil: now + lease.wholeMilliseconds)
            }
            if let previous {
                state.rooms[previous.room]?[previous.ref] = nil
                state.instances[instance]?.refs[previous.ref] = nil
                if state.rooms[previous.room]?.isEmpty == true { state.rooms[previous.room] = nil }
            }
            state.sequence += 1
            state.rooms[record.room, default: [:]][record.ref] = Entry(record: record, sequence: state.sequence)
            state.instances[instance]?.refs[record.ref] = record.room
            for sink in state.sinks { sink.deliver(room: record.room, diff: diff) }
        }
    }

    /// Removes the record and delivers the diff when it was present.
    public func leave(_ record: PresenceRecord, instance: String, diff: [UInt8]) async throws(PresenceError) {
        try state.withLock { (state: inout State) throws(PresenceError) in
            if state.cutOff.contains(instance) { throw PresenceError(.unavailable, "instance \(instance) is cut off") }
            guard state.rooms[record.room]?.removeValue(forKey: record.ref) != nil else { return }
            if state.rooms[record.room]?.isEmpty == true { state.rooms[record.room] = nil }
            state.instances[instance]?.refs[record.ref] = nil
            for sink in state.sinks { sink.deliver(room: record.room, diff: diff) }
        }
    }

    /// The room's records, oldest first.
    public func list(room: String) async throws(PresenceError) -> [PresenceRecord] {
        state.withLock { state in
            (state.rooms[room]?.values.sorted { $0.sequence < $1.sequence } ?? []).map(\.record)
        }
    }

    /// Extends the lease (creating it for a new id); `false` for a dead id, or one expected to
    /// hold entries that holds none.
    public func renew(instance: String, lease: Duration, hasEntries: Bool) async throws(PresenceError) -> Bool {
        let now = clock.nowMs
        return try state.withLock { (state: inout State) throws(PresenceError) -> Bool in
            if state.cutOff.contains(instance) { throw PresenceError(.unavailable, "instance \(instance) is cut off") }
            if state.dead.contains(instance) { return false }
            if hasEntries, state.instances[instance]?.refs.isEmpty ?? true { return false }
            state.instances[instance, default: Instance(leaseUntil: 0)].leaseUntil = now + lease.wholeMilliseconds
            return true
        }
    }

    /// Removes the entries of every instance whose lease expired and delivers their leaves.
    public func sweep() async throws(PresenceError) -> Int {
        let now = clock.nowMs
        return state.withLock { state -> Int in
            let expired = state.instances.filter { $0.value.leaseUntil <= now }.map(\.key)
            var removed = 0
            for instance in expired { removed += Self.remove(instance, from: &state) }
            return removed
        }
    }

    /// Removes every entry of `instance` and delivers the leaves.
    public func unregister(instance: String) async throws(PresenceError) {
        try state.withLock { (state: inout State) throws(PresenceError) in
            if state.cutOff.contains(instance) { throw PresenceError(.unavailable, "instance \(instance) is cut off") }
            _ = Self.remove(instance, from: &state)
        }
    }

    private static func check(_ instance: String, in state: State) throws(PresenceError) {
        if state.cutOff.contains(instance) { throw PresenceError(.unavailable, "instance \(instance) is cut off") }
        if state.dead.contains(instance) { throw PresenceError(.leaseLost, "the lease of instance \(instance) expired") }
    }

    /// Removes an instance, marks its id dead and delivers its leaves, one diff per room.
    private static func remove(_ instance: String, from state: inout State) -> Int {
        guard let gone = state.instances.removeValue(forKey: instance) else { return 0 }
        state.dead.insert(instance)
        var leaves: [String: [PresenceRecord]] = [:]
        for (ref, room) in gone.refs {
            guard let entry = state.rooms[room]?.removeValue(forKey: ref) else { continue }
            if state.rooms[room]?.isEmpty == true { state.rooms[room] = nil }
            leaves[room, default: []].append(entry.record)
        }
        for room in leaves.keys.sorted() {
            let diff = PresencePayload.diff(joins: [], leaves: leaves[room]!)
            for sink in state.sinks { sink.deliver(room: room, diff: diff) }
        }
        return leaves.values.reduce(0) { $0 + $1.count }
    }
}
