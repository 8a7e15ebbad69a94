import WSKitRouter

/// A request the authorisation hook (``PubSubPlugin/authorize``) decides: a connection wants to
/// subscribe to a topic, or someone wants to publish to it.
///
/// The hook runs synchronously on the caller's thread before anything changes; decide from what
/// the connection already knows (load permissions into the connection data in `onOpen`).
public struct TopicAccess: Sendable {
    /// What is asked.
    public enum Action: Sendable, Hashable {
        /// A connection subscribes (`ctx.topics.subscribe`, `room.join`).
        case subscribe
        /// A message is published (`ctx.publish`, `room.broadcast`, `runtime.pubsub.publish`).
        case publish
    }

    /// What is asked.
    public let action: Action
    /// The topic, normalised and validated.
    public let topic: String
    /// The connection asking, or `nil` for a server-side publish (router-level API).
    public let clientId: String?
    /// The connection asking (its typed data is ``data(as:)``), or `nil` server-side.
    public let connection: ConnectionCore?

    /// Creates a request.
    public init(action: Action, topic: String, clientId: String?, connection: ConnectionCore?) {
        self.action = action
        self.topic = topic
        self.clientId = clientId
        self.connection = connection
    }

    /// The asking connection's data as `Data` (the router's `ConnectionData` type), or `nil`
    /// server-side or for another type.
    public func data<Data>(as type: Data.Type = Data.self) -> Data? {
        (connection as? any ConnectionDataSource)?.connectionData as? Data
    }
}

/// A connection whose typed data can be read without knowing its plugin set.
protocol ConnectionDataSource: AnyObject {
    /// A snapshot of the data.
    var connectionData: any Sendable { get }
}

extension RouterConnection: ConnectionDataSource {
    var connectionData: any Sendable { data }
}
