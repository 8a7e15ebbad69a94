/// Why `send` refused a message.
public enum MessagingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message's type is reserved for the protocol.
    case reservedType(String)

    /// A sentence describing the error.
    public var description: String {
        switch self {
        case .reservedType(let type): "\"\(type)\" is a reserved type and cannot be sent"
        }
    }
}
