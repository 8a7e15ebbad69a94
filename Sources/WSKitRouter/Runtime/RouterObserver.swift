/// Observes what a router does, without influencing it: the test harness records through this,
/// and so can metrics or tracing. Methods run synchronously on the reporting thread.
public protocol RouterObserver: Sendable {
    /// An error was reported (also passed to `onError` hooks).
    func routerDidReport(_ event: RouterErrorEvent)
    /// A plugin published a message to a topic (see ``RouterRuntime/notifyPublish(_:)``).
    func routerDidPublish(_ record: PublishRecord)
}

extension RouterObserver {
    /// Ignored.
    public func routerDidReport(_ event: RouterErrorEvent) {}
    /// Ignored.
    public func routerDidPublish(_ record: PublishRecord) {}
}
