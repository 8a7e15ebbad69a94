import WSKitContract
import WSKitRouter

extension RouterRuntime where Plugins: PresenceInstalled {
    /// The router-level presence API: lists, readiness, shutdown.
    public var presence: Presence { Presence(hub: state(PresenceHub.self)) }
}

/// The router-level presence API (`runtime.presence`).
public struct Presence: Sendable {
    let hub: PresenceHub?

    /// The users present in `room` on every instance, sorted by key, each with the metas of its
    /// connections (oldest first).
    public func list(_ room: String) async throws(PresenceError) -> [PresenceUser] {
        guard let hub else { throw PresenceError(.notInstalled, "the presence plugin is not installed") }
        return try await hub.list(room)
    }

    /// This instance's id in the store (random per process start; new after a lost lease).
    public var instanceId: String { hub?.instanceId ?? "" }

    /// Local subscribers of `room`'s presence.
    public func subscriberCount(of room: String) -> Int { hub?.subscriberCount(of: room) ?? 0 }

    /// Waits until the store is reachable; `false` after `timeout`.
    public func ready(timeout: Duration = .seconds(5)) async -> Bool {
        await hub?.store.ready(timeout: timeout) ?? false
    }

    /// Runs one heartbeat now (renew this instance's lease, sweep expired instances) instead of
    /// waiting for the timer.
    public func heartbeat() async { await hub?.heartbeat() }

    /// Graceful stop (after the server stopped): removes this instance's entries from the store,
    /// so every other instance sees their leaves at once, and disconnects the store.
    public func shutdown() async { await hub?.shutdown() }
}
