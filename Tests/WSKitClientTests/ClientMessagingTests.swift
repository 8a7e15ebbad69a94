import WSKitLiveFixtures
import Testing
import WSKitContract
import WSKitProtocol
@testable import WSKitClient

/// A client of `responder` with fast reconnects.
func makeClient(_ responder: Responder, configure: (inout WebSocketClientConfiguration) -> Void = { _ in }) throws
    -> WebSocketClient {
    var configuration = WebSocketClientConfiguration(url: try WebSocketURL(responder.url))
    configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(20), maxDelay: .milliseconds(200))
    configure(&configuration)
    return WebSocketClient(configuration: configuration)
}

/// A client on a manual clock, connected to `responder`, after the responder's graceful shutdown:
/// it waits out its first reconnect delay on the returned clock, so nothing happens until the
/// test advances it.
func makeClientAfterShutdown(_ responder: Responder) async throws -> (WebSocketClient, ManualClock) {
    let clock = ManualClock()
    let client = try makeClient(responder) { $0.clock = clock }
    try await client.connect()
    await responder.stop()
    await waitForState(client, .reconnecting)
    return (client, clock)
}

@Suite("WebSocketClient: typed messages and requests against WebSocketServer")
struct ClientMessagingTests {
    @Test("send and on: several handlers per type, in order, errors isolated and reported")
    func sendAndHandlers() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        let seen = Recorder<String>()
        let issues = Recorder<String>()
        client.on(News.self) { seen.append("first \($0.payload.text)") }
        client.on(News.self) { _ in throw TestFailure.boom }
        let third = client.on(News.self) { seen.append("third \($0.payload.text)") }
        client.onError { issues.append($0.description) }
        try await client.connect()
        #expect(try client.send(Notify.self, Text(text: "one")) == .sent)
        #expect(await eventually { seen.count == 2 })
        #expect(seen.all == ["first one", "third one"])
        #expect(await eventually { issues.count == 1 })
        #expect(issues.all.first?.contains("NEWS handler failed") == true)

