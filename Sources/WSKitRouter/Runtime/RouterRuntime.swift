import Synchronization
import WSKitContract
import WSKitMetrics

/// A built router: immutable routes, middleware, hooks and plugins, ready to host connections.
///
/// Made by ``Router/build(plugins:options:clock:observers:)``. A host calls ``open(_:data:)``
/// for each WebSocket connection and drives the returned ``RouterConnection`` (see
/// `docs/router-hosting.md`).
public final class RouterRuntime<ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    /// The installed plugins.
    public let plugins: Plugins
    /// The options.
    public let options: RouterOptions
    /// The clock every timestamp and timer uses.
    public let clock: any RouterClock

    let dispatcher: Dispatcher
    let routeOrder: [String]
    let pluginOpenHooks: [OpenHook<ConnectionData, Plugins>]
    let openHooks: [OpenHook<ConnectionData, Plugins>]
    let closeHooks: [CloseHook<ConnectionData, Plugins>]
    let pluginCloseHooks: [CloseHook<ConnectionData, Plugins>]
    let drainHooks: [DrainHook<ConnectionData, Plugins>]
    let errorHooks: [ErrorHook]
    let connectionStateFactories: [(ObjectIdentifier, @Sendable () -> any AnyObject & Sendable)]
    let inboundFrameHooks: [InboundFrameHookBinding]
    let routerStates: [(ObjectIdentifier, any AnyObject & Sendable)]
    let observers: [any RouterObserver]
    let tracker = TaskTracker()

    init(
        plugins: Plugins, options: RouterOptions, clock: any RouterClock,
        definition: RouterDefinition<ConnectionData, Plugins>,
        installation: PluginInstallation<ConnectionData, Plugins>, observers: [any RouterObserver]
    ) {
        self.plugins = plugins
        self.options = options
        self.clock = clock
        routeOrder = definition.order
        // Plugin middleware, then the router's global middleware, then each route's own.
        let global = installation.middleware + definition.middleware
        var bound: [String: BoundRoute] = [:]
        for (type, route) in definition.routes {
            bound[type] = BoundRoute(
                kind: route.kind, extraMetaKeys: route.extraMetaKeys,
                start: route.bind(global + route.middleware), finish: route.finish)
        }
        dispatcher = Dispatcher(
            routes: bound, reservedHandlers: installation.reservedHandlers, options: options, clock: clock)
        pluginOpenHooks = installation.openHooks
        openHooks = definition.openHooks
        closeHooks = definition.closeHooks
        pluginCloseHooks = installation.closeHooks.reversed()
        drainHooks = definition.drainHooks
        errorHooks = definition.errorHooks
        connectionStateFactories = installation.connectionStateFactories
        inboundFrameHooks = installation.inboundFrameHooks
        routerStates = installation.routerStates
        self.observers = observers
    }

    // MARK: Hosting

    /// Opens a connection: creates its plugin state, then runs plugin open hooks and the
    /// application's `onOpen` hooks in a task that starts synchronously (so when no hook
    /// suspends, the connection is open when this returns).
    ///
    /// Frames received before the hooks finish are buffered and dispatched in order afterwards.
    /// A refusal asks the transport to close; ``RouterConnection/openDecision`` tells the
    /// outcome.
    public func open(_ transport: any RouterTransport, data: ConnectionData) -> RouterConnection<ConnectionData, Plugins> {
        let states = connectionStateFactories.map { ($0.0, $0.1()) }
        let connection = RouterConnection(
            runtime: self, transport: transport, data: data,
            clientId: transport.clientId ?? options.makeClientId(), pluginStates: states)
        connection.spawn { [self] in await self.runOpen(connection) }
        return connection
    }

    /// The message types with a handler, in registration order.
    public var messageTypes: [String] { routeOrder }

    /// The route kind of a message type, if it has a handler.
    public func routeKind(of type: String) -> RouteKind? { dispatcher.routes[type]?.kind }

    /// Handler and lifecycle tasks still running (for leak checks).
    public var activeTaskCount: Int { tracker.active }

    /// The router-wide state a plugin declared, by its type.
    public func state<State: AnyObject & Sendable>(_ type: State.Type) -> State? {
        for (id, value) in routerStates where id == ObjectIdentifier(State.self) { return value as? State }
        return nil
    }

    // MARK: Reporting

    /// Passes an error to the `onError` hooks and observers.
    public func report(_ event: RouterErrorEvent) {
        if let metrics = options.metrics {
            metrics.increment(.routerErrors, by: 1, labels: MetricLabels(
                "code", event.sentToClient?.code.rawValue ?? "NONE", "phase", "\(event.phase)"))
        }
        for hook in errorHooks { hook(event) }
        for observer in observers { observer.routerDidReport(event) }
    }

    /// Whether any observer watches this router: a plugin can skip building an event nobody
    /// would see.
    public var isObserved: Bool { !observers.isEmpty }

    /// Passes a plugin's event to every observer (``RouterObserver/routerDidEmit(_:)``).
    public func emit(_ event: some PluginEvent) {
        for observer in observers { observer.routerDidEmit(event) }
    }

    /// Where the router's plugins report metrics (``RouterOptions/metrics``), nil when none.
    public var metrics: (any MetricsSink)? { options.metrics }
}
