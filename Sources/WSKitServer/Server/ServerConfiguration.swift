import CWSKitShims
import WSKitMetrics
import WSKitProtocol
#if canImport(Glibc)
import Glibc
#endif

/// What the server does when a connection's unsent bytes would exceed `maxBufferedBytes`.
public enum BackpressurePolicy: Sendable, Hashable {
    /// Drop the message that would exceed the limit; the send reports `.dropped`.
    case drop
    /// Close the connection with this code (1008 policy violation or 1013 try again later).
    case close(WebSocketCloseCode)
}

/// Everything the server can be told at start-up. Limits are on by default.
public struct ServerConfiguration: Sendable {
    /// The address to bind (an IPv4 or IPv6 literal).
    public var host: String
    /// The port to bind; `0` picks a free one (read it back from `WebSocketServer.port`).
    public var port: Int
    /// How many event loops (threads) to run; defaults to the number of online cores.
    public var loopCount: Int
    /// Frame, message and fragment limits, and the close-handshake timeout.
    public var limits: WebSocketLimits
    /// Request-line and header limits for the upgrade request.
    public var httpLimits: HTTPRequestLimits
    /// Connections (upgraded or handshaking) across all loops; beyond it upgrades get 503.
    public var maxConnections: Int
    /// Unsent bytes one connection may hold before `backpressurePolicy` applies.
    public var maxBufferedBytes: Int
    /// What happens at `maxBufferedBytes`.
    public var backpressurePolicy: BackpressurePolicy
    /// Unsent bytes at which the server stops reading from a connection until they are written
    /// (read backpressure): a peer that sends without reading its replies is then slowed by TCP
    /// flow control instead of filling memory or taking the loop's time. Capped at
    /// `maxBufferedBytes`. Default 64 KiB.
    public var readPauseThreshold: Int
    /// How long a client has to complete its upgrade request (slowloris defence). Default 10 s.
    public var handshakeTimeout: Duration
    /// How long a connection may stay without inbound bytes before the server closes it with
    /// 1001; `.zero` disables. Default 120 s.
    public var idleTimeout: Duration
    /// How long graceful shutdown waits for close handshakes before closing the rest. Default 5 s.
    public var shutdownTimeout: Duration
    /// `Origin` values allowed to upgrade; `nil` allows any (non-browser clients send none).
    public var allowedOrigins: Set<String>?
    /// Subprotocols the server speaks, in order of preference; the first one the client also
    /// offers is selected. Empty: no subprotocol is selected.
    public var subprotocols: [String]
    /// Size of each loop's single read buffer.
    public var readBufferSize: Int
    /// Period of each loop's coarse timer (timeouts are checked at this granularity; at least
    /// 1 ms). Default 1 s.
    public var timerResolution: Duration
    /// Where the server logs.
    public var logger: any ServerLogger
    /// TLS (`wss://`): certificates, versions, ciphers; nil serves plain TCP (`ws://`). The
    /// handshake timeout covers the TLS handshake too. See `WebSocketServer.reloadTLS`.
    public var tls: TLSServerConfiguration? = nil
    /// permessage-deflate (RFC 7692): nil (the default) declines it; options accept the first
    /// acceptable offer with that policy (context takeover, window sizes, zlib levels, size
    /// threshold). See `docs/compression.md`.
    public var compression: PerMessageDeflateOptions? = nil
    /// Where the server reports its metrics (connections, handshakes, messages, bytes,
    /// backpressure; see `Metric`); nil (the default) reports nothing and costs one check per
    /// event. Serve a ``MetricsRegistry`` on `/metrics` with `HTTPResponse.prometheus(_:)`.
    public var metrics: (any MetricsSink)? = nil
    /// Limits per client address: connections held and handshakes per second (ADR 0093). On by
    /// default (1,000 connections, 100 handshakes per second with bursts of 200), loopback
    /// exempt; `.unlimited` turns them off. Beyond them upgrades get 503.
    public var clientAddressLimits: ClientAddressLimits = .default
    /// Unsent bytes all connections together may hold (their backlogs, summed across loops;
    /// ADR 0093). At the cap, a backlogged connection that sends more is closed with 1013 (try
    /// again later), which frees its backlog, and new upgrades get 503 with `Retry-After`.
    /// Default 1 GiB; it bounds memory where `maxBufferedBytes` alone (per connection) cannot.
    public var maxTotalBufferedBytes: Int = 1 << 30

