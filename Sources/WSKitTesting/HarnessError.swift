import WSKitContract

/// Why a harness operation failed.
public enum HarnessError: Error, Sendable, CustomStringConvertible {
    /// An RPC got no terminal answer although nothing was left to run: the caller would hang.
    case unsettled(correlationId: String, frames: [TestFrame])
    /// Timers, tasks or jobs were left behind.
    case leaks([String])
    /// A frame had another type than expected.
    case unexpectedFrame(expected: String, frame: TestFrame)
    /// A frame's payload did not decode.
    case undecodable(type: String, ValidationFailure)
    /// A payload could not be encoded for sending.
    case unencodable(type: String, String)

    /// A sentence describing the failure.
    public var description: String {
        switch self {
        case .unsettled(let id, let frames):
            "RPC \(id) never settled (no reply or RPC_ERROR); frames: \(frames.map(\.text))"
        case .leaks(let leaks): "left behind: " + leaks.joined(separator: "; ")
        case .unexpectedFrame(let expected, let frame): "expected \(expected), got \(frame.text)"
        case .undecodable(let type, let failure): "\(type) payload does not decode: \(failure)"
        case .unencodable(let type, let reason): "cannot encode \(type): \(reason)"
        }
    }
}
