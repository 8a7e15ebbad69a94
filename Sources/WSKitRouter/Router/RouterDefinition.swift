import WSKitContract

/// The mutable contents of a ``Router``: routes, middleware, hooks, and problems found while
/// registering (reported by `build`).
struct RouterDefinition<ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    var routes: [String: RouteEntry<ConnectionData, Plugins>] = [:]
    /// Registration order of `routes`' keys.
    var order: [String] = []
    var middleware: [Middleware<ConnectionData, Plugins>] = []
    var openHooks: [OpenHook<ConnectionData, Plugins>] = []
    var closeHooks: [CloseHook<ConnectionData, Plugins>] = []
    var drainHooks: [DrainHook<ConnectionData, Plugins>] = []
    var errorHooks: [ErrorHook] = []
    var problems: [RouterBuildError.Problem] = []

    mutating func add(_ route: RouteEntry<ConnectionData, Plugins>) {
        if route.type.isEmpty {
            problems.append(.emptyType)
            return
        }
        if ReservedType.isReserved(route.type) {
            problems.append(.reservedType(route.type))
            return
        }
        if routes[route.type] != nil {
            problems.append(.duplicateType(route.type))
            return
        }
        routes[route.type] = route
        order.append(route.type)
    }
}
