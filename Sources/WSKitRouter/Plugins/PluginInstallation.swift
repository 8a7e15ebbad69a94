import WSKitContract

/// What a plugin registers while the router is built (``RouterPlugin/install(into:)``).
///
/// Plugin middleware runs after payload validation and before the router's global middleware;
/// plugin open hooks run before the application's `onOpen` hooks, plugin close hooks after its
/// `onClose` hooks (so "user left" messages can still use plugin state).
public final class PluginInstallation<ConnectionData: Sendable, Plugins: PluginSet> {
    /// The plugin set being installed (plugins read their own configuration from it).
    public let plugins: Plugins
    /// The router's options.
    public let options: RouterOptions
    /// The router's clock.
    public let clock: any RouterClock

    var middleware: [Middleware<ConnectionData, Plugins>] = []
    var openHooks: [OpenHook<ConnectionData, Plugins>] = []
    var closeHooks: [CloseHook<ConnectionData, Plugins>] = []
    var reservedHandlers: [String: ReservedTypeHandler] = [:]
    var connectionStateFactories: [(ObjectIdentifier, @Sendable () -> any AnyObject & Sendable)] = []
    var inboundFrameHooks: [InboundFrameHookBinding] = []
    var routerStates: [(ObjectIdentifier, any AnyObject & Sendable)] = []
    var problems: [RouterBuildError.Problem] = []
    var currentPlugin = ""

    init(plugins: Plugins, options: RouterOptions, clock: any RouterClock) {
        self.plugins = plugins
        self.options = options
        self.clock = clock
    }

    /// Adds middleware that runs for every routed message, before the router's global middleware.
    public func use(_ middleware: Middleware<ConnectionData, Plugins>) {
        self.middleware.append(middleware)
    }

    /// Adds a hook that runs when a connection opens, before the application's `onOpen` hooks.
    /// Throwing ``ConnectionRefusal`` refuses the connection.
    public func onOpen(_ hook: @escaping OpenHook<ConnectionData, Plugins>) {
        openHooks.append(hook)
    }

    /// Adds a hook that runs when a connection closes, after the application's `onClose` hooks.
    /// It also runs for connections refused while opening.
    public func onClose(_ hook: @escaping CloseHook<ConnectionData, Plugins>) {
        closeHooks.append(hook)
    }

    /// Claims a reserved inbound type (such as `$ws:abort`). The handler runs synchronously in
    /// ``RouterConnection/receive(text:)``: no middleware, no handler task. Claiming a type twice
    /// fails the build.
    public func handleReservedType(_ type: String, _ handler: @escaping ReservedTypeHandler) {
        if reservedHandlers[type] != nil {
            problems.append(.reservedTypeClaimedTwice(type, by: currentPlugin))
        }
        reservedHandlers[type] = handler
    }

    /// Declares per-connection state: `make` runs once per connection, before any open hook, and
    /// the value is reachable with ``ConnectionCore/state(_:)`` by its type.
    public func connectionState<State: AnyObject & Sendable>(_ make: @escaping @Sendable () -> State) {
        connectionStateFactories.append((ObjectIdentifier(State.self), make))
    }

    /// Adds a hook that runs for **every** inbound frame of a connection — data frames before
    /// they are parsed, and the pings and pongs the host reports with
    /// ``ConnectionCore/notePeerActivity()`` — given the connection's `State` (declared with
    /// ``connectionState(_:)``; otherwise the build fails).
    ///
    /// It runs on the host's thread, synchronously, for each frame: keep it to a few instructions
    /// (the heartbeat plugin sets one atomic flag). A router without such hooks pays one `nil`
    /// check per frame.
    public func onInboundFrame<State: AnyObject & Sendable>(
        _ state: State.Type, _ hook: @escaping @Sendable (State) -> Void
    ) {
        if !connectionStateFactories.contains(where: { $0.0 == ObjectIdentifier(State.self) }) {
            fail("onInboundFrame needs connectionState of \(State.self) declared first")
            return
        }
        inboundFrameHooks.append(InboundFrameHookBinding { states in
            for (id, value) in states where id == ObjectIdentifier(State.self) {
                guard let state = value as? State else { return nil }
                return { hook(state) }
            }
            return nil
        })
    }

    /// Declares router-wide state, reachable with ``RouterRuntime/state(_:)`` and
    /// ``ConnectionCore/routerState(_:)`` by its type.
    public func routerState<State: AnyObject & Sendable>(_ value: State) {
        routerStates.append((ObjectIdentifier(State.self), value))
    }

    /// Fails the build with a message (for configuration errors a plugin detects).
    public func fail(_ message: String) {
        problems.append(.pluginFailed(currentPlugin, message))
    }
}

/// An inbound-frame hook before it is bound to one connection's plugin state.
struct InboundFrameHookBinding: Sendable {
    let bind: @Sendable ([(ObjectIdentifier, any AnyObject & Sendable)]) -> (@Sendable () -> Void)?

    init(_ bind: @escaping @Sendable ([(ObjectIdentifier, any AnyObject & Sendable)]) -> (@Sendable () -> Void)?) {
        self.bind = bind
    }

    /// One closure running every hook bound to `states`, or `nil` when there is none.
    static func combine(
        _ bindings: [InboundFrameHookBinding], states: [(ObjectIdentifier, any AnyObject & Sendable)]
    ) -> (@Sendable () -> Void)? {
        if bindings.isEmpty { return nil }
        let hooks = bindings.compactMap { $0.bind(states) }
        switch hooks.count {
        case 0: return nil
        case 1: return hooks[0]
        default: return { for hook in hooks { hook() } }
        }
    }
}

/// A handler for a reserved inbound type claimed by a plugin.
public typealias ReservedTypeHandler = @Sendable (ReservedMessage) -> Void

/// A reserved-type message (`$ws:abort`, …) handed to the plugin that claimed its type.
public struct ReservedMessage: Sendable {
    /// The parsed envelope (server-only meta keys already removed).
    public let envelope: Envelope
    /// When the router received it (router clock, Unix ms).
    public let receivedAt: Int64
    /// The connection it arrived on.
    public let connection: ConnectionCore
}
