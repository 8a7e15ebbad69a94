import WSKitLiveFixtures
import Testing
import WSKitContract
@testable import WSKitClient

@Suite("WebSocketClient timers on an injected clock")
struct ClientClockTests {
    @Test("reconnect delays come from the policy and wait on the injected clock")
    func backoffOnManualClock() async throws {
        let gone = try RawServer(mode: .neverAnswer)
        defer { withExtendedLifetime(gone) {} }
        let port = gone.port
        gone.stop()
        let clock = ManualClock()
        var configuration = WebSocketClientConfiguration(url: try WebSocketURL("ws://127.0.0.1:\(port)/"))
        configuration.reconnect = ReconnectPolicy(initialDelay: .seconds(1), maxDelay: .seconds(5), maxAttempts: 4, jitter: .none)
        configuration.clock = clock
        let client = WebSocketClient(configuration: configuration)
        let connecting = Task { try await client.connect() }
        for expected in [1, 2, 4, 5] {
            #expect(await eventually { clock.sleeperCount == 1 }, "waiting for the \(expected) s backoff")
            #expect(client.state == .reconnecting)
            #expect(clock.requestedSleeps.last == .seconds(expected))
            clock.advance(by: .milliseconds(expected * 1000 - 1))
            try await Task.sleep(for: .milliseconds(20))
            #expect(client.state == .reconnecting, "the delay is not over yet")
            clock.advance(by: .milliseconds(1))
        }
        let outcome = await connecting.result
        guard case .failure(let error) = outcome, case .connectionFailed? = error as? WebSocketClientError else {
            Issue.record("expected connectionFailed after 4 retries, got \(outcome)")
            return
        }
        #expect(clock.requestedSleeps == [.seconds(1), .seconds(2), .seconds(4), .seconds(5)])
        #expect(client.state == .closed)
    }

    @Test("request timeouts run on the injected clock; the queued time counts against timeoutMs")
    func requestTimeoutOnManualClock() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let clock = ManualClock()
        let client = try makeClient(responder) { $0.clock = clock }
        try await client.connect()
        let call = try client.call(Hang.self, Text(text: "x"), timeout: .seconds(30))
        #expect(await eventually { clock.sleeperCount == 1 })
        try await Task.sleep(for: .milliseconds(50))
        #expect(call.completion.peek == nil)
        clock.advance(by: .seconds(30))
        guard case .failure(.timeout) = await call.completion.value(onCancel: {}) else {
            Issue.record("expected a timeout")
            return
        }
        #expect(await eventually { responder.aborts.all == [call.correlationId] })
        #expect(responder.timeouts.all == [30_000])
        await client.close()
    }

    @Test("a request queued while reconnecting is sent with the time it has left in meta.timeoutMs")
    func queuedTimeCounts() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let (client, clock) = try await makeClientAfterShutdown(responder)
        let call = try client.call(Echo.self, Text(text: "late"), timeout: .seconds(30))
        try responder.start()
        // The backoff delay and the request's timer both wait on the clock.
        #expect(await eventually { clock.sleeperCount == 2 })
        clock.advance(by: .seconds(10))
        #expect(try await call.result().text == "late")
        #expect(responder.timeouts.all == [20_000])
        await client.close()
    }
}
