import Testing
import WSKitProtocol
@testable import WSKitClient

@Suite("Connection state machine (pure)")
struct StateMachineTests {
    typealias Effect = ConnectionStateMachine.Effect
    let lost = WebSocketCloseInfo(cause: .connectionLost, wasOpen: true)
    let policy = ReconnectPolicy(initialDelay: .milliseconds(100), maxDelay: .seconds(1), jitter: .none)

    @Test("closed → connecting → open; connect() is idempotent")
    func connectOpen() {
        var machine = ConnectionStateMachine(policy: policy)
        #expect(machine.state == .closed)
        #expect(machine.connect() == [.transition(.connecting), .startAttempt])
        #expect(machine.connect() == [])
        #expect(machine.opened() == [.transition(.open), .flushQueue, .resolveConnectWaiters])
        #expect(machine.state == .open)
        #expect(machine.connect() == [])
    }

    @Test("a drop from open rejects sent requests and reconnects with growing backoff, reset on open")
    func backoff() {
        var machine = ConnectionStateMachine(policy: policy)
        _ = machine.connect()
        _ = machine.opened()
        #expect(machine.disconnected(lost, unit: 0.5) == [
            .rejectSentRequests, .transition(.reconnecting), .scheduleReconnect(delay: .milliseconds(100), attempt: 1),
        ])
        #expect(machine.reconnectDelayElapsed() == [.transition(.connecting), .startAttempt])
        let refused = WebSocketCloseInfo(cause: .transport(.connect(errno: 111)), wasOpen: false)
        #expect(machine.disconnected(refused, unit: 0.5) == [
            .transition(.reconnecting), .scheduleReconnect(delay: .milliseconds(200), attempt: 2),
        ])
        _ = machine.reconnectDelayElapsed()
        #expect(machine.disconnected(refused, unit: 0.5).last == .scheduleReconnect(delay: .milliseconds(400), attempt: 3))
        _ = machine.reconnectDelayElapsed()
        _ = machine.opened()
        #expect(machine.attempt == 0)
        #expect(machine.disconnected(lost, unit: 0).last == .scheduleReconnect(delay: .milliseconds(100), attempt: 1))
    }

    @Test("gives up after maxAttempts consecutive failures")
    func maxAttempts() {
        var limited = policy
        limited.maxAttempts = 2
        var machine = ConnectionStateMachine(policy: limited)
        _ = machine.connect()
        let refused = WebSocketCloseInfo(cause: .transport(.connect(errno: 111)), wasOpen: false)
        #expect(machine.disconnected(refused, unit: 0).contains(.transition(.reconnecting)))
        _ = machine.reconnectDelayElapsed()
        #expect(machine.disconnected(refused, unit: 0).contains(.transition(.reconnecting)))
        _ = machine.reconnectDelayElapsed()
        #expect(machine.disconnected(refused, unit: 0) == [
            .transition(.closed), .failConnectWaiters, .rejectQueuedRequests, .resolveCloseWaiters,
        ])
        #expect(machine.state == .closed)
    }

    @Test("a terminal close (4401) is not retried")
    func terminal() {
        var machine = ConnectionStateMachine(policy: policy)
        _ = machine.connect()
        _ = machine.opened()
        let kicked = WebSocketCloseInfo(cause: .serverClosed, code: WebSocketCloseCode(4401), wasOpen: true)
        #expect(machine.disconnected(kicked, unit: 0) == [
            .rejectSentRequests, .transition(.closed), .failConnectWaiters, .rejectQueuedRequests, .resolveCloseWaiters,
        ])
    }

    @Test("disabled reconnection closes on the first drop")
    func disabled() {
        var machine = ConnectionStateMachine(policy: .disabled)
        _ = machine.connect()
        _ = machine.opened()
        #expect(machine.disconnected(lost, unit: 0).contains(.transition(.closed)))
    }

    @Test("close() from each state; manual close disables reconnection")
    func manualClose() {
        var open = ConnectionStateMachine(policy: policy)
        _ = open.connect()
        _ = open.opened()
        #expect(open.close() == [.transition(.closing), .closeConnection, .clearQueue, .rejectSentRequests])
        #expect(open.close() == [])
        #expect(open.disconnected(lost, unit: 0) == [.transition(.closed), .rejectSentRequests, .resolveCloseWaiters])
        #expect(open.state == .closed)

        var reconnecting = ConnectionStateMachine(policy: policy)
        _ = reconnecting.connect()
        _ = reconnecting.disconnected(lost, unit: 0)
        #expect(reconnecting.close() == [
            .cancelReconnect, .transition(.closed), .clearQueue, .failConnectWaiters, .resolveCloseWaiters,
        ])
        #expect(reconnecting.reconnectDelayElapsed() == [])

        var connecting = ConnectionStateMachine(policy: policy)
        _ = connecting.connect()
        #expect(connecting.close() == [.transition(.closing), .abortConnection, .clearQueue, .failConnectWaiters])
        #expect(connecting.opened() == [])
        #expect(connecting.disconnected(lost, unit: 0).first == .transition(.closed))

        var closed = ConnectionStateMachine(policy: policy)
        #expect(closed.close() == [.clearQueue, .resolveCloseWaiters])
    }

    @Test("connect() while closing reconnects once closed")
    func connectWhileClosing() {
        var machine = ConnectionStateMachine(policy: policy)
        _ = machine.connect()
        _ = machine.opened()
        _ = machine.close()
        #expect(machine.connect() == [])
        #expect(machine.disconnected(lost, unit: 0) == [
            .transition(.closed), .rejectSentRequests, .resolveCloseWaiters, .transition(.connecting), .startAttempt,
        ])
        #expect(!machine.closedManually)
    }
}
