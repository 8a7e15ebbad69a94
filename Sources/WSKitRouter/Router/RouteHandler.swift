import WSKitContract

/// A route's handler as registered: the one body behind both overloads of ``Router/on(_:use:_:)``
/// and ``Router/addRoute(_:kind:use:requiredPlugin:admit:finish:handler:)``.
@usableFromInline
enum RouteHandler<M: Message, ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    /// Runs in the message's task, after the middleware.
    case async(MessageHandler<M, ConnectionData, Plugins>)
    /// Does not suspend: runs inline when the route has no middleware, else like `async`.
    case sync(SyncMessageHandler<M, ConnectionData, Plugins>)
}
