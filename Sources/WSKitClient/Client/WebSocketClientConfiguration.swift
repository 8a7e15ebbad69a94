import WSKitContract

/// Everything a `WebSocketClient` can be told. Every property has a working default; only the
/// URL is required.
public struct WebSocketClientConfiguration: Sendable {
    /// The server's URL: the first connection attempt goes there.
    public var url: WebSocketURL
    /// Other URLs of the same service (other instances sharing a broker, another region): each
    /// connection attempt — reconnections and retries after a failure — uses the next URL of
    /// ``endpoints`` (`url`, then these, then `url` again), so a client whose server goes away
    /// moves to another one. Default empty: every attempt goes to `url`. Topic positions carry
    /// over (recovery needs the instances to share the streams, e.g. through Redis).
    public var alternateURLs: [WebSocketURL]
    /// Per-connection options: subprotocols, headers, limits, connect timeout, heartbeat (on by
    /// default: a ping after 30 s of silence, dead after 10 s more), transport.
    public var connection: WebSocketConnectionOptions
    /// Reconnection after failures and drops.
    public var reconnect: ReconnectPolicy
    /// What happens to messages sent while not open. Default `.dropNewest`.
    public var queuePolicy: OfflineQueuePolicy
    /// The offline queue's capacity, in messages (requests included). Default 1000.
    public var queueCapacity: Int
    /// The most requests awaiting a reply (queued ones included). Default 1000.
    public var pendingRequestLimit: Int
    /// The default request timeout. Default 30 s.
    public var requestTimeout: Duration
    /// Token-based authentication, if any.
    public var auth: ClientAuth?
    /// Whether a `send` or `request` on a closed client that was never connected (or gave up)
    /// starts connecting by itself; never after `close()`, which only `connect()` undoes.
    /// Default false.
    public var autoConnect: Bool
    /// Whether outbound payloads are validated against their message's constraints before
    /// sending. Default `.enabled`: an invalid message never costs a round trip.
    public var outboundValidation: OutboundValidation
    /// Limits of the JSON parser for inbound messages.
    public var jsonLimits: JSONLimits
    /// The clock of reconnect delays and request timeouts.
    public var clock: any ClientClock
    /// A random number in `0 ..< 1`, for backoff jitter.
    public var random: @Sendable () -> Double

    /// Every URL the client connects to, in the order attempts use them: `url`, then
    /// ``alternateURLs``.
    public var endpoints: [WebSocketURL] { [url] + alternateURLs }

    /// Creates a configuration; every parameter but `url` has the default documented on its
    /// property.
    public init(
        url: WebSocketURL,
        connection: WebSocketConnectionOptions = WebSocketConnectionOptions(),
        reconnect: ReconnectPolicy = ReconnectPolicy(),
        queuePolicy: OfflineQueuePolicy = .dropNewest,
        queueCapacity: Int = 1000,
        pendingRequestLimit: Int = 1000,
        requestTimeout: Duration = .seconds(30),
        auth: ClientAuth? = nil,
        alternateURLs: [WebSocketURL] = [],
        autoConnect: Bool = false,
        outboundValidation: OutboundValidation = .enabled,
        jsonLimits: JSONLimits = .default,
        clock: any ClientClock = SystemClientClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0 ..< 1) }
    ) {
        self.url = url
        self.connection = connection
        self.reconnect = reconnect
        self.queuePolicy = queuePolicy
        self.queueCapacity = queueCapacity
        self.pendingRequestLimit = pendingRequestLimit
        self.requestTimeout = requestTimeout
        self.auth = auth
        self.alternateURLs = alternateURLs
        self.autoConnect = autoConnect
        self.outboundValidation = outboundValidation
        self.jsonLimits = jsonLimits
        self.clock = clock
        self.random = random
    }
}
