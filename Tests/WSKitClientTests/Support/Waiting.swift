import Testing
import WSKitLiveFixtures
@testable import WSKitClient

/// Waits until the client reaches `state`.
func waitForState(_ client: WebSocketClient, _ state: ClientState, timeout: Double = 30,
                  sourceLocation: SourceLocation = #_sourceLocation) async {
    let reached = await eventually(timeout: timeout) { client.state == state }
    #expect(reached, "client state is \(client.state), expected \(state)", sourceLocation: sourceLocation)
}

/// A clock that only moves when told: `sleep` suspends until `advance(by:)` passes its deadline.
/// Records every requested sleep.
final class ManualClock: ClientClock {
    private struct Sleeper {
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Duration.zero
        var sleepers: [UInt64: Sleeper] = [:]
        var nextID: UInt64 = 0
        var requested: [Duration] = []
    }

    private let state = Locked(State())

    func now() -> Duration { state.withLock { $0.now } }

    /// The durations passed to `sleep`, in order.
    var requestedSleeps: [Duration] { state.withLock { $0.requested } }

    /// How many sleeps are waiting.
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    func sleep(for duration: Duration) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            state.requested.append(duration)
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    if duration <= .zero { return true }
                    state.sleepers[id] = Sleeper(deadline: state.now + duration, continuation: continuation)
                    return false
                }
                if resume {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes the sleepers whose deadline passed.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += duration
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            return Array(due.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}

/// Runs blocking cleanup on a detached thread and returns at once (for `deinit`s).
func inBackground(_ body: @escaping @Sendable () -> Void) {
    if IOThread.start(body) != 0 { body() }
}
