/// An error that knows how it looks on the wire: throw it from a handler, middleware or plugin and
/// the router answers with ``wireError`` (`RPC_ERROR` for an RPC, `ERROR` otherwise) — the
/// counterpart of Vapor's `AbortError`.
///
/// ```swift
/// enum PollError: WireErrorConvertible {
///     case unknownPoll(String)
///     case closed
///
///     var wireError: WireError {
///         switch self {
///         case .unknownPoll(let id): WireError(.notFound, "No poll \(id)", details: ["pollId": .string(id)])
///         case .closed: WireError(code: .failedPrecondition, message: "The poll is closed")
///         }
///     }
/// }
///
/// router.rpc(Vote.self) { ctx in
///     guard let poll = polls[ctx.payload.pollId] else { throw PollError.unknownPoll(ctx.payload.pollId) }
///     …
/// }
/// ```
/// What a thrown error becomes (`docs/wire-protocol.md`, "What a throwing handler produces"):
/// a ``WireError`` goes out as is, a ``ValidationFailure`` as `INVALID_ARGUMENT` with
/// `details.issues`, any other `WireErrorConvertible` as its ``wireError``; every other error as
/// `INTERNAL`. The router's error sanitizer still cleans `details`. `WireError`,
/// `ValidationFailure`, `EnvelopeError` and the plugins' own errors (`PubSubError`,
/// `PublishError`, `RateLimitFailure`) conform.
public protocol WireErrorConvertible: Error {
    /// The error as the client should see it: code, message, details and retry hints
    /// (`retryable`, `retryAfterMs`).
    var wireError: WireError { get }
}

extension WireError: WireErrorConvertible {
    /// Itself.
    public var wireError: WireError { self }
}

extension ValidationFailure: WireErrorConvertible {
    /// `INVALID_ARGUMENT` "Validation failed" with the issues in `details.issues`.
    public var wireError: WireError { WireError(validation: self) }
}

extension EnvelopeError: WireErrorConvertible {}
