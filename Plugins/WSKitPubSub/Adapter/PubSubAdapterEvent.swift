/// Something an adapter reports about the broker, for logs and metrics: outages and recoveries,
/// and failures that no caller is waiting for.
///
/// The plugin passes every event to ``PubSubPlugin/onAdapterEvent`` and reports the failures
/// (``isFailure``) to the router's `onError` hooks.
public enum PubSubAdapterEvent: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broker connection went down; publishes fail until it is back.
    case disconnected(adapter: String, reason: String)
    /// The broker connection is back and the topic interest is restored.
    case reconnected(adapter: String)
    /// A publish that nobody awaited (``PubSubAdapter/post(_:)``) failed.
    case publishFailed(topic: String, PubSubAdapterError)
    /// A message from the broker could not be decoded and was dropped.
    case undecodableMessage(adapter: String, channel: String)

    /// Whether the event is a failure (everything but a recovery).
    public var isFailure: Bool {
        if case .reconnected = self { return false }
        return true
    }

    /// A sentence describing the event.
    public var description: String {
        switch self {
        case let .disconnected(adapter, reason): "pub/sub adapter \(adapter) disconnected: \(reason)"
        case let .reconnected(adapter): "pub/sub adapter \(adapter) reconnected"
        case let .publishFailed(topic, error): "publish to \"\(topic)\" failed: \(error)"
        case let .undecodableMessage(adapter, channel): "pub/sub adapter \(adapter) dropped an undecodable message on \(channel)"
        }
    }
}
