/// Why a presence operation failed.
public struct PresenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The room name is empty, too long or has a character that is not allowed.
        case invalidRoom = "INVALID_ROOM"
        /// The presence key is empty or too long.
        case invalidKey = "INVALID_KEY"
        /// The meta uses a reserved field (`$…`) or is larger than the plugin allows.
        case invalidMeta = "INVALID_META"
        /// The connection does not track the room (``ConnectionPresence/update(_:meta:)``).
        case notTracked = "NOT_TRACKED"
        /// The store (Redis) is unreachable. Tracking done meanwhile is kept locally and written
        /// once it is back; a subscription is not made.
        case unavailable = "UNAVAILABLE"
        /// The store no longer holds this instance's lease (it was cut off longer than the lease).
        case leaseLost = "LEASE_LOST"
        /// The connection is closed, or the store was shut down.
        case closed = "CLOSED"
        /// The presence plugin is not installed.
        case notInstalled = "NOT_INSTALLED"
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for logs.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `CODE: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
