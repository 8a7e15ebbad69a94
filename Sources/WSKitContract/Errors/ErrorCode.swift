/// An error code on the wire: one of the 13 standard, gRPC-aligned codes or a custom string.
///
/// Standard codes carry retry metadata in ``info``; custom codes (`"ROOM_FULL"`) are allowed and
/// have none.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The code string, e.g. `"NOT_FOUND"`.
    public var rawValue: String

    /// Creates a code from its string.
    @inlinable public init(rawValue: String) { self.rawValue = rawValue }
    /// Creates a code from its string.
    @inlinable public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Creates a code from a literal.
    @inlinable public init(stringLiteral value: String) { self.rawValue = value }

    /// The code string.
    public var description: String { rawValue }

    /// Authentication is missing or failed. Not retryable.
    public static let unauthenticated = ErrorCode("UNAUTHENTICATED")
    /// Authenticated, but not allowed. Not retryable.
    public static let permissionDenied = ErrorCode("PERMISSION_DENIED")
    /// The request is malformed or fails validation. Not retryable.
    public static let invalidArgument = ErrorCode("INVALID_ARGUMENT")
    /// The system is not in a state that allows the operation. Not retryable.
    public static let failedPrecondition = ErrorCode("FAILED_PRECONDITION")
    /// The resource does not exist. Not retryable.
    public static let notFound = ErrorCode("NOT_FOUND")
    /// The resource already exists. Not retryable.
    public static let alreadyExists = ErrorCode("ALREADY_EXISTS")
    /// The operation (or message type) is not implemented. Not retryable.
    public static let unimplemented = ErrorCode("UNIMPLEMENTED")
    /// The request was cancelled by the client. Not retryable.
    public static let cancelled = ErrorCode("CANCELLED")
    /// The deadline passed before the operation finished. Retryable.
    public static let deadlineExceeded = ErrorCode("DEADLINE_EXCEEDED")
    /// A rate limit, quota or buffer is exhausted. Retryable.
    public static let resourceExhausted = ErrorCode("RESOURCE_EXHAUSTED")
    /// The service is temporarily unavailable. Retryable.
    public static let unavailable = ErrorCode("UNAVAILABLE")
    /// A concurrency conflict aborted the operation. Retryable.
    public static let aborted = ErrorCode("ABORTED")
    /// An unexpected server error. Retryability is the application's call (not retried by default).
    public static let `internal` = ErrorCode("INTERNAL")

    /// The 13 standard codes, in the order of the table in `docs/wire-protocol.md`.
    public static let standard: [ErrorCode] = [
        .unauthenticated, .permissionDenied, .invalidArgument, .failedPrecondition, .notFound,
        .alreadyExists, .unimplemented, .cancelled, .deadlineExceeded, .resourceExhausted,
        .unavailable, .aborted, .internal,
    ]

    /// Whether this is one of the 13 standard codes.
    public var isStandard: Bool { ErrorCodeInfo.table[self] != nil }

    /// The retry metadata of a standard code; `nil` for custom codes.
    public var info: ErrorCodeInfo? { ErrorCodeInfo.table[self] }
}
