import WSKitContract

/// One registered message type: its kind, middleware and the type-specialised start closure.
struct RouteEntry<ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    let type: String
    let kind: RouteKind
    /// The registered message type (for descriptions of the router).
    let message: any Message.Type
    /// Per-route middleware, including the global middleware of the feature router it was merged
    /// from (which runs first).
    var middleware: [Middleware<ConnectionData, Plugins>]
    /// The plugin whose router API registered the route, checked at build.
    let requiredPlugin: PluginRequirement?
    /// Meta keys the message type allows besides the standard ones.
    let extraMetaKeys: Set<String>
    /// Makes the route's start closure, given its whole middleware chain (plugin, global, then
    /// per-route); written where the message type is known.
    let bind: @Sendable ([Middleware<ConnectionData, Plugins>]) -> BoundRoute.Start
    /// Runs when a message's handling ends, however it ends (see `addRoute`'s `finish`).
    let finish: (@Sendable (MessageExchange) -> Void)?
}

/// A required plugin, by identity and name.
struct PluginRequirement: Sendable, Hashable {
    let id: ObjectIdentifier
    let name: String

    init(_ type: any RouterPlugin.Type) {
        id = ObjectIdentifier(type)
        name = type.pluginName
    }
}
