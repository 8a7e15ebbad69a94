import Synchronization
import Testing
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// Per-connection data of the test apps.
struct Session: Sendable, Equatable {
    var userId: String?
    var room: String?
    var hits = 0
}

/// Messaging and RPC.
struct AppPlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
}

/// Messaging only.
struct MessagingPlugins: MessagingInstalled {
    var messaging = MessagingPlugin()
}

/// A thread-safe list of events, to assert order across handlers, middleware and hooks.
final class EventLog: Sendable {
    private let entries = Mutex<[String]>([])

    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

/// A flag set when a handler observes something (cancellation, a run).
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// A gate a handler waits on until the test opens it — to hold a handler without the clock.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
