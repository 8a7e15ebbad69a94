import WSKitContract

/// Why a subscription change failed. Topic mutations throw it ("mutations throw, actions
/// return"); a failed change leaves the connection's topics as they were.
///
/// Throw it on (the router answers with ``wireError``), or send it with `ctx.error(error.wireError)`.
public struct PubSubError: WireErrorConvertible, Sendable, Hashable, CustomStringConvertible {
    /// The failure, with WS-Kit's code names.
    public enum Code: String, Sendable, Hashable {
        /// The topic name is invalid (``InvalidTopicReason``).
        case invalidTopic = "INVALID_TOPIC"
        /// The authorisation hook refused the subscription.
        case aclSubscribe = "ACL_SUBSCRIBE"
        /// The connection would exceed ``PubSubPlugin/maxTopicsPerConnection``.
        case topicLimitExceeded = "TOPIC_LIMIT_EXCEEDED"
        /// The connection is closed or closing.
        case connectionClosed = "CONNECTION_CLOSED"
        /// The adapter could not confirm the subscription (rolled back).
        case adapterError = "ADAPTER_ERROR"
    }

    /// The failure.
    public var code: Code
    /// The topic concerned (normalised), if one.
    public var topic: String?
    /// Why the topic is invalid, for ``Code/invalidTopic``.
    public var reason: InvalidTopicReason?
    /// A sentence for logs and clients.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, topic: String? = nil, reason: InvalidTopicReason? = nil, message: String) {
        self.code = code
        self.topic = topic
        self.reason = reason
        self.message = message
    }

    /// The error as the client should see it: `INVALID_ARGUMENT` (invalid topic),
    /// `PERMISSION_DENIED` (refused), `RESOURCE_EXHAUSTED` with `retryAfterMs: null` (limit: retry
    /// only after unsubscribing), `FAILED_PRECONDITION` (closed) or `UNAVAILABLE` (adapter), with
    /// `details.code` the pub/sub code and `details.topic` the topic.
    public var wireError: WireError {
        var details: JSONObject = ["code": .string(code.rawValue)]
        if let topic { details["topic"] = .string(topic) }
        if let reason { details["reason"] = .string(reason.code) }
        switch code {
        case .invalidTopic: return WireError(code: .invalidArgument, message: message, details: details)
        case .aclSubscribe: return WireError(code: .permissionDenied, message: message, details: details)
        case .topicLimitExceeded:
            return WireError(code: .resourceExhausted, message: message, details: details, retryImpossible: true)
        case .connectionClosed: return WireError(code: .failedPrecondition, message: message, details: details)
        case .adapterError: return WireError(code: .unavailable, message: message, details: details)
        }
    }

    /// `CODE topic: message`.
    public var description: String { "\(code.rawValue)\(topic.map { " \"\($0)\"" } ?? ""): \(message)" }
}
