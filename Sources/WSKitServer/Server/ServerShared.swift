import Synchronization
import WSKitMetrics
import WSKitProtocol

/// State every loop of one server reads: configuration, behavior, the connection count.
final class ServerShared<Context>: Sendable {
    let configuration: ServerConfiguration
    let behavior: WebSocketBehavior<Context>
    let logger: any ServerLogger
    /// `configuration.metrics`, read once per event (nil: nothing is reported).
    let metrics: (any MetricsSink)?
    private let connections = Atomic<Int>(0)
    private let shuttingDown = Atomic<Bool>(false)
    /// `configuration.idleTimeout` converted once: the idle deadline is reset on every read.
    let idleTimeoutNanoseconds: UInt64
    /// The current TLS context (none for plain TCP); replaced by a reload.
    let tls = ServerTLS()
    /// One set of shared zlib streams per event loop (by `EventLoop.index`); empty when
    /// compression is off (see ServerShared+Compression.swift).
    let deflateStreams: [PerMessageDeflateStreams]
    /// Unsent bytes at which a connection stops being read (`readPauseThreshold`, capped at
    /// `maxBufferedBytes`).
    let readPauseBytes: Int
    /// Connections and handshake rate per client address (ADR 0093); consulted once per
    /// accepted connection and once per close of an admitted one, never per message.
    private let addressLimiter: Mutex<ClientAddressLimiter>
    /// Whether any per-address limit applies (false: the limiter is never locked).
    let limitsAddresses: Bool
    /// Peers whose forwarded-for header names the address to limit.
    let trustedProxies: Set<String>
    /// The summed backlogs of all connections and their cap (`maxTotalBufferedBytes`).
    let bufferedBytes: BufferedBytesTotal

    init(configuration: ServerConfiguration, behavior: WebSocketBehavior<Context>) {
        self.configuration = configuration
        self.behavior = behavior
        logger = configuration.logger
        metrics = configuration.metrics
        idleTimeoutNanoseconds = configuration.idleTimeout.saturatingNanoseconds
        deflateStreams = configuration.compression == nil ? [] : (0 ..< max(1, configuration.loopCount)).map { _ in PerMessageDeflateStreams() }
        readPauseBytes = min(configuration.readPauseThreshold, configuration.maxBufferedBytes)
        addressLimiter = Mutex(ClientAddressLimiter(limits: configuration.clientAddressLimits))
        limitsAddresses = configuration.clientAddressLimits.isActive
        trustedProxies = configuration.clientAddressLimits.trustedProxies
        bufferedBytes = BufferedBytesTotal(limit: configuration.maxTotalBufferedBytes)
    }

    /// A connection from `address` opens (at `now`, the loop's clock): counts it against its
    /// address, or says why not. Trusted proxies are not limited here: their connections are
    /// decided by the forwarded address once the request head arrives.
    func admitAddress(_ address: String, now: UInt64) -> ClientAddressLimiter.Decision {
        guard limitsAddresses, !trustedProxies.contains(address) else { return .exempt }
        return addressLimiter.withLock { $0.open(address, now: now) }
    }

    /// The forwarded address of a request from a trusted proxy, counted like a peer address.
    func admitForwardedAddress(_ address: String, now: UInt64) -> ClientAddressLimiter.Decision {
        guard limitsAddresses else { return .exempt }
        return addressLimiter.withLock { $0.open(address, now: now) }
    }

    /// An admitted connection from `address` has closed.
    func releaseAddress(_ address: String, now: UInt64) {
        addressLimiter.withLock { $0.close(address, now: now) }
    }

    /// Counts an accepted socket; returns whether it is over `maxConnections`.
    func connectionOpened() -> Bool {
        metrics?.increment(.connectionsAccepted)
        return connections.add(1, ordering: .relaxed).newValue > configuration.maxConnections
    }

    /// A socket closed; `limitKey`: the address it was counted against, if any.
    func connectionClosed(limitKey: String? = nil, now: UInt64 = 0) {
        connections.subtract(1, ordering: .relaxed)
        if let limitKey { releaseAddress(limitKey, now: now) }
    }

    /// Sockets currently open (handshaking or upgraded).
    var connectionCount: Int { connections.load(ordering: .relaxed) }

    var isShuttingDown: Bool { shuttingDown.load(ordering: .relaxed) }

    func markShuttingDown() { shuttingDown.store(true, ordering: .relaxed) }

    /// The idle deadline from now, or none when idle timeouts are off.
    @inline(__always)
    func idleDeadline(_ loop: EventLoop) -> UInt32 {
        idleTimeoutNanoseconds == 0 ? 0 : loop.deadline(afterNanoseconds: idleTimeoutNanoseconds)
    }
}