    /// Creates a configuration; every argument has a safe default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        loopCount: Int = ServerConfiguration.availableCores,
        limits: WebSocketLimits = .default,
        httpLimits: HTTPRequestLimits = .default,
        maxConnections: Int = 65_536,
        maxBufferedBytes: Int = 1 << 20,
        backpressurePolicy: BackpressurePolicy = .drop,
        readPauseThreshold: Int = 64 * 1024,
        handshakeTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(120),
        shutdownTimeout: Duration = .seconds(5),
        allowedOrigins: Set<String>? = nil,
        subprotocols: [String] = [],
        readBufferSize: Int = 256 * 1024,
        timerResolution: Duration = .seconds(1),
        logger: any ServerLogger = StandardErrorLogger(minimumLevel: .notice)
    ) {
        self.host = host
        self.port = port
        self.loopCount = loopCount
        self.limits = limits
        self.httpLimits = httpLimits
        self.maxConnections = maxConnections
        self.maxBufferedBytes = maxBufferedBytes
        self.backpressurePolicy = backpressurePolicy
        self.readPauseThreshold = readPauseThreshold
        self.handshakeTimeout = handshakeTimeout
        self.idleTimeout = idleTimeout
        self.shutdownTimeout = shutdownTimeout
        self.allowedOrigins = allowedOrigins
        self.subprotocols = subprotocols
        self.readBufferSize = readBufferSize
        self.timerResolution = timerResolution
        self.logger = logger
    }

    /// Safe defaults for an application server.
    public static var `default`: ServerConfiguration { ServerConfiguration() }

    /// Limits raised for the Autobahn conformance suite and echo benchmarks (messages up to
    /// 64 MiB, fragmented into up to a million frames), one loop per core.
    public static func conformance(port: Int) -> ServerConfiguration {
        ServerConfiguration(
            port: port,
            limits: WebSocketLimits(maxFrameSize: 64 << 20, maxMessageSize: 64 << 20, maxFragments: 1 << 20),
            maxBufferedBytes: 128 << 20
        )
    }

    /// The number of cores this process may use (at least 1): the CPUs in its affinity mask
    /// (`taskset`, `sched_setaffinity`, container cpusets), capped by a cgroup v2 CPU quota.
    /// This is the default loop count, so a server pinned to one core runs one loop instead of
    /// several loops that would take turns on that core.
    public static var availableCores: Int { Int(cwskit_available_cpus()) }

    /// The old name of ``availableCores``, from when the default counted online CPUs rather than
    /// the CPUs the process may run on.
    @available(*, deprecated, renamed: "availableCores")
    public static var onlineCores: Int { availableCores }

    func validate() throws(ServerError) {
        guard loopCount >= 1 else { throw .invalidConfiguration("loopCount must be at least 1") }
        guard (0 ... 65535).contains(port) else { throw .invalidConfiguration("port out of range") }
        guard maxBufferedBytes > 0, maxConnections > 0, readPauseThreshold > 0, maxTotalBufferedBytes > 0 else { throw .invalidConfiguration("limits must be positive") }
        guard clientAddressLimits.maxConnections > 0, clientAddressLimits.maxTrackedAddresses > 0 else {
            throw .invalidConfiguration("clientAddressLimits must be positive")
        }
        if let rate = clientAddressLimits.handshakeRate {
            guard rate.count > 0, rate.burst > 0, rate.interval > .zero else {
                throw .invalidConfiguration("clientAddressLimits.handshakeRate must be positive")
            }
        }
        guard readBufferSize >= 4096 else { throw .invalidConfiguration("readBufferSize must be at least 4096") }
        guard timerResolution >= .milliseconds(1) else { throw .invalidConfiguration("timerResolution must be at least 1 ms") }
        if case let .close(code) = backpressurePolicy, !code.isSendable {
            throw .invalidConfiguration("backpressure close code \(code) cannot be sent")
        }
    }
}
