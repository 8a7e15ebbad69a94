import Synchronization
import WSKitContract

/// A composable description of a WebSocket application: typed message handlers, middleware,
/// lifecycle hooks. Knows nothing of sockets.
///
/// ```swift
/// let router = Router<Session, AppPlugins>()
/// router.on(Ping.self) { ctx in
///     ctx.send(Pong.self, .init(text: ctx.payload.text))
/// }
/// try router.merge(chatRoutes())
/// let runtime = try router.build(plugins: AppPlugins())
/// ```
/// `ConnectionData` is the application's per-connection state, typed in every hook and handler;
/// `Plugins` is the installed plugin set, which decides what contexts can do (ADR 0020).
///
/// Registration never fails on the spot: problems (a duplicate type, a reserved type, a missing
/// plugin) are collected and thrown by ``build(plugins:options:clock:observers:)`` — or at once by
/// ``merge(_:onConflict:)`` — so composition errors surface before any connection is served.
public final class Router<ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    let definition = Mutex(RouterDefinition<ConnectionData, Plugins>())

    /// Creates an empty router.
    public init() {}

    // MARK: Handlers

    /// Handles `M` messages: the handler gets the validated payload in ``MessageContext/payload``.
    ///
    /// `middleware` runs after the global middleware, just before the handler. An ``RPC`` type
    /// registered here fails the build (its callers would never get a reply): RPCs are handled
    /// with `rpc(_:_:)` from the RPC plugin.
    @inlinable
    public func on<M: Message>(
        _ type: M.Type, use middleware: [Middleware<ConnectionData, Plugins>] = [],
        _ handler: @escaping MessageHandler<M, ConnectionData, Plugins>
    ) {
        addEvent(M.self, use: middleware, handling: .async(handler))
    }

    /// Handles `M` messages with a handler that does not suspend (a closure without `await`).
    ///
    /// Same rules as the async ``on(_:use:_:)-(_,_,MessageHandler<M,ConnectionData,Plugins>)``;
    /// the difference is how it runs. When the route has no middleware at all (plugin, global or
    /// per-handler), the handler runs inline on the thread that received the message, with no
    /// task: it has answered before ``RouterConnection/receive(text:)`` returns. With middleware
    /// (which is `async`), it runs after the middleware chain in the message's task, exactly like
    /// an async handler. A closure that contains `await` picks the async overload.
    @inlinable
    public func on<M: Message>(
        _ type: M.Type, use middleware: [Middleware<ConnectionData, Plugins>] = [],
        _ handler: @escaping SyncMessageHandler<M, ConnectionData, Plugins>
    ) {
        addEvent(M.self, use: middleware, handling: .sync(handler))
    }

    /// The body of both ``on(_:use:_:)`` overloads: an event route, refused for an ``RPC`` type.
    @inlinable
    func addEvent<M: Message>(
        _ type: M.Type, use middleware: [Middleware<ConnectionData, Plugins>],
        handling handler: RouteHandler<M, ConnectionData, Plugins>
    ) {
        if M.self is any RPC.Type {
            record(.rpcRegisteredAsEvent(M.type))
            return
        }
        addRoute(M.self, kind: .event, use: middleware, requiredPlugin: nil, admit: nil, finish: nil, handling: handler)
    }

    /// Registers a route: the primitive behind ``on(_:use:_:)`` and plugins' router APIs (such as
    /// the RPC plugin's `rpc`).
    ///
    /// - Parameters:
    ///   - kind: ``RouteKind/rpc`` makes the router require a correlation id and guarantee a
    ///     terminal answer.
    ///   - requiredPlugin: the plugin whose API registers the route; a router built without it
    ///     fails to build.
    ///   - admit: runs after payload validation and before middleware, synchronously; returning
    ///     an error refuses the message with it (no handler task is created).
    ///   - finish: runs once for every message that passed validation, when its handling ends —
    ///     after the handler, after a middleware short-circuit, after a refusal by `admit`, or
    ///     after the exchange was cancelled and its handler returned. Plugins release per-request
    ///     state here.
    ///
    /// Inlinable so that the route's start closure is specialised for the concrete message,
    /// data and plugin types in the caller's module (no generic metadata lookups per message).
    @inlinable
    public func addRoute<M: Message>(
        _ type: M.Type, kind: RouteKind, use middleware: [Middleware<ConnectionData, Plugins>] = [],
        requiredPlugin: (any RouterPlugin.Type)? = nil,
        admit: (@Sendable (MessageContext<M, ConnectionData, Plugins>) -> WireError?)? = nil,
        finish: (@Sendable (MessageExchange) -> Void)? = nil,
        handler: @escaping MessageHandler<M, ConnectionData, Plugins>
    ) {
        addRoute(
            M.self, kind: kind, use: middleware, requiredPlugin: requiredPlugin, admit: admit, finish: finish,
            handling: .async(handler))
    }

    /// Registers a route whose handler does not suspend; see
    /// ``addRoute(_:kind:use:requiredPlugin:admit:finish:handler:)-(_,_,_,_,_,_,MessageHandler<M,ConnectionData,Plugins>)``
    /// for the parameters.
    ///
    /// When the route's whole middleware chain (plugin, global and per-route, known at `build`)
    /// is empty, the handler runs inline on the receiving thread with no task, under the same
    /// answer rules; otherwise it runs in the message's task after the middleware, like an async
    /// handler.
    @inlinable
    public func addRoute<M: Message>(
        _ type: M.Type, kind: RouteKind, use middleware: [Middleware<ConnectionData, Plugins>] = [],
        requiredPlugin: (any RouterPlugin.Type)? = nil,
        admit: (@Sendable (MessageContext<M, ConnectionData, Plugins>) -> WireError?)? = nil,
        finish: (@Sendable (MessageExchange) -> Void)? = nil,
        handler: @escaping SyncMessageHandler<M, ConnectionData, Plugins>
    ) {
        addRoute(
            M.self, kind: kind, use: middleware, requiredPlugin: requiredPlugin, admit: admit, finish: finish,
            handling: .sync(handler))
    }

    /// The body of both `addRoute` overloads. The route's start closure is chosen once, at
    /// `build`, when the whole middleware chain is known: a synchronous handler with no
    /// middleware runs inline, every other handler in a task.
    @inlinable
    func addRoute<M: Message>(
        _ type: M.Type, kind: RouteKind, use middleware: [Middleware<ConnectionData, Plugins>],
        requiredPlugin: (any RouterPlugin.Type)?, admit: (@Sendable (MessageContext<M, ConnectionData, Plugins>) -> WireError?)?,
        finish: (@Sendable (MessageExchange) -> Void)?, handling: RouteHandler<M, ConnectionData, Plugins>
    ) {
        register(
            type: M.type, message: M.self, kind: kind, middleware: middleware, requiredPlugin: requiredPlugin,
            extraMetaKeys: M.extraMetaKeys, finish: finish,
            bind: { chain -> BoundRoute.Start in
                let handler: MessageHandler<M, ConnectionData, Plugins>
                switch handling {
                case .sync(let sync) where chain.isEmpty:
                    return { connection, exchange in
                        RouterRuntime.runRoute(
                            M.self, connection: connection, exchange: exchange, admit: admit, handler: sync)
                    }
                case .sync(let sync): handler = sync
                case .async(let async): handler = async
                }
                return { connection, exchange in
                    RouterRuntime.startRoute(
                        M.self, connection: connection, exchange: exchange, middleware: chain,
                        admit: admit, handler: handler)
                }
            })
    }

    /// Stores a route (the non-generic half of ``addRoute(_:kind:use:requiredPlugin:admit:finish:handler:)``).
    @usableFromInline
    func register(
        type: String, message: any Message.Type, kind: RouteKind, middleware: [Middleware<ConnectionData, Plugins>],
        requiredPlugin: (any RouterPlugin.Type)?, extraMetaKeys: Set<String>,
        finish: (@Sendable (MessageExchange) -> Void)?,
        bind: @escaping @Sendable ([Middleware<ConnectionData, Plugins>]) -> BoundRoute.Start
    ) {
        let route = RouteEntry<ConnectionData, Plugins>(
            type: type, kind: kind, message: message, middleware: middleware,
            requiredPlugin: requiredPlugin.map(PluginRequirement.init), extraMetaKeys: extraMetaKeys, bind: bind,
            finish: finish)
        definition.withLock { $0.add(route) }
    }

    /// Records a composition problem, reported by `build`.
    @usableFromInline
    func record(_ problem: RouterBuildError.Problem) {
        definition.withLock { $0.problems.append(problem) }
    }

    // MARK: Middleware and hooks

    /// Adds global middleware: it runs for every routed message of this router, in registration
    /// order, after validation and plugin middleware, before per-handler middleware.
    public func use(_ middleware: Middleware<ConnectionData, Plugins>) {
        definition.withLock { $0.middleware.append(middleware) }
    }

    /// Adds global middleware from a closure; see ``use(_:)-(Middleware<ConnectionData,Plugins>)``.
    public func use(_ body: @escaping @Sendable (MiddlewareContext<ConnectionData, Plugins>, Next) async throws -> Void) {
        use(Middleware(body))
    }

    /// Adds a hook that runs when a connection opens, after plugin open hooks, in registration
    /// order. Throw ``ConnectionRefusal`` to refuse the connection with a close code.
    public func onOpen(_ hook: @escaping OpenHook<ConnectionData, Plugins>) {
        definition.withLock { $0.openHooks.append(hook) }
    }

    /// Adds a hook that runs once when an accepted connection has closed, with the close code and
    /// reason, before plugin close hooks.
    public func onClose(_ hook: @escaping CloseHook<ConnectionData, Plugins>) {
        definition.withLock { $0.closeHooks.append(hook) }
    }

    /// Adds a hook that runs each time the connection's host has written a backlog that built up
    /// behind a slow reader — after a send returned ``SendResult/buffered`` — so the application
    /// can send what it held back (flow control: see `Examples/FlowControl`). Runs synchronously
    /// on the host's thread, in registration order.
    public func onDrain(_ hook: @escaping DrainHook<ConnectionData, Plugins>) {
        definition.withLock { $0.drainHooks.append(hook) }
    }

    /// Adds a hook that sees every error the router reports (``RouterErrorEvent``).
    public func onError(_ hook: @escaping ErrorHook) {
        definition.withLock { $0.errorHooks.append(hook) }
    }

    // MARK: Composition

    /// Copies another router's routes, middleware and hooks into this one.
    ///
    /// - The other router's global middleware becomes per-route middleware of *its* routes
    ///   (running after this router's global middleware): a feature router's `use` guards its own
    ///   handlers and nothing else.
    /// - Its lifecycle and error hooks are appended to this router's.
    /// - A message type handled by both follows `onConflict`; with ``ConflictPolicy/error`` (the
    ///   default) nothing is merged and the duplicates are thrown.
    ///
    /// The copy is taken now: later registrations on `other` are not seen.
    public func merge(_ other: Router<ConnectionData, Plugins>, onConflict: ConflictPolicy = .error) throws(RouterBuildError) {
        let incoming = other.definition.withLock { $0 }
        let failure = definition.withLock { definition -> RouterBuildError? in
            let duplicates = incoming.order.filter { definition.routes[$0] != nil }
            if onConflict == .error, !duplicates.isEmpty {
                return RouterBuildError(problems: duplicates.map { .duplicateType($0) })
            }
            for type in incoming.order {
                guard var route = incoming.routes[type] else { continue }
                route.middleware = incoming.middleware + route.middleware
                if definition.routes[type] != nil {
                    if onConflict == .skip { continue }
                    definition.routes[type] = route
                } else {
                    definition.routes[type] = route
                    definition.order.append(type)
                }
            }
            definition.openHooks += incoming.openHooks
            definition.closeHooks += incoming.closeHooks
            definition.drainHooks += incoming.drainHooks
            definition.errorHooks += incoming.errorHooks
            definition.problems += incoming.problems
            return nil
        }
        if let failure { throw failure }
    }

    /// The message types with a handler, in registration order.
    public var messageTypes: [String] { definition.withLock { $0.order } }

    /// The registered routes, in registration order: each message type with its kind and Swift
    /// type (what descriptions of the router, such as `WSKitDescription`'s, are built from).
    public var routes: [RegisteredRoute] {
        definition.withLock { definition in
            definition.order.compactMap { type in
                definition.routes[type].map { RegisteredRoute(kind: $0.kind, message: $0.message) }
            }
        }
    }

    // MARK: Building

    /// Checks the composition and installs the plugins, producing the runtime a host drives.
    ///
    /// Throws every problem at once: duplicate or reserved types, routes or plugins whose
    /// required plugin is not in `plugins`, a plugin listed twice, a plugin whose installation
    /// fails.
    ///
    /// - Parameters:
    ///   - clock: the source of every timestamp and timer (a test harness passes a fake one).
    ///   - observers: see every reported error and plugin event (the harness records through one).
    public func build(
        plugins: Plugins, options: RouterOptions = RouterOptions(), clock: any RouterClock = SystemClock(),
        observers: [any RouterObserver] = []
    ) throws(RouterBuildError) -> RouterRuntime<ConnectionData, Plugins> {
        let snapshot = definition.withLock { $0 }
        var problems = snapshot.problems
        let installed = plugins.installedPlugins
        var present = Set<ObjectIdentifier>()
        for plugin in installed {
            let pluginType = type(of: plugin)
            if !present.insert(ObjectIdentifier(pluginType)).inserted {
                problems.append(.duplicatePlugin(pluginType.pluginName))
            }
        }
        for plugin in installed {
            let pluginType = type(of: plugin)
            for required in pluginType.requiredPlugins where !present.contains(ObjectIdentifier(required)) {
                problems.append(.missingPlugin(required.pluginName, requiredBy: "the plugin \(pluginType.pluginName)"))
            }
        }
        for type in snapshot.order {
            if let required = snapshot.routes[type]?.requiredPlugin, !present.contains(required.id) {
                problems.append(.missingPlugin(required.name, requiredBy: "the handler for \"\(type)\""))
            }
        }
        let installation = PluginInstallation<ConnectionData, Plugins>(plugins: plugins, options: options, clock: clock)
        for plugin in installed {
            installation.currentPlugin = type(of: plugin).pluginName
            do {
                try plugin.install(into: installation)
            } catch {
                problems.append(.pluginFailed(installation.currentPlugin, String(describing: error)))
            }
        }
        problems += installation.problems
        guard problems.isEmpty else { throw RouterBuildError(problems: problems) }
        return RouterRuntime(
            plugins: plugins, options: options, clock: clock, definition: snapshot,
            installation: installation, observers: observers)
    }
}

extension Router where Plugins == NoPlugins {
    /// Builds a router that uses no plugins.
    public func build(
        options: RouterOptions = RouterOptions(), clock: any RouterClock = SystemClock(),
        observers: [any RouterObserver] = []
    ) throws(RouterBuildError) -> RouterRuntime<ConnectionData, Plugins> {
        try build(plugins: NoPlugins(), options: options, clock: clock, observers: observers)
    }
}
