/// A capability installed into a router: messaging, RPC, pub/sub, rate limiting, heartbeats.
///
/// A plugin contributes up to four things (ADR 0020):
/// 1. **Middleware, lifecycle hooks, reserved-type handlers and per-connection state**, registered
///    in ``install(into:)`` when the router is built.
/// 2. **Context capabilities**: methods in an extension of ``RouterContext`` constrained on the
///    plugin's *installed* protocol, e.g.
///    `extension RouterContext where Plugins: MessagingInstalled { func send(…) }`.
/// 3. **Router API**: methods in an extension of ``Router`` constrained the same way (the RPC
///    plugin's `rpc(_:_:)`), registering routes with ``Router/addRoute(_:kind:use:requiredPlugin:admit:finish:handler:)``.
/// 4. **Requirements**: ``requiredPlugins``, checked when the router is built, and any protocol
///    constraints on its capability extensions, checked by the compiler.
///
/// The installed protocol (`MessagingInstalled`, `RPCInstalled`) refines ``PluginSet`` and
/// requires the plugin as a property, so a plugin set *is installed* exactly when it can offer the
/// plugin: calling a capability whose plugin is absent does not compile.
public protocol RouterPlugin: Sendable {
    /// A name for error messages. Defaults to the type's name.
    static var pluginName: String { get }

    /// Plugins that must be installed alongside this one; a missing one fails
    /// ``Router/build(plugins:options:clock:observers:)``.
    static var requiredPlugins: [any RouterPlugin.Type] { get }

    /// Registers the plugin's middleware, hooks, reserved-type handlers and state. Called once per
    /// build, in plugin-set order. Throwing fails the build.
    func install<ConnectionData: Sendable, Plugins: PluginSet>(
        into installation: PluginInstallation<ConnectionData, Plugins>
    ) throws
}

extension RouterPlugin {
    /// The type's name.
    public static var pluginName: String { String(describing: Self.self) }
    /// None.
    public static var requiredPlugins: [any RouterPlugin.Type] { [] }
}
