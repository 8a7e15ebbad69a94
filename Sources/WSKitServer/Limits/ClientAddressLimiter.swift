/// The per-address limits' bookkeeping, free of I/O (ADR 0093): the server tells it when a
/// connection from an address opens and closes, and what time it is (monotonic nanoseconds, the
/// loop's clock); it answers whether the connection may proceed. The server keeps one behind a
/// lock shared by its loops (it is consulted once per accepted connection, never per message).
///
/// The handshake rate is a token bucket kept as one timestamp per address (the generic cell rate
/// algorithm): each handshake moves the address's "theoretical arrival time" one emission
/// interval (`interval / count`) later; a handshake is refused while that time is more than
/// `burst - 1` intervals ahead of now.
package struct ClientAddressLimiter: Sendable {
    /// The answer for one new connection.
    package enum Decision: Sendable, Equatable {
        /// Counted against its address: report its close with `close(_:now:)`.
        case admitted
        /// Not limited (loopback, an exempt address, or limits off): nothing to release.
        case exempt
        /// The address holds `maxConnections` already.
        case tooManyConnections
        /// The address opened connections faster than `handshakeRate`; a handshake would be
        /// admitted again after `retryAfter`.
        case tooManyHandshakes(retryAfter: Duration)
    }

    private struct Entry {
        var connections: Int
        /// Theoretical arrival time of the next handshake (ns); at or before now: a full bucket.
        var nextArrival: UInt64
    }

    private let limits: ClientAddressLimits
    /// `interval / count`: the time one handshake's token takes to come back (ns).
    private let emissionInterval: UInt64
    /// `(burst - 1) × emissionInterval`: how far ahead of now the arrival time may run.
    private let tolerance: UInt64
    private var entries: [String: Entry] = [:]
    private var pruneAt: Int

    package init(limits: ClientAddressLimits) {
        self.limits = limits
        if let rate = limits.handshakeRate {
            let nanoseconds = rate.interval.saturatingNanoseconds
            emissionInterval = max(1, nanoseconds / UInt64(max(1, rate.count)))
            tolerance = emissionInterval.multipliedReportingOverflow(by: UInt64(max(1, rate.burst) - 1)).partialValue
        } else {
            emissionInterval = 0
            tolerance = 0
        }
        pruneAt = max(1, limits.maxTrackedAddresses)
    }

    /// Addresses currently tracked.
    package var trackedAddresses: Int { entries.count }

    /// Connections currently counted against `address`.
    package func connections(from address: String) -> Int { entries[address]?.connections ?? 0 }

    /// Whether `address` is outside the limits (loopback when exempt, an exempt address).
    package func isExempt(_ address: String) -> Bool {
        if !limits.isActive { return true }
        if limits.exemptLoopback, Self.isLoopback(address) { return true }
        return limits.exemptAddresses.contains(address)
    }

    /// A connection from `address` opens at `now` (ns): admit it and count it, or refuse it.
    package mutating func open(_ address: String, now: UInt64) -> Decision {
        if isExempt(address) { return .exempt }
        var entry = entries[address] ?? Entry(connections: 0, nextArrival: 0)
        if entry.connections >= limits.maxConnections { return .tooManyConnections }
        if emissionInterval != 0 {
            let arrival = max(entry.nextArrival, now)
            if arrival - now > tolerance {
                return .tooManyHandshakes(retryAfter: .nanoseconds(Int64(clamping: arrival - now - tolerance)))
            }
            entry.nextArrival = arrival &+ emissionInterval
        }
        entry.connections += 1
        if entries[address] == nil, entries.count >= pruneAt { prune(now: now) }
        entries[address] = entry
        return .admitted
    }

    /// A connection admitted for `address` has closed.
    package mutating func close(_ address: String, now: UInt64) {
        guard var entry = entries[address] else { return }
        entry.connections -= 1
        if entry.connections <= 0, entry.nextArrival <= now {
            entries[address] = nil
        } else {
            entries[address] = entry
        }
    }

    /// Forgets addresses without connections: first those whose bucket is full again (nothing
    /// is lost), then, if still at the cap, the rest (their rate starts afresh). Addresses with
    /// open connections stay (they are bounded by the server's `maxConnections`); the next
    /// prune waits until the table has grown by half the cap again, so pruning stays amortized.
    private mutating func prune(now: UInt64) {
        entries = entries.filter { $0.value.connections > 0 || $0.value.nextArrival > now }
        if entries.count >= limits.maxTrackedAddresses {
            entries = entries.filter { $0.value.connections > 0 }
        }
        pruneAt = max(limits.maxTrackedAddresses, entries.count + max(1, limits.maxTrackedAddresses / 2))
    }

    /// 127.0.0.0/8, ::1, and IPv4-mapped loopback.
    package static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}
