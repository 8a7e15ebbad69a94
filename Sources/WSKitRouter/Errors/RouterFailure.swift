import WSKitContract

/// Failures the router itself detects (reported as ``RouterErrorEvent/error``).
public enum RouterFailure: Error, Sendable, CustomStringConvertible {
    /// No handler for the type (answered `UNIMPLEMENTED`).
    case unknownType(String)
    /// A client sent a reserved type no plugin handles (answered `INVALID_ARGUMENT`).
    case reservedType(String)
    /// An RPC request without `meta.correlationId` (answered `ERROR` `INVALID_ARGUMENT`).
    case missingCorrelationId(String)
    /// The request was refused before its handler started (an RPC limit), with the error sent.
    case refused(String, WireError)
    /// An RPC handler (or a middleware) returned without a terminal reply.
    case noReply(String)
    /// A frame arrived while `onOpen` hooks were running and the buffer for such frames was full.
    case openBacklogFull(limit: Int)
    /// An outbound payload could not be encoded or broke its own schema.
    case outboundEncoding(type: String, error: any Error)

    /// A sentence describing the failure.
    public var description: String {
        switch self {
        case .unknownType(let type): "no handler for message type \"\(type)\""
        case .reservedType(let type): "reserved message type \"\(type)\" sent by a client"
        case .missingCorrelationId(let type): "RPC \"\(type)\" without meta.correlationId"
        case .refused(let type, let error): "\"\(type)\" refused: \(error)"
        case .noReply(let type): "RPC \"\(type)\" ended without a reply"
        case .openBacklogFull(let limit): "more than \(limit) frames arrived while onOpen hooks ran"
        case .outboundEncoding(let type, let error): "cannot encode outbound \"\(type)\": \(error)"
        }
    }
}
