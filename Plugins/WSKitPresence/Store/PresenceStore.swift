/// Where presence lives: this instance's entries and, for a shared store, every other
/// instance's — each instance's entries held under a **lease** it renews (ADR 0062).
///
/// The plugin's hub calls the store; the store hands every change of a room — this instance's
/// and other instances', including the leaves of instances whose lease expired — to every
/// attached ``PresenceSink`` as a diff payload, in one order per room.
///
/// Contract (every method thread-safe):
/// - Instance ids are fresh per process start (and per re-registration), never reused: an id
///   whose lease expired is dead for good (`leaseLost`), so a restarted or resurfacing instance
///   cannot resurrect or duplicate entries.
/// - ``join(_:replacing:instance:lease:diff:)`` creates the lease of an instance id it has not
///   seen, and fails with `leaseLost` for a dead one.
/// - ``sweep()`` removes the entries of every instance whose lease expired, exactly once
///   even when several instances sweep at the same time, and delivers their leaves.
public protocol PresenceStore: Sendable {
    /// For logs and errors.
    var name: String { get }

    /// Connects a hub (when its router is built). A store that serves one router throws for a
    /// second one.
    func attach(_ sink: PresenceSink) throws(PresenceError)

    /// Writes `record` under `instance` (creating its lease when new), removing `previous` (an
    /// update) in the same step, and delivers `diff` to every sink.
    func join(
        _ record: PresenceRecord, replacing previous: PresenceRecord?, instance: String, lease: Duration, diff: [UInt8]
    ) async throws(PresenceError)

    /// Removes `record` (if present) and delivers `diff` when it was.
    func leave(_ record: PresenceRecord, instance: String, diff: [UInt8]) async throws(PresenceError)

    /// Every record of `room`, every instance included.
    func list(room: String) async throws(PresenceError) -> [PresenceRecord]

    /// Extends `instance`'s lease by `lease` from now (creating it when new). `false`: the
    /// instance's entries are gone — its lease expired and was swept, or, when `hasEntries`, the
    /// store holds nothing of it (a Redis restart without persistence): the hub then writes its
    /// entries again under a new id.
    func renew(instance: String, lease: Duration, hasEntries: Bool) async throws(PresenceError) -> Bool

    /// Removes the entries of instances whose lease expired and delivers their leaves. Returns
    /// how many entries it removed.
    func sweep() async throws(PresenceError) -> Int

    /// Removes every entry of `instance`, delivers the leaves and ends its lease (graceful
    /// shutdown, or re-registration after an outage).
    func unregister(instance: String) async throws(PresenceError)

    /// This instance wants the diffs of `room` (its first local subscriber); returns once they
    /// will be delivered.
    func watch(room: String) async throws(PresenceError)

    /// This instance no longer needs the diffs of `room`.
    func unwatch(room: String)

    /// Waits until the store is reachable; `false` after `timeout`.
    func ready(timeout: Duration) async -> Bool

    /// Disconnects (after the server stopped).
    func shutdown() async
}

extension PresenceStore {
    /// Nothing to watch by default (every diff reaches every sink).
    public func watch(room: String) async throws(PresenceError) {}
    /// Nothing to unwatch by default.
    public func unwatch(room: String) {}
    /// Always ready by default.
    public func ready(timeout: Duration) async -> Bool { true }
    /// Nothing to disconnect by default.
    public func shutdown() async {}
}
