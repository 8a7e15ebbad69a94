import WSKitContract

/// One registered message type: its kind, middleware and the type-specialised start closure.
struct RouteEntry<ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    let type: String
    let kind: RouteKind
    /// Per-route middleware, including the global middleware of the feature router it was merged
    /// from (which runs first).
    var middleware: [Middleware<ConnectionData, Plugins>]
    /// The plugin whose router API registered the route, checked at build.
    let requiredPlugin: PluginRequirement?
    /// Meta keys the message type allows besides the standard ones.
    let extraMetaKeys: Set<String>
    /// Decodes the payload and starts the handler; built where the message type is known.
    let start: @Sendable (RouteRequest<ConnectionData, Plugins>) -> Void
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

/// Everything a route needs to run one inbound message.
struct RouteRequest<ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    let runtime: RouterRuntime<ConnectionData, Plugins>
    let connection: RouterConnection<ConnectionData, Plugins>
    let exchange: MessageExchange
    let payload: JSONValue?
    let middleware: [Middleware<ConnectionData, Plugins>]
}
