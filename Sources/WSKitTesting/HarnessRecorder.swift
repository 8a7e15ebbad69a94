import Synchronization
import WSKitRouter

/// The observer through which a harness captures reported errors and publishes.
final class HarnessRecorder: RouterObserver {
    private struct State {
        var errors: [RouterErrorEvent] = []
        var publishes: [PublishRecord] = []
    }

    private let state = Mutex(State())

    func routerDidReport(_ event: RouterErrorEvent) {
        state.withLock { $0.errors.append(event) }
    }

    func routerDidPublish(_ record: PublishRecord) {
        state.withLock { $0.publishes.append(record) }
    }

    var errors: [RouterErrorEvent] { state.withLock { $0.errors } }
    var publishes: [PublishRecord] { state.withLock { $0.publishes } }

    func clear() { state.withLock { $0 = State() } }
}
