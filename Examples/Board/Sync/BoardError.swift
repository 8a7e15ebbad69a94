import WSKit

/// Why the server refused an edit.
public enum BoardError: WireErrorConvertible, Equatable {
    /// `NOT_FOUND`: no shape with that id.
    case noSuchShape(String)
    /// `INVALID_ARGUMENT`: a field out of range.
    case invalidFields(String)
    /// `RESOURCE_EXHAUSTED`: the board holds its maximum number of shapes.
    case boardFull(Int)

    /// The code and message the client sees.
    public var wireError: WireError {
        switch self {
        case .noSuchShape(let id): WireError(.notFound, "No shape \(id)", details: ["shapeId": .string(id)])
        case .invalidFields(let problem): WireError(.invalidArgument, problem)
        case .boardFull(let limit): WireError(.resourceExhausted, "A board holds at most \(limit) shapes")
        }
    }
}
