import WSKitRouter

/// A plugin set with ``PubSubPlugin`` installed: its contexts have `topics`, `publish` and
/// `room`, and its built routers have `pubsub`.
public protocol PubSubInstalled: PluginSet {
    /// The installed pub/sub plugin.
    var pubsub: PubSubPlugin { get }
}
