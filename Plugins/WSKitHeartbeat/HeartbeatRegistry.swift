import Synchronization
import WSKitRouter

/// Router-wide heartbeat state: one ``HeartbeatGroup`` per ticker (event loop), created with the
/// first connection of that loop, whose tick handler sweeps the group.
final class HeartbeatRegistry: Sendable {
    private let settings: HeartbeatSettings
    private let clock: any RouterClock
    private let groups = Mutex<[ObjectIdentifier: HeartbeatGroup]>([:])
    private let fallback = Mutex<ClockTicker?>(nil)

    init(settings: HeartbeatSettings, clock: any RouterClock) {
        self.settings = settings
        self.clock = clock
    }

    /// Adds a newly opened connection to its ticker's group.
    func add(_ entry: HeartbeatEntry, for connection: ConnectionCore) {
        let ticker = connection.ticker ?? fallbackTicker()
        let (group, isNew) = groups.withLock { groups -> (HeartbeatGroup, Bool) in
            if let group = groups[ObjectIdentifier(ticker)] { return (group, false) }
            let group = HeartbeatGroup(settings: settings)
            groups[ObjectIdentifier(ticker)] = group
            return (group, true)
        }
        entry.connection = connection
        group.add(entry)
        entry.joined(group)
        // Tickers live as long as their loop; the handler must not keep the group (and the
        // router) alive.
        if isNew { ticker.onTick { [weak group] now in group?.tick(nowMs: now) } }
    }

    private func fallbackTicker() -> ClockTicker {
        fallback.withLock { ticker in
            if let ticker { return ticker }
            let made = ClockTicker(clock: clock, tickIntervalMs: settings.fallbackTickMs)
            ticker = made
            return made
        }
    }
}
