import WSKitContract

/// Why a publish failed. Publishing never throws: it returns ``PublishResult/failed(_:)``.
public struct PublishError: WireErrorConvertible, Sendable, Hashable, CustomStringConvertible {
    /// The failure, with WS-Kit's code names.
    public enum Code: String, Sendable, Hashable {
        /// The topic name is invalid (``InvalidTopicReason`` in ``PublishError/reason``).
        case invalidTopic = "INVALID_TOPIC"
        /// The authorisation hook refused the publish.
        case aclPublish = "ACL_PUBLISH"
        /// The message could not be encoded, failed its own schema, has a reserved type, or (raw
        /// text) is not UTF-8.
        case validation = "VALIDATION"
        /// The encoded message is larger than ``PubSubPlugin/maxMessageBytes``.
        case payloadTooLarge = "PAYLOAD_TOO_LARGE"
        /// The adapter could not publish (broker down or overloaded): nobody received it.
        case adapterError = "ADAPTER_ERROR"
    }

    /// The failure.
    public var code: Code
    /// The topic (normalised when it could be).
    public var topic: String
    /// Why the topic is invalid, for ``Code/invalidTopic``.
    public var reason: InvalidTopicReason?
    /// The adapter's error, for ``Code/adapterError``.
    public var adapterError: PubSubAdapterError?
    /// A sentence for logs.
    public var message: String

    /// Creates an error.
    public init(
        _ code: Code, topic: String, reason: InvalidTopicReason? = nil, adapterError: PubSubAdapterError? = nil,
        message: String
    ) {
        self.code = code
        self.topic = topic
        self.reason = reason
        self.adapterError = adapterError
        self.message = message
    }

    /// Whether publishing again later may succeed (adapter outages and overload: nothing was
    /// delivered, so retrying does not duplicate).
    public var isRetryable: Bool { adapterError?.isRetryable ?? false }

    /// The error as a client would see it if the application forwards it: `INVALID_ARGUMENT`,
    /// `PERMISSION_DENIED`, `RESOURCE_EXHAUSTED` (too large, not retryable) or `UNAVAILABLE`.
    public var wireError: WireError {
        var details: JSONObject = ["code": .string(code.rawValue), "topic": .string(topic)]
        if let reason { details["reason"] = .string(reason.code) }
        switch code {
        case .invalidTopic, .validation: return WireError(code: .invalidArgument, message: message, details: details)
        case .aclPublish: return WireError(code: .permissionDenied, message: message, details: details)
        case .payloadTooLarge:
            return WireError(code: .resourceExhausted, message: message, details: details, retryImpossible: true)
        case .adapterError:
            return WireError(code: .unavailable, message: message, details: details, retryable: isRetryable)
        }
    }

    /// `CODE "topic": message`.
    public var description: String { "\(code.rawValue) \"\(topic)\": \(message)" }
}
