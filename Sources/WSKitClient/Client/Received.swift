import WSKitContract

/// A validated message from the server, as `on` handlers and `messages(of:)` deliver it.
public struct Received<M: Message>: Sendable {
    /// The validated payload.
    public var payload: M.Payload
    /// The envelope's meta (`timestamp`, `correlationId`, extra keys).
    public var meta: JSONObject

    /// Creates a received message.
    public init(payload: M.Payload, meta: JSONObject) {
        self.payload = payload
        self.meta = meta
    }

    /// `meta.timestamp`: the server's clock in Unix milliseconds, when sent.
    public var timestamp: Double? { meta[MetaKey.timestamp]?.doubleValue }

    /// `meta.correlationId`, when present.
    public var correlationId: String? { meta[MetaKey.correlationId]?.stringValue }
}
