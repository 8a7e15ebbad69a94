import WSKitContract

/// One route of a ``Router``, as ``Router/routes`` lists it: the message's Swift type and whether
/// it is answered as an event or an RPC.
public struct RegisteredRoute: Sendable {
    /// Event or RPC.
    public let kind: RouteKind
    /// The message type (an `RPC` type for RPC routes).
    public let message: any Message.Type

    /// The wire type (`message.type`).
    public var type: String { message.type }
}
