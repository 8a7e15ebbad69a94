import WSKitContract

/// An error the router reports to `onError` hooks and observers: a frame it could not decode or
/// route, a payload that failed validation, a handler or hook that threw, an RPC that ended
/// without a reply.
///
/// Explicit `ctx.error(...)` calls are not reported: they are answers, not failures.
public struct RouterErrorEvent: Sendable, CustomStringConvertible {
    /// Where the error happened.
    public enum Phase: Sendable, Hashable {
        /// The frame is not a valid envelope (malformed JSON, envelope rules).
        case decode
        /// The envelope is valid but cannot be routed (unknown or reserved type, missing
        /// correlation id) or was refused before its handler started (an RPC limit).
        case dispatch
        /// The payload or meta failed validation.
        case validation
        /// A middleware or handler threw, or an RPC ended without a reply.
        case handler
        /// An `onOpen` hook threw.
        case open
        /// An `onClose` hook threw.
        case close
        /// An outbound message could not be encoded or failed outbound validation.
        case send
        /// A plugin reported an error.
        case plugin
    }

    /// Where the error happened.
    public var phase: Phase
    /// The error: a ``RouterFailure``, an `EnvelopeError`, a `ValidationFailure`, or whatever a
    /// handler or hook threw.
    public var error: any Error
    /// The connection, when there is one.
    public var clientId: String?
    /// The inbound message type, when known.
    public var messageType: String?
    /// The inbound `meta.correlationId`, when known.
    public var correlationId: String?
    /// The error sent to the client because of this, if any.
    public var sentToClient: WireError?

    /// Creates an event.
    public init(
        phase: Phase, error: any Error, clientId: String? = nil, messageType: String? = nil,
        correlationId: String? = nil, sentToClient: WireError? = nil
    ) {
        self.phase = phase
        self.error = error
        self.clientId = clientId
        self.messageType = messageType
        self.correlationId = correlationId
        self.sentToClient = sentToClient
    }

    /// The event as structured log metadata: `phase`, and when known `clientId`, `messageType`,
    /// `correlationId` and the `code` sent to the client (logging bridges attach it to the record).
    public var logMetadata: [String: String] {
        var metadata = ["phase": "\(phase)"]
        if let clientId { metadata["clientId"] = clientId }
        if let messageType { metadata["messageType"] = String(messageType.prefix(64)) }
        if let correlationId { metadata["correlationId"] = String(correlationId.prefix(64)) }
        if let sentToClient { metadata["code"] = sentToClient.code.rawValue }
        return metadata
    }

    /// `phase [type] clientId: error`.
    public var description: String {
        var text = "\(phase)"
        if let messageType { text += " [\(messageType)]" }
        if let clientId { text += " \(clientId)" }
        return text + ": \(error)"
    }
}
