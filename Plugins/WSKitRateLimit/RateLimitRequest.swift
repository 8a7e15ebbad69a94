import WSKitContract

/// What key and cost functions see of a message about to be rate limited: who sent it, what it
/// is, and the connection's data.
public struct RateLimitRequest<ConnectionData: Sendable>: Sendable {
    /// The connection's id.
    public let clientId: String
    /// The message type.
    public let type: String
    /// Whether the message is an RPC request (a rejection is then a correlated `RPC_ERROR`).
    public let isRPC: Bool
    /// A snapshot of the connection's data.
    public let data: ConnectionData
    /// The message's meta (server-only keys removed).
    public let meta: JSONObject
    /// The validated payload as it arrived.
    public let payload: JSONValue?

    /// Creates a request description (the plugin does; tests of key functions may too).
    public init(clientId: String, type: String, isRPC: Bool, data: ConnectionData, meta: JSONObject = [:], payload: JSONValue? = nil) {
        self.clientId = clientId
        self.type = type
        self.isRPC = isRPC
        self.data = data
        self.meta = meta
        self.payload = payload
    }
}
