import WSKitRouter

/// A plugin set with ``RPCPlugin`` installed: its routers have `rpc`, and RPC handlers get
/// ``RPCContext``.
public protocol RPCInstalled: PluginSet {
    /// The installed RPC plugin.
    var rpc: RPCPlugin { get }
}
