/// Why an adapter could not do what the hub asked.
public struct PubSubAdapterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Hashable {
        /// The broker is not reachable (an outage; the adapter reconnects by itself).
        case unavailable
        /// Too many operations are in flight; try again later.
        case overloaded
        /// The broker refused or failed the operation.
        case failed
        /// The adapter was shut down, or is used by another router.
        case closed
    }

    /// The kind of failure.
    public var kind: Kind
    /// The adapter's name (`"redis"`).
    public var adapter: String
    /// What happened.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, adapter: String, _ message: String) {
        self.kind = kind
        self.adapter = adapter
        self.message = message
    }

    /// Whether retrying later may succeed.
    public var isRetryable: Bool { kind == .unavailable || kind == .overloaded }

    /// `adapter kind: message`.
    public var description: String { "\(adapter) \(kind.rawValue): \(message)" }
}
