/// Limits per client address that a server facing the public internet needs (ADR 0093): how
/// many connections one address may hold and how fast it may open new ones. On by default,
/// generous enough for many users behind one NAT, and not applied to loopback peers (local
/// benchmarks, health checks, a reverse proxy on the same host).
///
/// The limits key on the TCP peer address. Behind a reverse proxy every connection comes from
/// the proxy: list it in `trustedProxies`, and the limits key on the last address of its
/// `X-Forwarded-For` header instead (the one the proxy appended).
///
/// ```swift
/// var configuration = ServerConfiguration(port: 8080)
/// configuration.clientAddressLimits.maxConnections = 100
/// configuration.clientAddressLimits.handshakeRate = HandshakeRate(10, per: .seconds(1), burst: 20)
/// configuration.clientAddressLimits.trustedProxies = ["10.0.0.5"]
/// ```
public struct ClientAddressLimits: Sendable, Hashable {
    /// Connections one address may hold at once, handshaking or upgraded; beyond it upgrades
    /// get 503. Default 1,000.
    public var maxConnections: Int
    /// How fast one address may open connections (a token bucket on the server's clock); beyond
    /// it upgrades get 503 with `Retry-After`. nil: no rate limit. Default 100 per second with a
    /// burst of 200.
    public var handshakeRate: HandshakeRate?
    /// Whether loopback peers (127.0.0.0/8, ::1) are exempt from these limits. Default true:
    /// local load tests open thousands of connections from 127.0.0.1, and a reverse proxy on the
    /// same host would otherwise put all its clients under one address's limit.
    public var exemptLoopback: Bool
    /// Further peer addresses exempt from these limits (as the server prints them, e.g.
    /// `"10.0.0.7"`, `"fd00::7"`).
    public var exemptAddresses: Set<String>
    /// Peer addresses of reverse proxies whose forwarded-for header is believed: a connection
    /// from one of them is limited by the last address of `forwardedForHeader` (decided once its
    /// upgrade request arrives) instead of by the proxy's address. Empty (the default): the
    /// header is ignored, since any client can send it.
    public var trustedProxies: Set<String>
    /// The header a trusted proxy appends the client address to. Default `X-Forwarded-For`.
    public var forwardedForHeader: String
    /// Addresses tracked at most (each entry a few dozen bytes): beyond it, addresses with no
    /// open connection are forgotten first (their handshake rate starts afresh). Default 65,536.
    public var maxTrackedAddresses: Int
    /// How many leading bits of an IPv6 address identify one client. Default 64: a home or a
    /// cloud host is routinely given a whole /64, so keying by the full address would let one
    /// client open connections from 2^64 addresses. 128 keys by the full address; values are
    /// clamped to 1...128. IPv4 addresses (and IPv4-mapped IPv6 ones) are always keyed whole.
    public var ipv6PrefixLength: Int

    /// Creates the limits; every argument has the default described on its property.
    public init(
        maxConnections: Int = 1_000,
        handshakeRate: HandshakeRate? = HandshakeRate(100, per: .seconds(1), burst: 200),
        exemptLoopback: Bool = true,
        exemptAddresses: Set<String> = [],
        trustedProxies: Set<String> = [],
        forwardedForHeader: String = "X-Forwarded-For",
        maxTrackedAddresses: Int = 65_536,
        ipv6PrefixLength: Int = 64
    ) {
        self.maxConnections = maxConnections
        self.handshakeRate = handshakeRate
        self.exemptLoopback = exemptLoopback
        self.exemptAddresses = exemptAddresses
        self.trustedProxies = trustedProxies
        self.forwardedForHeader = forwardedForHeader
        self.maxTrackedAddresses = maxTrackedAddresses
        self.ipv6PrefixLength = ipv6PrefixLength
    }

    /// The defaults described on each property.
    public static var `default`: ClientAddressLimits { ClientAddressLimits() }

    /// No per-address limit at all (connections stay bounded by `maxConnections`).
    public static var unlimited: ClientAddressLimits {
        ClientAddressLimits(maxConnections: .max, handshakeRate: nil, maxTrackedAddresses: 1)
    }

    /// Whether any limit applies (`unlimited` turns them off).
    var isActive: Bool { maxConnections != .max || handshakeRate != nil }
}

/// A rate of `count` events per `interval`, with bursts of up to `burst` events at once.
public struct HandshakeRate: Sendable, Hashable {
    /// Events allowed per `interval`, sustained.
    public var count: Int
    /// The period `count` refers to.
    public var interval: Duration
    /// Events allowed back to back after a quiet period (the bucket's size; at least 1).
    public var burst: Int

    /// `count` events per `interval`, bursts of `burst` (default: `count`).
    public init(_ count: Int, per interval: Duration, burst: Int? = nil) {
        self.count = count
        self.interval = interval
        self.burst = burst ?? count
    }
}
