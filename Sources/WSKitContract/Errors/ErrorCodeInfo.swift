/// Retry metadata of a standard error code: the one table the server uses to fill in defaults and
/// clients use to infer retry behaviour.
public struct ErrorCodeInfo: Sendable, Hashable {
    /// Whether an error with this code may be retried.
    public enum Retryability: Sendable, Hashable {
        /// Never retry (the request itself is wrong).
        case no
        /// Retry with backoff (the condition is transient).
        case yes
        /// The application decides (`INTERNAL`); clients treat it as not retryable unless the
        /// error says `retryable: true`.
        case maybe
    }

    /// Whether `retryAfterMs` may accompany the code.
    public enum RetryAfterRule: Sendable, Hashable {
        /// `retryAfterMs` is dropped: retrying cannot help.
        case forbidden
        /// `retryAfterMs` may be sent.
        case optional
    }

    /// Whether the code is retryable.
    public var retryable: Retryability
    /// The backoff to suggest when the sender gives none (sent as the wire's `retryAfterMs`).
    public var suggestedBackoff: Duration?
    /// Whether `retryAfterMs` may be sent with the code.
    public var retryAfterRule: RetryAfterRule
    /// The default message when the sender gives none.
    public var description: String

    /// Creates an entry.
    public init(retryable: Retryability, suggestedBackoff: Duration?, retryAfterRule: RetryAfterRule, description: String) {
        self.retryable = retryable
        self.suggestedBackoff = suggestedBackoff
        self.retryAfterRule = retryAfterRule
        self.description = description
    }

    /// The table of the 13 standard codes (WS-Kit's `ERROR_CODE_META`).
    public static let table: [ErrorCode: ErrorCodeInfo] = [
        .unauthenticated: .init(retryable: .no, suggestedBackoff: nil, retryAfterRule: .forbidden,
                                description: "Authentication required or failed"),
        .permissionDenied: .init(retryable: .no, suggestedBackoff: nil, retryAfterRule: .forbidden,
                                 description: "Permission denied"),
        .invalidArgument: .init(retryable: .no, suggestedBackoff: nil, retryAfterRule: .forbidden,
                                description: "Invalid argument"),
        .failedPrecondition: .init(retryable: .no, suggestedBackoff: nil, retryAfterRule: .forbidden,
                                   description: "Failed precondition"),
        .notFound: .init(retryable: .no, suggestedBackoff: nil, retryAfterRule: .forbidden,
                         description: "Not found"),
        .alreadyExists: .init(retryable: .no, suggestedBackoff: nil, retryAfterRule: .forbidden,
                              description: "Already exists"),
        .unimplemented: .init(retryable: .no, suggestedBackoff: nil, retryAfterRule: .forbidden,
                              description: "Not implemented"),
        .cancelled: .init(retryable: .no, suggestedBackoff: nil, retryAfterRule: .forbidden,
                          description: "Cancelled"),
        .deadlineExceeded: .init(retryable: .yes, suggestedBackoff: .milliseconds(50), retryAfterRule: .optional,
                                 description: "Deadline exceeded"),
        .resourceExhausted: .init(retryable: .yes, suggestedBackoff: .milliseconds(100), retryAfterRule: .optional,
                                  description: "Resource exhausted"),
        .unavailable: .init(retryable: .yes, suggestedBackoff: .milliseconds(100), retryAfterRule: .optional,
                            description: "Service unavailable"),
        .aborted: .init(retryable: .yes, suggestedBackoff: .milliseconds(50), retryAfterRule: .optional,
                        description: "Aborted"),
        .internal: .init(retryable: .maybe, suggestedBackoff: .milliseconds(200), retryAfterRule: .optional,
                         description: "Internal server error"),
    ]
}
