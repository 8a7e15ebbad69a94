/// Observes what a router does, without influencing it: the test harness records through this,
/// and so can metrics or tracing. Methods run synchronously on the reporting thread.
public protocol RouterObserver: Sendable {
    /// An error was reported (also passed to `onError` hooks).
    func routerDidReport(_ event: RouterErrorEvent)
    /// A plugin emitted an event (see ``RouterRuntime/emit(_:)``); cast it to the plugin's
    /// event types you know.
    func routerDidEmit(_ event: any PluginEvent)
}

extension RouterObserver {
    /// Ignored.
    public func routerDidReport(_ event: RouterErrorEvent) {}
    /// Ignored.
    public func routerDidEmit(_ event: any PluginEvent) {}
}
