import Synchronization
import WSKitRouter

/// The observer through which a harness captures reported errors and plugin events.
final class HarnessRecorder: RouterObserver {
    private struct State {
        var errors: [RouterErrorEvent] = []
        var pluginEvents: [any PluginEvent] = []
    }

    private let state = Mutex(State())

    func routerDidReport(_ event: RouterErrorEvent) {
        state.withLock { $0.errors.append(event) }
    }

    func routerDidEmit(_ event: any PluginEvent) {
        state.withLock { $0.pluginEvents.append(event) }
    }

    var errors: [RouterErrorEvent] { state.withLock { $0.errors } }
    var pluginEvents: [any PluginEvent] { state.withLock { $0.pluginEvents } }

    func clear() { state.withLock { $0 = State() } }
}
