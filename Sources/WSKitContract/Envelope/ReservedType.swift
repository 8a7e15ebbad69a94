/// Message types the protocol itself uses. Applications cannot define messages with these types,
/// nor with any type beginning `$` or `__`.
public enum ReservedType {
    /// An uncorrelated error, server → client.
    public static let error = "ERROR"
    /// An RPC error carrying the request's `meta.correlationId`, server → client (terminal).
    public static let rpcError = "RPC_ERROR"
    /// An RPC progress update, server → client (non-terminal).
    public static let rpcProgress = "$ws:rpc-progress"
    /// Cancels the RPC with `meta.correlationId`, client → server.
    public static let abort = "$ws:abort"
    /// Application-level ping, client → server.
    public static let heartbeat = "__heartbeat"
    /// Reply to ``heartbeat``, server → client, with the server's time in `meta.timestamp`.
    public static let heartbeatAck = "__heartbeat_ack"

    /// The prefixes reserved for protocol types.
    public static let prefixes = ["$", "__"]

    /// Whether `type` is reserved: it begins with `$` or `__`, or is `ERROR` or `RPC_ERROR`.
    public static func isReserved(_ type: String) -> Bool {
        let utf8 = type.utf8
        guard let first = utf8.first else { return false }
        if first == UInt8(ascii: "$") { return true }
        if first == UInt8(ascii: "_"), utf8.dropFirst().first == UInt8(ascii: "_") { return true }
        return type == error || type == rpcError
    }
}
