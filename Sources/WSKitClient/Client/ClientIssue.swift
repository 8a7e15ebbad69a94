import WSKitContract

/// Something that went wrong outside any request: reported to `onError` handlers and the
/// `issues()` stream, never thrown.
public enum ClientIssue: Sendable, CustomStringConvertible {
    /// An inbound frame was not a valid envelope.
    case malformedMessage(EnvelopeError)
    /// An inbound message's payload failed its type's validation; its handlers were skipped.
    case invalidPayload(type: String, ValidationFailure)
    /// A handler threw (the other handlers still ran); carries the error's description.
    case handlerFailed(type: String, error: String)
    /// The server sent an uncorrelated `ERROR`.
    case serverError(WireError)

    /// A one-line summary.
    public var description: String {
        switch self {
        case .malformedMessage(let error): "malformed message: \(error)"
        case .invalidPayload(let type, let failure): "invalid \(type) payload: \(failure)"
        case .handlerFailed(let type, let error): "\(type) handler failed: \(error)"
        case .serverError(let error): "server error \(error)"
        }
    }
}
