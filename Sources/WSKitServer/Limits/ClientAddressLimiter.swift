#if canImport(Glibc)
import Glibc
#endif

/// The per-address limits' bookkeeping, free of I/O (ADR 0093): the server tells it when a
/// connection from an address opens and closes, and what time it is (monotonic nanoseconds, the
/// loop's clock); it answers whether the connection may proceed. The server keeps one behind a
/// lock shared by its loops (it is consulted once per accepted connection, never per message).
///
/// The handshake rate is a token bucket kept as one timestamp per address (the generic cell rate
/// algorithm): each handshake moves the address's "theoretical arrival time" one emission
/// interval (`interval / count`) later; a handshake is refused while that time is more than
/// `burst - 1` intervals ahead of now.
///
/// IPv6 addresses are counted per network prefix (``ClientAddressLimits/ipv6PrefixLength``, /64
/// by default), since one client usually holds a whole /64.
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

    /// Connections currently counted against `address` (its prefix, for IPv6).
    package func connections(from address: String) -> Int { entries[key(address)]?.connections ?? 0 }

    /// Whether `address` is outside the limits (loopback when exempt, an exempt address).
    package func isExempt(_ address: String) -> Bool {
        if !limits.isActive { return true }
        if limits.exemptLoopback, Self.isLoopback(address) { return true }
        return limits.exemptAddresses.contains(address)
    }

    /// A connection from `address` opens at `now` (ns): admit it and count it, or refuse it.
    package mutating func open(_ address: String, now: UInt64) -> Decision {
        if isExempt(address) { return .exempt }
        let address = key(address)
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
        let address = key(address)
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

    /// What `address` is counted as: an IPv4 address as it is; an IPv6 address as its network
    /// prefix (`"2001:db8:0:1::/64"`-like, in hexadecimal); an IPv4-mapped IPv6 address as its
    /// IPv4 address. Text that is not an IPv6 address is kept as it is.
    package func key(_ address: String) -> String {
        guard address.utf8.contains(UInt8(ascii: ":")) else { return address }
        return Self.ipv6Key(address, prefixLength: min(128, max(1, limits.ipv6PrefixLength))) ?? address
    }

    /// The IPv6 `address` (optionally in brackets, with a zone) cut to `prefixLength` bits, or
    /// its IPv4 address when it is IPv4-mapped; `nil` when it does not parse.
    static func ipv6Key(_ address: String, prefixLength: Int) -> String? {
        var text = Substring(address)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }
        var bytes = in6_addr()
        let parsed = withUnsafeMutableBytes(of: &bytes) { buffer in
            String(text).withCString { inet_pton(AF_INET6, $0, buffer.baseAddress) }
        }
        guard parsed == 1 else { return nil }
        return withUnsafeBytes(of: &bytes) { raw -> String in
            let octets = Array(raw)
            if octets[0 ..< 10].allSatisfy({ $0 == 0 }), octets[10] == 0xFF, octets[11] == 0xFF {
                return octets[12...].map(String.init).joined(separator: ".")
            }
            var masked = octets
            for index in 0 ..< 16 {
                let bitsKept = min(8, max(0, prefixLength - index * 8))
                masked[index] &= bitsKept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsKept))
            }
            var groups: [String] = []
            for index in stride(from: 0, to: (prefixLength + 15) / 16 * 2, by: 2) {
                groups.append(String(UInt16(masked[index]) << 8 | UInt16(masked[index + 1]), radix: 16))
            }
            let prefix = groups.joined(separator: ":")
            return groups.count == 8 ? prefix + "/128" : prefix + "::/\(prefixLength)"
        }
    }

    /// 127.0.0.0/8, ::1, and IPv4-mapped loopback.
    package static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}