        third.cancel()
        try client.send(Notify.self, Text(text: "bad"))
        #expect(await eventually { issues.count == 2 })
        #expect(issues.all.last?.hasPrefix("invalid NEWS payload") == true)
        try client.send(Notify.self, Text(text: "two"))
        #expect(await eventually { seen.count == 3 })
        #expect(seen.all.last == "first two")
        await client.close()
    }

    @Test("messages(of:) is an AsyncStream of validated messages with meta")
    func messageStream() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        let stream = client.messages(of: News.self)
        try client.send(Notify.self, Text(text: "streamed"))
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.payload == Text(text: "streamed"))
        #expect(first?.timestamp == 1)
        await client.close()
    }

    @Test("request returns the typed reply; the server sees correlationId and timeoutMs")
    func request() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        let reply = try await client.request(Echo.self, Text(text: "ping"), timeout: .seconds(5))
        #expect(reply == Text(text: "ping"))
        let whoami = try await client.request(WhoAmI.self)
        #expect(whoami == Text(text: ""))
        await client.close()
    }

    @Test("an invalid outbound payload fails with .validation and sends nothing")
    func outboundValidation() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        let long = String(repeating: "x", count: 101)
        do {
            _ = try await client.request(Echo.self, Text(text: long))
            Issue.record("expected a validation error")
        } catch {
            guard case .validation(let failure) = error else { Issue.record("got \(error)"); return }
            #expect(failure.issues.first?.path.description == "payload.text")
        }
        #expect(throws: WebSocketClientError.self) { try client.send(Notify.self, Text(text: long)) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!responder.received.all.contains("ECHO") && !responder.received.all.contains("NOTIFY"))
        await client.close()
    }

    @Test("RPC_ERROR becomes .server with code, message, details, retryable and retryAfterMs")
    func serverError() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        do {
            _ = try await client.request(Fail.self, Text(text: "x"))
            Issue.record("expected a server error")
        } catch {
            let wire = try #require(error.serverError)
            #expect(wire.code == .unavailable)
            #expect(wire.message == "busy")
            #expect(wire.details == ["shard": 3])
            #expect(wire.retryable == true)
            #expect(wire.retryAfterMs == 25)
        }
        await client.close()
    }

    @Test("progress arrives in order before the result, as a callback and as an AsyncSequence")
    func progress() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        var steps: [String] = []
        let reply = try await client.request(Slow.self, Text(text: "done")) { steps.append($0.text) }
        #expect(steps == ["step 1", "step 2", "step 3"])
        #expect(reply.text == "done")

        let call = try client.call(Slow.self, Text(text: "again"))
        var streamed: [String] = []
        for await step in call.progress { streamed.append(step.text) }
        #expect(streamed == ["step 1", "step 2", "step 3"])
        #expect(try await call.result().text == "again")
        await client.close()
    }

    @Test("a timeout fails the request and sends $ws:abort")
    func timeout() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        let call = try client.call(Hang.self, Text(text: "x"), timeout: .milliseconds(150))
        do {
            _ = try await call.result()
            Issue.record("expected a timeout")
        } catch {
            guard case .timeout(let duration) = error else { Issue.record("got \(error)"); return }
            #expect(duration == .milliseconds(150))
        }
        #expect(await eventually { responder.aborts.all == [call.correlationId] })
        await client.close()
    }

    @Test("cancelling the task ends the request with .cancelled and the server sees $ws:abort")
    func cancellation() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        try await client.connect()
        let task = Task { try await client.request(Hang.self, Text(text: "x")) }
        #expect(await eventually { responder.received.all.contains("HANG") })
        task.cancel()
        let result = await task.result
        guard case .failure(let error) = result, case .cancelled? = error as? WebSocketClientError else {
            Issue.record("got \(result)")
            return
        }
        #expect(await eventually { responder.aborts.count == 1 })
        #expect(client.core.withLock { $0.pending.isEmpty })
        await client.close()
    }

    @Test("the pending-request limit refuses extra requests with .state")
    func pendingLimit() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder) { $0.pendingRequestLimit = 2 }
        try await client.connect()
        let first = try client.call(Hang.self, Text(text: "1"))
        _ = try client.call(Hang.self, Text(text: "2"))
        #expect(throws: WebSocketClientError.self) { try client.call(Hang.self, Text(text: "3")) }
        first.cancel()
        _ = try client.call(Hang.self, Text(text: "4"))
        await client.close()
    }

    @Test("request(retry:) retries retryable errors after retryAfterMs")
    func retry() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        responder.flakyFailures.withLock { $0 = 2 }
        let client = try makeClient(responder)
        try await client.connect()
        let reply = try await client.request(Flaky.self, Text(text: "third time"), retry: RetryPolicy(maxAttempts: 3))
        #expect(reply.text == "third time")
        #expect(responder.received.all.filter { $0 == "FLAKY" }.count == 3)

        responder.flakyFailures.withLock { $0 = 100 }
        do {
            _ = try await client.request(Flaky.self, Text(text: "x"), retry: RetryPolicy(maxAttempts: 2))
            Issue.record("expected the retries to run out")
        } catch {
            #expect(error.serverError?.code == .unavailable)
        }
        await client.close()
    }

    @Test("sending and requesting while closed: queued messages, .notConnected requests, autoConnect")
    func closedBehaviour() async throws {
        let responder = try Responder()
        defer { withExtendedLifetime(responder) {} }
        let client = try makeClient(responder)
        #expect(try client.send(Tally.self, Count(n: 1)) == .queued)
        do {
            _ = try await client.request(Echo.self, Text(text: "x"))
            Issue.record("expected notConnected")
        } catch {
            guard case .state(.notConnected) = error else { Issue.record("got \(error)"); return }
        }
        try await client.connect()
        #expect(await eventually { responder.tallies.all == [1] })
        await client.close()

        let auto = try makeClient(responder) { $0.autoConnect = true }
        #expect(try await auto.request(Echo.self, Text(text: "auto")).text == "auto")
        #expect(auto.state == .open)
        await auto.close()
        do {
            _ = try await auto.request(Echo.self, Text(text: "after close"))
            Issue.record("autoConnect must not undo a manual close")
        } catch {
            guard case .state(.notConnected) = error else { Issue.record("got \(error)"); return }
        }
        #expect(auto.state == .closed)
    }
}

enum TestFailure: Error { case boom }
