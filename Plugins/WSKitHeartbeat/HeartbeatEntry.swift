import Synchronization
import WSKitRouter

/// One connection's heartbeat state: created with the connection (plugin state), added to its
/// ticker's group when it opens, removed when it closes. Its timing fields belong to the group
/// and change only under the group's lock.
final class HeartbeatEntry: @unchecked Sendable {
    /// The connection (weak: the connection owns this entry through its plugin state).
    weak var connection: ConnectionCore?
    /// The group sweeping this entry, once added.
    private let group = Mutex<HeartbeatGroup?>(nil)
    /// Set by every inbound frame (the plugin's inbound-frame hook); taken by the sweep.
    private let peerActivity = Atomic<Bool>(false)

    // Guarded by the group's lock.
    /// Ticker time of the last sign of life (`nil` until the first tick saw the entry).
    var lastSeenMs: Int64?
    /// Ticker time the ping went out (or, in passive mode, the interval ran out); `nil` while the
    /// connection is not suspected.
    var suspectedAtMs: Int64?
    /// Removed from its group (closed, or found stale).
    var removed = false

    /// Records that the peer sent a frame: one relaxed atomic store.
    @inline(__always)
    func notePeerActivity() {
        peerActivity.store(true, ordering: .relaxed)
    }

    /// Whether the peer sent any frame since the previous call; clears the record.
    func takePeerActivity() -> Bool {
        peerActivity.exchange(false, ordering: .relaxed)
    }

    /// Remembers the group it joined (a connection that closed first stays out).
    func joined(_ group: HeartbeatGroup) {
        self.group.withLock { $0 = group }
    }

    /// Leaves the group: the connection closed.
    func leave() {
        let group = group.withLock { group -> HeartbeatGroup? in
            defer { group = nil }
            return group
        }
        group?.remove(self)
    }
}
