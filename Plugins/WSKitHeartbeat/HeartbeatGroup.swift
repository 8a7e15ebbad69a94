import Synchronization
import WSKitRouter

/// The connections of one ticker (one event loop), swept on each of its ticks.
final class HeartbeatGroup: Sendable {
    private let settings: HeartbeatSettings
    private let entries = Mutex<[HeartbeatEntry]>([])

    init(settings: HeartbeatSettings) {
        self.settings = settings
    }

    func add(_ entry: HeartbeatEntry) {
        entries.withLock { $0.append(entry) }
    }

    /// Marks the entry removed; the next tick drops it.
    func remove(_ entry: HeartbeatEntry) {
        entries.withLock { _ in entry.removed = true }
    }

    /// One sweep: records signs of life, pings connections silent for the interval, and closes
    /// those still silent `timeoutMs` later. Sends and closes happen outside the lock.
    func tick(nowMs: Int64) {
        var pings: [ConnectionCore] = []
        var stale: [StaleConnection] = []
        entries.withLock { entries in
            var index = 0
            while index < entries.count {
                let entry = entries[index]
                guard !entry.removed, let connection = entry.connection, !connection.isClosed else {
                    entry.removed = true
                    entries.swapAt(index, entries.count - 1)
                    entries.removeLast()
                    continue
                }
                index += 1
                if entry.takePeerActivity() || entry.lastSeenMs == nil {
                    entry.lastSeenMs = nowMs
                    entry.suspectedAtMs = nil
                    continue
                }
                let lastSeen = entry.lastSeenMs ?? nowMs
                if let suspectedAt = entry.suspectedAtMs {
                    guard nowMs - suspectedAt >= settings.timeoutMs else { continue }
                    entry.removed = true
                    stale.append(StaleConnection(
                        clientId: connection.clientId, connection: connection, silentFor: .milliseconds(nowMs - lastSeen),
                        wasPinged: settings.sendsPings))
                } else if nowMs - lastSeen >= settings.intervalMs {
                    entry.suspectedAtMs = nowMs
                    if settings.sendsPings { pings.append(connection) }
                }
            }
        }
        for connection in pings { connection.sendPing() }
        for event in stale {
            settings.onStale?(event)
            event.connection.close(code: settings.closeCode, reason: settings.closeReason)
        }
    }
}
