import WSKit

/// The app's errors. Each maps itself to what the client sees: throw it anywhere in a handler or
/// middleware and the router answers with its `wireError`.
public enum PollError: WireErrorConvertible, Equatable {
    case noSuchPoll(String)
    case noSuchOption(Int)

    public var wireError: WireError {
        switch self {
        case .noSuchPoll(let id): WireError(.notFound, "No poll \(id)", details: ["pollId": .string(id)])
        case .noSuchOption(let option): WireError(.invalidArgument, "No option \(option)")
        }
    }
}
