import WSKitRouter

/// A plugin set with presence: conform and hold a ``PresencePlugin`` to get `ctx.presence` and
/// `runtime.presence`.
public protocol PresenceInstalled: PluginSet {
    /// The installed presence plugin.
    var presence: PresencePlugin { get }
}
