import WSKitContract
import WSKitRouter

/// A message published to a topic, as the pub/sub plugin reports it to the router's observers
/// (a ``PluginEvent``: `harness.pluginEvents(PublishRecord.self)` in tests).
public struct PublishRecord: PluginEvent, Hashable {
    /// The topic.
    public var topic: String
    /// The message type.
    public var type: String
    /// The encoded payload (`nil` for messages without payload).
    public var payload: JSONValue?
    /// The meta sent with it.
    public var meta: JSONObject
    /// The publishing connection, or `nil` for a server-side publish.
    public var publisherClientId: String?

    /// Creates a record.
    public init(topic: String, type: String, payload: JSONValue?, meta: JSONObject = [:], publisherClientId: String? = nil) {
        self.topic = topic
        self.type = type
        self.payload = payload
        self.meta = meta
        self.publisherClientId = publisherClientId
    }
}
