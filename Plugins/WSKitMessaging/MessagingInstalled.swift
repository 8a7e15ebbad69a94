import WSKitRouter

/// A plugin set with ``MessagingPlugin`` installed: its contexts have `send`.
public protocol MessagingInstalled: PluginSet {
    /// The installed messaging plugin.
    var messaging: MessagingPlugin { get }
}
