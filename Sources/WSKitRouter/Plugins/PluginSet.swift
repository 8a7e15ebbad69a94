/// The plugins a router is built with: a type the application declares, conforming to the
/// *installed* protocol of each plugin it uses.
///
/// ```swift
/// struct AppPlugins: MessagingInstalled, RPCInstalled {
///     var messaging = MessagingPlugin()
///     var rpc = RPCPlugin(maxInFlightPerConnection: 64)
/// }
/// let router = Router<Session, AppPlugins>()
/// ```
/// Every standard plugin has its *installed* protocol (`MessagingInstalled`, `RPCInstalled`,
/// `PubSubInstalled`, `RateLimitInstalled`, `HeartbeatInstalled`), and so should third-party
/// ones: the conformance is what makes a plugin part of the set's type. The router and every
/// handler context are generic over this type, so capabilities exist exactly where their plugin is
/// installed (ADR 0020). Feature routers can stay generic over it:
/// `func chatRoutes<P: MessagingInstalled>() -> Router<Session, P>`.
public protocol PluginSet: Sendable {
    /// The plugins to install, in order: their middleware runs in this order, their open hooks
    /// too, their close hooks in reverse.
    ///
    /// The default lists every stored property whose value is a ``RouterPlugin``, in declaration
    /// order (read once, when the router is built).
    var installedPlugins: [any RouterPlugin] { get }
}

extension PluginSet {
    /// Every stored property that is a ``RouterPlugin``, in declaration order.
    public var installedPlugins: [any RouterPlugin] {
        Mirror(reflecting: self).children.compactMap { $0.value as? any RouterPlugin }
    }
}

/// The empty plugin set: a router with only the core (typed handlers, middleware, lifecycle,
/// errors).
public struct NoPlugins: PluginSet {
    /// Creates the empty set.
    public init() {}
    /// None.
    public var installedPlugins: [any RouterPlugin] { [] }
}
