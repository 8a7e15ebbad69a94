import WSKitContract
import WSKitRouter

/// A room as the server sees it (`runtime.pubsub.room("lobby")`): its members' connection data
/// on this instance, and broadcasts to all members on every instance.
public struct Room<ConnectionData: Sendable, Plugins: PubSubInstalled>: Sendable {
    /// The room's name as given (its topic, normalised when used).
    public let name: String
    @usableFromInline let runtime: RouterRuntime<ConnectionData, Plugins>

    init(name: String, runtime: RouterRuntime<ConnectionData, Plugins>) {
        self.name = name
        self.runtime = runtime
    }

    private var hub: PubSubHub? { runtime.state(PubSubHub.self) }

    private func members(excluding clientId: String?) -> [TopicMember] {
        guard let hub else { return [] }
        let members = hub.members(of: hub.configuration.topicRules.normalize(name))
        guard let clientId else { return members }
        return members.filter { $0.clientId != clientId }
    }

    /// The members' connection data on this instance, in join order, without the connection
    /// `excluding` (if given).
    public func peers(excluding clientId: String? = nil) -> [ConnectionData] {
        members(excluding: clientId).compactMap { $0.data() as? ConnectionData }
    }

    /// The members' connection ids on this instance, in join order.
    public func peerIds(excluding clientId: String? = nil) -> [String] {
        members(excluding: clientId).map(\.clientId)
    }

    /// How many members are on this instance (without `excluding`).
    public func count(excluding clientId: String? = nil) -> Int {
        guard let hub else { return 0 }
        let topic = hub.configuration.topicRules.normalize(name)
        if clientId == nil { return hub.subscriberCount(of: topic) }
        return hub.localCount(topic, excluding: clientId)
    }

    /// Whether the connection `clientId` is a member on this instance.
    public func contains(_ clientId: String) -> Bool {
        members(excluding: nil).contains { $0.clientId == clientId }
    }

    /// Publishes an `M` to every member on every instance (but the connection
    /// ``PublishOptions/excluding(_:)`` names); see ``PubSub/publish(_:_:to:options:)``.
    @inlinable @discardableResult
    public func broadcast<M: Message>(
        _ type: M.Type, _ payload: M.Payload, options: PublishOptions = PublishOptions()
    ) async -> PublishResult {
        await runtime.pubsub.publish(M.self, payload, to: name, options: options)
    }
}
