/// The standard keys of an envelope's `meta` object.
public enum MetaKey {
    /// Correlates an RPC request with its progress, reply or `RPC_ERROR` (string, client-chosen).
    public static let correlationId = "correlationId"
    /// The client's deadline for an RPC, in milliseconds from receipt (non-negative integer).
    public static let timeoutMs = "timeoutMs"
    /// The sender's clock in Unix milliseconds. Informational from clients; always set by the
    /// server on outbound messages.
    public static let timestamp = "timestamp"
    /// Server-only: the connection's id. Stripped from inbound messages.
    public static let clientId = "clientId"
    /// Server-only: when the server received the message. Stripped from inbound messages.
    public static let receivedAt = "receivedAt"

    /// The keys every client message may carry.
    public static let clientAllowed: Set<String> = [correlationId, timeoutMs, timestamp]
    /// The keys only the server may set; a client that sends them has them removed before
    /// validation, so they can never be spoofed.
    public static let serverOnly: Set<String> = [clientId, receivedAt]

    /// The longest accepted `correlationId`, in UTF-8 bytes.
    public static let maxCorrelationIdBytes = 256
}
