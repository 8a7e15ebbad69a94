import WSKit

/// The feed's router: every connection subscribes on open, leaves on close, flushes on drain;
/// `SET_RATE` changes the shared rate (rate-limited per watcher by ``FeedPlugins``).
public enum FeedRouter {
    /// The router for `feed`.
    public static func make(feed: LiveFeed) -> Router<Watcher, FeedPlugins> {
        let router = Router<Watcher, FeedPlugins>()
        router.onOpen { ctx in feed.subscribe(ConnectionContext(ctx.connection)) }
        router.onClose { ctx in feed.unsubscribe(clientId: ctx.clientId) }
        router.onDrain { ctx in feed.drained(clientId: ctx.clientId) }
        router.on(SetRate.self) { ctx in feed.setRate(ctx.payload.perSecond) }
        return router
    }
}
