/// A close the server asked for.
public struct ServerClose: Sendable, Hashable {
    /// The close code.
    public var code: UInt16
    /// The close reason.
    public var reason: String

    /// Creates a close description.
    public init(code: UInt16, reason: String) {
        self.code = code
        self.reason = reason
    }
}
