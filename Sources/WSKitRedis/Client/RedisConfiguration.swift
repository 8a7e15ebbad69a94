/// Where and how to connect, and how to behave when the connection drops.
public struct RedisConfiguration: Sendable, Hashable {
    /// Host name or IP literal. Default `127.0.0.1`. Names are resolved on the connection's I/O
    /// thread at every (re)connect.
    public var host: String
    /// TCP port. Default 6379.
    public var port: Int
    /// ACL user name; `nil` authenticates as the `default` user (plain `requirepass`).
    public var username: String?
    /// Password sent with `HELLO 3 AUTH` (RESP3) or `AUTH` (RESP2); `nil` sends none.
    public var password: String?
    /// Database selected with `SELECT` after every (re)connect when not 0. Default 0.
    public var database: Int
    /// Sent as the connection name (`HELLO ... SETNAME` or `CLIENT SETNAME`), if set.
    public var clientName: String?
    /// The protocol to ask for. With `.resp3` (default) the client sends `HELLO 3` and falls back
    /// to RESP2 when the server does not know `HELLO`; with `.resp2` it never sends `HELLO`.
    public var protocolVersion: RedisProtocolVersion
    /// Time allowed for the TCP connection plus the handshake (`HELLO`, `AUTH`, `SELECT`).
    /// Default 5 s.
    public var connectTimeout: Duration
    /// Default per-command timeout; `nil` waits forever (blocking commands). Default 5 s.
    public var commandTimeout: Duration?
    /// Delays between reconnect attempts.
    public var reconnect: RedisReconnectBackoff
    /// Bounds on what the server may send.
    public var limits: RESPLimits

    /// Creates a configuration; every parameter defaults to the value documented on its property.
    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        clientName: String? = nil,
        protocolVersion: RedisProtocolVersion = .resp3,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration? = .seconds(5),
        reconnect: RedisReconnectBackoff = RedisReconnectBackoff(),
        limits: RESPLimits = .default
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.clientName = clientName
        self.protocolVersion = protocolVersion
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.reconnect = reconnect
        self.limits = limits
    }
}
